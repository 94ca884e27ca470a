"""The `audio-edition` command: a thin shell over the script and audio packages.

Options become the library's option objects in cli_options.py; library errors
become one line on stderr and a non-zero exit, never a traceback.

Each command imports what it uses when it runs: `--help` loads click and the
option definitions only, an offline build never loads gTTS or requests, and
nothing loads numpy before it has audio to level (see the README's
"Performance").
"""
from __future__ import annotations

import functools
import os
import re
import sys
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

import click

from script import ScriptError

from . import __version__
from .clock import minutes_seconds
from . import cli_options
from .cli_options import (HttpUrl, OneLineErrors, PlainText, ProgressBar, cache_dir_from,
                          edition_options, edition_options_from, source_options,
                          engine_options, lexicon_option, one_line, options, voice_options)
from .engines import CHOICES, ENGINES, EngineOptions, make_engine, segment_limit, select_engine
from .errors import AudioError
from .model import FeedInfo, RetryPolicy
from .signals import stop_on_signals

if TYPE_CHECKING:
    from script import Normalizer

    from .batch import Outcome, Text

SCRIPT_MAX_CHARS = 100  # `script`'s default segment length: the voices' own (see engines)
MAX_SCRIPT_BYTES = 8 * 1024 * 1024  # a narration script is about twice its article (4 MB)


def _lexicon(path: str | None) -> dict[str, str] | None:
    if not path:
        return None
    from script import load_lexicon  # the reading rules: loaded only when needed

    return load_lexicon(path)


def _speaker(lexicon: str | None) -> Normalizer:
    return _speaker_with(_lexicon(lexicon))


def _speaker_with(words: dict[str, str] | None) -> Normalizer:
    from script import Normalizer

    return Normalizer(words)


def _check_engine(opts: dict) -> None:
    if opts["engine_name"] not in CHOICES:
        raise click.ClickException(
            f"unknown engine {opts['engine_name']!r} (choose from {', '.join(CHOICES)})")
    if opts["no_fallback"] and opts["engine_name"] == "espeak":
        raise click.BadParameter("asks for the online voice; --engine espeak is the offline "
                                 "one", param_hint="'--no-fallback'")


def _warn(quiet: bool):
    def warn(message: str) -> None:
        if not quiet:
            click.echo(f"Warning: {message}", err=True)
    return warn


def _voice(opts: dict):
    """The run's voice, asked for at most once: the engine's name ('auto'
    resolved by a probe, which is said on stderr)."""
    @functools.cache
    def choose() -> str:
        engine, note, fell_back = select_engine(
            opts["engine_name"], engine_options(opts),
            RetryPolicy(tries=opts["retries"], base=opts["retry_delay"]),
            fallback=not opts["no_fallback"])
        if fell_back:  # the voice changed: said even with --quiet
            click.echo(f"Warning: {note}", err=True)
        elif note and not opts["quiet"]:
            click.echo(note, err=True)
        return engine.name
    opts.setdefault("_voice", choose)
    return opts["_voice"]


def _warm_up(engine_name: str) -> None:
    from .edition import warm_up  # (itself part of the loading done beside the script)

    warm_up(engine_name)


def _freshness(opts: dict, lexicon: dict | None):
    from .uptodate import Freshness

    return Freshness(opts["out_dir"], opts["engine_name"], engine_options(opts),
                     edition_options_from(opts), _voice(opts), lexicon=lexicon,
                     force=opts["force"])


AUDIO_SUFFIXES = (".mp3", ".m4a", ".aac", ".wav", ".ogg", ".oga", ".opus", ".flac", ".wma")


def _named_output(opts: dict, count: int) -> str | None:
    """`-o NAME.mp3` names the edition's file (its sidecars beside it, with the
    same name): the directory becomes its parent and NAME the file name.
    For several articles, or another audio format, a usage error with a
    hint; never a folder called NAME.mp3."""
    out = Path(opts["out_dir"])
    if out.suffix.lower() not in AUDIO_SUFFIXES or out.is_dir():
        return None
    if out.suffix.lower() != ".mp3":
        raise click.BadParameter(f"{out.name}: editions are MP3 files; give -o NAME.mp3 or "
                                 "a directory", param_hint="'-o'")
    if count != 1:
        raise click.BadParameter(f"{out.name} names one file but there are {count} articles; "
                                 "give a directory", param_hint="'-o'")
    from script import slugify

    opts["out_dir"] = out.parent
    return out.stem if out.stem == out.stem.strip() and out.stem else slugify(out.stem)


def _build(texts: Iterable[Text], opts: dict, workers: int, count: int) -> None:
    """The sound stage of every article (through batch.run, one or many), then
    what happened, printed."""
    from .batch import jobs, run

    quiet, single = opts["quiet"], count == 1
    cache_dir = cache_dir_from(opts)
    work = jobs(texts, opts["out_dir"], _voice(opts), engine_options(opts),
                edition_options_from(opts), cache_dir)
    if single:
        bar = ProgressBar(not quiet and sys.stderr.isatty())
        try:
            rows = run(work, 1, progress=bar)
        finally:
            bar.close()
    else:
        rows = _run_many(work, workers, count, quiet)
    unsaved = sum(r.edition.report.unsaved for r in rows if r.edition)
    if unsaved and not quiet:
        click.echo(f"Warning: {unsaved} clips could not be kept in the cache {cache_dir} "
                   f"(full or read-only?); the next build makes them again", err=True)
    if single:
        _report_one(rows[0], opts)
    else:
        _report_many(rows, quiet)


def _run_many(work, workers: int, count: int, quiet: bool) -> list[Outcome]:
    """The batch, with a line on stderr as each article is done (in a
    terminal and in a cron log alike): where it stands, what came of it and
    the voice that read it."""
    from .batch import run

    done = 0

    def progress(outcome: Outcome) -> None:
        nonlocal done
        done += 1
        if quiet:
            return
        if outcome.current is not None:
            what = "up to date"
        elif outcome.ok:
            e = outcome.edition
            what = f"built, {minutes_seconds(e.seconds)}, voice {e.engine}"
        else:
            what = "failed"
        click.echo(f"[{done}/{count}] {one_line(outcome.source)}: {what}", err=True)

    return run(work, workers, on_done=progress)


def _report_one(row: Outcome, opts: dict) -> None:
    if not row.ok:
        raise click.ClickException(row.error)
    if row.current is not None:
        if not opts["quiet"]:
            click.echo(f"Up to date: {row.current} (same article, options, voice and "
                       f"versions; --force rebuilds)")
        if opts["open_page"]:
            import webbrowser

            webbrowser.open(row.current.with_suffix(".html").resolve().as_uri())
        return
    edition = row.edition
    if not opts["quiet"]:
        r = edition.report
        click.echo(f"Wrote {edition.mp3} ({minutes_seconds(edition.seconds)}, "
                   f"{edition.segments} segments, voice {edition.engine}, "
                   f"{r.cached} cached, {r.synthesized} synthesized)")
        click.echo(f"Read-along page: {edition.html}")
    if opts["open_page"]:
        import webbrowser

        webbrowser.open(edition.html.resolve().as_uri())


def _report_many(rows: list[Outcome], quiet: bool) -> None:
    for row in rows:
        if not row.ok:
            where = "" if row.source in row.error else f"{row.source}: "
            click.echo(f"Error: {one_line(where + row.error)}", err=True)
    if not quiet:
        _summary(rows)
    if any(not row.ok for row in rows):
        sys.exit(1)


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(version=__version__, prog_name="audio-edition")  # not importlib.metadata: 75 ms
def cli():
    """Turn a Vietnamese news article into its narrated audio edition."""


@cli.command()
@click.argument("articles", nargs=-1, required=True, metavar="ARTICLE...")
@edition_options
@lexicon_option
@source_options
@click.option("--workers", type=click.IntRange(1, 16), default=None,
              help="Articles built at the same time (default: the CPUs, at most 4).")
@click.option("--dry-run", is_flag=True,
              help="Print what would be built and how many segments and requests it "
                   "would take; synthesize nothing.")
def build(articles, lexicon, encoding, allow_private_urls, workers, dry_run, **opts):
    """Build each ARTICLE (.txt or .html file, http(s) URL, or a directory of them)
    into OUTPUT/<slug>.mp3 with its timings and read-along page (= script + render)."""
    from .batch import expand, read_texts

    _check_engine(opts)
    sources = expand(articles)
    if not sources:
        raise click.ClickException("no articles to build (a directory holds no .txt/.html)")
    named = _named_output(opts, len(sources))
    if dry_run or len(sources) > 1:  # the text stage's child forked at start: not needed
        from .beside import stop_text_worker

        stop_text_worker()
    try:
        words = _lexicon(lexicon)  # a bad one: an error at once, before any article

        # the voice's segment length and the reading rules: found when first needed
        limit = functools.cache(lambda: segment_limit(opts["engine_name"], engine_options(opts)))
        speaker = functools.cache(lambda: _speaker_with(words))

        def narrate(article):
            from .narrate import narrate as narrate_one

            if dry_run or len(sources) > 1:  # (a batch builds in worker processes)
                return narrate_one(article, limit(), speaker)
            from .beside import beside  # the script made while the sound side loads

            return beside(lambda: narrate_one(article, limit(), speaker),
                          lambda: _warm_up(opts["engine_name"]),
                          lambda: (article, limit(), words))

        fresh = None if dry_run else _freshness(opts, words)
        texts = read_texts(sources, narrate, encoding, allow_private_urls, _warn(opts["quiet"]),
                           fresh, (lambda title, article: named) if named else None)
        if dry_run:
            _dry_run(texts, opts)
            return
        if workers is None:
            workers = min(4, os.cpu_count() or 1)
        _build(texts, opts, workers, len(sources))
    except (ScriptError, AudioError) as e:  # before any article: a bad lexicon, no voice
        raise click.ClickException(str(e)) from e


def _dry_run(texts: Iterable[Text], opts: dict) -> None:
    from .batch import clip_plan
    from .cache import ClipCache

    texts = list(texts)  # the articles first: an error in one says so before any probe
    voice = _voice(opts)() if any(t.script is not None for t in texts) else "espeak"
    engine = make_engine(voice, engine_options(opts))  # the voice the build would use
    cache_dir = cache_dir_from(opts)
    cache = ClipCache(cache_dir) if cache_dir else None
    failures = 0
    for text in texts:
        if text.script is None:
            click.echo(f"{text.source}: cannot build: {text.error}")
            failures += 1
            continue
        needed = clip_plan(text.script, engine.identity, cache)
        work = (f"{len(needed.to_make)} gtts requests" if engine.name == "gtts" else
                f"{len(needed.to_make)} clips from {engine.name} (offline: no requests)")
        click.echo(f"{text.source} -> {opts['out_dir'] / (text.slug + '.mp3')}: "
                   f"{len(text.script.segments)} segments, voice {engine.name}, {work} "
                   f"({needed.cached} cached)")
    if failures:
        sys.exit(1)


def _summary(rows: list[Outcome]) -> None:
    width = max(7, *(len(r.source) for r in rows))
    click.echo(f"{'article':{width}}  duration  segments  cached  voice   status")
    for r in rows:
        if r.current is not None:
            click.echo(f"{r.source:{width}}  {'-':>8}  {'-':>8}  {'-':>6}  {'-':6}  up to date")
        elif r.ok:
            e = r.edition
            click.echo(f"{r.source:{width}}  {minutes_seconds(e.seconds):>8}  "
                       f"{e.segments:8d}  {e.report.cached:6d}  {e.engine:6}  ok")
        else:
            click.echo(f"{r.source:{width}}  {'-':>8}  {'-':>8}  {'-':>6}  {'-':6}  failed")
    current = sum(r.current is not None for r in rows)
    done = sum(r.ok for r in rows) - current
    fresh = f", {current} up to date" if current else ""
    click.echo(f"{done} built{fresh}, {len(rows) - done - current} failed")


@cli.command("script")
@click.argument("article")
@click.option("-o", "--output", "out_file", default=None, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Write the narration script here (default: standard output).")
@lexicon_option
@source_options
@click.option("--max-chars", default=SCRIPT_MAX_CHARS, show_default=True, type=click.IntRange(20, 5000),
              help="The longest segment, in spoken characters.")
def script_command(article, out_file, lexicon, encoding, allow_private_urls, max_chars):
    """Write ARTICLE's narration script: plain text an editor can fix, then render."""
    from script import format_script, make_script, read_article

    from .atomic import atomic_write

    try:
        parsed = read_article(article, encoding, allow_private_urls)
        for warning in parsed.warnings:
            click.echo(f"Warning: {warning}", err=True)
        text = format_script(make_script(parsed, max_chars, _speaker(lexicon)))
        if out_file is None:
            click.echo(text, nl=False)
        else:
            atomic_write(out_file, text.encode("utf-8"))
    except ScriptError as e:
        raise click.ClickException(str(e)) from e
    except OSError as e:
        where = out_file if out_file is not None else "the script to standard output"
        raise click.ClickException(f"cannot write {where}: {e.strerror or e}") from e


@cli.command()
@click.argument("script_file", metavar="SCRIPT", type=click.Path(dir_okay=False, path_type=Path))
@edition_options
def render(script_file, **opts):
    """Render a narration SCRIPT (from `audio-edition script`, maybe edited) into an MP3."""
    from script import parse_script, read_bounded

    from .batch import SlugNamer, Text, identity

    _check_engine(opts)
    try:
        data = read_bounded(script_file, MAX_SCRIPT_BYTES, "the script")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise click.ClickException(f"the script {script_file} is not UTF-8 (byte "
                                       f"0x{data[e.start]:02x} at offset {e.start})") from None
        from .narrate import as_written

        script = as_written(parse_script(text),
                             segment_limit(opts["engine_name"], engine_options(opts)),
                             lambda: _speaker(None))
        named = _named_output(opts, 1)
        fresh, article = _freshness(opts, None), identity(str(script_file))
        slug = named or SlugNamer(fresh.taken)(script.title, article)
        key = fresh.key(script)
        current = fresh.current(slug, key)
        _build([Text(str(script_file), None if current else script, slug, key=key,
                     current=current, article=article)], opts, 1, 1)
    except (ScriptError, AudioError) as e:
        raise click.ClickException(str(e)) from e


@cli.command()
@voice_options
def engines(gtts_url, timeout, piper_voice, piper_language, prefer):
    """List the voices, whether each is usable here, and why not."""
    options = EngineOptions(gtts_url=gtts_url, timeout=timeout, prefer=prefer,
                            piper_voice=Path(piper_voice) if piper_voice else None,
                            piper_language=piper_language)
    for name in ENGINES:
        ok, reason = make_engine(name, options).available()  # (--timeout a try)
        click.echo(f"{name:8} {'yes' if ok else 'no ':3}  {reason}")


channel_options = options(
    click.option("--base-url", default=None, metavar="URL", type=HttpUrl(),
                 help="Where DIRECTORY is published; enclosure URLs start with it."),
    click.option("--title", default=None, type=PlainText(),
                 help=f"The podcast's title (default: {FeedInfo.title}).",),
    click.option("--description", default=None, type=PlainText(),
                 help="The podcast's description."),
    click.option("--author", default=None, type=PlainText(),
                 help="The podcast's author (publisher)."),
    click.option("--link", default=None, metavar="URL", type=HttpUrl(),
                 help="The newsroom's site (default: --base-url)."),
    click.option("--image", default=None, metavar="URL", type=HttpUrl(),
                 help="The show's art: a square JPEG or PNG of 1400-3000 px (required by "
                      "Apple Podcasts and Spotify)."),
    click.option("--category", default=None, type=PlainText(),
                 help='Apple Podcasts category, e.g. "News" (required by Apple).'),
    click.option("--subcategory", default=None, type=PlainText(),
                 help='Its subcategory, e.g. "Daily News".'),
    click.option("--owner-name", default=None, type=PlainText(), help="The feed owner's name."),
    click.option("--owner-email", default=None, metavar="EMAIL", type=PlainText(),
                 help="The feed owner's e-mail (Spotify sends its verification code there)."),
    click.option("--copyright", "copyright", default=None, type=PlainText(),
                 help='The copyright line, e.g. "© 2026 Báo X".'),
    click.option("--explicit/--not-explicit", "explicit", default=None,
                 help="Mark the show as explicit (default: not)."),
)
CHANNEL_KEYS = ("base_url", "title", "description", "author", "link", "image", "category",
                "subcategory", "owner_name", "owner_email", "copyright", "explicit")


def _channel(directory: Path, opts: dict, save: bool) -> FeedInfo | None:
    """The channel: DIRECTORY/podcast.toml, with this command line's options
    over it (written into it when `save`); None without a base URL."""
    from .categories import category_problem
    from .channel import load_channel, save_channel

    given = {k: opts.pop(k) for k in CHANNEL_KEYS}
    settings = {**load_channel(directory), **{k: v for k, v in given.items() if v is not None}}
    if settings.get("subcategory") and not settings.get("category"):
        raise click.BadParameter("needs --category too", param_hint="'--subcategory'")
    problem = settings.get("category") and category_problem(settings["category"],
                                                           settings.get("subcategory"))
    if problem:
        raise click.BadParameter(problem, param_hint="'--category'")
    email = settings.get("owner_email")
    if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise click.BadParameter(f"{email!r} is not an e-mail address",
                                 param_hint="'--owner-email'")
    base = urllib.parse.urlsplit(settings.get("base_url") or "")
    if base.query or base.fragment:
        raise click.BadParameter(f"{settings['base_url']!r}: a base URL has no query or "
                                 "fragment (enclosures are base URL + file name)",
                                 param_hint="'--base-url'")
    if save:  # only settings that passed the checks are kept for the next run
        save_channel(directory, given)
    if not settings.get("base_url"):
        return None
    return FeedInfo(**settings)


def _feed_warn(message: str) -> None:
    click.echo(f"Warning: {one_line(message)}", err=True)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@channel_options
@click.option("-o", "--output", "out_file", default=None, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the feed (default: DIRECTORY/feed.xml).")
def feed(directory, out_file, **opts):
    """Write a podcast RSS feed of the editions built into DIRECTORY (the
    channel from the options, over DIRECTORY/podcast.toml)."""
    from .feed import write_feed

    try:
        info = _channel(directory, opts, save=False)
        if info is None:
            raise click.UsageError("Missing option '--base-url' (or base_url in "
                                   f"{directory / 'podcast.toml'})")
        out = write_feed(directory, info, out_file, warn=_feed_warn)
    except AudioError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"Wrote {out}")


@cli.command("sync")
@click.argument("source", metavar="SOURCE")
@edition_options
@lexicon_option
@channel_options
@click.option("--allow-private-urls", is_flag=True,
              help="Follow redirects from a public address to a private one.")
@click.option("--workers", type=click.IntRange(1, 16), default=None,
              help="Articles built at the same time (default: the CPUs, at most 4).")
@click.option("--limit", type=click.IntRange(1, None), default=None, metavar="N",
              help="Only the first N articles the listing names.")
@click.option("--since", default=None, metavar="DATE", type=click.DateTime(["%Y-%m-%d"]),
              help="Only articles the listing dates on or after DATE (YYYY-MM-DD).")
@click.option("--announce-updates/--no-announce-updates", default=True, show_default=True,
              help="Say when an updated article was updated, after its title.")
@click.option("--report", "report_file", default=None, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Write what happened to each article as JSON.")
@click.option("--dry-run", is_flag=True,
              help="Say what would be built, updated and skipped; build nothing.")
def sync_command(source, lexicon, allow_private_urls, workers, limit, since, announce_updates,
                 report_file, dry_run, **opts):
    """Follow SOURCE (an RSS or Atom feed, or a news sitemap, by URL or file)
    into audio editions in OUTPUT: new articles are built, changed ones built
    again (same file, same guid, a new version), unchanged ones left alone;
    then the podcast feed is written again. State: OUTPUT/.audio-edition/."""
    import datetime
    import json
    import sqlite3
    import time
    from dataclasses import asdict

    from filelock import FileLock, Timeout

    from .sync import STATE_DIR, sync

    _check_engine(opts)
    out_dir = Path(opts["out_dir"])
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / STATE_DIR).mkdir(exist_ok=True)
    except OSError as e:
        raise click.ClickException(f"cannot use {out_dir}: {e.strerror or e}") from e
    lock = FileLock(str(out_dir / STATE_DIR / "sync.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        click.echo(f"Error: another sync is running in {out_dir} (its lock: "
                   f"{out_dir / STATE_DIR / 'sync.lock'})", err=True)
        sys.exit(75)  # EX_TEMPFAIL: cron tries again next time
    started = time.monotonic()
    results: list = []
    counts: dict[str, int] = {}
    failure = ""
    try:
        channel = _channel(out_dir, opts, save=not dry_run)
        words = _lexicon(lexicon)

        @functools.cache
        def narrator():
            from script import Normalizer, make_script

            limit_chars = segment_limit(opts["engine_name"], engine_options(opts))
            speak = Normalizer(words)
            return (lambda article: make_script(article, limit_chars, speak)), limit_chars, speak

        quiet = opts["quiet"]
        done = 0

        def progress(result) -> None:
            nonlocal done
            done += 1
            if not quiet and result.status != "unchanged":
                extra = f", voice {result.voice}" if result.voice else ""
                extra += f": {result.error}" if result.error else ""
                click.echo(f"[{done}] {result.url}: {result.status}{extra}", err=True)

        results = sync(source, out_dir, engine_name=_voice(opts),
                       engine_options=engine_options(opts), options=edition_options_from(opts),
                       cache_dir=cache_dir_from(opts), narrator=narrator,
                       workers=workers or min(4, os.cpu_count() or 1), limit=limit,
                       since=since.date().isoformat() if since else None, dry_run=dry_run,
                       announce_updates=announce_updates, allow_private=allow_private_urls,
                       freshness=None if dry_run else _freshness(opts, words),
                       on_done=progress)
        for r in results:
            counts[r.status] = counts.get(r.status, 0) + 1
        cache_dir = cache_dir_from(opts)
        if (counts.get("built") or counts.get("updated")) and cache_dir:
            _warm_briefing(opts, cache_dir)
        changed = any(r.status in ("built", "updated") for r in results)
        feed_file = out_dir / "feed.xml"
        config = out_dir / "podcast.toml"
        stale = not feed_file.exists() or (
            config.exists() and config.stat().st_mtime_ns > feed_file.stat().st_mtime_ns)
        if channel is not None and not dry_run and (changed or stale):
            from .feed import write_feed  # only when something changed: a quiet sync writes nothing

            if any(out_dir.glob("*.json")):
                write_feed(out_dir, channel, warn=_feed_warn if not quiet else lambda m: None)
        elif channel is None and not quiet:
            click.echo("Note: no podcast feed written (give --base-url once: it is kept in "
                       f"{out_dir / 'podcast.toml'})", err=True)
    except (ScriptError, AudioError) as e:
        failure = str(e)
        raise click.ClickException(failure) from e
    except sqlite3.Error as e:  # a damaged or foreign state file
        failure = (f"the sync state {out_dir / STATE_DIR / 'state.sqlite'} cannot be used "
                   f"({e}): move it away to start afresh")
        raise click.ClickException(failure) from e
    finally:
        lock.release()
        seconds = time.monotonic() - started
        if report_file:  # written whatever happened: cron's last report is this run's
            from .atomic import atomic_write

            report = {"source": source, "directory": str(out_dir),
                      "finished": datetime.datetime.now(datetime.timezone.utc).isoformat(
                          timespec="seconds"),
                      "seconds": round(seconds, 3), "dry_run": dry_run, "counts": counts,
                      "error": failure, "articles": [asdict(r) for r in results]}
            try:
                atomic_write(report_file, (json.dumps(report, ensure_ascii=False, indent=1)
                                           + "\n").encode("utf-8"))
            except OSError as e:
                raise click.ClickException(f"cannot write {report_file}: {e.strerror or e}") \
                    from e
    if not quiet:
        order = ("built", "updated", "unchanged", "failed", "waiting", "would-build",
                 "would-update")
        click.echo(", ".join(f"{counts[k]} {k}" for k in order if counts.get(k))
                   + f" ({seconds:.1f} s)" if counts else "nothing listed")
    if counts.get("failed"):
        sys.exit(1)


def _warm_briefing(opts: dict, cache_dir: Path) -> None:
    """Today's briefing lines made into the clip cache now (two requests a
    day), so that `briefing` asks the voice for nothing new."""
    from .briefing import today, warm, warm_cache
    from .cache import ClipCache

    try:
        warm_cache(warm(today()), make_engine(_voice(opts)(), engine_options(opts)),
                   ClipCache(cache_dir))
    except AudioError as e:  # the briefing will make them: not a failed sync
        if not opts["quiet"]:
            click.echo(f"Warning: today's briefing lines were not made ahead ({e})", err=True)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--date", "day", default=None, metavar="YYYY-MM-DD",
              type=click.DateTime(["%Y-%m-%d"]),
              help="The day whose articles to brief (default: today, Vietnam's time).")
@click.option("--top", default=10, show_default=True, type=click.IntRange(1, 100),
              help="At most this many articles, newest first.")
@edition_options
def briefing(directory, day, top, **opts):
    """The day's briefing from the editions in DIRECTORY: an opening line, each
    article's title and lead (a chapter each), a closing line. It reuses the
    clips those editions were made of; the feed lists it as a bonus episode."""
    from script import escape_unsafe

    from .batch import Text
    from .briefing import briefing_script, today

    _check_engine(opts)
    if click.get_current_context().get_parameter_source("out_dir").name == "DEFAULT":
        opts["out_dir"] = directory  # beside the articles, for the feed
    day = day.date() if day else today()
    script = briefing_script(directory, day, top)
    if len(script.sections) <= 2:
        raise click.ClickException(f"no articles first built on {day.isoformat()} in "
                                   f"{directory}")
    try:
        fresh = _freshness(opts, None)
        slug = f"ban-tin-{day.isoformat()}"
        key = fresh.key(script)
        current = fresh.current(slug, key)
        _build([Text(f"briefing {day.isoformat()}", None if current else script, slug,
                     key=key, current=current,
                     article=escape_unsafe(f"briefing:{Path(directory).resolve()}:{day}"))],
               opts, 1, 1)
        channel = _channel(Path(opts["out_dir"]), {k: None for k in CHANNEL_KEYS}, save=False)
        if channel is not None and current is None:  # the feed gets the new episode
            from filelock import FileLock, Timeout

            from .feed import write_feed
            from .sync import STATE_DIR

            # under the sync lock: a sync writing the feed from an older listing
            # of the directory at the same moment would leave the briefing out
            lock_dir = Path(opts["out_dir"]) / STATE_DIR
            lock_dir.mkdir(exist_ok=True)
            try:
                with FileLock(str(lock_dir / "sync.lock"), timeout=600):
                    write_feed(Path(opts["out_dir"]), channel,
                               warn=_feed_warn if not opts["quiet"] else lambda m: None)
            except Timeout:
                raise click.ClickException(f"the feed in {opts['out_dir']} was not updated: a "
                                           "sync held it for 10 minutes; run `feed` later")
    except (ScriptError, AudioError) as e:
        raise click.ClickException(str(e)) from e


def main() -> None:
    # numpy's OpenBLAS starts a thread per core at import and its threads
    # spin after each product: CPU the build's own threads and the encoder
    # need (measured: 0.1 s of CPU at start-up, and the offline pipeline 1.85x
    # the offline limit instead of 1.39x). Nothing here needs BLAS threads.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    stop_on_signals()
    cli_options.HARD_EXIT = True
    cli(prog_name="audio-edition")
