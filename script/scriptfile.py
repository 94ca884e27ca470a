"""The narration script as plain text: what an editor reads, fixes and renders.

    title: Miền Trung mưa lớn kéo dài
    language: vi
    byline: Minh Tâm

    [title]
    > Miền Trung mưa lớn kéo dài        (the written text, for reference)
    Miền Trung mưa lớn kéo dài          (what the voice says: edit this)
    -- title                            (the pause after it)

    #- follow-us: Theo dõi Báo … trên Google News   (a line left out, and why)

`parse(format(script)) == script` for every script. A spoken line that would
read as markup (it starts with #, >, [, -- or a backslash) is written with a
leading backslash.
"""
from __future__ import annotations

import re

from .chars import without_unsafe
from .errors import ScriptError
from .model import Note, Pause, Script, Section, SectionKind, Segment

HEADER = (
    "# audio-edition narration script. Edit the spoken lines, then run:",
    "#   audio-edition render THIS-FILE",
    "# Each segment: '> ' the written text (for reference), the spoken text,",
    "# and '-- ' the pause after it: " + ", ".join(p.value for p in Pause) + ".",
    "# '#-' lines were left out of the narration, with the rule that left them out.",
    "# Other lines starting with '#' are comments.",
)
_SPECIAL = ("#", ">", "[", "--", "\\")
_SECTION = re.compile(r"^\[([a-z]+)(?:: (.+))?\]$")  # [body], or [body: its chapter's name]
_META = re.compile(r"^([a-z][a-z0-9_-]*):(?: (.*))?$")
_NOTE = re.compile(r"^#- ([^:\s]+):(?: (.*))?$")


class ScriptFileError(ScriptError):
    """A narration script that cannot be read; the message names the line."""


_LOOKS_LIKE_SCRIPT = re.compile(
    r"\A(?:\ufeff)?(?:[ \t]*(?:#[^\n]*)?\n)*title:[^\n]*\n(?:.*\n)*?"
    r"\[(?:title|lead|body|caption|byline)\]\s*\n(?:.*\n)*?--\s*(?:"
    + "|".join(p.value for p in Pause) + r")\s*$", re.MULTILINE)


def is_narration_script(text: str) -> bool:
    """Whether `text` is a narration script (from `audio-edition script`,
    maybe edited), not an article: its header, or 'title:' first, then a
    section and a pause line."""
    head = text.lstrip("\ufeff")
    return head.startswith(HEADER[0]) or bool(_LOOKS_LIKE_SCRIPT.match(head[:20000]))


def _spoken(text: str) -> str:
    return "\\" + text if text.startswith(_SPECIAL) else text


def format_script(script: Script) -> str:
    lines = list(HEADER)
    lines.append(f"title: {script.title}".rstrip())
    lines.append(f"language: {script.language}")
    lines += [f"{k}: {v}".rstrip() for k, v in script.meta]
    notes = sorted(script.notes, key=lambda n: n.at)
    index = 0

    def notes_before(i: int) -> None:
        nonlocal notes
        while notes and notes[0].at <= i:
            lines.append(f"#- {notes[0].rule}: {notes[0].text}".rstrip())
            notes = notes[1:]

    for section in script.sections:
        name = f": {section.title}" if section.title else ""
        lines += ["", f"[{section.kind.value}{name}]"]
        for seg in section.segments:
            notes_before(index)
            if seg.source:
                lines.append(f"> {seg.source}")
            lines += [_spoken(seg.text), f"-- {seg.pause_after.value}"]
            index += 1
    for note in notes:  # after the last segment
        lines.append(f"#- {note.rule}: {note.text}".rstrip())
    return "\n".join(lines) + "\n"


def parse_script(text: str) -> Script:
    """A narration script from its text; control and bidi characters (which
    no published text may carry) are dropped as it is read, as an article's are.
    Anything the data model refuses (an empty `language:`, a bad metadata
    key) is a ScriptFileError, like a syntax error."""
    try:
        return _parse(without_unsafe(text))
    except (ValueError, TypeError) as e:
        raise ScriptFileError(f"narration script: {e}") from None


def _parse(text: str) -> Script:
    meta: list[tuple[str, str]] = []
    title: str | None = None
    language = "vi"
    sections: list[Section] = []
    kind: SectionKind | None = None
    section_title = ""
    segments: list[Segment] = []
    notes: list[Note] = []
    source = ""
    spoken: str | None = None
    count = 0

    def fail(n: int, message: str) -> ScriptFileError:
        return ScriptFileError(f"narration script line {n}: {message}")

    def close_section() -> None:
        if kind is not None:
            sections.append(Section(kind, tuple(segments), section_title))

    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r").strip()
        if not line:
            continue
        note = _NOTE.match(line)
        if note:
            notes.append(Note(note.group(1), note.group(2) or "", count))
            continue
        if line.startswith("#"):
            continue
        section = _SECTION.match(line)
        if section:
            if spoken is not None:
                raise fail(n, "the segment above has no pause line (e.g. '-- sentence')")
            try:
                new_kind = SectionKind(section.group(1))
            except ValueError:
                kinds = ", ".join(k.value for k in SectionKind)
                raise fail(n, f"unknown section [{section.group(1)}] (use {kinds})") from None
            close_section()
            kind, segments, section_title = new_kind, [], (section.group(2) or "").strip()
            continue
        if kind is None:
            m = _META.match(line)
            if not m:
                raise fail(n, "expected 'key: value' or a section such as [title]")
            key, value = m.group(1), (m.group(2) or "").strip()
            if key == "title":
                title = value
            elif key == "language":
                language = value
            else:
                meta.append((key, value))
            continue
        if line.startswith(">"):
            if spoken is not None:
                raise fail(n, "the segment above has no pause line (e.g. '-- sentence')")
            source = line[1:].strip()
        elif line.startswith("--"):
            if spoken is None:
                raise fail(n, "a pause line must follow a spoken line")
            name = line[2:].strip()
            try:
                pause = Pause(name)
            except ValueError:
                kinds = ", ".join(p.value for p in Pause)
                raise fail(n, f"unknown pause '{name}' (use {kinds})") from None
            segments.append(Segment(spoken, pause, source))
            count += 1
            source, spoken = "", None
        else:
            if spoken is not None:
                raise fail(n, "two spoken lines in a row: end the first with a pause "
                              "line (e.g. '-- phrase')")
            spoken = (line[1:] if line.startswith("\\") else line).strip()
            if not spoken:
                raise fail(n, "an empty spoken line")
    if spoken is not None:
        raise fail(len(text.split("\n")), "the last segment has no pause line")
    close_section()
    if title is None:
        raise ScriptFileError("narration script: no 'title:' line before the first section")
    if not sections:
        raise ScriptFileError("narration script: no sections ([title], [body], ...)")
    return Script(title=title, sections=tuple(sections), language=language,
                  meta=tuple(meta), notes=tuple(notes))
