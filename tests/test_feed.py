"""The podcast feed against Apple Podcasts' and Spotify's published
requirements: the channel's required and recommended elements, stable
episode identities, the episode image, and warnings that say which platform
would refuse what is missing."""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from tests.conftest import SAMPLE
from tests.helpers import run_cli as run

IT = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"

# Apple Podcasts ("Podcast RSS feed requirements") and Spotify ("Podcast
# specification"): what a channel and an episode must and should carry.
CHANNEL_REQUIRED = ["title", "description", "language", f"{IT}image", f"{IT}category",
                    f"{IT}explicit", "link"]
CHANNEL_RECOMMENDED = [f"{IT}author", f"{IT}owner/{IT}name", f"{IT}owner/{IT}email",
                       "copyright", f"{IT}type"]
ITEM_REQUIRED = ["title", "enclosure", "guid"]
ITEM_RECOMMENDED = ["pubDate", "description", f"{IT}duration", "link", f"{IT}image",
                    f"{IT}explicit", f"{IT}episodeType"]

FULL = ["--base-url", "https://bao.example/audio", "--title", "Bản tin Báo Mới",
        "--description", "Tin trong ngày, đọc thành tiếng.", "--author", "Báo Mới",
        "--link", "https://bao.example", "--image", "https://bao.example/art.jpg",
        "--category", "News", "--subcategory", "Daily News", "--owner-name", "Ban Biên tập",
        "--owner-email", "audio@bao.example", "--copyright", "© 2026 Báo Mới"]


@pytest.fixture(scope="module")
def cover(tmp_path_factory) -> Path:
    from PIL import Image

    path = tmp_path_factory.mktemp("art") / "cover.jpg"
    Image.new("RGB", (1400, 1400), (180, 20, 20)).save(path, quality=80)
    return path


def build(article: Path, out: Path, *extra: str):
    result = run("build", str(article), "-o", str(out), "--engine", "espeak", "-q", *extra)
    assert result.exit_code == 0, result.stderr
    return result


def with_source(tmp_path: Path) -> Path:
    """The sample as a page that names its URL (so the episode has a link)."""
    body = "".join(f"<p>{p}</p>" for p in SAMPLE.read_text(encoding="utf-8").split("\n")[1:]
                   if p.strip())
    page = tmp_path / "tin.html"
    page.write_text(f"<html><head><title>Thư viện mở cửa</title>"
                    f"<link rel='canonical' href='https://bao.example/thu-vien.html'></head>"
                    f"<body><article><h1>Thư viện mở cửa</h1>{body}</article></body></html>",
                    encoding="utf-8")
    return page


def test_a_full_feed_has_every_element_apple_and_spotify_ask_for(tmp_path, cover):
    out = tmp_path / "out"
    build(with_source(tmp_path), out, "--cover", str(cover))
    result = run("feed", str(out), *FULL)
    assert result.exit_code == 0, result.stderr
    assert "Warning" not in result.stderr
    root = ET.fromstring((out / "feed.xml").read_bytes())
    channel = root.find("channel")
    for path in CHANNEL_REQUIRED + CHANNEL_RECOMMENDED:
        assert channel.find(path) is not None, path
    category = channel.find(f"{IT}category")
    assert category.get("text") == "News"
    assert category.find(f"{IT}category").get("text") == "Daily News"
    assert channel.find(f"{IT}image").get("href") == "https://bao.example/art.jpg"
    [item] = channel.findall("item")
    for path in ITEM_REQUIRED + ITEM_RECOMMENDED:
        assert item.find(path) is not None, path
    mp3 = next(out.glob("*.mp3"))
    enclosure = item.find("enclosure")
    assert int(enclosure.get("length")) == mp3.stat().st_size
    assert item.find(f"{IT}image").get("href").endswith(mp3.with_suffix(".jpg").name)
    assert item.find("guid").get("isPermaLink") == "false"
    assert item.find("guid").text == "https://bao.example/thu-vien.html"

    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.bozo_exception
    assert parsed.feed.language == "vi"
    assert channel.find(f"{IT}explicit").text == "false"  # Apple: "true" or "false"
    assert parsed.feed.image.href == "https://bao.example/art.jpg"
    assert parsed.feed.publisher_detail.email == "audio@bao.example"
    [entry] = parsed.entries
    assert entry.id == "https://bao.example/thu-vien.html"
    assert entry.summary.startswith("Sáng 15/3")  # the lead


def test_missing_values_are_warnings_that_name_the_platform_that_refuses(tmp_path):
    out = tmp_path / "out"
    build(SAMPLE, out)
    result = run("feed", str(out), "--base-url", "https://bao.example/audio")
    assert result.exit_code == 0  # the feed is still written: a producer may add them later
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning: ")]
    text = "\n".join(warnings)
    assert "--image" in text and "Apple Podcasts and Spotify refuse" in text
    assert "--category" in text and "Apple Podcasts refuses" in text
    assert "--owner-email" in text and "Spotify" in text
    assert (out / "feed.xml").is_file()


@pytest.mark.parametrize("args, fragment", [
    (["--category", "News & Politics"], "not an Apple Podcasts category"),
    (["--category", "News", "--subcategory", "Podcasting"], "not a subcategory of 'News'"),
    (["--category", "Technology", "--subcategory", "Tech News"], "(it has none)"),
    (["--subcategory", "Daily News"], "needs --category"),
    (["--owner-email", "not-an-address"], "not an e-mail address"),
    (["--image", "ftp://bao.example/a.jpg"], "not an http(s) URL"),
])
def test_a_bad_channel_value_is_a_usage_error_that_names_the_option(tmp_path, args, fragment):
    result = run("feed", str(tmp_path), "--base-url", "https://bao.example/", *args)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert fragment in line and "--" in line


def test_an_episode_keeps_its_guid_and_date_through_rebuilds_and_a_new_base_url(tmp_path):
    out = tmp_path / "out"
    build(SAMPLE, out)
    sidecar = next(out.glob("*.json"))
    first = json.loads(sidecar.read_text(encoding="utf-8"))
    assert first["guid"].startswith("urn:uuid:") and first["first_built"]

    build(SAMPLE, out, "--force", "--pause-sentence", "0.6")  # a rebuild, another option
    again = json.loads(sidecar.read_text(encoding="utf-8"))
    assert (again["guid"], again["published"]) == (first["guid"], first["published"])

    feeds = []
    for base in ("https://bao.example/audio", "https://cdn.example/podcast/"):
        assert run("feed", str(out), "--base-url", base).exit_code == 0
        feeds.append(feedparser.parse((out / "feed.xml").read_bytes()).entries[0])
    assert feeds[0].id == feeds[1].id == first["guid"]
    assert feeds[0].published == feeds[1].published



def test_the_same_article_in_two_files_is_one_episode_in_the_feed(tmp_path):
    """An article rebuilt under a new title keeps its guid: the feed lists the
    newest edition once and says which older file it left out."""
    out = tmp_path / "out"
    article = tmp_path / "tin.txt"
    article.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    build(article, out)
    article.write_text("Tiêu đề đã sửa của bài báo\n"
                       + SAMPLE.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    build(article, out)
    assert len(list(out.glob("*.mp3"))) == 2
    guids = {json.loads(p.read_text(encoding="utf-8"))["guid"] for p in out.glob("*.json")}
    assert len(guids) == 1
    result = run("feed", str(out), "--base-url", "https://bao.example/audio")
    assert result.exit_code == 0
    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert [e.title for e in parsed.entries] == ["Tiêu đề đã sửa của bài báo"]
    assert "older edition" in result.stderr


def test_cover_art_is_embedded_and_published_beside_the_mp3(tmp_path, cover):
    from mutagen.id3 import ID3

    out = tmp_path / "out"
    build(SAMPLE, out, "--cover", str(cover))
    mp3 = next(out.glob("*.mp3"))
    [apic] = ID3(mp3).getall("APIC")
    assert apic.mime == "image/jpeg" and apic.type == 3 and apic.data == cover.read_bytes()
    assert mp3.with_suffix(".jpg").read_bytes() == cover.read_bytes()
    assert json.loads(mp3.with_suffix(".json").read_text(encoding="utf-8"))["image"] == \
        mp3.with_suffix(".jpg").name
    again = run("build", str(SAMPLE), "-o", str(out), "--engine", "espeak", "--cover",
                str(cover))
    assert again.output.startswith("Up to date")  # the cover is part of what is built from


@pytest.mark.parametrize("size, kind, fragment", [
    ((1400, 1000), "PNG", "must be square"), ((600, 600), "PNG", "1400 to 3000"),
    ((3200, 3200), "JPEG", "1400 to 3000"), ((1500, 1500), "WEBP", "JPEG or PNG"),
    (None, None, "not an image Pillow can read")])
def test_a_cover_podcast_apps_refuse_is_one_line_of_error_and_nothing_is_built(
        tmp_path, size, kind, fragment):
    from PIL import Image

    path = tmp_path / "cover.img"
    if size:
        Image.new("RGB", size, (10, 10, 10)).save(path, format=kind)
    else:
        path.write_bytes(b"\x89PNG\r\n\x1a\n but not really")
    out = tmp_path / "out"
    result = run("build", str(SAMPLE), "-o", str(out), "--engine", "espeak", "--cover",
                 str(path))
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: the cover") and fragment in line
    assert not out.exists() or not any(out.iterdir())
