"""A site's list of articles: an RSS 2.0 or Atom feed, or a (news) sitemap.

Each entry gives the article's URL and, where the listing says, when it was
last changed: `sync` fetches no page whose listing date has not moved.
Parsed with ElementTree (expat refuses entity expansion bombs since 2.4.1).
"""
from __future__ import annotations

import datetime
import email.utils
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from .feed import http_url

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


class ListingError(ValueError):
    """Not a feed or a sitemap this tool can read."""


@dataclass(frozen=True)
class Entry:
    url: str
    title: str = ""
    changed: str | None = None  # ISO 8601, UTC, when the listing gives a date
    # whether `changed` is when the article last changed (Atom's <updated>, a
    # sitemap's <lastmod>), not only when it was published (RSS's pubDate,
    # which a CMS leaves alone when it edits the article)
    modified: bool = False


def _iso(value: str | None) -> str | None:
    """A listing's date (RFC 822 for RSS, ISO 8601 for Atom and sitemaps) as
    ISO 8601 in UTC, or None."""
    if not value or not value.strip():
        return None
    value = value.strip()
    try:
        when = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    try:
        return when.astimezone(datetime.timezone.utc).isoformat(timespec="seconds")
    except (OverflowError, ValueError):  # year 1 or 9999 at the edge of a timezone
        return None


def _text(element: ET.Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def parse_listing(data: bytes) -> list[Entry]:
    """The entries of an RSS, Atom or sitemap document, in its order; only
    http(s) URLs, each once."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise ListingError(f"not XML ({e})") from None
    entries: list[Entry] = []
    if root.tag == "rss":
        for item in root.iter("item"):
            link = _text(item.find("link")) or _text(item.find("guid"))
            entries.append(Entry(link, _text(item.find("title")),
                                 _iso(_text(item.find("pubDate")))))  # published, not modified
    elif root.tag == f"{ATOM}feed":
        for entry in root.iter(f"{ATOM}entry"):
            links = entry.findall(f"{ATOM}link")
            href = next((a.get("href", "") for a in links
                         if a.get("rel", "alternate") == "alternate"), "")
            updated = _text(entry.find(f"{ATOM}updated"))
            changed = updated or _text(entry.find(f"{ATOM}published"))
            entries.append(Entry(href, _text(entry.find(f"{ATOM}title")), _iso(changed),
                                 bool(updated)))
    elif root.tag == f"{SITEMAP}urlset":
        for url in root.iter(f"{SITEMAP}url"):
            news = url.find(f"{NEWS}news")
            title = _text(news.find(f"{NEWS}title")) if news is not None else ""
            lastmod = _text(url.find(f"{SITEMAP}lastmod"))
            changed = lastmod or (
                _text(news.find(f"{NEWS}publication_date")) if news is not None else "")
            entries.append(Entry(_text(url.find(f"{SITEMAP}loc")), title, _iso(changed),
                                 bool(lastmod)))
    else:
        raise ListingError(f"neither RSS, Atom nor a sitemap (root element {root.tag!r})")
    seen: set[str] = set()
    out = []
    for entry in entries:
        url = http_url(entry.url)
        if url and url not in seen:
            seen.add(url)
            out.append(Entry(url, entry.title, entry.changed, entry.modified))
    return out
