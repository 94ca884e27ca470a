"""What each line of an article is: lead, body, caption, byline, or page chrome.

A copy from a CMS or a web page mixes the article with things a listener
should not hear. Each is dropped by a named rule, and every dropped line is
kept (as a `Part` of kind DROPPED) so that the narration script can show it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ArticleError
from .chars import UPPER
from .outlets import DATELINES

LEAD, BODY, CAPTION, BYLINE, DROPPED = "lead", "body", "caption", "byline", "dropped"

_TERMINAL = re.compile(r"[.!?…:;\"”’')\]]\s*$")
_FOLD = re.compile(r"[\W_]+")

# Rules that drop a whole line, by name. Matched case-insensitively on the line.
_MARKER = r"^[*•+\->»–—]*\s*"  # list markers before a related link: "* Xem thêm", ">> Đọc thêm"
_CREDIT_WORDS = (r"ảnh|ảnh minh họa|ảnh minh hoạ|ảnh chụp màn hình|nguồn ảnh|nguồn|photo|"
                 r"đồ họa|đồ hoạ|infographic|thiết kế|video|clip|tranh")
LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern, re.IGNORECASE)) for name, pattern in (
        ("footer", r"^(phiên bản (di động|mobile|đầy đủ|desktop)|lên đầu trang|về trang chủ|"
                   r"trở về đầu trang|quay lại|tin mới nhất|đọc nhiều nhất|xem nhiều nhất|"
                   r"trở lại trang trước|in trang|đầu trang|"
                   # a link back to a section of the site: "Trở lại Thể thao"
                   rf"(trở lại|quay lại|xem tất cả)\s+(trang\s+|mục\s+)?(?-i:[{UPPER}])\w*(\s\w+){{0,2}}\s*»?)\W*$"),
        ("follow-us", r"^((theo dõi|follow|mời (bạn|quý vị) (đọc )?theo dõi|hãy theo dõi|"
                      r"nhấn theo dõi)\b.{0,80}\b(trên|tại|qua|kênh|fanpage)\b.{0,40}"
                      r"|(đăng ký|subscribe)\b.{0,60}\b(kênh|fanpage|google news|youtube|zalo|"
                      r"facebook|tiktok)\b.{0,40})$"),
        ("share-comment", r"^(bình luận|chia sẻ|thích|share|like|tweet|gửi bình luận|"
                          r"viết bình luận|ý kiến bạn đọc|ý kiến|in bài|gửi bài|lưu bài|báo lỗi|"
                          r"gửi góp ý|bình chọn|sao chép liên kết|copy link|lưu|quan tâm|"
                          r"copy link thành công|đã sao chép|đã lưu|"
                          r"gửi email|đánh giá)\b(\s+(bài viết|bài|ngay|trang|lên \w+|qua \w+|"
                          r"với bạn bè|facebook|zalo))?[\s\d()\[\].:,]*$"),
        ("copyright", r"^(©|\(c\)|bản quyền|copyright|ghi rõ nguồn|cấm sao chép)"),
        ("tags", r"^((tags?|từ khóa|từ khoá|chủ đề|chuyên mục|xem theo chủ đề)\s*:|#\w+(\s+#\w+)*\s*$)"),
        ("video", r"^[(\[]?\s*(video|clip|xem video|xem clip|audio|podcast)\s*[:|-].{0,200}$"),
        ("photo-credit", rf"^[(\[]?\s*({_CREDIT_WORDS})\s*(:.{{0,60}})?[)\]]?\s*$"),
        ("read-more", _MARKER + r"(>>|»|(xem thêm|đọc thêm|xem tiếp|đọc tiếp|tin tức liên quan|"
                      r"bài liên quan|tin liên quan|link bài gốc|đọc bài gốc|xem chi tiết|"
                      r"mời xem|xem ngay|xem toàn bộ|click xem)\b)\s*[:>»]?.{0,200}$"),
        ("call-to-action", r"^(xem(?! xét)|tra cứu|đọc|nhấn|bấm|click|mời|đăng ký|tải|nghe|"
                           r"truy cập|tìm hiểu)\b.{0,150}\b(tại đây|ở đây|tại link|theo link|"
                           r"vào đây)[\s:>»]*$"),
        ("series-mark", r"^\(?\s*(còn nữa|còn tiếp|hết|kỳ tới|kỳ sau|\*)\s*\)?\s*[.:]?\s*$"),
    ))
_RELATED_HEADER = re.compile(
    r"^[*•+\->»–—]*\s*(tin liên quan|bài liên quan|tin cùng chuyên mục|có thể bạn quan tâm|tin khác|"
    r"tin mới|tin nổi bật|bài viết liên quan|đọc nhiều|tin đọc nhiều|xem nhiều|xem thêm|"
    r"đọc thêm|tin tức liên quan|cùng chuyên mục|bạn có thể quan tâm|tin xem nhiều)"
    r"\s*[:>»]?\s*$",
    re.IGNORECASE)
# A line crediting an outlet or an agency: "Theo TTXVN", "Nguồn: Reuters, AFP"
# (names only: "Theo VnExpress, giá vàng tăng" is a sentence).
_SOURCE_LINE = re.compile(
    rf"^\(?\s*(?i:theo|nguồn)\s*:?\s+[{UPPER}][\w.+&/-]*"
    rf"(?:[\s,]+(?:[{UPPER}0-9][\w.+&/-]*|và))*\)?\s*$")
# The outlet's mark before the first paragraph: "(Dân trí) -", "TTO -",
# "VOV.VN -", "(PLO)-", or a wire-style place in capitals "HÀ NỘI -".
DATELINE = re.compile(
    r"^(?:\([^()]{2,30}\)|[A-ZĐ][A-ZĐ0-9+&]{1,9}(?:\.[A-Za-z]{2,4})?(?:\s[A-Z][a-z]+)?(?=\s+[-–—|])"
    rf"|[{UPPER}]{{2,}}(?:\s[{UPPER}]{{2,}}){{0,2}}(?=\s+[-–—|]))\s*[-–—|]\s*(?=\S)")
# The outlets' own marks (outlets.py), for those the shape misses ("Zing -").
_KNOWN_DATELINE = re.compile(
    "^(?:" + "|".join(re.escape(d) for d in sorted(DATELINES, key=len, reverse=True))
    + r")\s*(?=\S)")
_NAME_PAIR = re.compile(rf"^(?:[{UPPER}][{UPPER}0-9]+\b|(?:\S+\s+){{0,3}}\S+:)")
DATELINE_PARAGRAPHS = 3  # only the first few paragraphs can carry it
# "(Ảnh: Hoàng Sơn)" at the end of a caption, "… hôm 15/3. Ảnh: Thanh Hà",
# "… trên sông - Ảnh: TTXVN", "… ngày 2/9. Ảnh minh họa": the credit is not read.
_CREDIT_VALUE = r"(?:[^.!?()\[\]]|\.(?!\s+\S{3}))"
_TRAILING_CREDIT = re.compile(
    rf"\s*(?:[(\[]\s*(?:{_CREDIT_WORDS})\s*(?::[^()\[\]]{{0,60}})?[)\]]"
    rf"|\s[-–—|]\s*(?:{_CREDIT_WORDS})\s*:{_CREDIT_VALUE}{{1,60}}"
    rf"|(?<=[.!?…\"”])\s*(?:{_CREDIT_WORDS})\s*(?::{_CREDIT_VALUE}{{1,60}})?"
    # no punctuation before it, but a name after it: "… buổi sáng ẢNH: ĐÀO NGỌC THẠCH"
    rf"|\s(?:{_CREDIT_WORDS})\s*:\s*(?-i:[{UPPER}0-9]\S*(?:\s+[{UPPER}0-9]\S*){{0,4}}))\s*[.]?\s*$",
    re.IGNORECASE)
_BYLINE_WORD = re.compile(rf"^[{UPPER}][\w.]*$")


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
    if _SOURCE_LINE.match(line) and len(line.split()) <= 8:
        return "source-credit"
    return None


def split_dateline(paragraph: str) -> tuple[str, str]:
    """The outlet's dateline mark at the start of a paragraph ('' if none),
    and the rest."""
    m = _KNOWN_DATELINE.match(paragraph)
    if not m:
        m = DATELINE.match(paragraph)
        if m and _NAME_PAIR.match(paragraph[m.end():]):
            m = None  # "HAGL - SLNA: …" is a pair of names, not a dateline
    if not m:
        return "", paragraph
    return paragraph[:m.end()].strip(), paragraph[m.end():]


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
    in_related = False  # under a "TIN LIÊN QUAN" or "Xem thêm:" header
    for block in _paragraphs(lines):
        caption_next = False
        for line in block:
            part = None
            in_related = in_related and _headline_like(line) and not _is_byline(line)
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
    return _assign_lead_and_byline(_drop_headline_runs(drop_datelines(parts)))


def drop_datelines(parts: list[Part]) -> list[Part]:
    """The outlet's mark before one of the first paragraphs is not read."""
    out: list[Part] = []
    seen = 0
    for part in parts:
        if part.kind == BODY and seen < DATELINE_PARAGRAPHS:
            seen += 1
            mark, rest = split_dateline(part.text)
            if mark:
                out.append(Part(DROPPED, mark, "dateline"))
                part = Part(BODY, rest)
        out.append(part)
    return out


def _headline_like(text: str) -> bool:
    """A line that reads as a headline: short, no sentence inside it, and no
    final full stop (a question mark or a quotation may end it)."""
    words = len(text.split())
    return 0 < words <= 30 and re.search(r"[.!…;]\s+\S", text) is None \
        and not re.search(r"[.!…:;,][\"”’')\]]*$", text)


# A headline of the "Topic: claim" kind ("Giá vàng hôm nay 13-10: Vàng nhẫn
# tăng…"), alone between paragraphs: a crosshead does not take that form. A
# speaker's line ("PV: …", "Ông Hùng: …") is not one.
_CLAIM_HEADLINE = re.compile(r"^(?:\S+\s+){0,7}\S+:\s+(?:\S+\s+){4,}\S+$")
_SPEAKER = re.compile(r"^(?i:pv|phóng viên|ông|bà|anh|chị|em|cô|chú|thầy|bác sĩ|bs|"
                      r"luật sư|ls|hỏi|đáp|trả lời|[A-ZĐ]{1,3})\b[^:]{0,30}:")


def _drop_headline_runs(parts: list[Part]) -> list[Part]:
    """Headlines of other articles between the paragraphs: two or more
    headline-like lines in a row (one alone is a crosshead, and is read), or
    one next to a dropped related headline."""
    out = list(parts)
    candidate = [p.kind == BODY and _headline_like(p.text) and len(p.text.split()) >= 5
                 and not _is_byline(p.text) and not _SPEAKER.match(p.text)
                 and not p.text.startswith(("-", "–", "+", "*")) for p in out]
    # a line ending in ? or a quotation does not start a run (an interview's
    # question, a quote); it joins one that a plain headline started
    seed = [c and not re.search(r"[?\"”’']$", p.text) for c, p in zip(candidate, out)]
    for i, part in enumerate(out):
        if not seed[i]:
            continue
        in_run = (i > 0 and candidate[i - 1]) or (i + 1 < len(out) and candidate[i + 1])
        if in_run or _CLAIM_HEADLINE.match(part.text):
            out[i] = Part(DROPPED, part.text, "related-headlines")
    changed = True
    while changed:  # and those glued to one that was dropped
        changed = False
        for i, part in enumerate(out):
            if part.kind != BODY or not candidate[i]:
                continue
            neighbours = out[max(i - 1, 0):i] + out[i + 1:i + 2]
            if any(n.kind == DROPPED and n.rule == "related-headlines" for n in neighbours):
                out[i] = Part(DROPPED, part.text, "related-headlines")
                changed = True
    return out


def _assign_lead_and_byline(parts: list[Part]) -> tuple[Part, ...]:
    text = [i for i, p in enumerate(parts) if p.kind == BODY]
    if not text:
        raise ArticleError("the article has a title but no text to read")
    if len(text) > 1:
        last = parts[text[-1]].text
        name, _, outlet = last.partition("/")
        if outlet and 0 < len(outlet.split()) <= 3 and _is_byline(name.strip()):
            # "Thu Hằng/VOV-Manila": the author is read, the outlet is not
            parts[text[-1]:text[-1] + 1] = [Part(BYLINE, name.strip()),
                                            Part(DROPPED, "/" + outlet.strip(), "byline-outlet")]
        elif _is_byline(last):
            parts[text[-1]] = Part(BYLINE, last)
    parts[text[0]] = Part(LEAD, parts[text[0]].text)
    return tuple(parts)
