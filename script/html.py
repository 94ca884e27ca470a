"""Articles from web pages: trafilatura finds the article in the page (and its
title, author, date and address); captions are taken from the page itself,
because trafilatura keeps an image but drops its <figcaption>."""
from __future__ import annotations

import re
import urllib.parse
import xml.etree.ElementTree as ET

from .errors import ArticleError
from .article import Article, clean_text
from .structure import (BODY, BYLINE, CAPTION, DROPPED, LEAD, Part, chrome_rule, drop_datelines,
                        fold, split_credit)

_SPACE = re.compile(r"\s+")


def _text(element) -> str:
    return _SPACE.sub(" ", "".join(element.itertext())).strip()


def _captions(html: str, url: str | None = None) -> dict[str, str]:
    """img src -> the caption of the figure that holds it; the src resolved
    against the page's `url` when there is one, as trafilatura resolves it
    (a page read from its URL would otherwise lose every caption whose image
    has a relative address)."""
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        return {}
    captions = {}
    for figure in tree.iter("figure"):
        caption = figure.find(".//figcaption")
        if caption is None:
            continue
        text = _SPACE.sub(" ", caption.text_content()).strip()
        for img in figure.iter("img"):
            for src in (img.get("src"), img.get("data-src")):
                if src and text:
                    captions[_absolute(src, url)] = text
    return captions


def _absolute(src: str, url: str | None) -> str:
    return urllib.parse.urljoin(url, src.strip()) if url else src.strip()


def parse_html(html: str, url: str | None = None, name: str = "the page") -> Article:
    import trafilatura

    meta = trafilatura.bare_extraction(html, url=url, with_metadata=True,
                                       include_comments=False)
    xml = trafilatura.extract(html, url=url, output_format="xml", include_images=True,
                              include_comments=False, include_tables=False)
    if not xml or meta is None:
        raise ArticleError(f"no article text found in {name}")
    root = ET.fromstring(xml)
    title = clean_text(getattr(meta, "title", None) or "").strip()
    captions = _captions(html, url)
    parts: list[Part] = []
    for element in root.iter():
        tag = element.tag
        if tag == "head":
            text = clean_text(_text(element)).strip()
            if not title:
                title = text
            elif text and fold(text) != fold(title):
                parts.append(Part(BODY, text))  # a crosshead
        elif tag in ("p", "item", "quote"):
            if any(child.tag in ("p", "item") for child in element):
                continue  # its children come on their own
            text = clean_text(_text(element)).strip()
            if text:
                rule = chrome_rule(text)
                parts.append(Part(DROPPED, text, rule) if rule else Part(BODY, text))
        elif tag == "graphic":
            caption = captions.get(_absolute(element.get("src", ""), url))
            if caption:
                text, credit = split_credit(clean_text(caption).strip())
                if text:
                    parts.append(Part(CAPTION, text))
                if credit:
                    parts.append(Part(DROPPED, credit, "photo-credit"))
    parts = drop_datelines(parts)
    body = [i for i, p in enumerate(parts) if p.kind == BODY]
    if not title or not body:
        raise ArticleError(f"no article text found in {name}")
    parts[body[0]] = Part(LEAD, parts[body[0]].text)
    author = clean_text(getattr(meta, "author", None) or "").strip()
    if author:
        parts.append(Part(BYLINE, author))
    fields = (("byline", author), ("date", getattr(meta, "date", None) or ""),
              ("source", getattr(meta, "url", None) or url or ""))
    return Article(title=title, parts=tuple(parts),
                   meta=tuple((k, " ".join(clean_text(str(v)).split())) for k, v in fields if v))
