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
) -> list[tuple[str, str, Pause]]:
    """Greedy packing: extend the current segment with the next piece while the
    spoken form of the joined written text fits. Each speak() call sees at most
    one segment's worth of text, so this is linear in the paragraph's length."""
    out: list[tuple[str, str, Pause]] = []
    cur_written, cur_spoken, cur_pause = "", "", Pause.WORD
    for written, pause in pieces:
        if cur_written:
            joined = f"{cur_written} {written}"
            spoken = speak(joined)
            if len(spoken) <= max_chars:
                cur_written, cur_spoken, cur_pause = joined, spoken, pause
                continue
            out.append((cur_written, cur_spoken, cur_pause))
        cur_written, cur_spoken, cur_pause = written, speak(written), pause
    if cur_written:
        out.append((cur_written, cur_spoken, cur_pause))
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

    Bisection near the middle of the *spoken* length (a phone number is short
    written and long spoken), preferring a cut before a function word that
    opens a phrase ("và", "để", "hoặc"...), so that a long clause becomes
    even pieces, not one full segment and a two-word remnant.
    """
    words = clause.split()
    lengths = [len(speak(w)) + 1 for w in words]
    return [" ".join(words[a:b]) for a, b in _bisect(words, lengths, 0, len(words),
                                                      speak, max_chars)]


def _bisect(words: list[str], lengths: list[int], a: int, b: int,
            speak: Speak, max_chars: int) -> list[tuple[int, int]]:
    if b - a < 2 or len(speak(" ".join(words[a:b]))) <= max_chars:
        return [(a, b)]
    total = sum(lengths[a:b])
    best, best_score, pos = a + 1, float("inf"), 0
    for i in range(a + 1, b):
        pos += lengths[i - 1]
        score = abs(pos / total - 0.5)
        if words[i].lower() in PHRASE_OPENERS:
            score -= 0.15
        if words[i][:1].isdigit():  # a number belongs to the word before it
            score += 0.2
        if score < best_score:
            best, best_score = i, score
    return (_bisect(words, lengths, a, best, speak, max_chars)
            + _bisect(words, lengths, best, b, speak, max_chars))


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
    for written, spoken, pause in _pack(list(_pieces(text, speak, max_chars)), speak, max_chars):
        if not spoken:
            # Punctuation alone has no sound: its source joins a neighbour's.
            if segments:
                last = segments[-1]
                segments[-1] = Segment(last.text, pause, last.source)
                k = max(i for i, seg in enumerate(segments) if seg.source)
                owner = segments[k]
                segments[k] = Segment(owner.text, owner.pause_after, f"{owner.source} {written}")
            else:
                segments.append(Segment(written, pause, written))
            continue
        if len(spoken) <= max_chars:
            segments.append(Segment(spoken, pause, written))
            continue
        # One written word too long even alone: keep its source on the first
        # piece so that nothing written is lost or repeated.
        parts = _hard_split(spoken, max_chars)
        segments.extend(
            Segment(p, Pause.WORD if i < len(parts) - 1 else pause, written if i == 0 else "")
            for i, p in enumerate(parts)
        )
    if segments:
        last = segments[-1]
        segments[-1] = Segment(last.text, final_pause, last.source)
    return tuple(segments)
