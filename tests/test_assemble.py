"""Assembly in pieces: trimming, one rate, silence, ordered parallel map."""
from __future__ import annotations

import subprocess
import sys
import time

import numpy as np
import pytest

from audio.assemble import assemble, at_rate, trim
from audio.model import Clip, Item, ItemKind
from audio.stream import Returning, ordered_map


def tone(seconds: float, rate: int, amplitude: float, pad: float = 0.0) -> Clip:
    t = np.arange(int(seconds * rate)) / rate
    body = (np.sin(2 * np.pi * 440 * t) * amplitude * 32767).astype("<i2")
    silence = np.zeros(int(pad * rate), dtype="<i2")
    return Clip(np.concatenate([silence, body, silence]).tobytes(), rate)


def test_trim_cuts_padding_to_a_few_milliseconds():
    clip = trim(tone(1.0, 24000, 0.5, pad=0.2))
    assert abs(clip.seconds - 1.0) < 0.015


def test_trim_keeps_a_quiet_voice():
    """Regression: an absolute -50 dBFS threshold took a quiet clip for silence."""
    clip = trim(tone(1.0, 22050, 10 ** (-55 / 20), pad=0.2))
    assert abs(clip.seconds - 1.0) < 0.02


def test_at_rate_resamples_to_the_edition_rate():
    clip = at_rate(tone(1.0, 22050, 0.5), 24000)
    assert clip.sample_rate == 24000 and abs(clip.frames - 24000) <= 2


def test_assemble_silence_is_at_the_edition_rate_and_timings_count_frames():
    """pydub's silent() defaults to 11,025 Hz; ours are built at the edition rate."""
    clips = [tone(0.5, 24000, 0.5), tone(0.25, 24000, 0.5)]
    items = [Item(ItemKind.SPEECH, 333.0, "a"), Item(ItemKind.SPEECH, 0.0, "b")]
    stream = Returning(assemble(items, clips, 24000))
    data = b"".join(stream)
    timings = stream.value.timings
    frames = len(data) // 2
    assert timings[0].pause == 7992  # 333 ms at 24 kHz, not at 11,025 Hz
    assert frames == timings[-1].end + timings[-1].pause
    assert timings[1].start == timings[0].end + timings[0].pause


def test_ordered_map_keeps_order_when_later_items_finish_first():
    def slow_first(n: int) -> int:
        time.sleep(0.05 if n == 0 else 0.0)
        return n * n

    assert list(ordered_map(slow_first, range(10), workers=3, window=4)) == [
        n * n for n in range(10)]


def test_the_bundled_ffmpeg_has_soxr_so_it_is_not_asked_each_build():
    import subprocess

    import pytest

    from audio import ffmpeg

    try:
        import imageio_ffmpeg
    except ImportError:
        pytest.skip("imageio-ffmpeg is not installed")
    exe = imageio_ffmpeg.get_ffmpeg_exe()
    assert ffmpeg._bundled(exe) and not ffmpeg._bundled("/usr/bin/ffmpeg")
    conf = subprocess.run([exe, "-hide_banner", "-buildconf"], capture_output=True).stdout
    assert b"--enable-libsoxr" in conf  # what _has_soxr assumes of it


_FAULTS = """
import resource, sys
import numpy as np
from audio.heap import keep_large_buffers

def faults():  # pages faulted in by a clip-like round of large buffers
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for i in range(60):
        a = np.ones(60_000 + (i * 7919) % 400_000)  # 0.5 to 3.7 MB, in no order
        b = a * 2.0
        del a, b
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before

faults()
plain = faults()
told = keep_large_buffers()
faults()
print(told, plain, faults())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="mallopt: glibc on Linux")
def test_large_buffers_are_reused_not_faulted_in_again():
    """Each clip's large buffers came from the kernel and were zeroed anew (a
    tenth of a cold build's CPU): once the allocator is told, the same round
    of buffers faults in a fraction of the pages."""
    out = subprocess.run([sys.executable, "-c", _FAULTS], capture_output=True, text=True,
                         check=True).stdout.split()
    told, plain, kept = out[0] == "True", int(out[1]), int(out[2])
    assert told
    assert kept < plain / 2, (plain, kept)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="pipe sizes: Linux")
def test_the_encoders_pipe_holds_seconds_of_the_stream_not_one(tmp_path):
    """The pipe into ffmpeg is widened to 1 MiB where the system allows (the
    build's thread and the encoder took turns through the default 64 KiB),
    and the file it carries is encoded whole."""
    import fcntl

    from audio.export import Encoder
    from audio.pipes import PIPE_BYTES

    with open("/proc/sys/fs/pipe-max-size") as f:
        allowed = int(f.read())
    pcm = tone(3.0, 22050, 0.5).pcm
    with Encoder(22050, tmp_path / "out.mp3") as encoder:
        size = fcntl.fcntl(encoder.proc.stdin.fileno(), fcntl.F_GETPIPE_SZ)
        encoder.encode([pcm])
    assert size >= min(PIPE_BYTES, allowed) and size > 64 * 1024 or allowed <= 64 * 1024
    from audio.ffmpeg import decode

    assert abs(len(decode((tmp_path / "out.mp3").read_bytes(), 22050)) / 2 / 22050 - 3.0) < 0.1


def test_the_wheels_ffmpeg_is_found_without_starting_it(monkeypatch):
    """The imageio-ffmpeg wheel's lookup runs `ffmpeg -version` to check its
    binary (40 ms of every build, before the first clip): ours finds the
    same binary where the wheel keeps it, and starts no process."""
    import shutil
    import subprocess as sp

    import imageio_ffmpeg

    from audio import ffmpeg

    from imageio_ffmpeg import _utils

    wheels = imageio_ffmpeg.get_ffmpeg_exe()
    _utils._get_ffmpeg_exe.cache_clear()  # (the wheel's lookup: done again when asked)
    monkeypatch.setattr(shutil, "which", lambda name: None)  # no system ffmpeg

    def no_process(*args, **kwargs):
        raise AssertionError(f"a process was started: {args[0]}")

    monkeypatch.setattr(sp, "Popen", no_process)
    assert ffmpeg.ffmpeg_exe.__wrapped__() == wheels


def test_an_encoder_that_fails_once_started_leaves_no_ffmpeg_and_no_file(tmp_path, monkeypatch):
    """A failure after ffmpeg is started, in the Encoder's own set-up, kills
    it: before, ffmpeg ran on and wrote its file after the temporary path
    had been removed, leaving a `.part` at the output."""
    import time as _time

    from audio import export
    from audio.atomic import staged

    def broken(pipe):
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(export, "widen", broken)
    with pytest.raises(OSError):
        with staged(tmp_path / "edition.mp3") as tmp:
            export.Encoder(22050, tmp)
    _time.sleep(0.5)
    assert list(tmp_path.iterdir()) == []
