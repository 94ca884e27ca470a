"""Throughput of the script stage (read, clean, normalize, segment, format) on
the shared article repeated 1x, 10x and 100x, in one run.

    python bench/script_stage.py

Prints KB/s for each size and the 100x/10x time ratio: 10 means linear
(target <= 12), 100 would mean quadratic.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from script import format_script, make_script, normalize, parse_article  # noqa: E402

SHARED = ROOT.parent / "shared" / "articles" / "pho-thu-tuong-giu-minh.txt"
ARTICLE = SHARED if SHARED.exists() else ROOT / "examples" / "sample.txt"


def repeated(text: str, times: int) -> str:
    title, _, rest = text.partition("\n")
    return title + "\n" + "\n\n".join([rest] * times)


def best_time(text: str, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        format_script(make_script(parse_article(text), 100, normalize))
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    text = ARTICLE.read_text(encoding="utf-8")
    print(f"article: {ARTICLE.name} ({len(text.encode()) / 1024:.1f} KB)")
    best_time(text, 1)  # warm caches and imports
    times = {}
    for n, runs in ((1, 5), (10, 3), (100, 1)):
        big = repeated(text, n)
        kb = len(big.encode()) / 1024
        times[n] = best_time(big, runs)
        print(f"{n:>4}x  {kb:8.1f} KB  {times[n]:7.3f} s  {kb / times[n]:8.1f} KB/s")
    ratio = times[100] / times[10]
    print(f"100x/10x time ratio: {ratio:.2f} (linear = 10, target <= 12)")
    return 0 if ratio <= 12 else 1


if __name__ == "__main__":
    sys.exit(main())
