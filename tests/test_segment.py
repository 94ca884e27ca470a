"""The text side: reading, slugs and segmentation (with property tests)."""
from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from script import (ArticleError, Pause, make_script, normalize, parse_article,
                    segment_paragraph, slugify)


@pytest.mark.parametrize("title, slug", [
    ("Phó Thủ tướng: Các lực lượng phải biết giữ mình", "pho-thu-tuong-cac-luc-luong-phai-biet-giu-minh"),
    ("Đà Nẵng đón 3.000 du khách", "da-nang-don-3-000-du-khach"),
    ("ĐỒNG BẰNG SÔNG CỬU LONG", "dong-bang-song-cuu-long"),
    ("../../etc/passwd", "etc-passwd"),
    ("", "edition"),
    ("!!!", "edition"),
])
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_long_titles_that_differ_only_after_the_cut_get_different_names():
    """Regression: names were cut at 80 characters, so separate builds of two
    such titles overwrote each other (20 builds left 17 MP3s)."""
    base = "Bộ Giao thông vận tải công bố kế hoạch đầu tư hạ tầng giai đoạn 2026 đến 2030 cho "
    titles = [base + place for place in ("Hà Nội", "Huế", "Đà Nẵng", "Cần Thơ", "Hải Phòng")
              ] + [base + f"tỉnh số {n}" for n in range(15)]
    names = [slugify(t) for t in titles]
    assert len(set(names)) == len(titles)
    assert all(len(n) <= 80 and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", n) for n in names)
    assert names == [slugify(t) for t in titles]  # the same name run after run
    assert slugify("a" * 300).startswith("a" * 70) and len(slugify("a" * 300)) == 80


def test_parse_article_nfc_title_lead_body():
    nfd = unicodedata.normalize("NFD", "Tiêu đề\r\n\r\nĐoạn mở đầu\r\nvẫn tiếp.\r\n\r\nThân bài.")
    article = parse_article("\ufeff" + nfd)
    assert article.title == "Tiêu đề"
    assert article.lead == "Đoạn mở đầu vẫn tiếp."
    assert article.body == ("Thân bài.",)
    assert unicodedata.is_normalized("NFC", article.lead)


@pytest.mark.parametrize("text", ["", "  \n\n\t", "Chỉ có tiêu đề"])
def test_parse_article_rejects_nothing_to_read(text):
    with pytest.raises(ArticleError):
        parse_article(text)


def test_short_sentences_are_packed_and_keep_their_pause():
    segs = segment_paragraph("Một câu. Hai câu. Ba câu.", 100)
    assert [s.text for s in segs] == ["Một câu. Hai câu. Ba câu."]
    assert segs[-1].pause_after == Pause.PARAGRAPH


def test_long_sentence_is_cut_at_clauses_then_words():
    clause = "trong bối cảnh đất nước đối mặt với nhiều khó khăn và thách thức"
    text = f"{clause}, {clause}, {clause} {clause}."
    segs = segment_paragraph(text, 100)
    assert all(len(s.text) <= 100 for s in segs)
    assert segs[0].text.endswith(",") and segs[0].pause_after == Pause.PHRASE
    assert " ".join(s.source for s in segs) == text


def test_sections_and_pauses_of_a_script():
    article = parse_article("Tiêu đề\n\nMở đầu.\n\nĐoạn một.\n\nĐoạn hai.")
    script = make_script(article, 100)
    assert [s.kind.value for s in script.sections] == ["title", "lead", "body"]
    assert [s.pause_after for s in script.segments] == [
        Pause.TITLE, Pause.SECTION, Pause.PARAGRAPH, Pause.END]


# Vietnamese-like text: syllables, numbers, punctuation, odd spacing.
_syllable = st.sampled_from(["nguyễn", "thủ", "tướng", "đề", "án", "và", "của", "3,5",
                             "1.200", "TP.HCM", "x" * 30, "ư", "(138/CP)", "“trích”"])
_sep = st.sampled_from([" ", " ", " ", ", ", ". ", "; ", " - ", "… ", "  "])
_paragraph = st.lists(st.tuples(_syllable, _sep), min_size=1, max_size=80).map(
    lambda pairs: "".join(a + b for a, b in pairs).strip())


@settings(max_examples=200, deadline=None)
@given(_paragraph, st.integers(min_value=20, max_value=120))
def test_segments_lose_nothing_fit_the_limit_and_never_cut_a_word(text, limit):
    segs = segment_paragraph(text, limit)
    assert " ".join(s.source for s in segs if s.source) == " ".join(text.split())
    assert all(0 < len(s.text) <= limit for s in segs)
    words = set(text.split())
    for s in segs:  # a word that fits the limit is never cut in two
        for w in s.source.split():
            assert w in words or len(w) > limit


# With the real normalizer: numbers, codes and dates grow when spoken.
_token = st.sampled_from([
    "Phó", "Thủ", "tướng", "ngày", "17/1", "3,5%", "1.200.000", "đồng", "138/CP", "TP.HCM",
    "0912.345.678", "năm", "2023", "km", "UBND", "tỉnh", "quý", "III/2024", "“trích", "dẫn”",
    "15/2020/NĐ-CP", "nhandan.vn", "GD&ĐT", "1234567890123456789012", "và", "của", "7h30",
])
_vi_paragraph = st.lists(st.tuples(_token, _sep), min_size=1, max_size=120).map(
    lambda pairs: "".join(a + b for a, b in pairs).strip())


@settings(max_examples=150, deadline=None)
@given(_vi_paragraph, st.integers(min_value=40, max_value=120))
def test_spoken_segments_fit_and_keep_numbers_whole(text, limit):
    segs = segment_paragraph(text, limit, normalize)
    assert " ".join(s.source for s in segs if s.source) == " ".join(text.split())
    assert all(0 < len(s.text) <= limit for s in segs)
    for i, s in enumerate(segs):
        continued = i + 1 < len(segs) and not segs[i + 1].source
        if s.source and not continued:
            # the spoken text is the whole source read aloud: no number was cut
            assert s.text == normalize(s.source)


@pytest.mark.parametrize("spoken, limit, pieces", [
    ("aa bb cc", 5, ["aa bb", "cc"]),
    ("abcde", 5, ["abcde"]),  # exactly the limit: one piece
    ("aa bbb", 6, ["aa bbb"]),
    ("x" * 12, 5, ["xxxxx", "xxxxx", "xx"]),  # a giant 'word': every limit characters
    ("ab " + "x" * 12 + " cd", 5, ["ab", "xxxxx", "xxxxx", "xx cd"]),
])
def test_a_token_spoken_longer_than_the_limit_is_cut_between_its_words(spoken, limit, pieces):
    from script.segment import _hard_split

    assert _hard_split(spoken, limit) == pieces


def test_a_number_read_longer_than_the_limit_becomes_several_segments():
    spoken = normalize("123456789012345")
    assert len(spoken) > 40
    segments = segment_paragraph("123456789012345", 40, normalize)
    assert all(len(s.text) <= 40 for s in segments)
    assert " ".join(s.text for s in segments) == spoken


def test_a_paragraph_longer_than_a_window_keeps_every_word_and_the_limit():
    """Past WINDOW_WORDS, a paragraph is segmented a window at a time (memory
    stays flat: a 540 KB paragraph without punctuation took 774 MB whole)."""
    import random

    from script.segment import WINDOW_WORDS

    rng = random.Random(11)
    pool = "người dân thành phố mưa lớn giao thông học sinh trường học bệnh viện".split()
    words = [rng.choice(pool) for _ in range(WINDOW_WORDS * 2 + 333)]
    words[WINDOW_WORDS] += "."  # one sentence end to cut at
    segments = segment_paragraph(" ".join(words), 100, final_pause=Pause.END)
    assert " ".join(s.text for s in segments).split() == words
    assert all(len(s.text) <= 100 for s in segments)
    assert segments[-1].pause_after == Pause.END
