"""Stopping on request: SIGTERM (what `timeout`, systemd, cron wrappers and
CI send) and SIGHUP unwind the main thread like Ctrl-C, so every `finally`
runs and temporary files are removed; the exit status says which signal
(128 + N; 130 for Ctrl-C). A batch's worker processes stop the same way,
and start nothing new once asked to stop."""
from __future__ import annotations

import os
import signal

_stopping = False


class Interrupted(BaseException):
    """A stop asked for by a signal (Ctrl-C included). Not a KeyboardInterrupt:
    click would catch that and print a blank line before the command's own
    one-line message."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def stopping() -> bool:
    """Whether this process has been asked to stop."""
    return _stopping


_busy = True  # whether an interruption may unwind work (a worker: only while it builds)


def stop_on_signals(names: tuple[str, ...] = ("SIGTERM", "SIGHUP", "SIGINT")) -> None:
    """The first of these signals raises Interrupted; later ones are let go,
    so that the unwinding (temporary files removed) is not cut short by the
    next signal (a terminal's hang-up reaches every process of the group, and
    a batch's command then stops its workers too). A batch worker that is
    not building leaves at once, quietly."""
    def stop(signum, frame):
        global _stopping
        if _stopping:
            return
        _stopping = True
        if not _busy:
            os._exit(128 + signum)
        raise Interrupted(signum)

    for name in names:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


def set_busy(busy: bool) -> None:
    global _busy
    _busy = busy


def exit_for(error: BaseException) -> tuple[str, int]:
    """The one line and the exit status for an interruption."""
    cause = error
    while cause is not None and not isinstance(cause, Interrupted):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, Interrupted) and cause.signum != signal.SIGINT:
        return f"Error: stopped by {signal.Signals(cause.signum).name}", 128 + cause.signum
    return "Error: interrupted", 130
