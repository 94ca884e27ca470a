"""The online path against a fake Google endpoint with 150 ms latency per
request, in one run: gtts-cli (gTTS alone, as a user would call it) against
`audio-edition build --engine gtts`, cold cache and warm cache.

    python bench/online.py

gtts-cli is gTTS's own click command, unmodified except that its endpoint
URL (gtts.tts._translate_url) points at the fake. Both run as subprocesses,
so each pays for its own interpreter start.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fake_google import FakeGoogle  # noqa: E402

SHARED = ROOT.parent / "shared" / "articles" / "pho-thu-tuong-giu-minh.txt"
ARTICLE = SHARED if SHARED.exists() else ROOT / "examples" / "sample.txt"
LATENCY = 0.150

GTTS_CLI = """
import sys, gtts.tts
url = sys.argv.pop(1)
gtts.tts._translate_url = lambda tld="com", path="": url
from gtts.cli import tts_cli
tts_cli()
"""


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    print(f"article: {ARTICLE.name}, fake endpoint latency {LATENCY * 1000:.0f} ms/request")
    with tempfile.TemporaryDirectory() as tmp, FakeGoogle(latency=LATENCY) as fake:
        tmp = Path(tmp)
        gtts_cli = [sys.executable, "-c", GTTS_CLI, fake.url, "--file", str(ARTICLE),
                    "--lang", "vi", "--output", str(tmp / "cli.mp3")]

        def ours(cache: str) -> list[str]:
            return [sys.executable, "-m", "audio", "build", str(ARTICLE), "-o", str(tmp / "out"),
                    "--engine", "gtts", "--gtts-url", fake.url, "--cache", str(tmp / cache),
                    "--jobs", "4", "--quiet"]

        # Untimed first runs: the fake makes each clip length once, for both.
        timed(gtts_cli)
        timed(ours("warm-up-cache"))
        fake.served.clear()
        t_cli = timed(gtts_cli)
        n_cli = len(fake.served)
        fake.served.clear()
        t_cold = timed(ours("cache"))
        n_cold = len(fake.served)
        fake.served.clear()
        t_warm = timed(ours("cache"))
        n_warm = len(fake.served)

    print(f"{'':28} {'wall':>8} {'requests':>9}")
    print(f"{'gtts-cli':28} {t_cli:7.2f}s {n_cli:9d}")
    print(f"{'audio-edition cold (-j 4)':28} {t_cold:7.2f}s {n_cold:9d}")
    print(f"{'audio-edition warm':28} {t_warm:7.2f}s {n_warm:9d}")
    speedup, req_ratio = t_cli / t_cold, n_cold / n_cli
    print(f"cold speed-up vs gtts-cli: {speedup:.2f}x (target >= 4)")
    print(f"requests vs gtts-cli: {req_ratio:.2f}x (target <= 0.6)")
    print(f"warm rebuild: {t_warm:.2f} s, {n_warm} requests (target < 1 s, 0)")
    ok = speedup >= 4 and req_ratio <= 0.6 and t_warm < 1 and n_warm == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
