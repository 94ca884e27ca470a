"""Reading back what a build wrote, for assertions."""
from __future__ import annotations

from pathlib import Path

from audio._pydub import AudioSegment
from audio.ffmpeg import decode


def load(path: Path, rate: int) -> AudioSegment:
    pcm = decode(Path(path).read_bytes(), rate)
    return AudioSegment(data=pcm, sample_width=2, frame_rate=rate, channels=1)


def seconds(path: Path, rate: int) -> float:
    return len(decode(Path(path).read_bytes(), rate)) / 2 / rate
