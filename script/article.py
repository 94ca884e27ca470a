"""An article as read: its title and parts, and the clean-up every text gets
(from a file, a page or a URL) before anything else looks at it."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .chars import INVISIBLE, OTHER_SPACES, without_unsafe
from .structure import BODY, BYLINE, CAPTION, DROPPED, LEAD, Part

_INVISIBLE = dict.fromkeys(map(ord, INVISIBLE), None)
_SPACES = re.compile(f"[ {OTHER_SPACES}]+")
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[@-_]")  # terminal colour codes
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_LINE_SEPARATORS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")


@dataclass(frozen=True)
class Article:
    """An article's title and, in order, its parts (dropped lines included)."""

    title: str
    parts: tuple[Part, ...]
    meta: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()  # for the producer: e.g. a legacy encoding converted

    def texts(self, kind: str) -> tuple[str, ...]:
        return tuple(p.text for p in self.parts if p.kind == kind)

    @property
    def lead(self) -> str:
        return self.texts(LEAD)[0]

    @property
    def body(self) -> tuple[str, ...]:
        return self.texts(BODY)

    @property
    def captions(self) -> tuple[str, ...]:
        return self.texts(CAPTION)

    @property
    def byline(self) -> str | None:
        found = self.texts(BYLINE)
        return found[0] if found else None

    @property
    def dropped(self) -> tuple[Part, ...]:
        return tuple(p for p in self.parts if p.kind == DROPPED)


def clean_text(text: str) -> str:
    """NFC, one kind of line ending, no invisible, control or bidi characters,
    single spaces."""
    text = unicodedata.normalize("NFC", _LINE_SEPARATORS.sub("\n", text))
    text = _CONTROL.sub(" ", _ANSI.sub("", text.translate(_INVISIBLE)))
    text = without_unsafe(text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
