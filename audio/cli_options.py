"""The command line's options, gathered into the library's option objects in
one place (`engine_options`, `edition_options`), the error shell that turns
every error into one line, and the progress bar."""
from __future__ import annotations

import math
import os
import sys
from pathlib import Path

import click

from script import Pacing

from .cache import default_cache_dir
from .engines import CHOICES, EngineOptions
from .model import Edges, EditionOptions, Encoding, LoudnessTarget, RetryPolicy
from .signals import Interrupted, exit_for

PAUSE_KINDS = ("word", "phrase", "sentence", "paragraph", "section", "title")


def one_line(message: str) -> str:
    """A message as one line: control characters (a newline in a file name,
    a terminal escape), bidi overrides and undecodable bytes written as their
    escapes."""
    from script import escape_unsafe

    return escape_unsafe("".join(repr(c)[1:-1] if ord(c) < 32 or c == "\x7f" else c
                                 for c in message))


HARD_EXIT = False  # set by cli.main(): the process is the command's own


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
            click.echo(f"Error: {one_line(e.format_message())}{hint}", err=True)
            sys.exit(e.exit_code)
        except click.ClickException as e:
            click.echo(f"Error: {one_line(e.format_message())}", err=True)
            sys.exit(e.exit_code)
        except (click.Abort, KeyboardInterrupt, Interrupted) as e:
            line, status = exit_for(e)
            click.echo(line, err=True)
            # Unwound: every `finally` has run and the temporary files are gone.
            # A voice request stuck on a slow server would keep a worker thread,
            # and the interpreter's exit would wait for it (up to --timeout):
            # leave now.
            for stream in (sys.stdout, sys.stderr):
                try:
                    stream.flush()
                except (OSError, ValueError):
                    pass
            # (not after a batch: its workers are gone already, and multiprocessing
            # must unregister its semaphores on the way out)
            if not HARD_EXIT or "concurrent.futures.process" in sys.modules:
                sys.exit(status)  # a library caller (a test's runner) goes on
            os._exit(status)
        except Exception as e:  # a bug: still one line, and the way to see more
            if os.environ.get("AUDIO_EDITION_DEBUG"):
                raise
            click.echo(f"Error: internal error ({type(e).__name__}: {one_line(str(e))}); "
                       f"set AUDIO_EDITION_DEBUG=1 for the traceback", err=True)
            sys.exit(70)
        sys.exit(rv if isinstance(rv, int) else 0)


class Number(click.FloatRange):
    """A finite number in a range. click's FloatRange lets NaN through (no
    comparison with it is true), and a NaN speed or loudness would reach
    ffmpeg or numpy; here it is a usage error that names the option."""

    name = "number"

    def convert(self, value, param, ctx):
        number = click.FLOAT.convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return super().convert(number, param, ctx)


class PlainText(click.ParamType):
    """A name or description for the tags, the page or the feed: one line,
    without the control and bidi characters no published text may carry."""

    name = "text"

    def convert(self, value, param, ctx):
        from script import clean_text  # (when the option is given, not for --help)

        return " ".join(clean_text(str(value)).split())


class Prefer(click.ParamType):
    """A comma-separated order of voices: each a known engine, each once."""

    name = "voices"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        from .engines import ENGINES

        names = tuple(n.strip() for n in str(value).split(",") if n.strip())
        wrong = [n for n in names if n not in ENGINES]
        if wrong or not names or len(set(names)) != len(names):
            self.fail(f"{value!r}: give voices from {', '.join(ENGINES)}, each once, "
                      f"comma-separated", param, ctx)
        return names


class HttpUrl(click.ParamType):
    """An http(s) URL with a host, and nothing a request line cannot carry."""

    name = "url"

    def convert(self, value, param, ctx):
        from .feed import http_url  # (when the option is given, not for --help)

        url = http_url(value)
        if url is None:
            self.fail(f"{value!r} is not an http(s) URL.", param, ctx)
        return url


def options(*decorators):
    def apply(f):
        for decorator in reversed(decorators):
            f = decorator(f)
        return f
    return apply


# espeak-ng's Vietnamese voices, which Piper's phonemizer carries
PHONEMIZER_LANGUAGES = ("vi", "vi-vn-x-central", "vi-vn-x-south")

voice_options = options(
    click.option("--gtts-url", envvar="AUDIO_EDITION_GTTS_URL", default=None, metavar="URL",
                 type=HttpUrl(),
                 help="Post gTTS requests to this batchexecute URL instead of Google's "
                      "(a mirror or a test server)."),
    click.option("--prefer", default="gtts,piper,espeak", show_default=True,
                 metavar="VOICE,...", type=Prefer(),
                 help="The order in which --engine auto tries the voices (piper only when "
                      "--voice is given)."),
    click.option("--voice", "piper_voice", envvar="AUDIO_EDITION_PIPER_VOICE", default=None,
                 metavar="PATH.onnx",
                 help="The Piper voice for --engine piper (its .onnx.json config beside it)."),
    click.option("--voice-language", "piper_language", default=None, metavar="CODE",
                 type=click.Choice(PHONEMIZER_LANGUAGES),
                 help="The language Piper's phonemizer reads with: vi (northern), "
                      "vi-vn-x-central, vi-vn-x-south; default: the article's (vi)."),
    click.option("--timeout", default=15.0, show_default=True,
                 type=Number(0, 300, min_open=True),
                 help="Seconds to wait for the online voice."),
)

edition_options = options(
    click.option("-o", "--output", "out_dir", default="output", show_default=True,
                 type=click.Path(file_okay=False, path_type=Path),
                 help="Directory to write the edition into."),
    click.option("--engine", "engine_name", default="auto", show_default=True,
                 metavar="|".join(CHOICES),
                 help="The voice: gtts (online), espeak (offline), piper (offline, "
                      "neural, with --voice), or auto: the first of --prefer that "
                      "answers."),
    voice_options,
    click.option("--no-fallback", is_flag=True,
                 help="Publish with the online voice or not at all: when Google cannot be "
                      "reached, fail instead of using the offline voice."),
    click.option("-j", "--jobs", default=4, show_default=True, type=click.IntRange(1, 32),
                 help="Segments synthesized at the same time."),
    click.option("--retries", default=5, show_default=True, type=click.IntRange(1, 20),
                 help="Tries per segment before giving up (429, 5xx, timeouts, dropped "
                      "connections, answers without audio)."),
    click.option("--retry-delay", default=0.5, show_default=True, type=Number(0, 60),
                 help="Seconds before the second try; doubles each time, with jitter; a "
                      "server's Retry-After wins."),
    click.option("--cache", "cache_dir", envvar="AUDIO_EDITION_CACHE", default=None,
                 type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
                 help="Clip cache directory (default: the user cache directory)."),
    click.option("--no-cache", is_flag=True, help="Neither read nor write the clip cache."),
    click.option("--force", is_flag=True,
                 help="Build even when the edition on disk is up to date (same article, "
                      "options, voice and versions)."),
    *[click.option(f"--pause-{kind}", type=Number(0, 10), default=None,
                   metavar="SECONDS",
                   help=f"Pause after a {kind} (default {Pacing().ms(kind) / 1000:g}).")
      for kind in PAUSE_KINDS],
    click.option("--pause-start", type=Number(0, 10), default=Edges.start_ms / 1000,
                 show_default=True, metavar="SECONDS",
                 help="Silence before the first sound (players that wake late eat it, "
                      "not the title)."),
    click.option("--pause-end", type=Number(0, 10), default=Edges.end_ms / 1000,
                 show_default=True, metavar="SECONDS", help="Silence after the last sound."),
    click.option("--loudness", default=LoudnessTarget.lufs, show_default=True,
                 type=Number(-40, -5), metavar="LUFS",
                 help="Integrated loudness target (-19: the podcast convention for "
                      "mono, heard like a stereo show at -16)."),
    click.option("--true-peak", default=-1.0, show_default=True,
                 type=Number(-12, 0), metavar="DBTP", help="True-peak ceiling."),
    click.option("--speed", default=1.0, show_default=True, type=Number(0.75, 1.5),
                 help="Tempo, 0.75 to 1.5; the pitch is kept."),
    click.option("--intro", type=click.Path(dir_okay=False, path_type=Path), default=None,
                 metavar="FILE", help="Audio to play before the narration (a jingle)."),
    click.option("--outro", type=click.Path(dir_okay=False, path_type=Path), default=None,
                 metavar="FILE", help="Audio to play after it."),
    click.option("--bitrate", default="64k", show_default=True,
                 type=click.Choice(["32k", "48k", "64k", "96k", "128k", "192k"]),
                 help="MP3 bitrate (mono)."),
    click.option("--sample-rate", default=str(Encoding.sample_rate), show_default=True,
                 type=click.Choice(["22050", "24000", "32000", "44100", "48000"]),
                 help="The MP3's sample rate (the voice is resampled once, by soxr)."),
    click.option("--cover", type=click.Path(dir_okay=False, path_type=Path), default=None,
                 metavar="IMAGE",
                 help="Cover art: a square JPEG or PNG of 1400-3000 px, embedded in the "
                      "MP3 and published beside it (the feed's episode image)."),
    click.option("--publisher", default=None, metavar="NAME", type=PlainText(),
                 help="The publisher, written as the MP3's album tag."),
    click.option("--open", "open_page", is_flag=True,
                 help="Open the read-along page in the default browser when done."),
    click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors."),
)

source_options = options(
    click.option("--encoding", default=None, metavar="NAME",
                 help="The text encoding of .txt articles (default: detected: UTF-8, "
                      "UTF-16, Windows-1258, TCVN3, VNI)."),
    click.option("--allow-private-urls", is_flag=True,
                 help="Follow a URL's redirect from a public address to a private or "
                      "loopback one (refused by default: a server must not be led to "
                      "its own admin pages)."),
)

lexicon_option = click.option(
    "--lexicon", type=click.Path(dir_okay=False), default=None, metavar="FILE",
    help='TOML file of "written" = "spoken" pairs (names, acronyms), applied before '
         "the built-in rules.")


def engine_options(opts: dict) -> EngineOptions:
    return EngineOptions(gtts_url=opts["gtts_url"], timeout=opts["timeout"],
                         prefer=opts.get("prefer") or EngineOptions.prefer,
                         piper_voice=Path(opts["piper_voice"]) if opts.get("piper_voice")
                         else None, piper_language=opts.get("piper_language"))


def cache_dir_from(opts: dict) -> Path | None:
    """The clip cache's directory (None: --no-cache). What killed builds left
    in it is removed before the first build (batch.jobs)."""
    if opts["no_cache"]:
        return None
    return Path(opts["cache_dir"] or default_cache_dir())


def edition_options_from(opts: dict) -> EditionOptions:
    return EditionOptions(
        pacing=Pacing().with_seconds(**{k: opts[f"pause_{k}"] for k in PAUSE_KINDS}),
        loudness=LoudnessTarget(lufs=opts["loudness"], true_peak=opts["true_peak"]),
        encoding=Encoding(bitrate=opts["bitrate"], speed=opts["speed"],
                          true_peak=opts["true_peak"], sample_rate=int(opts["sample_rate"])),
        edges=Edges(round(opts["pause_start"] * 1000), round(opts["pause_end"] * 1000)),
        intro=opts["intro"], outro=opts["outro"], publisher=opts["publisher"],
        cover=opts["cover"],
        jobs=opts["jobs"], retry=RetryPolicy(tries=opts["retries"], base=opts["retry_delay"]))


class ProgressBar:
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
