"""The script made in a forked child while the parent loads the sound side:
the same value or error as made here, and a safe fallback."""
from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from audio.beside import beside, can_fork
from script import ScriptError

from .conftest import ROOT, SAMPLE
from .helpers import run_cli

def needs_fork(test):
    """Run the test here when this process may fork (Linux, no other thread
    running), else in a pytest process of its own: a test before it in this
    worker may have left a thread behind (a server's), and the code under
    test then, rightly, does not fork."""
    @functools.wraps(test)
    def run():
        if can_fork():
            return test()
        if not sys.platform.startswith("linux") or os.environ.get("AUDIO_EDITION_FRESH"):
            pytest.skip("forks only on Linux with no other thread")
        node = f"{Path(__file__).relative_to(ROOT)}::{test.__name__}"
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               "-o", "addopts=", node], cwd=ROOT, capture_output=True, text=True,
                              env={**os.environ, "AUDIO_EDITION_FRESH": "1"})
        assert proc.returncode == 0 and " passed" in proc.stdout, proc.stdout[-3000:]
    return run


@needs_fork
def test_the_value_is_made_in_a_child_while_the_parent_works():
    parent = os.getpid()
    ran_here: list[int] = []
    made = beside(lambda: {"pid": os.getpid(), "text": "Hà Nội"},
                  lambda: ran_here.append(os.getpid()))
    assert made["text"] == "Hà Nội" and made["pid"] != parent
    assert ran_here == [parent]


@needs_fork
def test_an_error_in_the_child_is_raised_here():
    def fail():
        raise ScriptError("the article has nothing to read")

    with pytest.raises(ScriptError, match="nothing to read"):
        beside(fail, lambda: None)


@needs_fork
def test_a_child_that_dies_without_an_answer_is_replaced_by_making_it_here():
    parent = os.getpid()

    def make():
        if os.getpid() != parent:
            os._exit(3)  # a crash in the child
        return "made here"

    assert beside(make, lambda: None) == "made here"


def test_with_other_threads_running_nothing_is_forked():
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert not can_fork()
        assert beside(os.getpid, lambda: None) == os.getpid()
    finally:
        stop.set()
        worker.join()


def test_a_build_through_the_child_reads_the_same_as_one_made_in_process(tmp_path):
    """The command as a user runs it (one thread: the script is made in a
    child) and the same build in process with a thread running (made here):
    the same segments, spoken the same way."""
    forked = tmp_path / "forked"
    proc = subprocess.run([sys.executable, "-m", "audio", "build", str(SAMPLE), "-o", str(forked),
                           "--engine", "espeak", "--cache", str(tmp_path / "cache"), "-q"],
                          cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        here = tmp_path / "here"
        assert run_cli("build", str(SAMPLE), "-o", str(here), "--engine", "espeak",
                       "--cache", str(tmp_path / "cache"), "-q").exit_code == 0
    finally:
        stop.set()
        worker.join()

    def segments(out):
        document = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))
        return [(s["text"], s["spoken"], s["pause_after"]) for s in document["segments"]]

    assert segments(forked) == segments(here) != []


# --- the child forked as the command starts (start.py) -------------------------------------

def _article():
    from script import parse_article

    return parse_article(SAMPLE.read_text(encoding="utf-8"))


@needs_fork
def test_the_child_forked_at_start_narrates_the_article_it_is_sent():
    """Forked before the article is read, it loads the text stage, then makes
    the script of the article sent to it: the script made here, while the
    sound side's loading runs here."""
    from audio.beside import TextWorker
    from audio.narrate import narrate_with_lexicon

    worker = TextWorker.start()
    ran_here: list[int] = []
    made = worker.narrate((_article(), 100, {"Hà Nội": "Hà Lội"}),
                          lambda: ran_here.append(os.getpid()), lambda: None)
    assert ran_here == [os.getpid()]
    assert made == narrate_with_lexicon(_article(), 100, {"Hà Nội": "Hà Lội"})
    assert made.segments and worker.pid == 0 or _gone(worker.pid)


def _gone(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@needs_fork
def test_an_error_in_the_child_forked_at_start_is_raised_here():
    from audio.beside import TextWorker
    from script.model import Script

    worker = TextWorker.start()
    with pytest.raises(ScriptError, match="nothing in the article can be read"):
        from script import parse_article

        worker.narrate((parse_article("?!\n\n…"), 100, None), lambda: None,
                       lambda: Script("", ()))


@needs_fork
def test_a_child_forked_at_start_and_never_sent_an_article_is_stopped():
    """An edition up to date, a dry run, a batch, an error: the child loading
    the text stage is stopped with the command, not left running."""
    from audio import beside as module

    module.start_text_worker()
    pid = module._started.pid
    module.stop_text_worker()
    assert _gone(pid) and module.take_text_worker() is None


@needs_fork
def test_a_child_forked_at_start_that_dies_is_replaced_by_making_it_here():
    from audio.beside import TextWorker

    worker = TextWorker.start()
    os.kill(worker.pid, 9)
    assert worker.narrate((_article(), 100, None), lambda: None, lambda: "made here") \
        == "made here"


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="lists processes through /proc")
def test_an_up_to_date_build_leaves_no_process_behind(tmp_path):
    """The command as a user runs it: the second build finds its edition up
    to date and stops the child it forked at start; nothing of it runs on."""
    cmd = [sys.executable, "-m", "audio", "build", str(SAMPLE), "-o", str(tmp_path / "out"),
           "--engine", "espeak", "--cache", str(tmp_path / "cache"), "-q"]
    assert subprocess.run(cmd, cwd=ROOT).returncode == 0
    assert subprocess.run(cmd, cwd=ROOT).returncode == 0  # up to date
    marker = str(tmp_path / "out").encode()
    running = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if marker in f.read():
                    running.append(entry)
        except OSError:
            pass
    assert running == []


def test_where_fork_fails_the_script_is_made_here(monkeypatch):
    """A process limit or a sandbox refusing fork(): no child, no leaked
    pipe, the script made in this process."""
    from audio.beside import TextWorker

    def refuse():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    monkeypatch.setattr(os, "fork", refuse)
    monkeypatch.setattr("audio.beside.can_fork", lambda: True)
    assert TextWorker.start() is None
    ran: list[str] = []
    assert beside(lambda: "made here", lambda: ran.append("meanwhile")) == "made here"
    assert ran == ["meanwhile"]
    if before is not None:
        assert len(os.listdir("/proc/self/fd")) == before


def test_a_build_where_fork_fails_is_built_all_the_same(tmp_path):
    """The command as a user runs it, with fork() refused from the start:
    the edition, no traceback."""
    code = ("import os, sys\n"
            "def refuse():\n    raise BlockingIOError(11, 'no more processes')\n"
            "os.fork = refuse\n"
            f"sys.argv = ['audio-edition', 'build', {str(SAMPLE)!r}, '-o', "
            f"{str(tmp_path / 'out')!r}, '--engine', 'espeak', '--cache', "
            f"{str(tmp_path / 'cache')!r}, '-q']\n"
            "from audio.start import main\nmain()\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    assert len(list((tmp_path / "out").glob("*.mp3"))) == 1
