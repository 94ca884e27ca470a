"""The published file: exact pauses, loudness, tempo, tags and chapters, jingles."""
from __future__ import annotations

import subprocess

import mutagen.mp3
import numpy as np
import pyloudnorm
import pytest
from mutagen.id3 import ID3
from scipy.signal import resample_poly

from audio._pydub import silence
from audio.ffmpeg import decode, ffmpeg_exe
from audio.model import Edges
from script import Pacing, Pause, format_script, make_script, normalize, read_article
from tests.helpers import run_cli as run
from tests.audio_utils import load
from tests.conftest import ROOT, SAMPLE
from tests.fake_google import RATE, FakeGoogle

FIXTURE = ROOT / "tests" / "fixtures" / "ban-tin-giao-thong.txt"
ESPEAK_RATE = 22050
OUT_RATE = 44100  # the MP3's



def the_mp3(out):
    [mp3] = sorted(out.glob("*.mp3"))
    return mp3


def samples(mp3, rate) -> np.ndarray:
    return np.frombuffer(decode(mp3.read_bytes(), rate), "<i2").astype(np.float64) / 32768


def loudness(x: np.ndarray, rate: int) -> float:
    return pyloudnorm.Meter(rate).integrated_loudness(x)


def true_peak_db(x: np.ndarray) -> float:
    return 20 * np.log10(np.abs(resample_poly(x, 4, 1)).max())


def espeak_build(tmp_path, name, *extra, article=SAMPLE):
    out = tmp_path / name
    result = run("build", str(article), "-o", str(out), "--engine", "espeak", *extra)
    assert result.exit_code == 0, result.stderr
    return the_mp3(out)


PAUSES = {"word": 0.12, "phrase": 0.3, "sentence": 0.45, "paragraph": 1.1,
          "section": 1.4, "title": 1.7}


def test_measured_pauses_match_the_configured_ones(tmp_path):
    """Google's clips carry silence around the speech (the fake pads 150 ms):
    it is trimmed, so the silences heard are the configured pauses, ±30 ms."""
    options = [arg for kind, sec in PAUSES.items() for arg in (f"--pause-{kind}", str(sec))]
    with FakeGoogle(pad_ms=150) as fake:
        result = run("build", str(FIXTURE), "-o", str(tmp_path), "--engine", "gtts",
                     "--gtts-url", fake.url, *options)
    assert result.exit_code == 0, result.stderr
    audio = load(the_mp3(tmp_path), RATE)
    found = silence.detect_silence(audio, min_silence_len=80, silence_thresh=-45)
    script = make_script(read_article(FIXTURE), 100, normalize)
    pacing = Pacing().with_seconds(**PAUSES)
    # the file's lead-in and tail (Edges: 0.3 s, 0.7 s), and every pause between
    expected = [Edges().start_ms] + [pacing.ms(s.pause_after) for s in script.segments
                                     if s.pause_after != Pause.END] + [Edges().end_ms]
    assert len(found) == len(expected)
    for (start, end), ms in zip(found[:-1], expected):
        assert end - start == pytest.approx(ms, abs=30)
    # the decoder ends on a whole MP3 frame (26 ms at 44.1 kHz): the tail is at least as asked
    assert expected[-1] - 30 <= found[-1][1] - found[-1][0] <= expected[-1] + 30 + 27


@pytest.mark.parametrize("target, ceiling", [(-19.0, -1.0), (-16.0, -1.0), (-22.0, -3.0)])
def test_loudness_and_true_peak_are_on_target(tmp_path, target, ceiling):
    """The default is -19 LUFS, the podcast convention for mono; espeak-ng
    peaks at 0 dBFS near -19 LUFS, so any target needs the limiter. The file
    lands within 0.5 LU of the target (the encoder's loss made up)."""
    args = [] if target == -19.0 else ["--loudness", str(target), "--true-peak", str(ceiling)]
    mp3 = espeak_build(tmp_path, "out", *args)
    assert mutagen.mp3.MP3(mp3).info.sample_rate == 44100
    x = samples(mp3, OUT_RATE)
    assert loudness(x, OUT_RATE) == pytest.approx(target, abs=0.5)
    assert true_peak_db(x) <= ceiling


def test_clips_of_different_levels_come_out_even(tmp_path):
    """Clips 18 dB apart in level are each brought to the target."""
    quiet = lambda text: 0.5 if len(text) % 2 else 0.0625  # noqa: E731
    with FakeGoogle(volume_fn=quiet) as fake:
        result = run("build", str(SAMPLE), "-o", str(tmp_path), "--engine", "gtts",
                     "--gtts-url", fake.url)
    assert result.exit_code == 0, result.stderr
    mp3 = the_mp3(tmp_path)
    x = samples(mp3, RATE)
    spans = silence.detect_nonsilent(load(mp3, RATE), min_silence_len=50, silence_thresh=-50)
    levels = [loudness(x[int(a * RATE / 1000):int(b * RATE / 1000)], RATE)
              for a, b in spans if b - a > 600]
    assert len(levels) >= 8
    assert max(levels) - min(levels) < 1.0
    assert loudness(x, RATE) == pytest.approx(-19.0, abs=0.5)
    assert true_peak_db(x) <= -1.0


def dominant_hz(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    return float(np.fft.rfftfreq(len(x), 1 / rate)[spectrum.argmax()])


def test_speed_changes_the_voice_tempo_not_its_pitch_nor_the_pauses(tmp_path):
    """At 1.25x the voice takes 0.8 of its time; the pauses and the edges
    keep the lengths set (they are not sped up with it)."""
    script = make_script(read_article(SAMPLE), 100, normalize)
    pauses = Edges().start_ms + Edges().end_ms + sum(
        Pacing().ms(s.pause_after) for s in script.segments)
    normal = len(load(espeak_build(tmp_path, "normal"), ESPEAK_RATE))
    faster = len(load(espeak_build(tmp_path, "faster", "--speed", "1.25"), ESPEAK_RATE))
    assert (faster - pauses) / (normal - pauses) == pytest.approx(0.8, abs=0.01)

    with FakeGoogle(ms_per_char=80) as fake:  # 440 Hz tones
        for name, speed in (("tone1", "1"), ("tone125", "1.25")):
            assert run("build", str(SAMPLE), "-o", str(tmp_path / name), "--engine", "gtts",
                       "--gtts-url", fake.url, "--speed", speed).exit_code == 0
    for name in ("tone1", "tone125"):
        x = samples(the_mp3(tmp_path / name), RATE)
        spans = silence.detect_nonsilent(load(the_mp3(tmp_path / name), RATE), 50, -40)
        start, end = max(spans, key=lambda s: s[1] - s[0])
        middle = x[int(start * RATE / 1000) + 2400:int(end * RATE / 1000) - 2400]
        assert dominant_hz(middle, RATE) == pytest.approx(440, abs=4)


def test_tags_and_chapters_read_back(tmp_path):
    script = make_script(read_article(FIXTURE), 100, normalize)
    text = format_script(script).replace(
        "language: vi\n", "language: vi\nsource: https://bao.example/cau-vuot\n", 1)
    script_file = tmp_path / "script.txt"
    script_file.write_text(text, encoding="utf-8")
    with FakeGoogle() as fake:
        result = run("render", str(script_file), "-o", str(tmp_path / "out"), "--engine", "gtts",
                     "--gtts-url", fake.url, "--publisher", "Báo Giao Thông")
    assert result.exit_code == 0, result.stderr
    mp3 = the_mp3(tmp_path / "out")
    tags = ID3(mp3)
    assert str(tags["TIT2"]) == script.title
    assert str(tags["TPE1"]) == "Ngọc Lan - Quang Huy"
    assert str(tags["TALB"]) == "Báo Giao Thông"
    assert str(tags["TLAN"]) == "vie"
    comments = {c.desc: str(c) for c in tags.getall("COMM")}
    assert comments == {"": "https://bao.example/cau-vuot",
                        "voice": "Google Translate (gTTS, online)"}
    assert len(str(tags["TDRC"])) == 10

    assert tags.version == (2, 3, 0)  # what older players and car stereos read
    chapters = tags.getall("CHAP")  # as stored in the file: in time order
    assert [c.start_time for c in chapters] == sorted(c.start_time for c in chapters)
    [toc] = tags.getall("CTOC")
    assert list(toc.child_element_ids) == [c.element_id for c in chapters]
    # the byline (under 3 s) is merged into the chapter before it (a short
    # title into the lead's: test_stages)
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == [
        "Tiêu đề", "Sapo", "Nội dung", "Chú thích ảnh", "Nội dung (2)"]
    assert all(c.end_time - c.start_time >= 3000 for c in chapters)
    # Each chapter starts where its section's first segment is heard; the
    # first at the start of the file.
    spans = silence.detect_nonsilent(load(mp3, RATE), min_silence_len=50, silence_thresh=-40)
    assert len(spans) == len(script.segments)
    assert chapters[0].start_time == 0
    first = 0
    for section, chapter in zip(script.sections, chapters):
        if chapter is not chapters[0]:
            assert chapter.start_time == pytest.approx(spans[first][0], abs=50)
        first += len(section.segments)
    assert chapters[-1].end_time == pytest.approx(len(load(mp3, RATE)), abs=50)


def jingle(path, seconds=1.5, volume=0.3):
    """A quiet tone (ffmpeg's sine is at 1/8 of full scale: about -28 dBFS here)."""
    subprocess.run([ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi", "-i",
                    f"sine=frequency=880:duration={seconds}", "-af", f"volume={volume}",
                    str(path)], check=True)
    return path


def test_intro_and_outro_are_added_and_levelled(tmp_path):
    intro, outro = jingle(tmp_path / "intro.wav"), jingle(tmp_path / "outro.flac", 2.0)
    plain = samples(espeak_build(tmp_path, "plain"), ESPEAK_RATE)
    framed_mp3 = espeak_build(tmp_path, "framed", "--intro", str(intro), "--outro", str(outro))
    framed = samples(framed_mp3, ESPEAK_RATE)
    section = Pacing().section / 1000
    extra = 1.5 + 2.0 + 2 * section
    assert len(framed) / ESPEAK_RATE == pytest.approx(len(plain) / ESPEAK_RATE + extra, abs=0.1)
    head = framed[: int(1.5 * ESPEAK_RATE)]
    assert loudness(head, ESPEAK_RATE) == pytest.approx(-19.0, abs=1.5)
    chapters = sorted(ID3(framed_mp3).getall("CHAP"), key=lambda c: c.start_time)
    assert str(chapters[0].sub_frames["TIT2"]) == "Nhạc hiệu" and chapters[0].start_time == 0
    assert str(chapters[-1].sub_frames["TIT2"]) == "Nhạc kết"


def test_an_unreadable_intro_is_a_one_line_error(tmp_path):
    bad = tmp_path / "intro.mp3"
    bad.write_bytes(b"not audio at all")
    out = tmp_path / "out"
    result = run("build", str(SAMPLE), "-o", str(out), "--engine", "espeak", "--intro", str(bad))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: the intro {bad} is not audio ffmpeg can read"]
    assert not out.exists() or not list(out.iterdir())


def test_a_missing_outro_is_a_one_line_error(tmp_path):
    missing = tmp_path / "outro.wav"
    out = tmp_path / "out"
    result = run("build", str(SAMPLE), "-o", str(out), "--engine", "espeak", "--outro",
                 str(missing))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: no such outro file: {missing}"]
    assert not out.exists() or not list(out.iterdir())


def test_a_jingle_keeps_its_own_tempo_when_the_voice_is_sped_up(tmp_path):
    intro = jingle(tmp_path / "intro.wav", seconds=2.0)
    mp3 = espeak_build(tmp_path, "fast", "--intro", str(intro), "--speed", "1.25")
    audio = load(mp3, ESPEAK_RATE)
    start, end = silence.detect_nonsilent(audio, min_silence_len=200, silence_thresh=-50)[0]
    assert start == pytest.approx(Edges().start_ms, abs=30)
    assert end - start == pytest.approx(2000, abs=60)  # not 1600: the voice's tempo only
    x = samples(mp3, ESPEAK_RATE)
    middle = x[int((start + 300) * ESPEAK_RATE / 1000):int((end - 300) * ESPEAK_RATE / 1000)]
    assert dominant_hz(middle, ESPEAK_RATE) == pytest.approx(880, abs=6)
