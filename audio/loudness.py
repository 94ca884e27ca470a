"""Loudness for spoken word: each clip measured (ITU-R BS.1770, with
pyloudnorm) and brought to the target, so the level is even from one clip to
the next and the whole edition lands on the target.

Raising speech to -16 LUFS pushes its peaks over full scale (espeak-ng's
output already peaks at 0 dBFS at about -19 LUFS), so each clip also goes
through a look-ahead peak limiter on its 4x-oversampled (true-peak) envelope,
and is measured again after it: the limiter's own loudness loss is made up
in a second pass. No library does this per clip in Python (pyloudnorm only
measures; ffmpeg's alimiter works on the stream, after the point where the
gain could still be corrected), hence the twenty lines of `limit`. ffmpeg's
limiter stays in the encoder as a safety net (see export.py).

Gains are applied in floating point, and only once the limiter has brought
every peak under the ceiling are the samples turned back into 16 bits, so a
clip raised above full scale is limited, not clipped.
"""
from __future__ import annotations

import math

import numpy as np
import pyloudnorm
from scipy.ndimage import minimum_filter1d, uniform_filter1d
from scipy.signal import firwin, upfirdn

from .model import LoudnessTarget

MIN_SECONDS = 0.4  # BS.1770's gating block: shorter clips take the running gain
MAX_GAIN_DB = 30.0
LIMITER_HEADROOM_DB = 1.0  # under the ceiling, for what MP3 encoding adds to peaks
LIMITER_WINDOW_S = 0.005  # look-ahead and release
CONTEXT_S = 0.3  # silence measured with each clip (about a pause on each side)


# BS.1770-4 Annex 2's true-peak meter: 4x oversampling through a 48-tap
# (12 per phase) low-pass filter.
_OVERSAMPLE = 4
_TRUE_PEAK_FIR = (firwin(48, 1 / _OVERSAMPLE) * _OVERSAMPLE).astype(np.float32)


def true_peak_envelope(samples: np.ndarray) -> np.ndarray:
    """Per sample, the highest magnitude of the 4x-oversampled signal near it."""
    over = np.abs(upfirdn(_TRUE_PEAK_FIR, samples.astype(np.float32), _OVERSAMPLE))
    delay = (len(_TRUE_PEAK_FIR) - 1) // 2
    over = over[delay:delay + len(samples) * _OVERSAMPLE]
    phases = [over[k::_OVERSAMPLE] for k in range(_OVERSAMPLE)]
    n = min(len(p) for p in phases)
    return np.maximum(np.maximum(phases[0][:n], phases[1][:n]),
                      np.maximum(phases[2][:n], phases[3][:n]))


def limit(samples: np.ndarray, envelope: np.ndarray, ceiling: float,
          rate: int) -> np.ndarray:
    """A look-ahead limiter: the gain each sample needs (from its true-peak
    `envelope`, which scales with the samples), held over a window around it
    (min filter), then smoothed by a box of the same width. Every smoothed
    gain averages gains no higher than the one each sample needs, so no peak
    passes the ceiling, and the gain moves over milliseconds, not samples."""
    if envelope.max() <= ceiling:
        return samples
    needed = np.ones(len(samples), dtype=np.float32)
    m = len(envelope)
    needed[:m] = np.minimum(1.0, ceiling / np.maximum(envelope, 1e-9))
    if m < len(samples):  # the filter's last few samples: use the last known gain
        needed[m:] = needed[m - 1] if m else 1.0
    width = max(3, int(LIMITER_WINDOW_S * rate) | 1)
    held = minimum_filter1d(needed, size=2 * width + 1, mode="nearest")
    gain = uniform_filter1d(held, size=width, mode="nearest")
    return (samples * gain).astype(np.float32)


class Leveller:
    """Measures clips and brings them to the target. Pure (no state changes
    after construction), so worker threads share one; the running gain for
    clips too short to measure is kept, in order, by the assembler."""

    def __init__(self, rate: int, target: LoudnessTarget) -> None:
        self.rate = rate
        self.target = target
        self.meter = pyloudnorm.Meter(rate)

    def loudness(self, samples: np.ndarray) -> float | None:
        """BS.1770 loudness of a clip as heard in the edition: with the silence
        around it, whose 400 ms blocks straddling speech and pause the
        edition's own measurement also counts."""
        if len(samples) < MIN_SECONDS * self.rate:
            return None
        pad = np.zeros(int(CONTEXT_S * self.rate))
        value = self.meter.integrated_loudness(
            np.concatenate([pad, samples.astype(np.float64), pad]))
        return value if math.isfinite(value) else None

    def gain(self, samples: np.ndarray) -> float | None:
        """The gain that brings `samples` to the target, before limiting;
        None when the clip is too short (or too quiet) to measure."""
        measured = self.loudness(samples) if len(samples) else None
        if measured is None:
            return None
        return max(-MAX_GAIN_DB, min(MAX_GAIN_DB, self.target.lufs - measured))

    def apply(self, samples: np.ndarray, wanted: float) -> np.ndarray:
        """`samples` raised by `wanted` dB of loudness, limited, the limiter's
        loss made up. Pure: safe to call from several threads."""
        if not len(samples):
            return samples
        ceiling = 10 ** ((self.target.true_peak - LIMITER_HEADROOM_DB) / 20)
        envelope = true_peak_envelope(samples)

        def at(gain_db: float) -> np.ndarray:
            g = np.float32(10 ** (gain_db / 20))
            return limit(samples * g, envelope * g, ceiling, self.rate)

        # Find the gain whose limited result is on target. The limiter takes a
        # little loudness, more the more it is given; its gain moves slowly
        # (milliseconds), so it attenuates all frequencies alike and the loss
        # in plain signal energy stands for the loss in K-weighted loudness.
        # That saves a BS.1770 measurement per step (secant steps on the gain).
        def shortfall(gain_db: float) -> tuple[float, np.ndarray]:
            out = at(gain_db)
            raised = float(np.dot(samples, samples)) * 10 ** (gain_db / 10)
            kept = float(np.dot(out, out))
            loss = 10 * math.log10(kept / raised) if kept > 0 and raised > 0 else 0.0
            return wanted - (gain_db + loss), out

        g0 = min(MAX_GAIN_DB, max(-MAX_GAIN_DB, wanted))
        f0, out = shortfall(g0)
        if f0 < 0.05:
            return out
        g1 = min(MAX_GAIN_DB, g0 + f0)
        f1, out = shortfall(g1)
        for _ in range(3):
            if f1 < 0.05 or abs(f1 - f0) < 1e-6:
                break
            g0, f0, g1 = g1, f1, min(MAX_GAIN_DB, g1 - f1 * (g1 - g0) / (f1 - f0))
            f1, out = shortfall(g1)
        return out
