"""Pipes made wide enough for what goes through them."""
from __future__ import annotations

import sys

# 1 MiB where Linux allows it, not the default 64 KiB. Into ffmpeg that is
# 24 s of the stream against 1.5 s: with the small pipe the build's thread and
# the encoder took turns, each waiting for the other every few clips
# (measured on a cold offline build, 10 interleaved runs: 1.26 s -> 1.14 s).
# To the text stage's child (beside.py), a long article is sent without
# waiting for the child to finish loading.
PIPE_BYTES = 1 << 20


def widen(pipe) -> int:
    """Make `pipe` (a file object or a descriptor) hold PIPE_BYTES where the
    system allows; its size after (0: not known). Never raises: a pipe left
    as it was is only slower."""
    if not sys.platform.startswith("linux"):
        return 0
    import fcntl

    fd = pipe if isinstance(pipe, int) else pipe.fileno()
    try:
        return fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    except OSError:  # over /proc/sys/fs/pipe-max-size: the default stays
        try:
            return fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ)
        except OSError:
            return 0
