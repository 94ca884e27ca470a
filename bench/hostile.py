"""The hostile-input checks too slow for the test suite: builds killed at 20
random moments (every file at an output path or in the cache must be whole,
and a rerun must finish), one 50,000-character line built in full, and a
narration script with 600 sentences on one spoken line rendered in under
200 MB.

    python bench/hostile.py

Runs them through pytest (tests/test_hardening.py, AUDIO_EDITION_SLOW=1) and
prints each one's time and verdict.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKS = ("test_builds_killed_at_random_moments_leave_only_complete_files",
          "test_one_50000_character_line_builds",
          "test_render_of_one_spoken_line_of_600_sentences_keeps_memory_flat")


def main() -> int:
    failed = 0
    for check in CHECKS:
        start = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
             f"tests/test_hardening.py::{check}"],
            cwd=ROOT, env={**os.environ, "AUDIO_EDITION_SLOW": "1"},
            capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        lines = proc.stdout.strip().splitlines()
        print(f"{check}: {lines[-1] if lines else proc.stderr.strip()} ({elapsed:.1f} s)")
        failed += proc.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
