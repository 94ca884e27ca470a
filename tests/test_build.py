"""End to end through the CLI: an article becomes one narrated MP3."""
from __future__ import annotations

from pathlib import Path

import mutagen.mp3
import pytest

from audio._pydub import silence
from audio.model import Edges
from script import Pacing, Pause, make_script, normalize, read_article
from tests.helpers import run_cli as run
from tests.audio_utils import load, seconds
from tests.fake_google import RATE



def only_mp3(out: Path) -> Path:
    """The one edition in `out`: its MP3, with its timings and page beside it."""
    [mp3] = sorted(out.glob("*.mp3"))
    assert sorted(p.name for p in out.iterdir()) == sorted(
        mp3.with_suffix(ext).name for ext in (".html", ".json", ".mp3", ".vtt"))
    return mp3


@pytest.fixture(scope="module")
def gtts_build(tmp_path_factory):
    from tests.conftest import shared_file
    from tests.fake_google import FakeGoogle

    shared_article = shared_file("articles/pho-thu-tuong-giu-minh.txt")
    tmp_path = tmp_path_factory.mktemp("gtts")
    with FakeGoogle() as fake_google:
        result = run("build", str(shared_article), "-o", str(tmp_path), "--engine", "gtts",
                     "--gtts-url", fake_google.url,
                     "--cache", str(tmp_path_factory.mktemp("cache")))
    assert result.exit_code == 0, result.stderr
    return only_mp3(tmp_path), make_script(read_article(shared_article), 100, normalize), fake_google


def test_gtts_build_makes_one_request_per_segment(gtts_build):
    mp3, script, fake = gtts_build
    assert mp3.name == "pho-thu-tuong-cac-luc-luong-phai-biet-giu-minh-truoc-cam-do-ve-loi-ich.mp3"
    # concurrent requests arrive in any order; a text said twice is asked for once
    assert sorted(s.text for s in fake.served) == sorted({s.text for s in script.segments})
    assert len(fake.served) == len(script.segments)  # this article repeats no segment
    assert all(s.status == 200 and s.lang == "vi" for s in fake.served)


def test_gtts_build_duration_is_clips_plus_pauses(gtts_build):
    mp3, script, fake = gtts_build
    pacing = Pacing()
    edges = Edges()
    expected = sum(s.seconds for s in fake.served) + (edges.start_ms + edges.end_ms + sum(
        pacing.ms(seg.pause_after) for seg in script.segments)) / 1000
    assert seconds(mp3, RATE) == pytest.approx(expected, rel=0.05)
    info = mutagen.mp3.MP3(mp3).info
    assert info.channels == 1 and info.sample_rate == 44100  # resampled for the MP3


def test_pauses_are_where_the_script_says(gtts_build):
    """The fake's clips are tones with no silence inside, so every silence in
    the edition is one of the script's pauses, in order."""
    mp3, script, _ = gtts_build
    audio = load(mp3, RATE)
    found = silence.detect_silence(audio, min_silence_len=50, silence_thresh=-40)
    lead, tail = found[0], found[-1]  # the edition's edges
    assert lead[0] == 0 and lead[1] == pytest.approx(Edges().start_ms, abs=30)
    assert tail[1] == len(audio) and tail[1] - tail[0] >= Edges().end_ms - 30
    found = found[1:-1]
    pauses = [seg.pause_after for seg in script.segments if seg.pause_after != Pause.END]
    assert len(found) == len(pauses)
    by_kind: dict[Pause, list[int]] = {}
    for (start, end), kind in zip(found, pauses):
        by_kind.setdefault(kind, []).append(end - start)
        assert end - start == pytest.approx(Pacing().ms(kind), abs=60)
    assert min(by_kind[Pause.PARAGRAPH]) > max(by_kind[Pause.SENTENCE])
    assert min(by_kind[Pause.TITLE]) > max(by_kind[Pause.PARAGRAPH])


def test_offline_voice_builds_the_shared_article(shared_article, tmp_path):
    result = run("build", str(shared_article), "-o", str(tmp_path), "--engine", "espeak")
    assert result.exit_code == 0, result.stderr
    mp3 = only_mp3(tmp_path)
    info = mutagen.mp3.MP3(mp3).info
    assert info.channels == 1
    assert seconds(mp3, 22050) > 60
    assert "voice espeak" in result.stdout


def test_auto_falls_back_to_the_offline_voice_and_says_why(closed_port_url, tmp_path):
    from tests.conftest import SAMPLE

    for quiet in ([], ["-q"]):  # a change of voice is said even with --quiet
        out = tmp_path / f"out{len(quiet)}"
        result = run("build", str(SAMPLE), "-o", str(out), "--gtts-url", closed_port_url,
                     *quiet)
        assert result.exit_code == 0, result.stderr
        assert result.stderr.startswith(
            "Warning: using the offline voice (espeak), not Google's: cannot reach 127.0.0.1")
        assert len(result.stderr.splitlines()) == 1
        only_mp3(out)


def test_auto_uses_gtts_when_google_answers(fake_google, tmp_path):
    from tests.conftest import SAMPLE

    result = run("build", str(SAMPLE), "-o", str(tmp_path), "--gtts-url", fake_google.url)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.startswith("Voice: gtts")
    assert "voice gtts" in result.stdout
    only_mp3(tmp_path)


def test_gtts_empty_audio_is_an_error_not_a_silent_gap(tmp_path):
    """gTTS turns a 200 without audio into an empty file and no error: ours
    retries it, and after the last try names the segment."""
    from tests.conftest import SAMPLE
    from tests.fake_google import FakeGoogle

    third_text: list[str] = []

    def fault(n, text):
        if n == 3:
            third_text.append(text)
        return "empty" if third_text and text == third_text[0] else None

    with FakeGoogle(fault=fault) as fake:
        result = run("build", str(SAMPLE), "-o", str(tmp_path), "--engine", "gtts",
                     "--gtts-url", fake.url, "--jobs", "1", "--retries", "3",
                     "--retry-delay", "0")
    assert result.exit_code == 1
    assert "segment 3/" in result.stderr and "no audio (after 3 tries)" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("case", ["missing", "empty", "blank", "engine", "unreachable"])
def test_errors_are_one_line_and_leave_no_file(case, tmp_path, closed_port_url):
    article = tmp_path / "article.txt"
    out = tmp_path / "out"
    args = ["build", str(article), "-o", str(out)]
    if case == "missing":
        pass
    elif case == "empty":
        article.write_bytes(b"")
    elif case == "blank":
        article.write_text(" \n\n\t\n")
    elif case == "engine":
        article.write_text("Tiêu đề\n\nNội dung.\n")
        args += ["--engine", "nonesuch"]
    elif case == "unreachable":
        article.write_text("Tiêu đề\n\nNội dung bài báo.\n")
        args += ["--engine", "gtts", "--gtts-url", closed_port_url, "--retry-delay", "0"]
    result = run(*args)
    assert result.exit_code != 0
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert not out.exists() or list(out.iterdir()) == []


def test_engines_lists_each_voice_and_why_not(closed_port_url):
    result = run("engines", "--gtts-url", closed_port_url)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("gtts     no   cannot reach 127.0.0.1") and "refused" in lines[0]
    assert lines[1] == "espeak   yes  offline espeak-ng voice 'vi'"


def test_published_files_get_the_usual_permissions(tmp_path):
    """Regression: files made through mkstemp were 0600, unreadable by a web server."""
    import os

    from tests.conftest import SAMPLE

    mask = os.umask(0o022)
    try:
        assert run("build", str(SAMPLE), "-o", str(tmp_path), "--engine", "espeak").exit_code == 0
    finally:
        os.umask(mask)
    for path in tmp_path.iterdir():
        assert path.stat().st_mode & 0o777 == 0o644, path.name
