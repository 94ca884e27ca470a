"""Split a paragraph into speakable segments no longer than an engine's limit.

Segments are chosen over the paragraph's word boundaries by dynamic
programming. Every boundary has a cost by what it is: the end of a sentence
costs nothing, a clause boundary (, ; : or a spaced dash) little, a cut
before a word that opens a phrase ("và", "để", "của"...) more, any other cut
between two words the most; a cut right before a number costs extra (the
number belongs to the word before it: "năm 2024"). Every segment also costs
one request. The cheapest split is one with few segments whose cuts fall at
sentence, then clause, then phrase boundaries: gTTS gets whole sentences
where it can, packed up to its limit, and fewer requests than splitting at
every comma.

Lengths are those of the *spoken* form (numbers spelled out), because that is
what the engine receives: estimated word by word for the search, then checked
on each chosen segment as a whole, and a segment still too long is split
again by bisection.

The written text is only ever cut at whitespace, so the segments' sources,
joined with single spaces, give back the paragraph exactly, and a number's
spoken form is never cut in two.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from .model import Pause, Segment

Speak = Callable[[str], str]

# Words that open a phrase: a cut before one of them sounds like a breath,
# a cut elsewhere like a stumble.
PHRASE_OPENERS = frozenset(
    "và hoặc hay nhưng mà thì là để của cho với trong khi nếu vì bởi do nên "
    "từ tại theo về như đến sau trước giữa trên dưới cùng đồng thời nhằm"
    .split()
)

SEGMENT_COST = 4  # one more request
CUT_COST = {Pause.SENTENCE: 0, Pause.PHRASE: 1, "opener": 2, Pause.WORD: 8}
BEFORE_NUMBER_COST = 4
INSIDE_NAME_COST = 3  # between two capitalized words: "Ban Chỉ | đạo", "Trần Lưu | Quang"
SHORT_SEGMENT, SHORT_COST = 20, 2  # a few words alone between two cuts

_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*$")
_CLAUSE_END = re.compile(r"[,;:][\"”’')\]]*$")
_DASH = re.compile(r"^[-–—]+$")


def _boundary(words: list[str], i: int) -> tuple[Pause, int]:
    """The pause and the cost of cutting after words[i]."""
    word, following = words[i], words[i + 1]
    if _SENTENCE_END.search(word):
        kind, cost = Pause.SENTENCE, CUT_COST[Pause.SENTENCE]
    elif _CLAUSE_END.search(word) or _DASH.match(word) or _DASH.match(following):
        kind, cost = Pause.PHRASE, CUT_COST[Pause.PHRASE]
    elif following.lower() in PHRASE_OPENERS:
        kind, cost = Pause.PHRASE, CUT_COST["opener"]
    else:
        kind, cost = Pause.WORD, CUT_COST[Pause.WORD]
    if following[:1].isdigit():
        cost += BEFORE_NUMBER_COST
    if kind == Pause.WORD and word[:1].isupper() and following[:1].isupper():
        cost += INSIDE_NAME_COST
    return kind, cost


def _plan(words: list[str], sizes: list[int], max_chars: int) -> list[int]:
    """End indices (exclusive) of the cheapest segmentation."""
    n = len(words)
    cuts = [_boundary(words, i) for i in range(n - 1)]
    best = [0.0] + [float("inf")] * n
    back = [0] * (n + 1)
    for j in range(1, n + 1):
        length = -1
        for i in range(j - 1, -1, -1):
            length += sizes[i] + (1 if sizes[i] else 0)
            if length > max_chars and i < j - 1:
                break  # (a single word over the limit still gets a segment)
            cost = best[i] + SEGMENT_COST + (cuts[j - 1][1] if j < n else 0)
            if length < SHORT_SEGMENT and n > 1:
                cost += SHORT_COST
            if cost < best[j]:
                best[j], back[j] = cost, i
    ends, j = [], n
    while j > 0:
        ends.append(j)
        j = back[j]
    return ends[::-1]


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


def _bisect(words: list[str], sizes: list[int], speak: Speak,
            max_chars: int) -> list[tuple[list[str], str]]:
    """Split words whose spoken form is too long, near the middle of the spoken
    length (`sizes`: each word's), preferring the cheapest boundary. Returns
    each piece with its spoken form, so that it is not spoken again."""
    spoken = speak(" ".join(words))
    if len(words) < 2 or len(spoken) <= max_chars:
        return [(words, spoken)]
    total = sum(size + 1 for size in sizes)
    best, best_score, pos = 1, float("inf"), 0
    for i in range(1, len(words)):
        pos += sizes[i - 1] + 1
        score = abs(pos / total - 0.5) + _boundary(words, i - 1)[1] / 40
        if score < best_score:
            best, best_score = i, score
    return (_bisect(words[:best], sizes[:best], speak, max_chars)
            + _bisect(words[best:], sizes[best:], speak, max_chars))


def segment_paragraph(
    text: str,
    max_chars: int,
    speak: Speak = lambda s: s,
    final_pause: Pause = Pause.PARAGRAPH,
) -> tuple[Segment, ...]:
    """Segments of one paragraph; the last one carries final_pause."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    words = text.split()
    if not words:
        return ()
    word_speak = lru_cache(maxsize=None)(speak)
    sizes = [len(word_speak(w)) for w in words]

    chunks: list[tuple[list[str], str, Pause]] = []
    start = 0
    for end in _plan(words, sizes, max_chars):
        pause = _boundary(words, end - 1)[0] if end < len(words) else final_pause
        pieces = _bisect(words[start:end], sizes[start:end], speak, max_chars)
        for k, (piece, spoken) in enumerate(pieces):
            inner = _boundary(piece + [pieces[k + 1][0][0]], len(piece) - 1)[0] \
                if k + 1 < len(pieces) else pause
            chunks.append((piece, spoken, inner))
        start = end

    segments: list[Segment] = []
    for piece, spoken, pause in chunks:
        written = " ".join(piece)
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
    last = segments[-1]
    segments[-1] = Segment(last.text, final_pause, last.source)
    return tuple(segments)


def split_sentences(text: str) -> list[str]:
    """A segment's sentences (at . ! ? … before a space), for timing cues."""
    out: list[str] = []
    current: list[str] = []
    for word in text.split():
        current.append(word)
        if _SENTENCE_END.search(word):
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out
