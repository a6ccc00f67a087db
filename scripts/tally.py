"""What a cross-check (scripts/crosscheck_<lab>.py) found, and how it ends: the points it
compared, the largest |z| among them, the disagreements that make it exit 1, and notes worth
reading that do not. Each script's report adds its own ways of comparing and printing."""

import time


class Tally:
    def __init__(self, tolerance: float):
        self.tolerance = tolerance
        self.count = 0
        self.worst = 0.0
        self.failures: list[str] = []
        self.notes: list[str] = []

    def finish(self, started: float) -> int:
        """Prints the summary, then the notes and the disagreements; the script's exit status."""
        print(f"{self.count} comparisons in {time.monotonic() - started:.0f} s; largest |z| {self.worst:.2f} (tolerance {self.tolerance:g})")
        for line in self.notes:
            print(f"NOTE: {line}")
        for line in self.failures:
            print(f"DISAGREES: {line}")
        return 1 if self.failures else 0
