"""Listening: timings against the real audio, the read-along page in a real
browser, --open, and the podcast feed."""
from __future__ import annotations

import json
import shutil
import webbrowser
from pathlib import Path

import feedparser
import numpy as np
import pytest

from audio.ffmpeg import decode
from tests.helpers import run_cli as run
from tests.conftest import ROOT, SAMPLE
from tests.fake_google import RATE, FakeGoogle

FIXTURE = ROOT / "tests" / "fixtures" / "ban-tin-giao-thong.txt"
ARTIFACTS = ROOT / "tests" / "artifacts"
HOSTILE = ('Tin <script>window.__pwned = "title"</script> nóng <img src=x '
           'onerror="window.__pwned = \'img\'">\n\n'
           'Mở đầu có <b>chữ đậm</b> & ký hiệu.\n\n'
           'Thân bài <script>window.__pwned = "body"</script> và '
           '<img src=x onerror="window.__pwned = \'body-img\'"> kết thúc.\n')



def edition(out: Path) -> dict[str, Path]:
    [mp3] = sorted(out.glob("*.mp3"))
    return {ext: mp3.with_suffix(f".{ext}") for ext in ("mp3", "json", "vtt", "html")}


SHORT_SENTENCES = ("\n\nTrời mưa. Đường ngập. Xe chết máy. Người dân lội nước về nhà. "
                   "Trường cho học sinh nghỉ. Chợ vắng khách.\n\nNgọc Lan - Quang Huy\n")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The fixture article, plus a paragraph of short sentences that share
    clips, through the real gTTS library; the fake pauses 250 ms between the
    sentences of one clip, as a voice does."""
    out = tmp_path_factory.mktemp("edition")
    article = tmp_path_factory.mktemp("article") / "article.txt"
    text = FIXTURE.read_text(encoding="utf-8")
    article.write_text(text.replace("\n\nNgọc Lan - Quang Huy\n", SHORT_SENTENCES),
                       encoding="utf-8")
    with FakeGoogle(sentence_gap_ms=250) as fake:
        result = run("build", str(article), "-o", str(out), "--engine", "gtts",
                     "--gtts-url", fake.url, "--cache", str(tmp_path_factory.mktemp("c")))
    assert result.exit_code == 0, result.stderr
    return edition(out)


def level_db(x: np.ndarray, a_ms: float, b_ms: float) -> float:
    part = x[max(0, int(a_ms * RATE / 1000)):max(0, int(b_ms * RATE / 1000))]
    if not len(part):
        return -120.0
    return 20 * np.log10(np.sqrt(np.mean(part ** 2)) + 1e-9)


def check_boundaries(x: np.ndarray, spans: list[tuple[int, int]]) -> None:
    """Silence just outside each span (50 ms), speech just inside it (in the
    150 ms inside each edge: a word can end on a quiet consonant)."""
    total_ms = len(x) * 1000 / RATE
    for start, end in spans:
        if start > 60:
            assert level_db(x, start - 60, start - 10) < -50, (start, end)
        assert level_db(x, start + 10, start + 160) > -40, (start, end)
        assert level_db(x, end - 160, end - 10) > -40, (start, end)
        if end + 60 < total_ms:
            assert level_db(x, end + 10, end + 60) < -50, (start, end)


def test_segment_and_sentence_timings_match_the_audio(built):
    x = np.frombuffer(decode(built["mp3"].read_bytes(), RATE), "<i2") / 32768
    data = json.loads(built["json"].read_text(encoding="utf-8"))
    segments = [(s["start_ms"], s["end_ms"]) for s in data["segments"]]
    sentences = [(s["start_ms"], s["end_ms"]) for s in data["sentences"]]
    check_boundaries(x, segments)
    check_boundaries(x, sentences)
    # some segments say two sentences: their inner boundary was found in the clip
    starts = {s for s, _ in segments}
    assert any(s not in starts for s, _ in sentences)
    assert data["duration_ms"] == pytest.approx(len(x) * 1000 / RATE, abs=50)


def test_json_holds_written_and_spoken_text_and_chapters(built):
    data = json.loads(built["json"].read_text(encoding="utf-8"))
    first = data["segments"][0]
    assert first["section"] == "title" and first["text"] == first["spoken"]
    assert any("3.512" not in s["spoken"] and "Quyết định 3512/QĐ-UBND" in s["text"]
               for s in data["segments"])
    assert [c["title"] for c in data["chapters"]][:3] == ["Tiêu đề", "Sapo", "Nội dung"]
    assert data["audio"] == built["mp3"].name and data["byline"] == "Ngọc Lan - Quang Huy"


def test_webvtt_has_one_cue_per_sentence(built):
    data = json.loads(built["json"].read_text(encoding="utf-8"))
    lines = built["vtt"].read_text(encoding="utf-8").split("\n")
    assert lines[0] == "WEBVTT"
    arrows = [line for line in lines if " --> " in line]
    assert len(arrows) == len(data["sentences"])
    assert "Đây là cây cầu thứ 4 được đưa vào sử dụng trong năm 2024." in lines
    times = [line.split(" --> ") for line in arrows]
    assert times == sorted(times)


def test_offline_voice_timings_match_the_audio(tmp_path):
    result = run("build", str(SAMPLE), "-o", str(tmp_path), "--engine", "espeak")
    assert result.exit_code == 0, result.stderr
    files = edition(tmp_path)
    x = np.frombuffer(decode(files["mp3"].read_bytes(), RATE), "<i2") / 32768
    data = json.loads(files["json"].read_text(encoding="utf-8"))
    check_boundaries(x, [(s["start_ms"], s["end_ms"]) for s in data["segments"]])


def test_open_shows_the_page(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    result = run("build", str(SAMPLE), "-o", str(tmp_path), "--engine", "espeak", "--open")
    assert result.exit_code == 0
    assert opened == [edition(tmp_path)["html"].resolve().as_uri()]


def test_feed_parses_and_its_enclosures_are_the_mp3s(tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "out"
    for article in (SAMPLE, hostile):
        assert run("build", str(article), "-o", str(out), "--engine", "espeak").exit_code == 0
    result = run("feed", str(out), "--base-url", "https://bao.example/audio",
                 "--title", "Bản tin <b>audio</b> & tin nhanh")
    assert result.exit_code == 0, result.stderr
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.title == "Bản tin <b>audio</b> & tin nhanh"
    assert len(parsed.entries) == 2
    titles = {e.title for e in parsed.entries}
    assert HOSTILE.split("\n")[0] in titles
    for entry in parsed.entries:
        [enclosure] = entry.enclosures
        mp3 = out / Path(enclosure.href).name
        assert enclosure.href.startswith("https://bao.example/audio/")
        assert int(enclosure.length) == mp3.stat().st_size
        assert enclosure.type == "audio/mpeg"
        assert entry.itunes_duration.count(":") == 2 and entry.published


def test_feed_of_an_empty_directory_is_a_clear_error(tmp_path):
    result = run("feed", str(tmp_path), "--base-url", "https://bao.example/")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no editions in")


# --- The page in a real browser --------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser():
    playwright = pytest.importorskip("playwright.sync_api",
                                     reason="playwright is not installed (pip install '.[test]')")
    if not CHROMIUM:
        pytest.skip("no chromium here: .ci/run installs Debian's chromium")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def poll(page, expression: str, timeout: float = 10.0):
    """Wait until `expression` is truthy in the page. (Playwright's
    wait_for_function evaluates strings, which the page's CSP forbids.)"""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(f"() => {expression}")
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def open_page(browser, html: Path, width: int = 390, dark: bool = False, phone: bool = True):
    """The page at `width` px (390: a phone, touch screen and all), light or dark."""
    page = browser.new_page(viewport={"width": width, "height": 844 if phone else 900},
                            color_scheme="dark" if dark else "light",
                            has_touch=phone, is_mobile=phone)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(html.resolve().as_uri())
    assert poll(page, "document.getElementById('audio').readyState >= 1")
    return page, errors


def test_page_highlights_and_seeks(browser, built):
    page, errors = open_page(browser, built["html"])
    data = json.loads(built["json"].read_text(encoding="utf-8"))
    duration = page.evaluate("() => document.getElementById('audio').duration")
    assert duration == pytest.approx(data["duration_ms"] / 1000, abs=0.1)
    cues = data["sentences"]
    for cue in (cues[1], cues[5], cues[-2]):
        middle = (cue["start_ms"] + cue["end_ms"]) / 2000
        page.evaluate(f"() => {{ document.getElementById('audio').currentTime = {middle}; }}")
        assert poll(page, "document.querySelector('.cue.now')?.dataset.start === "
                          f"'{cue['start_ms']}'")
    # a click (or Enter) seeks to the sentence and plays from there: paused at
    # once here, the playhead is where the sentence starts, within what plays meanwhile
    pause = "document.getElementById('audio').pause()"
    target = page.locator(".cue").nth(7)
    target.click()
    page.evaluate(f"() => {pause}")
    start = int(target.get_attribute("data-start"))
    assert page.evaluate("() => document.getElementById('audio').currentTime") == \
        pytest.approx(start / 1000 + 0.15, abs=0.16)
    assert page.locator(".cue.now").get_attribute("data-start") == str(start)
    # keyboard: focus a sentence, Enter seeks to it
    page.locator(".cue").nth(3).focus()
    page.keyboard.press("Enter")
    page.evaluate(f"() => {pause}")
    assert page.evaluate("() => document.getElementById('audio').currentTime") == \
        pytest.approx(cues[3]["start_ms"] / 1000 + 0.15, abs=0.16)
    page.select_option("#speed", "1.25")
    assert page.evaluate("() => document.getElementById('audio').playbackRate") == 1.25
    assert page.locator("nav .chapter").count() == len(data["chapters"])
    assert errors == []


def test_a_click_on_a_sentence_plays_from_it(browser, built):
    page, errors = open_page(browser, built["html"], 1280, phone=False)
    assert page.evaluate("() => document.getElementById('audio').paused")
    target = page.locator(".cue").nth(4)
    target.click()
    assert poll(page, "!document.getElementById('audio').paused")
    assert page.evaluate("() => document.getElementById('audio').currentTime") >= \
        int(target.get_attribute("data-start")) / 1000 - 0.01
    page.evaluate("() => document.getElementById('audio').pause()")
    page.locator(".cue").nth(2).focus()
    page.keyboard.press("Enter")  # the keyboard too
    assert poll(page, "!document.getElementById('audio').paused")
    assert errors == []


def axe_violations(page) -> list[str]:
    """axe-core's serious and critical violations on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}): {v['help']} - "
            f"{[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_the_page_passes_axe_and_is_kept_as_a_screenshot(browser, built, width, dark):
    pytest.importorskip("axe_playwright_python", reason="pip install '.[test]'")
    page, errors = open_page(browser, built["html"], width, dark, phone=width < 500)
    page.locator(".cue").nth(6).evaluate("el => el.classList.add('now')")  # as when playing
    assert axe_violations(page) == []
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"read-along-{width}-{'dark' if dark else 'light'}.png"))
    assert errors == []


def test_on_a_phone_the_player_is_small_the_key_hints_hidden_the_article_on_screen(
        browser, built):
    page, errors = open_page(browser, built["html"], 390)
    player = page.locator(".player").bounding_box()
    assert player["height"] <= 100, player
    assert not page.locator(".keys").is_visible()  # a touch screen: no keys to press
    data = json.loads(built["json"].read_text(encoding="utf-8"))
    assert len(data["chapters"]) > 3
    assert not page.locator("nav .chapter").first.is_visible()  # the long list is folded
    first = page.locator("article p").first.bounding_box()
    assert first["y"] < 844  # the article starts on the first screen
    page.locator("nav summary").click()
    assert page.locator("nav .chapter").first.is_visible()
    desktop, _ = open_page(browser, built["html"], 1280, phone=False)
    assert desktop.locator(".keys").is_visible()
    assert desktop.locator("nav .chapter").first.is_visible()  # room to unfold them
    assert errors == []


def test_page_runs_no_script_from_the_article(browser, tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(HOSTILE, encoding="utf-8")
    assert run("build", str(hostile), "-o", str(tmp_path / "out"), "--engine",
               "espeak").exit_code == 0
    page, errors = open_page(browser, edition(tmp_path / "out")["html"])
    page.wait_for_timeout(300)  # time for an injected onerror to fire, if any
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("article img, h1 img, h1 script, article script").count() == 0
    assert "<script>" in page.locator("h1").inner_text()
    assert "<b>chữ đậm</b>" in page.locator("article").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "read-along-hostile.png"))
    assert errors == []
