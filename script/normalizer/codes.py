"""Rules for what is not plain prose: web addresses, phone numbers, document
numbers, addresses, and abbreviations. Each is a `str -> str` function; the
pipeline that orders them is in rules.py."""
from __future__ import annotations

import re
from functools import lru_cache

from . import data
from .numbers import cardinal, digits, number

NUM = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"


try:  # how `re` matches a letter case-insensitively (CPython's own tables)
    from _sre import unicode_tolower as _tolower
    from re._casefix import _EXTRA_CASES
except ImportError:  # another Python: lowercase, one character for one
    _tolower, _EXTRA_CASES = None, {}


class _Fold(dict):
    """A code point -> the least member of the letters `re`'s IGNORECASE
    takes for one ("İ", "ı" and "I" for "i"; "ſ" for "s": str.lower() has
    "İ" as two characters and "ı" apart), worked out as met."""

    def __missing__(self, point: int) -> str:
        if _tolower is None:
            low = chr(point).lower()
            value = low if len(low) == 1 else chr(point)
        else:
            low = _tolower(point)
            value = chr(min((low, *_EXTRA_CASES.get(low, ()))))
        self[point] = value
        return value


_FOLD = _Fold()


def fold(text: str) -> str:
    """`text` as `re`'s IGNORECASE sees it: two texts it takes for one fold
    alike (one character for one, so a prefix folds to a prefix)."""
    return text.translate(_FOLD)


class Prefilter:
    """Which of many keys a text can hold, by set lookups of its words, so
    that a large alternation runs only on the texts that may hold one (most
    hold none), and holds only the entries whose first word is there: a
    pattern of a few entries compiles in well under a millisecond, one of the
    whole table in 60 ms, a fifth of making a script.

    Every entry starts with a letter or digit, and matches only where no
    letter or digit is before it: each such place in a word, and each run of
    characters from there as long as an entry's head, is looked up. A text
    holds an entry only if one of those runs is the entry's head, so the
    entries found are all the text can match."""

    def __init__(self, keys, folded=()) -> None:
        self.exact = {self._head(k) for k in keys}
        self.folded = {fold(self._head(k)) for k in folded}
        longest = max(map(len, self.exact | self.folded), default=1)
        # each place with no letter or digit before it, and what follows it
        # there up to the longest head (overlapping: "3G/PT-TH" holds "PT-TH")
        self._runs = re.compile(rf"(?<![^\W_])(?=(\w\S{{0,{longest - 1}}}))")

    def heads(self, text: str) -> tuple[frozenset[str], frozenset[str]]:
        """The exact and the folded (see `fold`) heads of keys found in `text`."""
        exact: set[str] = set()
        folded: set[str] = set()
        for m in self._runs.finditer(text):
            run = m.group(1)
            lower = fold(run)
            for j in range(1, len(run) + 1):
                if run[:j] in self.exact:
                    exact.add(run[:j])
                if lower[:j] in self.folded:
                    folded.add(lower[:j])
        return frozenset(exact), frozenset(folded)

    @staticmethod
    def _head(key: str) -> str:
        first = key.split()[0]
        dot = first.find(".")
        return first[:dot + 1] if 0 <= dot < len(first) - 1 else first


def alternation(words, escape=True) -> str:
    items = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(w) if escape else w for w in items)


def cue(words) -> str:
    """A case-insensitive group of cue words, as a whole word."""
    return rf"(?<![\w])(?i:({alternation(words)}))"


# --- Web addresses and e-mail ----------------------------------------------------

_EMAIL = re.compile(r"(?<![\w.])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_URL = re.compile(
    r"(?<![\w@.])(?:https?://)?(?:[A-Za-z0-9-]+\.)+"
    r"(?:vn|com|net|org|gov|edu|info|io|asia|biz)(?![\w-])(?:/[^\s]*[^\s.,;:!?)\]\"”])?")
_WEB_SEP = {".": "chấm", "@": "a còng", "/": "gạch chéo", "-": "gạch ngang",
            "_": "gạch dưới", ":": "hai chấm"}


@lru_cache(maxsize=4096)
def web_word(label: str) -> str:
    """A toneless label of an address, read with its tones where the pieces
    are known words (baochinhphu -> báo chính phủ), else spelled."""
    low = label.lower()
    if low in data.WEB_WORDS:
        return data.WEB_WORDS[low]
    if low.isdigit():
        return digits(low)
    # Fewest known pieces that cover the label (dynamic programming).
    best: list[list[str] | None] = [[]] + [None] * len(low)
    for end in range(1, len(low) + 1):
        for start in range(max(0, end - 12), end):
            piece = low[start:end]
            if best[start] is not None and piece in data.WEB_WORDS:
                cand = best[start] + [data.WEB_WORDS[piece]]
                if best[end] is None or len(cand) < len(best[end]):
                    best[end] = cand
    if best[-1] is not None:
        return " ".join(best[-1])
    return data.spell(low)


def _read_address(addr: str) -> str:
    """An e-mail whole; a web address by its domain (a reader does not spell
    out the page's path)."""
    addr = re.sub(r"^https?://", "", addr)
    if "@" not in addr:
        addr = addr.split("/", 1)[0]
    parts = re.split(r"([.@/\-_:])", addr)
    return " ".join(_WEB_SEP[p] if p in _WEB_SEP else web_word(p) for p in parts if p)


def web_addresses(text: str) -> str:
    text = _EMAIL.sub(lambda m: _read_address(m.group(0)), text)
    return _URL.sub(lambda m: _read_address(m.group(0)), text)


# --- Phone numbers -------------------------------------------------------------------

_PHONE = re.compile(r"(?<![\w.,/])(\+84|\(0\d{1,3}\)|0)[\d .\-()]{7,16}\d(?![\w])")
_HOTLINE = re.compile(r"(?<![\w.,/])(1[89]00)[ .]?(\d{2,4})(?:[ .]?(\d{2,4}))?(?![\w])")
_SHORT_HOTLINE = re.compile(cue(data.PHONE_CUES) + r"((?:\s+(?:ngay|ngay lập tức|tới|đến|cho|số|"
                            r"tổng đài|đường dây nóng))*)\s+(11[1-9])(?![\w/]|[.,]\d)")


def _phone(m: re.Match[str]) -> str:
    written = m.group(0)
    n = sum(c.isdigit() for c in written)
    if written.startswith("+84"):
        if not 9 <= n - 2 <= 10:
            return written
        return "cộng " + digits(written)
    if not 10 <= n <= 11:
        return written
    return digits(written)


def phones(text: str) -> str:
    text = _PHONE.sub(_phone, text)
    text = _HOTLINE.sub(lambda m: digits(m.group(0)), text)
    return _SHORT_HOTLINE.sub(lambda m: f"{m.group(1)}{m.group(2)} {digits(m.group(3))}", text)


# --- Document numbers: 15/2020/NĐ-CP, 138/CP ---------------------------------------

_CODE_PART = r"[A-ZĐ][A-ZĐa-z&]*"
_DOC_YEAR = re.compile(
    rf"(?<![\w/])(\d+)/(\d{{4}})/({_CODE_PART}(?:-{_CODE_PART})*)(?![\w-])")
_DOC = re.compile(rf"(?<![\w/])(\d+)/({_CODE_PART}(?:-{_CODE_PART})*)(?![\w/-])")


def _issuer(code: str) -> str:
    parts = code.split("-")
    if len(parts) > 1 and parts[0] in data.DOCUMENT_TYPES:
        parts = parts[1:]
    elif parts[0] in data.DOCUMENT_TYPES and parts[0] not in data.ISSUERS:
        return ""
    spoken = [data.ISSUERS.get(p) or data.ABBREVIATIONS.get(p) or data.spell(p) for p in parts]
    return " của " + " ".join(spoken)


def _issuer_unless_said(m: re.Match[str], code: str) -> str:
    """ "… của Chính phủ" right after the code already names the issuer."""
    return "" if re.match(r"\s+(?i:của)\s", m.string[m.end():m.end() + 6]) else _issuer(code)


def documents(text: str) -> str:
    text = _DOC_YEAR.sub(
        lambda m: f"{number(m.group(1))} năm {cardinal(int(m.group(2)))}"
                  f"{_issuer_unless_said(m, m.group(3))}", text)
    return _DOC.sub(lambda m: f"{number(m.group(1))}{_issuer_unless_said(m, m.group(2))}", text)


# --- Addresses and "per": số nhà 12/3, 24/7, đồng/kg ------------------------------

_ADDRESS = re.compile(cue(data.ADDRESS_CUES) + r"\s+(\d+)/(\d+)(?![\d/])")
_ROUND_THE_CLOCK = re.compile(r"(?<![\w/])24/7(?![\w/])")
# A chain of "per" (mg/kg/ngày, đồng/người/tháng): each "/" whose right side
# is a unit, or whose left side is a unit or a currency, is "trên".
_PER = re.compile(rf"(?<=[^\W_]|[²³%])/({alternation(data.PER_UNITS)})(?![\w])")
_PER_LEFT = re.compile(rf"(?<![\w])({alternation(data.PER_LEFT)})/(?=[^\W\d_])")


def addresses(text: str) -> str:
    text = _ADDRESS.sub(
        lambda m: f"{m.group(1)} {cardinal(int(m.group(2)))} trên {cardinal(int(m.group(3)))}",
        text)
    text = _ROUND_THE_CLOCK.sub("hai mươi tư trên bảy", text)
    text = _PER.sub(lambda m: f" trên {data.PER_UNITS[m.group(1)]}", text)
    return _PER_LEFT.sub(lambda m: f"{m.group(1)} trên ", text)


# --- Abbreviations ------------------------------------------------------------------

_COMPANY_CP = re.compile(cue(data.COMPANY_WORDS) + r"\s+CP(?![\w])")
_PLAIN = {k: v for k, v in data.ABBREVIATIONS.items() if not k.endswith(".")}
_FOLDED = {k.lower(): v for k, v in _PLAIN.items() if len(k) >= 4}
_FOLDED_AS_MATCHED = {fold(k): v for k, v in _FOLDED.items()}  # (what `(?i:k)` matched)


def _abbrev_alternative(key: str, folded: bool = False) -> str:
    # "TP." needs something after it (TP.HCM is matched whole, being longer);
    # a plain key must end at a word boundary (not CP in CPI, not NĐ in NĐ-CP).
    tail = r"(?=\s?[\w])" if key.endswith(".") else r"(?![\w&]|-\w)"
    body = f"(?i:{re.escape(key)})" if folded else re.escape(key)
    return body + tail


_ABBREV_KEYS = sorted(data.ABBREVIATIONS, key=len, reverse=True)
_FOLDED_KEYS = sorted(_FOLDED, key=len, reverse=True)


@lru_cache(maxsize=256)
def _abbrev_pattern(exact: frozenset[str], folded: frozenset[str]) -> re.Pattern[str]:
    """The table's entries whose heads are `exact` (and, case folded,
    `folded`) as one pattern, longest first: what the whole table's pattern
    would match in a text with those heads."""
    head = Prefilter._head
    return re.compile(r"(?<![\w.&-])(?:" + "|".join(
        [_abbrev_alternative(k) for k in _ABBREV_KEYS if head(k) in exact]
        + [_abbrev_alternative(k, True) for k in _FOLDED_KEYS if fold(head(k)) in folded])
        + ")")


# A letter prefix glued to a number (QL1A, U23, F0) or a letter suffix (14E).
_PREFIXED = re.compile(r"(?<![\w.])([A-ZĐ]{1,4}|Km)(\d+)([A-Z]?)(?![\w])")
_SUFFIXED = re.compile(r"(?<![\w.,])(\d+)([A-UX-Z])(?![\w])")  # (W and V are units)
_SPACED_PREFIX = re.compile(rf"(?<![\w.])({alternation(data.NUMBER_PREFIXES)})\s+(?=\d)")


_MAY_ABBREVIATE = Prefilter(data.ABBREVIATIONS, _FOLDED)


def _after_number(m: re.Match[str]) -> bool:
    """A table entry that is also a unit, right after a number, is the unit
    ("2 TB", "110 KV", "150 HP"): the unit rules read it."""
    return m.group(0) in data.UNITS and re.search(r"\d\s?$", m.string[:m.start()]) is not None


def _abbrev(m: re.Match[str]) -> str:
    key = m.group(0)
    if _after_number(m):
        return key
    spoken = data.ABBREVIATIONS.get(key) or _FOLDED_AS_MATCHED.get(fold(key))
    if not spoken:
        return key
    head, _, rest = spoken.partition(" ")
    first = key.split(" ", 1)[0]
    if rest and head.lower() == first.lower():
        spoken = f"{first} {rest}"  # "Bộ GD&ĐT" -> "Bộ giáo dục…", as written
    return spoken + " " if key.endswith(".") else spoken


# A vehicle plate: 30A-123.45, 51F-987.65, 29LD-012.34.
_PLATE = re.compile(r"(?<![\w.-])(\d{2})([A-ZĐ]{1,2}\d?)-(\d{3})\.?(\d{2})(?![\w.])")
# A model with a decimal: PM2.5.
_PREFIXED_DECIMAL = re.compile(r"(?<![\w.])([A-Z]{1,4})(\d+)\.(\d)(?![\w.])")


def _prefixed(m: re.Match[str]) -> str:
    if m.group(0) in data.ABBREVIATIONS:  # VN30, HNX30, U23 as the table reads them
        return data.ABBREVIATIONS[m.group(0)]
    prefix, num, letter = m.groups()
    head = data.NUMBER_PREFIXES.get(prefix) or _PLAIN.get(prefix) or data.spell(prefix)
    tail = f" {data.spell(letter)}" if letter else ""
    return f"{head} {number(num)}{tail}"


# Initials of a person's name: "ông Nguyễn Văn A.", "bà L.T.H.", "anh T. cho biết".
_NAME_TITLES = ("ông", "bà", "anh", "chị", "em", "cháu", "bé", "cô", "chú", "cụ", "bác",
                "vợ", "chồng", "bị cáo", "bị can", "đối tượng", "nghi phạm", "nạn nhân",
                "bệnh nhân", "bệnh nhi", "sản phụ", "tài xế", "thí sinh", "học sinh",
                "sinh viên", "nữ sinh", "nam sinh", "giáo viên", "thầy", "cô giáo", "gia đình",
                "chủ hộ", "người dân", "công nhân", "lao động", "tên", "nhân viên", "họ")
_INITIALS = re.compile(
    rf"((?<![\w])(?:[{data.UPPER}][^\W\d_]*|{alternation(_NAME_TITLES)})\s+)"
    r"((?:[A-ZĐ]\.){1,4})(?=\s|$|[,;:)\]])")


def _initials(m: re.Match[str]) -> str:
    letters = data.spell(m.group(2).replace(".", ""))
    following = m.string[m.end():m.end() + 3].lstrip()
    end = "." if not following or following[:1].isupper() else ""  # a real sentence end
    return f"{m.group(1)}{letters}{end}"


# An initial before a lowercase word is an initial whatever precedes it ("của T. là").
_INITIALS_BEFORE_LOWER = re.compile(r"(?<![\w.])((?:[A-ZĐ]\.){1,4})(?=\s+[a-zđà-ỹ])")


# Two or more capitals, each with its dot, are a person's initials ("Ảnh:
# Q.V.", "L.T.H."), never a place prefix: Q., P., H., X. (quận, phường,
# huyện, xã) come before a name or a number, not before another initial.
_INITIALS_RUN = re.compile(r"(?<![\w.])((?:[A-ZĐ]\.){1,3}[A-ZĐ])(\.?)(?![\w])")
# In a photo credit, a capital with a dot before a name is that person's
# initial ("Ảnh: Q.Anh", "Đồ họa: T. Hà"), not a place prefix.
_CREDIT_INITIAL = re.compile(
    r"((?<![\w])(?i:ảnh|ảnh minh họa|ảnh minh hoạ|nguồn ảnh|nguồn|đồ họa|đồ hoạ|video|clip|"
    r"thiết kế|bài và ảnh|bài, ảnh|thực hiện)\s*:\s*)([A-ZĐ])\.\s?(?=[A-ZĐ][^\W\d_])")


def _initials_run(m: re.Match[str]) -> str:
    letters = data.spell(m.group(1).replace(".", ""))
    following = m.string[m.end():m.end() + 3].lstrip()
    end = m.group(2) if not following or following[:1].isupper() else ""
    return letters + end


def initials(text: str) -> str:
    text = _CREDIT_INITIAL.sub(lambda m: f"{m.group(1)}{data.spell(m.group(2))} ", text)
    text = _INITIALS.sub(_initials, text)
    text = _INITIALS_RUN.sub(_initials_run, text)
    return _INITIALS_BEFORE_LOWER.sub(lambda m: data.spell(m.group(1).replace(".", "")), text)


# "Quỹ Tiền tệ Quốc tế (IMF)": an acronym in parentheses right after the words
# it stands for is not read a second time (a place like "(TP.HCM)" is).
_DEFINED = re.compile(
    r"(?<=[^\W_])\s*\(([A-ZĐ][A-ZĐa-z0-9&\-]*[A-ZĐa-z0-9])(?:\s+[IVX]+)?\)(?=\W|$)")


def _defined(m: re.Match[str]) -> str:
    """An acronym or a code (two capitals, or a capital and digits: "IMF",
    "HoSE", "PC02"); a word in parentheses ("(Nga)", "(Liverpool)") is read."""
    alias = m.group(1)
    capitals = sum(c.isupper() for c in alias)
    if capitals >= 2 or (capitals and any(c.isdigit() for c in alias)):
        return ""
    return m.group(0)


def definitions(text: str) -> str:
    return _DEFINED.sub(_defined, text)


_TITLES = {k.rstrip("."): v for k, v in data.ABBREVIATIONS.items()
           if k.rstrip(".") in ("GS", "PGS", "TS", "ThS", "BS", "KS", "LS", "TSKH", "CN", "DS",
                                "BSCKI", "BSCKII", "CKI", "CKII", "NSND", "NSƯT", "NGƯT",
                                "KTS", "ĐD", "NCS", "TTND", "TTƯT", "BS.CKI", "BS.CKII")}
_JOINED_TITLES = re.compile(
    rf"(?<![\w.-])((?:{alternation(_TITLES)})(?:[.-](?:{alternation(_TITLES)}))+)\.?(?![\w])")


def _joined_titles(m: re.Match[str]) -> str:
    parts = re.findall(alternation(_TITLES), m.group(1))
    return " ".join(_TITLES[p] for p in parts)


def abbreviations(text: str) -> str:
    text = _JOINED_TITLES.sub(_joined_titles, text)
    text = _COMPANY_CP.sub(lambda m: f"{m.group(1)} cổ phần", text)
    text = _PLATE.sub(lambda m: f"{cardinal(int(m.group(1)))} {data.spell(m.group(2))} "
                                f"{digits(m.group(3))} {digits(m.group(4))}", text)
    text = _PREFIXED_DECIMAL.sub(
        lambda m: f"{_PLAIN.get(m.group(1)) or data.spell(m.group(1))} {number(m.group(2))} "
                  f"chấm {digits(m.group(3))}", text)
    text = _PREFIXED.sub(_prefixed, text)
    text = _SPACED_PREFIX.sub(lambda m: data.NUMBER_PREFIXES[m.group(1)] + " ", text)
    text = _SUFFIXED.sub(lambda m: f"{number(m.group(1))} {data.spell(m.group(2))}", text)
    exact, folded = _MAY_ABBREVIATE.heads(text)
    if exact or folded:
        text = _abbrev_pattern(exact, folded).sub(_abbrev, text)
    return re.sub(r"  +", " ", text)


# --- Foreign words and brands ------------------------------------------------------

_FOREIGN_KEYS = sorted([(k, False) for k in data.FOREIGN_EXACT]
                       + [(k, True) for k in data.FOREIGN_FOLDED], key=lambda e: -len(e[0]))


@lru_cache(maxsize=256)
def _foreign_pattern(exact: frozenset[str], folded: frozenset[str]) -> re.Pattern[str]:
    """The lexicon's entries whose heads are in the text (see Prefilter), as
    one pattern, longest entry first."""
    head = Prefilter._head
    keys = [(k, f) for k, f in _FOREIGN_KEYS
            if (fold(head(k)) in folded if f else head(k) in exact)]
    return re.compile(
        r"(?<![\w@./-])(?:"
        + "|".join(f"(?i:{re.escape(k)})" if f else re.escape(k) for k, f in keys)
        + r")(?![\w@]|[.-]\w)")


_MAY_BE_FOREIGN = Prefilter(data.FOREIGN_EXACT, data.FOREIGN_FOLDED)
_FOREIGN_AS_MATCHED = {fold(k): v for k, v in data.FOREIGN_FOLDED.items()}


def foreign_words(text: str) -> str:
    exact, folded = _MAY_BE_FOREIGN.heads(text)
    if not (exact or folded):
        return text
    return _foreign_pattern(exact, folded).sub(_foreign, text)


def _foreign(m: re.Match[str]) -> str:
    written = m.group(0)
    spoken = data.FOREIGN_EXACT.get(written) or _FOREIGN_AS_MATCHED.get(fold(written))
    if not spoken or _after_number(m):
        return written
    # a capital stays a capital (the voice hears a sentence start or a name)
    return spoken[:1].upper() + spoken[1:] if written[:1].isupper() else spoken
