"""Read an article: bytes -> clean Unicode text -> title and parts."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import ArticleError
from .structure import BODY, BYLINE, CAPTION, DROPPED, LEAD, Part, classify

# Invisible or look-alike characters that web copies are full of.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_SEPARATORS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")


@dataclass(frozen=True)
class Article:
    """An article's title and, in order, its parts (dropped lines included)."""

    title: str
    parts: tuple[Part, ...]
    meta: tuple[tuple[str, str], ...] = ()

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


def read_text(path: str | Path) -> str:
    """The article file as text (UTF-8, with or without a BOM)."""
    p = Path(path)
    if not p.exists():
        raise ArticleError(f"no such file: {p}")
    if not p.is_file():
        raise ArticleError(f"not a file: {p}")
    try:
        data = p.read_bytes()
    except OSError as e:
        raise ArticleError(f"cannot read {p}: {e.strerror}") from e
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ArticleError(
            f"{p} is not UTF-8 text (undecodable byte at offset {e.start})"
        ) from e


def clean_text(text: str) -> str:
    """NFC, one kind of line ending, no invisible characters, single spaces."""
    text = unicodedata.normalize("NFC", _LINE_SEPARATORS.sub("\n", text))
    text = _CONTROL.sub(" ", text.translate(_INVISIBLE))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def parse_article(text: str) -> Article:
    """Title = first line; then lead, body, captions and byline, with page
    chrome dropped by named rules (see structure.py)."""
    text = clean_text(text).strip()
    if not text:
        raise ArticleError("the article is empty")
    title, _, rest = text.partition("\n")
    byline = None
    parts = classify(title.strip(), rest.split("\n"))
    for p in parts:
        if p.kind == BYLINE:
            byline = p.text
    meta = (("byline", byline),) if byline else ()
    return Article(title=title.strip(), parts=parts, meta=meta)


def read_article(path: str | Path) -> Article:
    return parse_article(read_text(path))
