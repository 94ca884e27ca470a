"""Read an article: bytes -> clean Unicode text -> title and parts."""
from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from .article import Article, clean_text
from .bounded import read_bounded
from .decode import _BOMS, _cut_in_a_character, decode_bytes
from .documents import DOCX, PDF, docx_text, document_kind, pdf_text
from .errors import ArticleError
from .html import parse_html
from .model import Script
from .scriptfile import is_narration_script, parse_script
from .structure import BYLINE, classify

if TYPE_CHECKING:
    from .fetch import Page

MAX_ARTICLE_BYTES = 4 * 1024 * 1024  # a long book is ~1 MB of text; more is a mistake


def read_bytes(path: str | Path) -> bytes:
    return read_bounded(path, MAX_ARTICLE_BYTES, "the article", ArticleError)


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


def read_source(source: str | Path, encoding: str | None = None,
                allow_private: bool = False) -> Article | Script:
    """What `build` was given: an article (text, HTML, URL), or a narration
    script (from `audio-edition script`, maybe edited), which is parsed,
    not read aloud as an article, syntax and all."""
    source = str(source)
    if not is_url(source) and not source.lower().endswith(HTML_SUFFIXES):
        data = read_bytes(source)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        if text is not None and is_narration_script(text):
            return parse_script(text)
        return _file_article(source, data, encoding)
    return read_article(source, encoding, allow_private)


def fetch_article(url: str, allow_private: bool = False, etag: str | None = None,
                  last_modified: str | None = None,
                  named: bool = True) -> tuple[Article | None, Page]:
    """The article at `url` and the page it came from, asked conditionally
    (`etag`, `last_modified`): (None, page) when the server says the copy
    asked about is current (304). `named=False`: a URL a third party gave (a
    feed's entry), refused when private unless `allow_private`."""
    from .fetch import fetch  # (requests, sockets: only for a URL)

    page = fetch(url, allow_private=allow_private, etag=etag, last_modified=last_modified,
                 named=named)
    if page.unchanged:
        return None, page
    return parse_html(_html_text(page.data, url, page.charset), url=page.url, name=url), page


def fetch_listing(url: str, allow_private: bool = False) -> bytes:
    """A feed's or a sitemap's bytes, from its URL."""
    from .fetch import LISTING_TYPES, fetch

    return fetch(url, allow_private=allow_private, types=LISTING_TYPES).data


def read_article(source: str | Path, encoding: str | None = None,
                 allow_private: bool = False) -> Article:
    """An article from a text file, an HTML file or an http(s) URL (a
    redirect from a public address to a private one is refused unless
    `allow_private`)."""
    source = str(source)
    if is_url(source):
        from .fetch import fetch

        page = fetch(source, allow_private=allow_private)
        return parse_html(_html_text(page.data, source, page.charset), url=page.url, name=source)
    return _file_article(source, read_bytes(source), encoding)


def _file_article(source: str, data: bytes, encoding: str | None) -> Article:
    """An article from a file's bytes: a document, a page or text."""
    try:
        kind = document_kind(data)
        text = docx_text(data) if kind == DOCX else pdf_text(data) if kind == PDF else None
    except ArticleError as e:
        raise ArticleError(f"cannot read {source}: {e}") from None
    if kind == DOCX:
        return parse_article(text)
    if kind == PDF:
        article = parse_article(text)
        return replace(article, warnings=(
            f"{source} is a PDF: its text layer was read (a print layout may run columns "
            f"together or split words at line ends: check the script)",))
    if source.lower().endswith(HTML_SUFFIXES) or _LOOKS_HTML.match(data[:512]):
        decoded = decode_bytes(data, encoding, name=source) if encoding else None
        html = decoded.text if decoded else _html_text(data, source)
        return parse_html(html, name=source)
    decoded = decode_bytes(data, encoding, name=source)
    article = parse_article(decoded.text)
    return replace(article, warnings=(decoded.warning,)) if decoded.warning else article


_UTF8 = ("utf-8", "utf8")
_SERVER_DEFAULTS = ("iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "us-ascii",
                    "ascii")


def _html_text(data: bytes, name: str, charset: str | None = None) -> str:
    """A page's text: its declared charset, else UTF-8, else Windows-1252.
    A server's charset header loses to bytes that are valid UTF-8 and a
    <meta charset> that says so (servers default to ISO-8859-1; the page
    knows what it is)."""
    for bom, codec in _BOMS:  # a BOM says it all (UTF-32's before UTF-16's)
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                break
    m = re.search(rb"""<meta[^>]+charset=["']?([\w-]+)""", data[:4096], re.IGNORECASE)
    meta = m.group(1).decode("ascii") if m else None
    said = [c.lower().replace("_", "-") for c in (charset, meta) if c]
    # UTF-8 first when the page says so, says nothing, or says only what
    # servers say by default (ISO-8859-1 and its kin): bytes that decode as
    # UTF-8 with accented letters in them are UTF-8
    if not said or any(c in _UTF8 + _SERVER_DEFAULTS for c in said):
        try:
            text = data.decode("utf-8")
            if any(c in _UTF8 for c in said) or not text.isascii() or not said:
                return text
        except UnicodeDecodeError as e:
            if _cut_in_a_character(data, e):
                return data[:e.start].decode("utf-8")  # cut inside its last character
            if any(c in _UTF8 for c in said):
                # it says UTF-8 and is not: read as a text file is (damaged UTF-8 is
                # an error naming the byte; Windows-1258 and the font encodings are
                # recognized), not as Latin-1 mojibake
                return decode_bytes(data, name=name).text
    declared = [charset] if charset else []
    declared += [meta] if meta else []
    for codec in declared + ["utf-8", "cp1252"]:
        try:
            return data.decode(codec)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("latin-1")
