"""What each line of an article is: lead, body, caption, byline, or page chrome.

A copy from a CMS or a web page mixes the article with things a listener
should not hear. Each is dropped by a named rule, and every dropped line is
kept (as a `Part` of kind DROPPED) so that the narration script can show it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ArticleError

LEAD, BODY, CAPTION, BYLINE, DROPPED = "lead", "body", "caption", "byline", "dropped"

_TERMINAL = re.compile(r"[.!?…:;\"”’')\]]\s*$")
_FOLD = re.compile(r"[\W_]+")

# Rules that drop a whole line, by name. Matched case-insensitively on the line.
LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE)) for name, pattern in (
        ("footer", r"^(phiên bản (di động|mobile|đầy đủ|desktop)|lên đầu trang|về trang chủ|"
                   r"trở về đầu trang|quay lại)\W*$"),
        ("follow-us", r"^(theo dõi|follow|mời (bạn|quý vị) (đọc )?theo dõi|hãy theo dõi)\b.{0,80}"
                      r"\b(trên|tại|qua)\b.{0,40}$"),
        ("share-comment", r"^(bình luận|chia sẻ|thích|share|like|tweet|gửi bình luận|"
                          r"viết bình luận|ý kiến bạn đọc|in bài|gửi bài|lưu bài|báo lỗi|"
                          r"gửi góp ý|bình chọn|sao chép liên kết|copy link)\b[\s\d()\[\].:,]*$"),
        ("copyright", r"^(©|\(c\)|bản quyền|copyright)"),
        ("tags", r"^(tags?|từ khóa|từ khoá|chủ đề|chuyên mục)\s*:"),
        ("photo-credit", r"^\(?\s*(ảnh|ảnh minh họa|ảnh minh hoạ|nguồn ảnh|photo|video|clip|"
                         r"đồ họa|đồ hoạ|infographic)\s*(:.{0,60})?\)?\s*$"),
        ("read-more", r"^(>>|»|xem thêm|đọc thêm|xem tiếp|tin tức liên quan)\s*:?.{0,200}$"),
    ))
_RELATED_HEADER = re.compile(
    r"^(tin liên quan|bài liên quan|tin cùng chuyên mục|có thể bạn quan tâm|tin khác|"
    r"tin mới|tin nổi bật|bài viết liên quan|đọc nhiều|tin đọc nhiều|xem nhiều)\s*:?\s*$",
    re.IGNORECASE)
# "(Ảnh: Hoàng Sơn)" at the end of a caption, or "… hôm 15/3. Ảnh: Thanh Hà":
# the credit is not read.
_TRAILING_CREDIT = re.compile(
    r"\s*(?:[(\[]\s*(?:ảnh|nguồn|photo|ảnh minh họa|ảnh minh hoạ)\s*:?[^()\[\]]{0,60}[)\]]"
    r"|(?<=[.!?…])\s*(?:ảnh|nguồn ảnh|photo)\s*:[^.!?]{1,60})\s*$",
    re.IGNORECASE)
_BYLINE_WORD = re.compile(r"^[A-ZĐÀ-Ỹ][\wÀ-ỹ.]*$")


@dataclass(frozen=True)
class Part:
    kind: str  # lead, body, caption, byline or dropped
    text: str
    rule: str = ""  # which rule dropped it


def chrome_rule(line: str) -> str | None:
    """The name of the rule that leaves `line` out of the narration, if any."""
    if _RELATED_HEADER.match(line):
        return "related-headlines"
    for name, pattern in LINE_RULES:
        if pattern.match(line):
            return name
    return None


def split_credit(caption: str) -> tuple[str, str]:
    """A caption without its photo credit, and the credit ('' if none)."""
    credit = _TRAILING_CREDIT.search(caption)
    if not credit:
        return caption, ""
    return caption[:credit.start()].strip(), caption[credit.start():].strip()


def fold(text: str) -> str:
    """For comparing lines: case, punctuation and spacing ignored."""
    return _FOLD.sub(" ", text.casefold()).strip()


def _ends_sentence(line: str) -> bool:
    return bool(_TERMINAL.search(line))


def _is_byline(line: str) -> bool:
    """Names: up to ~6 capitalized words, maybe joined by '-', ',' or 'và'."""
    if _ends_sentence(line) and not line.endswith("."):
        return False
    words = [w for w in re.split(r"[\s,\-–]+", line.rstrip(".")) if w and w != "và"]
    return 0 < len(words) <= 6 and all(_BYLINE_WORD.match(w) for w in words)


def _paragraphs(lines: list[str]) -> list[list[str]]:
    """Blocks of non-blank lines; a line that does not end a sentence and is
    followed by one starting in lowercase is a hard wrap, joined to it."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines + [""]:
        if not line:
            if current:
                blocks.append(current)
            current = []
        elif current and not _ends_sentence(current[-1]) and line[:1].islower():
            current[-1] = f"{current[-1]} {line}"
        else:
            current.append(line)
    return blocks


def classify(title: str, lines: list[str]) -> tuple[Part, ...]:
    """The parts of an article's text after its title, in order."""
    parts: list[Part] = []
    title_key = fold(title)
    for block in _paragraphs(lines):
        in_related = False
        caption_next = False
        for line in block:
            part = None
            if in_related:
                part = Part(DROPPED, line, "related-headlines")
            elif _RELATED_HEADER.match(line):
                in_related = True
                part = Part(DROPPED, line, "related-headlines")
            elif title_key and fold(line) == title_key:
                part = Part(DROPPED, line, "repeated-title")
                caption_next = True  # an image's alt text: its caption follows
                parts.append(part)
                continue
            else:
                rule = chrome_rule(line)
                if rule:
                    part = Part(DROPPED, line, rule)
            if part is None:
                caption, credit = split_credit(line)
                if credit:
                    if caption:
                        parts.append(Part(CAPTION, caption))
                    part = Part(DROPPED, credit, "photo-credit")
                elif caption_next:
                    part = Part(CAPTION, line)
                elif len(block) > 1 and not _ends_sentence(line) and len(line.split()) >= 8:
                    # Headlines of other articles glued to the text: no final
                    # punctuation, sharing a block with real paragraphs.
                    part = Part(DROPPED, line, "related-headlines")
                else:
                    part = Part(BODY, line)
            caption_next = False
            parts.append(part)
    return _assign_lead_and_byline(parts)


def _assign_lead_and_byline(parts: list[Part]) -> tuple[Part, ...]:
    text = [i for i, p in enumerate(parts) if p.kind == BODY]
    if not text:
        raise ArticleError("the article has a title but no text to read")
    if len(text) > 1 and _is_byline(parts[text[-1]].text):
        parts[text[-1]] = Part(BYLINE, parts[text[-1]].text)
    parts[text[0]] = Part(LEAD, parts[text[0]].text)
    return tuple(parts)
