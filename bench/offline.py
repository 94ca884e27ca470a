"""Offline builds at length, in one run: the shared article repeated 10x and
100x (wall time, peak RSS, audio duration), and the 1x article against the
offline limit measured on this machine: one espeak-ng synthesis of the whole
text plus one ffmpeg MP3 encode with the same encoder settings.

    python bench/offline.py

Targets: the 100x build under 300 MB peak RSS and at most 12x the 10x
build's time; the 1x build at most 1.5x the offline limit.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from audio import ffmpeg  # noqa: E402
from audio.edition import build_edition  # noqa: E402
from audio.model import EditionOptions  # noqa: E402
from audio.engines import EspeakEngine  # noqa: E402
from script import make_script, normalize, read_article  # noqa: E402

SHARED = ROOT.parent / "shared" / "articles" / "pho-thu-tuong-giu-minh.txt"
ARTICLE = SHARED if SHARED.exists() else ROOT / "examples" / "sample.txt"


def repeated(text: str, times: int) -> str:
    """The article's body `times` over. Each copy's paragraphs carry the copy's
    number, so no clip repeats: the cache would otherwise make each copy after
    the first nearly free, and the build would not be `times` times the work."""
    title, _, rest = text.partition("\n")
    copies = []
    for n in range(1, times + 1):
        copies.append("\n\n".join(f"{p.strip()} Phần {n}." if p.strip() else p
                                   for p in rest.split("\n\n")))
    return title + "\n" + "\n\n".join(copies)


def build_subprocess(article: Path, out: Path, cache: Path) -> tuple[float, int, float]:
    """Wall seconds, peak RSS (KB) of the build process, audio seconds."""
    cmd = ["/usr/bin/time", "-f", "%M", sys.executable, "-m", "audio", "build", str(article),
           "-o", str(out), "--engine", "espeak", "--cache", str(cache)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    rss = int(proc.stderr.strip().splitlines()[-1])
    m = re.search(r"\((\d+):(\d+):?(\d+)?, ", proc.stdout) or re.search(r"\((\d+):(\d+),", proc.stdout)
    minutes, seconds = int(m.group(1)), int(m.group(2))
    return wall, rss, minutes * 60 + seconds


def offline_limit(text: str, tmp: Path) -> float:
    engine = EspeakEngine()
    start = time.perf_counter()
    pcm = engine.synthesize(text).pcm
    subprocess.run([ffmpeg.ffmpeg_exe(), "-v", "error", "-y", "-f", "s16le", "-ar", "22050",
                    "-ac", "1", "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a", "64k",
                    "-compression_level", "7", str(tmp / "limit.mp3")], input=pcm, check=True)
    return time.perf_counter() - start


def ours_in_process(article: Path, tmp: Path) -> float:
    start = time.perf_counter()
    script = make_script(read_article(article), 100, normalize)
    build_edition(script, EspeakEngine(), tmp / "ours", EditionOptions())
    return time.perf_counter() - start


def main() -> int:
    text = ARTICLE.read_text(encoding="utf-8")
    print(f"article: {ARTICLE.name}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rows = {}
        for n in (10, 100):
            article = tmp / f"x{n}.txt"
            article.write_text(repeated(text, n), encoding="utf-8")
            rows[n] = build_subprocess(article, tmp / f"out{n}", tmp / f"cache{n}")
            wall, rss, audio = rows[n]
            print(f"{n:>4}x build: {wall:7.2f} s wall, peak RSS {rss / 1024:6.1f} MB, "
                  f"audio {audio / 60:6.1f} min ({audio / wall:5.0f}x real time)")
        ratio = rows[100][0] / rows[10][0]
        print(f"100x/10x time ratio: {ratio:.2f} (target <= 12)")
        print(f"100x peak RSS: {rows[100][1] / 1024:.1f} MB (target < 300)")

        offline_limit(text, tmp)  # warm both
        ours_in_process(ARTICLE, tmp)
        limit = min(offline_limit(text, tmp) for _ in range(3))
        ours = min(ours_in_process(ARTICLE, tmp) for _ in range(3))
        print(f"1x offline limit (espeak-ng whole text + one encode): {limit:.3f} s")
        print(f"1x audio-edition build (in process, no cache): {ours:.3f} s "
              f"= {ours / limit:.2f}x the limit (target <= 1.5)")
    ok = ratio <= 12 and rows[100][1] < 300 * 1024 and ours / limit <= 1.5
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
