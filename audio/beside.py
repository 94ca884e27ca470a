"""The text stage and the sound stage's start-up, side by side.

A single build starts with two pieces of Python work that need nothing from
each other: the text stage (the word segmenter's model, the reading rules:
about 0.4 s) and loading what the sound stage runs on (numpy, pydub,
mutagen, gTTS and requests or espeak-ng, ffmpeg's path: about 0.4 s). One
interpreter runs Python on one core at a time, threads or not, so they are
done in two processes: a forked child makes the script and sends it back
pickled, while this process loads the sound side on the other core.

The command's entry point (start.py) forks that child before anything
else, when the command is `build`: it loads the reading rules and the word
segmenter (0.2 s) while this process loads click and its own code, reads
the article and checks whether the edition is up to date, and is then sent
the article to narrate (`TextWorker`). Forked later, from `beside`, it
started 0.1 s later and both processes loaded the same text modules.

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


def _answer(make: Callable[[], object]) -> bytes:
    """make()'s value, or the exception it raised, pickled for the parent."""
    try:
        return pickle.dumps((True, make()))
    except BaseException as e:  # the parent raises it
        try:
            return pickle.dumps((False, e))
        except Exception:
            return pickle.dumps((False, RuntimeError(f"{type(e).__name__}: {e}")))


def _await(pid: int, answers: int, meanwhile: Callable[[], None], make: Callable[[], T]) -> T:
    """meanwhile() here, then the child's answer: its value, or its error
    raised here; made here when the child died without answering."""
    try:
        with os.fdopen(answers, "rb") as pipe:
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


class TextWorker:
    """A child forked as the command starts, that loads the text stage and
    then narrates the one article it is sent (see the module's account)."""

    def __init__(self, pid: int, jobs: int, answers: int) -> None:
        self.pid, self.jobs, self.answers = pid, jobs, answers

    @classmethod
    def start(cls) -> "TextWorker | None":
        if not can_fork():
            return None
        jobs_r, jobs_w = os.pipe()
        answers_r, answers_w = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # (a process limit, a sandbox): the script is made here
            for fd in (jobs_r, jobs_w, answers_r, answers_w):
                os.close(fd)
            return None
        if pid == 0:  # the child: load, wait for the article, answer, leave
            try:
                os.close(jobs_w)
                os.close(answers_r)
                # Ctrl-C reaches the whole process group: the parent reports it
                for name in ("SIGINT", "SIGHUP"):
                    signal.signal(getattr(signal, name), signal.SIG_DFL)
                from .narrate import narrate_with_lexicon, preload

                preload()
                with os.fdopen(jobs_r, "rb") as pipe:
                    job = pipe.read()
                if job:  # (nothing: the parent did not need a script)
                    answer = _answer(lambda: narrate_with_lexicon(*pickle.loads(job)))
                    with os.fdopen(answers_w, "wb") as pipe:
                        pipe.write(answer)
            finally:
                os._exit(0)
        os.close(jobs_r)
        os.close(answers_w)
        from .pipes import widen

        widen(jobs_w)  # a long article's job is written without waiting for the child
        return cls(pid, jobs_w, answers_r)

    def narrate(self, job: tuple, meanwhile: Callable[[], None], make: Callable[[], T]) -> T:
        """The script for `job` (article, segment limit, lexicon), made in
        the child while meanwhile() runs here; as `beside`. Made here when
        the job is not plain data, or the child is gone."""
        try:
            data = pickle.dumps(job)
            jobs, self.jobs = self.jobs, -1  # (closed by its file object, whatever happens)
            with os.fdopen(jobs, "wb") as pipe:
                pipe.write(data)
        except Exception:
            self.close()
            meanwhile()
            return make()
        answers, self.answers = self.answers, -1
        return _await(self.pid, answers, meanwhile, make)

    def close(self) -> None:
        """Not needed (an edition up to date, a batch, a dry run, an error):
        the child is stopped, not left loading beside the next command."""
        for fd in (self.jobs, self.answers):
            if fd >= 0:
                try:
                    os.close(fd)
                except OSError:
                    pass
        self.jobs = self.answers = -1
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = 0


_started: TextWorker | None = None


def start_text_worker() -> None:
    """Fork the text stage's child now (the entry point of `build`)."""
    global _started
    _started = TextWorker.start()


def stop_text_worker() -> None:
    """The command is over: a child it never needed is stopped."""
    worker = take_text_worker()
    if worker is not None:
        worker.close()


def take_text_worker() -> TextWorker | None:
    """The child forked at start, once; None when there is none."""
    global _started
    worker, _started = _started, None
    return worker


def beside(make: Callable[[], T], meanwhile: Callable[[], None],
           job: Callable[[], tuple] | None = None) -> T:
    """make() in a forked child while meanwhile() runs here; make()'s value,
    or the exception it raised, as if it had run here. With the child forked
    at start (and `job()`: the article, the segment limit and the lexicon
    that make() narrates), that child narrates it."""
    worker = take_text_worker()
    if worker is not None:
        if job is None:
            worker.close()
        else:
            try:
                data = job()
            except BaseException:
                worker.close()
                raise
            return worker.narrate(data, meanwhile, make)
    if not can_fork():
        meanwhile()
        return make()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # (a process limit, a sandbox): made here
        os.close(read_end)
        os.close(write_end)
        meanwhile()
        return make()
    if pid == 0:  # the child: make, answer, leave without running this process's exit code
        try:
            os.close(read_end)
            answer = _answer(make)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(answer)
        finally:
            os._exit(0)
    os.close(write_end)
    return _await(pid, read_end, meanwhile, make)
