"""What `sync` knows about a site's articles, in SQLite (the standard
library's; one file in the output directory, `.audio-edition/state.sqlite`).

Per article (its URL): the listing's date for it, the page's ETag and
Last-Modified (for conditional requests), the hash of its text, its edition's
file name, its version (1, then one more for each change of text), the last
status and error, and when to try again. Every version is kept in
`versions`. Each write is one transaction: a sync killed at any moment
leaves the state of the last article it finished.
"""
from __future__ import annotations

import datetime
import sqlite3
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    url TEXT PRIMARY KEY,
    listed TEXT,            -- the listing's date for it, as last seen
    etag TEXT,
    last_modified TEXT,
    content TEXT,           -- sha256 of the article's text as last built
    slug TEXT,              -- its edition: DIR/<slug>.mp3
    version INTEGER NOT NULL DEFAULT 0,
    status TEXT,            -- built, updated, unchanged, failed
    error TEXT,
    retry_at REAL,          -- unix time before which it is not tried again
    voice TEXT,
    built_at TEXT,
    checked_at TEXT
);
CREATE TABLE IF NOT EXISTS versions (
    url TEXT NOT NULL,
    version INTEGER NOT NULL,
    content TEXT NOT NULL,
    built_at TEXT NOT NULL,
    PRIMARY KEY (url, version)
);
"""


@dataclass(frozen=True)
class Known:
    url: str
    listed: str | None
    etag: str | None
    last_modified: str | None
    content: str | None
    slug: str | None
    version: int
    status: str | None
    error: str | None
    retry_at: float | None
    voice: str | None
    built_at: str | None


def now_iso() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


class State:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30)
        self.db.executescript(SCHEMA)
        self.db.commit()

    def close(self) -> None:
        self.db.close()

    def get(self, url: str) -> Known | None:
        row = self.db.execute(
            "SELECT url, listed, etag, last_modified, content, slug, version, status, error, "
            "retry_at, voice, built_at FROM articles WHERE url = ?", (url,)).fetchone()
        return Known(*row) if row else None

    def checked(self, url: str, listed: str | None, etag: str | None = None,
                last_modified: str | None = None) -> None:
        """Seen unchanged: only when and how it was checked is written."""
        with self.db:
            self.db.execute(
                "INSERT INTO articles (url, listed, etag, last_modified, status, checked_at) "
                "VALUES (?, ?, ?, ?, 'unchanged', ?) ON CONFLICT(url) DO UPDATE SET "
                "listed = excluded.listed, etag = coalesce(excluded.etag, etag), "
                "last_modified = coalesce(excluded.last_modified, last_modified), "
                "status = 'unchanged', error = NULL, retry_at = NULL, "
                "checked_at = excluded.checked_at",
                (url, listed, etag, last_modified, now_iso()))

    def built(self, url: str, listed: str | None, etag: str | None, last_modified: str | None,
              content: str, slug: str, voice: str, new_version: bool = True) -> int:
        """An edition built: a new version of the article (its number), or the
        same version made again (a lost file); the first build is version 1."""
        known = self.get(url)
        version = max((known.version if known else 0) + new_version, 1)
        status = "updated" if new_version and known and known.content else "built"
        stamp = now_iso()
        with self.db:
            self.db.execute(
                "INSERT INTO articles (url, listed, etag, last_modified, content, slug, version, "
                "status, error, retry_at, voice, built_at, checked_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?) ON CONFLICT(url) DO UPDATE "
                "SET listed = excluded.listed, etag = excluded.etag, "
                "last_modified = excluded.last_modified, content = excluded.content, "
                "slug = excluded.slug, version = excluded.version, status = excluded.status, "
                "error = NULL, retry_at = NULL, voice = excluded.voice, "
                "built_at = excluded.built_at, checked_at = excluded.checked_at",
                (url, listed, etag, last_modified, content, slug, version, status, voice, stamp,
                 stamp))
            self.db.execute("INSERT OR REPLACE INTO versions VALUES (?, ?, ?, ?)",
                            (url, version, content, stamp))
        return version

    def failed(self, url: str, error: str, retry_at: float | None) -> None:
        with self.db:
            self.db.execute(
                "INSERT INTO articles (url, status, error, retry_at, checked_at) "
                "VALUES (?, 'failed', ?, ?, ?) ON CONFLICT(url) DO UPDATE SET "
                "status = 'failed', error = excluded.error, retry_at = excluded.retry_at, "
                "checked_at = excluded.checked_at", (url, error, retry_at, now_iso()))
