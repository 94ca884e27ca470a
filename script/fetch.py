"""Articles from the web: one GET, with the standard proxy variables, a
timeout and a size limit."""
from __future__ import annotations

import time
from dataclasses import dataclass

from .bounded import read_response
from .errors import ArticleError

MAX_BYTES = 10 * 1024 * 1024
TIMEOUT = 20.0


@dataclass(frozen=True)
class Page:
    url: str  # after redirects
    data: bytes
    charset: str | None  # as the server declared it


def fetch(url: str, timeout: float = TIMEOUT) -> Page:
    import requests

    deadline = time.monotonic() + timeout  # for the whole page, not each read
    try:
        with requests.get(url, timeout=timeout, stream=True,
                          headers={"User-Agent": "audio-edition (+article to audio)"}) as r:
            if r.status_code != 200:
                raise ArticleError(f"cannot fetch {url}: HTTP {r.status_code} {r.reason}")
            kind = r.headers.get("Content-Type", "text/html").split(";")[0].strip().lower()
            if kind not in ("text/html", "application/xhtml+xml", "text/plain", ""):
                raise ArticleError(f"cannot use {url}: it is {kind}, not a web page")
            data = read_response(r, MAX_BYTES, deadline, ArticleError,
                                 f"cannot use {url}: the page (allowed {timeout:g} s)")
            declared = r.encoding if "charset" in r.headers.get("Content-Type", "") else None
            return Page(r.url, bytes(data), declared)
    except requests.RequestException as e:
        raise ArticleError(f"cannot fetch {url}: {type(e).__name__}") from None
