"""The edition's running order: what is heard, in order, with the pause after
each piece and the chapter each one starts; and, once the audio is
assembled, where those chapters fall. Pure functions of their arguments."""
from __future__ import annotations

from dataclasses import replace

from script import Pacing, Pause, Script, SectionKind, has_sound, split_sentences

from .model import Chapter, Clip, Edges, Item, ItemKind, Timeline, Timing, frame_ms

CHAPTER_LABELS = {SectionKind.TITLE: "Tiêu đề", SectionKind.LEAD: "Sapo",
                  SectionKind.BODY: "Nội dung", SectionKind.CAPTION: "Chú thích ảnh",
                  SectionKind.BYLINE: "Tác giả"}
INTRO_LABEL, OUTRO_LABEL = "Nhạc hiệu", "Nhạc kết"


def running_order(script: Script, pacing: Pacing = Pacing(), intro: Clip | None = None,
                  outro: Clip | None = None, edges: Edges = Edges()) -> tuple[Item, ...]:
    """The intro, each segment of the script, the outro. A section's first
    segment starts its chapter ("Nội dung (2)" for a kind's second section);
    the intro is followed by a section's pause, and so is the last segment
    when an outro follows it; the last item by the edition's end silence."""
    items: list[Item] = []
    if intro is not None:
        items.append(Item(ItemKind.INTRO, pacing.ms(Pause.SECTION), chapter=INTRO_LABEL,
                          jingle=intro))
    seen: dict[SectionKind, int] = {}
    for section in script.sections:
        seen[section.kind] = seen.get(section.kind, 0) + 1
        label = CHAPTER_LABELS[section.kind]
        if seen[section.kind] > 1:
            label = f"{label} ({seen[section.kind]})"
        label = section.title or label
        for i, segment in enumerate(section.segments):
            items.append(Item(ItemKind.SPEECH, pacing.ms(segment.pause_after),
                              text=segment.text if has_sound(segment.text) else "",
                              sentences=tuple(split_sentences(segment.text)),
                              chapter=label if i == 0 else None))
    if outro is not None:
        items[-1] = replace(items[-1], pause_ms=pacing.ms(Pause.SECTION))
        items.append(Item(ItemKind.OUTRO, 0, chapter=OUTRO_LABEL, jingle=outro))
    items[-1] = replace(items[-1], pause_ms=edges.end_ms)
    return tuple(items)


MIN_CHAPTER_MS = 3000  # a shorter chapter is not worth a skip button


def chapters(items: tuple[Item, ...], timeline: Timeline, rate: int,
             speed: float = 1.0) -> tuple[Chapter, ...]:
    """A chapter from each item that starts one to the next, the first from
    the start of the file, the last to its end, in time order; a chapter
    shorter than MIN_CHAPTER_MS is merged into the next (the title into the
    lead's), the last into the one before."""
    starts = [(item.chapter, round(frame_ms(timing.start, rate, speed)))
              for item, timing in zip(items, timeline.timings, strict=True) if item.chapter]
    if not starts:
        return ()
    starts[0] = (starts[0][0], 0)  # the silence before the first sound is the first chapter's
    end = round(frame_ms(timeline.total_frames, rate, speed))
    merged: list[tuple[str, int]] = []
    for i, (title, start) in enumerate(starts):
        if merged and start - merged[-1][1] < MIN_CHAPTER_MS:
            merged[-1] = (title, merged[-1][1])  # the short one before takes this one's name
        else:
            merged.append((title, start))
    if len(merged) > 1 and end - merged[-1][1] < MIN_CHAPTER_MS:
        merged.pop()  # a short last chapter: the one before runs to the end
    ends = [start for _, start in merged[1:]] + [end]
    return tuple(Chapter(title, start, stop) for (title, start), stop in zip(merged, ends))


def narration(items: tuple[Item, ...], timeline: Timeline) -> tuple[Timing, ...]:
    """The Timings of the script's segments (the jingles' left out)."""
    return tuple(t for item, t in zip(items, timeline.timings, strict=True)
                 if item.kind is ItemKind.SPEECH)
