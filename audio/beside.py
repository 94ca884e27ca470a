"""The text stage and the sound stage's start-up, side by side.

A single build starts with two pieces of Python work that need nothing from
each other: the text stage (the word segmenter's model, the reading rules:
about 0.4 s) and loading what the sound stage runs on (numpy, pydub,
mutagen, gTTS and requests or espeak-ng, ffmpeg's path: about 0.4 s). One
interpreter runs Python on one core at a time, threads or not, so they are
done in two processes: a forked child makes the script and sends it back
pickled, while this process loads the sound side on the other core.

Where forking is not safe (not Linux; threads already running, such as a
test's server or the voice probe, whose locks a child could inherit held) or
the child dies without an answer, the script is made here, one thing after
the other, as before: the same script either way.
"""
from __future__ import annotations

import os
import pickle
import signal
import sys
import threading
from typing import Callable, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    return sys.platform == "linux" and threading.active_count() == 1


def beside(make: Callable[[], T], meanwhile: Callable[[], None]) -> T:
    """make() in a forked child while meanwhile() runs here; make()'s value,
    or the exception it raised, as if it had run here."""
    if not can_fork():
        meanwhile()
        return make()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: make, answer, leave without running this process's exit code
        try:
            os.close(read_end)
            try:
                answer = pickle.dumps((True, make()))
            except BaseException as e:  # the parent raises it
                try:
                    answer = pickle.dumps((False, e))
                except Exception:
                    answer = pickle.dumps((False, RuntimeError(f"{type(e).__name__}: {e}")))
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(answer)
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            meanwhile()
            answer = pipe.read()
        os.waitpid(pid, 0)
    except BaseException:  # interrupted here: the child goes too
        try:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        except OSError:
            pass
        raise
    try:
        ok, value = pickle.loads(answer)
    except Exception:  # the child died before answering: make it here
        return make()
    if ok:
        return value
    raise value
