"""Content-addressed clips on disk.

The key is a hash of everything that decides how a clip sounds: the engine,
its voice and options, the library version, and the spoken text. A rebuild
after an edit synthesizes only the segments whose key changed; an
interrupted build resumes from the clips already stored.

An entry is a SHA-256 digest of its payload followed by the payload (a WAV
file; a clip's word timings, when its voice gives them, in a `wrds` chunk of
it, as JSON, which WAV readers skip), written to a temporary file and renamed into place, so concurrent
builds never see half an entry and a damaged one is detected and re-made.
"""
from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import struct
import wave
from pathlib import Path
from typing import Mapping

from .atomic import remove_stale_parts, write_new
from .model import SAMPLE_WIDTH, Clip, spans_in_order

_DIGEST = 32
FORMAT_VERSION = 1


def default_cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("audio-edition", appauthor=False))


def clip_key(identity: Mapping[str, object], text: str) -> str:
    blob = json.dumps({"format": FORMAT_VERSION, "engine": dict(identity), "text": text},
                      sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _seal(*payload: bytes) -> list[bytes]:
    """The entry's pieces: the payload's digest, then the payload (not
    joined here: the file is written from them)."""
    digest = hashlib.sha256()
    for piece in payload:
        digest.update(piece)
    return [digest.digest(), *payload]


def _unseal(data: bytes) -> bytes | None:
    digest, payload = data[:_DIGEST], data[_DIGEST:]
    if len(digest) != _DIGEST or hashlib.sha256(payload).digest() != digest:
        return None
    return payload


_WORDS = b"wrds"


def _encode(clip: Clip) -> list[bytes]:
    """The clip as a WAV file (its word timings, if any, in a `wrds` chunk
    after the audio), sealed; the header made here, the PCM not copied."""
    data = clip.pcm[:len(clip.pcm) - len(clip.pcm) % SAMPLE_WIDTH]
    tail = b""
    if clip.words:
        words = json.dumps(clip.words, separators=(",", ":")).encode("ascii")
        words += b" " * (len(words) % 2)  # RIFF chunks are word-aligned
        tail = _WORDS + struct.pack("<I", len(words)) + words
    rate = clip.sample_rate  # (whole 16-bit samples: no pad byte after the data)
    header = (b"RIFF" + struct.pack("<I", 36 + len(data) + len(tail)) + b"WAVE"
              + b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * SAMPLE_WIDTH,
                                      SAMPLE_WIDTH, 8 * SAMPLE_WIDTH)
              + b"data" + struct.pack("<I", len(data)))
    return _seal(header, data, tail)


def _words_in(wav: bytes, frames: int) -> tuple[tuple[int, int], ...]:
    """The `wrds` chunk's word timings; () when there is none, or it does
    not hold ordered spans inside the clip."""
    at = 12
    while at + 8 <= len(wav):
        name, size = wav[at:at + 4], struct.unpack("<I", wav[at + 4:at + 8])[0]
        if name == _WORDS:
            try:
                words = tuple((int(a), int(b)) for a, b in json.loads(wav[at + 8:at + 8 + size]))
            except (ValueError, TypeError, OverflowError, RecursionError):
                return ()
            return words if spans_in_order(words, frames) else ()
        at += 8 + size + size % 2
    return ()


def _decode(data: bytes) -> Clip | None:
    payload = _unseal(data)
    if payload is None:
        return None
    try:
        with wave.open(io.BytesIO(payload), "rb") as w:
            if w.getnchannels() != 1 or w.getsampwidth() != SAMPLE_WIDTH:
                return None
            pcm = w.readframes(w.getnframes())
            rate = w.getframerate()
    except (wave.Error, EOFError):
        return None
    if not pcm:
        return None
    return Clip(pcm, rate, words=_words_in(payload, len(pcm) // SAMPLE_WIDTH))


class ClipCache:
    """Clips by key under `root/clips/ab/abcdef….clip`."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        shard = key.rsplit("-", 1)[-1][:2]
        return self.root / "clips" / shard / f"{key}.clip"

    def _read(self, key: str, decode):
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        value = decode(data)
        if value is None:  # damaged (a disk error, a hand edit): remove and re-make
            try:
                path.unlink()
            except OSError:
                pass
            return None
        return value

    def _write(self, key: str, pieces: list[bytes]) -> bool:
        """Whether it was kept: a full or read-only cache slows builds, never stops them."""
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_new(path, pieces)  # checksummed, not durable: see _seal
        except OSError:
            return False
        return True

    def get(self, key: str) -> Clip | None:
        clip = self._read(key, _decode)
        return dataclasses.replace(clip, key=key) if clip is not None else None

    def put(self, key: str, clip: Clip) -> bool:
        return self._write(key, _encode(clip))

    def get_blob(self, key: str) -> bytes | None:
        """Any other checksummed bytes kept under a key (prepared clips)."""
        return self._read(key, _unseal)

    def put_blob(self, key: str, *data: bytes) -> bool:
        """`data`'s pieces, joined, kept under `key`."""
        return self._write(key, _seal(*data))

    def clean_stale(self) -> None:
        """Remove temporary files left by builds that were killed."""
        clips = self.root / "clips"
        if clips.is_dir():
            for shard in clips.iterdir():
                if shard.is_dir():
                    remove_stale_parts(shard)

    def __contains__(self, key: str) -> bool:
        return self._path(key).exists()


def entry_is_valid(path: Path) -> bool:
    """For checks from outside (tests, a doctor command): is this entry whole?
    A synthesized clip must be a whole WAV; any entry must match its checksum."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        return False
    if path.name.startswith(("prepared-", "levelled-")):
        return _unseal(data) is not None
    return _decode(data) is not None


__all__ = ["ClipCache", "clip_key", "default_cache_dir", "entry_is_valid"]
