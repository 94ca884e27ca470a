"""The `audio-edition` command: a thin shell over the script and audio packages.

Options become the library's option objects in cli_options.py; library errors
become one line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import os
import sys
import webbrowser
from pathlib import Path

import click

from script import (Normalizer, Script, ScriptError, format_script, load_lexicon, make_script,
                    parse_script, read_article)
from script.atomic import atomic_write

from .batch import Job, Outcome, SlugNamer, expand, run
from .cli_options import (OneLineErrors, ProgressBar, edition_options, edition_options_from,
                          encoding_option, engine_options, lexicon_option, voice_options)
from .edition import build_edition
from .engines import CHOICES, ENGINES, EngineOptions, make_engine, select_engine
from .errors import AudioError
from .feed import FeedInfo, write_feed
from .render import plan

MAX_CHARS = 100  # gTTS's limit per request; the offline voice uses the same segments


def _load_lexicon(lexicon: str | None) -> dict | None:
    return load_lexicon(lexicon) if lexicon else None


def _script_from_article(article: str, max_chars: int, lexicon: str | None,
                         encoding: str | None = None) -> Script:
    parsed = read_article(article, encoding)
    for warning in parsed.warnings:
        click.echo(f"Warning: {warning}", err=True)
    return make_script(parsed, max_chars, Normalizer(_load_lexicon(lexicon)))


def _check_engine(opts: dict) -> None:
    if opts["engine_name"] not in CHOICES:
        raise click.ClickException(
            f"unknown engine {opts['engine_name']!r} (choose from {', '.join(CHOICES)})")


def _render(script: Script, opts: dict) -> None:
    options = edition_options_from(opts)
    engine, note = select_engine(opts["engine_name"], engine_options(opts))
    quiet = opts["quiet"]
    if note and not quiet:
        click.echo(note, err=True)
    bar = ProgressBar(not quiet and sys.stderr.isatty())
    try:
        edition = build_edition(script, engine, opts["out_dir"], options, progress=bar)
    finally:
        bar.close()
    cache = options.cache
    if cache and cache.write_errors:
        click.echo(f"Warning: {cache.write_errors} clips could not be kept in the cache "
                   f"{cache.root} (full or read-only?); the next build makes them again",
                   err=True)
    if not quiet:
        minutes, seconds = divmod(round(edition.seconds), 60)
        r = edition.report
        click.echo(f"Wrote {edition.mp3} ({minutes}:{seconds:02d}, "
                   f"{edition.segments} segments, voice {edition.engine}, "
                   f"{r.cached} cached, {r.synthesized} synthesized)")
        click.echo(f"Read-along page: {edition.html}")
    if opts["open_page"]:
        webbrowser.open(edition.html.resolve().as_uri())


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="audio-edition")
def cli():
    """Turn a Vietnamese news article into its narrated audio edition."""


@cli.command()
@click.argument("articles", nargs=-1, required=True, metavar="ARTICLE...")
@edition_options
@lexicon_option
@encoding_option
@click.option("--workers", type=click.IntRange(1, 16), default=None,
              help="Articles built at the same time (default: the CPUs, at most 4).")
@click.option("--dry-run", is_flag=True,
              help="Print what would be built and how many segments and requests it "
                   "would take; synthesize nothing.")
def build(articles, lexicon, encoding, workers, dry_run, **opts):
    """Build each ARTICLE (.txt or .html file, http(s) URL, or a directory of them)
    into OUTPUT/<slug>.mp3 with its timings and read-along page (= script + render)."""
    _check_engine(opts)
    sources = expand(articles)
    if not sources:
        raise click.ClickException("no articles to build (a directory holds no .txt/.html)")
    if len(sources) == 1 and not dry_run:
        try:
            _render(_script_from_article(sources[0], MAX_CHARS, lexicon, encoding), opts)
        except (ScriptError, AudioError) as e:
            raise click.ClickException(str(e)) from e
        return
    try:
        _build_many(sources, lexicon, encoding, workers, dry_run, opts)
    except (ScriptError, AudioError) as e:  # before any article: a bad lexicon, no voice
        raise click.ClickException(str(e)) from e


def _build_many(sources, lexicon, encoding, workers, dry_run, opts) -> None:
    quiet = opts["quiet"]
    speak = Normalizer(_load_lexicon(lexicon))
    options = edition_options_from(opts)
    out_dir = opts["out_dir"]
    name = SlugNamer()

    def text_stage():
        """(source, script, slug) or (source, error), article by article."""
        for source in sources:
            try:
                article = read_article(source, encoding)
                script = make_script(article, MAX_CHARS, speak)
            except ScriptError as e:
                yield source, None, str(e)
                continue
            for warning in article.warnings:
                if not quiet:
                    click.echo(f"Warning: {warning}", err=True)
            yield source, script, name(script.title)

    if dry_run:
        engine = make_engine("espeak" if opts["engine_name"] == "espeak" else "gtts",
                             engine_options(opts))
        failures = 0
        for source, script, slug in text_stage():
            if script is None:
                click.echo(f"{source}: cannot build: {slug}")
                failures += 1
                continue
            clips, missing = plan(script.segments, engine, options.cache)
            click.echo(f"{source} -> {out_dir / (slug + '.mp3')}: {len(script.segments)} "
                       f"segments, {missing} {engine.name} requests ({clips - missing} cached)")
        if failures:
            sys.exit(1)
        return
    engine_name = opts["engine_name"]
    if engine_name == "auto":
        engine, note = select_engine("auto", engine_options(opts))
        engine_name = engine.name
        if not quiet:
            click.echo(note, err=True)

    def jobs():
        for source, script, slug in text_stage():
            if script is None:
                yield Outcome(source, error=slug)
            else:
                yield Job(source, script, slug, out_dir, engine_name, engine_options(opts),
                          options)

    if workers is None:
        workers = min(4, os.cpu_count() or 1)
    bar = None
    if not quiet and sys.stderr.isatty():
        bar = click.progressbar(length=len(sources), label="Articles", file=sys.stderr,
                                show_pos=True)
        bar.__enter__()
    try:
        rows = run(jobs(), workers, on_done=lambda o: bar.update(1) if bar else None)
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for row in rows:
        if not row.ok:
            where = "" if row.source in row.error else f"{row.source}: "
            click.echo(f"Error: {where}{row.error}", err=True)
    if not quiet:
        _summary(rows)
    if any(not row.ok for row in rows):
        sys.exit(1)


def _summary(rows: list[Outcome]) -> None:
    width = max(7, *(len(r.source) for r in rows))
    click.echo(f"{'article':{width}}  duration  segments  cached  status")
    for r in rows:
        if r.ok:
            minutes, seconds = divmod(round(r.seconds), 60)
            click.echo(f"{r.source:{width}}  {minutes:5d}:{seconds:02d}  {r.segments:8d}  "
                       f"{r.cached:6d}  ok")
        else:
            click.echo(f"{r.source:{width}}  {'-':>8}  {'-':>8}  {'-':>6}  failed")
    done = sum(r.ok for r in rows)
    click.echo(f"{done} built, {len(rows) - done} failed")


@cli.command("script")
@click.argument("article")
@click.option("-o", "--output", "out_file", default=None, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Write the narration script here (default: standard output).")
@lexicon_option
@encoding_option
@click.option("--max-chars", default=MAX_CHARS, show_default=True, type=click.IntRange(20, 5000),
              help="The longest segment, in spoken characters.")
def script_command(article, out_file, lexicon, encoding, max_chars):
    """Write ARTICLE's narration script: plain text an editor can fix, then render."""
    try:
        text = format_script(_script_from_article(article, max_chars, lexicon, encoding))
        if out_file is None:
            click.echo(text, nl=False)
        else:
            atomic_write(out_file, text.encode("utf-8"))
    except ScriptError as e:
        raise click.ClickException(str(e)) from e
    except OSError as e:
        raise click.ClickException(f"cannot write {out_file}: {e.strerror or e}") from e


@cli.command()
@click.argument("script_file", metavar="SCRIPT", type=click.Path(dir_okay=False, path_type=Path))
@edition_options
def render(script_file, **opts):
    """Render a narration SCRIPT (from `audio-edition script`, maybe edited) into an MP3."""
    _check_engine(opts)
    try:
        try:
            text = script_file.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise click.ClickException(f"no such file: {script_file}") from None
        except (OSError, UnicodeDecodeError) as e:
            raise click.ClickException(f"cannot read {script_file}: {e}") from None
        _render(parse_script(text), opts)
    except (ScriptError, AudioError) as e:
        raise click.ClickException(str(e)) from e


@cli.command()
@voice_options
def engines(gtts_url, timeout):
    """List the voices, whether each is usable here, and why not."""
    options = EngineOptions(gtts_url=gtts_url, timeout=timeout)
    for name in ENGINES:
        ok, reason = make_engine(name, options).available()
        click.echo(f"{name:8} {'yes' if ok else 'no ':3}  {reason}")


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--base-url", required=True, metavar="URL",
              help="Where DIRECTORY is published; enclosure URLs start with it.")
@click.option("--title", default=FeedInfo.title, show_default=True, help="The podcast's title.")
@click.option("--description", default=FeedInfo.description, show_default=True,
              help="The podcast's description.")
@click.option("--author", default=None, help="The podcast's author (publisher).")
@click.option("-o", "--output", "out_file", default=None, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the feed (default: DIRECTORY/feed.xml).")
def feed(directory, base_url, title, description, author, out_file):
    """Write a podcast RSS feed of the editions built into DIRECTORY."""
    if not base_url.startswith(("http://", "https://")):
        raise click.ClickException(f"--base-url must be an http(s) URL, not {base_url!r}")
    try:
        out = write_feed(directory, FeedInfo(base_url=base_url, title=title,
                                             description=description, author=author), out_file)
    except AudioError as e:
        raise click.ClickException(str(e)) from e
    click.echo(f"Wrote {out}")


def main() -> None:
    cli(prog_name="audio-edition")
