"""The loudness target, apart from the loudness code: importing that code loads
scipy, which a rebuild from the cache does not need."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LoudnessTarget:
    lufs: float = -16.0  # integrated, the usual spoken-word / podcast target
    true_peak: float = -1.0  # dBTP ceiling
