"""The script made in a forked child while the parent loads the sound side:
the same value or error as made here, and a safe fallback."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest

from audio.beside import beside, can_fork
from script import ScriptError

from .conftest import ROOT, SAMPLE
from .helpers import run_cli

needs_fork = pytest.mark.skipif(not can_fork(), reason="forks only on Linux with no other thread")


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
