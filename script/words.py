"""Where Vietnamese words end: a space is not a word boundary.

Vietnamese writes a space between the syllables of one word ("nhà đầu tư"),
so segmentation asks a word segmenter which spaces are inside a word. The
segmenter is underthesea's CRF model (Apache-2.0, trained on the VLSP 2013
word-segmentation corpus), run through underthesea_core directly: its model
ships in the wheel (no download at run time), loading it takes ~0.1 s, and
importing underthesea's own package (0.3 s more, for parts we do not use) is
skipped. pyvi was compared and not chosen: see README ("Reading rules").

`WordBreaks` is the interface: given a paragraph's whitespace tokens, for each
space between two tokens, how surely it is inside a word: 1 when the
segmenter puts the two syllables in one word, 0.5 when it does not but the
two make a word of its dictionary ("so với", "vượt quá": a cut there is
avoided, not forbidden), else 0. Anything with that signature can be passed
to segmentation instead (the tests pass a small fake one).
"""
from __future__ import annotations

import pickle
import re
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Callable, Sequence

from .errors import ScriptError

WordBreaks = Callable[[Sequence[str]], list[float]]
INSIDE, MAYBE = 1.0, 0.5

_MODEL = ("pipeline", "word_tokenize", "models", "ws_crf_vlsp2013_20230727")
# A token's letters, and the punctuation around them, as separate CRF tokens
# (the model was trained on text with punctuation split off).
_PIECES = re.compile(r"^([^\w]*)(.*?)([^\w]*)$", re.DOTALL)


class SegmenterUnavailable(ScriptError):
    """The word segmenter's package or model files are missing."""


def _model_dir() -> Path:
    spec = find_spec("underthesea")
    if spec is None or spec.origin is None:
        raise SegmenterUnavailable("the word segmenter needs underthesea: pip install underthesea")
    return Path(spec.origin).parent.joinpath(*_MODEL)


def _load(path: Path):
    try:
        with path.open("rb") as f:
            return pickle.load(f)  # the wheel's own files, written by joblib.dump
    except (OSError, pickle.UnpicklingError, EOFError) as e:
        raise SegmenterUnavailable(
            f"the word segmenter's model cannot be read ({path.name}: {e}); "
            f"reinstall underthesea") from None


@lru_cache(maxsize=1)
def _model_dictionary() -> set[str]:
    return _load(_model_dir() / "dictionary.bin")


@lru_cache(maxsize=1)
def reference_dictionary() -> frozenset[str] | set[str]:
    """The model's word list (lowercase, syllables joined by spaces). The
    model's own set when it is all lowercase already, as it is (building a
    second set of its 72,000 words took 30 ms of every script); not changed."""
    words = _model_dictionary()
    joined = "\n".join(words)
    if joined == joined.lower():
        return words
    return frozenset(map(str.lower, words))


class CrfWordBreaks:
    """underthesea's CRF word segmenter as a `WordBreaks`."""

    def __init__(self) -> None:
        try:
            from underthesea_core import CRFFeaturizer, CRFTagger
        except ImportError:
            raise SegmenterUnavailable("the word segmenter needs underthesea_core: "
                                       "pip install underthesea") from None
        base = _model_dir()
        if not (base / "models.bin").is_file():
            raise SegmenterUnavailable(f"the word segmenter's model is missing ({base}); "
                                       "reinstall underthesea")
        self._tagger = CRFTagger()
        self._tagger.load(str(base / "models.bin"))
        self._featurizer = CRFFeaturizer(_load(base / "features.bin"), _model_dictionary())

    def __call__(self, tokens: Sequence[str]) -> list[float]:
        crf: list[str] = []
        first: list[int] = []  # each whitespace token's first CRF token, or -1
        last: list[int] = []   # ... its last CRF token when that is a word, else -1
        pieces = [_PIECES.match(t).groups() for t in tokens]
        for lead, core, trail in pieces:
            crf.extend(lead)
            first.append(len(crf) if core and not lead else -1)
            if core:
                crf.append(core)
            last.append(len(crf) - 1 if core and not trail else -1)
            crf.extend(trail)
        if not crf:
            return [0.0] * max(len(tokens) - 1, 0)
        tags = self._tagger.tag(self._featurizer.process([[[t] for t in crf]])[0])
        maybe = _dictionary_breaks(pieces)
        return [INSIDE if last[i] >= 0 and first[i + 1] >= 0 and tags[first[i + 1]] == "I-W"
                else maybe[i] for i in range(len(tokens) - 1)]


@lru_cache(maxsize=1)
def default_word_breaks() -> WordBreaks:
    """The segmenter, loaded once per process."""
    return CrfWordBreaks()


def dictionary_word_breaks(tokens: Sequence[str]) -> list[float]:
    """A `WordBreaks` from the dictionary alone: two neighbouring syllables
    (no punctuation between) that form a listed word are MAYBE in one word."""
    return _dictionary_breaks([_PIECES.match(t).groups() for t in tokens])


def _dictionary_breaks(pieces: list[tuple[str, str, str]]) -> list[float]:
    words = reference_dictionary()
    return [MAYBE if not a[2] and not b[0] and f"{a[1].lower()} {b[1].lower()}" in words else 0.0
            for a, b in zip(pieces, pieces[1:])]
