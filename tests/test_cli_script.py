"""`script`, `render` and `build = script + render` through the CLI."""
from __future__ import annotations


from tests.helpers import run_cli as run
from tests.conftest import ROOT, SAMPLE

GOLDEN = ROOT / "tests" / "golden" / "sample.script.txt"



def test_script_prints_the_narration_script():
    result = run("script", str(SAMPLE))
    assert result.exit_code == 0
    assert result.stdout == GOLDEN.read_text(encoding="utf-8")


def test_script_writes_a_file(tmp_path):
    out = tmp_path / "sample.script.txt"
    assert run("script", str(SAMPLE), "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == GOLDEN.read_text(encoding="utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["sample.script.txt"]


def test_render_speaks_the_edited_script(fake_google, tmp_path):
    script = tmp_path / "edited.txt"
    script.write_text(GOLDEN.read_text(encoding="utf-8").replace(
        "\nMinh Anh\n", "\nBài viết của phóng viên Minh Anh\n"), encoding="utf-8")
    result = run("render", str(script), "-o", str(tmp_path / "out"), "--engine", "gtts",
                 "--gtts-url", fake_google.url)
    assert result.exit_code == 0, result.stderr
    assert "Bài viết của phóng viên Minh Anh" in {s.text for s in fake_google.served}
    assert [p.name for p in (tmp_path / "out").glob("*.mp3")] == [
        "thu-vien-cong-dong-dau-tien-cua-xa-ven-bien-mo-cua-don-ban-doc.mp3"]


def test_build_is_script_then_render(fake_google, tmp_path):
    assert run("build", str(SAMPLE), "-o", str(tmp_path / "a"), "--engine", "gtts",
               "--gtts-url", fake_google.url, "--no-cache").exit_code == 0
    built = sorted(s.text for s in fake_google.served)
    fake_google.served.clear()
    script = tmp_path / "s.txt"
    run("script", str(SAMPLE), "-o", str(script))
    assert run("render", str(script), "-o", str(tmp_path / "b"), "--engine", "gtts",
               "--gtts-url", fake_google.url, "--no-cache").exit_code == 0
    assert sorted(s.text for s in fake_google.served) == built
    a, b = sorted((tmp_path / "a").glob("*.mp3")), sorted((tmp_path / "b").glob("*.mp3"))
    assert [p.name for p in a] == [p.name for p in b]
    assert a[0].stat().st_size == b[0].stat().st_size


def test_lexicon_changes_what_is_said(tmp_path):
    lex = tmp_path / "lex.toml"
    lex.write_text('"Minh Anh" = "Nguyễn Minh Anh"\n', encoding="utf-8")
    result = run("script", str(SAMPLE), "--lexicon", str(lex))
    assert "\nNguyễn Minh Anh\n-- end\n" in result.stdout


def test_malformed_script_is_a_one_line_error_with_its_line(tmp_path):
    script = tmp_path / "bad.txt"
    script.write_text("title: T\n[title]\nXin chào\n-- forever\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("render", str(script), "-o", str(out), "--engine", "espeak")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Error: narration script line 4: unknown pause 'forever' "
        "(use word, phrase, sentence, paragraph, section, title, end)"]
    assert not out.exists() or not any(out.iterdir())


def test_missing_lexicon_is_a_one_line_error(tmp_path):
    result = run("script", str(SAMPLE), "--lexicon", str(tmp_path / "none.toml"))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no such lexicon file")


def one_line_script(sentences: int) -> tuple[str, list[str]]:
    """A hand-written narration script whose one spoken line is a whole article."""
    written = [f"Câu thứ {n} kể chuyện phố phường sau cơn mưa lớn." for n in range(sentences)]
    spoken = [f"câu thứ {n} kể chuyện phố phường sau cơn mưa lớn." for n in range(sentences)]
    return (f"title: Một dòng dài\n\n[title]\nmột dòng dài\n-- title\n\n[body]\n"
            f"> {' '.join(written)}\n{' '.join(spoken)}\n-- end\n"), written


def test_render_cuts_a_spoken_line_of_many_sentences_to_what_the_voice_takes(
        fake_google, tmp_path):
    """One clip per request-sized piece, not one clip of the whole line (which
    held minutes of audio in memory at once); the page keeps every sentence."""
    import json

    text, written = one_line_script(40)
    script = tmp_path / "long.txt"
    script.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = run("render", str(script), "-o", str(out), "--engine", "gtts",
                 "--gtts-url", fake_google.url, "--no-cache")
    assert result.exit_code == 0, result.stderr
    served = [s.text for s in fake_google.served]
    assert len(served) >= 21 and max(len(s) for s in served) <= 100  # 2 sentences fit
    [sidecar] = out.glob("*.json")
    segments = json.loads(sidecar.read_text(encoding="utf-8"))["segments"]
    assert " ".join(s["text"] for s in segments[1:]) == " ".join(written)
    assert all(s["text"].endswith(".") for s in segments[1:])  # written shared by sentence
    assert segments[-1]["pause_after"] == "end"
    assert all(s["pause_after"] == "sentence" for s in segments[1:-1])
    page = sidecar.with_suffix(".html").read_text(encoding="utf-8")
    assert all(w in page for w in written)
