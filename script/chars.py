"""The characters web and CMS copies are full of, in one table each: the
article reader (`article.clean_text`) and the normalizer's Unicode repair
(`normalizer.rules.unicode_cleanup`) both take them from here; and the
capital letters, for the reader's and the normalizer's patterns."""
import re

# Soft hyphen, zero-width space/joiners, word joiner, byte-order mark.
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# Spaces other than the plain one (tab, no-break, en/em/thin..., narrow
# no-break, medium mathematical, ideographic), as a regex character class body.
OTHER_SPACES = "\t\u00a0\u2000-\u200a\u202f\u205f\u3000"
# Capital letters, for regex classes ("À-Ỹ" would be a range that takes in
# the lowercase letters between them).
UPPER = ("A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰ"
         "ỲÝỶỸỴ")

# What no published text may carry, as a regex character class body: the C0
# controls but tab, newline and return (XML 1.0 cannot hold them, a terminal
# obeys them), DEL and the C1 controls, the bidi marks, embeddings, overrides
# and isolates (they turn a listing's or a tag's text around), lone surrogates
# (UTF-8 cannot encode them) and the two non-characters XML refuses.
UNSAFE = ("\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
          "\u2066-\u2069\ud800-\udfff\ufffe\uffff")
_UNSAFE = re.compile(f"[{UNSAFE}]")


def without_unsafe(text: str) -> str:
    """`text` without the UNSAFE characters."""
    return _UNSAFE.sub("", text)


def unsafe_in(text: str) -> str | None:
    """The first UNSAFE character in `text`, or None."""
    m = _UNSAFE.search(text)
    return m.group() if m else None


def escape_unsafe(text: str) -> str:
    """`text` with each UNSAFE character written as its escape (U+202E as
    `\\u202e`; a file name's undecodable byte 0xFF, which Python holds as the
    lone surrogate U+DCFF, as `\\udcff`): for names that must stay distinct."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
