"""Script -> edition on disk: render, assemble, export."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from script import Pacing, Script, slugify

from .assemble import Timing, assemble
from .cache import ClipCache
from .engines.base import Engine
from .errors import ExportError
from .export import write_mp3
from .render import Progress, RenderReport, RetryPolicy, render


@dataclass(frozen=True)
class Edition:
    """What a build wrote and how long it is."""

    mp3: Path
    engine: str
    sample_rate: int
    timings: tuple[Timing, ...]
    report: RenderReport

    @property
    def segments(self) -> int:
        return len(self.timings)

    @property
    def seconds(self) -> float:
        last = self.timings[-1]
        return (last.end + last.pause) / self.sample_rate


def prepare_dir(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"cannot create output directory {out_dir}: {e.strerror}") from e
    if not out_dir.is_dir():
        raise ExportError(f"output path {out_dir} is not a directory")
    return out_dir


def build_edition(script: Script, engine: Engine, out_dir: Path, *,
                  pacing: Pacing = Pacing(), cache: ClipCache | None = None, jobs: int = 4,
                  retry: RetryPolicy = RetryPolicy(), progress: Progress | None = None,
                  bitrate: str = "64k") -> Edition:
    out_dir = prepare_dir(out_dir)
    segments = script.segments
    if not segments:
        raise ExportError("the script has nothing to read")
    rate = engine.sample_rate
    report = RenderReport()
    clips = render(segments, engine, cache=cache, jobs=jobs, retry=retry,
                   progress=progress, report=report)
    timings: list[Timing] = []
    stream = assemble(clips, (pacing.ms(s.pause_after) for s in segments), rate, timings)
    path = out_dir / f"{slugify(script.title)}.mp3"
    try:
        write_mp3(stream, rate, path, bitrate)
    except OSError as e:
        raise ExportError(f"cannot write {path}: {e.strerror or e}") from e
    finally:
        clips.close()
    return Edition(path, engine.name, rate, tuple(timings), report)
