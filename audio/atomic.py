"""Write a file so that its path only ever holds a complete file: a temporary
file in the same directory, flushed, then renamed into place. Only the sound
side writes files (the edition, its sidecars, the cache, the feed).

Temporary names carry the writer's process id (`.NAME.PID.XXXX.part`), so a
later run can remove what a killed process left behind without touching the
files of a build still running.
"""
from __future__ import annotations

import contextlib
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

_PART = re.compile(r"^\..+\.(\d+)\.[^.]+\.part$")


def _umask_at_import() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask_at_import()


def _file_mode() -> int:
    """What a plain open() would give (0666 less the umask): mkstemp makes 0600,
    and a published edition must be readable by the web server. The umask is
    read from /proc where it can be (setting it to read it is not thread-safe)."""
    mask = _UMASK
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    mask = int(line.split()[1], 8)
                    break
    except (OSError, ValueError):
        pass
    return 0o666 & ~mask


def temp_path(path: Path) -> Path:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".part",
                               dir=path.parent)
    os.fchmod(fd, _file_mode())
    os.close(fd)
    return Path(tmp)


@contextmanager
def staged(path: str | Path) -> Iterator[Path]:
    """A temporary path beside `path` to build the file in; whatever is left
    of it when the block ends (done, failed or interrupted) is removed. The
    block publishes it with `publish`."""
    tmp = temp_path(Path(path))
    try:
        yield tmp
    finally:
        tmp.unlink(missing_ok=True)


def publish(tmp: Path, path: str | Path, durable: bool = True) -> None:
    """Put the finished file `tmp` at `path` in one step: its data on disk
    first (unless not `durable`), then the rename, so `path` never names a
    partial file, even after a crash."""
    if durable:
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
    os.replace(tmp, path)


def atomic_write(path: str | Path, data: bytes, durable: bool = True) -> None:
    """`data` at `path`, whole or not at all. `durable=False` skips the
    fsync: for files that carry their own checksum (the clip cache), where
    one torn by a power cut is detected on reading and made again."""
    with staged(path) as tmp:
        with open(tmp, "wb") as f:
            f.write(data)
        publish(tmp, path, durable)


_O_TMPFILE = getattr(os, "O_TMPFILE", 0)  # Linux


def write_new(path: str | Path, chunks: list[bytes]) -> None:
    """`chunks`, joined, at `path`, whole or not at all, and not made
    durable: for a file that carries its own checksum (the clip cache).

    On Linux the file is written unnamed in `path`'s directory (O_TMPFILE)
    and linked at `path` once whole: no temporary name to make, chmod and
    rename (half the cost of `atomic_write` for a clip; a build writes two a
    clip), and a write cut short leaves nothing behind, not even a `.part`.
    Where that cannot be done (another system, a file system without it,
    no /proc), or `path` exists already, `atomic_write` replaces it."""
    path = Path(path)
    if _O_TMPFILE:
        try:
            fd = os.open(path.parent, _O_TMPFILE | os.O_WRONLY, 0o666)  # (less the umask)
        except OSError:
            fd = -1
        if fd >= 0:
            try:
                view = memoryview(b"".join(chunks)) if len(chunks) > 64 else None
                pending = [view] if view is not None else [memoryview(c) for c in chunks]
                while pending:  # a write may take part of what it is given
                    done = os.writev(fd, pending)
                    while pending and done >= len(pending[0]):
                        done -= len(pending[0])
                        pending.pop(0)
                    if pending and done:
                        pending[0] = pending[0][done:]
                procs = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
                try:
                    os.link(str(fd), path, src_dir_fd=procs, follow_symlinks=True)
                finally:
                    os.close(procs)
                return
            except OSError:
                pass  # (exists already; no /proc): the usual way
            finally:
                os.close(fd)
    atomic_write(path, b"".join(chunks), durable=False)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_parts(directory: str | Path) -> int:
    """Delete temporary files whose writer is no longer running; how many."""
    removed = 0
    try:
        entries = list(Path(directory).iterdir())
    except OSError:
        return 0
    for entry in entries:
        m = _PART.match(entry.name)
        if m and not _alive(int(m.group(1))):
            try:
                entry.unlink()
                removed += 1
            except OSError:
                pass
    return removed


@contextlib.contextmanager
def directory_lock(directory: str | Path):
    """Exclusive use of `directory` among processes while the block runs
    (flock on the directory itself: no lock file to leave behind). Where
    directories cannot be locked (not POSIX), the block runs unlocked."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks (some network mounts): as before
            pass
        yield
    finally:
        os.close(fd)  # (closing releases the lock)
