"""The narration script: golden files, round trip, errors with line numbers."""
from __future__ import annotations

import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from script import (Note, Pause, Script, ScriptFileError, Section, SectionKind, Segment,
                    format_script, make_script, normalize, parse_script, read_article,
                    fit_script, without_unsafe)
from tests.conftest import ROOT

GOLDEN = ROOT / "tests" / "golden"
ARTICLES = {"sample": ROOT / "examples" / "sample.txt",
            "ban-tin-giao-thong": ROOT / "tests" / "fixtures" / "ban-tin-giao-thong.txt"}


@pytest.mark.parametrize("name", sorted(ARTICLES))
def test_script_stage_matches_its_golden_file(name):
    """Set UPDATE_GOLDEN=1 to rewrite the golden files after an intended change."""
    text = format_script(make_script(read_article(ARTICLES[name]), 100, normalize))
    golden = GOLDEN / f"{name}.script.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


# Any single-line text without surrounding spaces and without the control and
# bidi characters no published text may carry: scripts hold exactly these.
_line = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"),
                max_size=40).map(without_unsafe).map(str.strip)
_spoken = _line.filter(bool) | st.sampled_from(
    ["# not a comment", "> not a source", "[body]", "-- phrase", "\\", "#- rule: x", "title: x"])
_segment = st.builds(Segment, _spoken, st.sampled_from(list(Pause)), _line)
_section = st.builds(Section, st.sampled_from(list(SectionKind)),
                     st.lists(_segment, min_size=1, max_size=4).map(tuple),
                     _line)


@st.composite
def scripts(draw):
    sections = tuple(draw(st.lists(_section, min_size=1, max_size=4)))
    total = sum(len(s.segments) for s in sections)
    notes = draw(st.lists(st.builds(
        Note, st.from_regex(r"[a-z][a-z0-9-]{0,12}", fullmatch=True), _line,
        st.integers(0, total)), max_size=4))
    meta = draw(st.lists(st.tuples(
        st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True).filter(
            lambda k: k not in ("title", "language")), _line), max_size=3))
    return Script(title=draw(_line), sections=sections, meta=tuple(meta),
                  notes=tuple(sorted(notes, key=lambda n: n.at)),
                  language=draw(st.sampled_from(["vi", "en"])))


@settings(max_examples=300, deadline=None)
@given(scripts())
def test_parse_format_round_trips(script):
    assert parse_script(format_script(script)) == script


# Control characters, DEL, C1, bidi marks, embeddings, overrides and isolates,
# a lone surrogate, the non-characters XML refuses.
UNSAFE_SAMPLES = ["\x00", "\x1b", "\x7f", "\x85", "\u200f", "\u061c", "\u202e", "\u2067",
                  "\ud800", "\uffff"]


@pytest.mark.parametrize("bad", UNSAFE_SAMPLES, ids=lambda c: f"U+{ord(c):04X}")
def test_a_script_refuses_control_and_bidi_characters_in_every_text(bad):
    segment = Segment("Xin chào", Pause.END)
    with pytest.raises(ValueError, match="control or bidi"):
        Script(title=f"Tin{bad} mới", sections=(Section(SectionKind.TITLE, (segment,)),))
    with pytest.raises(ValueError, match="control or bidi"):
        Segment(f"Xin{bad} chào", Pause.END)
    with pytest.raises(ValueError, match="control or bidi"):
        Script(title="Tin", sections=(Section(SectionKind.TITLE, (segment,)),),
               meta=(("byline", f"A{bad}n"),))


@pytest.mark.parametrize("bad", UNSAFE_SAMPLES, ids=lambda c: f"U+{ord(c):04X}")
def test_a_narration_script_is_read_without_control_and_bidi_characters(bad):
    text = (f"title: Tin{bad} mới\nbyline: An{bad}\n\n[title]\n> Tin{bad} mới\n"
            f"tin{bad} mới\n-- end\n")
    script = parse_script(text)
    assert script.title == "Tin mới" and script.meta_value("byline") == "An"
    assert script.segments[0].text == "tin mới" and script.segments[0].source == "Tin mới"


def test_an_edited_script_is_read_back():
    text = format_script(make_script(read_article(ARTICLES["sample"]), 100, normalize))
    edited = text.replace("Minh Anh\n", "Phóng viên Minh Anh\n")
    script = parse_script(edited)
    assert script.segments[-1].text == "Phóng viên Minh Anh"


@pytest.mark.parametrize("text, line, message", [
    ("title: T\n[title]\nXin chào\n[body]\n", 4, "no pause line"),
    ("title: T\n[title]\nXin chào\nTạm biệt\n-- end\n", 4, "two spoken lines"),
    ("title: T\n[title]\n-- end\n", 3, "must follow a spoken line"),
    ("title: T\n[title]\nXin chào\n-- forever\n", 4, "unknown pause 'forever'"),
    ("title: T\n[chorus]\n", 2, "unknown section [chorus]"),
    ("title: T\nnonsense here\n[title]\n", 2, "expected 'key: value'"),
    ("title: T\n[title]\nXin chào\n", 4, "the last segment has no pause line"),
])
def test_malformed_scripts_name_the_line(text, line, message):
    with pytest.raises(ScriptFileError, match=rf"line {line}: .*{re.escape(message)}"):
        parse_script(text)


def test_a_script_without_title_or_sections_is_an_error():
    with pytest.raises(ScriptFileError, match="no 'title:' line"):
        parse_script("[title]\nA\n-- end\n")
    with pytest.raises(ScriptFileError, match="no sections"):
        parse_script("title: T\n")


# --- A hand-written script fitted to the voice ----------------------------------

_sentence = st.lists(st.sampled_from(
    ["nhà", "đầu", "tư", "mới", "Hà", "Nội", "ngày", "17", "3,5%", "x" * 30, "rất", "dài"]),
    min_size=1, max_size=30).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(_sentence, min_size=1, max_size=12), st.booleans(),
       st.integers(20, 120), st.sampled_from(list(Pause)))
def test_fitting_a_script_cuts_long_lines_and_keeps_every_word_and_the_notes(
        sentences, paired, max_chars, pause):
    spoken = ". ".join(sentences) + "."
    source = spoken.upper() if paired else "Một câu viết khác hẳn"
    script = Script(title="T", sections=(
        Section(SectionKind.TITLE, (Segment("t", Pause.TITLE),)),
        Section(SectionKind.BODY, (Segment(spoken, pause, source), Segment("hết", Pause.END)))),
        notes=(Note("ad", "Quảng cáo", 1), Note("tail", "x", 2)))
    fitted = fit_script(script, max_chars)
    assert all(len(s.text) <= max_chars for s in fitted.segments)
    body = fitted.sections[1].segments
    assert "".join("".join(s.text for s in body[:-1]).split()) == "".join(spoken.split())
    assert " ".join(s.source for s in body[:-1] if s.source).split() == source.split()
    assert body[-2].pause_after == pause and body[-1] == Segment("hết", Pause.END)
    assert [n.at for n in fitted.notes] == [1, len(fitted.segments) - 1]
    assert parse_script(format_script(fitted)) == fitted
    if len(spoken) <= max_chars:
        assert fitted == script


def test_follow_title_renarrates_a_changed_title_and_keeps_a_spoken_fix():
    from script import follow_title

    title = Section(SectionKind.TITLE, (Segment("Hà Nội mưa to", Pause.TITLE, "Hà Nội mưa lớn"),))
    body = Section(SectionKind.BODY, (Segment("mưa", Pause.END, "Mưa"),))
    fixed = Script(title="Hà Nội mưa lớn", sections=(title, body), notes=(Note("ad", "x", 1),))
    calls = []

    def speak():
        calls.append(1)
        return normalize

    assert follow_title(fixed, 100, speak) == fixed and calls == []  # the editor's fix stays
    changed = Script(title="TP.HCM mưa lớn", sections=(title, body), notes=(Note("ad", "x", 1),))
    renarrated = follow_title(changed, 100, speak)
    assert renarrated.sections[0].segments == (
        Segment("thành phố Hồ Chí Minh mưa lớn", Pause.TITLE, "TP.HCM mưa lớn"),)
    assert renarrated.sections[1] == body and renarrated.notes == changed.notes
