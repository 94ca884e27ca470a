"""The one small interface every voice implements."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

SAMPLE_WIDTH = 2  # bytes: every clip is mono signed 16-bit little-endian PCM


@dataclass(frozen=True)
class Clip:
    """Mono 16-bit PCM and its sample rate."""

    pcm: bytes
    sample_rate: int
    key: str = field(default="", compare=False)  # the clip cache's key, when it has one

    @property
    def frames(self) -> int:
        return len(self.pcm) // SAMPLE_WIDTH

    @property
    def seconds(self) -> float:
        return self.frames / self.sample_rate


@runtime_checkable
class Engine(Protocol):
    name: str
    max_chars: int  # the longest text one synthesize() call should get
    sample_rate: int  # the rate of the clips it returns

    @property
    def identity(self) -> dict:
        """Everything that decides how a clip sounds besides the text (engine,
        voice, options, library version): the clip cache's key includes it."""
        ...

    def available(self) -> tuple[bool, str]:
        """Whether the voice works here now, and a one-line reason."""
        ...

    def synthesize(self, text: str) -> Clip:
        """Speech for text; raises SynthesisError (retryable or not), never
        returns an empty clip. Called from several threads at once."""
        ...
