"""pydub, imported once and pointed at our ffmpeg.

pydub looks for ffmpeg on PATH when it is imported and warns when there is
none; the imageio-ffmpeg wheel's binary is not on PATH, so the warning is
silenced here and the converter set to the ffmpeg we found.
"""
import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Couldn't find ffmpeg", category=RuntimeWarning)
    from pydub import AudioSegment, silence  # noqa: F401

from .ffmpeg import ffmpeg_exe

try:
    AudioSegment.converter = ffmpeg_exe()
except Exception:  # no ffmpeg at all: export reports it when it is needed
    pass

__all__ = ["AudioSegment", "silence"]
