"""Errors of the sound side. Each message is one line a producer can act on."""
from __future__ import annotations


class AudioError(Exception):
    """Base class: anything that stops an edition from being rendered."""


class EngineUnavailable(AudioError):
    """The chosen voice cannot be used on this machine right now."""


class SynthesisError(AudioError):
    """A voice failed to produce audio for a segment.

    `retryable` says whether trying again may help (HTTP 429 and 5xx,
    timeouts, dropped connections, an answer without audio); `retry_after`
    is the server's own wait in seconds, when it gave one.
    """

    def __init__(self, message: str, retryable: bool = False,
                 retry_after: float | None = None, reached: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after
        self.reached = reached  # False: the server could not be reached at all


class ExportError(AudioError):
    """The MP3 could not be written."""
