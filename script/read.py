"""Read an article: bytes -> clean Unicode text -> title, lead, body paragraphs."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .errors import ArticleError

# Invisible or look-alike characters that web copies are full of.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_BLANK_LINES = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Article:
    title: str
    lead: str
    body: tuple[str, ...]


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
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _CONTROL.sub(" ", text.translate(_INVISIBLE))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def parse_article(text: str) -> Article:
    """Title = first line, lead = the next paragraph, body = the rest.

    Paragraphs are separated by blank lines; line breaks inside a paragraph
    are hard wraps and become spaces.
    """
    text = clean_text(text).strip()
    if not text:
        raise ArticleError("the article is empty")
    title, _, rest = text.partition("\n")
    paragraphs = [" ".join(p.split()) for p in _BLANK_LINES.split(rest)]
    paragraphs = [p for p in paragraphs if p]
    if not paragraphs:
        raise ArticleError("the article has a title but no text")
    return Article(title=title.strip(), lead=paragraphs[0], body=tuple(paragraphs[1:]))


def read_article(path: str | Path) -> Article:
    return parse_article(read_text(path))
