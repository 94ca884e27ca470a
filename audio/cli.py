"""The `audio-edition` command: a thin shell over the script and audio packages.

Options are gathered into the library's option objects in one place
(`_engine_options`, `_edition_options`); library errors become one line on
stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import os
import sys
import webbrowser
from pathlib import Path

import click

from script import (Normalizer, Pacing, Script, ScriptError, format_script, load_lexicon,
                    make_script, parse_script, read_article)
from script.atomic import atomic_write

from .batch import Job, Outcome, SlugNamer, expand, run
from .cache import ClipCache, default_cache_dir
from .edition import EditionOptions, build_edition
from .engines import CHOICES, ENGINES, EngineOptions, make_engine, select_engine
from .errors import AudioError
from .export import Encoding
from .feed import FeedInfo, write_feed
from .loudness_target import LoudnessTarget
from .render import RetryPolicy, plan

MAX_CHARS = 100  # gTTS's limit per request; the offline voice uses the same segments
PAUSE_KINDS = ("word", "phrase", "sentence", "paragraph", "section", "title")


class OneLineErrors(click.Group):
    """Every error, usage errors included, is one line: `Error: …`."""

    def main(self, args=None, prog_name=None, complete_var=None,
             standalone_mode=True, **extra):
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            rv = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as e:
            hint = f" (see '{e.ctx.command_path} --help')" if e.ctx else ""
            click.echo(f"Error: {e.format_message()}{hint}", err=True)
            sys.exit(e.exit_code)
        except click.ClickException as e:
            click.echo(f"Error: {e.format_message()}", err=True)
            sys.exit(e.exit_code)
        except click.Abort:
            click.echo("Error: interrupted", err=True)
            sys.exit(130)
        except Exception as e:  # a bug: still one line, and the way to see more
            if os.environ.get("AUDIO_EDITION_DEBUG"):
                raise
            click.echo(f"Error: internal error ({type(e).__name__}: {e}); "
                       f"set AUDIO_EDITION_DEBUG=1 for the traceback", err=True)
            sys.exit(70)
        sys.exit(rv if isinstance(rv, int) else 0)


def _options(*decorators):
    def apply(f):
        for decorator in reversed(decorators):
            f = decorator(f)
        return f
    return apply


voice_options = _options(
    click.option("--gtts-url", envvar="AUDIO_EDITION_GTTS_URL", default=None, metavar="URL",
                 help="Post gTTS requests to this batchexecute URL instead of Google's "
                      "(a mirror or a test server)."),
    click.option("--timeout", default=15.0, show_default=True, type=float,
                 help="Seconds to wait for the online voice."),
)

edition_options = _options(
    click.option("-o", "--output", "out_dir", default="output", show_default=True,
                 type=click.Path(file_okay=False, path_type=Path),
                 help="Directory to write the edition into."),
    click.option("--engine", "engine_name", default="auto", show_default=True,
                 metavar="|".join(CHOICES),
                 help="The voice: gtts (online), espeak (offline), or auto: gtts when "
                      "Google answers, else espeak."),
    voice_options,
    click.option("-j", "--jobs", default=4, show_default=True, type=click.IntRange(1, 32),
                 help="Segments synthesized at the same time."),
    click.option("--retries", default=5, show_default=True, type=click.IntRange(1, 20),
                 help="Tries per segment before giving up (429, 5xx, timeouts, dropped "
                      "connections, answers without audio)."),
    click.option("--retry-delay", default=0.5, show_default=True, type=click.FloatRange(0, 60),
                 help="Seconds before the second try; doubles each time, with jitter; a "
                      "server's Retry-After wins."),
    click.option("--cache", "cache_dir", envvar="AUDIO_EDITION_CACHE", default=None,
                 type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
                 help="Clip cache directory (default: the user cache directory)."),
    click.option("--no-cache", is_flag=True, help="Neither read nor write the clip cache."),
    *[click.option(f"--pause-{kind}", type=click.FloatRange(0, 10), default=None,
                   metavar="SECONDS",
                   help=f"Pause after a {kind} (default {Pacing().ms(kind) / 1000:g}).")
      for kind in PAUSE_KINDS],
    click.option("--loudness", default=-16.0, show_default=True,
                 type=click.FloatRange(-40, -5), metavar="LUFS",
                 help="Integrated loudness target."),
    click.option("--true-peak", default=-1.0, show_default=True,
                 type=click.FloatRange(-12, 0), metavar="DBTP", help="True-peak ceiling."),
    click.option("--speed", default=1.0, show_default=True, type=click.FloatRange(0.75, 1.5),
                 help="Tempo, 0.75 to 1.5; the pitch is kept."),
    click.option("--intro", type=click.Path(dir_okay=False, path_type=Path), default=None,
                 metavar="FILE", help="Audio to play before the narration (a jingle)."),
    click.option("--outro", type=click.Path(dir_okay=False, path_type=Path), default=None,
                 metavar="FILE", help="Audio to play after it."),
    click.option("--bitrate", default="64k", show_default=True,
                 type=click.Choice(["32k", "48k", "64k", "96k", "128k", "192k"]),
                 help="MP3 bitrate (mono)."),
    click.option("--publisher", default=None, metavar="NAME",
                 help="The publisher, written as the MP3's album tag."),
    click.option("--open", "open_page", is_flag=True,
                 help="Open the read-along page in the default browser when done."),
    click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors."),
)

encoding_option = click.option(
    "--encoding", default=None, metavar="NAME",
    help="The text encoding of .txt articles (default: detected: UTF-8, UTF-16, "
         "Windows-1258, TCVN3, VNI).")

lexicon_option = click.option(
    "--lexicon", type=click.Path(dir_okay=False), default=None, metavar="FILE",
    help='TOML file of "written" = "spoken" pairs (names, acronyms), applied before '
         "the built-in rules.")


def _engine_options(opts: dict) -> EngineOptions:
    return EngineOptions(gtts_url=opts["gtts_url"], timeout=opts["timeout"])


def _edition_options(opts: dict) -> EditionOptions:
    cache = None
    if not opts["no_cache"]:
        cache = ClipCache(opts["cache_dir"] or default_cache_dir())
        cache.clean_stale()
    return EditionOptions(
        pacing=Pacing().with_seconds(**{k: opts[f"pause_{k}"] for k in PAUSE_KINDS}),
        loudness=LoudnessTarget(lufs=opts["loudness"], true_peak=opts["true_peak"]),
        encoding=Encoding(bitrate=opts["bitrate"], speed=opts["speed"],
                          true_peak=opts["true_peak"]),
        intro=opts["intro"], outro=opts["outro"], publisher=opts["publisher"],
        jobs=opts["jobs"], retry=RetryPolicy(tries=opts["retries"], base=opts["retry_delay"]),
        cache=cache)


class _ProgressBar:
    """Segments done / total and how many came from the cache, on a terminal only."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.bar = None
        self.cached = 0
        self.shown = 0

    def __call__(self, done: int, total: int, cached: int) -> None:
        if not self.enabled:
            return
        self.cached = cached
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Synthesizing", file=sys.stderr,
                                         show_pos=True,
                                         item_show_func=lambda _: f"{self.cached} cached")
            self.bar.__enter__()
        self.bar.update(done - self.shown)
        self.shown = done

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


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
    options = _edition_options(opts)
    engine, note = select_engine(opts["engine_name"], _engine_options(opts))
    quiet = opts["quiet"]
    if note and not quiet:
        click.echo(note, err=True)
    bar = _ProgressBar(not quiet and sys.stderr.isatty())
    try:
        edition = build_edition(script, engine, opts["out_dir"], options, progress=bar)
    finally:
        bar.close()
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
    _build_many(sources, lexicon, encoding, workers, dry_run, opts)


def _build_many(sources, lexicon, encoding, workers, dry_run, opts) -> None:
    quiet = opts["quiet"]
    speak = Normalizer(_load_lexicon(lexicon))
    options = _edition_options(opts)
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
                             _engine_options(opts))
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
        engine, note = select_engine("auto", _engine_options(opts))
        engine_name = engine.name
        if not quiet:
            click.echo(note, err=True)

    def jobs():
        for source, script, slug in text_stage():
            if script is None:
                yield Outcome(source, error=slug)
            else:
                yield Job(source, script, slug, out_dir, engine_name, _engine_options(opts),
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
