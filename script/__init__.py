"""The text side of audio-edition: what will be said.

`script` never imports `audio`; it hands over a `Script`.
"""
from .build import make_script
from .errors import ArticleError, ScriptError
from .model import Pacing, Pause, Script, Section, SectionKind, Segment
from .read import Article, parse_article, read_article
from .segment import segment_paragraph
from .slug import slugify

__all__ = [
    "Article", "ArticleError", "Pacing", "Pause", "Script", "ScriptError",
    "Section", "SectionKind", "Segment", "make_script", "parse_article",
    "read_article", "segment_paragraph", "slugify",
]
