"""50 articles built offline, sequentially (--workers 1) and in parallel
(--workers 2, this machine's cores), in one run; prints both wall times and
the speed-up.

    python bench/batch.py

Each run starts with an empty clip cache, and the 50 articles differ (each
paragraph carries the article's number), so both runs synthesize everything.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "articles"
SOURCES = sorted(SHARED.glob("*.txt")) if SHARED.exists() else []
SOURCES.append(ROOT / "examples" / "sample.txt")
N = 50


def make_articles(directory: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in SOURCES]
    for i in range(N):
        title, _, rest = texts[i % len(texts)].partition("\n")
        paragraphs = [f"{p} Bản tin số {i + 1}." if p.strip() else p
                      for p in rest.split("\n\n")]
        (directory / f"{i:02d}.txt").write_text(
            f"{title} (bản tin {i + 1})\n" + "\n\n".join(paragraphs), encoding="utf-8")


def timed_build(articles: Path, out: Path, cache: Path, workers: int) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "audio", "build", str(articles), "-o", str(out),
                    "--engine", "espeak", "--cache", str(cache), "--workers", str(workers),
                    "--quiet"], cwd=ROOT, check=True)
    return time.perf_counter() - start


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        articles = tmp / "articles"
        articles.mkdir()
        make_articles(articles)
        size = sum(p.stat().st_size for p in articles.iterdir()) / 1024
        print(f"{N} articles, {size:.0f} KB of text, offline voice")
        t1 = timed_build(articles, tmp / "out1", tmp / "cache1", 1)
        built = len(list((tmp / "out1").glob("*.mp3")))
        t2 = timed_build(articles, tmp / "out2", tmp / "cache2", 2)
        print(f"--workers 1: {t1:6.2f} s ({built} MP3s)")
        print(f"--workers 2: {t2:6.2f} s ({len(list((tmp / 'out2').glob('*.mp3')))} MP3s)")
        print(f"speed-up: {t1 / t2:.2f}x on 2 cores")
    return 0


if __name__ == "__main__":
    sys.exit(main())
