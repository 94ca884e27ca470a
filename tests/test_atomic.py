"""Atomic writes, deterministically: the path holds the old file or the new
one, whole, whatever fails and wherever; the data is on disk before the
rename; nothing temporary is left behind."""
from __future__ import annotations

import os

import pytest

import audio.atomic as atomic
from audio.atomic import atomic_write, publish, remove_stale_parts, staged


def leftovers(directory):
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".part"))


def test_a_write_replaces_the_file_and_leaves_nothing_else(tmp_path):
    target = tmp_path / "a.json"
    target.write_bytes(b"old")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new" and leftovers(tmp_path) == []


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_a_failure_at_any_step_keeps_the_old_file_whole(tmp_path, monkeypatch, failing):
    target = tmp_path / "a.json"
    target.write_bytes(b"old")

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if failing == "write":
        real_open = open

        class Half:
            def __init__(self, f):
                self.f = f

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.f.close()

            def write(self, data):
                self.f.write(data[: len(data) // 2])
                boom()

        monkeypatch.setattr("builtins.open", lambda p, m="r", *a, **k: Half(real_open(p, m))
                            if m == "wb" else real_open(p, m, *a, **k))
    else:
        monkeypatch.setattr(atomic.os, failing, boom)
    with pytest.raises(OSError):
        atomic_write(target, b"new contents")
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


def test_the_data_is_on_disk_before_the_rename(tmp_path, monkeypatch):
    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(atomic.os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd)))
    monkeypatch.setattr(atomic.os, "replace",
                        lambda a, b: (calls.append("replace"), real_replace(a, b)))
    atomic_write(tmp_path / "a", b"x")
    assert calls == ["fsync", "replace"]


def test_the_path_never_names_a_partial_file(tmp_path):
    """While a staged file is being written, the target is absent (or old)."""
    target = tmp_path / "e.mp3"
    with staged(target) as tmp:
        assert tmp.parent == tmp_path and tmp != target
        tmp.write_bytes(b"half")
        assert not target.exists()
        tmp.write_bytes(b"whole")
        publish(tmp, target)
    assert target.read_bytes() == b"whole" and leftovers(tmp_path) == []


def test_an_interrupted_stage_removes_its_temporary_file(tmp_path):
    with pytest.raises(KeyboardInterrupt):
        with staged(tmp_path / "e.mp3") as tmp:
            tmp.write_bytes(b"half")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


def test_published_files_get_the_umasks_mode_not_mkstemps(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "a", b"x")
    finally:
        os.umask(old)
    assert (tmp_path / "a").stat().st_mode & 0o777 == 0o644


def test_only_dead_writers_temporary_files_are_removed(tmp_path):
    mine = tmp_path / f".a.mp3.{os.getpid()}.xyz.part"
    dead = tmp_path / ".a.mp3.999999999.xyz.part"
    other = tmp_path / "a.mp3"
    for p in (mine, dead, other):
        p.write_bytes(b"x")
    assert remove_stale_parts(tmp_path) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, other.name])


def test_temporary_names_carry_the_writers_pid_so_stale_ones_can_be_found(tmp_path):
    with staged(tmp_path / "e.mp3") as tmp:
        assert tmp.name.startswith(f".e.mp3.{os.getpid()}.") and tmp.name.endswith(".part")


# --- write_new: the clip cache's entries -------------------------------------------------

@pytest.mark.parametrize("unnamed", [True, False], ids=["O_TMPFILE", "temporary-name"])
def test_a_new_entry_is_whole_with_the_usual_mode_and_nothing_beside_it(tmp_path, monkeypatch,
                                                                       unnamed):
    """Written unnamed and linked in place where Linux allows (no temporary
    name to make, chmod and rename), else the usual way: either way the
    whole bytes, the mode a plain open() gives, and no other file."""
    from audio.atomic import write_new

    if not unnamed:
        monkeypatch.setattr(atomic, "_O_TMPFILE", 0)
    elif not atomic._O_TMPFILE:
        pytest.skip("no O_TMPFILE here")
    pieces = [os.urandom(32), os.urandom(200_001), b"", b"tail"]
    old = os.umask(0o027)
    try:
        write_new(tmp_path / "entry.clip", pieces)
    finally:
        os.umask(old)
    assert (tmp_path / "entry.clip").read_bytes() == b"".join(pieces)
    assert (tmp_path / "entry.clip").stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry.clip"]


def test_a_new_entry_over_an_old_one_replaces_it(tmp_path):
    from audio.atomic import write_new

    (tmp_path / "entry.clip").write_bytes(b"damaged")
    write_new(tmp_path / "entry.clip", [b"whole ", b"again"])
    assert (tmp_path / "entry.clip").read_bytes() == b"whole again" and leftovers(tmp_path) == []


def test_a_write_cut_short_leaves_no_entry(tmp_path, monkeypatch):
    """A short write on the unnamed file is finished; a failing one leaves
    no entry (the unnamed file goes with its descriptor) and no `.part`."""
    from audio.atomic import write_new

    if not atomic._O_TMPFILE:
        pytest.skip("no O_TMPFILE here")
    real = os.writev
    monkeypatch.setattr(os, "writev", lambda fd, bufs: real(fd, [bytes(bufs[0])[:7]]))
    write_new(tmp_path / "short.clip", [b"0123456789", b"abcdef"])
    assert (tmp_path / "short.clip").read_bytes() == b"0123456789abcdef"

    def full(fd, bufs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "writev", full)
    monkeypatch.setattr(atomic, "atomic_write", lambda *a, **k: (_ for _ in ()).throw(
        OSError(28, "No space left on device")))
    with pytest.raises(OSError):
        write_new(tmp_path / "full.clip", [b"x" * 1000])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["short.clip"]
