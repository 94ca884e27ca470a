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


MAX_ARTICLE_BYTES = 4 * 1024 * 1024  # a long book is ~1 MB of text; more is a mistake


def read_bytes(path: str | Path) -> bytes:
    p = Path(path)
    if not p.exists():
        raise ArticleError(f"no such file: {p}")
    if not p.is_file():
        raise ArticleError(f"not a file: {p}")
    try:
        size = p.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise ArticleError(f"{p} is {size / 2**20:.0f} MB: too large for an article "
                               f"(the limit is {MAX_ARTICLE_BYTES >> 20} MB)")
        return p.read_bytes()
    except OSError as e:
        raise ArticleError(f"cannot read {p}: {e.strerror}") from e


def clean_text(text: str) -> str:
    """NFC, one kind of line ending, no invisible characters, single spaces."""
    text = unicodedata.normalize("NFC", _LINE_SEPARATORS.sub("\n", text))
    text = _CONTROL.sub(" ", _ANSI.sub("", text.translate(_INVISIBLE)))
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


HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_LOOKS_HTML = re.compile(rb"^\s*(<!doctype html|<html|<head|<body)", re.IGNORECASE)


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def read_article(source: str | Path, encoding: str | None = None) -> Article:
    """An article from a text file, an HTML file or an http(s) URL."""
    from dataclasses import replace

    from .decode import decode_bytes
    from .html import parse_html

    source = str(source)
    if is_url(source):
        from .fetch import fetch

        page = fetch(source)
        return parse_html(_html_text(page.data, source, page.charset), url=page.url, name=source)
    data = read_bytes(source)
    if source.lower().endswith(HTML_SUFFIXES) or _LOOKS_HTML.match(data[:512]):
        decoded = decode_bytes(data, encoding, name=source) if encoding else None
        html = decoded.text if decoded else _html_text(data, source)
        return parse_html(html, name=source)
    decoded = decode_bytes(data, encoding, name=source)
    article = parse_article(decoded.text)
    return replace(article, warnings=(decoded.warning,)) if decoded.warning else article


def _html_text(data: bytes, name: str, charset: str | None = None) -> str:
    """A page's text: its declared charset, else UTF-8, else Windows-1252."""
    m = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", data[:4096], re.IGNORECASE)
    declared = [charset] if charset else []
    declared += [m.group(1).decode("ascii")] if m else []
    for codec in declared + ["utf-8", "cp1252"]:
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")
