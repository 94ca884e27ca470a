"""Split a paragraph into speakable segments no longer than an engine's limit.

Segments are chosen over the paragraph's spaces by dynamic programming. Every
space has a cost by what it is: the end of a sentence costs nothing, a clause
boundary (, ; : or a spaced dash) little; a cut with no punctuation costs more
than an extra segment, so it is only made where a clause is too long for one
segment, and then preferably before a word that opens a phrase ("của", "và",
"để", "sau khi" ...). Some spaces are never cut (at a prohibitive cost that
only a single over-long run of them could force): a space inside a word
("nhà đầu | tư" — Vietnamese writes a space between the syllables of one
word; a word segmenter tells which, see words.py), between a number and its
unit or scale ("45 | km", "500 | tỷ đồng"), inside an "A - B" pair of names,
inside a short parenthesis. A space between two capitalized words (a name)
is cut only if nothing else fits. Every segment also costs one request, and
a very short segment a little more.

A cut at a sentence end gets the sentence pause, at a clause boundary the
phrase pause, and a forced cut with no punctuation only the short word pause.
An initial ("Nguyễn Văn A."), an abbreviation's dot ("TS.", "Q.") and a list
number ("2.") do not end a sentence.

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
from typing import Callable, Sequence

from .model import Pause, Segment
from .normalizer import data
from .words import INSIDE, MAYBE, WordBreaks, default_word_breaks

Speak = Callable[[str], str]

# Words that open a phrase: a forced cut before one of them sounds like a
# breath, a cut elsewhere like a stumble.
PHRASE_OPENERS = frozenset(
    "và hoặc hay nhưng mà thì là để của cho với trong khi nếu vì bởi do nên "
    "từ tại theo về như đến sau trước giữa trên dưới cùng nhằm những các được bị "
    "rằng tuy song vẫn đã đang sẽ cũng"
    .split()
)
TWO_WORD_OPENERS = frozenset((
    "sau khi", "trước khi", "trong khi", "bởi vì", "vì vậy", "do đó", "tuy nhiên",
    "đồng thời", "cũng như", "theo đó", "trong đó", "bên cạnh", "thay vì", "kể từ",
    "cho đến", "cho tới", "dù vậy", "ngoài ra", "bao gồm", "cụ thể",
))

SEGMENT_COST = 4  # one more request
SENTENCE_COST, CLAUSE_COST = 0, 1
# A cut with no punctuation costs more than an extra segment at a clause
# boundary: it is made only where a clause does not fit in one segment.
OPENER_COST, WORD_COST = 7, 20
BEFORE_NUMBER_COST = 4
AFTER_NUMBER_COST = 8  # "12 | tỉnh": the number belongs to what it counts
DANGLING_COST = 4  # "… hoặc | tổng đài": a clip should not end on a conjunction
NAME_COST = 40  # between two capitalized words: "Trần Lưu | Quang"
MAYBE_WORD_COST = 20  # two syllables that may be one word: "so | với", "vượt | quá"
LOWER_DASH_COST = 40  # at the dash of "kinh tế - xã hội"
NEVER = 1000  # inside a word, a number and its unit, an "A - B" pair, a short parenthesis
SHORT_SEGMENT, SHORT_COST = 20, 2  # a few words alone between two cuts
SHORT_GROUP = 8  # words: a parenthesis or a quotation this short is never cut

_SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*$")
_CLAUSE_END = re.compile(r"[,;:][\"”’')\]]*$")
_DASH = re.compile(r"^[-–—]+$")
_INITIALS = re.compile(r"^[(\"“‘]?(?:[A-ZĐ]\.)+$")  # A.  L.T.H.
_LIST_NUMBER = re.compile(r"^(?:\d{1,2}|[a-zđ]|[IVX]{1,4})[.)]$")  # 2.  b)  IV.
# Abbreviations written with a dot before a name or a number ("TS. Lê",
# "Q. 3"): that dot does not end a sentence when a capital or a digit follows.
_DOT_ABBREVIATIONS = frozenset(
    [k.lower() for k in data.ABBREVIATIONS if k.endswith(".") and k.count(".") == 1]
    + "tp. q. p. tx. tt. h. x. ts. ths. gs. pgs. bs. ks. ls. kts. nsnd. nsưt. st. mr. mrs. "
      "ms. dr. đ/c. kp. tdp. gđ. pgđ.".split())
_TRAILING = re.compile(r"[\W_]+$")
_UNIT_WORDS = frozenset(
    [u.lower() for u in (*data.UNITS, *data.CURRENCY_AFTER, *data.PER_UNITS)]
    + "% nghìn ngàn triệu tỷ tỉ đồng tấn tạ yến lít mét ki lô độ phần km² m² m³ "
      "usd vnđ vnd euro yên bảng lượng chỉ cây ounce thùng gói viên liều mũi héc ta "
      "tuổi giờ phút giây ngày tuần tháng năm lần lượt ca người hộ xe chiếc".split())


_PLAIN_WORD = re.compile(r"^[(\"“‘]?([^\W\d_]+)[,;:!?….\"”’)]*$")


def _plain(word: str) -> bool:
    """A lowercase word with at most punctuation around it: said as written."""
    m = _PLAIN_WORD.match(word)
    return m is not None and m.group(1).islower()


# Words whose number is read with them ("tháng 9/2025" -> tháng chín năm …,
# "thứ 4" -> thứ tư): a cut between them would change the reading.
_NUMBER_CUES = frozenset(
    "tháng ngày năm quý số lúc thứ lần phút giờ điều khoản khóa khoá hạng vùng bậc cấp "
    "mùng mồng sáng trưa chiều tối đêm hôm đề án nghị định quyết định thông tư".split())


def _bare(word: str) -> str:
    return _TRAILING.sub("", word).lower()


def ends_with_stop(text: str) -> bool:
    """Whether text ends with . ! ? or … (closing quotes or brackets after it allowed)."""
    return _SENTENCE_END.search(text) is not None


def ends_sentence(words: Sequence[str], i: int) -> bool:
    """Whether words[i] ends a sentence (not an initial, an abbreviation's dot
    or a list number)."""
    word = words[i]
    if not ends_with_stop(word):
        return False
    if not word.rstrip("\"”’')]").endswith("."):
        return True  # ! ? …
    following = words[i + 1] if i + 1 < len(words) else ""
    if i == 0 and _LIST_NUMBER.match(word):
        return False
    if word.lower() in _DOT_ABBREVIATIONS and (following[:1].isupper() or following[:1].isdigit()):
        return False
    if _INITIALS.match(word) and not following[:1].isupper():
        return False
    return True


def _opens_phrase(words: Sequence[str], j: int) -> bool:
    first = words[j].lower()
    return first in PHRASE_OPENERS or (
        j + 1 < len(words) and f"{first} {words[j + 1].lower()}" in TWO_WORD_OPENERS)


def _is_number_then_unit(word: str, following: str) -> bool:
    unit = _bare(following.split("/", 1)[0])
    number_end = word[-1:].isdigit() or _bare(word) in ("nghìn", "ngàn", "triệu", "tỷ", "tỉ")
    return number_end and (unit in _UNIT_WORDS or following[:1] in "%°")


def _capitalized(word: str) -> bool:
    return word[:1].isupper()


def _protected(words: Sequence[str]) -> set[int]:
    """Boundaries (after words[i]) that are never cut: inside a short
    parenthesis or quotation."""
    out: set[int] = set()
    opened: int | None = None
    for i, word in enumerate(words):
        if word[:1] in "(“\"" and opened is None and not word.endswith((")", "”")) \
                and not (word[:1] == '"' and word.count('"') > 1):
            opened = i
        elif opened is not None and re.search(r"[)”\"][\W]*$", word):
            if i - opened < SHORT_GROUP:
                out.update(range(opened, i))
            opened = None
    return out


def _dash_pair(words: Sequence[str], i: int) -> str | None:
    """Whether the space at i is next to the dash of a pair rather than a
    clause break: "names" for "Hà Nội - Lào Cai" (never cut), "words" for
    "kinh tế - xã hội" (cut only if nothing else fits), else None."""
    d = i + 1 if _DASH.match(words[i + 1]) else i if _DASH.match(words[i]) else -1
    if not 0 < d < len(words) - 1:
        return None
    before, after = words[d - 1], words[d + 1]
    if _capitalized(before) and _capitalized(after) and not _CLAUSE_END.search(before) \
            and not _SENTENCE_END.search(before):
        return "names"
    if before[:1].islower() and after[:1].islower() and not re.search(r"\W$", before):
        return "words"
    return None  # "…, - ông nói": a clause break


def _cuts(words: Sequence[str], joins: Sequence[float] | None) -> list[tuple[Pause, int]]:
    """The pause and the cost of cutting after each word but the last."""
    protected = _protected(words)
    out = []
    for i in range(len(words) - 1):
        word, following = words[i], words[i + 1]
        if ends_sentence(words, i):
            kind, cost = Pause.SENTENCE, SENTENCE_COST
        elif (_CLAUSE_END.search(word) or _DASH.match(word) or _DASH.match(following)) \
                and not (i == 0 and _LIST_NUMBER.match(word)):
            kind, cost = Pause.PHRASE, CLAUSE_COST
            pair = _dash_pair(words, i)
            if pair == "names":
                cost = NEVER
            elif pair == "words":
                cost = LOWER_DASH_COST
        else:
            kind = Pause.WORD
            opener = _opens_phrase(words, i + 1)
            cost = OPENER_COST if opener else WORD_COST
            if joins is not None and joins[i] >= INSIDE:
                cost = NEVER
            elif joins is not None and joins[i] >= MAYBE:
                cost += MAYBE_WORD_COST
            elif _is_number_then_unit(word, following):
                cost = NEVER
            elif word[-1:].isdigit() and following[:1].islower() and not opener:
                cost += AFTER_NUMBER_COST
            if word.lower() in PHRASE_OPENERS:
                cost += DANGLING_COST
            if _capitalized(word) and _capitalized(following):
                cost = max(cost, NAME_COST)
            if word.lower() in _DOT_ABBREVIATIONS or (i == 0 and _LIST_NUMBER.match(word)):
                cost = NEVER  # "TS. | Lê", "2. | Tăng cường"
        if following[:1].isdigit():
            cost += BEFORE_NUMBER_COST
            if word.lower() in _NUMBER_CUES:
                cost = NEVER  # "tháng | 9/2025": the cue and the number are read together
        if i in protected:
            cost = NEVER
        out.append((kind, cost))
    return out


def _plan(sizes: list[int], cuts: list[tuple[Pause, int]], max_chars: int) -> list[int]:
    """End indices (exclusive) of the cheapest segmentation."""
    n = len(sizes)
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


def _bisect(start: int, end: int, words: list[str], sizes: list[int],
            cuts: list[tuple[Pause, int]], speak: Speak,
            max_chars: int) -> list[tuple[int, int, str]]:
    """Split words[start:end] while its spoken form is too long, near the
    middle of the spoken length, preferring the cheapest boundary. Returns
    (start, end, spoken) pieces, so that nothing is spoken twice."""
    spoken = speak(" ".join(words[start:end]))
    if end - start < 2 or len(spoken) <= max_chars:
        return [(start, end, spoken)]
    total = sum(size + 1 for size in sizes[start:end])
    best, best_score, pos = start + 1, float("inf"), 0
    for i in range(start + 1, end):
        pos += sizes[i - 1] + 1
        score = abs(pos / total - 0.5) + cuts[i - 1][1] / 40
        if score < best_score:
            best, best_score = i, score
    return (_bisect(start, best, words, sizes, cuts, speak, max_chars)
            + _bisect(best, end, words, sizes, cuts, speak, max_chars))


def _pieces(words: list[str], sizes: list[int], cuts: list[tuple[Pause, int]],
            speak: Speak, max_chars: int) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    start = 0
    for end in _plan(sizes, cuts, max_chars):
        out.extend(_bisect(start, end, words, sizes, cuts, speak, max_chars))
        start = end
    return out


def segment_paragraph(
    text: str,
    max_chars: int,
    speak: Speak = lambda s: s,
    final_pause: Pause = Pause.PARAGRAPH,
    word_breaks: WordBreaks | None = None,
) -> tuple[Segment, ...]:
    """Segments of one paragraph; the last one carries final_pause.

    `word_breaks` tells which spaces are inside a word (default: the word
    segmenter of words.py, loaded on first need: only a paragraph that must
    be cut where there is no punctuation needs it)."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    words = text.split()
    if not words:
        return ()
    if len(words) > WINDOW_WORDS:  # a whole book in one paragraph: a window at a time
        return _by_windows(words, max_chars, speak, final_pause, word_breaks)
    speak = lru_cache(maxsize=None)(speak)
    # Sizes are estimates for the search (each chosen segment is spoken and
    # checked whole): a plain lowercase word is said as written.
    sizes = [len(w) if _plain(w) else len(speak(w)) for w in words]

    cuts = _cuts(words, None)
    pieces = _pieces(words, sizes, cuts, speak, max_chars)
    if any(cuts[end - 1][0] == Pause.WORD for _, end, _ in pieces[:-1]):
        joins = (word_breaks or default_word_breaks())(words)
        cuts = _cuts(words, joins)
        pieces = _pieces(words, sizes, cuts, speak, max_chars)

    segments: list[Segment] = []
    for start, end, spoken in pieces:
        pause = cuts[end - 1][0] if end < len(words) else final_pause
        written = " ".join(words[start:end])
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


# A paragraph longer than this is cut into windows first, each at its best
# boundary near the window's end, so that the planner and the word segmenter
# work on a window at a time: memory stays flat however long the paragraph
# (540 KB without punctuation took 774 MB in one piece).
WINDOW_WORDS = 1500


def _by_windows(words: list[str], max_chars: int, speak: Speak, final_pause: Pause,
                word_breaks: WordBreaks | None) -> tuple[Segment, ...]:
    cuts = _cuts(words, None)
    segments: list[Segment] = []
    start = 0
    while start < len(words):
        end = len(words)
        if end - start > WINDOW_WORDS:
            # the cheapest boundary in the window's last quarter
            low = start + WINDOW_WORDS * 3 // 4
            end = min(range(low, start + WINDOW_WORDS), key=lambda i: cuts[i - 1][1])
        pause = cuts[end - 1][0] if end < len(words) else final_pause
        segments.extend(segment_paragraph(" ".join(words[start:end]), max_chars, speak, pause,
                                          word_breaks))
        start = end
    return tuple(segments)


def split_sentences(text: str) -> list[str]:
    """A segment's sentences (at . ! ? … before a space, not after an
    initial, an abbreviation's dot or a list number), for timing cues."""
    words = text.split()
    out: list[str] = []
    current: list[str] = []
    for i, word in enumerate(words):
        current.append(word)
        if ends_sentence(words, i):
            out.append(" ".join(current))
            current = []
    if current:
        out.append(" ".join(current))
    return out
