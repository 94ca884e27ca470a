"""Where each segment, sentence and word is heard: the JSON and WebVTT
sidecars, and the cues the read-along page highlights.

Word cues come from a voice that says where each word it speaks falls
(Piper); they are shown on the written text, which is not what was said
("3,5%" is said "ba phẩy năm phần trăm"): `written_words` lines the written
words up with the spoken ones, and a written word said as several (or
several said as one) is highlighted while all of them are heard."""
from __future__ import annotations

import datetime
import difflib
import json
import uuid
from dataclasses import asdict, dataclass
from pathlib import Path

from script import Pause, Script, ends_with_stop, split_sentences

from .clock import cue_time
from .model import Edition, spoken_words

_BREAKS = {Pause.PARAGRAPH, Pause.SECTION, Pause.TITLE, Pause.END}

Span = tuple[float, float]  # (start, end), in frames of the narration


@dataclass(frozen=True)
class Word:
    """A written word (or words said as one group) and when it is heard;
    start and end are None for a written word that is not said."""

    text: str
    start_ms: int | None
    end_ms: int | None


@dataclass(frozen=True)
class Cue:
    """One sentence as heard: the written text, what was said, where."""

    start_ms: int
    end_ms: int
    text: str
    spoken: str
    section: str
    paragraph: int  # counts from 0 over the whole edition
    words: tuple[Word, ...] = ()  # the written text word by word, when the voice timed it


def _key(word: str) -> str:
    return "".join(c for c in word.casefold() if c.isalnum())


def written_words(written: str, spoken: list[str],
                  spans: list[Span]) -> list[tuple[str, Span | None]]:
    """Each written word (in order, all of them) and when it is heard, from
    the spoken words and their `spans`: a word written as it is said gets
    its own span; a run written one way and said another (a number, an
    abbreviation) gets one span over the whole run; a word not said (a dash,
    a word the script leaves out) gets None; a word said and not written is
    heard within its neighbour's span."""
    tokens = written.split()
    keyed = [i for i, t in enumerate(tokens) if _key(t)]  # a lone dash is not said
    if not keyed or not spoken or len(spans) != len(spoken):
        return [(t, None) for t in tokens]
    matcher = difflib.SequenceMatcher(None, [_key(tokens[i]) for i in keyed],
                                      [_key(w) for w in spoken], autojunk=False)
    groups: list[list] = []  # [first token, last token, span or None]
    pending: Span | None = None  # said before any written word was: the next one's
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        heard = (spans[j1][0], spans[j2 - 1][1]) if j2 > j1 else None
        if op == "equal":
            groups += [[keyed[i], keyed[i], spans[j]] for i, j in zip(range(i1, i2), range(j1, j2))]
        elif op == "replace":
            groups.append([keyed[i1], keyed[i2 - 1], heard])
        elif op == "delete":
            groups += [[keyed[i], keyed[i], None] for i in range(i1, i2)]
        else:  # insert: said, not written: the word before is heard longer
            timed = [g for g in groups if g[2]]
            if timed:
                timed[-1][2] = (timed[-1][2][0], heard[1])
            else:
                pending = heard if pending is None else (pending[0], heard[1])
            continue
        if pending is not None and groups[-1][2]:
            first = next(g for g in groups if g[2])
            first[2] = (pending[0], first[2][1])
            pending = None
    out: list[tuple[str, Span | None]] = []
    at = 0
    for first, last, span in groups:
        out += [(t, None) for t in tokens[at:first]]
        out.append((" ".join(tokens[first:last + 1]), span))
        at = last + 1
    return out + [(t, None) for t in tokens[at:]]


def _pieces(source: str, spoken: str, marks, start: int, end: int,
            words: tuple[tuple[int, int], ...] = ()):
    """(written, spoken, start, end, spoken words, their spans) for each
    sentence heard in one segment; the spans are [] unless the voice timed
    every word. Where it did, the sentences meet where their words do;
    else at the pauses found in the clip (`marks`)."""
    said = spoken_words(spoken)
    spans = [(start + a, start + b) for a, b in words] if len(words) == len(said) else []
    written_parts, spoken_parts = split_sentences(source), split_sentences(spoken)
    counts = [len(spoken_words(s)) for s in spoken_parts]
    if len(spoken_parts) < 2 or len(written_parts) != len(spoken_parts):
        return [(source, spoken, start, end, said, spans)]
    if spans and all(counts):
        firsts = [sum(counts[:i]) for i in range(len(counts))]
        edges = [start] + [x for i in firsts[1:] for x in (spans[i - 1][1], spans[i][0])] + [end]
    elif len(marks) == len(spoken_parts) - 1:
        edges = [start] + [start + m for pair in marks for m in pair] + [end]
    else:
        return [(source, spoken, start, end, said, spans)]
    pieces, used = [], 0
    for i, (w, s) in enumerate(zip(written_parts, spoken_parts)):
        n = counts[i]
        pieces.append((w, s, edges[2 * i], edges[2 * i + 1], said[used:used + n],
                       spans[used:used + n]))
        used += n
    return pieces


def _word_cues(edition: Edition, written: str, said: list[str], spans: list[Span]) -> list[Word]:
    return [Word(text, *(round(edition.ms(f)) for f in span) if span else (None, None))
            for text, span in written_words(written, said, spans)]


def sentence_cues(script: Script, edition: Edition) -> list[Cue]:
    """One cue per sentence heard (a sentence split over several segments is
    one cue), with its words when the voice timed every one of them: the
    cue's whole written text lined up with all the words said for it."""
    cues: list[Cue] = []
    index, paragraph = 0, 0
    open_cue: dict | None = None
    for section in script.sections:
        for segment in section.segments:
            timing = edition.timings[index]
            pieces = _pieces(segment.source, segment.text, timing.marks,
                             timing.start, timing.end, timing.words)
            for k, (written, spoken, a, b, said, spans) in enumerate(pieces):
                if open_cue is None:
                    open_cue = {"start": a, "text": [], "spoken": [], "said": [], "spans": [],
                                "timed": True, "section": section.kind.value,
                                "paragraph": paragraph}
                open_cue["end"] = b
                if written:
                    open_cue["text"].append(written)
                open_cue["spoken"].append(spoken)
                open_cue["said"] += said
                open_cue["spans"] += spans
                open_cue["timed"] &= len(spans) == len(said)
                last_piece = k == len(pieces) - 1
                ends = (not last_piece or segment.pause_after in _BREAKS
                        or ends_with_stop(spoken))
                if ends:
                    text, heard = " ".join(open_cue["text"]), " ".join(open_cue["spoken"])
                    words = _word_cues(edition, text or heard, open_cue["said"],
                                       open_cue["spans"]) \
                        if open_cue["timed"] and open_cue["said"] else []
                    cues.append(Cue(round(edition.ms(open_cue["start"])),
                                    round(edition.ms(open_cue["end"])), text, heard,
                                    open_cue["section"], open_cue["paragraph"], tuple(words)))
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
            entry = {
                "index": index, "section": section.kind.value,
                "start_ms": round(edition.ms(t.start)), "end_ms": round(edition.ms(t.end)),
                "text": segment.source, "spoken": segment.text,
                "pause_after": segment.pause_after.value,
            }
            said = spoken_words(segment.text)
            if t.words and len(t.words) == len(said):  # the voice timed each word
                entry["words"] = [{"spoken": w, "start_ms": round(edition.ms(t.start + a)),
                                   "end_ms": round(edition.ms(t.start + b))}
                                  for w, (a, b) in zip(said, t.words)]
            segments.append(entry)
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
        "speed": edition.speed * edition.voice_speed,  # as heard, whoever made it faster
        "engine": edition.engine,
        "chapters": [asdict(c) for c in edition.chapters],
        "segments": segments,
        "sentences": [{k: v for k, v in asdict(c).items() if k != "words" or v}
                      for c in cues],
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
