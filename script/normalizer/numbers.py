"""Numbers read the way a northern news reader says them.

Conventions (see ../shared/vi_norm/NOTES.md): mốt after tens >= 2, tư after
tens >= 2, lăm after any tens digit, linh for a zero tens digit, nghìn (never
ngàn), tỷ, and "không trăm" for zero hundreds in every non-leading group.
"""
from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_SCALES = ("", "nghìn", "triệu")
_BILLION = 10**9
MAX_CARDINAL_DIGITS = 15  # longer digit strings are identifiers: read digit by digit


def _group(n: int, leading: bool) -> list[str]:
    """0 < n < 1000; a non-leading group always says its hundreds."""
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if hundreds or not leading:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else DIGITS[units])
    else:
        words += [DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, DIGITS[units]))
    return words


def _below_billion(n: int, leading: bool) -> list[str]:
    groups = [n // 10**6, n // 1000 % 1000, n % 1000]
    words: list[str] = []
    for i, g in enumerate(groups):
        if g:
            words += _group(g, leading and not words)
            scale = _SCALES[2 - i]
            if scale:
                words.append(scale)
    return words


def cardinal_words(n: int) -> list[str]:
    if n < 0:
        return ["âm", *cardinal_words(-n)]
    if n == 0:
        return ["không"]
    if n < _BILLION:
        return _below_billion(n, leading=True)
    high, low = divmod(n, _BILLION)
    words = [*cardinal_words(high), "tỷ"]
    if low:
        words += _below_billion(low, leading=False)
    return words


def cardinal(n: int) -> str:
    """2023 -> 'hai nghìn không trăm hai mươi ba'."""
    return " ".join(cardinal_words(n))


def digits(s: str) -> str:
    """'0243' -> 'không hai bốn ba' (every character that is a digit)."""
    return " ".join(DIGITS[int(c)] for c in s if c.isdigit())


def integer(s: str) -> str:
    """A written integer (no separators). A leading zero or an overlong string
    carries meaning as a code ('06' -> 'không sáu'), so it is read digit by digit."""
    if (len(s) > 1 and s.startswith("0")) or len(s) > MAX_CARDINAL_DIGITS:
        return digits(s)
    return cardinal(int(s))


def fraction_digits(s: str) -> str:
    """The part after a decimal comma: as a number, unless a leading zero must be
    kept (0,05 -> 'không năm') or it is long."""
    if s.startswith("0") or len(s) > 3:
        return digits(s)
    return cardinal(int(s))


def number(written: str) -> str:
    """'1.200.000' (dot = thousands), '3,5' (comma = decimal), '1.071,25', '06'."""
    whole, _, frac = written.partition(",")
    if "." in whole:
        grouped = whole.replace(".", "")
        # past what a number is read as (and past int()'s 4,300 digits): digit by digit
        spoken = (cardinal(int(grouped)) if len(grouped) <= MAX_CARDINAL_DIGITS
                  else digits(grouped))
    else:
        spoken = integer(whole)
    if frac:
        spoken += " phẩy " + fraction_digits(frac)
    return spoken


_ORDINAL = {1: "nhất", 4: "tư"}


def ordinal(n: int) -> str:
    """The word after 'thứ': 1 -> nhất, 4 -> tư, else the cardinal."""
    return _ORDINAL.get(n, cardinal(n))


def month(n: int) -> str:
    """Month names: tháng tư for April; January is tháng một (Gregorian)."""
    return "tư" if n == 4 else cardinal(n)


_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman(s: str) -> int | None:
    """Value of a well-formed Roman numeral, else None ('IIII', 'VX' are not)."""
    if not s or any(c not in _ROMAN for c in s):
        return None
    total = 0
    for i, c in enumerate(s):
        v = _ROMAN[c]
        if i + 1 < len(s) and _ROMAN[s[i + 1]] > v:
            total -= v
        else:
            total += v
    return total if to_roman(total) == s else None


def to_roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"),
                       (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"),
                       (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)
