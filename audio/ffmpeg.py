"""ffmpeg, found once: the system's when present, else the one the
imageio-ffmpeg wheel ships, so that `pip install` alone is enough.

Every call uses an argument list, never a shell string.
"""
from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

from .errors import AudioError


@functools.lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return _wheel_binary(imageio_ffmpeg) or imageio_ffmpeg.get_ffmpeg_exe()
    except Exception as e:  # the wheel raises RuntimeError when its binary is missing
        raise AudioError(f"ffmpeg not found (install ffmpeg or imageio-ffmpeg): {e}") from e


def _wheel_binary(imageio_ffmpeg) -> str | None:
    """The binary the imageio-ffmpeg wheel ships, found where the wheel keeps
    it without running it: the wheel's own lookup starts it once to check
    it (`ffmpeg -version`: 40 ms of every build, before the first clip). A
    binary that does not run fails the encode, with ffmpeg's own message.
    None when the wheel's layout is not the one known here, or its
    IMAGEIO_FFMPEG_EXE setting names another binary."""
    if os.environ.get("IMAGEIO_FFMPEG_EXE"):
        return None
    try:
        from imageio_ffmpeg._definitions import FNAME_PER_PLATFORM, get_platform

        name = FNAME_PER_PLATFORM[get_platform()]
        exe = Path(imageio_ffmpeg.__file__).parent / "binaries" / name
    except (ImportError, KeyError, AttributeError, TypeError):
        return None
    return str(exe) if exe.is_file() and os.access(exe, os.X_OK) else None


def resampler(rate: int) -> str:
    """The filter that brings audio to `rate`: the SoX resampler (very high
    quality, and fast) when this ffmpeg has it, as the imageio-ffmpeg build
    does, else ffmpeg's own with a long filter."""
    if _has_soxr():
        return f"aresample={rate}:resampler=soxr:precision=24"
    return f"aresample={rate}:filter_size=64:phase_shift=12:cutoff=0.96"


@functools.lru_cache(maxsize=1)
def _has_soxr() -> bool:
    """Whether this ffmpeg was built with libsoxr. imageio-ffmpeg's binaries
    are (tests/test_assemble.py checks its -buildconf), so that one is not
    asked: asking costs a process, 20 ms of every build."""
    if _bundled(ffmpeg_exe()):
        return True
    try:
        proc = subprocess.run([ffmpeg_exe(), "-hide_banner", "-buildconf"],
                              capture_output=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return b"--enable-libsoxr" in proc.stdout


def _bundled(exe: str) -> bool:
    """Whether `exe` is the binary the imageio-ffmpeg wheel ships."""
    return "imageio_ffmpeg" in Path(exe).parts


def decode(data: bytes, sample_rate: int, tempo: float = 1.0) -> bytes:
    """Any audio file's bytes -> mono signed 16-bit PCM at sample_rate (its
    tempo changed by `tempo`, pitch kept, when that is not 1)."""
    tempo_filter = ["-af", f"atempo={tempo:.6f}"] if abs(tempo - 1.0) > 1e-6 else []
    proc = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-nostdin", "-i", "pipe:0", *tempo_filter,
         "-f", "s16le", "-acodec", "pcm_s16le", "-ac", "1", "-ar", str(sample_rate),
         "pipe:1"],
        input=data, capture_output=True, check=False,
    )
    if proc.returncode != 0:
        detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise AudioError(f"cannot decode audio: {detail[-1] if detail else 'ffmpeg failed'}")
    return proc.stdout
