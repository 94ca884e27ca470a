"""The narration script: the data that flows from the text side to the sound side.

Everything here is a frozen dataclass so that a script can be compared, hashed
and serialized without surprises.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field, fields, replace


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

    def ms(self, pause: Pause) -> int:
        return getattr(self, pause.value)

    def with_seconds(self, **seconds: float | None) -> "Pacing":
        """A copy with some pauses given in seconds (None keeps the default)."""
        changes = {k: round(v * 1000) for k, v in seconds.items() if v is not None}
        for name, value in changes.items():
            if name not in {f.name for f in fields(self)}:
                raise ValueError(f"unknown pause kind: {name}")
            if value < 0:
                raise ValueError(f"pause {name} must not be negative")
        return replace(self, **changes)


@dataclass(frozen=True)
class Segment:
    """One piece of speech: what is said, the pause after it, what was written."""

    text: str
    pause_after: Pause
    source: str = ""


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


@dataclass(frozen=True)
class Script:
    title: str
    sections: tuple[Section, ...]
    language: str = "vi"
    meta: tuple[tuple[str, str], ...] = field(default=())

    @property
    def segments(self) -> tuple[Segment, ...]:
        return tuple(s for sec in self.sections for s in sec.segments)
