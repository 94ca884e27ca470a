"""gTTS at production scale: faults, retries, the clip cache, resumable builds,
proxies. Real gTTS request building, real HTTP to a fake on 127.0.0.1."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from audio._pydub import silence
from audio.cache import entry_is_valid
from script import make_script, normalize, read_article
from tests.helpers import run_cli as run
from tests.audio_utils import load
from tests.conftest import ROOT, SAMPLE
from tests.fake_google import RATE, FakeGoogle
from tests.forward_proxy import CountingProxy



def build(fake: FakeGoogle, article: Path, out: Path, cache: Path, *extra: str):
    return run("build", str(article), "-o", str(out), "--engine", "gtts",
               "--gtts-url", fake.url, "--cache", str(cache), "--retry-delay", "0.01", *extra)


def segments_of(article: Path) -> list[str]:
    return [s.text for s in make_script(read_article(article), 100, normalize).segments]


def raw_entries(cache: Path) -> list[Path]:
    """The cache's synthesized clips (not the prepared, levelled copies)."""
    return sorted(p for p in (cache / "clips").rglob("*.clip")
                  if not p.name.startswith(("prepared-", "levelled-")))


def mp3s(out: Path) -> list[Path]:
    return sorted(out.glob("*.mp3")) if out.exists() else []


def no_partial_files(out: Path) -> bool:
    return not out.exists() or not [p for p in out.iterdir() if p.suffix == ".part"]


@pytest.mark.parametrize("fault, options", [
    pytest.param(lambda n, t: 429 if n <= 6 else None, (), id="429-first-6"),
    pytest.param((lambda rng: lambda n, t: 500 if rng.random() < 0.3 else None)(
        random.Random(7)), ("--retries", "10"), id="random-500"),
    pytest.param(lambda n, t: "empty" if n % 3 == 1 else None, (), id="empty-body"),
    pytest.param(lambda n, t: "garbled" if n % 4 == 2 else None, (), id="garbled-body"),
    pytest.param(lambda n, t: "stall" if n in (2, 5) else None, ("--timeout", "0.5"),
                 id="stall-past-timeout"),
])
def test_faults_are_retried_and_the_edition_is_complete(fault, options, tmp_path):
    texts = segments_of(SAMPLE)
    with FakeGoogle(fault=fault, stall=3, retry_after="0") as fake:
        result = build(fake, SAMPLE, tmp_path / "out", tmp_path / "cache", *options)
        assert result.exit_code == 0, result.stderr
        assert sorted(s.text for s in fake.ok_requests) == sorted(set(texts))
        assert len(fake.served) > len(fake.ok_requests)  # faults happened and were retried
    assert len(mp3s(tmp_path / "out")) == 1 and no_partial_files(tmp_path / "out")


def test_retry_after_is_honoured(tmp_path):
    with FakeGoogle(fault=lambda n, t: 429 if n == 1 else None, retry_after="1") as fake:
        start = time.monotonic()
        result = build(fake, SAMPLE, tmp_path / "out", tmp_path / "cache", "--jobs", "1",
                       "--retry-delay", "0")
        assert result.exit_code == 0, result.stderr
        assert time.monotonic() - start >= 1.0


def test_a_failed_build_fails_cleanly_and_a_rerun_completes_it(tmp_path):
    texts = segments_of(SAMPLE)
    broken = texts[5]
    out, cache = tmp_path / "out", tmp_path / "cache"
    with FakeGoogle(fault=lambda n, t: 503 if t == broken else None) as fake:
        result = build(fake, SAMPLE, out, cache, "--retries", "3")
        assert result.exit_code == 1
        [line] = result.stderr.splitlines()
        assert line.startswith(f"Error: segment 6/{len(texts)} (")
        assert "503" in line and "after 3 tries" in line
        assert mp3s(out) == [] and no_partial_files(out)

        stored = [p for p in raw_entries(cache) if entry_is_valid(p)]
        assert 0 < len(stored) < len(set(texts))
        fake.fault = None  # the network is back
        fake.served.clear()
        result = build(fake, SAMPLE, out, cache)
        assert result.exit_code == 0, result.stderr
        assert len(fake.served) == len(set(texts)) - len(stored)
        assert broken in {s.text for s in fake.served}
    assert len(mp3s(out)) == 1


@pytest.mark.parametrize("fault, options, message", [
    ("stall", ("--timeout", "1.5"), "did not answer within 1.5 s"),
    ("no-audio", (), "gTTS: Google answered with no audio"),
], ids=["timeout", "no-audio"])
def test_a_segment_that_keeps_failing_is_retried_then_named(fault, options, message,
                                                               tmp_path):
    """Timeouts and answers without audio are retried (then the build stops
    with what happened, in one line)."""
    texts = segments_of(SAMPLE)
    broken = texts[2]
    with FakeGoogle(fault=lambda n, t: fault if t == broken else None, stall=4.0) as fake:
        result = build(fake, SAMPLE, tmp_path / "out", tmp_path / "cache", "--retries", "2",
                       *options)
        [line] = result.stderr.splitlines()
        assert result.exit_code == 1 and line.startswith(f"Error: segment 3/{len(texts)} (")
        assert line.endswith(f"{message} (after 2 tries)")
        assert sum(s.text == broken for s in fake.served) == 2


def test_request_counts_first_build_rebuild_and_one_edited_paragraph(tmp_path):
    article = tmp_path / "article.txt"
    original = SAMPLE.read_text(encoding="utf-8")
    article.write_text(original, encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    before = segments_of(article)
    with FakeGoogle() as fake:
        assert build(fake, article, out, cache).exit_code == 0
        assert len(fake.served) == len(set(before))

        fake.served.clear()
        result = build(fake, article, out, cache, "--force")  # (unchanged: up to date)
        assert result.exit_code == 0 and fake.served == []
        assert f"{len(before)} cached, 0 synthesized" in result.stdout

        paragraph = "Phần lớn sách do người dân"
        assert paragraph in original
        article.write_text(original.replace(paragraph, "Hầu hết sách do bà con"),
                           encoding="utf-8")
        after = segments_of(article)
        changed = set(after) - set(before)
        assert 0 < len(changed) <= 2
        fake.served.clear()
        assert build(fake, article, out, cache).exit_code == 0
        assert sorted(s.text for s in fake.served) == sorted(changed)


def test_a_corrupt_cache_entry_is_detected_and_remade(tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    with FakeGoogle() as fake:
        assert build(fake, SAMPLE, out, cache).exit_code == 0
        entries = raw_entries(cache)
        damaged = entries[3]
        data = bytearray(damaged.read_bytes())
        data[len(data) // 2] ^= 0xFF
        damaged.write_bytes(bytes(data))
        entries[7].write_bytes(entries[7].read_bytes()[:100])  # truncated
        fake.served.clear()
        assert build(fake, SAMPLE, out, cache, "--force").exit_code == 0
        assert len(fake.served) == 2
    assert all(entry_is_valid(p) for p in entries)


def test_clips_keep_their_order_under_concurrency(tmp_path):
    """Later requests are answered first; the edition's tones (whose length
    grows with the text) must still come in script order."""
    texts = segments_of(SAMPLE)
    with FakeGoogle(latency_fn=lambda n: max(0.0, 0.3 - 0.04 * n), ms_per_char=40) as fake:
        assert build(fake, SAMPLE, tmp_path / "out", tmp_path / "cache", "--jobs", "6",
                     "--no-cache").exit_code == 0
        order = list(fake.completed)
        expected = {s.text: s.seconds for s in fake.served}
    assert order != texts  # the answers did arrive out of order
    audio = load(mp3s(tmp_path / "out")[0], RATE)
    spans = silence.detect_nonsilent(audio, min_silence_len=50, silence_thresh=-40)
    assert len(spans) == len(texts)
    for (start, end), text in zip(spans, texts):
        # the clip minus the MP3 padding that assembly trims
        assert (end - start) / 1000 == pytest.approx(expected[text], abs=0.1)


def test_a_killed_build_leaves_no_mp3_and_the_rerun_requests_only_what_is_missing(tmp_path):
    article = ROOT / "tests" / "fixtures" / "ban-tin-giao-thong.txt"
    texts = segments_of(article)
    out, cache = tmp_path / "out", tmp_path / "cache"
    with FakeGoogle(latency=0.15) as fake:
        proc = subprocess.Popen(
            [sys.executable, "-m", "audio", "build", str(article), "-o", str(out),
             "--engine", "gtts", "--gtts-url", fake.url, "--cache", str(cache), "--jobs", "2"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(ROOT)})
        deadline = time.monotonic() + 30
        while len(fake.ok_requests) < 6 and time.monotonic() < deadline:
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert mp3s(out) == []
        stored = [p for p in raw_entries(cache) if entry_is_valid(p)]
        assert 6 - 2 <= len(stored) < len(set(texts))
        fake.served.clear()
        result = build(fake, article, out, cache)
        assert result.exit_code == 0, result.stderr
        assert len(fake.served) == len(set(texts)) - len(stored)
    assert len(mp3s(out)) == 1 and no_partial_files(out)
    assert not list((cache / "clips").rglob("*.part"))  # the killed build's leftovers


def test_requests_and_the_probe_go_through_the_proxy(tmp_path, monkeypatch):
    with FakeGoogle() as fake, CountingProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "")
        result = run("build", str(SAMPLE), "-o", str(tmp_path / "out"), "--gtts-url", fake.url,
                     "--cache", str(tmp_path / "cache"))  # auto: the probe, then the build
        assert result.exit_code == 0, result.stderr
        assert result.stderr.startswith("Voice: gtts")
        assert len(proxy.requests) == len(fake.served) == len(set(segments_of(SAMPLE))) + 1
        assert all(r.startswith("http://127.0.0.1:") for r in proxy.requests)


def test_no_proxy_is_honoured(tmp_path, monkeypatch, closed_port_url):
    proxy_nowhere = closed_port_url.rsplit("/_/", 1)[0]
    monkeypatch.setenv("HTTP_PROXY", proxy_nowhere)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeGoogle() as fake:
        result = build(fake, SAMPLE, tmp_path / "out", tmp_path / "cache")
        assert result.exit_code == 0, result.stderr
        assert len(fake.served) == len(set(segments_of(SAMPLE)))


def _run_on_a_terminal(*args: str) -> str:
    """Run the CLI with its stderr on a pseudo-terminal; what it printed there."""
    import pty

    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "audio", *args], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=follower,
                            env={**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"})
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait()
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_bar_on_a_terminal_only(tmp_path):
    common = ["build", str(SAMPLE), "-o", str(tmp_path / "out"), "--engine", "espeak",
              "--cache", str(tmp_path / "cache")]
    shown = _run_on_a_terminal(*common)
    total = len(segments_of(SAMPLE))
    assert "Synthesizing" in shown and f"{total}/{total}" in shown and "0 cached" in shown
    again = _run_on_a_terminal(*common, "--force")
    assert f"{len(set(segments_of(SAMPLE)))} cached" in again
    assert _run_on_a_terminal(*common, "--force", "--quiet") == ""
    result = run(*common, "--force")  # not a terminal: no bar
    assert result.exit_code == 0 and result.stderr == ""


def test_a_rebuild_from_the_cache_is_identical_and_skips_the_loudness_code(tmp_path):
    """Prepared (levelled) clips are cached too, short ones (levelled with
    the gain of the clip before them) included: a forced rebuild neither
    measures nor limits again (no Leveller is made)."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    with FakeGoogle(ms_per_char=20) as fake:  # the byline's clip: under 0.4 s, unmeasurable
        assert build(fake, SAMPLE, out, cache).exit_code == 0
        first = mp3s(out)[0].read_bytes()
        assert any(p.name.startswith("levelled-") for p in (cache / "clips").rglob("*.clip"))
        probe = (
            "import sys\n"
            "import audio.loudness as loudness\n"
            "made = []\n"
            "init = loudness.Leveller.__init__\n"
            "loudness.Leveller.__init__ = lambda self, *a: made.append(1) or init(self, *a)\n"
            "from audio.cli import main\n"
            "try:\n    main()\n"
            "finally:\n    print(bool(made), file=sys.stderr)\n")
        proc = subprocess.run(
            [sys.executable, "-c", probe, "build", str(SAMPLE), "-o", str(out), "--engine",
             "gtts", "--gtts-url", fake.url, "--cache", str(cache), "-q", "--force"],
            cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert proc.stderr.strip().splitlines()[-1] == "False", proc.stderr
    assert mp3s(out)[0].read_bytes() == first


def test_the_probe_has_a_hard_deadline(monkeypatch):
    """requests' timeout does not cover DNS, which can hang with no network:
    the auto probe gives up on its own clock."""
    from audio.engines.google import GttsEngine

    engine = GttsEngine()
    monkeypatch.setattr(engine, "synthesize", lambda *a, **k: time.sleep(30))
    start = time.monotonic()
    ok, reason = engine.available(timeout=0.5)
    assert not ok and "did not answer within 0.5 s" in reason
    assert time.monotonic() - start < 2.5
