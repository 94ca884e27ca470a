"""Every read is bounded and every network wait has a total deadline: a
device, a pipe or a huge file given as any input, and an answer that never
ends or drips, are one-line errors (or retries), never memory eaten or a
hang; a Retry-After longer than a build waits fails at once and says so."""
from __future__ import annotations

import os
import time

import pytest

from .conftest import SAMPLE
from .encodings import cp1258
from .fake_google import FakeGoogle
from .helpers import run_cli


def build(*args: str, out=None):
    return run_cli("build", str(SAMPLE), "--engine", "espeak", "--no-cache", "-q",
                   "-o", str(out or "/nonexistent-never-written"), *args)


def one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), lines
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    return path


@pytest.mark.parametrize("source", ["/dev/zero", "fifo"])
@pytest.mark.parametrize("role", ["article", "--lexicon", "--intro", "--outro", "render"])
def test_a_device_or_a_pipe_as_any_input_is_refused_without_reading_it(role, source, fifo,
                                                                       tmp_path):
    path = str(fifo) if source == "fifo" else source
    start = time.monotonic()
    if role == "article":
        result = run_cli("build", path, "--engine", "espeak", "-o", str(tmp_path / "o"))
    elif role == "render":
        result = run_cli("render", path, "--engine", "espeak", "-o", str(tmp_path / "o"))
    else:
        result = build(role, path, out=tmp_path / "o")
    assert time.monotonic() - start < 10
    one_line_error(result, "not a regular file")
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


@pytest.mark.parametrize("role, size", [("--lexicon", 5 << 20), ("--intro", 101 << 20),
                                        ("render", 9 << 20), ("article", 5 << 20)])
def test_a_file_over_its_limit_is_refused_by_its_size(role, size, tmp_path):
    """Sparse files: the size is refused before a byte is read."""
    path = tmp_path / "big.txt"
    with open(path, "wb") as f:
        f.truncate(size)
    out = tmp_path / "o"
    if role == "article":
        result = run_cli("build", str(path), "--engine", "espeak", "-o", str(out))
    elif role == "render":
        result = run_cli("render", str(path), "--engine", "espeak", "-o", str(out))
    else:
        result = build(role, str(path), out=out)
    one_line_error(result, "too large")


def test_a_lexicon_in_utf16_is_read_and_one_in_a_legacy_encoding_is_refused(tmp_path):
    lexicon = tmp_path / "words.toml"
    lexicon.write_text('"Hà Nội" = "thủ đô"\n', encoding="utf-16")
    assert build("--lexicon", str(lexicon), "--dry-run").exit_code == 0
    lexicon.write_bytes(cp1258('"Hà Nội" = "thủ đô"\n'))
    one_line_error(build("--lexicon", str(lexicon), "--dry-run"), "not UTF-8", "offset")


def gtts_build(fake, tmp_path, *args: str):
    return run_cli("build", str(SAMPLE), "--engine", "gtts", "--gtts-url", fake.url,
                   "--no-cache", "-o", str(tmp_path / "out"), "-q", *args)


@pytest.mark.parametrize("fault, message", [("endless", "is over 4 MB"),
                                            ("drip", "did not end in time"),
                                            ("header-drip", "did not answer within"),
                                            ("short", "broke off")])
def test_an_answer_that_never_ends_fails_by_its_size_or_the_deadline(fault, message, tmp_path):
    with FakeGoogle(fault=lambda n, text: fault) as fake:
        start = time.monotonic()
        result = gtts_build(fake, tmp_path, "--timeout", "1", "--retries", "2",
                            "--retry-delay", "0")
        elapsed = time.monotonic() - start
    one_line_error(result, message, "after 2 tries")
    assert elapsed < 15
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.mp3"))


def test_a_retry_after_longer_than_a_build_waits_fails_at_once_and_says_so(tmp_path):
    with FakeGoogle(fault=lambda n, text: 429, retry_after="3600") as fake:
        start = time.monotonic()
        result = gtts_build(fake, tmp_path)
        assert time.monotonic() - start < 5  # not 5 tries of 30 s
        texts = [s.text for s in fake.served]
        assert len(texts) == len(set(texts))  # no segment was tried twice
    one_line_error(result, "asked to wait 60 min", "Retry-After", "try again later")


def test_an_answer_with_invalid_base64_is_retried_like_any_bad_answer(tmp_path):
    with FakeGoogle(fault=lambda n, text: "bad-base64" if n <= 3 else None) as fake:
        result = gtts_build(fake, tmp_path, "--retry-delay", "0", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    assert list((tmp_path / "out").glob("*.mp3"))


@pytest.mark.parametrize("name, shown", [("new\nline", "new\\nline"),
                                         ("r\u202eevil", "r\\u202eevil"),
                                         (os.fsdecode(b"bad\xff"), "bad\\udcff")])
def test_a_file_name_with_a_newline_bidi_or_bad_bytes_is_one_line_of_error_as_written(
        name, shown, tmp_path):
    folder = tmp_path / name
    folder.mkdir()
    result = run_cli("build", str(folder / "missing.txt"), "--engine", "espeak",
                     "-o", str(tmp_path / "o"))
    one_line_error(result, shown)


@pytest.mark.parametrize("shape", ["{d}", "{d}.000", "1.{g}", "{d},5", "{d}%", "{d} km",
                                   "{d}/{d}/{d}", "số {d}.{d}", "{d}h{d}", "US${d}", "{d}x{d}"])
def test_numbers_of_any_length_are_read_not_an_internal_error(shape):
    """Python refuses int() of over 4,300 digits; such a run is read digit by digit."""
    from script import normalize

    spoken = normalize("Giá " + shape.format(d="7" * 5000, g=".".join(["123"] * 1600)) + " đồng.")
    assert spoken.endswith("đồng.") and ("bảy" in spoken or "một hai ba" in spoken)
    assert not any(c.isdigit() for c in spoken)


@pytest.mark.parametrize("entry", [b'{"gain": "loud", "marks": []}\nab',
                                   b"not json\n\x00\x01", b'{"gain": 1.0}\n\x00\x00',
                                   b'{"gain": 0.5, "marks": [[1, 2, 3]]}\n\x00\x00',
                                   b'{"gain": null, "marks": []}\n\x00'])
def test_a_cache_entry_with_a_right_checksum_and_foreign_content_is_made_again(tmp_path, entry):
    """Prepared clips from another version, or written by hand: the checksum
    is right (it is over the content), the content is not a prepared clip."""
    from audio.cache import ClipCache

    out, cache = tmp_path / "out", tmp_path / "cache"
    common = ["build", str(SAMPLE), "--engine", "espeak", "-o", str(out), "--cache", str(cache),
              "-q"]
    assert run_cli(*common).exit_code == 0
    first = next(out.glob("*.mp3")).read_bytes()
    store = ClipCache(cache)
    for path in (cache / "clips").rglob("prepared-*.clip"):
        store.put_blob(path.stem, entry)
    result = run_cli(*common, "--force")
    assert result.exit_code == 0, result.stderr
    assert next(out.glob("*.mp3")).read_bytes() == first


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("cut", [1, 2])
def test_utf8_cut_inside_its_last_character_is_utf8_with_a_damaged_end(tmp_path, bom, cut):
    """Never re-read as a legacy encoding (that gave mojibake with exit 0)."""
    from script import read_article

    text = "Tiêu đề bài báo\n\nĐoạn văn đầu tiên nói về Hà Nội.\n\nĐoạn cuối cùng kết thúc ở đây ộ"
    data = bom + text.encode("utf-8")
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:-cut])  # "ộ" is three bytes: cut inside it
    article = read_article(path)
    assert article.title == "Tiêu đề bài báo"
    assert article.body[-1] == "Đoạn cuối cùng kết thúc ở đây"
    assert any(f"at byte {len(data) - 3}" in w and "dropped" in w for w in article.warnings)


def test_the_feed_is_well_formed_whatever_the_sidecars_hold(tmp_path):
    """Control and bidi characters never reach the XML, only http(s) links are
    published, and a sidecar with wrong types is left out with a warning that
    names it while the others are still published."""
    import json
    import xml.etree.ElementTree as ET

    out = tmp_path / "out"
    for n in range(3):
        article = tmp_path / f"a{n}.txt"
        article.write_text(f"Bản tin số {n}\n" + SAMPLE.read_text(encoding="utf-8"),
                           encoding="utf-8")
        assert run_cli("build", str(article), "--engine", "espeak", "-o", str(out), "-q",
                       "--cache", str(tmp_path / "cache")).exit_code == 0
    sidecars = sorted(out.glob("*.json"))
    evil = json.loads(sidecars[0].read_text(encoding="utf-8"))
    evil.update(title="Tin\x00 nóng\x1b[31m \u202eđảo ngược\u202c", byline="A\x07B",
                source="javascript:alert(1)")
    sidecars[0].write_text(json.dumps(evil), encoding="utf-8")
    broken = json.loads(sidecars[1].read_text(encoding="utf-8"))
    broken.update(duration_ms="abc", sentences={"not": "a list"}, published=12)
    sidecars[1].write_text(json.dumps(broken), encoding="utf-8")
    result = run_cli("feed", str(out), "--base-url", "https://example.com/a")
    assert result.exit_code == 0, result.stderr
    assert sidecars[1].name in result.stderr and "left out" in result.stderr
    feed = (out / "feed.xml").read_bytes()
    root = ET.fromstring(feed)  # well-formed
    titles = [t.text for t in root.iter("title")][1:]
    assert len(titles) == 2 and "Tin nóng[31m đảo ngược" in titles
    assert b"javascript" not in feed and b"\x1b" not in feed and "\u202e".encode() not in feed


UNSAFE_MIX = "\x07\x1b[31m\u202e\u2067\u200f\x9b\ufffe"


@pytest.mark.parametrize("kind", ["txt", "html"])
def test_no_control_or_bidi_character_reaches_the_tags_the_page_the_json_or_the_feed(
        kind, tmp_path):
    """The article (title, byline, body, caption) and the producer's own texts
    (--publisher, the feed's --title/--description/--author) all carry control
    and bidi characters; none reaches any published file."""
    import re
    import xml.etree.ElementTree as ET

    from mutagen.id3 import ID3

    from script.chars import UNSAFE

    x = UNSAFE_MIX
    body = SAMPLE.read_text(encoding="utf-8").split("\n", 1)[1]
    if kind == "txt":
        article = tmp_path / "a.txt"
        article.write_text(f"Tin{x} nóng\n\nĐoạn{x} mở đầu của bản tin.\n{body}\n"
                           f"Nguyễn{x} Văn An", encoding="utf-8")
    else:
        article = tmp_path / "a.html"
        paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n") if p.strip())
        article.write_text(
            f"<html><head><title>Tin{x} nóng</title><meta name='author' content='An{x} Bình'>"
            f"</head><body><article><h1>Tin{x} nóng</h1><p>Đoạn{x} mở đầu của bản tin.</p>"
            f"{paragraphs}<figure><img src='a.jpg'><figcaption>Ảnh{x} minh hoạ cảnh phố"
            f"</figcaption></figure></article></body></html>", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", str(article), "--engine", "espeak", "-o", str(out), "-q",
                     "--cache", str(tmp_path / "cache"), "--publisher", f"Báo{x} Mới")
    assert result.exit_code == 0, result.stderr
    feed = run_cli("feed", str(out), "--base-url", "https://example.com/a",
                   "--title", f"Kênh{x}", "--description", f"Mô{x} tả", "--author", f"Tác{x}")
    assert feed.exit_code == 0, feed.stderr
    unsafe = re.compile(f"[{UNSAFE}]")
    [mp3] = out.glob("*.mp3")
    id3 = ID3(mp3)
    tag_texts = [str(text) for frame in id3.values() for text in getattr(frame, "text", [])]
    tag_texts += [str(t) for chap in id3.getall("CHAP") for f in chap.sub_frames.values()
                  for t in f.text]
    assert "Báo Mới" in tag_texts and any("Tin" in t and "nóng" in t for t in tag_texts)
    for text in tag_texts:
        assert not unsafe.search(text), repr(text)
    for suffix in (".html", ".json", ".vtt"):
        text = mp3.with_suffix(suffix).read_text(encoding="utf-8")
        assert "nóng" in text and not unsafe.search(text), (suffix, unsafe.findall(text))
    xml = (out / "feed.xml").read_text(encoding="utf-8")
    ET.fromstring(xml.encode())
    assert "Kênh" in xml and "Tác" in xml and not unsafe.search(xml), unsafe.findall(xml)


def test_a_file_name_with_undecodable_bytes_and_a_bidi_override_builds_a_whole_edition(
        tmp_path):
    """Such a name reaches the JSON's build record escaped: before, the JSON
    could not be encoded and the MP3 stood alone, with an internal error."""
    import json

    name = os.fsdecode(b"tin\xff\xe2\x80\xaeb.txt")  # 0xFF, then U+202E
    (tmp_path / name).write_bytes(SAMPLE.read_bytes())
    out = tmp_path / "out"
    result = run_cli("build", str(tmp_path / name), "--engine", "espeak", "-o", str(out),
                     "-q", "--cache", str(tmp_path / "cache"))
    assert result.exit_code == 0, result.stderr
    assert sorted(p.suffix for p in out.iterdir()) == [".html", ".json", ".mp3", ".vtt"]
    [sidecar] = out.glob("*.json")
    record = json.loads(sidecar.read_text(encoding="utf-8"))["build"]
    assert record["article"].endswith("tin\\udcff\\u202eb.txt")
    again = run_cli("build", str(tmp_path / name), "--engine", "espeak", "-o", str(out),
                    "--cache", str(tmp_path / "cache"))
    assert again.exit_code == 0 and again.output.startswith("Up to date: ")


def test_a_charset_header_loses_to_utf8_bytes_and_a_meta_that_agrees(tmp_path):
    """Servers default to ISO-8859-1 in their header; the page says UTF-8 and
    is UTF-8: read as UTF-8, not as mojibake."""
    from http.server import BaseHTTPRequestHandler

    from script import read_article

    from .helpers import QuietLog, start_server, stop_server

    page = ("<html><head><meta charset='utf-8'><title>Hà Nội mưa lớn</title></head><body>"
            "<article><h1>Hà Nội mưa lớn</h1><p>Mưa lớn kéo dài khiến nhiều tuyến phố ở Hà "
            "Nội ngập sâu, giao thông ùn tắc trong giờ cao điểm buổi chiều.</p><p>Lực lượng "
            "chức năng đã được huy động để hỗ trợ người dân di chuyển an toàn.</p></article>"
            "</body></html>").encode("utf-8")

    class Latin1Header(QuietLog, BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=iso-8859-1")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

    server = start_server(Latin1Header)
    try:
        article = read_article(f"http://127.0.0.1:{server.server_address[1]}/tin.html")
    finally:
        stop_server(server)
    assert article.title == "Hà Nội mưa lớn"
    assert "Ã" not in " ".join(p.text for p in article.parts)


PUBLIC = "http://93.184.215.14"  # a public address, reached here only through the proxy


@pytest.fixture
def public_site(monkeypatch):
    """A loopback server that is both the HTTP proxy every request goes to (so
    nothing leaves the machine) and the site behind it: the public page
    /news redirects to `site.location`; any /admin or /news2 page is an article."""
    from http.server import BaseHTTPRequestHandler
    from types import SimpleNamespace

    from .helpers import QuietLog, start_server, stop_server

    site = SimpleNamespace(location="", seen=[])
    page = ("<html><head><title>Tin nội bộ</title></head><body><article><h1>Tin nội bộ</h1>"
            "<p>Trang này chỉ dành cho người quản trị hệ thống của toà soạn, không phải "
            "bài báo công khai cho bạn đọc.</p><p>Đoạn thứ hai của trang quản trị.</p>"
            "</article></body></html>").encode("utf-8")

    class Handler(QuietLog, BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            site.seen.append(self.path)
            if self.path == f"{PUBLIC}/news":
                self.send_response(302)
                self.send_header("Location", site.location.format(port=site.port))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

    server = start_server(Handler)
    site.port = server.server_address[1]
    proxy = f"http://127.0.0.1:{site.port}"
    for name in ("HTTP_PROXY", "http_proxy"):
        monkeypatch.setenv(name, proxy)
    for name in ("NO_PROXY", "no_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield site
    stop_server(server)


@pytest.mark.parametrize("location", [
    "http://127.0.0.1:{port}/admin", "http://localhost:{port}/admin",
    "http://[::1]:{port}/admin", "http://[::ffff:127.0.0.1]:{port}/admin",
    "http://2130706433:{port}/admin", "http://10.0.0.1/admin",
    "http://169.254.169.254/latest/meta-data", "http://0.0.0.0:{port}/admin",
    # spellings that slipped past (found by an adversarial review): two URL
    # parsers that disagree, a trailing dot, IPv4 inside IPv6, multicast
    "http://127.0.0.1:{port}\\@93.184.215.14/admin", "http://127.0.0.1.:{port}/admin",
    "http://127.0.0.1%2e:{port}/admin", "http://localhost.:{port}/admin",
    "http://[::127.0.0.1]:{port}/admin", "http://[::ffff:0:7f00:1]:{port}/admin",
    "http://[64:ff9b::7f00:1]:{port}/admin", "http://[2002:7f00:1::]:{port}/admin",
    "http://224.0.0.1/admin"])
def test_a_redirect_from_a_public_address_to_a_private_one_is_refused(
        location, public_site, tmp_path):
    public_site.location = location
    result = run_cli("build", f"{PUBLIC}/news", "--engine", "espeak", "--no-cache", "-q",
                     "-o", str(tmp_path / "out"))
    one_line_error(result, "refused", "private address", "--allow-private-urls")
    assert public_site.seen == [f"{PUBLIC}/news"]  # the private page was never asked for
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    script = run_cli("script", f"{PUBLIC}/news")
    one_line_error(script, "refused")


def test_allow_private_urls_follows_such_a_redirect_and_public_ones_are_followed(
        public_site, tmp_path):
    public_site.location = "http://127.0.0.1:{port}/admin"
    result = run_cli("build", f"{PUBLIC}/news", "--engine", "espeak", "--no-cache", "-q",
                     "-o", str(tmp_path / "a"), "--allow-private-urls")
    assert result.exit_code == 0, result.stderr
    assert len(list((tmp_path / "a").glob("*.mp3"))) == 1
    public_site.location = "/news2"  # public to public
    result = run_cli("script", f"{PUBLIC}/news")
    assert result.exit_code == 0, result.stderr
    assert "Tin nội bộ" in result.stdout
    assert public_site.seen[-2:] == [f"{PUBLIC}/news", f"{PUBLIC}/news2"]


def test_a_redirect_to_another_scheme_or_a_loop_is_one_line_of_error(public_site):
    public_site.location = "file:///etc/passwd"
    one_line_error(run_cli("script", f"{PUBLIC}/news"), "not an http(s) URL")
    public_site.location = f"{PUBLIC}/news"
    one_line_error(run_cli("script", f"{PUBLIC}/news"), "more than 10 redirects")


# --- Internal errors found by an adversarial review: each now one line ---------------

@pytest.mark.parametrize("args, fragment", [
    (["--gtts-url", "http://[::1"], "not an http(s) URL"),
    (["--gtts-url", "http://127.0.0.1:99999/x"], "not an http(s) URL"),
    (["--gtts-url", "http://127.0.0.1:abc/x"], "not an http(s) URL"),
    (["--gtts-url", "http://%00/x"], "not an http(s) URL"),
    (["--gtts-url", "http://exa\u2066mple.com/x"], "not an http(s) URL"),
])
def test_a_url_option_that_is_not_one_is_a_usage_error(args, fragment):
    result = build(*args, "--dry-run")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert fragment in line and args[0] in line


def test_feed_urls_that_are_not_urls_are_usage_errors(tmp_path):
    for url in ("http://[::1", "https://a.example:abc/x", "https://a.example/x?a=1#f"):
        result = run_cli("feed", str(tmp_path), "--base-url", url)
        assert result.exit_code == 2 and "--base-url" in result.stderr, (url, result.stderr)


def test_bad_encodings_lexicons_and_scripts_are_one_line(tmp_path):
    one_line_error(run_cli("script", str(SAMPLE), "--encoding", "undefined"),
                   "--encoding 'undefined' cannot decode")
    deep = tmp_path / "deep.toml"
    deep.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    one_line_error(run_cli("script", str(SAMPLE), "--lexicon", str(deep)), "nested too deep")
    bidi = tmp_path / "bidi.toml"
    bidi.write_text('"thư viện" = "thư\u202e viện"\n', encoding="utf-8")
    for command in ("script", "build"):
        one_line_error(run_cli(command, str(SAMPLE), "--lexicon", str(bidi), "-o",
                               str(tmp_path / "o")), "control or bidi character", "thư viện")
    script = tmp_path / "s.txt"
    script.write_text("title: T\nlanguage: \n\n[title]\nxin chào\n-- end\n", encoding="utf-8")
    one_line_error(run_cli("render", str(script), "--engine", "espeak", "-o",
                           str(tmp_path / "r")), "the language must not be empty")


@pytest.mark.parametrize("fault, message", [("header-drip", "no answer in 1 s"),
                                            ("short", "broke off")])
def test_a_page_that_drips_its_headers_or_breaks_off_fails_in_time(fault, message):
    """A page's status line and headers sent a byte at a time, and a body
    shorter than its Content-Length (both were a hang or an internal error)."""
    from http.server import BaseHTTPRequestHandler

    from script import ScriptError
    from script.fetch import fetch

    from .helpers import QuietLog, start_server, stop_server

    class Bad(QuietLog, BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            try:
                if fault == "header-drip":
                    for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"x" * 40:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(0.1)
                else:
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", "5000")
                    self.end_headers()
                    self.wfile.write(b"<html><body>cut")
                    self.close_connection = True
            except (BrokenPipeError, ConnectionResetError):
                pass

    server = start_server(Bad)
    start = time.monotonic()
    try:
        with pytest.raises(ScriptError, match=message):
            fetch(f"http://127.0.0.1:{server.server_address[1]}/p", timeout=1)
    finally:
        stop_server(server)
    assert time.monotonic() - start < 3


def test_decoding_cases_an_adversarial_review_found(tmp_path):
    """A saved page cut inside its last character, a UTF-16 page whose meta
    says utf-8, UTF-32 with a BOM, and UTF-8 with one bad byte mid-file (was
    "converted" from a legacy encoding into nonsense)."""
    from script import read_article

    text = SAMPLE.read_text(encoding="utf-8")
    title = text.split("\n")[0]
    page = ("<html><head><meta charset='utf-8'><title>" + title + "</title></head><body>"
            "<article><h1>" + title + "</h1>" + "".join(
                f"<p>{p}</p>" for p in text.split("\n")[1:] if p.strip())
            + "<p>Đoạn cuối có chữ ộ</p></article></body></html>")
    cut = tmp_path / "cut.html"
    data = page.encode("utf-8")
    cut.write_bytes(data[:data.rindex("ộ".encode()) + 2])  # inside the last "ộ"... and after
    assert read_article(cut).title == title
    utf16 = tmp_path / "utf16.html"
    utf16.write_bytes(page.encode("utf-16"))
    assert read_article(utf16).title == title
    utf32 = tmp_path / "a32.txt"
    utf32.write_bytes(text.encode("utf-32"))
    assert read_article(utf32).title == title
    damaged = tmp_path / "damaged.txt"
    raw = text.encode("utf-8")
    middle = len(raw) // 2
    damaged.write_bytes(raw[:middle] + b"\xff" + raw[middle:])
    result = run_cli("script", str(damaged))
    one_line_error(result, "UTF-8 with 1 undecodable byte", f"at offset {middle}")


def test_a_page_that_says_utf8_and_is_windows_1258_is_read_as_what_it_is(tmp_path):
    from script import read_article

    from .encodings import cp1258

    page = ("<html><head><meta charset='utf-8'><title>Thư viện cộng đồng</title></head>"
            "<body><article><h1>Thư viện cộng đồng</h1><p>Thư viện cộng đồng đầu tiên của xã "
            "ven biển mở cửa đón bạn đọc với hơn ba nghìn đầu sách.</p><p>Người dân đến "
            "mượn sách từ sáng sớm.</p></article></body></html>")
    path = tmp_path / "p.html"
    path.write_bytes(cp1258(page))
    assert read_article(path).title == "Thư viện cộng đồng"
