"""Segments -> clips, through an engine that is passed in."""
from __future__ import annotations

import unicodedata
from typing import Callable, Sequence

from script import Segment

from .engines.base import Clip, Engine
from .errors import SynthesisError

Progress = Callable[[int, int], None]  # (done, total)


def speakable(text: str) -> bool:
    """True when text has a letter or digit: punctuation alone has no sound."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def render(segments: Sequence[Segment], engine: Engine,
           progress: Progress | None = None) -> list[Clip]:
    clips: list[Clip] = []
    for i, segment in enumerate(segments, 1):
        if not speakable(segment.text):
            clips.append(Clip(b"", engine.sample_rate))
        else:
            try:
                clip = engine.synthesize(segment.text)
            except SynthesisError as e:
                raise SynthesisError(f"segment {i}/{len(segments)} "
                                     f"({_excerpt(segment.text)}): {e}") from e
            if clip.frames == 0:
                raise SynthesisError(f"segment {i}/{len(segments)} "
                                     f"({_excerpt(segment.text)}): {engine.name} gave no audio")
            clips.append(clip)
        if progress:
            progress(i, len(segments))
    return clips


def _excerpt(text: str, n: int = 40) -> str:
    return repr(text if len(text) <= n else text[: n - 1] + "…")
