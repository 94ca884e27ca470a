"""The narration script: the data that flows from the text side to the sound side.

Everything here is a frozen dataclass so that a script can be compared, hashed
and serialized without surprises.
"""
from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, fields, replace

from .chars import unsafe_in


class Pause(str, enum.Enum):
    """The kind of pause that follows a segment, from shortest to longest."""

    WORD = "word"  # a segment had to be cut between two words of one phrase
    PHRASE = "phrase"  # after a clause: , ; :
    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"
    SECTION = "section"  # after the lead, before the byline
    TITLE = "title"
    END = "end"  # the last segment of the edition


@dataclass(frozen=True)
class Pacing:
    """Milliseconds of silence for each kind of pause."""

    word: int = 80
    phrase: int = 250
    sentence: int = 500
    paragraph: int = 900
    section: int = 1200
    title: int = 1500
    end: int = 0

    def ms(self, pause: Pause | str) -> int:
        return getattr(self, Pause(pause).value)

    def with_seconds(self, **seconds: float | None) -> "Pacing":
        """A copy with some pauses given in seconds (None keeps the default)."""
        changes = {k: round(v * 1000) for k, v in seconds.items() if v is not None}
        for name, value in changes.items():
            if name not in {f.name for f in fields(self)}:
                raise ValueError(f"unknown pause kind: {name}")
            if value < 0:
                raise ValueError(f"pause {name} must not be negative")
        return replace(self, **changes)


_RULE_NAME = re.compile(r"^[^:\s]+$")
_META_KEY = re.compile(r"^[a-z][a-z0-9_-]*$")


def _check_line(what: str, value: str, allow_empty: bool = True) -> None:
    """Texts in a script are single lines with no surrounding whitespace, so
    that the narration script's plain-text form holds them exactly, and hold
    no control or bidi character, so that every text made from them (tags,
    page, JSON, feed) is well-formed."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be a string")
    if value != value.strip() or any(c in value for c in "\n\r"):
        raise ValueError(f"{what} must be one line without surrounding spaces: {value!r}")
    bad = unsafe_in(value)
    if bad is not None:
        raise ValueError(f"{what} holds a control or bidi character (U+{ord(bad):04X}): "
                         f"{value!r}")
    if not allow_empty and not value:
        raise ValueError(f"{what} must not be empty")


@dataclass(frozen=True)
class Segment:
    """One piece of speech: what is said, the pause after it, what was written."""

    text: str
    pause_after: Pause
    source: str = ""

    def __post_init__(self) -> None:
        _check_line("a segment's text", self.text, allow_empty=False)
        _check_line("a segment's source", self.source)
        object.__setattr__(self, "pause_after", Pause(self.pause_after))


@dataclass(frozen=True)
class Note:
    """A line of the article that is not read, the rule that left it out, and
    where it was: before segment number `at` (0-based; == the number of
    segments when it came after the last one)."""

    rule: str
    text: str
    at: int

    def __post_init__(self) -> None:
        if not _RULE_NAME.match(self.rule):
            raise ValueError(f"a note's rule must be a name without spaces or ':': {self.rule!r}")
        _check_line("a note's text", self.text)


class SectionKind(str, enum.Enum):
    TITLE = "title"
    LEAD = "lead"
    BODY = "body"
    CAPTION = "caption"
    BYLINE = "byline"


@dataclass(frozen=True)
class Section:
    kind: SectionKind
    segments: tuple[Segment, ...]
    title: str = ""  # its chapter's name, when not the kind's ("" for an article's)

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", SectionKind(self.kind))
        object.__setattr__(self, "segments", tuple(self.segments))
        _check_line("a section's title", self.title)


@dataclass(frozen=True)
class Script:
    title: str
    sections: tuple[Section, ...]
    language: str = "vi"
    meta: tuple[tuple[str, str], ...] = field(default=())
    notes: tuple[Note, ...] = field(default=())

    def __post_init__(self) -> None:
        _check_line("the title", self.title)
        _check_line("the language", self.language, allow_empty=False)
        for key, value in self.meta:
            if not _META_KEY.match(key) or key in ("title", "language"):
                raise ValueError(f"bad metadata key {key!r}")
            _check_line(f"metadata {key}", value)
        object.__setattr__(self, "sections", tuple(self.sections))
        object.__setattr__(self, "meta", tuple(tuple(kv) for kv in self.meta))
        object.__setattr__(self, "notes", tuple(self.notes))

    def meta_value(self, key: str) -> str | None:
        return dict(self.meta).get(key)

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(s for sec in self.sections for s in sec.segments)
