"""Clips + pauses -> one PCM stream, in one pass, never held whole.

Never `clip = clip + clip` in a loop: pydub copies both buffers on every `+`,
which is quadratic (1,000 clips: 89 s against 0.1 s for one join), and
`append` would crossfade 100 ms. Each clip is brought to one rate, silence is
made at that rate, and the stream is yielded piece by piece; timings come
from frame counts, not from pydub's millisecond-rounded len().
"""
from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Sequence, TypeVar

import numpy as np

from ._pydub import AudioSegment, silence

from .engines.base import SAMPLE_WIDTH, Clip
from .loudness import Leveller, to_float

MARK_MIN_GAP_MS = 70  # a pause between two sentences inside one clip
T = TypeVar("T")
U = TypeVar("U")


@dataclass(frozen=True)
class Timing:
    """Where one segment sits in the edition, in frames at the edition's rate."""

    start: int  # first frame of its speech
    end: int  # frame after its speech
    pause: int  # frames of silence after it
    # Where the clip pauses between its sentences: (end of one, start of the
    # next), in frames from `start`; one pair per sentence boundary found.
    marks: tuple[tuple[int, int], ...] = ()

    def ms(self, rate: int) -> tuple[float, float]:
        return self.start * 1000 / rate, self.end * 1000 / rate


def at_rate(clip: Clip, rate: int) -> Clip:
    if clip.sample_rate == rate:
        return clip
    seg = AudioSegment(data=clip.pcm, sample_width=SAMPLE_WIDTH,
                       frame_rate=clip.sample_rate, channels=1)
    return Clip(seg.set_frame_rate(rate).raw_data if clip.pcm else b"", rate)


def trim(clip: Clip, threshold_dbfs: float = -50.0, keep_ms: int = 5) -> Clip:
    """Cut the silence an engine pads around speech (gTTS's MP3s carry some,
    and MP3 decoding adds the encoder delay), so that the pauses heard are
    the ones the script asks for."""
    if not clip.pcm:
        return clip
    seg = AudioSegment(data=clip.pcm, sample_width=SAMPLE_WIDTH,
                       frame_rate=clip.sample_rate, channels=1)
    # relative to the clip's own peak too, so a quiet voice is not taken for silence
    threshold_dbfs = min(threshold_dbfs, seg.max_dBFS - 40)
    lead = silence.detect_leading_silence(seg, threshold_dbfs, chunk_size=5)
    trail = silence.detect_leading_silence(seg.reverse(), threshold_dbfs, chunk_size=5)
    rate_ms = clip.sample_rate / 1000
    start = max(0, round((lead - keep_ms) * rate_ms))
    end = min(clip.frames, clip.frames - round((trail - keep_ms) * rate_ms))
    if end <= start:  # all silence: an engine that spoke nothing
        return Clip(b"", clip.sample_rate)
    return Clip(clip.pcm[start * SAMPLE_WIDTH:end * SAMPLE_WIDTH], clip.sample_rate)


def silence_frames(ms: float, rate: int) -> int:
    return round(ms * rate / 1000)


FLOAT_WIDTH = 4  # the stream handed to the encoder is float32, mono


def ordered_map(fn: Callable[[T], U], items: Iterable[T], workers: int,
                window: int) -> Iterator[U]:
    """fn over items on `workers` threads, results in order, at most `window`
    in flight (numpy and scipy release the GIL, so leveling runs in parallel)."""
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="level") as pool:
        pending: deque[Future[U]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(fn, item))
                if len(pending) >= window:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()


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


def assemble(clips: Iterable[Clip], pauses_ms: Iterable[float], rate: int,
             timings: list[Timing], leveller: Leveller | None = None,
             workers: int = 2, keep_whole: frozenset[int] = frozenset(),
             sentences: Callable[[int], Sequence[str]] | None = None) -> Iterator[bytes]:
    """The edition's audio as a stream of float32 PCM: each clip trimmed
    (except those numbered in `keep_whole`: a jingle's silences are meant),
    brought to `rate` and to the target loudness, then its pause. Appends each
    clip's Timing to `timings` as it goes; `sentences(i)` gives the sentences
    clip i says, to find where it pauses between them."""

    def prepare(item: tuple[int, Clip]) -> tuple[Clip, np.ndarray, float | None, tuple]:
        index, clip = item
        clip = at_rate(clip, rate)
        if index not in keep_whole:
            clip = trim(clip)
        marks = sentence_marks(clip, sentences(index)) if sentences else ()
        samples = to_float(clip)
        if leveller is None:
            return clip, samples, None, marks
        gain = leveller.gain(samples)
        levelled = leveller.apply(samples, gain) if gain is not None else samples
        return clip, levelled, gain, marks

    pos = 0
    prepared = ordered_map(prepare, enumerate(clips), workers, window=4 * workers)
    for (clip, samples, gain, marks), pause in zip(prepared, pauses_ms, strict=True):
        if leveller is not None and len(samples):
            if gain is None:  # too short to measure: the last clip's gain, in order
                samples = leveller.apply(samples, leveller.gain_db)
            else:
                leveller.gain_db = gain
        gap = silence_frames(pause, rate)
        timings.append(Timing(pos, pos + clip.frames, gap, marks))
        pos += clip.frames + gap
        if len(samples):
            yield samples.astype("<f4").tobytes()
        if gap:
            yield bytes(gap * FLOAT_WIDTH)
