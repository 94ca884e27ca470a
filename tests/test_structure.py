"""Structure and cleaning: what is read, what is left out and by which rule."""
from __future__ import annotations

import pytest

from script import make_script, normalize, parse_article, read_article
from tests.conftest import ROOT, shared_file

FIXTURE = ROOT / "tests" / "fixtures" / "ban-tin-giao-thong.txt"


def kinds(article):
    return [(p.kind, p.rule) for p in article.parts]


def test_shared_article_with_glued_headlines_repeated_title_and_footer():
    article = read_article(shared_file("articles/pho-thu-tuong-giu-minh.txt"))
    dropped = {p.rule: p.text for p in article.dropped}
    assert set(dropped) == {"related-headlines", "repeated-title", "footer"}
    assert dropped["footer"] == "Phiên bản di động"
    assert dropped["repeated-title"] == article.title
    assert dropped["related-headlines"].startswith("Thủ tướng:")
    assert article.captions == (
        next(p.text for p in article.parts if p.kind == "caption"),)
    assert article.captions[0].startswith("Phó Thủ tướng Trần Lưu Quang - Trưởng Ban")
    assert article.byline == "Hậu Lộc"
    assert article.parts[-2].kind == "byline"  # read at the end, before the dropped footer
    assert article.lead.startswith("Phó Thủ tướng Trần Lưu Quang nhấn mạnh")


def test_shared_article_with_follow_us_credit_related_block_and_share_lines():
    article = read_article(shared_file("articles/mien-trung-mua-lon.txt"))
    rules = [p.rule for p in article.dropped]
    assert rules == ["follow-us", "photo-credit", "related-headlines", "related-headlines",
                     "related-headlines", "share-comment", "share-comment"]
    assert article.captions[0].endswith("lên nơi cao.")  # the credit is not read
    assert article.byline == "Minh Tâm - Hoàng Sơn"
    spoken = " ".join(s.text for s in make_script(article, 100, normalize).segments)
    for chrome in ("Google News", "Ảnh:", "TIN LIÊN QUAN", "Bình luận", "Chia sẻ"):
        assert chrome not in spoken


def test_every_line_is_read_or_dropped_by_a_named_rule():
    """Nothing disappears silently: every non-blank line is in some part."""
    text = FIXTURE.read_text(encoding="utf-8")
    article = parse_article(text)
    seen = " ".join([article.title] + [p.text for p in article.parts])
    for line in text.splitlines():
        for word in line.split():
            assert word.strip("()") in seen, word
    assert all(p.rule for p in article.dropped)


@pytest.mark.parametrize("line, rule", [
    ("Phiên bản di động", "footer"),
    ("Theo dõi Báo Mới trên Google News", "follow-us"),
    ("Bình luận (3)", "share-comment"),
    ("Chia sẻ", "share-comment"),
    ("© Bản quyền thuộc về báo", "copyright"),
    ("Từ khóa: giao thông, cầu vượt", "tags"),
    ("Ảnh: Minh Hoàng", "photo-credit"),
    ("Xem thêm: Giá xăng giảm mạnh", "read-more"),
])
def test_chrome_rules(line, rule):
    article = parse_article(f"Tiêu đề bài\n\nĐoạn mở đầu.\n\n{line}\n\nĐoạn thân bài.")
    assert [(p.rule, p.text) for p in article.dropped] == [(rule, line)]
    assert article.body == ("Đoạn thân bài.",)


def test_a_crosshead_on_its_own_is_read():
    article = parse_article("Tiêu đề\n\nMở đầu.\n\nNhiều hộ dân vẫn chưa có điện sinh hoạt "
                            "ổn định trong mùa mưa bão\n\nNội dung.")
    assert article.dropped == ()
    assert len(article.body) == 2


def test_hard_wrapped_lines_are_one_paragraph():
    article = parse_article("Tiêu đề\n\nĐây là đoạn mở đầu bị ngắt\ndòng giữa câu.\n\nThân.")
    assert article.lead == "Đây là đoạn mở đầu bị ngắt dòng giữa câu."


def test_dropped_lines_are_notes_where_they_were():
    script = make_script(read_article(FIXTURE), 100, normalize)
    rules = [n.rule for n in script.notes]
    assert rules == ["related-headlines", "follow-us", "repeated-title", "photo-credit",
                     "related-headlines", "related-headlines", "related-headlines",
                     "share-comment", "share-comment", "footer"]
    assert script.notes[-1].at == len(script.segments)
    assert script.meta_value("byline") == "Ngọc Lan - Quang Huy"
    assert [s.kind.value for s in script.sections] == [
        "title", "lead", "body", "caption", "body", "byline"]


def test_a_web_pages_chrome_paragraphs_are_dropped_by_the_same_named_rules():
    """Chrome inside the article's own <p>s (where trafilatura keeps it) is
    dropped by the rule that drops it in text, and kept as a note."""
    from script.read import parse_html

    chrome = {"Theo dõi Báo Mới trên Google News": "follow-us",
              "Bình luận (3)": "share-comment",
              "Từ khóa: giao thông, cầu vượt": "tags",
              "© Bản quyền thuộc về báo": "copyright"}
    body = "".join(f"<p>{text}</p>" for text in
                   ["Câu mở đầu của bài báo này dài đủ để là một đoạn văn thật sự.",
                    *chrome, "Đoạn thân bài thứ hai cũng là văn bản thật của bài báo."])
    page = (f"<html><head><title>Tiêu đề bài</title></head><body><article>"
            f"<h1>Tiêu đề bài</h1>{body}</article></body></html>")
    article = parse_html(page)
    assert {p.text: p.rule for p in article.dropped} == chrome
    assert article.lead.startswith("Câu mở đầu") and len(article.body) == 1


def test_lines_under_a_related_header_are_dropped_until_the_article_resumes():
    text = ("Tiêu đề\n\nMở đầu của bài.\n\nTIN LIÊN QUAN\n"
            "Giá lúa tăng nhẹ đầu vụ mới ở miền Tây\n"
            "Nông dân phấn khởi vì được mùa được giá\n\n"
            "Thân bài tiếp tục, với một câu trọn vẹn có dấu chấm.")
    article = parse_article(text)
    assert [(p.rule, p.text[:12]) for p in article.dropped] == [
        ("related-headlines", "TIN LIÊN QUA"), ("related-headlines", "Giá lúa tăng"),
        ("related-headlines", "Nông dân phấ")]
    assert article.body == ("Thân bài tiếp tục, với một câu trọn vẹn có dấu chấm.",)
