#!/usr/bin/env python3
"""Runs every independent cross-check under scripts/ (crosscheck_<lab>.py), one after another.

    python3 scripts/crosscheck.py [lab ...]

Each check rebuilds one lab's experiment in Python (networkx, NumPy, SciPy) and compares it
with the lab's own result; see each script's docstring. Names limit the run to those labs
(``connectivity``, ``server-load``, ...). Exits 1 when any check fails, after running the rest.
"""

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def checks() -> dict[str, Path]:
    """The cross-check scripts by lab id (file names use _ where lab ids use -)."""
    return {path.stem.removeprefix("crosscheck_").replace("_", "-"): path for path in sorted(HERE.glob("crosscheck_*.py"))}


def main() -> int:
    available = checks()
    wanted = sys.argv[1:] or list(available)
    unknown = [lab for lab in wanted if lab not in available]
    if unknown:
        print(f"no cross-check for {', '.join(unknown)}; there are: {', '.join(available)}", file=sys.stderr)
        return 2
    failed = []
    for lab in wanted:
        print(f"\n== {lab}", flush=True)
        started = time.monotonic()
        status = subprocess.run([sys.executable, str(available[lab])]).returncode
        print(f"-- {lab}: {'agrees' if status == 0 else 'FAILED'} ({time.monotonic() - started:.0f} s)", flush=True)
        if status != 0:
            failed.append(lab)
    print(f"\n{len(wanted) - len(failed)} of {len(wanted)} cross-checks agree" + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
