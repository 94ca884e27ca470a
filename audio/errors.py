"""Errors of the sound side. Each message is one line a producer can act on."""


class AudioError(Exception):
    """Base class: anything that stops an edition from being rendered."""


class EngineUnavailable(AudioError):
    """The chosen voice cannot be used on this machine right now."""


class SynthesisError(AudioError):
    """A voice failed to produce audio for a segment."""


class ExportError(AudioError):
    """The MP3 could not be written."""
