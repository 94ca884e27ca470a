"""Two small tools for the stages that stream: a generator's return value
kept for whoever drains it, and a map over threads that keeps order."""
from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Generator, Generic, Iterable, Iterator, TypeVar

T = TypeVar("T")
U = TypeVar("U")
R = TypeVar("R")


class Returning(Generic[T, R]):
    """Iterate a generator as usual; once it is exhausted, `.value` is what it
    returned. A stage that streams (render, assemble) returns its summary this
    way, so the stage after it can drain the stream without knowing of it.

    >>> def g():
    ...     yield 1
    ...     return "done"
    >>> stream = Returning(g())
    >>> list(stream), stream.value
    ([1], 'done')
    """

    _UNSET = object()

    def __init__(self, generator: Generator[T, None, R]) -> None:
        self._generator = generator
        self._value: object = self._UNSET

    def __iter__(self) -> Iterator[T]:
        self._value = yield from self._generator

    def close(self) -> None:
        self._generator.close()

    @property
    def value(self) -> R:
        if self._value is self._UNSET:
            raise RuntimeError("the stream has not been read to its end")
        return self._value  # type: ignore[return-value]


def ordered_map(fn: Callable[[T], U], items: Iterable[T], workers: int,
                window: int) -> Iterator[U]:
    """fn over items on `workers` threads, results in order, at most `window`
    in flight. A result is handed on as soon as it and those before it are
    done, not when the window is full: the consumer (the encoder) starts with
    the first. With one worker, fn runs in the caller's thread, item by item."""
    if workers <= 1:
        for item in items:
            yield fn(item)
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="level") as pool:
        pending: deque[Future[U]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(fn, item))
                while pending and (len(pending) >= window or pending[0].done()):
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()
