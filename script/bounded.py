"""The one way the tool reads a file it is given: only a regular file (not a
device, a FIFO or a directory: `/dev/zero` or a named pipe would never end),
and at most a limit's worth of it, so neither a huge file nor one that grows
while it is read, nor a /proc file that says it is empty, can take more
memory than the limit. Each refusal is one line. And the one way it reads an
HTTP answer: streamed, under a size limit and a total deadline."""
from __future__ import annotations

import os
import stat
import threading
import time
from pathlib import Path
from typing import Callable, TypeVar

from .errors import ScriptError

T = TypeVar("T")


def read_bounded(path: str | Path, limit: int, what: str,
                 error: type[Exception] = ScriptError) -> bytes:
    """The bytes of the file at `path` (`what` names it in errors, raised as
    `error`)."""
    p = Path(path)
    try:
        # O_NONBLOCK: opening a named pipe would otherwise wait for a writer
        fd = os.open(p, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
        with open(fd, "rb", buffering=0) as f:
            info = os.fstat(f.fileno())  # of what was opened, not of what the name now means
            if not stat.S_ISREG(info.st_mode):
                raise error(f"{what} {p} is not a regular file")
            if info.st_size > limit:
                raise error(f"{what} {p} is {_size(info.st_size, limit)}: too large "
                            f"(the limit is {_size(limit, info.st_size)})")
            data = f.read(limit + 1)
    except FileNotFoundError:
        noun = what.removeprefix("the ")
        raise error(f"no such {noun + ' ' if noun else ''}file: {p}") from None
    except IsADirectoryError:
        raise error(f"{what} {p} is not a regular file") from None
    except OSError as e:
        raise error(f"cannot read {what} {p}: {e.strerror or e}") from None
    if len(data) > limit:
        raise error(f"{what} {p} is over {_size(limit)}: too large")
    return data


def _size(n: int, limit: int | None = None) -> str:
    """A size for a message: MB or KB, or bytes when it would read as the
    limit it is compared with ("4 MB: too large (the limit is 4 MB)")."""
    rounded = f"{n / 2**20:.0f} MB" if n >= 2**20 else f"{n / 1024:.0f} KB"
    if limit is not None and rounded == _size(limit):
        return f"{n:,} bytes"
    return rounded


def read_response(response, limit: int, deadline: float, error: Callable[[str], Exception],
                  what: str) -> bytes:
    """The body of a streamed `requests` response, at most `limit` bytes and
    by `deadline` (time.monotonic()), else `error(message)` is raised. Reads
    return as soon as some bytes are in (urllib3's read1), so an answer that
    drips a byte at a time, each within the per-read timeout, still meets
    the total deadline."""
    read1 = getattr(response.raw, "read1", None)
    chunks = (iter(lambda: read1(65536, decode_content=True), b"") if read1 is not None
              else response.iter_content(1024))
    data = bytearray()
    try:
        for chunk in chunks:
            data += chunk
            if len(data) > limit:
                raise error(f"{what} is over {_size(limit)}")
            if time.monotonic() > deadline:
                raise error(f"{what} did not end in time")
    except Exception as e:  # a broken body: bad chunks, shorter than its Content-Length
        if type(e).__module__.split(".")[0] not in ("urllib3", "requests", "http"):
            raise
        raise error(f"{what} broke off ({type(e).__name__})") from None
    return bytes(data)


def within(deadline: float, call: Callable[[], T], late: Callable[[], Exception]) -> T:
    """`call()`'s value if it returns by `deadline` (time.monotonic()), else
    `late()` is raised. Sending a request and reading its status line and
    headers is one call whose socket timeout restarts with every byte: a
    server that drips its headers would hold it for ever. The call runs on a
    daemon thread, left to its own timeout when late (it ends with the
    process at the latest)."""
    box: list = []

    def run() -> None:
        try:
            box.append((True, call()))
        except BaseException as e:  # handed to the caller below
            box.append((False, e))

    thread = threading.Thread(target=run, daemon=True, name="bounded-call")
    thread.start()
    thread.join(max(0.0, deadline - time.monotonic()))
    if not box:
        raise late()
    ok, value = box[0]
    if ok:
        return value
    raise value
