"""Bytes -> Unicode text, whatever a newsroom's systems wrote.

UTF-8 (with or without a BOM) and UTF-16 (with a BOM) are read as they are.
Anything else is tried as Windows-1258 (whose tone marks are separate
combining characters: NFC joins them) and as the legacy Vietnamese font
encodings TCVN3 (ABC) and VNI, whose bytes look like Windows-1252 text; the
reading that looks most like Vietnamese wins (viparse's character model and
tables). A legacy-font conversion is reported as a warning, because it may
have lost capitals. Text that is already Unicode but holds TCVN3/VNI
characters (a copy from an old document) is converted too.

TCVN3 stores "ư" as 0xAD, the soft hyphen: conversion runs before any
invisible character is removed.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .errors import ArticleError

# (UTF-32's BOMs first: UTF-32-LE's starts with UTF-16-LE's)
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
         (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
# UTF-8's multi-byte sequences: text that holds many and fails to decode is
# UTF-8 with damage, not a legacy encoding (whose bytes almost never pair so)
_UTF8_SEQUENCES = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}"
                             rb"|[\xf0-\xf4][\x80-\xbf]{3}")
_LEGACY_NAMES = {"tcvn3": "TCVN3 (ABC)", "vni": "VNI", "viscii": "VISCII", "vps": "VPS"}


MIN_LANGUAGE_SCORE = -5.0


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    warning: str | None = None


def _score(text: str) -> float:
    from viparse.normalize.frequency import vietnamese_score

    return vietnamese_score(text)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without a BOM: every other byte of ASCII-range text is NUL."""
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros > half * 0.3:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def _candidates(data: bytes):
    try:
        yield unicodedata.normalize("NFC", data.decode("cp1258")), "windows-1258", None
    except UnicodeDecodeError:
        pass
    try:
        surface = data.decode("cp1252")
    except UnicodeDecodeError:
        surface = data.decode("latin-1")
    from viparse.normalize.detector import detect_encoding_by_content
    from viparse.normalize.encodings import CHARMAPS
    from viparse.normalize.tables import convert

    found = detect_encoding_by_content(surface, CHARMAPS)
    if found.encoding:
        yield convert(surface, CHARMAPS[found.encoding]), found.encoding, found.encoding


def _cut_in_a_character(data: bytes, error: UnicodeDecodeError) -> bool:
    """UTF-8 whose only flaw is a last character cut short (a CMS that
    truncates at N bytes): UTF-8 with a damaged end, not another encoding."""
    return error.reason == "unexpected end of data" and error.start >= len(data) - 3


def _truncated(data: bytes, start: int, name: str) -> Decoded:
    """`data` read up to byte `start`, where its last character was cut."""
    decoded = _unicode(data[:start].decode("utf-8-sig"), "utf-8")
    note = (f"{name} ends inside a character (at byte {start} of {len(data)}): "
            f"the broken end was dropped")
    return Decoded(decoded.text, "utf-8",
                   f"{decoded.warning}; {note}" if decoded.warning else note)


# The legacy Vietnamese font encodings, by the names a producer may give
# (--encoding): every one that is detected can also be named.
_LEGACY_ALIASES = {"tcvn3": "tcvn3", "tcvn": "tcvn3", "abc": "tcvn3", "vni": "vni",
                   "vniwindows": "vni", "viscii": "viscii", "vps": "vps"}


def _named_legacy(data: bytes, encoding: str) -> Decoded | None:
    """`data` in the legacy font encoding `encoding` names, or None when it
    names none of them. Such text is 8-bit text shown in a font: read as
    Windows-1252 (Latin-1 for its five unassigned bytes), then converted."""
    legacy = _LEGACY_ALIASES.get(encoding.lower().replace("-", "").replace("_", ""))
    if legacy is None:
        return None
    from viparse.normalize.encodings import CHARMAPS
    from viparse.normalize.tables import convert

    try:
        surface = data.decode("cp1252")
    except UnicodeDecodeError:
        surface = data.decode("latin-1")
    text = unicodedata.normalize("NFC", convert(surface, CHARMAPS[legacy]))
    return Decoded(text, legacy)


def decode_bytes(data: bytes, encoding: str | None = None, name: str = "the article") -> Decoded:
    if encoding:
        named = _named_legacy(data, encoding)
        if named is not None:
            return named
        try:
            return Decoded(data.decode(encoding), encoding)
        except LookupError:
            raise ArticleError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as e:
            raise ArticleError(f"{name} is not valid {encoding}: undecodable byte "
                               f"0x{data[e.start]:02x} at offset {e.start}") from None
        except (UnicodeError, TypeError, ValueError) as e:  # "undefined", a bytes-only codec
            raise ArticleError(f"--encoding {encoding!r} cannot decode text ({e})") from None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return _unicode(data.decode(codec), codec)
            except UnicodeDecodeError as e:
                if codec == "utf-8-sig" and _cut_in_a_character(data[len(bom):], e):
                    return _truncated(data, len(bom) + e.start, name)
                raise ArticleError(f"{name} starts like {codec} but has an undecodable "
                                   f"byte at offset {e.start}") from None
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is not None:
            return _unicode(text, "utf-16")
        offset = data.index(b"\x00")
        raise ArticleError(f"{name} looks like binary data, not text (NUL byte at offset "
                           f"{offset})")
    try:
        return _unicode(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as e:
        if _cut_in_a_character(data, e):
            return _truncated(data, e.start, name)
        first_bad = e.start
        bad = len(data.decode("utf-8", "replace")) - len(data.decode("utf-8", "ignore"))
        if len(_UTF8_SEQUENCES.findall(data)) >= max(3, 10 * bad):
            raise ArticleError(
                f"{name} is UTF-8 with {bad} undecodable byte{'s' if bad > 1 else ''} (the "
                f"first, 0x{data[first_bad]:02x}, at offset {first_bad}): a damaged file; "
                f"fix it, or give --encoding")
    scored = [(_score(text), text, codec, legacy) for text, codec, legacy in _candidates(data)]
    if scored:
        best = max(scored, key=lambda s: s[0])
        # It must read more like Vietnamese than the raw bytes do, and like a
        # language at all (Vietnamese prose scores about -3.5, English -3.9,
        # random bytes -6.8).
        if best[0] > max(_score(data.decode("latin-1")), MIN_LANGUAGE_SCORE):
            _, text, codec, legacy = best
            warning = (f"{name} is in the legacy {_LEGACY_NAMES.get(legacy, legacy)} "
                       f"encoding: converted to Unicode (check capital letters)"
                       if legacy else None)
            return Decoded(text, codec, warning)
    raise ArticleError(
        f"{name} is not UTF-8 text (undecodable byte 0x{data[first_bad]:02x} at offset "
        f"{first_bad}) and does not read as Vietnamese in another encoding; "
        f"give one with --encoding")


def _unicode(text: str, codec: str) -> Decoded:
    converted, legacy = legacy_to_unicode(text)
    if legacy:
        return Decoded(converted, codec, f"the text holds {_LEGACY_NAMES.get(legacy, legacy)} "
                                         f"characters: converted to Unicode")
    return Decoded(text, codec)


# --- Legacy encodings (TCVN3/ABC, VNI read as Windows-1252) ---------------------

_VIETNAMESE_LETTERS = set(
    "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY"
    "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
    "ÀÁẢÃẠẰẮẲẴẶẦẤẨẪẬÈÉẺẼẸỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌỒỐỔỖỘỜỚỞỠỢÙÚỦŨỤỪỨỬỮỰỲÝỶỸỴ"
)


def looks_legacy(text: str) -> bool:
    """Cheap pre-check: letters that Unicode Vietnamese never uses."""
    return any(c.isalpha() and ord(c) > 127 and c not in _VIETNAMESE_LETTERS for c in text) \
        or any(c in "µ¸¶·¹¨©ª«¬®" for c in text)


def legacy_to_unicode(text: str) -> tuple[str, str | None]:
    """Convert text in a legacy Vietnamese font encoding; (text, encoding or None).

    The tables and the detector are viparse's: it trial-converts with each
    table and keeps a conversion only when it clearly reads as Vietnamese.
    """
    if not looks_legacy(text):
        return text, None
    from viparse.normalize.detector import detect_encoding_by_content
    from viparse.normalize.encodings import CHARMAPS
    from viparse.normalize.tables import convert

    found = detect_encoding_by_content(text, CHARMAPS)
    if found.encoding is None:
        return text, None
    return convert(text, CHARMAPS[found.encoding]), found.encoding
