"""Written -> spoken Vietnamese, as a pipeline of small rules.

Each rule is a `str -> str` function over a sentence (or a shorter piece),
with its regexes compiled once at import; the rules for codes, addresses and
abbreviations are in codes.py. The order matters and is the order of
RULES below: text is repaired first (Unicode, legacy encodings), then the
things that contain numbers and would be misread by a later rule (addresses
on the web, phone numbers, document codes, abbreviations, Roman numerals,
times, dates, ordinals), then quantities (ranges, percent, money, units),
then whatever numbers are left, then symbols. Punctuation and the case of
ordinary words are kept, because the voice uses them for prosody.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Callable

from ..chars import INVISIBLE, OTHER_SPACES
from ..decode import legacy_to_unicode
from . import data
from .codes import (NUM, abbreviations, addresses, alternation, cue, definitions, documents,
                    foreign_words, initials, phones, web_addresses)
from .numbers import cardinal, digits, month, number, ordinal, roman

Rule = Callable[[str], str]



# --- Unicode -------------------------------------------------------------------

_SPACES = re.compile(f"[{OTHER_SPACES}]")
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_DASHES = re.compile(r"[\u2010-\u2015]")
# New-style tone placement (hoà, khoẻ, thuỷ) -> classic (hòa, khỏe, thủy), as
# underthesea's token map does; 'quý' keeps its tone where it is.
_NEW_STYLE = re.compile(r"(?i)(?<!q)(o[aeàáảãạèéẻẽẹ]|u[yỳýỷỹỵ])(?!\w)")


def _classic_tone(m: re.Match[str]) -> str:
    nfd = unicodedata.normalize("NFD", m.group(0))
    first, rest = nfd[0], nfd[1:]
    marks = "".join(c for c in rest if c in "\u0300\u0301\u0303\u0309\u0323")
    if not marks:
        return m.group(0)
    rest = "".join(c for c in rest if c not in marks)
    return unicodedata.normalize("NFC", first + marks + rest)


# A combining mark that follows no letter (after a digit, a space, a quote)
# has nothing to sit on: it is junk, and would end up on a spoken word.
_STRAY_MARKS = re.compile(r"(?<![^\W\d_])[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff]+")


def unicode_cleanup(text: str) -> str:
    text = _STRAY_MARKS.sub("", unicodedata.normalize("NFC", text))
    text = _INVISIBLE.sub("", _SPACES.sub(" ", text))
    text = _DASHES.sub("-", text)
    return _NEW_STYLE.sub(_classic_tone, text)


# --- Legacy encodings (TCVN3/ABC, VNI read as Windows-1252): see decode.py --------

def legacy_encoding(text: str) -> str:
    return legacy_to_unicode(text)[0]


# --- Roman numerals ----------------------------------------------------------------

_QUARTER_YEAR = re.compile(r"(?<![\w])(?i:(quý))\s+([IV]+|[1-4])\s*/\s*(\d{4})(?![\w/])")
_ROMAN_CUED = re.compile(cue(data.ROMAN_CUES) + r"\s+([IVXLC]+)(?![\w])")
_ROMAN_BARE = re.compile(r"(?<![\w.-])([IVX]{2,6})(?![\w-])")


def _roman_value(s: str) -> int | None:
    return int(s) if s.isdigit() else roman(s)


def _quarter(m: re.Match[str]) -> str:
    v = _roman_value(m.group(2))
    if v is None:
        return m.group(0)
    return f"{m.group(1)} {cardinal(v)} năm {cardinal(int(m.group(3)))}"


def _roman_cued(m: re.Match[str]) -> str:
    v = roman(m.group(2))
    if v is None:
        return m.group(0)
    cue = m.group(1)
    return f"{cue} {ordinal(v) if cue.lower().endswith('thứ') else cardinal(v)}"


# A grade after a number in a name: "RON 95-III", "Euro 4-II".
_NUMBER_ROMAN = re.compile(r"(?<![\w.,/-])(\d{1,3})-(I{1,3}|IV|V|VI)(?![\w-])")


def roman_numerals(text: str) -> str:
    text = _NUMBER_ROMAN.sub(lambda m: f"{cardinal(int(m.group(1)))} {cardinal(roman(m.group(2)))}",
                             text)
    text = _QUARTER_YEAR.sub(_quarter, text)
    text = _ROMAN_CUED.sub(_roman_cued, text)
    return _ROMAN_BARE.sub(lambda m: cardinal(v) if (v := roman(m.group(1))) else m.group(0),
                           text)


# --- Times -----------------------------------------------------------------------------

_TIME_H = re.compile(r"(?<![\w.,/])(\d{1,2})[hH](\d{2})(?:\s?(?:phút|ph|p|')(?![\w]))?(?![\w])")
_TIME_COLON = re.compile(r"(?<![\w.,/:])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\w:])")
_HOURS = re.compile(r"(?<![\w.,/])(\d{1,2})[hH](?![\w])")


def _clock(h: str, m: str, s: str | None = None) -> str | None:
    hh, mm = int(h), int(m)
    if hh > 24 or mm > 59:
        return None
    out = f"{cardinal(hh)} giờ"
    if mm:
        out += f" {cardinal(mm)} phút"
    if s and int(s):
        out += f" {cardinal(int(s))} giây"
    return out


_HOUR_RANGE = re.compile(r"(?<![\w.,/])(\d{1,2})[hH:](\d{2})?\s?[-–]\s?(?=\d{1,2}[hH:])")


def _hour_range(m: re.Match[str]) -> str:
    start = _clock(m.group(1), m.group(2) or "0")
    return f"{start} đến " if start else m.group(0)


def times(text: str) -> str:
    text = _HOUR_RANGE.sub(_hour_range, text)
    text = _TIME_H.sub(lambda m: _clock(m.group(1), m.group(2)) or m.group(0), text)
    text = _TIME_COLON.sub(lambda m: _clock(*m.groups()) or m.group(0), text)
    return _HOURS.sub(lambda m: f"{cardinal(int(m.group(1)))} giờ"
                      if int(m.group(1)) <= 24 else m.group(0), text)


# --- Dates ----------------------------------------------------------------------------

_DATE_FULL = re.compile(r"(?<![\w.,/])(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?![\w/])")
_DAY_RANGE = re.compile(
    r"(?<![\w.,/])(\d{1,2})\s?-\s?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?(?![\w/])")
_MONTH_RANGE = re.compile(r"(?<![\w])(?i:(tháng))\s+(\d{1,2})\s?-\s?(\d{1,2})(?![\w/]|[.,]\d)")
_MONTH_YEAR = re.compile(r"(?<![\w])(?i:(tháng))\s+(\d{1,2})\s?[/.-]\s?(\d{4})(?![\w/])")
_BARE_MONTH_YEAR = re.compile(r"(?<![\w.,/-])(\d{1,2})/(\d{4})(?![\w/])")
_MONTH = re.compile(r"(?<![\w])(?i:(tháng))\s+(\d{1,2})(?![\w/]|[.,]\d)")
_DAY_MONTH = re.compile(r"(?:(?<![\w])(\w+)\s+)?(?<![\w.,/])(\d{1,2})/(\d{1,2})(?![\w/]|,\d)")
# "từ 10 đến 12-10": the second is a date, so the first is a day of that month.
_DATE_SPAN = re.compile(
    r"(?<![\w])(?i:(từ))\s+((?i:ngày)\s+)?(\d{1,2})\s+(?i:(đến|tới|-))\s+((?i:ngày)\s+)?"
    r"(\d{1,2})[-.](\d{1,2})(?![\w]|[-./]\d)")
# "từ 31-8 đến 3-9": both ends are dates.
_DM_SPAN = re.compile(r"(?<![\w])(?i:(từ))\s+(\d{1,2})[-.](\d{1,2})\s+(?i:(đến|tới))\s+"
                      r"(\d{1,2})[-.](\d{1,2})(?![\w]|[-./]\d)")
# A mark out of a scale: "8,75/10", "9/10 điểm", "điểm 7/10".
_MARK = re.compile(
    r"(?<![\w.,/])(\d+,\d+)/(\d+)(?![\w/]|[.,]\d)"
    r"|(?<=(?i:điểm) )(\d+)/(10|20|100)(?![\w/]|[.,]\d)"
    r"|(?<![\w.,/])(\d+)/(\d+)(?= (?i:điểm))")
# "từ 1.7", "đến 30.6": a dotted day and month after a date word.
_CUED_DOT_DATE = re.compile(
    cue(data.DATE_CUES) + r"\s+(\d{1,2})\.(\d{1,2})(?![\w]|[.,]\d)"
    r"(?!\s*(?:%|nghìn|ngàn|triệu|tỷ|tỉ|đồng|USD|điểm|lần|km|kg|m\b))")
_CUED_DAY_MONTH = re.compile(cue(data.STRONG_DATE_CUES) + r"\s+(\d{1,2})[.-](\d{1,2})(?![\w]|[.-]\d)")


def _valid(d: int, m: int) -> bool:
    return 1 <= d <= 31 and 1 <= m <= 12


def _day_month(d: str, m: str) -> str:
    return f"{cardinal(int(d))} tháng {month(int(m))}"


def fraction(a: int, b: int) -> str:
    """1/3 = một phần ba; a share of a large whole (29/30 quận) or more than
    one (5/3) is read "trên"."""
    denominator = "tư" if b == 4 else cardinal(b)
    return f"{cardinal(a)} {'phần' if a < b <= 10 else 'trên'} {denominator}"


def _slash(m: re.Match[str]) -> str:
    prev, a, b = m.group(1), int(m.group(2)), int(m.group(3))
    head = f"{prev} " if prev else ""
    cue = (prev or "").lower()
    following = m.string[m.end():m.end() + 12].lower().lstrip()
    is_date = _valid(a, b) and (
        cue in data.DATE_CUES
        or not (cue in data.FRACTION_CUES or following.startswith(data.FRACTION_FOLLOWERS)
                or a < b <= 4))
    return head + (_day_month(str(a), str(b)) if is_date else fraction(a, b))


def _mark(m: re.Match[str]) -> str:
    a, b = next((a, b) for a, b in zip(m.groups()[::2], m.groups()[1::2]) if a is not None)
    if "," not in a and not int(a) <= int(b):
        return m.group(0)  # "sáng 15/7 điểm chuẩn…": a date, not a mark
    return f"{number(a)} trên {number(b)}"


def dates(text: str) -> str:
    def full(m):
        d, _, mo, y = m.groups()
        if not _valid(int(d), int(mo)):
            return m.group(0)
        return f"{_day_month(d, mo)} năm {cardinal(int(y))}"

    def day_range(m):
        d1, d2, mo, y = m.groups()
        if not (_valid(int(d1), int(mo)) and _valid(int(d2), int(mo))):
            return m.group(0)
        out = f"{cardinal(int(d1))} đến {_day_month(d2, mo)}"
        return out + (f" năm {cardinal(int(y))}" if y else "")

    def month_year(m):
        if not 1 <= int(m.group(2)) <= 12:
            return m.group(0)
        return f"{m.group(1)} {month(int(m.group(2)))} năm {cardinal(int(m.group(3)))}"

    text = _DATE_FULL.sub(full, text)
    text = _BIG_RATIO.sub(_big_ratio, text)
    text = _DATE_SPAN.sub(
        lambda m: f"{m.group(1)} {m.group(2) or ''}{cardinal(int(m.group(3)))} {m.group(4)} "
                  f"{m.group(5) or ''}{_day_month(m.group(6), m.group(7))}"
        if _valid(int(m.group(3)), int(m.group(7))) and _valid(int(m.group(6)), int(m.group(7)))
        else m.group(0), text)
    text = _DM_SPAN.sub(
        lambda m: f"{m.group(1)} {_day_month(m.group(2), m.group(3))} {m.group(4)} "
                  f"{_day_month(m.group(5), m.group(6))}"
        if _valid(int(m.group(2)), int(m.group(3))) and _valid(int(m.group(5)), int(m.group(6)))
        else m.group(0), text)
    text = _MARK.sub(_mark, text)
    text = _DAY_RANGE.sub(day_range, text)
    text = _MONTH_YEAR.sub(month_year, text)
    text = _BARE_MONTH_YEAR.sub(
        lambda m: f"tháng {month(int(m.group(1)))} năm {cardinal(int(m.group(2)))}"
        if 1 <= int(m.group(1)) <= 12 else m.group(0), text)
    text = _MONTH_RANGE.sub(
        lambda m: f"{m.group(1)} {month(int(m.group(2)))} đến tháng {month(int(m.group(3)))}"
        if 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 12 else m.group(0), text)
    text = _CUED_DOT_DATE.sub(
        lambda m: f"{m.group(1)} {_day_month(m.group(2), m.group(3))}"
        if _valid(int(m.group(2)), int(m.group(3))) else m.group(0), text)
    text = _CUED_DAY_MONTH.sub(
        lambda m: f"{m.group(1)} {_day_month(m.group(2), m.group(3))}"
        if _valid(int(m.group(2)), int(m.group(3))) else m.group(0), text)
    text = _DAY_MONTH.sub(_slash, text)
    return _MONTH.sub(lambda m: f"{m.group(1)} {month(int(m.group(2)))}"
                      if 1 <= int(m.group(2)) <= 12 else m.group(0), text)


# --- Ordinals --------------------------------------------------------------------------

_ORDINAL = re.compile(r"(?<![\w])(?i:(thứ))\s+(\d{1,3})(?![\w/]|[.,]\d)")


# "điểm a, b và đ khoản 2": the points of a legal article are letters.
_POINTS = re.compile(r"(?<![\w])(?i:(điểm))\s+([a-zđ](?:\s*(?:,|và|hoặc)\s*[a-zđ])*)(?=\s*[,)]?\s+(?i:khoản|điều|của|tại|theo)|\s*[,)])")


# A group or block named by one letter: "bảng B", "nhóm A", "khối D", "tòa C".
_LETTER_LABEL = re.compile(
    r"(?<![\w])(?i:(bảng|nhóm|hạng|khối|tòa|toà|phân khu|khu|lớp|loại|đội|ca|tổ|phòng|dãy|"
    r"hàng|làn|cổng|cửa|phần|mục|phương án|kịch bản))\s+([A-ZĐ])(?![\w&'-]|\.\w)")


def ordinals(text: str) -> str:
    text = _LETTER_LABEL.sub(lambda m: f"{m.group(1)} {data.spell(m.group(2))}", text)
    text = _POINTS.sub(lambda m: m.group(1) + " " + re.sub(
        r"(?<![\w])[a-zđ](?![\w])", lambda x: data.spell(x.group(0)), m.group(2)), text)
    return _ORDINAL.sub(lambda m: f"{m.group(1)} {ordinal(int(m.group(2)))}", text)


# --- Quantities: ranges, percent, money, units ------------------------------------

_SCORE_CUES = ("tỷ số", "tỉ số", "thắng", "thua", "hòa", "hoà", "cách biệt", "thắng ngược",
               "thắng đậm", "thắng sát nút", "thua đậm", "thua ngược", "gỡ hòa", "dẫn",
               "chung cuộc", "dẫn trước", "cầm hòa", "đánh bại", "vượt qua", "hạ", "thắng trận")
_SUFFIXES = {"%": "phần trăm", **data.UNITS, **data.CURRENCY_AFTER}
_QUANTITY = re.compile(
    rf"(?:{cue(_SCORE_CUES)}\s+)?(?<![\w.,/])(?P<neg>[−-](?=\d))?(?P<a>{NUM})"
    rf"(?:\s?[-–]\s?(?P<b>{NUM}))?"
    rf"(?:\s(?P<scale>nghìn|ngàn|triệu|tỷ|tỉ)(?=\s?(?:{alternation(_SUFFIXES)})(?![\w])))?"
    rf"(?:\s?(?P<suf>{alternation(_SUFFIXES)}))?(?![\w/])")
_MONEY_BEFORE = re.compile(
    rf"(?<![\w])(?P<cur>{alternation(data.CURRENCY_BEFORE)})\s?(?P<a>{NUM})"
    r"(?:\s?(?P<scale>nghìn tỷ|nghìn|ngàn|triệu|tỷ|tỉ))?(?![\w])")
# 2.0 (a version, a score): not a thousands group, not a date without a cue.
_DOT_DECIMAL = re.compile(r"(?<![\w.,])(\d+)\.(\d{1,2})(?![\w]|\.\d)")
_APPROX = re.compile(r"(?:(?<![\w])(?i:khoảng)\s*)?~\s?(?=\d)")


_DESCENDING_DATE_CUES = frozenset(data.DATE_CUES + data.STRONG_DATE_CUES + ("nay", "qua", "mai"))


def _is_score(a: str, b: str) -> bool:
    """A range goes up ("3-5"); "3-1", "2-0" with no unit are scores."""
    if not (a.isdigit() and b.isdigit()):
        return False
    x, y = int(a), int(b)
    return x >= y and x <= 9 and y <= 9


def _quantity(m: re.Match[str]) -> str:
    score_cue = m.group(1)
    a, b, suf = m.group("a"), m.group("b"), m.group("suf")
    if m.group("neg") and m.group("neg") == "-" and not (suf or "").startswith(("°", "º", "o")):
        # A hyphen before a number is a minus only for temperatures; elsewhere
        # it is a dash that the range or symbol rules deal with.
        if m.start("neg") > 0 and m.string[m.start("neg") - 1].isalnum():
            return m.group(0)
    sign = "âm " if m.group("neg") else ""
    if b and not suf and not score_cue and m.group("neg") is None:
        if _is_score(a, b):
            return f"{number(a)} {number(b)}"
        if a.isdigit() and b.isdigit() and int(a) > int(b):
            before = m.string[max(0, m.start() - 12):m.start()].split()
            if before and before[-1].lower() in _DESCENDING_DATE_CUES and _valid(int(a), int(b)):
                return _day_month(a, b)  # "hôm nay 14-10": a date
            return f"{number(a)} {number(b)}"  # "ngõ 12-3": not a range (a range goes up)
    if score_cue and b:
        return f"{score_cue} {number(a)} {number(b)}" + (f" {_SUFFIXES[suf]}" if suf else "")
    head = f"{score_cue} " if score_cue else ""
    spoken = sign + number(a)
    if b:
        spoken += " đến " + number(b)
    if m.group("scale"):
        spoken += " " + m.group("scale")
    if suf:
        spoken += " " + _SUFFIXES[suf]
    return head + spoken


_TIMES = re.compile(r"(?<=\d)\s?[x×]\s?(?=\d)")
_BIG_RATIO = re.compile(rf"(?<![\w.,/])({NUM})/({NUM})(?![\w/]|[.,]\d)")
# A "/" after a counted noun: "7 chuyến/tuần", "9,7 điểm/môn", "78,4 ca/100.000 dân".
# (after a number and a unit anything counted follows: "500m2/căn"; after a
# number and a noun only a unit or a number: "7 chuyến/tuần", not "20 nam/nữ")
_COUNT_PER = re.compile(
    rf"(?<![\w.,])((?:{NUM})\s?(?:({alternation(data.UNITS)})/(?=[^\W_])(?!(?:{NUM})\s?\2(?![\w]))"
    rf"|[^\W\d_]+/(?=\d|(?:{alternation(data.PER_UNITS)})(?![\w]))))")
# "12GB/256GB": two variants of the same unit, not "per".
_VARIANTS = re.compile(rf"(?<![\w.,])((?:{NUM})\s?([^\W\d_]+))/(?=(?:{NUM})\s?\2(?![\w]))")
# A unit after a scale word with no number: "hàng nghìn MW", "vài triệu tấn".
_SCALE_UNIT = re.compile(
    rf"(?<![\w])(nghìn|triệu|tỷ|chục|trăm) ({alternation(data.UNITS)})(?![\w/])")


def _big_ratio(m: re.Match[str]) -> str:
    a, b = m.group(1), m.group(2)
    if "." not in a + b and len(a) <= 2:
        return m.group(0)  # a date, a month and year, a fraction: later rules decide
    return f"{number(a)} trên {number(b)}"


def quantities(text: str) -> str:
    text = _TIMES.sub(" nhân ", text)
    text = _VARIANTS.sub(lambda m: f"{m.group(1)}, ", text)
    text = _COUNT_PER.sub(lambda m: f"{m.group(1)[:-1]} trên ", text)
    text = _SCALE_UNIT.sub(lambda m: f"{m.group(1)} {data.UNITS[m.group(2)]}", text)
    text = _DOT_DECIMAL.sub(lambda m: f"{number(m.group(1))} chấm {digits(m.group(2))}", text)
    text = _APPROX.sub("khoảng ", text)
    text = text.replace("\u2212", "−")
    text = _MONEY_BEFORE.sub(
        lambda m: f"{number(m.group('a'))}{' ' + m.group('scale') if m.group('scale') else ''}"
                  f" {data.CURRENCY_BEFORE[m.group('cur')]}", text)
    text = re.sub(r"−\s?(?=\d)", "-", text)
    return _QUANTITY.sub(_quantity, text)


# --- Whatever numbers are left --------------------------------------------------------

_ANY_NUMBER = re.compile(rf"{NUM}")


# A unit symbol on its own ("giá mỗi m2", "cho kWh đầu tiên"): only symbols
# that are no Vietnamese word (not "m", "g", "ha", "l").
_LONE_UNIT = re.compile(r"(?<![\w/.])(" + alternation(
    [u for u in data.UNITS if len(u) >= 2 and not u.isalpha() or u in data.LONE_UNITS])
    + r")(?![\w/])")


def lone_units(text: str) -> str:
    return _LONE_UNIT.sub(lambda m: data.UNITS[m.group(1)], text)


def numbers_left(text: str) -> str:
    return _ANY_NUMBER.sub(lambda m: f" {number(m.group(0))} ", text)


# --- Symbols and spelled acronyms ----------------------------------------------------

_SYMBOLS = [
    (re.compile(r"\s*&\s*"), " và "),
    (re.compile(r"\s*\+\s*"), " cộng "),
    (re.compile(r"\s*=\s*"), " bằng "),
    (re.compile(r"\s*≈\s*"), " xấp xỉ "),
    (re.compile(r"\s*%"), " phần trăm"),
    (re.compile(r"\s*@\s*"), " a còng "),
    (re.compile(r"(?<=\w)/(?=\w)"), " "),
    (re.compile(r"(?:(?<=\s)|^)[-–—]+(?=\s|$)"), ","),  # a spaced dash is a pause
    (re.compile(r"[*•|#_~^`]"), " "),
]
_ACRONYM = re.compile(r"(?<![\w.])([A-ZĐ]{2,8})(?![\w])")
_SYLLABLE = re.compile(
    r"^(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    r"[aăâeêioôơuưy]{1,3}(ch|ng|nh|[cmnpt])?$")
_VOWEL_GROUPS = re.compile(r"[aăâeêioôơuưy]+")


def _readable(low: str) -> bool:
    """Whether a toneless word splits into Vietnamese-like syllables (NATO,
    APEC), so that the voice can read it as a word."""
    ok = [True] + [False] * len(low)
    for end in range(1, len(low) + 1):
        ok[end] = any(ok[start] and _SYLLABLE.match(low[start:end])
                      for start in range(max(0, end - 7), end))
    return ok[-1]


def _in_capitals(text: str, start: int, end: int) -> bool:
    """Whether a word next to the span is in capitals too: a name or a
    headline in capitals ("VIỆT NAM", "QUÁN CON SÓI"), not an acronym."""
    before = re.findall(r"[^\W\d_]+", text[max(0, start - 30):start])[-1:]
    after = re.findall(r"[^\W\d_]+", text[end:end + 30])[:1]
    return any(len(w) >= 2 and w.isupper() for w in before + after)


def _spell_acronym(m: re.Match[str]) -> str:
    word = m.group(1)
    low = unicodedata.normalize("NFC", word.lower())
    if _in_capitals(m.string, m.start(), m.end()):
        return word  # part of a name or a headline in capitals
    if len(word) == 2:
        return data.spell(word)  # CO, MB: two capitals alone are letters
    if _SYLLABLE.match(low) or len(word) > 3 and _readable(low):
        return word  # a word the voice can read (TIN, NATO, APEC)
    return data.spell(word)


def symbols(text: str) -> str:
    for pattern, spoken in _SYMBOLS:
        text = pattern.sub(spoken, text)
    return _ACRONYM.sub(_spell_acronym, text)


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?…)\]”’])")
_SPACE_AFTER_OPEN = re.compile(r"([(\[“‘])\s+")
_REPEATED_COMMAS = re.compile(r"(?:,\s*){2,}")


def tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
    text = _SPACE_AFTER_OPEN.sub(r"\1", _SPACE_BEFORE_PUNCT.sub(r"\1", text))
    text = _REPEATED_COMMAS.sub(", ", text)
    return text.strip(" ,")


# Rules that can only change a text holding some character: skipped, for
# speed, when it holds none (most of a news text is words without digits).
_HAS_DIGIT = re.compile(r"\d").search
GUARDS: dict[str, Callable[[str], object]] = {
    "web-address": re.compile(r"[.@]\w").search,
    "phone": _HAS_DIGIT,
    "document-number": _HAS_DIGIT,
    "address-and-per": re.compile(r"/").search,
    "roman": re.compile(r"[IVXLC]").search,  # (and codes.Prefilter for the big tables)
    "time": _HAS_DIGIT,
    "date": _HAS_DIGIT,
    "number": _HAS_DIGIT,
}

RULES: list[tuple[str, Rule]] = [
    ("unicode", unicode_cleanup),
    ("legacy-encoding", legacy_encoding),
    ("web-address", web_addresses),
    ("phone", phones),
    ("document-number", documents),
    ("address-and-per", addresses),
    ("definition", definitions),
    ("foreign-word", foreign_words),
    ("initials", initials),
    ("abbreviation", abbreviations),
    ("roman", roman_numerals),
    ("time", times),
    ("date", dates),
    ("ordinal", ordinals),
    ("quantity", quantities),
    ("lone-unit", lone_units),
    ("number", numbers_left),
    ("symbol", symbols),
    ("tidy", tidy),
]
