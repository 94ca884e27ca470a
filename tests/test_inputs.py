"""Real inputs: web pages, URLs, encodings, and many articles at once."""
from __future__ import annotations

from functools import partial
from http.server import SimpleHTTPRequestHandler

import pytest
from mutagen.id3 import ID3

from script import ArticleError, make_script, normalize, read_article
from script.decode import decode_bytes
from tests.helpers import QuietLog, run_cli as run, start_server, stop_server
from tests.conftest import ROOT
from tests.encodings import cp1258, legacy

FIXTURES = ROOT / "tests" / "fixtures"
PAGE = FIXTURES / "bao-dien-tu.html"



def spoken_and_written(article) -> str:
    script = make_script(article, 100, normalize)
    return " ".join(s.source + " " + s.text for s in script.segments)


# --- Web pages ------------------------------------------------------------------------


def test_html_page_gives_the_article_and_none_of_the_page_chrome():
    article = read_article(PAGE)
    assert article.title == "Đà Nẵng mở tuyến xe buýt điện ra sân bay"
    assert article.lead.startswith("Từ ngày 20/3, người dân và du khách")
    assert article.captions == ("Xe buýt điện chạy thử tại bến trung tâm hôm 15/3.",)
    assert article.byline == "Thanh Hà"
    assert dict(article.meta) == {
        "byline": "Thanh Hà", "date": "2025-03-18",
        "source": "https://phobien.example/giao-thong/da-nang-xe-buyt-dien-san-bay-123.html"}
    text = spoken_and_written(article)
    for wanted in ("cầu Rồng", "12 xe được đưa vào khai thác", "ông Lê Văn Nam"):
        assert wanted in text
    for chrome in ("Thời sự", "Trang chủ", "Tìm kiếm", "Chia sẻ", "Sao chép liên kết",
                   "Tin liên quan", "làn riêng cho xe buýt", "Bình luận", "Ý kiến bạn đọc",
                   "Tin vui cho người dân", "Đọc nhiều", "Giá vàng", "Giấy phép", "Ảnh:"):
        assert chrome not in text, chrome


def test_page_metadata_fills_the_tags(tmp_path):
    result = run("build", str(PAGE), "-o", str(tmp_path), "--engine", "espeak")
    assert result.exit_code == 0, result.stderr
    [mp3] = tmp_path.glob("*.mp3")
    assert mp3.name == "da-nang-mo-tuyen-xe-buyt-dien-ra-san-bay.mp3"
    tags = ID3(mp3)
    assert str(tags["TPE1"]) == "Thanh Hà" and str(tags["TDRC"]) == "2025-03-18"
    assert str(tags.getall("COMM")[0]).startswith("https://phobien.example/")


@pytest.fixture
def site(tmp_path):
    """A web server on 127.0.0.1 serving a directory."""
    root = tmp_path / "site"
    root.mkdir()
    class Quiet(QuietLog, SimpleHTTPRequestHandler):
        pass

    server = start_server(partial(Quiet, directory=str(root)))
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    stop_server(server)


def test_url_input(site, tmp_path):
    root, base = site
    (root / "bai-viet.html").write_bytes(PAGE.read_bytes())
    result = run("build", f"{base}/bai-viet.html", "-o", str(tmp_path / "out"),
                 "--engine", "espeak")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "da-nang-mo-tuyen-xe-buyt-dien-ra-san-bay.mp3").exists()


@pytest.mark.parametrize("name, content, message", [
    ("missing.html", None, "HTTP 404"),
    ("picture.png", b"\x89PNG\r\n\x1a\n" + bytes(100), "image/png, not a web page"),
    ("empty.html", b"<html><body><nav><a href='/'>Trang ch\xe1\xbb\xa7</a></nav></body></html>",
     "no article text found"),
])
def test_url_errors_are_one_line(site, tmp_path, name, content, message):
    root, base = site
    if content is not None:
        (root / name).write_bytes(content)
    out = tmp_path / "out"
    result = run("build", f"{base}/{name}", "-o", str(out), "--engine", "espeak")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ") and message in line
    assert not out.exists() or not any(out.iterdir())


# --- Encodings -----------------------------------------------------------------------

TEXT = ("Bệnh viện tỉnh tiếp nhận 12 ca sốt xuất huyết\n\n"
        "Trong tuần qua, Bệnh viện Đa khoa tỉnh đã tiếp nhận 12 ca sốt xuất huyết, "
        "tăng gấp đôi so với tuần trước.\n\n"
        "Người dân được khuyến cáo diệt lăng quăng, ngủ màn và đến cơ sở y tế khi sốt cao.\n")


@pytest.mark.parametrize("encode, warns", [
    (lambda t: t.encode("utf-8"), False),
    (lambda t: t.encode("utf-8-sig"), False),
    (lambda t: t.encode("utf-16"), False),
    (lambda t: t.encode("utf-16-le"), False),
    (cp1258, False),
    (partial(legacy, name="tcvn3"), True),
    (partial(legacy, name="vni"), True),
    # TCVN3 text already pasted into a Unicode file (the font's glyphs as characters)
    (lambda t: legacy(t, "tcvn3").decode("cp1252").encode("utf-8"), True),
], ids=["utf-8", "utf-8-bom", "utf-16-bom", "utf-16-no-bom", "windows-1258", "tcvn3", "vni",
        "tcvn3-in-utf-8"])
def test_every_encoding_reads_to_the_same_text(tmp_path, encode, warns):
    path = tmp_path / "article.txt"
    path.write_bytes(encode(TEXT))
    article = read_article(path)
    expected = read_article_text(TEXT)
    assert (article.title, article.lead, article.body) == expected
    assert bool(article.warnings) == warns


def read_article_text(text: str):
    from script import parse_article

    a = parse_article(text)
    return a.title, a.lead, a.body


def test_tcvn3_soft_hyphen_is_the_letter_u_horn():
    """TCVN3 stores ư as 0xAD, the soft hyphen that editors strip."""
    data = legacy("Thủ tướng và người dân\n\nNội dung bài viết.\n", "tcvn3")
    assert b"\xad" in data
    assert decode_bytes(data).text.startswith("Thủ tướng và người dân")


def test_windows_1258_warning_free_and_tcvn3_warns_through_the_cli(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(legacy(TEXT, "tcvn3"))
    result = run("script", str(path))
    assert result.exit_code == 0
    assert result.stderr.startswith("Warning: ") and "TCVN3" in result.stderr
    assert "Bệnh viện tỉnh tiếp nhận mười hai ca sốt xuất huyết" in result.stdout


def test_undecodable_input_names_the_byte_offset(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(cp1258(TEXT))
    result = run("script", str(path), "--encoding", "utf-8")
    assert result.exit_code == 1
    offset = cp1258(TEXT).decode("utf-8", "replace").find("\ufffd")
    assert f"at offset {offset}" in result.stderr and "not valid utf-8" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_binary_input_is_refused():
    with pytest.raises(ArticleError, match="binary data"):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


# --- Many articles ----------------------------------------------------------------------


def small_article(i: int) -> str:
    return (f"Bản tin số {i} trong ngày\n\nĐây là bản tin ngắn số {i}. "
            f"Nội dung gồm {i + 1} câu ngắn gọn.\n")


def test_a_batch_with_one_broken_article(tmp_path):
    batch = tmp_path / "batch"
    batch.mkdir()
    for i in range(20):
        (batch / f"{i:02d}.txt").write_text(small_article(i), encoding="utf-8")
    (batch / "07.txt").write_bytes(b"\x00\x01\x02 not an article")
    out = tmp_path / "out"
    result = run("build", str(batch), "-o", str(out), "--engine", "espeak", "--workers", "2")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    progress = [line for line in lines if line.startswith("[")]
    assert len(progress) == 20 and sum(line.endswith(": failed") for line in progress) == 1
    errors = [line for line in lines if not line.startswith("[")]
    assert len(errors) == 1 and "binary data" in errors[0]
    assert errors[0].startswith("Error: ") and errors[0].count("07.txt") == 1  # named once
    assert len(list(out.glob("*.mp3"))) == 19
    assert not [p for p in out.iterdir() if p.suffix not in (".mp3", ".json", ".vtt", ".html")]
    table = result.stdout.splitlines()
    assert table[0].split() == ["article", "duration", "segments", "cached", "voice", "status"]
    assert sum(line.endswith(" ok") for line in table) == 19
    assert table[-1] == "19 built, 1 failed"


def test_two_articles_with_the_same_title_do_not_overwrite_each_other(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("Cùng một tiêu đề\n\nNội dung thứ nhất.\n", encoding="utf-8")
    b.write_text("Cùng một tiêu đề\n\nNội dung thứ hai, khác hẳn.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run("build", str(a), str(b), "-o", str(out), "--engine", "espeak").exit_code == 0
    assert sorted(p.name for p in out.glob("*.mp3")) == [
        "cung-mot-tieu-de-2.mp3", "cung-mot-tieu-de.mp3"]


def test_dry_run_synthesizes_nothing(tmp_path):
    a = tmp_path / "a.txt"
    a.write_text(small_article(1), encoding="utf-8")
    out, cache = tmp_path / "out", tmp_path / "cache"
    result = run("build", str(a), str(PAGE), "-o", str(out), "--engine", "gtts",
                 "--cache", str(cache), "--dry-run")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{a} -> {out / 'ban-tin-so-1-trong-ngay.mp3'}: ")
    assert "segments" in lines[0] and "gtts requests (0 cached)" in lines[0]
    assert not out.exists() and not (cache / "clips").exists()


def test_dry_run_says_which_articles_cannot_be_built_and_fails(tmp_path):
    a, bad = tmp_path / "a.txt", tmp_path / "bad.txt"
    a.write_text(small_article(1), encoding="utf-8")
    bad.write_bytes(b"")
    result = run("build", str(a), str(bad), "-o", str(tmp_path / "out"), "--engine",
                 "espeak", "--no-cache", "--dry-run")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[1] == f"{bad}: cannot build: the article is empty"


def test_a_batch_with_a_missing_lexicon_is_a_one_line_error(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(small_article(1), encoding="utf-8")
    b.write_text(small_article(2), encoding="utf-8")
    result = run("build", str(a), str(b), "-o", str(tmp_path / "out"), "--engine", "espeak",
                 "--lexicon", str(tmp_path / "none.toml"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: no such lexicon file: {tmp_path / 'none.toml'}"]


def test_quiet_silences_the_encoding_warning_on_one_article_and_on_many(tmp_path):
    """Regression: -q hid it in a batch but not on a single build."""
    (tmp_path / "a.txt").write_bytes(legacy(TEXT, "tcvn3"))
    (tmp_path / "b.txt").write_bytes(legacy(TEXT.replace("\n", " (2)\n", 1), "tcvn3"))
    common = ["-o", str(tmp_path / "out"), "--engine", "espeak", "--cache", str(tmp_path / "c")]
    for articles in ([str(tmp_path / "a.txt")], [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]):
        loud = run("build", *articles, *common)
        assert loud.exit_code == 0 and loud.stderr.count("TCVN3") == len(articles)
        quiet = run("build", *articles, *common, "-q")
        assert quiet.exit_code == 0 and quiet.stderr == "" and quiet.stdout == ""
