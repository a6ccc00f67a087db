"""A lab's own result, for the cross-checks (scripts/crosscheck_<lab>.py): the JSON that
scripts/print-lab.ts prints for a lab id, its parameters (the others at their defaults) and a seed."""

import json
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def lab_result(lab: str, params: dict, seed: int) -> dict:
    """One run of the lab's model in Node."""
    command = ["npx", "tsx", "scripts/print-lab.ts", lab, json.dumps(params), str(seed)]
    output = subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return json.loads(output)


def lab_results(lab: str, params: dict, seeds: list[int], parallel: int = 2) -> list[dict]:
    """Runs for several seeds, `parallel` at a time, in the seeds' order."""
    with ThreadPoolExecutor(parallel) as pool:
        return list(pool.map(lambda seed: lab_result(lab, params, seed), seeds))
