"""`sync`: follow a site's feed or sitemap into audio editions.

For each article the listing names: a new one is built; one whose text
changed is built again under the same file name and guid (only its changed
segments go to the voice: the clip cache holds the rest), as a new version,
with a spoken note after the title saying when it was updated; an unchanged
one is left alone, files and all. What is known lives in SQLite (state.py);
a failure (the site or the voice busy, 429/5xx, or unreachable) marks that
article for a later try, honouring Retry-After, and the others go on.

The text stage (fetch, read, narrate) runs here, article by article; the
sound stage is batch.run's, several articles at a time.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import math
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from script import (ArticleError, Pause, Script, ScriptError, Section, SectionKind,
                    segment_paragraph)

from .batch import Outcome, SlugNamer, Text, identity, jobs, run
from .clock import VIETNAM
from .engines import EngineOptions
from .listing import Entry, ListingError, parse_listing
from .model import EditionOptions
from .state import State
from .uptodate import Freshness

STATE_DIR = ".audio-edition"
RETRY_LATER_S = 15 * 60  # a failed article's next try, when the server named no time
MAX_WAIT_S = 7 * 24 * 3600  # a server's Retry-After is honoured up to a week


@dataclass
class Result:
    """What became of one article in a sync (the --report's rows)."""

    url: str
    status: str  # built, updated, unchanged, failed, waiting (to retry), would-build...
    title: str = ""
    version: int = 0
    error: str = ""
    seconds: float = 0.0  # the time its build took
    voice: str = ""
    synthesized: int = 0  # clips the voice made (the rest came from the cache)
    audio: str = ""  # the edition's file name
    retry_at: str = ""


@dataclass
class Plan:
    """One article the text stage found new or changed."""

    entry: Entry
    script: Script
    slug: str
    key: str
    content: str
    etag: str | None
    last_modified: str | None
    update: bool
    started: float = field(default_factory=time.monotonic)


def content_hash(article) -> str:
    """What decides whether an article changed: its title and its parts."""
    parts = [[p.kind, p.text] for p in article.parts]
    blob = json.dumps([article.title, parts], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def update_note(when: datetime.datetime) -> str:
    """The spoken note after an updated article's title (Vietnam's time)."""
    local = when.astimezone(VIETNAM)
    minutes = f" {local.minute}" if local.minute else ""  # "14 giờ 30", "9 giờ"
    return (f"Bài viết được cập nhật lúc {local.hour} giờ{minutes} ngày {local.day} "
            f"tháng {local.month}.")


def announce(script: Script, note: str, max_chars: int, speak) -> Script:
    """`script` with `note` said after its title, before the title's pause."""
    sections = list(script.sections)
    for i, section in enumerate(sections):
        if section.kind is SectionKind.TITLE and section.segments:
            *head, last = section.segments
            said = segment_paragraph(note, max_chars, speak, last.pause_after)
            sections[i] = Section(SectionKind.TITLE, (
                *head, replace(last, pause_after=Pause.SENTENCE), *said))
            return replace(script, sections=tuple(sections))
    return script


def load_listing(source: str, allow_private: bool) -> list[Entry]:
    from script import fetch_listing, read_bounded

    try:
        if source.lower().startswith(("http://", "https://")):
            data = fetch_listing(source, allow_private)
        else:
            data = read_bounded(source, 20 * 1024 * 1024, "the listing", ArticleError)
        return parse_listing(data)
    except ListingError as e:
        raise ArticleError(f"cannot read {source}: {e}") from None


def sync(source: str, out_dir: Path, *, engine_name: Callable[[], str],
         engine_options: EngineOptions, options: EditionOptions, cache_dir: Path | None,
         narrator: Callable[[], tuple[Callable, int, Callable]], workers: int = 2,
         limit: int | None = None, since: str | None = None, dry_run: bool = False,
         announce_updates: bool = True, allow_private: bool = False,
         freshness: Freshness | None = None,
         on_done: Callable[[Result], None] = lambda r: None) -> list[Result]:
    """Bring OUT_DIR up to date with the articles SOURCE lists.

    `narrator()` gives (make a script from an article, the segment limit,
    speak) and is called only when an article needs narrating."""
    from script import fetch_article

    entries = load_listing(source, allow_private)
    # The entries are a third party's URLs: a private one is refused unless the
    # operator named a private listing (a file, or an intranet feed) or allows it.
    private_listing = _private_listing(source)
    if since:  # the day in Vietnam's time, as the newsroom dates it
        entries = [e for e in entries if not e.changed or datetime.datetime.fromisoformat(
            e.changed).astimezone(VIETNAM).date().isoformat() >= since]
    if limit is not None:
        entries = entries[:limit]
    state = State(out_dir / STATE_DIR / "state.sqlite")
    results: list[Result] = []
    plans: list[Plan] = []
    namer = SlugNamer(freshness.taken if freshness else lambda slug, article: False)
    try:
        for entry in entries:
            known = state.get(entry.url)
            edition = out_dir / f"{known.slug}.mp3" if known and known.slug else None
            whole = edition is not None and edition.is_file() and known.content
            if known and known.retry_at and min(known.retry_at,
                                                time.time() + MAX_WAIT_S) > time.time():
                results.append(Result(entry.url, "waiting", error=known.error or "",
                                      retry_at=_iso(known.retry_at)))
                on_done(results[-1])
                continue
            if whole and entry.modified and known.listed == entry.changed \
                    and known.status != "failed":
                results.append(Result(entry.url, "unchanged", version=known.version,
                                      audio=edition.name))  # not even fetched
                on_done(results[-1])
                continue
            try:
                article, page = fetch_article(
                    entry.url, allow_private, etag=known.etag if whole else None,
                    last_modified=known.last_modified if whole else None,
                    named=private_listing)
                if article is None:
                    if not dry_run:
                        state.checked(entry.url, entry.changed)
                    results.append(Result(entry.url, "unchanged", version=known.version,
                                          audio=edition.name))
                    on_done(results[-1])
                    continue
                content = content_hash(article)
                if whole and content == known.content:
                    if not dry_run:
                        state.checked(entry.url, entry.changed, page.etag, page.last_modified)
                    results.append(Result(entry.url, "unchanged", article.title,
                                          known.version, audio=edition.name))
                    on_done(results[-1])
                    continue
                # a new text is an update (a new version, said so); the same text
                # whose file was lost is only built again
                update = bool(known and known.content and known.content != content)
                if dry_run:
                    results.append(Result(entry.url, "would-update" if update else "would-build",
                                          article.title))
                    on_done(results[-1])
                    continue
                make, max_chars, speak = narrator()
                script = make(article)
                note = ""
                if update and announce_updates:
                    when = _updated_at(entry, page)
                    note = update_note(when)
                    script = announce(script, note, max_chars, speak)
                slug = known.slug if known and known.slug else namer(article.title,
                                                                       identity(entry.url))
                key = freshness.key([content, note]) if freshness else ""
                plans.append(Plan(entry, script, slug, key, content, page.etag,
                                  page.last_modified, update))
            except ScriptError as e:
                results.append(_failed(state, entry.url, e, dry_run))
                on_done(results[-1])
        if plans:
            results += _sound_stage(plans, state, out_dir, engine_name, engine_options,
                                    options, cache_dir, workers, on_done)
    finally:
        state.close()
    order = {e.url: i for i, e in enumerate(entries)}
    return sorted(results, key=lambda r: order.get(r.url, len(order)))


def _sound_stage(plans: list[Plan], state: State, out_dir: Path, engine_name, engine_options,
                 options, cache_dir, workers, on_done) -> list[Result]:
    texts = [Text(p.entry.url, p.script, p.slug, key=p.key, article=identity(p.entry.url))
             for p in plans]
    by_url = {p.entry.url: p for p in plans}
    results: list[Result] = []

    def done(outcome: Outcome) -> None:
        plan = by_url[outcome.source]
        seconds = time.monotonic() - plan.started
        if outcome.ok and outcome.edition is not None:
            e = outcome.edition
            version = state.built(plan.entry.url, plan.entry.changed, plan.etag,
                                  plan.last_modified, plan.content, e.mp3.stem, e.engine,
                                  new_version=plan.update)
            results.append(Result(plan.entry.url, "updated" if plan.update else "built",
                                  plan.script.title, version, seconds=round(seconds, 3),
                                  voice=e.engine, synthesized=e.report.synthesized,
                                  audio=e.mp3.name))
        else:
            results.append(_failed(state, plan.entry.url, outcome, False, plan.script.title))
        on_done(results[-1])

    run(jobs(texts, out_dir, engine_name, engine_options, options, cache_dir), workers,
        on_done=done)
    return results


def _failed(state: State, url: str, error, dry_run: bool, title: str = "") -> Result:
    """A failure: tried again after the server's Retry-After, or later."""
    message = getattr(error, "error", None) or str(error)
    wait = getattr(error, "retry_after", None)
    if wait is None or not getattr(error, "retryable", False):
        wait = RETRY_LATER_S  # (a broken page is tried again later too)
    elif not math.isfinite(wait):
        wait = MAX_WAIT_S  # "inf": as long as a sync waits at most
    retry_at = time.time() + min(max(wait, 0.0), MAX_WAIT_S)
    if not dry_run:
        state.failed(url, message, retry_at)
    return Result(url, "failed", title, error=message, retry_at=_iso(retry_at))


def _private_listing(source: str) -> bool:
    from script import private_address

    if not source.lower().startswith(("http://", "https://")):
        return True  # a file on this machine: its author is the operator
    return private_address(source) is not None


def _updated_at(entry: Entry, page) -> datetime.datetime:
    """When the article changed: the listing's modified date, else the
    page's Last-Modified, else now (an RSS pubDate is the first publication)."""
    import email.utils

    if entry.modified and entry.changed:
        return datetime.datetime.fromisoformat(entry.changed)
    if page.last_modified:
        try:
            return email.utils.parsedate_to_datetime(page.last_modified)
        except (TypeError, ValueError):
            pass
    return datetime.datetime.now(datetime.timezone.utc)


def _iso(unix: float) -> str:
    try:
        return datetime.datetime.fromtimestamp(unix, datetime.timezone.utc).isoformat(
            timespec="seconds")
    except (OverflowError, ValueError, OSError):
        return ""
