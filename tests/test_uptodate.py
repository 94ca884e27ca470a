"""Unchanged rebuilds: an edition built from the same inputs is left alone
(nothing rewritten, nothing synthesized); any input that changes the file
rebuilds it; `--force` always does."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from audio.uptodate import input_key, installed_version
from audio.engines import EngineOptions
from audio.model import EditionOptions, Encoding

from .conftest import SAMPLE
from .fake_google import FakeGoogle
from .helpers import run_cli


def build(article: Path, out: Path, *extra: str):
    return run_cli("build", str(article), "-o", str(out), "--engine", "espeak",
                   "--cache", str(out.parent / "cache"), *extra)


def snapshot(out: Path) -> dict[str, tuple[int, int, bytes]]:
    """Each file's inode, modification time and bytes: a rewrite (even of the
    same bytes, even through a rename) changes the first two."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted(out.iterdir())}


@pytest.fixture
def built(tmp_path):
    article = tmp_path / "article.txt"
    article.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out"
    result = build(article, out)
    assert result.exit_code == 0 and "Wrote" in result.stdout
    return article, out


def test_an_unchanged_rebuild_rewrites_nothing(built):
    article, out = built
    before = snapshot(out)
    result = build(article, out)
    assert result.exit_code == 0
    assert result.stdout.startswith("Up to date: ") and "--force" in result.stdout
    assert snapshot(out) == before
    recorded = json.loads(next(out.glob("*.json")).read_text(encoding="utf-8"))["build"]
    assert recorded["voice"] == "espeak"
    assert recorded["bytes"] == next(out.glob("*.mp3")).stat().st_size


def test_force_rebuilds(built):
    article, out = built
    before = snapshot(out)
    result = build(article, out, "--force")
    assert result.exit_code == 0 and "Wrote" in result.stdout and "0 synthesized" in result.stdout
    after = snapshot(out)
    assert {k: v[:2] for k, v in after.items()} != {k: v[:2] for k, v in before.items()}


@pytest.mark.parametrize("change", [
    ("--speed", "1.25"), ("--pause-sentence", "0.8"), ("--loudness", "-18"),
    ("--bitrate", "96k"), ("--publisher", "Báo Mới"),
])
def test_an_option_that_changes_the_file_rebuilds(built, change):
    article, out = built
    assert "Wrote" in build(article, out, *change).stdout
    assert "Up to date" in build(article, out, *change).stdout  # and then it is current


@pytest.mark.parametrize("change", [("--jobs", "1"), ("--retries", "2"), ("--timeout", "3"),
                                    ("--retry-delay", "0.1")])
def test_an_option_that_does_not_change_the_file_does_not_rebuild(built, change):
    article, out = built
    assert "Up to date" in build(article, out, *change).stdout


def test_an_edited_article_rebuilds_and_a_re_encoded_copy_does_not(built):
    article, out = built
    text = article.read_text(encoding="utf-8")
    article.write_text(text, encoding="utf-16")  # the same article, as read
    assert "Up to date" in build(article, out).stdout
    assert "thư viện" in text
    article.write_text(text.replace("thư viện", "nhà văn hóa", 1), encoding="utf-8")
    assert "Wrote" in build(article, out).stdout


@pytest.mark.parametrize("damage", ["truncate", "sidecar", "page"])
def test_an_edition_that_is_not_whole_is_rebuilt(built, damage):
    article, out = built
    mp3 = next(out.glob("*.mp3"))
    if damage == "truncate":
        mp3.write_bytes(mp3.read_bytes()[:1000])
    elif damage == "sidecar":
        mp3.with_suffix(".vtt").unlink()
    else:
        mp3.with_suffix(".html").unlink()
    assert "Wrote" in build(article, out).stdout
    assert mp3.stat().st_size > 1000 and mp3.with_suffix(".html").exists()


def test_an_intro_is_part_of_the_input_by_its_bytes(built, tmp_path):
    article, out = built
    intro = tmp_path / "intro.mp3"
    mp3 = next(out.glob("*.mp3"))
    intro.write_bytes(mp3.read_bytes())
    assert "Wrote" in build(article, out, "--intro", str(intro)).stdout
    assert "Up to date" in build(article, out, "--intro", str(intro)).stdout
    intro.write_bytes(mp3.read_bytes()[: len(mp3.read_bytes()) // 2])  # same path, new sound
    assert "Wrote" in build(article, out, "--intro", str(intro)).stdout


def test_a_batch_lists_what_was_up_to_date(built, tmp_path):
    article, out = built
    other = tmp_path / "other.txt"
    other.write_text("Một bài khác\n\nMột đoạn văn ngắn để đọc thử.\n", encoding="utf-8")
    result = run_cli("build", str(article), str(other), "-o", str(out), "--engine", "espeak",
                     "--cache", str(tmp_path / "cache"), "--workers", "2")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert any(line.startswith(str(article)) and line.endswith("up to date") for line in lines)
    assert lines[-1] == "1 built, 1 up to date, 0 failed"


def test_an_unchanged_script_is_not_rendered_again(tmp_path):
    script = tmp_path / "a.script.txt"
    script.write_text(run_cli("script", str(SAMPLE)).stdout, encoding="utf-8")
    out = tmp_path / "out"
    args = ["render", str(script), "-o", str(out), "--engine", "espeak",
            "--cache", str(tmp_path / "cache")]
    assert "Wrote" in run_cli(*args).stdout
    assert "Up to date" in run_cli(*args).stdout
    edited = script.read_text(encoding="utf-8").replace("thư viện", "nhà văn hóa", 1)
    assert edited != script.read_text(encoding="utf-8")
    script.write_text(edited, encoding="utf-8")
    assert "Wrote" in run_cli(*args).stdout


def test_auto_edition_made_offline_is_current_only_while_google_is_away(tmp_path):
    """The same inputs (the endpoint included): first Google is away (no
    answer within --timeout, so the probe falls back), then back."""
    out = tmp_path / "out"
    with FakeGoogle(stall=3.0) as fake:
        common = ["build", str(SAMPLE), "-o", str(out), "--engine", "auto",
                  "--cache", str(tmp_path / "cache"), "--gtts-url", fake.url, "--timeout", "0.5"]
        fake.fault = lambda number, text: "stall"
        first = run_cli(*common)
        assert first.exit_code == 0 and "voice espeak" in first.stdout
        assert "Up to date" in run_cli(*common).stdout
        fake.fault = None
        back = run_cli(*common)
        assert back.exit_code == 0 and "voice gtts" in back.stdout
        assert "Up to date" in run_cli(*common).stdout


def test_the_hash_covers_what_changes_the_file_and_nothing_else():
    voice, options = EngineOptions(), EditionOptions()
    base = input_key("article", "espeak", voice, options)
    assert input_key("article", "espeak", voice, options) == base
    assert input_key("article 2", "espeak", voice, options) != base
    assert input_key("article", "gtts", voice, options) != base
    assert input_key("article", "espeak", EngineOptions(gtts_tld="com.vn"), options) != base
    assert input_key("article", "espeak", voice,
                     EditionOptions(encoding=Encoding(speed=1.1))) != base
    assert input_key("article", "espeak", voice, options, lexicon={"a": "b"}) != base
    assert input_key("article", "espeak", EngineOptions(timeout=3.0), options) == base
    assert input_key("article", "espeak", voice, EditionOptions(jobs=1)) == base


def test_installed_versions_are_read_beside_the_package():
    import importlib.metadata

    assert installed_version("gTTS", "gtts") == importlib.metadata.version("gTTS")
    assert installed_version("espeakng-loader", "espeakng_loader") == \
        importlib.metadata.version("espeakng-loader")
    assert installed_version("no-such-dist", "no_such_module") == ""


def test_another_article_with_the_same_title_never_replaces_an_edition(tmp_path):
    """Daily bulletins share a title: each file keeps its own edition, run
    after run, and an edited article still rebuilds its own."""
    out = tmp_path / "out"
    first, second = tmp_path / "monday.txt", tmp_path / "tuesday.txt"
    body = SAMPLE.read_text(encoding="utf-8").split("\n", 1)[1]
    first.write_text("Bản tin sáng\n" + body, encoding="utf-8")
    second.write_text("Bản tin sáng\n" + body.replace("thư viện", "nhà văn hóa"), encoding="utf-8")
    assert "ban-tin-sang.mp3" in build(first, out).stdout
    assert "ban-tin-sang-2.mp3" in build(second, out).stdout
    assert sorted(p.name for p in out.glob("*.mp3")) == ["ban-tin-sang-2.mp3", "ban-tin-sang.mp3"]
    assert "Up to date" in build(first, out).stdout and "Up to date" in build(second, out).stdout
    first.write_text("Bản tin sáng\n" + body.replace("thư viện", "trường học"), encoding="utf-8")
    again = build(first, out)
    assert "Wrote" in again.stdout and "ban-tin-sang.mp3" in again.stdout
