"""Article -> narration Script: the text side's one entry point."""
from __future__ import annotations

from .model import Pause, Script, Section, SectionKind
from .read import Article
from .segment import Speak, segment_paragraph


def make_script(article: Article, max_chars: int, speak: Speak = lambda s: s) -> Script:
    """Title, lead and body as sections; pauses grow with the boundary."""
    sections = [
        Section(SectionKind.TITLE,
                segment_paragraph(article.title, max_chars, speak, Pause.TITLE)),
        Section(SectionKind.LEAD,
                segment_paragraph(article.lead, max_chars, speak, Pause.SECTION)),
    ]
    if article.body:
        body = []
        for i, paragraph in enumerate(article.body):
            last = i == len(article.body) - 1
            body.extend(segment_paragraph(
                paragraph, max_chars, speak, Pause.SECTION if last else Pause.PARAGRAPH))
        sections.append(Section(SectionKind.BODY, tuple(body)))
    sections = [s for s in sections if s.segments]
    last = sections[-1]
    end = last.segments[-1]
    sections[-1] = Section(last.kind, last.segments[:-1] + (
        type(end)(end.text, Pause.END, end.source),))
    return Script(title=article.title, sections=tuple(sections))
