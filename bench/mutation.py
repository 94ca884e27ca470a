"""Mutation testing of the sound side and the segmenter (mutmut; scope and
options in pyproject.toml), on a seeded uniform sample of the mutants: the
whole set (about 4,000) takes hours on 2 cores; a sample of 200 takes about
40 minutes and gives the surviving rate within about ±6 points.

    .mutvenv/bin/python bench/mutation.py [--sample N] [--seed S] [--jobs J] [--project DIR]

(see the README for the .mutvenv set-up: mutmut 3.7 needs pytest < 8.4).
`--sample 0` runs every mutant. Prints killed / survived / timed out / not
reached by any test, the surviving rate with its 95 % interval, the
survivors by function, and writes their names to DIR/mutants/survivors.txt
(`mutmut show NAME` shows one).
"""
from __future__ import annotations

import argparse
import math
import random
import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MUTMUT = str(Path(sys.executable).with_name("mutmut"))


def statuses(project: Path) -> dict[str, str]:
    out = subprocess.run([MUTMUT, "results", "--all", "true"], cwd=project,
                         capture_output=True, text=True, check=True).stdout
    return dict(re.findall(r"^\s*(\S+): (.+)$", out, re.MULTILINE))


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if not n:
        return 0.0, 0.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sample", type=int, default=200)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--project", type=Path, default=ROOT)
    args = parser.parse_args()
    project = args.project.resolve()
    start = time.perf_counter()
    if not (project / "mutants").is_dir():  # generate the mutants (and the test stats)
        subprocess.run([MUTMUT, "run", "no.mutant.has.this.name*"], cwd=project,
                       capture_output=True, check=False)
    names = sorted(statuses(project))
    chosen = names if args.sample <= 0 or args.sample >= len(names) else \
        sorted(random.Random(args.seed).sample(names, args.sample))
    subprocess.run([MUTMUT, "run", "--max-children", str(args.jobs), *chosen], cwd=project,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    found = statuses(project)
    counts = Counter(found.get(name, "not checked") for name in chosen)
    reached = len(chosen) - counts["no tests"]
    survived = counts["survived"]
    low, high = wilson(survived, len(chosen))
    print(f"{len(chosen)} of {len(names)} mutants (seed {args.seed}), "
          f"{time.perf_counter() - start:.0f} s")
    for status, n in counts.most_common():
        print(f"  {status:12} {n}")
    print(f"surviving rate: {survived / len(chosen):.1%} (95 % interval {low:.1%}-{high:.1%}); "
          f"{survived + counts['no tests']} of {len(chosen)} not killed "
          f"({(survived + counts['no tests']) / len(chosen):.1%}); "
          f"of the {reached} reached by a test, {survived / max(1, reached):.1%} survive")
    if counts["no tests"] == len(chosen):
        print("mutmut reached no mutant with any test: its test statistics are missing or "
              "stale; remove mutants/ and run again")
    alive = [n for n in chosen if found.get(n) in ("survived", "no tests")]
    by_function = Counter(n.split("__mutmut_")[0] for n in alive)
    print("not killed, by function:")
    for function, n in by_function.most_common():
        print(f"  {n:4}  {function}")
    (project / "mutants" / "survivors.txt").write_text("\n".join(alive) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
