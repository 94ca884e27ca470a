"""Segments -> clips: from the cache where they are, else through the engine,
several at a time, retrying what a flaky network makes fail."""
from __future__ import annotations

import random
import threading
import unicodedata
from concurrent.futures import FIRST_EXCEPTION, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Callable, Sequence

from script import Segment

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


def speakable(text: str) -> bool:
    """True when text has a letter or digit: punctuation alone has no sound."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def _excerpt(text: str, n: int = 40) -> str:
    return repr(text if len(text) <= n else text[: n - 1] + "…")


class _Synthesizer:
    def __init__(self, engine: Engine, retry: RetryPolicy, cache: ClipCache | None,
                 stop: threading.Event) -> None:
        self.engine, self.retry, self.cache, self.stop = engine, retry, cache, stop
        self.retries = 0
        self._lock = threading.Lock()
        self._rng = random.Random()

    def __call__(self, key: str, text: str) -> Clip:
        clip = self._synthesize(text)
        if self.cache:  # stored at once, in this thread: an interrupted render keeps it
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


def render(segments: Sequence[Segment], engine: Engine, *, cache: ClipCache | None = None,
           jobs: int = 4, retry: RetryPolicy = RetryPolicy(),
           progress: Progress | None = None) -> tuple[list[Clip], RenderReport]:
    """Clips in segment order. Each new clip is stored in the cache as soon as
    it is made, so a failed or interrupted render loses nothing already paid for."""
    total = len(segments)
    report = RenderReport(total=total)
    clips: list[Clip | None] = [None] * total
    todo: dict[str, list[int]] = {}  # key -> segments that say the same text
    identity = engine.identity
    for i, segment in enumerate(segments):
        if not speakable(segment.text):
            clips[i] = Clip(b"", engine.sample_rate)
            continue
        key = clip_key(identity, segment.text)
        if key in todo:
            todo[key].append(i)
            continue
        cached = cache.get(key) if cache else None
        if cached is not None:
            clips[i] = cached
            report.cached += 1
        else:
            todo[key] = [i]
    done = total - sum(len(v) for v in todo.values())
    if progress:
        progress(done, total, report.cached)
    if not todo:
        return [c for c in clips if c is not None], report

    stop = threading.Event()
    synth = _Synthesizer(engine, retry, cache, stop)
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="synth")
    futures: dict[Future, str] = {
        pool.submit(synth, key, segments[indices[0]].text): key for key, indices in todo.items()}
    failure: tuple[int, SynthesisError] | None = None
    try:
        pending = set(futures)
        while pending:
            finished, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in finished:
                if future.cancelled():
                    continue
                key = futures[future]
                indices = todo[key]
                error = future.exception()
                if error is not None:
                    if failure is None or indices[0] < failure[0]:
                        failure = (indices[0], error)
                    continue
                clip = future.result()
                for i in indices:
                    clips[i] = clip
                report.synthesized += 1
                done += len(indices)
                if progress:
                    progress(done, total, report.cached)
            if failure is not None:
                stop.set()  # no new tries; the clips under way finish and are kept
                for future in pending:
                    future.cancel()
    except BaseException:  # Ctrl-C: keep what is done, start nothing new
        stop.set()
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True, cancel_futures=True)
    report.retries = synth.retries
    if failure is not None:
        index, error = failure
        if not isinstance(error, SynthesisError):
            raise error
        raise SynthesisError(f"segment {index + 1}/{total} "
                             f"({_excerpt(segments[index].text)}): {error}") from error
    return [c for c in clips if c is not None], report
