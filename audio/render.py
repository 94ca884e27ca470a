"""Segments -> clips, in order, as a stream: from the cache where they are,
else through the engine, several at a time, retrying what a flaky network
makes fail.

Clips are yielded in segment order as soon as each is ready, so the encoder
works while later segments are still being synthesized, and only a bounded
window of clips is ever held in memory, however long the edition.
"""
from __future__ import annotations

import dataclasses
import random
import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from script import Segment
from script.build import has_sound

from .cache import ClipCache, clip_key
from .engines.base import Clip, Engine
from .errors import SynthesisError

Progress = Callable[[int, int, int], None]  # (done, total, cached)


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter; a server's Retry-After wins."""

    tries: int = 5
    base: float = 0.5  # seconds before the second try
    cap: float = 30.0

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        if retry_after is not None:
            return min(retry_after, self.cap)
        return min(self.cap, self.base * 2 ** (attempt - 1)) * rng.uniform(0.5, 1.5)


@dataclass
class RenderReport:
    total: int = 0
    cached: int = 0
    synthesized: int = 0
    retries: int = 0


def _excerpt(text: str, n: int = 40) -> str:
    return repr(text if len(text) <= n else text[: n - 1] + "…")


class _Synthesizer:
    """One clip through the engine, with retries; stored in the cache at once
    (in the worker thread), so an interrupted render keeps it."""

    def __init__(self, engine: Engine, retry: RetryPolicy, cache: ClipCache | None,
                 stop: threading.Event) -> None:
        self.engine, self.retry, self.cache, self.stop = engine, retry, cache, stop
        self.retries = 0
        self._lock = threading.Lock()
        self._rng = random.Random()

    def __call__(self, key: str, text: str) -> Clip:
        clip = self._synthesize(text)
        if self.cache:
            self.cache.put(key, clip)
        return clip

    def _synthesize(self, text: str) -> Clip:
        for attempt in range(1, self.retry.tries + 1):
            try:
                clip = self.engine.synthesize(text)
            except SynthesisError as e:
                if not e.retryable or attempt == self.retry.tries or self.stop.is_set():
                    if attempt > 1:
                        raise SynthesisError(f"{e} (after {attempt} tries)") from e
                    raise
                with self._lock:
                    self.retries += 1
                    pause = self.retry.delay(attempt, e.retry_after, self._rng)
                self.stop.wait(pause)
                continue
            if clip.frames == 0:
                raise SynthesisError(f"{self.engine.name} gave no audio")
            return clip
        raise AssertionError("unreachable")


def plan(segments: Sequence[Segment], engine: Engine,
         cache: ClipCache | None) -> tuple[int, int]:
    """(distinct clips the segments need, how many of them are not cached)."""
    identity = engine.identity
    keys = {clip_key(identity, s.text) for s in segments if has_sound(s.text)}
    return len(keys), sum(1 for k in keys if not (cache and k in cache))


def render(segments: Sequence[Segment], engine: Engine, *, cache: ClipCache | None = None,
           jobs: int = 4, retry: RetryPolicy = RetryPolicy(),
           progress: Progress | None = None,
           report: RenderReport | None = None) -> Iterator[Clip]:
    """The clips of `segments`, in order. A text said twice is made once."""
    total = len(segments)
    report = report if report is not None else RenderReport()
    report.total = total
    identity = engine.identity
    keys = [clip_key(identity, s.text) if has_sound(s.text) else None for s in segments]
    uses = Counter(k for k in keys if k)
    first: dict[str, int] = {}
    for i, k in enumerate(keys):
        if k and k not in first:
            first[k] = i
    missing = [i for k, i in first.items() if not (cache and k in cache)]
    report.cached = len(first) - len(missing)

    stop = threading.Event()
    synth = _Synthesizer(engine, retry, cache, stop)
    window = max(1, jobs) * 4  # clips made ahead of the encoder, at most
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="synth")
    futures: dict[str, Future] = {}
    submitted = 0
    held: dict[str, Clip] = {}  # clips a later segment repeats

    def fail(i: int, error: BaseException) -> SynthesisError:
        return SynthesisError(f"segment {i + 1}/{total} ({_excerpt(segments[i].text)}): {error}")

    try:
        if progress:
            progress(0, total, report.cached)
        for i, key in enumerate(keys):
            while submitted < len(missing) and (
                    len(futures) < window or missing[submitted] <= i):
                j = missing[submitted]
                futures[keys[j]] = pool.submit(synth, keys[j], segments[j].text)
                submitted += 1
            if key is None:
                clip = Clip(b"", engine.sample_rate)
            elif key in held:
                clip = held[key]
            elif key in futures:
                try:
                    clip = futures.pop(key).result()
                except SynthesisError as e:
                    raise fail(i, e) from e
                report.synthesized += 1
            else:
                clip = cache.get(key) if cache else None
                if clip is None:  # damaged in the cache: made again, now
                    report.cached -= 1
                    try:
                        clip = synth(key, segments[i].text)
                    except SynthesisError as e:
                        raise fail(i, e) from e
                    report.synthesized += 1
            if key and clip.key != key:
                clip = dataclasses.replace(clip, key=key)
            if key:
                uses[key] -= 1
                if uses[key]:
                    held[key] = clip
                else:
                    held.pop(key, None)
            if progress:
                progress(i + 1, total, report.cached)
            yield clip
    finally:
        # Done, failed, or interrupted (Ctrl-C, the consumer gave up): start
        # nothing new; clips under way finish and are kept in the cache.
        stop.set()
        for future in futures.values():
            future.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        report.retries = synth.retries
