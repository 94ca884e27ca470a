"""The script stage's fuzz tests with a long budget (the test suite runs
1,000 examples per property; this runs 50,000, or the number given).

    python bench/fuzz.py [EXAMPLES]

Prints the examples run per property, the time, and pytest's verdict: any
exception other than the tool's own errors, or a broken segment invariant,
fails it.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         "tests/test_hardening.py", "-k", "fuzz"],
        cwd=ROOT, env={**os.environ, "AUDIO_EDITION_FUZZ_EXAMPLES": str(examples)},
        capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    verdict = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr
    print(f"fuzz: 2 properties x {examples} examples in {elapsed:.1f} s: {verdict}")
    if proc.returncode:
        print(proc.stdout[-4000:])
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
