"""Items and their clips -> one PCM stream, in one pass, never held whole.

Never `clip = clip + clip` in a loop: pydub copies both buffers on every `+`,
which is quadratic (1,000 clips: 89 s against 0.1 s for one join), and
`append` would crossfade 100 ms. Each clip is brought to one rate, silence is
made at that rate, and the stream is yielded piece by piece; timings come
from frame counts, not from pydub's millisecond-rounded len().
"""
from __future__ import annotations

import hashlib
import json
import math
import threading
from dataclasses import dataclass
from typing import Generator, Iterable, Sequence

import numpy as np

from ._pydub import AudioSegment, silence
from .cache import ClipCache
from .model import (SAMPLE_WIDTH, Clip, Item, LoudnessTarget, Timeline, Timing,
                    spans_in_order)
from .stream import ordered_map

MARK_MIN_GAP_MS = 70  # a pause between two sentences inside one clip


def at_rate(clip: Clip, rate: int) -> Clip:
    if clip.sample_rate == rate:
        return clip
    seg = AudioSegment(data=clip.pcm, sample_width=SAMPLE_WIDTH,
                       frame_rate=clip.sample_rate, channels=1)
    pcm = seg.set_frame_rate(rate).raw_data if clip.pcm else b""
    frames, ratio = len(pcm) // SAMPLE_WIDTH, rate / clip.sample_rate
    words = tuple((min(frames, round(a * ratio)), min(frames, round(b * ratio)))
                  for a, b in clip.words)
    return Clip(pcm, rate, words=words)


def trim(clip: Clip, threshold_dbfs: float = -50.0, keep_ms: int = 5) -> Clip:
    """Cut the silence an engine pads around speech (gTTS's MP3s carry some,
    and MP3 decoding adds the encoder delay), so that the pauses heard are
    the ones the script asks for."""
    if not clip.pcm:
        return clip
    seg = AudioSegment(data=clip.pcm, sample_width=SAMPLE_WIDTH,
                       frame_rate=clip.sample_rate, channels=1)
    if seg.max_dBFS == float("-inf"):  # digital silence: an engine that spoke nothing
        return Clip(b"", clip.sample_rate)
    # relative to the clip's own peak too, so a quiet voice is not taken for silence
    threshold_dbfs = min(threshold_dbfs, seg.max_dBFS - 40)
    lead = silence.detect_leading_silence(seg, threshold_dbfs, chunk_size=5)
    trail = silence.detect_leading_silence(seg.reverse(), threshold_dbfs, chunk_size=5)
    rate_ms = clip.sample_rate / 1000
    start = max(0, round((lead - keep_ms) * rate_ms))
    end = min(clip.frames, clip.frames - round((trail - keep_ms) * rate_ms))
    if end <= start:  # all silence: an engine that spoke nothing
        return Clip(b"", clip.sample_rate)
    length = end - start
    words = tuple((min(length, max(0, a - start)), min(length, max(0, b - start)))
                  for a, b in clip.words)
    return Clip(clip.pcm[start * SAMPLE_WIDTH:end * SAMPLE_WIDTH], clip.sample_rate,
                words=words)


def silence_frames(ms: float, rate: int) -> int:
    return round(ms * rate / 1000)




def to_float(clip: Clip) -> np.ndarray:
    return np.frombuffer(clip.pcm, dtype="<i2").astype(np.float32) / 32768.0


def to_pcm16(samples: np.ndarray) -> bytes:
    """Float samples (already levelled and limited under full scale) as 16-bit
    PCM: half the bytes of float32 through the pipe to the encoder."""
    return np.clip(np.rint(samples * 32767), -32768, 32767).astype("<i2").tobytes()


def sentence_marks(clip: Clip, sentences: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """Where a clip that says several sentences pauses between them.

    Voices pause at a full stop; the pause nearest to where each boundary
    falls by the share of characters is taken. Returns () when the clip does
    not pause as often as it has boundaries (the caller then treats the
    segment as a whole)."""
    if len(sentences) < 2 or not clip.pcm:
        return ()
    seg = AudioSegment(data=clip.pcm, sample_width=SAMPLE_WIDTH,
                       frame_rate=clip.sample_rate, channels=1)
    gaps = silence.detect_silence(seg, min_silence_len=MARK_MIN_GAP_MS,
                                  silence_thresh=seg.max_dBFS - 35, seek_step=5)
    gaps = [(a, b) for a, b in gaps if a > 0 and b < len(seg)]
    if len(gaps) < len(sentences) - 1:
        return ()
    total = sum(len(s) for s in sentences)
    marks, used, done = [], set(), 0
    for sentence in sentences[:-1]:
        done += len(sentence)
        expected = len(seg) * done / total
        best = min((g for g in range(len(gaps)) if g not in used),
                   key=lambda g: abs((gaps[g][0] + gaps[g][1]) / 2 - expected))
        used.add(best)
        marks.append(gaps[best])
    marks.sort()
    per_ms = clip.sample_rate / 1000
    return tuple((round(a * per_ms), round(b * per_ms)) for a, b in marks)


PREPARE_VERSION = 3  # bump when trimming, levelling or marks change (3: word timings)


@dataclass(frozen=True)
class Prepared:
    """A clip ready for the stream: trimmed, at the edition rate, levelled."""

    frames: int
    pcm: bytes  # 16-bit; not yet levelled when `gain` is None
    gain: float | None  # the loudness gain measured on it; None: too short to measure
    marks: tuple[tuple[int, int], ...]
    key: str | None = None  # its cache key (None: not cached)
    words: tuple[tuple[int, int], ...] = ()  # Clip.words, trimmed and at the edition rate


class Preparer:
    """Trim, resample, find sentence pauses and level one clip (on a worker
    thread). A prepared clip is kept in the cache beside the raw one, so a
    rebuild neither measures nor limits again, nor even loads the loudness
    code. A clip too short or too quiet to measure is kept too, and so is
    its levelled form at the gain of the clip before it (`level_at`)."""

    def __init__(self, rate: int, loudness: LoudnessTarget | None,
                 cache: ClipCache | None) -> None:
        self.rate, self.loudness, self.cache = rate, loudness, cache
        self._leveller = None
        self._lock = threading.Lock()

    @property
    def leveller(self):
        with self._lock:
            if self._leveller is None:
                from .loudness import Leveller

                self._leveller = Leveller(self.rate, self.loudness)
            return self._leveller

    def _key(self, item: Item, clip: Clip) -> str | None:
        if not (self.cache and clip.key and self.loudness) or item.is_jingle:
            return None
        blob = json.dumps([PREPARE_VERSION, clip.key, self.rate, self.loudness.lufs,
                           self.loudness.true_peak, list(item.sentences)], ensure_ascii=False)
        return "prepared-" + hashlib.sha256(blob.encode("utf-8")).hexdigest()

    def __call__(self, pair: tuple[Item, Clip]) -> Prepared:
        item, clip = pair
        key = self._key(item, clip)
        if key:
            found = _prepared_from(self.cache.get_blob(key), key)
            if found is not None:
                return found
        clip = at_rate(clip, self.rate)
        if not item.is_jingle:  # a jingle's silences are meant
            clip = trim(clip)
        marks, words = sentence_marks(clip, item.sentences), clip.words
        if not self.loudness or not clip.pcm:
            return Prepared(clip.frames, clip.pcm, None if self.loudness else 0.0, marks,
                            words=words)
        samples = to_float(clip)
        gain = self.leveller.gain(samples)
        if gain is None:  # levelled in order, with the gain of the clip before it
            prepared = Prepared(clip.frames, clip.pcm, None, marks, key, words)
        else:
            prepared = Prepared(clip.frames, to_pcm16(self.leveller.apply(samples, gain)),
                                gain, marks, key, words)
        if key:
            header = json.dumps({"gain": gain, "marks": marks,
                                 "words": words}).encode("ascii")
            self.cache.put_blob(key, header + b"\n", prepared.pcm)
        return prepared

    def level_at(self, ready: Prepared, gain: float) -> bytes:
        """A clip too short to measure, levelled with `gain` (the clip before
        it's), from the cache when it was levelled so before."""
        key = None
        if ready.key:
            blob = f"{ready.key} {gain!r}".encode("ascii")
            key = "levelled-" + hashlib.sha256(blob).hexdigest()
            found = self.cache.get_blob(key)
            if found is not None and len(found) == len(ready.pcm):  # else not what it claims
                return found
        pcm = to_pcm16(self.leveller.apply(to_float(Clip(ready.pcm, self.rate)), gain))
        if key:
            self.cache.put_blob(key, pcm)
        return pcm


def _prepared_from(blob: bytes | None, key: str) -> Prepared | None:
    """A prepared clip from its cache entry; None when the entry (checksum
    right, content foreign: another version's, or written by hand) does not
    hold one, so that it is made again."""
    if blob is None:
        return None
    header, _, pcm = blob.partition(b"\n")
    try:
        meta = json.loads(header)
        gain = meta["gain"]
        marks = tuple((int(a), int(b)) for a, b in meta["marks"])
        words = tuple((int(a), int(b)) for a, b in meta["words"])
        if (gain is not None and not (isinstance(gain, (int, float)) and math.isfinite(gain))) \
                or len(pcm) % SAMPLE_WIDTH or not spans_in_order(words, len(pcm) // SAMPLE_WIDTH):
            return None
    except (ValueError, TypeError, KeyError, OverflowError, RecursionError):
        return None
    return Prepared(len(pcm) // SAMPLE_WIDTH, pcm, gain, marks, key, words)



def assemble(items: Sequence[Item], clips: Iterable[Clip], rate: int,
             loudness: LoudnessTarget | None = None, cache: ClipCache | None = None,
             workers: int = 1, lead_ms: float = 0.0,
             tempo: float = 1.0) -> Generator[bytes, None, Timeline]:
    """The edition's audio as a stream of 16-bit PCM: `lead_ms` of silence,
    then each item's clip (one per item, in order) trimmed unless it is a
    jingle, brought to `rate` and to the `loudness` target, then the item's
    pause. Silences are made `tempo` times as long as asked, so that once the
    encoder plays the stream at `tempo` they last what was asked: the voice
    speeds up, the pauses do not. Returns the Timeline: where each item was
    placed, and where its clip pauses between sentences.

    Clips are prepared in this thread (`workers=1`): on two cores the encoder
    process takes one, and levelling on worker threads beside the voice's
    only added switching between them (a cold offline build: 60 ms slower).
    """
    preparer = Preparer(rate, loudness, cache)
    running_gain = 0.0
    pos = silence_frames(lead_ms * tempo, rate)
    if pos:
        yield bytes(pos * SAMPLE_WIDTH)
    timings: list[Timing] = []
    prepared = ordered_map(preparer, zip(items, clips, strict=True), workers,
                           window=4 * workers)
    for item, ready in zip(items, prepared, strict=True):
        pcm = ready.pcm
        if loudness and pcm:
            if ready.gain is None:  # too short to measure: the last clip's gain, in order
                pcm = preparer.level_at(ready, running_gain)
            else:
                running_gain = ready.gain
        gap = silence_frames(item.pause_ms * tempo, rate)
        timings.append(Timing(pos, pos + ready.frames, gap, ready.marks, ready.words))
        pos += ready.frames + gap
        if pcm:
            yield pcm
        if gap:
            yield bytes(gap * SAMPLE_WIDTH)
    return Timeline(tuple(timings))
