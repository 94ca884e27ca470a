"""Script -> edition on disk, as one straight sequence of stages:

    running order -> render -> assemble -> encode -> tag -> publish -> sidecars

Each stage takes values and returns values (see model.py); render and
assemble stream, so only a window of clips is ever in memory, and return
their summaries (the RenderReport, the Timeline) when drained.

Start-up is part of a build's time: the voice is set to work first, then the
encoder process is started, and only then are the modules loaded that the
later stages need (numpy and pydub for assembling, mutagen for the tags, the
page and timings writers), while the first clips are being made.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from script import Script, read_bounded, slugify

from . import ffmpeg
from .atomic import atomic_write, directory_lock, publish, remove_stale_parts, staged
from .cache import ClipCache
from .engines.base import Engine
from .errors import AudioError, ExportError
from .export import Encoder, encoded_loudness
from .model import MAX_JINGLE_BYTES, Clip, Edition, EditionOptions
from .render import Progress, plan, render
from .sequence import chapters, narration, running_order
from .stream import Returning


def warm_up(engine_name: str) -> None:
    """Load now what a build will need: the later stages' modules, the
    voice's library, ffmpeg's path (see beside.py). What fails here is left
    for the build to report."""
    import importlib

    from .engines import warm_up as warm_voice

    for stage in ("assemble", "loudness", "tags", "page", "timings"):
        importlib.import_module(f".{stage}", __package__)
    warm_voice(engine_name)
    try:
        ffmpeg.ffmpeg_exe()
    except AudioError:
        pass


def prepare_dir(out_dir: Path) -> Path:
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise ExportError(f"cannot create output directory {out_dir}: {e.strerror}") from e
    if not out_dir.is_dir():
        raise ExportError(f"output path {out_dir} is not a directory")
    return out_dir


def load_jingle(path: Path, rate: int, what: str, speed: float = 1.0) -> Clip:
    """An intro or outro file as a clip at `rate`, slowed by `speed` so that
    once the encoder speeds the edition up by `speed` it plays at its own
    tempo (`--speed` is the voice's, not the jingle's)."""
    data = read_bounded(path, MAX_JINGLE_BYTES, f"the {what}", ExportError)
    try:
        pcm = ffmpeg.decode(data, rate, tempo=1 / speed)
    except AudioError as e:
        raise ExportError(f"the {what} {path} is not audio ffmpeg can read") from e
    if not pcm:
        raise ExportError(f"the {what} {path} has no audio")
    return Clip(pcm, rate)


def build_edition(script: Script, engine: Engine, out_dir: Path,
                  options: EditionOptions = EditionOptions(), *,
                  cache: ClipCache | None = None, progress: Progress | None = None,
                  slug: str | None = None, input_key: str = "", article: str = "") -> Edition:
    """Write OUT_DIR/<slug>.mp3 and its sidecars; the file appears only whole."""
    out_dir = prepare_dir(out_dir)
    if not script.segments:
        raise ExportError("the script has nothing to read")
    rate, speed, voice_speed = engine.sample_rate, options.encoding.speed, 1.0
    if speed != 1.0 and hasattr(engine, "with_speed"):
        # a voice that sets its own pace (Piper's length scale): no tempo filter,
        # and the pauses are what they are
        engine, voice_speed = engine.with_speed(speed), speed
        options = dataclasses.replace(
            options, encoding=dataclasses.replace(options.encoding, speed=1.0))
        speed = 1.0
    mp3 = out_dir / f"{slug or slugify(script.title)}.mp3"
    cover = None
    if options.cover:
        from .cover import read_cover  # checked before the voice starts: a bad one fails fast

        cover = read_cover(options.cover)
    intro = load_jingle(options.intro, rate, "intro", speed) if options.intro else None
    outro = load_jingle(options.outro, rate, "outro", speed) if options.outro else None

    items = running_order(script, options.pacing, intro, outro, options.edges)
    clip_plan = plan(items, engine.identity, cache)
    remove_stale_parts(out_dir)
    clips = Returning(render(items, clip_plan, engine, cache=cache, jobs=options.jobs,
                             retry=options.retry, progress=progress))  # the voice starts
    audio = None
    try:
        with staged(mp3) as tmp, Encoder(rate, tmp, options.encoding, str(mp3)) as encoder:
            from .assemble import assemble  # numpy, pydub: loaded while the voice works

            audio = Returning(assemble(items, clips, rate, encoded_loudness(options.loudness),
                                       cache, lead_ms=options.edges.start_ms, tempo=speed))
            encoder.encode(audio)
            timeline, report = audio.value, clips.value
            toc = chapters(items, timeline, rate, speed)
            from .tags import edition_tags, write_tags

            write_tags(tmp, edition_tags(script, options.publisher, toc, cover, engine.name))
            # One build at a time names and publishes in this directory: two
            # runs that chose the same name for different articles (the same
            # title) must not replace each other's edition.
            with directory_lock(out_dir):
                mp3 = unclaimed(mp3, article)
                edition = Edition(mp3, mp3.with_suffix(".json"), mp3.with_suffix(".vtt"),
                                  mp3.with_suffix(".html"), engine.name, rate, speed,
                                  narration(items, timeline), timeline.total_frames, toc,
                                  report, input_key, article,
                                  mp3.with_suffix(cover.suffix) if cover else None,
                                  voice_speed)
                beside = sidecars(script, edition, tmp.stat().st_size)
                if cover:
                    beside[edition.image] = cover.data
                publish(tmp, mp3)
                try:
                    for path, data in beside.items():
                        atomic_write(path, data)
                except OSError as e:
                    raise ExportError(f"cannot write beside {mp3}: {e.strerror or e}") from e
    except OSError as e:
        raise ExportError(f"cannot write {mp3}: {e.strerror or e}") from e
    finally:
        if audio is not None:
            audio.close()
        clips.close()
    return edition


def unclaimed(mp3: Path, article: str) -> Path:
    """`mp3`, or `<stem>-2.mp3`, `-3`... when the edition there is another
    article's (its sidecar says whose it is; one without a record is
    nobody's). Called under the directory's lock."""
    if not article:
        return mp3
    from .uptodate import owner

    stem, n = mp3.stem, 1
    while (found := owner(mp3)) and found != article:
        n += 1
        mp3 = mp3.with_name(f"{stem}-{n}.mp3")
    return mp3


def sidecars(script: Script, edition: Edition, mp3_bytes: int) -> dict[Path, bytes]:
    """Timings (JSON, WebVTT) and the read-along page, made before anything
    is published: a text that cannot be written fails the build, not half of it."""
    from .page import read_along_page
    from .timings import sentence_cues, timings_json, webvtt

    cues = sentence_cues(script, edition)
    return {edition.json: timings_json(script, edition, cues, mp3_bytes).encode("utf-8"),
            edition.vtt: webvtt(cues).encode("utf-8"),
            edition.html: read_along_page(script, edition.mp3.name, cues,
                                          edition.chapters, edition.engine).encode("utf-8")}
