"""The `audio-edition` command: a thin shell over the script and audio packages.

Options are gathered into the library's option objects in one place
(`_engine_options`, `_edition_options`); library errors become one line on
stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import sys
import webbrowser
from pathlib import Path

import click

from script import (Normalizer, Pacing, Script, ScriptError, format_script, load_lexicon,
                    make_script, parse_script, read_article)
from script.atomic import atomic_write

from .cache import ClipCache, default_cache_dir
from .edition import EditionOptions, build_edition
from .engines import CHOICES, ENGINES, EngineOptions, make_engine, select_engine
from .errors import AudioError
from .export import Encoding
from .feed import FeedInfo, write_feed
from .loudness import LoudnessTarget
from .render import RetryPolicy

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


def _script_from_article(article: str, max_chars: int, lexicon: str | None) -> Script:
    speak = Normalizer(load_lexicon(lexicon) if lexicon else None)
    return make_script(read_article(article), max_chars, speak)


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
@click.argument("article")
@edition_options
@lexicon_option
def build(article, lexicon, **opts):
    """Build ARTICLE (a .txt file) into OUTPUT/<slug>.mp3 (= script + render)."""
    _check_engine(opts)
    try:
        _render(_script_from_article(article, MAX_CHARS, lexicon), opts)
    except (ScriptError, AudioError) as e:
        raise click.ClickException(str(e)) from e


@cli.command("script")
@click.argument("article")
@click.option("-o", "--output", "out_file", default=None, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="Write the narration script here (default: standard output).")
@lexicon_option
@click.option("--max-chars", default=MAX_CHARS, show_default=True, type=click.IntRange(20, 5000),
              help="The longest segment, in spoken characters.")
def script_command(article, out_file, lexicon, max_chars):
    """Write ARTICLE's narration script: plain text an editor can fix, then render."""
    try:
        text = format_script(_script_from_article(article, max_chars, lexicon))
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
