"""A producer's day (issue 16): what surprised a new user on deadline, each
through the CLI."""
from __future__ import annotations

import pytest

from tests.conftest import SAMPLE
from tests.encodings import legacy
from tests.helpers import run_cli as run


@pytest.mark.parametrize("name, given", [("tcvn3", "tcvn3"), ("tcvn3", "TCVN3"),
                                         ("tcvn3", "abc"), ("vni", "vni"), ("vni", "VNI")])
def test_every_detected_legacy_encoding_can_also_be_named(tmp_path, name, given):
    text = SAMPLE.read_text(encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_bytes(legacy(text, name))
    result = run("script", str(article), "--encoding", given)
    assert result.exit_code == 0, result.stderr
    assert f"\ntitle: {text.split(chr(10))[0]}\n" in result.stdout
    assert "Warning" not in result.stderr


def test_an_unknown_encoding_is_still_one_line(tmp_path):
    result = run("script", str(SAMPLE), "--encoding", "klingon")
    assert result.exit_code == 1 and result.stderr.strip() == \
        "Error: unknown encoding 'klingon'"


BODY = ("Mưa lớn kéo dài từ đêm qua khiến nhiều tuyến phố ở trung tâm ngập sâu, giao "
        "thông ùn tắc trong giờ cao điểm buổi sáng.\n\nLực lượng chức năng đã có mặt để "
        "hỗ trợ người dân di chuyển an toàn qua các điểm ngập.")


@pytest.mark.parametrize("credit, spoken", [("Ảnh: Q.V.", "quy vê"), ("Ảnh: H.N", "hát nờ"),
                                            ("Ảnh: Q.Anh", "quy Anh")])
@pytest.mark.parametrize("kind", ["txt", "html"])
def test_a_photo_credit_with_initials_is_read_as_initials_not_a_place(
        tmp_path, kind, credit, spoken):
    caption = f"Người dân lội nước trên phố Huế sáng nay. ({credit})"
    if kind == "txt":
        article = tmp_path / "a.txt"
        article.write_text(f"Hà Nội mưa lớn\n\n{BODY}\n\n{caption}\n", encoding="utf-8")
    else:
        article = tmp_path / "a.html"
        paragraphs = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
        article.write_text(
            f"<html><head><title>Hà Nội mưa lớn</title></head><body><article>"
            f"<h1>Hà Nội mưa lớn</h1>{paragraphs}<figure><img src='a.jpg'>"
            f"<figcaption>{caption}</figcaption></figure></article></body></html>",
            encoding="utf-8")
    result = run("script", str(article))
    assert result.exit_code == 0, result.stderr
    spoken_lines = [line for line in result.stdout.splitlines()
                    if line and line[0] not in "#>-[" and ":" not in line[:12]]
    said = " ".join(spoken_lines)
    assert "quận" not in said and "huyện" not in said
    if kind == "txt":  # a text article's trailing credit is a note, not read
        assert "Ảnh" not in said and "(credit)" not in result.stdout
    else:  # a page's caption keeps its credit: read as the initials it is
        assert spoken in said, said


def test_initials_in_running_text_are_spelled_not_taken_for_a_place(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text(f"Hà Nội mưa lớn\n\n{BODY}\n\nTheo phóng viên Q.V. có mặt tại hiện "
                       f"trường, nước rút chậm ở Q.1 và Q.Bình Thạnh.\n", encoding="utf-8")
    result = run("script", str(article))
    assert "phóng viên quy vê có mặt" in result.stdout
    assert "quận một và quận Bình Thạnh" in result.stdout


def test_a_page_read_from_its_url_keeps_its_captions_as_the_saved_file_does(tmp_path):
    from functools import partial
    from http.server import SimpleHTTPRequestHandler

    from tests.helpers import QuietLog, start_server, stop_server

    root = tmp_path / "site"
    (root / "tin").mkdir(parents=True)
    paragraphs = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
    page = root / "tin" / "mua.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>Hà Nội mưa lớn</title></head><body>"
        f"<article><h1>Hà Nội mưa lớn</h1>{paragraphs}"
        "<figure><img src='/anh/a.jpg'><figcaption>Người dân lội nước trên phố Huế.</figcaption>"
        "</figure><figure><img src='../anh/b.jpg'><figcaption>Xe chết máy giữa dòng nước."
        "</figcaption></figure><p>Đoạn cuối của bài viết về trận mưa lớn.</p></article>"
        "</body></html>", encoding="utf-8")

    class Quiet(QuietLog, SimpleHTTPRequestHandler):
        pass

    server = start_server(partial(Quiet, directory=str(root)))
    try:
        by_url = run("script", f"http://127.0.0.1:{server.server_address[1]}/tin/mua.html")
    finally:
        stop_server(server)
    by_file = run("script", str(page))
    for result in (by_url, by_file):
        assert result.exit_code == 0, result.stderr
        assert "\n[caption]\n> Người dân lội nước trên phố Huế.\n" in result.stdout
        assert "> Xe chết máy giữa dòng nước." in result.stdout


def test_o_naming_an_mp3_writes_that_file_and_its_sidecars_beside_it(tmp_path):
    out = tmp_path / "sub" / "ban-tin-sang.mp3"
    result = run("build", str(SAMPLE), "--engine", "espeak", "-q", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.name for p in out.parent.iterdir()) == [
        "ban-tin-sang.html", "ban-tin-sang.json", "ban-tin-sang.mp3", "ban-tin-sang.vtt"]
    assert out.is_file()
    script = tmp_path / "s.txt"
    run("script", str(SAMPLE), "-o", str(script))
    result = run("render", str(script), "--engine", "espeak", "-q", "-o", str(tmp_path / "r.mp3"))
    assert result.exit_code == 0 and (tmp_path / "r.mp3").is_file()


@pytest.mark.parametrize("target, articles, fragment", [
    ("two.mp3", 2, "names one file but there are 2 articles"),
    ("news.wav", 1, "editions are MP3 files")])
def test_o_naming_a_file_that_cannot_be_is_refused_with_a_hint(tmp_path, target, articles,
                                                                fragment):
    result = run("build", *[str(SAMPLE)] * articles, "--engine", "espeak",
                 "-o", str(tmp_path / target))
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert fragment in line and "'-o'" in line
    assert not (tmp_path / target).exists()


def test_a_narration_script_given_to_build_is_rendered_not_read_aloud(tmp_path, fake_google):
    script = tmp_path / "ban-tin.txt"
    assert run("script", str(SAMPLE), "-o", str(script)).exit_code == 0
    result = run("build", str(script), "-o", str(tmp_path / "out"), "--engine", "gtts",
                 "--gtts-url", fake_google.url, "--no-cache")
    assert result.exit_code == 0, result.stderr
    assert "is a narration script: rendered as written" in result.stderr
    said = " ".join(s.text for s in fake_google.served)
    assert "audio-edition" not in said and "--" not in said and "[title]" not in said
    built = {s.text for s in fake_google.served}
    fake_google.served.clear()
    assert run("build", str(SAMPLE), "-o", str(tmp_path / "b"), "--engine", "gtts",
               "--gtts-url", fake_google.url, "--no-cache").exit_code == 0
    assert {s.text for s in fake_google.served} == built  # the same as the article's own


@pytest.mark.parametrize("command", ["render", "build"])
def test_editing_title_in_a_script_changes_the_spoken_title(tmp_path, fake_google, command):
    import json

    script = tmp_path / "s.txt"
    assert run("script", str(SAMPLE), "-o", str(script)).exit_code == 0
    text = script.read_text(encoding="utf-8")
    old_title = SAMPLE.read_text(encoding="utf-8").split("\n")[0]
    script.write_text(text.replace(f"title: {old_title}\n",
                                   "title: Xã ven biển có thư viện cộng đồng thứ 2\n", 1),
                      encoding="utf-8")
    out = tmp_path / "out"
    result = run(command, str(script), "-o", str(out), "--engine", "gtts",
                 "--gtts-url", fake_google.url, "--no-cache", "-q")
    assert result.exit_code == 0, result.stderr
    said = [s.text for s in fake_google.served]
    assert "Xã ven biển có thư viện cộng đồng thứ hai" in said
    assert old_title not in said
    [sidecar] = out.glob("*.json")
    data = json.loads(sidecar.read_text(encoding="utf-8"))
    assert data["segments"][0]["text"] == "Xã ven biển có thư viện cộng đồng thứ 2"
    assert data["title"] == "Xã ven biển có thư viện cộng đồng thứ 2"


# --- The voice never changes silently ---------------------------------------------

def test_a_busy_google_during_the_probe_is_asked_again_not_replaced(tmp_path):
    """One 429 on the auto probe used to send the edition to espeak-ng."""
    import json

    from tests.fake_google import FakeGoogle

    with FakeGoogle(fault=lambda n, text: 429 if n <= 2 else None) as fake:
        result = run("build", str(SAMPLE), "-o", str(tmp_path), "--gtts-url", fake.url,
                     "--retry-delay", "0.01")
    assert result.exit_code == 0, result.stderr
    assert "offline" not in result.stderr
    [sidecar] = tmp_path.glob("*.json")
    assert json.loads(sidecar.read_text(encoding="utf-8"))["engine"] == "gtts"
    assert [s.status for s in fake.served[:3]] == [429, 429, 200]


@pytest.mark.parametrize("status", [429, 503])
def test_a_google_that_stays_busy_stops_the_build_rather_than_change_voice(tmp_path, status):
    from tests.fake_google import FakeGoogle

    with FakeGoogle(fault=lambda n, text: status) as fake:
        result = run("build", str(SAMPLE), "-o", str(tmp_path / "out"), "--gtts-url", fake.url,
                     "--retry-delay", "0.01", "--retries", "3", "-q")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: Google's voice: ") and "busy" in line
    assert "after 3 tries" in line and "--engine espeak" in line
    assert len(fake.served) == 3
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_no_fallback_refuses_the_offline_voice(tmp_path, closed_port_url):
    result = run("build", str(SAMPLE), "-o", str(tmp_path / "out"), "--gtts-url",
                 closed_port_url, "--no-fallback")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert "cannot be reached" in line and "--no-fallback" in line
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    clash = run("build", str(SAMPLE), "--engine", "espeak", "--no-fallback")
    assert clash.exit_code == 2 and "'--no-fallback'" in clash.stderr


def test_the_probe_and_engines_honour_timeout(tmp_path):
    import time

    from tests.fake_google import FakeGoogle

    with FakeGoogle(fault=lambda n, text: "stall", stall=5.0) as fake:
        start = time.monotonic()
        result = run("build", str(SAMPLE), "-o", str(tmp_path), "--gtts-url", fake.url,
                     "--timeout", "0.5", "-q")
        took = time.monotonic() - start
        listing = run("engines", "--gtts-url", fake.url, "--timeout", "0.5")
    assert result.exit_code == 0 and took < 4.5
    assert "did not answer within 0.5 s" in result.stderr
    assert "did not answer within 0.5 s" in listing.stdout


def test_the_voice_is_recorded_in_the_json_the_id3_comment_the_page_and_the_summary(
        tmp_path, closed_port_url):
    import json

    from mutagen.id3 import ID3

    other = tmp_path / "b.txt"
    other.write_text("Bản tin thứ hai\n" + SAMPLE.read_text(encoding="utf-8").split("\n", 1)[1],
                     encoding="utf-8")
    out = tmp_path / "out"
    result = run("build", str(SAMPLE), str(other), "-o", str(out), "--gtts-url",
                 closed_port_url, "--workers", "1")
    assert result.exit_code == 0, result.stderr
    header, *rows = [line for line in result.stdout.splitlines() if line.strip()][:3]
    assert "voice" in header.split() and all(" espeak " in row for row in rows)
    for mp3 in out.glob("*.mp3"):
        assert json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))["engine"] == \
            "espeak"
        [voice] = [c for c in ID3(mp3).getall("COMM") if c.desc == "voice"]
        assert str(voice) == "espeak-ng (offline)"
        assert "Giọng đọc: espeak-ng (offline)" in mp3.with_suffix(".html").read_text(
            encoding="utf-8")


def test_dry_run_with_auto_and_no_network_counts_for_the_voice_it_would_use(
        tmp_path, closed_port_url, fake_google):
    offline = run("build", str(SAMPLE), "--dry-run", "--gtts-url", closed_port_url,
                  "--no-cache", "-o", str(tmp_path))
    assert offline.exit_code == 0
    assert "voice espeak" in offline.stdout and "offline: no requests" in offline.stdout
    assert "gtts requests" not in offline.stdout
    assert "using the offline voice" in offline.stderr
    online = run("build", str(SAMPLE), "--dry-run", "--gtts-url", fake_google.url,
                 "--no-cache", "-o", str(tmp_path))
    assert online.exit_code == 0
    assert "voice gtts, 12 gtts requests" in online.stdout
    assert not any(tmp_path.iterdir())


# --- Documents that are not text ---------------------------------------------------

LINES = ["Hà Nội mưa lớn, nhiều tuyến phố ngập sâu",
         "Mưa lớn kéo dài từ đêm qua khiến nhiều tuyến phố ở trung tâm ngập sâu.",
         "Lực lượng chức năng đã có mặt để hỗ trợ người dân di chuyển an toàn."]


def expect_article(result) -> None:
    assert result.exit_code == 0, result.stderr
    assert f"\ntitle: {LINES[0]}\n" in result.stdout
    assert f"\n> {LINES[1]}\n{LINES[1]}\n" in result.stdout


def test_a_docx_is_read_as_its_paragraphs(tmp_path):
    import docx

    document = docx.Document()
    for line in LINES:
        document.add_paragraph(line)
    path = tmp_path / "bai.docx"
    document.save(path)
    expect_article(run("script", str(path)))
    assert run("build", str(tmp_path), "--engine", "espeak", "-q",  # a folder of them too
               "-o", str(tmp_path / "out")).exit_code == 0
    assert len(list((tmp_path / "out").glob("*.mp3"))) == 1


def test_a_pdf_with_text_is_read_with_a_warning(tmp_path):
    import shutil
    import subprocess

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        pytest.skip("no chromium to print a PDF with: .ci/run installs Debian's chromium")
    page = tmp_path / "p.html"
    page.write_text("<html><head><meta charset='utf-8'></head><body>"
                    + "".join(f"<p>{line}</p>" for line in LINES) + "</body></html>",
                    encoding="utf-8")
    pdf = tmp_path / "bai.pdf"
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
                   capture_output=True, timeout=60, check=True)
    result = run("script", str(pdf))
    expect_article(result)
    assert "is a PDF: its text layer was read" in result.stderr


def ole2() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


def zipped(*names: str) -> bytes:
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name in names:
            z.writestr(name, "<x/>")
    return buf.getvalue()


@pytest.mark.parametrize("name, data, fragment", [
    ("a.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n", "damaged PDF"),
    ("scan.pdf", None, "PDF without text"),
    ("old.doc", ole2(), "old Office document (.doc/.xls/.ppt): save it as .docx"),
    ("a.rtf", b"{\\rtf1\\ansi Xin chao}", "RTF document"),
    ("a.odt", zipped("mimetype", "content.xml"), "OpenDocument"),
    ("a.xlsx", zipped("[Content_Types].xml", "xl/workbook.xml"), "spreadsheet or a presentation"),
    ("bad.docx", zipped("[Content_Types].xml", "word/document.xml"), "damaged .docx"),
])
def test_a_document_that_cannot_be_read_is_named_with_a_hint_never_narrated(
        tmp_path, name, data, fragment):
    path = tmp_path / name
    if data is None:  # an image in a PDF: a scan, no text layer
        from PIL import Image

        Image.new("RGB", (200, 100), (255, 255, 255)).save(path, format="PDF")
    else:
        path.write_bytes(data)
    result = run("build", str(path), "--engine", "espeak", "-o", str(tmp_path / "out"))
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"Error: cannot read {path}: ") and fragment in line, line
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


# --- What a producer sees -----------------------------------------------------------

def two_articles(tmp_path):
    other = tmp_path / "b.txt"
    other.write_text("Bản tin thứ hai\n" + SAMPLE.read_text(encoding="utf-8").split("\n", 1)[1],
                     encoding="utf-8")
    return [str(SAMPLE), str(other)]


def test_a_batch_prints_a_line_per_article_with_its_voice(tmp_path):
    articles = two_articles(tmp_path)
    result = run("build", *articles, "--engine", "espeak", "-o", str(tmp_path / "out"),
                 "--workers", "2")
    assert result.exit_code == 0, result.stderr
    progress = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert len(progress) == 2
    assert {line.split("]")[0] for line in progress} == {"[1/2", "[2/2"}
    assert all(line.endswith("voice espeak") and ": built, " in line for line in progress)
    again = run("build", *articles, "--engine", "espeak", "-o", str(tmp_path / "out"))
    assert sum(line.endswith(": up to date") for line in again.stderr.splitlines()) == 2


def test_quiet_is_silent_but_for_errors_and_a_change_of_voice(tmp_path, closed_port_url):
    articles = two_articles(tmp_path)
    single = run("build", articles[0], "--engine", "espeak", "-q", "-o", str(tmp_path / "a"))
    batch = run("build", *articles, "--engine", "espeak", "-q", "-o", str(tmp_path / "b"))
    for result in (single, batch):
        assert result.exit_code == 0 and result.stdout == "" and result.stderr == ""
    fallback = run("build", *articles, "--gtts-url", closed_port_url, "-q",
                   "-o", str(tmp_path / "c"))
    assert fallback.stdout == ""
    [line] = fallback.stderr.splitlines()
    assert line.startswith("Warning: using the offline voice")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    failed = run("build", articles[0], str(empty), "--engine", "espeak", "-q",
                 "-o", str(tmp_path / "d"))
    assert failed.exit_code == 1 and failed.stdout == ""
    assert failed.stderr.splitlines() == [f"Error: {empty}: the article is empty"]


def test_a_hostile_docx_is_one_line_or_read_in_bounded_memory(tmp_path):
    """A .docx that unpacks to far more than it weighs, and one whose table
    claims a huge column span (python-docx's table model allocated for it:
    1 GB and counting), found by an adversarial review."""
    import io
    import zipfile

    import docx

    document = docx.Document()
    document.add_paragraph(LINES[0])
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).text = LINES[1]
    path = tmp_path / "span.docx"
    document.save(path)
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="99999999"/>', 1)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    path.write_bytes(buf.getvalue())
    result = run("script", str(path))
    assert result.exit_code == 0 and LINES[1] in result.stdout

    bomb = tmp_path / "bomb.docx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<x/>")
        z.writestr("word/document.xml", b"<w:document>" + b" " * (60 * 2**20) + b"</w:document>")
    bomb.write_bytes(buf.getvalue())
    result = run("script", str(bomb))
    assert result.exit_code == 1
    assert "unpacks to 60 MB: too large" in result.stderr
