"""SIGTERM (and Ctrl-C) stop a build cleanly: one line, exit 128 + N (130 for
Ctrl-C), temporary files removed, a batch's workers gone with the command,
nothing written after the signal."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from .conftest import ROOT, SAMPLE
from .fake_google import FakeGoogle


def _as_in_a_terminal() -> None:
    # A shell starts background jobs with SIGINT ignored, and Python keeps an
    # ignored SIGINT ignored: the suite run from such a job (`cmd &`) would
    # test nothing. The build under test gets SIGINT as a terminal gives it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def start(args: list[str]) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "audio", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True,  # its own group: we can see what is left
                            preexec_fn=_as_in_a_terminal)


def group_gone(pgid: int, within: float) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def files(out) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in out.iterdir()} if out.exists() else {}


@pytest.mark.parametrize("signum, status, line", [
    (signal.SIGTERM, 143, "Error: stopped by SIGTERM"),
    (signal.SIGINT, 130, "Error: interrupted"),
])
def test_a_single_build_stops_with_one_line_and_leaves_nothing_behind(tmp_path, signum,
                                                                      status, line):
    out = tmp_path / "out"
    with FakeGoogle(latency=0.3) as fake:
        proc = start(["build", str(SAMPLE), "-o", str(out), "--engine", "gtts", "--gtts-url",
                      fake.url, "--cache", str(tmp_path / "cache"), "--jobs", "1", "-q"])
        while len(fake.served) < 2:  # well into the build
            time.sleep(0.05)
        proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=30)
    assert proc.returncode == status, stderr
    assert stderr == line + "\n"  # one line: no blank line before it, no traceback
    assert group_gone(proc.pid, 5)
    assert files(out) == {}  # no MP3, no .part file


@pytest.mark.parametrize("to_group, signum", [(False, signal.SIGTERM),
                                              (True, signal.SIGHUP), (True, signal.SIGINT)])
def test_a_batch_stops_with_its_workers_and_writes_nothing_after(tmp_path, to_group, signum):
    """The signal to the command (what `timeout` does) or to its whole group
    (a closed terminal, Ctrl-C, systemd): one line, no worker's traceback, no
    temporary file, no process left, nothing written afterwards."""
    articles = tmp_path / "articles"
    articles.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    for n in range(6):  # distinct texts: every article needs the voice
        (articles / f"a{n}.txt").write_text(text.replace("thư viện", f"thư viện số {n}"),
                                            encoding="utf-8")
    out = tmp_path / "out"
    with FakeGoogle(latency=0.3) as fake:
        proc = start(["build", str(articles), "-o", str(out), "--engine", "gtts", "--gtts-url",
                      fake.url, "--cache", str(tmp_path / "cache"), "--workers", "2",
                      "--jobs", "1", "-q"])
        while len(fake.served) < 4:  # both workers under way
            time.sleep(0.05)
        if to_group:
            os.killpg(proc.pid, signum)
        else:
            proc.send_signal(signum)
        stdout, stderr = proc.communicate(timeout=60)  # returns: no worker holds stderr
        expected = ("Error: interrupted" if signum == signal.SIGINT else
                    f"Error: stopped by {signal.Signals(signum).name}")
        assert proc.returncode == 128 + signum, stderr
        assert stderr == expected + "\n", stderr
        assert group_gone(proc.pid, 10)  # the workers went with it
        after = files(out)
        served = len(fake.served)
        time.sleep(1.5)
        assert files(out) == after  # nothing written after the command ended
        assert len(fake.served) == served  # nor asked of the voice
    assert not [name for name in after if name.endswith(".part")]
    assert len([name for name in after if name.endswith(".mp3")]) < 6


def test_a_stop_does_not_wait_for_a_request_stuck_on_a_slow_server(tmp_path):
    """The voice dripping its headers with --timeout 60: SIGTERM used to wait
    for the request's deadline before the command left (59 s)."""
    with FakeGoogle(fault=lambda n, text: "header-drip") as fake:
        proc = start(["build", str(SAMPLE), "-o", str(tmp_path / "out"), "--engine", "gtts",
                      "--gtts-url", fake.url, "--no-cache", "--timeout", "60", "-q"])
        while not fake.served and proc.poll() is None:
            time.sleep(0.05)
        time.sleep(0.5)
        start_stop = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        stdout, stderr = proc.communicate(timeout=30)
        took = time.monotonic() - start_stop
    assert proc.returncode == 143 and stderr == "Error: stopped by SIGTERM\n", stderr
    assert took < 5
    assert files(tmp_path / "out") == {}
