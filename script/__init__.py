"""The text side of audio-edition: what will be said.

`script` never imports `audio`; it hands over a `Script`.
"""
from .article import Article
from .build import has_sound, make_script
from .errors import ArticleError, ScriptError
from .model import Note, Pacing, Pause, Script, Section, SectionKind, Segment
from .normalize import LexiconError, Normalizer, load_lexicon, normalize
from .read import parse_article, read_article
from .scriptfile import ScriptFileError, format_script, parse_script
from .segment import ends_with_stop, segment_paragraph, split_sentences
from .slug import slugify

__all__ = [
    "Article", "ArticleError", "LexiconError", "Normalizer", "Note", "Pacing", "Pause",
    "Script", "ScriptError", "ScriptFileError", "Section", "SectionKind", "Segment",
    "ends_with_stop", "format_script", "has_sound", "load_lexicon", "make_script", "normalize", "parse_article",
    "parse_script", "read_article", "segment_paragraph", "slugify", "split_sentences",
]
