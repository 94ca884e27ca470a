"""Compare Vietnamese word segmenters on the reading corpus, as segmentation uses them.

    python bench/segmenters.py          (pyvi is measured when installed:
                                         pip install pyvi; it is not a dependency)

For the `word` spans of tests/corpus (multi-syllable words, terms and names
that a cut must not split, written by the corpus's annotators): how many
two-syllable spans a segmenter keeps whole, and how many of the spaces
inside all spans it joins (the annotators' spans are often phrases of two
words, "bảo hiểm xã hội", so no segmenter keeps all of them whole, and
segmentation adds the cost of a cut to every space anyway). Also printed: how many of all
spaces it joins (a segmenter that joined everything would keep every span
whole and be useless for cutting), the cost of starting it in a fresh process
(import and model load) and its throughput on the corpus, all in one run.
"""
from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.reading import CORPUS, _rows  # noqa: E402

_WORDCHARS = re.compile(r"^\W*(.*?)\W*$")


def _cases() -> tuple[list[str], list[tuple[list[str], int, int]]]:
    """The corpus's lines, and each word span as (its line's tokens, first
    token, token count)."""
    lines, cases = [], []
    for txt in sorted(CORPUS.glob("*/*.txt")):
        text = [line for line in txt.read_text(encoding="utf-8").splitlines() if line.strip()]
        lines += text
        for row in _rows(txt.with_name(txt.stem + ".expect.tsv")):
            if row[0] != "word" or len(row[1].split()) < 2:
                continue
            span = row[1].split()
            for line in text:
                tokens = line.split()
                at = next((i for i in range(len(tokens)) if tokens[i:i + len(span)] == span), None)
                if at is not None:
                    cases.append((tokens, at, len(span)))
                    break
    return lines, cases


def ours():
    from script.words import INSIDE, default_word_breaks
    breaks = default_word_breaks()
    return lambda tokens: [j >= INSIDE for j in breaks(tokens)]


def dictionary_only():
    from script.words import dictionary_word_breaks
    return lambda tokens: [j > 0 for j in dictionary_word_breaks(tokens)]


def _owners(tokens: list[str], words: list[str]) -> list[bool]:
    """Joins from a segmenter's words (syllables joined by ' ' or '_'),
    aligned back to the tokens it was given."""
    syllables = [(s, n) for n, w in enumerate(words) for s in w.replace("_", " ").split()]
    owner, i = [], 0
    for token in tokens:
        core = _WORDCHARS.match(token).group(1)
        who = None
        while i < len(syllables) and core and syllables[i][0] != core:
            i += 1
        if i < len(syllables) and core:
            who = syllables[i][1]
            i += 1
        owner.append(who)
    return [a is not None and a == b for a, b in zip(owner, owner[1:])]


def pyvi():
    from pyvi import ViTokenizer
    return lambda tokens: _owners(tokens, ViTokenizer.tokenize(" ".join(tokens)).split())


def underthesea_full():
    from underthesea import word_tokenize
    return lambda tokens: _owners(tokens, word_tokenize(" ".join(tokens)))


SEGMENTERS = {
    "underthesea CRF, as used here": ("ours", ours),
    "underthesea word_tokenize (full package)": ("underthesea_full", underthesea_full),
    "pyvi ViTokenizer": ("pyvi", pyvi),
    "dictionary pairs alone": ("dictionary_only", dictionary_only),
}


def startup(name: str, runs: int = 3) -> float:
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); from bench.segmenters import {name};"
            f" f = {name}(); f(['nhà', 'đầu', 'tư'])")
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        times.append(time.perf_counter() - t)
    base = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        base.append(time.perf_counter() - t)
    return sorted(times)[runs // 2] - sorted(base)[runs // 2]


def main() -> int:
    lines, cases = _cases()
    kb = sum(len(line.encode()) for line in lines) / 1024
    print(f"corpus: {len(lines)} lines ({kb:.0f} KB), {len(cases)} multi-syllable word spans")
    two = [c for c in cases if c[2] == 2]
    print(f"{'segmenter':<40} {'2-syll. whole':>13} {'inner joined':>13} {'all joined':>11}"
          f" {'start s':>8} {'KB/s':>6}")
    for label, (name, make) in SEGMENTERS.items():
        try:
            joins = make()
        except ImportError as e:
            print(f"{label:<40} not installed ({e.name})")
            continue
        whole = sum(all(joins(tokens)[at:at + n - 1]) for tokens, at, n in two)
        inner = [j for tokens, at, n in cases for j in joins(tokens)[at:at + n - 1]]
        t = time.perf_counter()
        joined = total = 0
        for line in lines:
            j = joins(line.split())
            joined += sum(j)
            total += len(j)
        rate = kb / (time.perf_counter() - t)
        print(f"{label:<40} {100 * whole / len(two):12.1f}% {100 * sum(inner) / len(inner):12.1f}%"
              f" {100 * joined / max(total, 1):10.1f}% {startup(name):8.2f} {rate:6.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
