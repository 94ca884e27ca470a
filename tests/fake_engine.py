"""An in-process voice for unit tests: no network, no ffmpeg, no espeak-ng.

Each text becomes a deterministic tone (its pitch from the text), 12 ms per
character, padded with silence as real voices pad, and with a 150 ms pause
after each sentence inside it, as a voice pauses at a full stop; so trimming,
sentence marks, levelling and timings all have something real to measure.
"""
from __future__ import annotations

import hashlib
import threading

import numpy as np

from audio.errors import SynthesisError
from audio.model import Clip
from script import split_sentences

MS_PER_CHAR = 12
PAD_MS = 40
SENTENCE_GAP_MS = 150


def tone(ms: float, rate: int, hz: float = 220.0, amplitude: float = 0.3) -> np.ndarray:
    t = np.arange(int(ms * rate / 1000)) / rate
    return (np.sin(2 * np.pi * hz * t) * amplitude * 32767).astype("<i2")


def silence(ms: float, rate: int) -> np.ndarray:
    return np.zeros(int(ms * rate / 1000), dtype="<i2")


class ToneEngine:
    name = "tone"
    max_chars = 100

    def __init__(self, sample_rate: int = 16000, voice: str = "a", amplitude: float = 0.3,
                 failures: dict[str, list[SynthesisError]] | None = None) -> None:
        self.sample_rate = sample_rate
        self.voice = voice
        self.amplitude = amplitude
        self.failures = {k: list(v) for k, v in (failures or {}).items()}  # text -> errors
        self.calls: list[str] = []
        self._lock = threading.Lock()

    @property
    def identity(self) -> dict:
        return {"engine": self.name, "voice": self.voice, "rate": self.sample_rate}

    def available(self) -> tuple[bool, str]:
        return True, "a test tone"

    def synthesize(self, text: str) -> Clip:
        with self._lock:
            self.calls.append(text)
            pending = self.failures.get(text)
            if pending:
                raise pending.pop(0)
        hz = 150 + int(hashlib.sha256(text.encode()).hexdigest()[:4], 16) % 300
        pieces = [silence(PAD_MS, self.sample_rate)]
        for i, sentence in enumerate(split_sentences(text) or [text]):
            if i:
                pieces.append(silence(SENTENCE_GAP_MS, self.sample_rate))
            pieces.append(tone(len(sentence) * MS_PER_CHAR, self.sample_rate, hz,
                               self.amplitude))
        pieces.append(silence(PAD_MS, self.sample_rate))
        return Clip(np.concatenate(pieces).tobytes(), self.sample_rate)
