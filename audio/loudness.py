"""Loudness for spoken word: each clip measured (ITU-R BS.1770-4) and brought
to the target, so the level is even from one clip to the next and the whole
edition lands on the target.

Raising speech to -16 LUFS pushes its peaks over full scale (espeak-ng's
output already peaks at 0 dBFS at about -19 LUFS), so each clip also goes
through a look-ahead peak limiter on its 4x-oversampled (true-peak) envelope,
and is measured again after it: the limiter's own loudness loss is made up
in a second pass. No library does this per clip in Python (pyloudnorm only
measures; ffmpeg's alimiter works on the stream, after the point where the
gain could still be corrected), hence `limit`. ffmpeg's limiter stays in the
encoder as a safety net (see export.py).

Everything here is numpy alone. pyloudnorm (the meter) and scipy (the
filters) were used before; importing them cost about 0.7 s of CPU per build,
a third of a cold offline build, for five small operations that numpy does
as well: the K-weighting filter (two biquads, applied through the FFT, see
`Meter`), the gating blocks, the true-peak FIR, a running minimum and a box
filter. tests/test_loudness.py checks each against pyloudnorm and scipy (test
extras) on the same input: loudness within 1e-6 LU, filters within float32
rounding.

Gains are applied in floating point, and only once the limiter has brought
every peak under the ceiling are the samples turned back into 16 bits, so a
clip raised above full scale is limited, not clipped.
"""
from __future__ import annotations

import math
from functools import lru_cache

import numpy as np

from .model import LoudnessTarget

MIN_SECONDS = 0.4  # BS.1770's gating block: shorter clips take the running gain
MAX_GAIN_DB = 30.0
LIMITER_HEADROOM_DB = 1.0  # under the ceiling, for what MP3 encoding adds to peaks
LIMITER_WINDOW_S = 0.005  # look-ahead and release
CONTEXT_S = 0.3  # silence measured with each clip (about a pause on each side)

# BS.1770-4's gating: 400 ms blocks, 75 % overlap, -70 LUFS absolute gate,
# relative gate 10 LU under the ungated mean.
BLOCK_S, OVERLAP = 0.400, 0.75
ABSOLUTE_GATE, RELATIVE_GATE = -70.0, -10.0


def _biquad(kind: str, gain_db: float, q: float, fc: float, rate: int) -> tuple:
    """RBJ's cookbook coefficients (b, a), as pyloudnorm's K-weighting uses."""
    a_ = 10 ** (gain_db / 40)
    w0 = 2 * math.pi * fc / rate
    cos, alpha = math.cos(w0), math.sin(w0) / (2 * q)
    if kind == "high_shelf":
        s = 2 * math.sqrt(a_) * alpha
        b = (a_ * ((a_ + 1) + (a_ - 1) * cos + s), -2 * a_ * ((a_ - 1) + (a_ + 1) * cos),
             a_ * ((a_ + 1) + (a_ - 1) * cos - s))
        a = ((a_ + 1) - (a_ - 1) * cos + s, 2 * ((a_ - 1) - (a_ + 1) * cos),
             (a_ + 1) - (a_ - 1) * cos - s)
    else:  # high_pass
        b = ((1 + cos) / 2, -(1 + cos), (1 + cos) / 2)
        a = (1 + alpha, -2 * cos, 1 - alpha)
    return b, a


def _response(b: tuple, a: tuple, z: np.ndarray) -> np.ndarray:
    """A biquad's frequency response at `z` = e^-jw."""
    return (b[0] + b[1] * z + b[2] * z * z) / (a[0] + a[1] * z + a[2] * z * z)


def _fft_size(n: int) -> int:
    """The least 2^i or 3 * 2^i >= n: sizes numpy's FFT is fast at, and few
    of them (two an octave), so each one's filter response is computed once."""
    two = 1 << max(0, (n - 1).bit_length())
    three = 3 << max(0, (-(-n // 3) - 1).bit_length())
    return min(two, three)


@lru_cache(maxsize=8)  # clips of 1 to 10 s need six or seven sizes
def _k_weighting(rate: int, n: int) -> np.ndarray:
    shelf = _biquad("high_shelf", 4.0, 1 / math.sqrt(2), 1500.0, rate)
    high_pass = _biquad("high_pass", 0.0, 0.5, 38.0, rate)
    z = np.exp(-2j * np.pi * np.arange(n // 2 + 1) / n)  # the n-point real FFT's grid
    return _response(*shelf, z) * _response(*high_pass, z)


class Meter:
    """BS.1770-4 integrated loudness of mono audio, as pyloudnorm measures it
    (its K-weighting coefficients and its block boundaries).

    The K-weighting is two IIR biquads. numpy has no IIR filter, so it is
    applied in the frequency domain on a zero-padded FFT: the filters'
    impulse response falls to rounding noise (1e-12 of its sum) within 0.15 s
    (the 38 Hz high-pass is the slow one), so padding by 0.2 s makes the
    circular convolution the same as the causal one to double precision."""

    DECAY_S = 0.2

    def __init__(self, rate: int) -> None:
        self.rate = rate

    def k_weighted(self, x: np.ndarray, tail: int = 0) -> np.ndarray:
        """`x` through the K-weighting filter, and `tail` samples more (its
        ringing into the silence after it)."""
        size = _fft_size(len(x) + max(tail, int(self.DECAY_S * self.rate)))
        spectrum = np.fft.rfft(x, size) * _k_weighting(self.rate, size)
        return np.fft.irfft(spectrum, size)[:len(x) + tail]

    def integrated_loudness(self, data: np.ndarray, lead: int = 0, tail: int = 0) -> float:
        """LUFS of `data` with `lead` and `tail` samples of silence around it
        (counted, not made); -inf for silence. The whole must hold at least
        one gating block."""
        x = np.asarray(data, dtype=np.float64)
        total = lead + len(x) + tail
        if total < BLOCK_S * self.rate:
            raise ValueError("audio shorter than one gating block")
        energy = np.zeros(total + 1)  # running K-weighted energy; silence before adds none
        energy[lead + 1:] = np.cumsum(np.square(self.k_weighted(x, tail)))
        step = 1.0 - OVERLAP
        blocks = int(np.round((total / self.rate - BLOCK_S) / (BLOCK_S * step))) + 1
        j = np.arange(blocks)
        lower = (BLOCK_S * (j * step) * self.rate).astype(np.int64)
        upper = np.minimum((BLOCK_S * (j * step + 1) * self.rate).astype(np.int64), total)
        z = (energy[upper] - energy[lower]) / (BLOCK_S * self.rate)
        with np.errstate(divide="ignore"):
            block_lufs = -0.691 + 10 * np.log10(z)
            loud = z[block_lufs >= ABSOLUTE_GATE]
            if not len(loud):
                return -math.inf
            relative = -0.691 + 10 * np.log10(loud.mean()) + RELATIVE_GATE
            kept = z[(block_lufs > relative) & (block_lufs > ABSOLUTE_GATE)]
            return float(-0.691 + 10 * np.log10(kept.mean())) if len(kept) else -math.inf


# BS.1770-4 Annex 2's true-peak meter: 4x oversampling through a 48-tap
# (12 per phase) low-pass filter: a Hamming-windowed sinc cut at the original
# Nyquist frequency, unity gain at DC (scipy's firwin(48, 1/4), times 4).
_OVERSAMPLE = 4
_TAPS = 48


def _true_peak_fir() -> np.ndarray:
    m = np.arange(_TAPS) - (_TAPS - 1) / 2
    h = np.sinc(m / _OVERSAMPLE) / _OVERSAMPLE * np.hamming(_TAPS)
    return (h / h.sum() * _OVERSAMPLE).astype(np.float32)


_TRUE_PEAK_FIR = _true_peak_fir()
# The filter's 4 phases side by side, reversed: row j of a 12-sample window
# times this gives the 4 oversampled values between two input samples.
_PHASES = np.stack([_TRUE_PEAK_FIR[k::_OVERSAMPLE] for k in range(_OVERSAMPLE)], axis=1)[::-1].copy()
_PHASE_TAPS = len(_PHASES)


def _windows(x: np.ndarray) -> np.ndarray:
    """Each 12-sample window of float32 `x`, zero-padded at both ends (a view)."""
    edge = np.zeros(_PHASE_TAPS - 1, dtype=np.float32)
    return np.lib.stride_tricks.sliding_window_view(np.concatenate([edge, x, edge]),
                                                    _PHASE_TAPS)


def _envelope_at(windows: np.ndarray, at: np.ndarray) -> np.ndarray:
    """The true-peak envelope at the sample indices `at`: window row m times
    the 4 phases gives oversampled samples 4m + k, and oversampled index
    23 + 4s + k (k = 0..3) is row s + 5 of phase 3, then rows s + 6 of
    phases 0, 1, 2 (the filter's delay taken off)."""
    late = np.abs(windows[at + 5] @ _PHASES)[:, 3]
    early = np.abs(windows[at + 6] @ _PHASES)[:, :3].max(axis=1)
    return np.maximum(late, early)


def true_peak_envelope(samples: np.ndarray) -> np.ndarray:
    """Per sample, the highest magnitude of the 4x-oversampled signal near it.

    Upsampling by 4 and filtering is done polyphase: each 12-sample window
    times the 4 phases (one matrix product), the same numbers as the 48-tap
    filter on the zero-stuffed signal; the filter's delay (23.5 oversampled
    samples) is taken off so each envelope value lines up with its sample.
    (The whole clip's: the limiter itself works it out only near its peaks,
    see TruePeaks.)"""
    x = samples.astype(np.float32)
    if not len(x):
        return x
    return _envelope_at(_windows(x), np.arange(len(x)))


def running_max(x: np.ndarray, size: int) -> np.ndarray:
    """The maximum over a centred window of odd `size` (edges repeated), in
    O(n) whatever the size (van Herk / Gil-Werman: block prefix and suffix
    maxima)."""
    r = size // 2
    padded = np.pad(x, (r, r), mode="edge")
    total = -(-len(padded) // size) * size
    blocks = np.pad(padded, (0, total - len(padded)),
                    constant_values=-np.inf).reshape(-1, size).T.copy()
    prefix = np.maximum.accumulate(blocks, axis=0).T.ravel()
    suffix = np.maximum.accumulate(blocks[::-1], axis=0)[::-1].T.ravel()
    return np.maximum(suffix[:len(x)], prefix[size - 1:size - 1 + len(x)]).astype(x.dtype)


def box_mean(x: np.ndarray, size: int) -> np.ndarray:
    """The mean over a centred window of odd `size` (edges repeated)."""
    r = size // 2
    sums = np.concatenate([[0.0], np.cumsum(np.pad(x, (r, r), mode="edge"), dtype=np.float64)])
    return ((sums[size:] - sums[:-size]) / size).astype(x.dtype)


def _window(rate: int) -> int:
    return max(3, int(LIMITER_WINDOW_S * rate) | 1)


def peak_hold(envelope: np.ndarray, rate: int) -> np.ndarray:
    """The envelope's maximum over the limiter's look-ahead window."""
    return running_max(envelope, 2 * _window(rate) + 1)


def _limited(samples: np.ndarray, held: np.ndarray, ceiling: float, rate: int) -> np.ndarray:
    gain = np.minimum(np.float32(1.0), np.float32(ceiling) / np.maximum(held, np.float32(1e-9)))
    return (samples * box_mean(gain, _window(rate))).astype(np.float32)


def limit(samples: np.ndarray, envelope: np.ndarray, ceiling: float,
          rate: int) -> np.ndarray:
    """A look-ahead limiter: the gain each sample needs (ceiling / its
    true-peak `envelope`, which scales with the samples), held over a window
    around it (the least gain in the window is ceiling over the window's
    highest peak, so the envelope's running maximum gives it), then smoothed
    by a box of the same width. Every smoothed gain averages gains no higher
    than the one each sample needs, so no peak passes the ceiling, and the
    gain moves over milliseconds, not samples."""
    if not len(samples) or envelope.max() <= ceiling:
        return samples
    return _limited(samples, peak_hold(envelope, rate), ceiling, rate)


# Each envelope value is a 12-tap sum over the input samples within 6 of it
# (see true_peak_envelope), so it is at most this bound times their largest
# magnitude: the widest phase's sum of absolute taps, with room for float32
# rounding.
_REACH = _PHASE_TAPS // 2
_BOUND = float(np.abs(_PHASES).sum(axis=0).max()) * 1.001


def _around(at: np.ndarray, r: int, n: int) -> np.ndarray:
    """The sample indices within r of any of `at` (sorted), inside 0..n:
    work in proportion to their number, not to n."""
    if not len(at) or r <= 0:
        return at
    split = np.flatnonzero(np.diff(at) > 2 * r + 1)  # where the intervals stop touching
    starts = np.maximum(np.concatenate([at[:1], at[split + 1]]) - r, 0)
    ends = np.minimum(np.concatenate([at[split], at[-1:]]) + r + 1, n)
    lengths = ends - starts
    before = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    return np.arange(int(lengths.sum())) + np.repeat(starts - before, lengths)


class TruePeaks:
    """A clip's true-peak envelope, worked out only where it matters.

    The limiter only acts where the envelope, raised by the gain tried,
    passes the ceiling: in speech, the crests of loud vowels, a small share
    of the samples. The envelope (a matrix product per sample, the costliest
    step of levelling) is computed exactly at every sample whose
    neighbourhood is loud enough that it could pass a level (see _BOUND),
    and at no other: after `cover(level)`, `envelope` is exact wherever it
    is over `level`."""

    def __init__(self, samples: np.ndarray) -> None:
        self.x = samples.astype(np.float32)
        self.magnitude = np.abs(self.x)
        self.envelope = np.zeros(len(self.x), dtype=np.float32)  # exact where `known`
        self.known = np.zeros(len(self.x), dtype=bool)
        self.n = len(self.x)
        self.known_down_to = math.inf  # every sample whose envelope may pass this is known
        self._windows = None

    def _compute(self, at: np.ndarray) -> None:
        if self._windows is None:
            self._windows = _windows(self.x)
        self.envelope[at] = _envelope_at(self._windows, at)
        self.known[at] = True

    def cover(self, level: float) -> None:
        """Make `envelope` exact wherever it may be over `level`."""
        if level < self.known_down_to:
            may = _around(np.flatnonzero(self.magnitude * np.float32(_BOUND) > level), _REACH,
                          self.n)
            todo = may[~self.known[may]]
            if len(todo):
                self._compute(todo)
            self.known_down_to = level


def limited(peaks: TruePeaks, gain: float, ceiling: float, rate: int) -> np.ndarray | None:
    """The clip times `gain` through the limiter (see `limit`), or None when
    no peak passes the ceiling at that gain. The same numbers as `limit` on
    the whole envelope, worked out only near the peaks that pass: away from
    them the limiter's gain is exactly 1, so only the samples within its
    hold and smoothing widths of one are computed, side by side (the gaps
    between them, at least those widths long, keep them apart)."""
    g = np.float32(gain)
    c = np.float32(ceiling)
    peaks.cover(float(c / g))
    # (a sample whose envelope times g is not over the ceiling needs no gain)
    hot = np.flatnonzero(peaks.envelope * g > c)
    if not len(hot):
        return None
    width = _window(rate)
    near = _around(hot, width + width // 2 + 1, peaks.n)
    envelope = peaks.envelope[near]
    envelope[envelope * g <= c] = 0
    out = peaks.x * g
    out[near] = _limited(out[near], peak_hold(envelope, rate) * g, c, rate)
    return out


class Leveller:
    """Measures clips and brings them to the target. Pure (no state changes
    after construction), so worker threads share one; the running gain for
    clips too short to measure is kept, in order, by the assembler."""

    def __init__(self, rate: int, target: LoudnessTarget) -> None:
        self.rate = rate
        self.target = target
        self.meter = Meter(rate)

    def loudness(self, samples: np.ndarray) -> float | None:
        """BS.1770 loudness of a clip as heard in the edition: with the silence
        around it, whose 400 ms blocks straddling speech and pause the
        edition's own measurement also counts."""
        if len(samples) < MIN_SECONDS * self.rate:
            return None
        pad = int(CONTEXT_S * self.rate)
        value = self.meter.integrated_loudness(samples, lead=pad, tail=pad)
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
        peaks = TruePeaks(samples)

        def at(gain_db: float) -> np.ndarray:
            gain = 10 ** (gain_db / 20)
            out = limited(peaks, gain, ceiling, self.rate)
            return samples * np.float32(gain) if out is None else out

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
