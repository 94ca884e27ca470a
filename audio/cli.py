"""The `audio-edition` command: a thin shell over the script and audio packages.

Library errors become one line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from script import (Normalizer, Script, ScriptError, format_script, load_lexicon, make_script,
                    parse_script, read_article)
from script.atomic import atomic_write

from .cache import ClipCache, default_cache_dir
from .edition import build_edition
from .engines import CHOICES, ENGINES, EngineOptions, make_engine, select_engine
from .errors import AudioError
from .render import RetryPolicy


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


def engine_options(f):
    """Options shared by every command that talks to a voice."""
    f = click.option("--gtts-url", envvar="AUDIO_EDITION_GTTS_URL", default=None,
                     metavar="URL",
                     help="Post gTTS requests to this batchexecute URL instead of "
                          "Google's (a mirror or a test server).")(f)
    f = click.option("--timeout", default=15.0, show_default=True, type=float,
                     help="Seconds to wait for the online voice.")(f)
    return f


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="audio-edition")
def cli():
    """Turn a Vietnamese news article into its narrated audio edition."""


def _script_from_article(article: str, max_chars: int, lexicon: str | None) -> Script:
    speak = Normalizer(load_lexicon(lexicon) if lexicon else None)
    return make_script(read_article(article), max_chars, speak)


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


def _render(script: Script, out_dir: Path, engine_name: str, options: EngineOptions,
            render_options: dict, quiet: bool) -> None:
    engine, note = select_engine(engine_name, options)
    if note and not quiet:
        click.echo(note, err=True)
    bar = _ProgressBar(not quiet and sys.stderr.isatty())
    try:
        edition = build_edition(script, engine, out_dir, progress=bar, **render_options)
    finally:
        bar.close()
    if not quiet:
        minutes, seconds = divmod(round(edition.seconds), 60)
        r = edition.report
        click.echo(f"Wrote {edition.mp3} ({minutes}:{seconds:02d}, "
                   f"{edition.segments} segments, voice {edition.engine}, "
                   f"{r.cached} cached, {r.synthesized} synthesized)")


def render_options(f):
    """How clips are made: concurrency, retries, the cache."""
    f = click.option("-j", "--jobs", default=4, show_default=True, type=click.IntRange(1, 32),
                     help="Segments synthesized at the same time.")(f)
    f = click.option("--retries", default=5, show_default=True, type=click.IntRange(1, 20),
                     help="Tries per segment before giving up (429, 5xx, timeouts, "
                          "dropped connections, answers without audio).")(f)
    f = click.option("--retry-delay", default=0.5, show_default=True,
                     type=click.FloatRange(0, 60),
                     help="Seconds before the second try; doubles each time, with jitter; "
                          "a server's Retry-After wins.")(f)
    f = click.option("--cache", "cache_dir", envvar="AUDIO_EDITION_CACHE", default=None,
                     type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
                     help="Clip cache directory (default: the user cache directory).")(f)
    f = click.option("--no-cache", is_flag=True,
                     help="Neither read nor write the clip cache.")(f)
    return f


def _render_options(jobs, retries, retry_delay, cache_dir, no_cache) -> dict:
    cache = None
    if not no_cache:
        cache = ClipCache(cache_dir or default_cache_dir())
        cache.clean_stale()
    return {"jobs": jobs, "retry": RetryPolicy(tries=retries, base=retry_delay),
            "cache": cache}


def _check_engine(name: str) -> None:
    if name not in CHOICES:
        raise click.ClickException(f"unknown engine {name!r} (choose from {', '.join(CHOICES)})")


output_dir_option = click.option(
    "-o", "--output", "out_dir", default="output", show_default=True,
    type=click.Path(file_okay=False, path_type=Path), help="Directory to write the edition into.")
engine_choice_option = click.option(
    "--engine", "engine_name", default="auto", show_default=True, metavar="|".join(CHOICES),
    help="The voice: gtts (online), espeak (offline), or auto: gtts when Google answers, "
         "else espeak.")
lexicon_option = click.option(
    "--lexicon", type=click.Path(dir_okay=False), default=None, metavar="FILE",
    help="TOML file of \"written\" = \"spoken\" pairs (names, acronyms), applied before "
         "the built-in rules.")
quiet_option = click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
MAX_CHARS = 100  # gTTS's limit per request; the offline voice uses the same segments


@cli.command()
@click.argument("article")
@output_dir_option
@engine_choice_option
@engine_options
@render_options
@lexicon_option
@quiet_option
def build(article, out_dir, engine_name, gtts_url, timeout, jobs, retries, retry_delay,
          cache_dir, no_cache, lexicon, quiet):
    """Build ARTICLE (a .txt file) into OUTPUT/<slug>.mp3 (= script + render)."""
    _check_engine(engine_name)
    options = EngineOptions(gtts_url=gtts_url, timeout=timeout)
    try:
        script = _script_from_article(article, MAX_CHARS, lexicon)
        _render(script, out_dir, engine_name, options,
                _render_options(jobs, retries, retry_delay, cache_dir, no_cache), quiet)
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
@output_dir_option
@engine_choice_option
@engine_options
@render_options
@quiet_option
def render(script_file, out_dir, engine_name, gtts_url, timeout, jobs, retries, retry_delay,
           cache_dir, no_cache, quiet):
    """Render a narration SCRIPT (from `audio-edition script`, maybe edited) into an MP3."""
    _check_engine(engine_name)
    options = EngineOptions(gtts_url=gtts_url, timeout=timeout)
    try:
        try:
            text = script_file.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise click.ClickException(f"no such file: {script_file}") from None
        except (OSError, UnicodeDecodeError) as e:
            raise click.ClickException(f"cannot read {script_file}: {e}") from None
        _render(parse_script(text), out_dir, engine_name, options,
                _render_options(jobs, retries, retry_delay, cache_dir, no_cache), quiet)
    except (ScriptError, AudioError) as e:
        raise click.ClickException(str(e)) from e


@cli.command()
@engine_options
def engines(gtts_url, timeout):
    """List the voices, whether each is usable here, and why not."""
    options = EngineOptions(gtts_url=gtts_url, timeout=timeout)
    for name in ENGINES:
        ok, reason = make_engine(name, options).available()
        click.echo(f"{name:8} {'yes' if ok else 'no ':3}  {reason}")


def main() -> None:
    cli(prog_name="audio-edition")
