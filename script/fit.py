"""A narration script fitted to a voice: every segment no longer than the
voice takes in one request.

A script from `make_script` already fits; one written or edited by hand may
hold a whole article on one spoken line, which would be one clip of many
minutes, held whole in memory and levelled whole. Such a segment is cut as
the script stage cuts a paragraph (at sentences, then clauses, then between
words), its written text shared out by sentence, so that the read-along
page still shows what was written.
"""
from __future__ import annotations

from .model import Note, Pause, Script, Section, SectionKind, Segment
from .segment import segment_paragraph, split_sentences


def _spans(pieces: list[str], text: str) -> list[int]:
    """Where each of `pieces` (consecutive, in order) starts in `text`."""
    starts, cursor = [], 0
    for piece in pieces:
        at = text.find(piece, cursor)
        at = cursor if at < 0 else at
        starts.append(at)
        cursor = at + len(piece)
    return starts


def _fit_segment(segment: Segment, max_chars: int) -> tuple[Segment, ...]:
    if len(segment.text) <= max_chars:
        return (segment,)
    pieces = segment_paragraph(segment.text, max_chars, final_pause=segment.pause_after)
    spoken = " ".join(segment.text.split())
    written = split_sentences(segment.source)
    said = split_sentences(spoken)
    if len(written) != len(said) or len(written) < 2:
        # Written and spoken do not pair up sentence by sentence: all that
        # was written goes with the first piece, as for one giant word.
        return tuple(Segment(p.text, p.pause_after, segment.source if i == 0 else "")
                     for i, p in enumerate(pieces))
    piece_starts = _spans([p.text for p in pieces], spoken)
    owners = [sum(1 for s in piece_starts if s <= start) - 1
              for start in _spans(said, spoken)]
    sources = [" ".join(w for w, owner in zip(written, owners) if owner == i)
               for i in range(len(pieces))]
    return tuple(Segment(p.text, p.pause_after, source)
                 for p, source in zip(pieces, sources))


def fit_script(script: Script, max_chars: int) -> Script:
    """`script` with each segment longer than `max_chars` cut into segments
    that are not (the notes keep their places)."""
    if all(len(s.text) <= max_chars for s in script.segments):
        return script
    sections, before, count = [], [], 0  # before[i]: new segments before old segment i
    for section in script.sections:
        segments: list[Segment] = []
        for segment in section.segments:
            before.append(count + len(segments))
            segments.extend(_fit_segment(segment, max_chars))
        sections.append(Section(section.kind, tuple(segments)))
        count += len(segments)
    before.append(count)
    notes = tuple(Note(n.rule, n.text, before[n.at]) for n in script.notes)
    return Script(title=script.title, sections=tuple(sections), language=script.language,
                  meta=script.meta, notes=notes)


def follow_title(script: Script, max_chars: int, speak) -> Script:
    """`script` whose spoken title follows its `title:` line: when an editor
    changed `title:` (it no longer matches the written text of the [title]
    section), the [title] section is narrated again from the new title with
    `speak` (the reading rules; a callable, loaded only then). An edit of the
    spoken title line alone (a pronunciation fix) is kept."""
    for i, section in enumerate(script.sections):
        if section.kind is not SectionKind.TITLE:
            continue
        written = " ".join(s.source or s.text for s in section.segments)
        if " ".join(written.split()) == " ".join(script.title.split()) or not script.title:
            return script
        end = section.segments[-1].pause_after if section.segments else Pause.TITLE
        segments = segment_paragraph(script.title, max_chars, speak(), end)
        if not segments:
            return script
        sections = list(script.sections)
        sections[i] = Section(SectionKind.TITLE, segments)
        shift = len(segments) - len(section.segments)
        before = sum(len(s.segments) for s in script.sections[:i])
        notes = tuple(Note(n.rule, n.text, n.at + shift if n.at > before else n.at)
                      for n in script.notes)
        return Script(title=script.title, sections=tuple(sections), language=script.language,
                      meta=script.meta, notes=notes)
    return script
