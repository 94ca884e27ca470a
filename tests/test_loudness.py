"""The loudness code in numpy alone, checked against the libraries it replaced
(pyloudnorm and scipy, test extras) on the same input: the meter to 1e-6 LU,
the filters to float32 rounding, and a levelled article's clips to the same
loudness, peaks and lengths as the scipy-based leveller gave them."""
from __future__ import annotations

import math

import numpy as np
import pyloudnorm
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.ndimage import maximum_filter1d, uniform_filter1d
from scipy.signal import firwin, upfirdn

from audio import loudness
from audio.loudness import (LIMITER_HEADROOM_DB, MAX_GAIN_DB, Leveller, Meter, TruePeaks,
                            box_mean, limit, limited, running_max, true_peak_envelope)
from audio.model import LoudnessTarget

from .fake_engine import ToneEngine

RATES = (16000, 22050, 24000, 44100)


def speechlike(seconds: float, rate: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * rate)) / rate
    voiced = np.sin(2 * np.pi * 180 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))
    x = 0.3 * voiced + rng.normal(0, 0.05, len(t))
    x[: len(x) // 5] = 0  # a pause: the gates have blocks to drop
    return x


@pytest.mark.parametrize("rate", RATES)
@pytest.mark.parametrize("seconds", [0.4, 0.41, 1.37, 7.3])
def test_the_meter_reads_what_pyloudnorm_reads(rate, seconds):
    x = speechlike(seconds, rate)
    ours = Meter(rate).integrated_loudness(x)
    assert ours == pytest.approx(pyloudnorm.Meter(rate).integrated_loudness(x), abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(st.integers(8000, 48000), st.floats(0.4, 3.0), st.floats(1e-4, 1.0), st.integers(0, 99))
def test_the_meter_agrees_with_pyloudnorm_on_any_rate_length_and_level(rate, seconds, level, seed):
    x = speechlike(seconds, rate, seed) * level
    try:
        expected = pyloudnorm.Meter(rate).integrated_loudness(x)
    except ValueError:  # shorter than one gating block: refused by both
        with pytest.raises(ValueError):
            Meter(rate).integrated_loudness(x)
        return
    ours = Meter(rate).integrated_loudness(x)
    if math.isinf(expected):
        assert math.isinf(ours)
    else:
        assert ours == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("lead, tail", [(0, 0), (6615, 6615), (0, 20000), (12345, 0), (5, 9000)])
def test_silence_around_the_audio_is_counted_without_being_made(lead, tail):
    rate = 22050
    x = speechlike(1.1, rate, seed=3)
    whole = np.concatenate([np.zeros(lead), x, np.zeros(tail)])
    assert Meter(rate).integrated_loudness(x, lead=lead, tail=tail) == pytest.approx(
        pyloudnorm.Meter(rate).integrated_loudness(whole), abs=1e-6)


def test_silence_and_short_audio_are_measured_as_pyloudnorm_does():
    assert Meter(22050).integrated_loudness(np.zeros(22050)) == -math.inf
    with pytest.raises(ValueError):
        Meter(22050).integrated_loudness(np.zeros(100))


def test_the_true_peak_filter_is_firwins():
    assert np.abs(loudness._TRUE_PEAK_FIR - firwin(48, 1 / 4) * 4).max() < 1e-7


@pytest.mark.parametrize("n", [1, 5, 12, 13, 1000, 48_000])
def test_the_true_peak_envelope_is_the_upsampled_signals(n):
    """Against the scipy code it replaced: upfirdn (zero-stuff, 48-tap FIR),
    the filter's delay taken off, the 4 phases' maximum per sample."""
    x = np.random.default_rng(n).normal(0, 0.3, n).astype(np.float32)
    fir = (firwin(48, 1 / 4) * 4).astype(np.float32)
    over = np.abs(upfirdn(fir, x, 4))[23:23 + 4 * n]
    phases = [over[k::4] for k in range(4)]
    m = min(len(p) for p in phases)
    expected = np.maximum(np.maximum(phases[0][:m], phases[1][:m]),
                          np.maximum(phases[2][:m], phases[3][:m]))
    ours = true_peak_envelope(x)
    assert len(ours) == n
    np.testing.assert_allclose(ours[:m], expected, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3000), st.integers(0, 120), st.integers(0, 99))
def test_the_running_max_and_box_are_scipys_filters(n, half, seed):
    size = 2 * half + 1
    x = np.random.default_rng(seed).random(n).astype(np.float32)
    np.testing.assert_array_equal(running_max(x, size), maximum_filter1d(x, size, mode="nearest"))
    np.testing.assert_allclose(box_mean(x, size), uniform_filter1d(x, size, mode="nearest"),
                               atol=1e-6)


def scipy_limit(samples, envelope, ceiling, rate):
    """The limiter as it was written with scipy (minimum_filter1d of the
    needed gain, then uniform_filter1d)."""
    from scipy.ndimage import minimum_filter1d

    if envelope.max() <= ceiling:
        return samples
    needed = np.minimum(1.0, ceiling / np.maximum(envelope, 1e-9)).astype(np.float32)
    width = max(3, int(loudness.LIMITER_WINDOW_S * rate) | 1)
    held = minimum_filter1d(needed, size=2 * width + 1, mode="nearest")
    return (samples * uniform_filter1d(held, size=width, mode="nearest")).astype(np.float32)


@pytest.mark.parametrize("rate", RATES)
def test_the_limiter_is_the_scipy_limiter(rate):
    hot = (speechlike(2.0, rate) * 3).astype(np.float32)
    envelope = true_peak_envelope(hot)
    np.testing.assert_allclose(limit(hot, envelope, 0.8, rate),
                               scipy_limit(hot, envelope, 0.8, rate), atol=2e-6)


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 6000), st.sampled_from(RATES), st.integers(0, 10_000),
       st.lists(st.floats(-6.0, 12.0), min_size=1, max_size=4), st.floats(0.3, 0.95),
       st.booleans())
def test_the_limiter_near_the_peaks_is_the_limiter_on_the_whole_envelope(
        n, rate, seed, gains_db, ceiling, loud_edge):
    """`limited` works out the envelope and the gain only near the peaks that
    pass the ceiling: the same samples as `limit` on the whole clip's
    envelope, at every gain tried in turn on one clip (as the leveller's
    search does), short clips and peaks at the edges included."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / rate
    x = (0.5 * np.sin(2 * np.pi * 180 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))
         + rng.normal(0, 0.05, n)).astype(np.float32)
    if loud_edge:
        x[:3] = 0.99
        x[-3:] = -0.99
    peaks = TruePeaks(x)
    envelope = true_peak_envelope(x)
    for gain_db in gains_db:
        g = np.float32(10 ** (gain_db / 20))
        ours = limited(peaks, float(g), ceiling, rate)
        whole = limit(x * g, envelope * g, ceiling, rate)
        if ours is None:
            assert (envelope * g).max() <= np.float32(ceiling)
            ours = x * g
        np.testing.assert_allclose(ours, whole, rtol=0, atol=1e-6)


def test_levelled_clips_match_the_scipy_leveller():
    """Real clip shapes (the fake voice's tones, pauses and padding), levelled
    by ours and by the same algorithm on pyloudnorm and the scipy limiter:
    same length, loudness within 0.1 LU (in practice 1e-5), peaks under the
    same ceiling."""
    rate, target = 22050, LoudnessTarget(-16.0, -1.0)
    engine = ToneEngine(sample_rate=rate, amplitude=0.6)
    ours = Leveller(rate, target)
    reference = pyloudnorm.Meter(rate)
    ceiling = 10 ** ((target.true_peak - LIMITER_HEADROOM_DB) / 20)
    texts = ["Một câu ngắn vừa đủ dài để đo được độ to.", "Hai câu. Câu thứ hai dài hơn một chút.",
             "Một đoạn dài hơn nữa, có dấu phẩy, có nhịp nghỉ, và kết thúc bằng dấu chấm."]
    for text in texts:
        clip = engine.synthesize(text)
        x = np.frombuffer(clip.pcm, dtype="<i2").astype(np.float32) / 32768
        gain = ours.gain(x)
        pad = np.zeros(int(loudness.CONTEXT_S * rate))
        expected_gain = target.lufs - reference.integrated_loudness(
            np.concatenate([pad, x.astype(np.float64), pad]))
        assert gain == pytest.approx(max(-MAX_GAIN_DB, min(MAX_GAIN_DB, expected_gain)), abs=1e-6)
        out = ours.apply(x, gain)
        assert len(out) == len(x)
        assert true_peak_envelope(out).max() <= ceiling * (1 + 1e-6)
        measured = reference.integrated_loudness(np.concatenate([pad, out.astype(np.float64), pad]))
        assert measured == pytest.approx(target.lufs, abs=0.1)


class _PyloudnormMeter:
    """pyloudnorm behind our Meter's interface (the silence around made)."""

    def __init__(self, rate: int) -> None:
        self.meter = pyloudnorm.Meter(rate)

    def integrated_loudness(self, data, lead: int = 0, tail: int = 0) -> float:
        return self.meter.integrated_loudness(
            np.concatenate([np.zeros(lead), np.asarray(data, np.float64), np.zeros(tail)]))


def test_an_edition_levelled_in_numpy_is_the_edition_scipy_and_pyloudnorm_made(tmp_path,
                                                                              monkeypatch):
    """The dependency swap at the edition level: the same script built with
    our leveller and with the one it replaced (pyloudnorm's meter, scipy's
    limiter filters): the same duration and timings, loudness within 0.1 LU."""
    from audio.edition import build_edition
    from audio.ffmpeg import decode
    from script import make_script, normalize, parse_article

    from .conftest import SAMPLE

    rate = 22050
    script = make_script(parse_article(SAMPLE.read_text(encoding="utf-8")), 100, normalize)
    ours = build_edition(script, ToneEngine(rate, amplitude=0.8), tmp_path / "numpy")
    monkeypatch.setattr(loudness, "Meter", _PyloudnormMeter)

    # the limiter as it was: the whole clip's envelope, scipy's filters on its gain
    def whole_clip_scipy_limiter(peaks, gain, ceiling, rate):
        raised = peaks.x * np.float32(gain)
        envelope = true_peak_envelope(raised)
        return None if envelope.max() <= ceiling else scipy_limit(raised, envelope, ceiling,
                                                                  rate)

    monkeypatch.setattr(loudness, "limited", whole_clip_scipy_limiter)
    theirs = build_edition(script, ToneEngine(rate, amplitude=0.8), tmp_path / "scipy")
    assert ours.total_frames == theirs.total_frames
    assert ours.timings == theirs.timings and ours.chapters == theirs.chapters
    a, b = (np.frombuffer(decode(e.mp3.read_bytes(), rate), "<i2") / 32768 for e in (ours, theirs))
    assert len(a) == len(b)
    meter = pyloudnorm.Meter(rate)
    assert meter.integrated_loudness(a) == pytest.approx(meter.integrated_loudness(b), abs=0.1)
