"""Where each segment and each sentence is heard: the JSON and WebVTT
sidecars, and the cues the read-along page highlights."""
from __future__ import annotations

import datetime
import json
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from script import Pause, Script, ends_with_stop, split_sentences

from .clock import cue_time
from .model import Edition

_BREAKS = {Pause.PARAGRAPH, Pause.SECTION, Pause.TITLE, Pause.END}


@dataclass(frozen=True)
class Cue:
    """One sentence as heard: the written text, what was said, where."""

    start_ms: int
    end_ms: int
    text: str
    spoken: str
    section: str
    paragraph: int  # counts from 0 over the whole edition


def _pieces(source: str, spoken: str, marks, start: int, end: int):
    """(written, spoken, start, end) for each sentence heard in one segment."""
    written_parts, spoken_parts = split_sentences(source), split_sentences(spoken)
    if len(spoken_parts) < 2 or len(written_parts) != len(spoken_parts) \
            or len(marks) != len(spoken_parts) - 1:
        return [(source, spoken, start, end)]
    edges = [start] + [start + m for pair in marks for m in pair] + [end]
    return [(w, s, edges[2 * i], edges[2 * i + 1])
            for i, (w, s) in enumerate(zip(written_parts, spoken_parts))]


def sentence_cues(script: Script, edition: Edition) -> list[Cue]:
    cues: list[Cue] = []
    index, paragraph = 0, 0
    open_cue: dict | None = None
    for section in script.sections:
        for segment in section.segments:
            timing = edition.timings[index]
            pieces = _pieces(segment.source, segment.text, timing.marks,
                             timing.start, timing.end)
            for k, (written, spoken, a, b) in enumerate(pieces):
                if open_cue is None:
                    open_cue = {"start": a, "text": [], "spoken": [],
                                "section": section.kind.value, "paragraph": paragraph}
                open_cue["end"] = b
                if written:
                    open_cue["text"].append(written)
                open_cue["spoken"].append(spoken)
                last_piece = k == len(pieces) - 1
                ends = (not last_piece or segment.pause_after in _BREAKS
                        or ends_with_stop(spoken))
                if ends:
                    cues.append(Cue(round(edition.ms(open_cue["start"])),
                                    round(edition.ms(open_cue["end"])),
                                    " ".join(open_cue["text"]), " ".join(open_cue["spoken"]),
                                    open_cue["section"], open_cue["paragraph"]))
                    open_cue = None
            if segment.pause_after in _BREAKS:
                paragraph += 1
            index += 1
    return cues


def episode_identity(sidecar: Path, article: str, script: Script) -> tuple[str, str]:
    """The episode's guid and the time it was first built: kept from the
    sidecar already at `sidecar` when it is the same article's (a rebuild,
    a new option, an edited title in the script: the same episode, not a
    new one), else made now. The guid comes from the article's identity: its
    URL when it came from one (or names one as its source), else a name-based
    UUID of its path, so it does not change with the base URL or the title."""
    try:
        old = json.loads(sidecar.read_text(encoding="utf-8"))
        if isinstance(old, dict) and (old.get("build") or {}).get("article") == article \
                and isinstance(old.get("guid"), str) and isinstance(old.get("first_built"), str):
            return old["guid"], old["first_built"]
    except (OSError, ValueError, AttributeError):
        pass
    source = script.meta_value("source") or ""
    if article.lower().startswith(("http://", "https://")):
        guid = article
    elif source.lower().startswith(("http://", "https://")):
        guid = source
    else:
        guid = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, article or script.title)}"
    return guid, datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def timings_json(script: Script, edition: Edition, cues: list[Cue], mp3_bytes: int) -> str:
    segments = []
    index = 0
    for section in script.sections:
        for segment in section.segments:
            t = edition.timings[index]
            segments.append({
                "index": index, "section": section.kind.value,
                "start_ms": round(edition.ms(t.start)), "end_ms": round(edition.ms(t.end)),
                "text": segment.source, "spoken": segment.text,
                "pause_after": segment.pause_after.value,
            })
            index += 1
    guid, first_built = episode_identity(edition.json, edition.article, script)
    document = {
        "kind": script.meta_value("kind") or "article",
        "guid": guid,
        "first_built": first_built,
        "built": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="microseconds"),
        "title": script.title,
        "byline": script.meta_value("byline"),
        "source": script.meta_value("source"),
        "language": script.language,
        "published": script.meta_value("date") or first_built,
        "audio": edition.mp3.name,
        "image": edition.image.name if edition.image else None,
        "duration_ms": round(edition.seconds * 1000),
        "speed": edition.speed,
        "engine": edition.engine,
        "chapters": [asdict(c) for c in edition.chapters],
        "segments": segments,
        "sentences": [asdict(c) for c in cues],
    }
    if edition.input_key:  # for the next build's up-to-date check (uptodate.py)
        document["build"] = {"input": edition.input_key, "voice": edition.engine,
                             "bytes": mp3_bytes, "article": edition.article,
                             "image": edition.image.name if edition.image else None}
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"


def _vtt_text(text: str) -> str:
    # escaping ">" also breaks up "-->", the cue-timing arrow
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(cues: list[Cue]) -> str:
    lines = ["WEBVTT", ""]
    for i, cue in enumerate(cues, 1):
        lines += [str(i), f"{cue_time(cue.start_ms)} --> {cue_time(cue.end_ms)}",
                  _vtt_text(cue.text or cue.spoken), ""]
    return "\n".join(lines)
