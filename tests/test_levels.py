"""Levels at the stage boundaries: the leveller's gain and its limiter, and the
encoder's safety limiter (the last line before a listener's ears)."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import resample_poly

from audio.export import ENCODER_HEADROOM_DB, encode_mp3, filters
from audio.ffmpeg import decode
from audio.loudness import (LIMITER_HEADROOM_DB, MAX_GAIN_DB, Leveller, limit,
                            true_peak_envelope)
from audio.model import Encoding, LoudnessTarget

RATE = 16000


def sine(seconds: float, amplitude: float, hz: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (np.sin(2 * np.pi * hz * t) * amplitude).astype(np.float32)


def speechlike(seconds: float = 2.0, amplitude: float = 0.3) -> np.ndarray:
    """A tone with syllable-rate bursts and sharp peaks: a crest factor like speech."""
    t = np.arange(int(seconds * RATE)) / RATE
    envelope = 0.5 + 0.5 * np.sin(2 * np.pi * 4 * t) ** 2
    clicks = (np.sin(2 * np.pi * 3 * t) > 0.995) * 0.9
    return ((np.sin(2 * np.pi * 220 * t) * envelope + clicks) * amplitude).astype(np.float32)


def dbfs(x: np.ndarray) -> float:
    return 20 * np.log10(np.abs(x).max())


def test_the_gain_is_what_reaches_the_target_but_never_more_than_the_clamp():
    leveller = Leveller(RATE, LoudnessTarget(-16.0, -1.0))
    moderate = sine(2.0, 0.1)
    assert leveller.gain(moderate) == pytest.approx(-16.0 - leveller.loudness(moderate))
    assert leveller.loudness(sine(2.0, 10 ** (-60 / 20))) < -16.0 - 35  # needs over 35 dB
    assert leveller.gain(sine(2.0, 10 ** (-60 / 20))) == MAX_GAIN_DB == 30.0
    loud = Leveller(RATE, LoudnessTarget(-60.0, -1.0))
    assert loud.gain(sine(2.0, 0.9)) == -MAX_GAIN_DB
    assert leveller.gain(sine(0.3, 0.5)) is None  # shorter than one gating block


def test_a_levelled_clip_is_on_target_and_under_the_ceiling():
    target = LoudnessTarget(-16.0, -1.0)
    leveller = Leveller(RATE, target)
    samples = speechlike(amplitude=0.05)
    out = leveller.apply(samples, leveller.gain(samples))
    assert abs(leveller.loudness(out) - target.lufs) < 0.5
    ceiling_db = target.true_peak - LIMITER_HEADROOM_DB
    assert 20 * np.log10(true_peak_envelope(out).max()) <= ceiling_db + 0.01


def test_the_limiter_brings_peaks_under_the_ceiling_and_leaves_quiet_audio_alone():
    quiet = sine(0.5, 0.2)
    assert limit(quiet, true_peak_envelope(quiet), 0.5, RATE) is quiet
    hot = speechlike(amplitude=1.0)
    out = limit(hot, true_peak_envelope(hot), 0.5, RATE)
    assert true_peak_envelope(out).max() <= 0.5 + 1e-4
    assert np.abs(out[: RATE // 10]).max() > 0.2  # the gain moves around the peaks only


def test_the_encoders_filters_are_tempo_then_a_limiter_under_the_ceiling():
    """The limiter aims 0.7 dB under the ceiling (-1.7 dBFS = 0.8222): MP3
    encoding adds about that much to the peaks."""
    assert ENCODER_HEADROOM_DB == 0.7
    assert filters(Encoding(speed=1.25, true_peak=-1.0)) == [
        "atempo=1.2500", "alimiter=limit=0.8222:attack=2:release=60:level=0:latency=1"]
    assert filters(Encoding(speed=1.0, true_peak=None)) == []


@pytest.mark.parametrize("true_peak", [-1.0, None])
def test_the_encoder_limits_what_reaches_the_file(tmp_path, true_peak):
    """Full-scale audio in: with the limiter the MP3's true peak (measured 4x
    oversampled, with scipy, not our meter) stays at the ceiling (0.1 dB for
    the codec's variance); without it (the control) the same audio comes out
    at full scale."""
    hot = np.clip(speechlike(1.5, 1.2), -1, 1)
    pcm = (hot * 32767).astype("<i2").tobytes()
    out = tmp_path / "x.mp3"
    encode_mp3([pcm], RATE, out, Encoding(true_peak=true_peak))
    decoded = np.frombuffer(decode(out.read_bytes(), RATE), dtype="<i2") / 32768
    if true_peak is None:
        assert dbfs(decoded) > -0.5
    else:
        assert dbfs(resample_poly(decoded, 4, 1)) <= true_peak + 0.1


def test_an_encoder_that_dies_is_reported_by_what_it_said_not_as_a_broken_pipe(
        tmp_path, monkeypatch):
    """Regression: when ffmpeg died (a full disk) with PCM still buffered for
    it, closing its stdin raised BrokenPipeError over the real error."""
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\necho 'out.mp3: No space left on device' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr("audio.export.ffmpeg.ffmpeg_exe", lambda: str(fake))
    from audio.errors import ExportError

    chunks = (bytes(1000) for _ in range(20_000))  # 20 MB in small writes: some stay buffered
    with pytest.raises(ExportError, match="no space left on device"):
        encode_mp3(chunks, RATE, tmp_path / "out.mp3", name="out.mp3")
