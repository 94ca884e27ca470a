"""A podcast feed (RSS 2.0 with the iTunes tags podcast apps expect) of the
editions in a directory, from the JSON sidecars that `build` writes."""
from __future__ import annotations

import datetime
import email.utils
import json
import re
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Callable

from script import without_unsafe

from .atomic import atomic_write
from .clock import hours_minutes_seconds
from .errors import ExportError
from .model import FeedInfo

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ATOM = "http://www.w3.org/2005/Atom"
ET.register_namespace("itunes", ITUNES)
ET.register_namespace("atom", ATOM)


def _published(value: str | None, fallback: Path) -> datetime.datetime:
    if isinstance(value, str) and value:
        try:
            when = datetime.datetime.fromisoformat(value)
            return when if when.tzinfo else when.replace(tzinfo=datetime.timezone.utc)
        except ValueError:
            pass
    return datetime.datetime.fromtimestamp(fallback.stat().st_mtime, datetime.timezone.utc)


def _editions(directory: Path, warn: Callable[[str], None]) -> list[tuple[dict, Path]]:
    found = []
    for sidecar in sorted(directory.glob("*.json")):
        try:
            data = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError) as e:  # a hand edit gone wrong, a 5,000-digit number
            if sidecar.with_suffix(".mp3").is_file():
                warn(f"{sidecar.name} cannot be read ({type(e).__name__}): left out of the feed")
            continue
        if not isinstance(data, dict) or "audio" not in data:
            continue
        mp3 = directory / Path(str(data["audio"])).name
        if mp3.is_file():
            found.append((data, mp3))
    return found


def _clean(text: str) -> str:
    """What XML 1.0 cannot carry, and the bidi controls that can turn a
    listing's text around, removed (a sidecar may have been edited by hand)."""
    return without_unsafe(text)


def http_url(url: object) -> str | None:
    """`url` (stripped) when it is an http(s) URL with a host and nothing a
    request line cannot carry, else None: only such links are published, and
    the command line takes no other (cli_options.HttpUrl)."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if any(c.isspace() or c == "\\" for c in url) or without_unsafe(url) != url:
        return None  # (a bidi character is refused, not silently dropped: the host would change)
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port that is not one: "abc", 99999)
    except ValueError:  # "http://[::1": an unclosed IPv6 address
        return None
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or not _HOST.fullmatch(host):
        return None
    return url


# A host name (letters, digits, dots, hyphens, underscores; IDN in Unicode too)
# or a bracketed IPv6 address as urlsplit gives it (without the brackets).
_HOST = re.compile(r"[\w.-]+|[0-9a-f:.]+", re.IGNORECASE)


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrib) -> ET.Element:
    element = ET.SubElement(parent, tag, {k: _clean(v) for k, v in attrib.items()})
    if text is not None:
        element.text = _clean(text)
    return element


def _item(base: str, when: datetime.datetime, data: dict, mp3: Path) -> ET.Element:
    """One episode; raises TypeError, ValueError or AttributeError when the
    sidecar holds something else than `build` writes."""
    item = ET.Element("item")
    url = urllib.parse.urljoin(base, urllib.parse.quote(mp3.name))
    title = str(data.get("title") or mp3.stem)
    _sub(item, "title", title)
    sentences = data.get("sentences", [])
    if not isinstance(sentences, list):
        raise TypeError("sentences is not a list")
    lead = " ".join(str(s["text"]) for s in sentences if s.get("section") == "lead")
    _sub(item, "description", lead or title)
    _sub(item, "enclosure", url=url, length=str(mp3.stat().st_size), type="audio/mpeg")
    _sub(item, "guid", _guid(data, url), isPermaLink="false")
    _sub(item, "pubDate", email.utils.format_datetime(when))
    link = http_url(data.get("source"))
    if link:
        _sub(item, "link", link)
    _sub(item, f"{{{ITUNES}}}duration",
         hours_minutes_seconds(int(data.get("duration_ms", 0)) / 1000))
    if data.get("byline"):
        _sub(item, f"{{{ITUNES}}}author", str(data["byline"]))
    image = data.get("image")
    if image and (mp3.parent / Path(str(image)).name).is_file():
        _sub(item, f"{{{ITUNES}}}image",
             href=urllib.parse.urljoin(base, urllib.parse.quote(Path(str(image)).name)))
    # the daily briefing (briefing.py) is a bonus episode beside the articles
    _sub(item, f"{{{ITUNES}}}episodeType", "bonus" if data.get("kind") == "briefing" else "full")
    _sub(item, f"{{{ITUNES}}}explicit", "false")
    return item


def _guid(data: dict, url: str) -> str:
    """The guid `build` kept in the sidecar (it never changes for an article);
    an edition from before guids were kept gets its enclosure URL."""
    guid = data.get("guid")
    return guid if isinstance(guid, str) and guid else url


# What each platform refuses a feed without (Apple Podcasts' and Spotify's
# published requirements), and what they only recommend.
REQUIRED = {"image": "Apple Podcasts and Spotify refuse a feed without show art "
                     "(itunes:image; --image)",
            "category": "Apple Podcasts refuses a feed without a category "
                        "(itunes:category; --category)",
            "owner_email": "Spotify cannot verify the feed without an owner e-mail "
                           "(itunes:owner; --owner-email): it sends its code there"}
RECOMMENDED = {"author": "Apple Podcasts recommends an author (itunes:author; --author)",
               "owner_name": "Apple Podcasts recommends an owner name (--owner-name)",
               "copyright": "a copyright line is recommended (--copyright)"}


def missing(info: FeedInfo) -> list[str]:
    """What the channel lacks, each with the platform that needs it."""
    return [why for field, why in {**REQUIRED, **RECOMMENDED}.items()
            if not getattr(info, field)]


def _channel(rss: ET.Element, info: FeedInfo, base: str) -> ET.Element:
    channel = _sub(rss, "channel")
    _sub(channel, "title", info.title)
    _sub(channel, "link", http_url(info.link) or base)
    _sub(channel, "description", info.description)
    _sub(channel, "language", info.language)
    if info.copyright:
        _sub(channel, "copyright", info.copyright)
    _sub(channel, f"{{{ATOM}}}link", href=urllib.parse.urljoin(base, "feed.xml"),
         rel="self", type="application/rss+xml")
    _sub(channel, f"{{{ITUNES}}}explicit", "true" if info.explicit else "false")
    _sub(channel, f"{{{ITUNES}}}type", "episodic")
    if info.image and http_url(info.image):
        _sub(channel, f"{{{ITUNES}}}image", href=http_url(info.image))
        image = _sub(channel, "image")
        _sub(image, "url", http_url(info.image))
        _sub(image, "title", info.title)
        _sub(image, "link", http_url(info.link) or base)
    if info.category:
        category = ET.SubElement(channel, f"{{{ITUNES}}}category",
                                 {"text": _clean(info.category)})
        if info.subcategory:
            ET.SubElement(category, f"{{{ITUNES}}}category", {"text": _clean(info.subcategory)})
    if info.author:
        _sub(channel, f"{{{ITUNES}}}author", info.author)
    if info.owner_name or info.owner_email:
        owner = _sub(channel, f"{{{ITUNES}}}owner")
        if info.owner_name:
            _sub(owner, f"{{{ITUNES}}}name", info.owner_name)
        if info.owner_email:
            _sub(owner, f"{{{ITUNES}}}email", info.owner_email)
    return channel


def build_feed(directory: Path, info: FeedInfo,
               warn: Callable[[str], None] = lambda message: None) -> bytes:
    directory = Path(directory)
    if not directory.is_dir():
        raise ExportError(f"no such directory: {directory}")
    editions = _editions(directory, warn)
    if not editions:
        raise ExportError(f"no editions in {directory} (build some first)")
    for why in missing(info):
        warn(why)
    base = info.base_url if info.base_url.endswith("/") else info.base_url + "/"
    rss = ET.Element("rss", {"version": "2.0"})
    channel = _channel(rss, info, base)
    items = sorted(((_published(d.get("published"), mp3), d, mp3) for d, mp3 in editions),
                   key=lambda x: (x[0], _built(x[1])), reverse=True)
    _sub(channel, "lastBuildDate", email.utils.format_datetime(items[0][0]))
    seen: dict[str, str] = {}  # guid -> the file that holds it
    for when, data, mp3 in sorted(items, key=lambda x: _built(x[1]), reverse=True):
        guid = _guid(data, "")
        if guid and guid in seen:
            warn(f"{mp3.name} is an older edition of the article in {seen[guid]} (same "
                 f"guid): left out of the feed")
            continue
        try:
            item = _item(base, when, data, mp3)
        except (TypeError, ValueError, AttributeError, KeyError, OverflowError) as e:
            warn(f"{mp3.with_suffix('.json').name} is not a sidecar `build` writes "
                 f"({type(e).__name__}: {e}): left out of the feed")
            continue
        seen[guid] = mp3.name
        data["_item"] = item
    for when, data, mp3 in items:  # newest first
        if "_item" in data:
            channel.append(data.pop("_item"))
    ET.indent(rss)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="utf-8") + b"\n"


def _built(data: dict) -> str:
    """When the edition was built (ISO time; '' when the sidecar does not say)."""
    value = data.get("built") or data.get("first_built")
    return value if isinstance(value, str) else ""


def write_feed(directory: Path, info: FeedInfo, out: Path | None = None,
               warn: Callable[[str], None] = lambda message: None) -> Path:
    out = Path(out) if out else Path(directory) / "feed.xml"
    data = build_feed(directory, info, warn)
    try:
        atomic_write(out, data)
    except OSError as e:
        raise ExportError(f"cannot write {out}: {e.strerror or e}") from e
    return out
