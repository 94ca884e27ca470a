"""Items -> clips, in order, as a stream: jingles as they are, speech from the
cache where it is, else through the engine, several at a time, retrying what
a flaky network makes fail.

Clips are yielded in order as soon as each is ready, so the encoder works
while later segments are still being synthesized, and only a bounded window
of clips is ever held in memory, however long the edition. When the stream
ends it returns a RenderReport (see `stream.Returning`).
"""
from __future__ import annotations

import dataclasses
import random
import threading
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Generator, Sequence

from .cache import ClipCache, clip_key
from .engines.base import Engine
from .errors import SynthesisError
from .signals import stopping
from .model import Clip, ClipPlan, Item, RenderReport, RetryPolicy

Progress = Callable[[int, int, int], None]  # (segments done, segments, cached)


def _wait(seconds: float) -> str:
    if seconds == float("inf"):
        return "forever"
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def _excerpt(text: str, n: int = 40) -> str:
    return repr(text if len(text) <= n else text[: n - 1] + "…")


def plan(items: Sequence[Item], identity: dict, cache: ClipCache | None) -> ClipPlan:
    """Each item's clip key (a text said twice is one clip), and which clips
    are not in the cache yet."""
    keys = tuple(clip_key(identity, item.text) if item.text and not item.is_jingle else None
                 for item in items)
    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        if key and key not in first:
            first[key] = i
    return ClipPlan(keys, tuple(i for k, i in first.items() if not (cache and k in cache)))


class _Synthesizer:
    """One clip through the engine, with retries; stored in the cache at once
    (in the worker thread), so an interrupted render keeps it. Returns the
    clip and whether the cache kept it."""

    def __init__(self, engine: Engine, retry: RetryPolicy, cache: ClipCache | None,
                 stop: threading.Event) -> None:
        self.engine, self.retry, self.cache, self.stop = engine, retry, cache, stop
        self._lock = threading.Lock()
        self._rng = random.Random()

    def __call__(self, key: str, text: str) -> tuple[Clip, bool]:
        clip = self._synthesize(text)
        return clip, (self.cache.put(key, clip) if self.cache else True)

    def _synthesize(self, text: str) -> Clip:
        for attempt in range(1, self.retry.tries + 1):
            try:
                clip = self.engine.synthesize(text)
            except SynthesisError as e:
                if e.retryable and e.retry_after is not None and e.retry_after > self.retry.cap:
                    raise SynthesisError(
                        f"{e}; the server asked to wait {_wait(e.retry_after)} before trying "
                        f"again (Retry-After), longer than a build waits "
                        f"({self.retry.cap:g} s): try again later",
                        retryable=True, retry_after=e.retry_after) from e
                if not e.retryable or attempt == self.retry.tries or self.stop.is_set():
                    if attempt > 1:
                        raise SynthesisError(f"{e} (after {attempt} tries)",
                                             retryable=e.retryable, retry_after=e.retry_after,
                                             reached=e.reached) from e
                    raise
                with self._lock:  # random.Random is not thread-safe
                    pause = self.retry.delay(attempt, e.retry_after, self._rng)
                self.stop.wait(pause)
                continue
            if clip.frames == 0:
                raise SynthesisError(f"{self.engine.name} gave no audio")
            return clip
        raise AssertionError("unreachable")


def render(items: Sequence[Item], clip_plan: ClipPlan, engine: Engine, *,
           cache: ClipCache | None = None, jobs: int = 4,
           retry: RetryPolicy = RetryPolicy(),
           progress: Progress | None = None) -> Generator[Clip, None, RenderReport]:
    """The clip of each item, in order; returns where they came from.

    The first clips are asked for at once, when `render` is called, not when
    the stream is first read: the voice works while the caller sets up the
    rest of the pipeline (starts the encoder, loads the loudness code)."""
    keys = clip_plan.keys
    total = sum(1 for item in items if not item.is_jingle)
    uses = Counter(k for k in keys if k)
    to_make = clip_plan.to_make

    jobs = max(1, min(jobs, getattr(engine, "max_jobs", jobs)))  # (see Engine)
    stop = threading.Event()
    synth = _Synthesizer(engine, retry, cache, stop)
    window = jobs * 4  # clips made ahead of the encoder, at most
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="synth")
    futures: dict[str, Future] = {}
    submitted = 0

    def ask(i: int) -> None:
        """Keep the window of clips under way full, item i's clip included."""
        nonlocal submitted
        while submitted < len(to_make) and (len(futures) < window or to_make[submitted] <= i):
            j = to_make[submitted]
            futures[keys[j]] = pool.submit(synth, keys[j], items[j].text)
            submitted += 1

    def stream() -> Generator[Clip, None, RenderReport]:
        cached, synthesized, unsaved = clip_plan.cached, 0, 0
        held: dict[str, Clip] = {}  # clips a later item repeats
        done = 0

        def fail(item: Item, error: BaseException) -> SynthesisError:
            """The error, naming the segment; whether a later try may help is kept."""
            return SynthesisError(f"segment {done + 1}/{total} ({_excerpt(item.text)}): {error}",
                                  retryable=getattr(error, "retryable", False),
                                  retry_after=getattr(error, "retry_after", None),
                                  reached=getattr(error, "reached", True))

        try:
            yield None  # primed below: from here on, closing the stream runs `finally`
            if progress:
                progress(0, total, cached)
            for i, (item, key) in enumerate(zip(items, keys, strict=True)):
                ask(i)
                if item.jingle is not None:
                    yield item.jingle
                    continue
                if key is None:
                    clip = Clip(b"", engine.sample_rate)
                elif key in held:
                    clip = held[key]
                elif key in futures:
                    try:
                        clip, kept = futures.pop(key).result()
                    except SynthesisError as e:
                        raise fail(item, e) from e
                    synthesized += 1
                    unsaved += not kept
                else:
                    clip = cache.get(key) if cache else None
                    if clip is None:  # damaged in the cache: made again, now
                        cached -= 1
                        try:
                            clip, kept = synth(key, item.text)
                        except SynthesisError as e:
                            raise fail(item, e) from e
                        synthesized += 1
                        unsaved += not kept
                if key and clip.key != key:
                    clip = dataclasses.replace(clip, key=key)
                if key:
                    uses[key] -= 1
                    if uses[key]:
                        held[key] = clip
                    else:
                        held.pop(key, None)
                done += 1
                if progress:
                    progress(done, total, cached)
                yield clip
        finally:
            # Done, failed, or interrupted (Ctrl-C, the consumer gave up, or
            # never read at all): start nothing new; clips under way finish
            # and are kept in the cache.
            stop.set()
            for future in futures.values():
                future.cancel()
            # (a signal: no waiting for a request stuck on a slow server; the
            # command leaves at once, its temporary files already removed)
            pool.shutdown(wait=not stopping(), cancel_futures=True)
        return RenderReport(total, cached, synthesized, unsaved)

    ask(0)
    clips = stream()
    next(clips)  # into the try: a stream closed before it is read still stops the pool
    return clips
