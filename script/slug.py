"""File names from titles: Vietnamese diacritics folded, nothing but [a-z0-9-]."""
from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
MAX_SLUG = 80


def slugify(title: str, fallback: str = "edition") -> str:
    """'Phó Thủ tướng: Các lực lượng…' -> 'pho-thu-tuong-cac-luc-luong'.

    đ/Đ have no decomposition in Unicode, so they are mapped by hand before the
    combining marks are stripped. The result never contains a path separator
    or a dot, so it is safe to join to an output directory.
    """
    text = unicodedata.normalize("NFC", title).replace("đ", "d").replace("Đ", "D")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    slug = _NON_ALNUM.sub("-", text).strip("-")
    if len(slug) > MAX_SLUG:
        # cut at a word, and end with a short hash of the whole: two titles
        # that differ only after the cut still get different names, run after run
        tag = hashlib.sha256(slug.encode("ascii")).hexdigest()[:6]
        head = slug[:MAX_SLUG - len(tag) - 1]
        slug = f"{head.rsplit('-', 1)[0] or head}-{tag}"
    return slug or fallback
