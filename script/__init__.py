"""The text side of audio-edition: what will be said.

`script` never imports `audio`; it hands over a `Script`.

Names are loaded on first use (PEP 562): `from script import Pacing` loads
the data model only, not the normalizer and the word segmenter (a quarter of
a second), so a command that needs a type, or only its `--help`, starts fast.
"""
from __future__ import annotations

import importlib

# each public name and the module that defines it
_HOME = {
    "Article": "article", "clean_text": "article", "has_sound": "build", "make_script": "build",
    "preload": "build",
    "ArticleError": "errors", "ScriptError": "errors",
    **dict.fromkeys(["Note", "Pacing", "Pause", "Script", "Section", "SectionKind", "Segment"],
                    "model"),
    **dict.fromkeys(["LexiconError", "Normalizer", "load_lexicon", "normalize"], "normalizer"),
    "parse_article": "read", "read_article": "read", "read_source": "read",
    "fetch_article": "read", "fetch_listing": "read", "private_address": "fetch",
    "RETRY_STATUS": "fetch",
    **dict.fromkeys(["ScriptFileError", "format_script", "is_narration_script",
                     "parse_script"], "scriptfile"),
    **dict.fromkeys(["ends_with_stop", "segment_paragraph", "split_sentences"], "segment"),
    "slugify": "slug",
    "read_bounded": "bounded", "read_response": "bounded", "within": "bounded",
    "fit_script": "fit", "follow_title": "fit", "escape_unsafe": "chars", "without_unsafe": "chars",
}
__all__ = sorted(_HOME)


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
