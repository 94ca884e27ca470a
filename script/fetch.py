"""Articles from the web: one GET (redirects followed one by one and checked),
with the standard proxy variables, a deadline for the whole page and a size
limit."""
from __future__ import annotations

import email.utils
import ipaddress
import socket
import time
import urllib.parse
from dataclasses import dataclass

from .bounded import read_response, within
from .errors import ArticleError

MAX_BYTES = 10 * 1024 * 1024
TIMEOUT = 20.0
MAX_REDIRECTS = 10


RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    data: bytes
    charset: str | None  # as the server declared it
    etag: str | None = None
    last_modified: str | None = None
    unchanged: bool = False  # 304: the copy asked about (etag, last_modified) is current


def retry_after(value: str | None) -> float | None:
    """A Retry-After header in seconds (delta-seconds or an HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def _addresses(host: str) -> list[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """The addresses `host` names: itself when it is one, else what it resolves
    to here (none when it does not resolve here, as behind a proxy)."""
    host = urllib.parse.unquote(host).strip("[]").rstrip(".")  # "127.0.0.1." is 127.0.0.1
    try:
        found = [ipaddress.ip_address(host.split("%")[0])]
    except ValueError:
        if host.lower() == "localhost" or host.lower().endswith(".localhost"):
            return [ipaddress.ip_address("127.0.0.1")]
        try:
            infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
        except (OSError, UnicodeError, ValueError):
            return []
        found = [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]
    return found


_EMBEDS_IPV4 = [ipaddress.ip_network(n) for n in (
    "::/96",            # IPv4-compatible (::127.0.0.1)
    "::ffff:0:0/96",    # IPv4-mapped
    "::ffff:0:0:0/96",  # IPv4-translated (::ffff:0:7f00:1)
    "64:ff9b::/96",     # NAT64
    "64:ff9b:1::/48")]  # local-use NAT64


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Global, not multicast, and no private IPv4 address inside an IPv6 one."""
    if not address.is_global or address.is_multicast:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        inner = [address.sixtofour, address.teredo[1] if address.teredo else None]
        if any(address in net for net in _EMBEDS_IPV4):
            inner.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        return all(_public(a) for a in inner if a is not None)
    return True


def _hosts(url: str) -> set[str]:
    """The host of `url` as urllib and as urllib3 (what requests connects to)
    read it: two parsers that disagree (a backslash, an '@') mean a URL
    built to slip past a check."""
    from urllib3.util import parse_url

    def plain(host: str | None) -> str:
        return urllib.parse.unquote(host or "").strip("[]").rstrip(".").lower()

    hosts = set()
    for host in (lambda: urllib.parse.urlsplit(url).hostname, lambda: parse_url(url).host):
        try:
            hosts.add(plain(host()))
        except ValueError:  # not a URL either parser can read: no host to trust
            hosts.add("")
    return hosts


def private_address(url: str) -> str | None:
    """The first address of `url`'s host that is not a public one (loopback,
    private, link-local, multicast, reserved; also inside an IPv6 address),
    or None. A URL whose host two parsers read differently counts as private."""
    hosts = _hosts(url)
    if len(hosts) != 1:
        return "an ambiguous host (" + " or ".join(sorted(h or "none" for h in hosts)) + ")"
    host = hosts.pop()
    return next((str(a) for a in _addresses(host) if not _public(a)), None)


PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "")
LISTING_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
                 "text/plain", "")


def fetch(url: str, timeout: float = TIMEOUT, allow_private: bool = False, named: bool = True,
          etag: str | None = None, last_modified: str | None = None,
          types: tuple[str, ...] = PAGE_TYPES) -> Page:
    """The page at `url`. A redirect from a public address to a private or
    loopback one is refused unless `allow_private` (a server that builds
    editions for a CMS must not be led to its own admin pages); a URL that is
    private from the start was given as such, and is read."""
    import requests

    deadline = time.monotonic() + timeout  # for the whole page, not each read
    # `named`: the operator gave this URL, so a private one is meant; a URL a
    # third party gave (an entry of a site's feed) is checked like a redirect
    start = private_address(url) if not allow_private else None
    if start is not None and not named:
        raise ArticleError(f"refused: {url} is a private address ({start}); "
                           f"--allow-private-urls allows it")
    guard = not allow_private and start is None
    headers = {"User-Agent": "audio-edition (+article to audio)"}
    if etag:  # a conditional GET: 304 when the copy we hold is current
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    current = url
    try:
        with requests.Session() as session:
            for _ in range(MAX_REDIRECTS + 1):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ArticleError(f"cannot fetch {url}: no answer in {timeout:g} s")
                target_url = current
                r = within(deadline, lambda: session.get(
                    target_url, timeout=left, stream=True, headers=headers,
                    allow_redirects=False), lambda: ArticleError(
                        f"cannot fetch {url}: no answer in {timeout:g} s", retryable=True))
                if not r.is_redirect:
                    break
                r.close()
                try:
                    target = urllib.parse.urljoin(current, r.headers["Location"])
                    scheme = urllib.parse.urlsplit(target).scheme
                except ValueError:  # "http://[::1": not a URL
                    raise ArticleError(f"cannot fetch {url}: it redirects to an invalid URL "
                                       f"({r.headers['Location']!r})") from None
                if scheme not in ("http", "https"):
                    raise ArticleError(f"cannot fetch {url}: it redirects to {target}, "
                                       "which is not an http(s) URL")
                address = private_address(target) if guard else None
                if address is not None:
                    raise ArticleError(
                        f"refused: {url} redirects to {target}, a private address "
                        f"({address}); --allow-private-urls allows it")
                current = target
            else:
                raise ArticleError(f"cannot fetch {url}: more than {MAX_REDIRECTS} redirects")
            with r:
                if r.status_code == 304 and headers.get("If-None-Match", headers.get(
                        "If-Modified-Since")):
                    return Page(r.url, b"", None, unchanged=True)
                if r.status_code != 200:
                    raise ArticleError(f"cannot fetch {url}: HTTP {r.status_code} {r.reason}",
                                       retryable=r.status_code in RETRY_STATUS,
                                       retry_after=retry_after(r.headers.get("Retry-After")))
                kind = r.headers.get("Content-Type", "text/html").split(";")[0].strip().lower()
                if kind not in types:
                    what = "a web page" if types == PAGE_TYPES else "a feed or a sitemap"
                    raise ArticleError(f"cannot use {url}: it is {kind}, not {what}")
                data = read_response(r, MAX_BYTES, deadline, ArticleError,
                                     f"cannot use {url}: the page (allowed {timeout:g} s)")
                declared = r.encoding if "charset" in r.headers.get("Content-Type", "") else None
                return Page(r.url, bytes(data), declared, r.headers.get("ETag"),
                            r.headers.get("Last-Modified"))
    except requests.RequestException as e:
        raise ArticleError(f"cannot fetch {url}: {type(e).__name__}", retryable=True) from None
