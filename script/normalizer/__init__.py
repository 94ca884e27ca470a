"""Written Vietnamese -> the words a careful northern news reader says.

`Normalizer(lexicon).speak(text)` is the one entry point; `normalize(text)`
uses no lexicon. See rules.py for the pipeline and numbers.py for numbers.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping

from ..bounded import read_bounded
from ..chars import unsafe_in
from ..errors import ScriptError
from .numbers import cardinal

# The rules (rules.py: 35 ms of regular expressions to compile) are loaded
# when text is first spoken, not with this package: a process that needs
# only the data tables (the sound side's sentence splitting, see
# segment.split_sentences) does not load them.

_PREPARE = ("unicode", "legacy-encoding")


class LexiconError(ScriptError):
    """The user lexicon cannot be read."""


MAX_LEXICON_BYTES = 4 * 1024 * 1024  # ~100,000 entries; more is a mistake


class Normalizer:
    """The rules, with a user lexicon (written form -> spoken form) applied
    right after Unicode repair and before every built-in rule."""

    def __init__(self, lexicon: Mapping[str, str] | None = None) -> None:
        self.lexicon = dict(lexicon or {})
        self._pattern = None
        if self.lexicon:
            keys = sorted(self.lexicon, key=len, reverse=True)
            self._pattern = re.compile(
                r"(?<![\w])(" + "|".join(re.escape(k) for k in keys) + r")(?![\w])")

    def apply_lexicon(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self.lexicon[m.group(1)], text)

    def speak(self, text: str) -> str:
        from .rules import GUARDS, RULES

        for name, rule in RULES:
            guard = GUARDS.get(name)
            if guard is None or guard(text):
                text = rule(text)
            if name == _PREPARE[-1]:
                text = self.apply_lexicon(text)
        return text

    __call__ = speak


def load_lexicon(path: str | Path) -> dict[str, str]:
    """A TOML file of `"written" = "spoken"` pairs."""
    import tomllib  # only when a lexicon is given

    from .rules import unicode_cleanup

    p = Path(path)
    data = read_bounded(p, MAX_LEXICON_BYTES, "the lexicon", LexiconError)
    try:  # UTF-8 as TOML wants, with or without a BOM; UTF-16 when it has one
        text = data.decode("utf-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig")
        table = tomllib.loads(text)
    except UnicodeDecodeError as e:
        codec = "UTF-16" if data[:2] in (b"\xff\xfe", b"\xfe\xff") else "UTF-8"
        raise LexiconError(f"{p}: not {codec} (byte 0x{data[e.start]:02x} at offset "
                           f"{e.start}); TOML files are UTF-8") from None
    except tomllib.TOMLDecodeError as e:
        raise LexiconError(f"{p}: not valid TOML ({e})") from None
    except RecursionError:  # arrays nested thousands deep
        raise LexiconError(f"{p}: not a lexicon (nested too deep)") from None
    lexicon: dict[str, str] = {}
    for key, value in table.items():
        if not isinstance(value, str):
            raise LexiconError(f"{p}: the entry {key!r} must be a string (written = \"spoken\")")
        written = unicode_cleanup(key).strip()
        if not written:
            raise LexiconError(f"{p}: an entry has an empty written form")
        spoken = " ".join(unicode_cleanup(value).split())
        bad = unsafe_in(written + spoken)
        if bad is not None:  # it would reach the script, the tags and the page
            raise LexiconError(f"{p}: the entry {key!r} holds a control or bidi character "
                               f"(U+{ord(bad):04X})")
        lexicon[written] = spoken
    return lexicon


_default = Normalizer()


def normalize(text: str) -> str:
    return _default.speak(text)


__all__ = ["LexiconError", "Normalizer", "cardinal", "load_lexicon", "normalize"]
