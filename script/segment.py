"""Split a paragraph into speakable segments no longer than an engine's limit.

A paragraph is cut into sentences, a sentence that is too long into clauses
(at , ; : and a spaced dash), a clause that is too long into words. Pieces are
then packed greedily back together while their *spoken* form still fits, so a
voice gets whole sentences where it can and fewer, longer requests. Every
length check is made on the spoken form (numbers spelled out), because that
is what the engine receives.

The written text is only ever cut at whitespace, so the segments' sources,
joined with single spaces, give back the paragraph exactly.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable

from .model import Pause, Segment

Speak = Callable[[str], str]

# Words that open a phrase: a cut before one of them sounds like a breath,
# a cut elsewhere like a stumble.
PHRASE_OPENERS = frozenset(
    "và hoặc hay nhưng mà thì là để của cho với trong khi nếu vì bởi do nên "
    "từ tại theo về như đến sau trước giữa trên dưới cùng đồng thời nhằm"
    .split()
)

# A sentence ends at . ! ? … (possibly followed by closing quotes or brackets)
# and whitespace. Written numbers like 3,5 or 1.200 have no space after the
# mark, so they are never cut.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’')\]]*(?=\s)")
_CLAUSE_END = re.compile(r"(?<=[,;:])[\"”’')\]]*(?=\s)|(?<=\s[-–—])(?=\s)")


def _split_after(pattern: re.Pattern[str], text: str) -> list[str]:
    pieces, start = [], 0
    for m in pattern.finditer(text):
        piece = text[start : m.end()].strip()
        if piece:
            pieces.append(piece)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        pieces.append(tail)
    return pieces


def sentences(text: str) -> list[str]:
    return _split_after(_SENTENCE_END, text)


def clauses(sentence: str) -> list[str]:
    return _split_after(_CLAUSE_END, sentence)


def _hard_split(spoken: str, max_chars: int) -> list[str]:
    """Last resort for one written token whose spoken form is over the limit:
    cut the spoken form between its words, or, for a single giant 'word'
    (no real language has one), every max_chars characters."""
    out: list[str] = []
    current = ""
    for word in spoken.split():
        while len(word) > max_chars:
            if current:
                out.append(current)
                current = ""
            out.append(word[:max_chars])
            word = word[max_chars:]
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= max_chars:
            current = candidate
        else:
            out.append(current)
            current = word
    if current:
        out.append(current)
    return out


def _pack(
    pieces: list[tuple[str, Pause]], speak: Speak, max_chars: int
) -> list[Segment]:
    """Greedy packing: extend the current segment with the next piece while the
    spoken form of the joined written text fits. Each speak() call sees at most
    one segment's worth of text, so this is linear in the paragraph's length."""
    out: list[Segment] = []
    cur_written, cur_spoken, cur_pause = "", "", Pause.WORD
    for written, pause in pieces:
        if cur_written:
            joined = f"{cur_written} {written}"
            spoken = speak(joined)
            if len(spoken) <= max_chars:
                cur_written, cur_spoken, cur_pause = joined, spoken, pause
                continue
            out.append(Segment(cur_spoken, cur_pause, cur_written))
        cur_written, cur_spoken, cur_pause = written, speak(written), pause
    if cur_written:
        out.append(Segment(cur_spoken, cur_pause, cur_written))
    return out


def _pieces(text: str, speak: Speak, max_chars: int) -> Iterable[tuple[str, Pause]]:
    """The largest pieces (sentences, else clauses, else words) that fit alone."""
    for sentence in sentences(text):
        if len(speak(sentence)) <= max_chars:
            yield sentence, Pause.SENTENCE
            continue
        parts = clauses(sentence)
        for i, clause in enumerate(parts):
            last_pause = Pause.SENTENCE if i == len(parts) - 1 else Pause.PHRASE
            if len(speak(clause)) <= max_chars:
                yield clause, last_pause
                continue
            words = _split_words(clause, speak, max_chars)
            for j, piece in enumerate(words):
                yield piece, last_pause if j == len(words) - 1 else Pause.WORD


def _split_words(clause: str, speak: Speak, max_chars: int) -> list[str]:
    """Cut a clause that is too long at word boundaries into balanced pieces.

    Bisection near the middle, preferring a cut before a function word that
    opens a phrase ("và", "để", "của"...), so that a long clause does not
    become one full segment and a two-word remnant.
    """
    words = clause.split()
    if len(words) < 2 or len(speak(clause)) <= max_chars:
        return [clause]
    total = sum(len(w) + 1 for w in words)
    best, best_score, pos = 1, float("inf"), 0
    for i in range(1, len(words)):
        pos += len(words[i - 1]) + 1
        score = abs(pos / total - 0.5)
        if words[i].lower() in PHRASE_OPENERS:
            score -= 0.15
        if score < best_score:
            best, best_score = i, score
    left, right = " ".join(words[:best]), " ".join(words[best:])
    return _split_words(left, speak, max_chars) + _split_words(right, speak, max_chars)


def segment_paragraph(
    text: str,
    max_chars: int,
    speak: Speak = lambda s: s,
    final_pause: Pause = Pause.PARAGRAPH,
) -> tuple[Segment, ...]:
    """Segments of one paragraph; the last one carries final_pause."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    text = " ".join(text.split())
    segments: list[Segment] = []
    for seg in _pack(list(_pieces(text, speak, max_chars)), speak, max_chars):
        if len(seg.text) <= max_chars:
            segments.append(seg)
            continue
        # One written word too long even alone: keep its source on the first
        # piece so that nothing written is lost or repeated.
        parts = _hard_split(seg.text, max_chars)
        segments.extend(
            Segment(p, Pause.WORD if i < len(parts) - 1 else seg.pause_after,
                    seg.source if i == 0 else "")
            for i, p in enumerate(parts)
        )
    segments = [s for s in segments if s.text.strip() or s.source]
    if segments:
        last = segments[-1]
        segments[-1] = Segment(last.text, final_pause, last.source)
    return tuple(segments)
