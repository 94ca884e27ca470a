"""Encoders for test fixtures: Unicode Vietnamese -> the bytes old systems wrote."""
from __future__ import annotations

import unicodedata

TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 has base letters (â, ơ, ư, đ...) and tone marks as separate
    combining characters: decompose the tones only."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        nfd = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in nfd if c in TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in TONES))
        out.append(base + tones)
    return "".join(out).encode("cp1258")


def legacy(text: str, name: str) -> bytes:
    """TCVN3 or VNI bytes, by inverting viparse's (legacy -> Unicode) tables."""
    from viparse.normalize.encodings import CHARMAPS

    inverse: dict[str, str] = {}
    for surface, uni in CHARMAPS[name].pairs:
        if uni not in inverse or len(surface) < len(inverse[uni]):
            inverse[uni] = surface
    surface = "".join(inverse.get(ch, ch) for ch in unicodedata.normalize("NFC", text))
    return surface.encode("cp1252")
