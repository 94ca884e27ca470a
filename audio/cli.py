"""The `audio-edition` command: a thin shell over the script and audio packages.

Library errors become one line on stderr and a non-zero exit, never a traceback.
"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from script import ScriptError, make_script, read_article

from .edition import build_edition
from .engines import CHOICES, ENGINES, EngineOptions, make_engine, select_engine
from .errors import AudioError


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


@cli.command()
@click.argument("article")
@click.option("-o", "--output", "out_dir", default="output", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Directory to write the edition into.")
@click.option("--engine", "engine_name", default="auto", show_default=True,
              metavar="|".join(CHOICES),
              help="The voice: gtts (online), espeak (offline), or auto: "
                   "gtts when Google answers, else espeak.")
@engine_options
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
def build(article, out_dir, engine_name, gtts_url, timeout, quiet):
    """Build ARTICLE (a .txt file) into OUTPUT/<slug>.mp3."""
    options = EngineOptions(gtts_url=gtts_url, timeout=timeout)
    if engine_name not in CHOICES:
        raise click.ClickException(
            f"unknown engine {engine_name!r} (choose from {', '.join(CHOICES)})")
    try:
        parsed = read_article(article)
        engine, note = select_engine(engine_name, options)
        if note and not quiet:
            click.echo(note, err=True)
        script = make_script(parsed, engine.max_chars)
        edition = build_edition(script, engine, out_dir)
    except (ScriptError, AudioError) as e:
        raise click.ClickException(str(e)) from e
    if not quiet:
        minutes, seconds = divmod(round(edition.seconds), 60)
        click.echo(f"Wrote {edition.mp3} ({minutes}:{seconds:02d}, "
                   f"{edition.segments} segments, voice {edition.engine})")


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
