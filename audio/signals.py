"""Stopping on request: SIGTERM (what `timeout`, systemd, cron wrappers and
CI send) and SIGHUP unwind the main thread like Ctrl-C, so every `finally`
runs and temporary files are removed; the exit status says which signal
(128 + N; 130 for Ctrl-C). A batch's worker processes stop the same way,
and start nothing new once asked to stop."""
from __future__ import annotations

import signal

_stopping = False


class Interrupted(KeyboardInterrupt):
    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def stopping() -> bool:
    """Whether this process has been asked to stop."""
    return _stopping


def stop_on_signals(names: tuple[str, ...] = ("SIGTERM", "SIGHUP")) -> None:
    def stop(signum, frame):
        global _stopping
        _stopping = True
        raise Interrupted(signum)

    for name in names:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)


def exit_for(error: BaseException) -> tuple[str, int]:
    """The one line and the exit status for an interruption."""
    cause = error
    while cause is not None and not isinstance(cause, Interrupted):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, Interrupted) and cause.signum != signal.SIGINT:
        return f"Error: stopped by {signal.Signals(cause.signum).name}", 128 + cause.signum
    return "Error: interrupted", 130
