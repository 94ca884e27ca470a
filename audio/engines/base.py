"""The one small interface every voice implements."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from ..model import Clip

# What an online voice's probe found (GttsEngine.probe).
ANSWERS = "answers"
UNREACHABLE = "unreachable"  # no connection, no answer in time: the offline voice may stand in
BUSY = "busy"  # it answers 429/5xx, still after the retries: it is there, try later
REFUSED = "refused"  # it answers, and refuses (403, 400...)


@dataclass(frozen=True)
class Probe:
    state: str
    reason: str


@runtime_checkable
class Engine(Protocol):
    """A voice. Every member below is required:

    - `name`: how `--engine` calls it, and what the JSON and the summary say;
    - `max_chars`: the longest text one `synthesize()` call should get: a
      build cuts the article's segments to it;
    - `sample_rate`: the rate of the clips it returns;
    - `identity`: what decides how a clip sounds besides the text (engine,
      voice, options, library version): the clip cache's key includes it, so
      a change of voice never reuses another voice's clips;
    - `available()`: whether the voice works here now, and a one-line reason;
    - `synthesize(text)`: the clip, or `SynthesisError`.

    Optional: `with_speed(speed) -> Engine`, the same voice speaking faster or
    slower by itself (Piper); a voice without it is sped up by a tempo filter.
    Optional: `max_jobs`, how many `synthesize()` calls at once are of any use
    (an in-process voice that makes one clip at a time: 1); `--jobs` is
    capped by it. A voice without it takes `--jobs` calls at once.
    """

    name: str
    max_chars: int
    sample_rate: int

    @property
    def identity(self) -> dict:
        ...

    def available(self) -> tuple[bool, str]:
        ...

    def synthesize(self, text: str) -> Clip:
        """Speech for text; raises SynthesisError (retryable or not), never
        returns an empty clip. Called from several threads at once."""
        ...
