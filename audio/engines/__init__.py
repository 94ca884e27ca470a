"""The voices, found by name through one registry.

To add an engine: write a class with `name`, `max_chars`, `sample_rate`,
`identity`, `available()` and `synthesize(text) -> Clip` (see base.Engine),
and add a factory to ENGINES.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ..errors import EngineUnavailable
from ..model import Clip, RetryPolicy
from .base import ANSWERS, UNREACHABLE, Engine

if TYPE_CHECKING:
    from .espeak import EspeakEngine
    from .google import GttsEngine


@dataclass(frozen=True)
class EngineOptions:
    """What the CLI knows about voices, gathered in one place."""

    lang: str = "vi"
    gtts_url: str | None = None  # another batchexecute endpoint (a mirror, a test fake)
    gtts_tld: str = "com"
    timeout: float = 15.0
    # a Piper model (PATH.onnx, its .onnx.json beside it); a Path, so the
    # up-to-date check hashes what is in it, not where it is
    piper_voice: Path | None = None
    prefer: tuple[str, ...] = ("gtts", "piper", "espeak")  # the order 'auto' tries the voices
    # the language Piper's phonemizer reads with (an espeak-ng voice); None: `lang`
    piper_language: str | None = None


def _gtts(o: EngineOptions) -> Engine:
    from .google import GttsEngine  # gTTS and requests: loaded for the online voice only

    return GttsEngine(lang=o.lang, tld=o.gtts_tld, endpoint=o.gtts_url, timeout=o.timeout)


def _espeak(o: EngineOptions) -> Engine:
    from .espeak import EspeakEngine

    return EspeakEngine(voice=o.lang)


def _piper(o: EngineOptions) -> Engine:
    from .piper import PiperEngine  # piper-tts and onnxruntime: the [piper] extra

    return PiperEngine(voice=o.piper_voice, language=o.piper_language or o.lang)


ENGINES: dict[str, Callable[[EngineOptions], Engine]] = {"gtts": _gtts, "espeak": _espeak,
                                                         "piper": _piper}
CHOICES = ("auto", *ENGINES)


def make_engine(name: str, options: EngineOptions = EngineOptions()) -> Engine:
    try:
        factory = ENGINES[name]
    except KeyError:
        raise EngineUnavailable(
            f"unknown engine {name!r} (choose from {', '.join(CHOICES)})") from None
    return factory(options)


def warm_up(name: str) -> None:
    """Load the libraries of the voices `name` may use ('auto': both); what
    fails here is reported when the voice is used."""
    if name in ("gtts", "auto"):
        import importlib

        for module in ("gtts", "requests", "miniaudio"):  # the request, its transport, the decoder
            try:
                importlib.import_module(module)
            except ImportError:
                pass
    if name in ("espeak", "auto"):
        from .espeak import _load

        try:
            _load()
        except EngineUnavailable:
            pass


def segment_limit(name: str, options: EngineOptions = EngineOptions()) -> int:
    """The longest segment a build for `name` cuts the article into: that
    voice's `max_chars`; for 'auto', the least of the voices it may choose, so
    the script (and so the clip cache) is the same whichever answers."""
    names = tuple(n for n in options.prefer if n in ENGINES) if name == "auto" else (name,)
    return min(make_engine(n, options).max_chars for n in names)


_NAMES = {"gtts": "Google's", "piper": "Piper's", "espeak": "espeak-ng's"}


def select_engine(name: str, options: EngineOptions = EngineOptions(),
                  retry: RetryPolicy | None = None,
                  fallback: bool = True) -> tuple[Engine, str, bool]:
    """The engine to use, one line saying which voice and why ('' when it
    was asked for by name), and whether another voice stands in for the
    preferred one (a change of voice the producer must hear about).

    'auto' takes the voices in `options.prefer` order (default: gtts, then
    piper when a Piper voice is given, then espeak). Google's is used when it
    answers a probe (`--timeout` a try); a 429 or 5xx means Google is there but
    busy: the probe asks again with `retry`, and when Google is still busy,
    or refuses, the build stops with that reason rather than change voice.
    Only a voice that cannot be reached or loaded at all gives way to the
    next, and not with `fallback=False` (--no-fallback)."""
    if name != "auto":
        return make_engine(name, options), "", False
    order = [n for n in options.prefer if n in ENGINES
             and (n != "piper" or options.piper_voice is not None)] or ["gtts", "espeak"]
    first, reasons = order[0], []
    for n in order:
        engine = make_engine(n, options)
        if n == "gtts":
            found = engine.probe(retry)
            if found.state == ANSWERS:
                note = f"Voice: gtts (Google Translate; {found.reason})"
                ok, reason = True, found.reason
            elif found.state != UNREACHABLE:
                raise EngineUnavailable(f"Google's voice: {found.reason}; try again later, or "
                                        f"choose the offline voice with --engine espeak")
            else:
                ok, reason = False, found.reason
        else:
            ok, reason = engine.available()
            note = f"Voice: {n} ({reason})"
        if ok and n == first:
            return engine, note, False
        if ok:
            why = "; ".join(r if a == first else f"{a}: {r}" for a, r in reasons)
            return engine, (f"using the {'offline ' if n != 'gtts' else ''}voice ({n}), "
                            f"not {_NAMES.get(first, first)}: {why}"), True
        reasons.append((n, reason))
        if n == first and not fallback:
            raise EngineUnavailable(f"{_NAMES.get(n, n)} voice cannot be reached ({reason}) "
                                    f"and --no-fallback refuses the offline voice")
    raise EngineUnavailable("no voice available: " + "; ".join(f"{a}: {r}" for a, r in reasons))


def __getattr__(name: str):
    """The engine classes, loaded on first use (PEP 562)."""
    if name == "EspeakEngine":
        from .espeak import EspeakEngine

        return EspeakEngine
    if name == "GttsEngine":
        from .google import GttsEngine

        return GttsEngine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["CHOICES", "Clip", "ENGINES", "Engine", "EngineOptions", "EspeakEngine",
           "GttsEngine", "make_engine", "segment_limit", "select_engine"]
