"""Encode the edition: PCM streamed into ffmpeg (tempo, peak limiter,
libmp3lame), written to the path it is given (a temporary file: see
`atomic.staged`; tagging and renaming into place come after)."""
from __future__ import annotations

import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from . import ffmpeg
from .pipes import widen
from .errors import ExportError
from .model import Encoding, LoudnessTarget

# MP3 encoding overshoots the PCM's peaks a little: the limiter aims this much
# under the true-peak ceiling so the decoded file still meets it.
ENCODER_HEADROOM_DB = 0.7


# LAME takes loudness from speech: measured on the two shared articles read
# by espeak-ng and levelled to -18.97 LUFS, every bitrate from 32 to 128 kbps,
# at 22.05 and 44.1 kHz, decoded -19.41 to -19.42 (ffmpeg's and miniaudio's
# decoders agree; the loss is even across the spectrum). The stream is levelled
# this much above the target so that the file lands on it.
MP3_LOUDNESS_LOSS_LU = 0.45


def encoded_loudness(target: LoudnessTarget | None) -> LoudnessTarget | None:
    """What to level the PCM stream to so that the MP3 measures `target`."""
    return None if target is None else replace(target, lufs=target.lufs + MP3_LOUDNESS_LOSS_LU)


def filters(encoding: Encoding, input_rate: int | None = None) -> list[str]:
    """ffmpeg's audio filters for `encoding`: the tempo, a safety limiter,
    then the one resampling to the MP3's rate (when `input_rate` differs)."""
    chain = []
    if abs(encoding.speed - 1.0) > 1e-6:
        chain.append(f"atempo={encoding.speed:.4f}")
    if encoding.true_peak is not None:
        limit = 10 ** ((encoding.true_peak - ENCODER_HEADROOM_DB) / 20)
        # level=0: no make-up gain; latency=1: no delay, so timings hold
        chain.append(f"alimiter=limit={limit:.4f}:attack=2:release=60:level=0:latency=1")
    if input_rate is not None and input_rate != encoding.sample_rate:
        chain.append(ffmpeg.resampler(encoding.sample_rate))
    return chain


class Encoder:
    """ffmpeg, started at once (it loads while the first clips are made) and
    fed later: `encode(chunks)` writes mono 16-bit little-endian PCM at
    `sample_rate` into it and waits for the file at `out`. `name` is what
    error messages call the file (the final path, not the temporary one).
    Used as a context manager, an encoder left unfed is killed."""

    def __init__(self, sample_rate: int, out: Path, encoding: Encoding = Encoding(),
                 name: str | None = None) -> None:
        self.name = name or str(out)
        cmd = [ffmpeg.ffmpeg_exe(), "-v", "error", "-nostdin", "-y",
               "-f", "s16le", "-ar", str(sample_rate), "-ac", "1", "-i", "pipe:0"]
        chain = filters(encoding, sample_rate)
        if chain:
            cmd += ["-af", ",".join(chain)]
        cmd += ["-c:a", "libmp3lame", "-b:a", encoding.bitrate, "-ac", "1",
                "-ar", str(encoding.sample_rate),
                # LAME's -q 7: for mono speech at 64 kbps no audible loss against the
                # default, and half the encoding time (the encoder bounds a warm rebuild)
                "-compression_level", "7",
                "-write_xing", "1", "-id3v2_version", "0", "-f", "mp3", str(out)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            widen(self.proc.stdin)
        except BaseException:  # (not reached by __exit__): ffmpeg must not outlive us
            self.proc.kill()
            self.proc.wait()
            raise

    def __enter__(self) -> "Encoder":
        return self

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:  # not fed to the end: an error on the way
            self.proc.kill()
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stderr):
            try:
                stream.close()
            except (OSError, ValueError):
                pass

    def encode(self, chunks: Iterable[bytes]) -> None:
        proc = self.proc
        try:
            for chunk in chunks:
                proc.stdin.write(chunk)
            proc.stdin.close()
        except BrokenPipeError:  # ffmpeg died; its stderr says why
            try:
                proc.stdin.close()  # drop what is still buffered for it (closes even so)
            except BrokenPipeError:
                pass
        except BaseException:
            proc.kill()
            raise
        err = proc.stderr.read().decode("utf-8", "replace").strip()
        if proc.wait() != 0:
            if "No space left on device" in err:
                raise ExportError(f"cannot write {self.name}: no space left on device")
            raise ExportError(f"ffmpeg could not encode {Path(self.name).name}: "
                              f"{err.splitlines()[-1] if err else 'unknown error'}")


def encode_mp3(chunks: Iterable[bytes], sample_rate: int, out: Path,
               encoding: Encoding = Encoding(), name: str | None = None) -> None:
    """chunks (mono 16-bit little-endian PCM at sample_rate) -> the MP3 at `out`."""
    with Encoder(sample_rate, out, encoding, name) as encoder:
        encoder.encode(chunks)
