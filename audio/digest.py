"""A file's SHA-256, for what decides a clip or an edition (a voice model,
its config, a jingle): what is in the file, not where it is."""
from __future__ import annotations

import functools
import hashlib
import os
import stat
from pathlib import Path


def file_digest(path: Path) -> str:
    """The SHA-256 of a regular file; 'unreadable:PATH' for anything else (a
    missing file, a device, a pipe: never read), whose build says why."""
    try:
        info = os.stat(path)
    except OSError:
        return f"unreadable:{path}"
    if not stat.S_ISREG(info.st_mode):
        return f"unreadable:{path}"
    return _digest(str(path), info.st_mtime_ns, info.st_size)


@functools.lru_cache(maxsize=8)  # a file is hashed once a run, not once an article
def _digest(path: str, mtime_ns: int, size: int) -> str:
    """Read in blocks (a voice model may be hundreds of MB)."""
    h = hashlib.sha256()
    try:  # opened without blocking and checked as opened: a pipe put there meanwhile is not read
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with open(fd, "rb") as f:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return f"unreadable:{path}"
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return f"unreadable:{path}"
    return h.hexdigest()
