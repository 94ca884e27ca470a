"""Article -> narration Script: the text side's one entry point."""
from __future__ import annotations

import unicodedata

from .errors import ArticleError
from .model import Note, Pause, Script, Section, SectionKind, Segment
from .article import Article
from .segment import Speak, segment_paragraph
from .words import WordBreaks
from .structure import DROPPED


def preload() -> None:
    """Load now what making a script needs: the reading rules and the word
    segmenter's model and dictionary (for a process forked to make a script
    later)."""
    import importlib

    from .words import default_word_breaks, reference_dictionary

    importlib.import_module(".normalizer.rules", __package__)
    default_word_breaks()
    reference_dictionary()


def has_sound(text: str) -> bool:
    """True when text has a letter or digit: punctuation and emoji alone are silent."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)

_SECTION_END = {SectionKind.TITLE: Pause.TITLE}


def make_script(article: Article, max_chars: int, speak: Speak = lambda s: s,
                word_breaks: WordBreaks | None = None) -> Script:
    """Sections in the article's order: title, lead, body (paragraphs), caption,
    byline. Consecutive body paragraphs form one section. Pauses grow with the
    boundary; dropped lines become notes at the place they were."""
    groups: list[tuple[SectionKind, list[str]]] = [(SectionKind.TITLE, [article.title])]
    notes: list[tuple[str, str, int]] = []  # rule, text, paragraphs before it
    for part in article.parts:
        if part.kind == DROPPED:
            notes.append((part.rule, part.text, sum(len(g[1]) for g in groups)))
            continue
        kind = SectionKind(part.kind)
        if groups[-1][0] == kind == SectionKind.BODY:
            groups[-1][1].append(part.text)
        else:
            groups.append((kind, [part.text]))

    sections: list[Section] = []
    segments_before: list[int] = []  # segments before each paragraph
    count = 0
    for kind, paragraphs in groups:
        segments: list[Segment] = []
        for i, paragraph in enumerate(paragraphs):
            segments_before.append(count + len(segments))
            last = i == len(paragraphs) - 1
            end = _SECTION_END.get(kind, Pause.SECTION) if last else Pause.PARAGRAPH
            segments.extend(segment_paragraph(paragraph, max_chars, speak, end, word_breaks))
        if segments:
            sections.append(Section(kind, tuple(segments)))
            count += len(segments)
    segments_before.append(count)
    if not any(has_sound(seg.text) for section in sections for seg in section.segments):
        raise ArticleError("nothing in the article can be read aloud (no letters or digits)")
    last = sections[-1]
    end = last.segments[-1]
    sections[-1] = Section(last.kind, last.segments[:-1] + (
        Segment(end.text, Pause.END, end.source),))
    return Script(
        title=article.title,
        sections=tuple(sections),
        meta=article.meta,
        notes=tuple(Note(rule, text, segments_before[at]) for rule, text, at in notes),
    )
