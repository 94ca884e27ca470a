"""pydub, imported once, quietly.

pydub looks for ffmpeg on PATH when it is imported and warns when there is
none (the imageio-ffmpeg wheel's binary is not on PATH). We use pydub on raw
PCM only, which needs no ffmpeg (decoding and encoding go through ffmpeg.py
and export.py), so the warning is silenced and no converter is looked up:
looking one up runs `ffmpeg -version`, 50 to 100 ms of every start-up.
"""
import warnings

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Couldn't find ffmpeg", category=RuntimeWarning)
    from pydub import AudioSegment, silence  # noqa: F401

__all__ = ["AudioSegment", "silence"]
