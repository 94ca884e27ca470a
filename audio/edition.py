"""Script -> edition on disk: render, assemble, level, encode, tag."""
from __future__ import annotations

import importlib
import threading
from dataclasses import dataclass, field
from pathlib import Path

from script import Pacing, Pause, Script, SectionKind, slugify, split_sentences
from script.atomic import atomic_write

from . import ffmpeg
from .assemble import Timing, assemble
from .cache import ClipCache
from .engines.base import Clip, Engine
from .errors import AudioError, ExportError
from .export import Encoding, write_mp3
from .loudness_target import LoudnessTarget
from .render import Progress, RenderReport, RetryPolicy, plan, render
from .page import read_along_page
from .tags import Chapter, Tags, write_tags
from .timings import sentence_cues, timings_json, webvtt

CHAPTER_LABELS = {SectionKind.TITLE: "Tiêu đề", SectionKind.LEAD: "Sapo",
                  SectionKind.BODY: "Nội dung", SectionKind.CAPTION: "Chú thích ảnh",
                  SectionKind.BYLINE: "Tác giả"}
INTRO_LABEL, OUTRO_LABEL = "Nhạc hiệu", "Nhạc kết"


@dataclass(frozen=True)
class EditionOptions:
    """How an edition sounds and is written; gathered once at the CLI edge."""

    pacing: Pacing = Pacing()
    loudness: LoudnessTarget | None = LoudnessTarget()  # None: leave levels alone
    encoding: Encoding = Encoding()
    intro: Path | None = None  # a jingle before the narration
    outro: Path | None = None  # and after it
    publisher: str | None = None  # the album tag
    jobs: int = 4
    retry: RetryPolicy = RetryPolicy()
    cache: ClipCache | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Edition:
    """What a build wrote: its path, and where each segment and chapter is."""

    mp3: Path
    json: Path
    vtt: Path
    html: Path
    engine: str
    sample_rate: int
    speed: float
    timings: tuple[Timing, ...]  # per segment, in frames of the narration before tempo
    total_frames: int
    chapters: tuple[Chapter, ...]
    report: RenderReport

    @property
    def segments(self) -> int:
        return len(self.timings)

    @property
    def seconds(self) -> float:
        return self.total_frames / self.sample_rate / self.speed

    def ms(self, frame: int) -> float:
        """Where a frame of the narration is heard in the MP3, in milliseconds."""
        return frame * 1000 / self.sample_rate / self.speed


def prepare_dir(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"cannot create output directory {out_dir}: {e.strerror}") from e
    if not out_dir.is_dir():
        raise ExportError(f"output path {out_dir} is not a directory")
    return out_dir


def _jingle(path: Path, rate: int, what: str) -> Clip:
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise ExportError(f"cannot read the {what} {path}: {e.strerror or e}") from e
    try:
        pcm = ffmpeg.decode(data, rate)
    except AudioError as e:
        raise ExportError(f"the {what} {path} is not audio ffmpeg can read") from e
    if not pcm:
        raise ExportError(f"the {what} {path} has no audio")
    return Clip(pcm, rate)


def _chapters(script: Script, timings: list[Timing], edition_ms, total_ms: int,
              intro: bool, outro_start: int | None) -> tuple[Chapter, ...]:
    starts: list[tuple[str, int]] = [(INTRO_LABEL, 0)] if intro else []
    index = 1 if intro else 0
    seen: dict[SectionKind, int] = {}
    for section in script.sections:
        seen[section.kind] = seen.get(section.kind, 0) + 1
        label = CHAPTER_LABELS[section.kind]
        if seen[section.kind] > 1:
            label = f"{label} ({seen[section.kind]})"
        starts.append((label, round(edition_ms(timings[index].start))))
        index += len(section.segments)
    if outro_start is not None:
        starts.append((OUTRO_LABEL, round(edition_ms(outro_start))))
    ends = [s for _, s in starts[1:]] + [total_ms]
    return tuple(Chapter(label, start, end) for (label, start), end in zip(starts, ends))


def build_edition(script: Script, engine: Engine, out_dir: Path,
                  options: EditionOptions = EditionOptions(),
                  progress: Progress | None = None, slug: str | None = None) -> Edition:
    out_dir = prepare_dir(out_dir)
    segments = script.segments
    if not segments:
        raise ExportError("the script has nothing to read")
    rate = engine.sample_rate
    pacing = options.pacing
    intro = _jingle(options.intro, rate, "intro") if options.intro else None
    outro = _jingle(options.outro, rate, "outro") if options.outro else None

    if options.loudness and plan(segments, engine, options.cache)[1]:
        # Clips to make: load the loudness code (scipy: most of a second) while
        # the first ones are being synthesized, not after.
        threading.Thread(target=importlib.import_module, args=("audio.loudness",),
                         daemon=True).start()
    report = RenderReport()
    clips = render(segments, engine, cache=options.cache, jobs=options.jobs,
                   retry=options.retry, progress=progress, report=report)
    pauses = [pacing.ms(s.pause_after) for s in segments]
    if outro:
        pauses[-1] = pacing.ms(Pause.SECTION)

    def all_clips():
        if intro:
            yield intro
        yield from clips
        if outro:
            yield outro

    all_pauses = ([pacing.ms(Pause.SECTION)] if intro else []) + pauses + ([0] if outro else [])
    timings: list[Timing] = []
    jingles = frozenset(([0] if intro else []) + ([len(all_pauses) - 1] if outro else []))
    first = 1 if intro else 0

    def sentences(i: int) -> list[str]:
        k = i - first
        return split_sentences(segments[k].text) if 0 <= k < len(segments) else []

    stream = assemble(all_clips(), all_pauses, rate, timings, options.loudness,
                      cache=options.cache, keep_whole=jingles,
                      sentences=sentences)
    path = out_dir / f"{slug or slugify(script.title)}.mp3"
    speed = options.encoding.speed
    result: dict = {}

    def tag(tmp: Path) -> None:
        total = timings[-1].end + timings[-1].pause
        total_ms = round(total * 1000 / rate / speed)
        chapters = _chapters(script, timings, lambda f: f * 1000 / rate / speed, total_ms,
                             intro is not None, timings[-1].start if outro else None)
        result.update(total=total, chapters=chapters)
        write_tags(tmp, Tags(title=script.title, artist=script.meta_value("byline"),
                             album=options.publisher, date=script.meta_value("date"),
                             comment=script.meta_value("source"), chapters=chapters))

    try:
        write_mp3(stream, rate, path, options.encoding, tagger=tag)
    except OSError as e:
        raise ExportError(f"cannot write {path}: {e.strerror or e}") from e
    finally:
        clips.close()
    narration = timings[first:len(timings) - (1 if outro else 0)]
    edition = Edition(path, path.with_suffix(".json"), path.with_suffix(".vtt"),
                      path.with_suffix(".html"), engine.name, rate, speed, tuple(narration),
                      result["total"], result["chapters"], report)
    write_sidecars(script, edition)
    return edition


def write_sidecars(script: Script, edition: Edition) -> None:
    """Timings (JSON, WebVTT) and the read-along page beside the MP3."""
    cues = sentence_cues(script, edition)
    try:
        atomic_write(edition.json, timings_json(script, edition, cues).encode("utf-8"))
        atomic_write(edition.vtt, webvtt(cues).encode("utf-8"))
        atomic_write(edition.html, read_along_page(script, edition.mp3.name, cues,
                                                   edition.chapters).encode("utf-8"))
    except OSError as e:
        raise ExportError(f"cannot write beside {edition.mp3}: {e.strerror or e}") from e
