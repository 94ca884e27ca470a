"""ID3v2 tags and chapters, written with mutagen: pydub cannot write CHAP or
CTOC frames, which podcast players use to show chapters."""
from __future__ import annotations

import datetime
from pathlib import Path

from mutagen.id3 import (CHAP, COMM, CTOC, ID3, TALB, TCON, TDRC, TIT2, TLAN, TPE1, TSSE,
                         CTOCFlags)

from script import Script

from .model import Chapter, Tags


def edition_tags(script: Script, publisher: str | None,
                 chapters: tuple[Chapter, ...]) -> Tags:
    """An edition's tags: the title, byline, date and source from the script."""
    return Tags(title=script.title, artist=script.meta_value("byline"), album=publisher,
                date=script.meta_value("date"), comment=script.meta_value("source"),
                chapters=chapters)


def write_tags(path: Path, tags: Tags) -> None:
    id3 = ID3()
    id3.add(TIT2(encoding=3, text=tags.title))
    if tags.artist:
        id3.add(TPE1(encoding=3, text=tags.artist))
    if tags.album:
        id3.add(TALB(encoding=3, text=tags.album))
    id3.add(TDRC(encoding=3, text=tags.date or datetime.date.today().isoformat()))
    id3.add(TLAN(encoding=3, text=tags.language))
    id3.add(TCON(encoding=3, text="Speech"))
    id3.add(TSSE(encoding=3, text="audio-edition"))
    if tags.comment:
        id3.add(COMM(encoding=3, lang=tags.language, desc="", text=tags.comment))
    ids = [f"ch{i}" for i in range(len(tags.chapters))]
    for element_id, chapter in zip(ids, tags.chapters):
        id3.add(CHAP(element_id=element_id, start_time=chapter.start_ms,
                     end_time=chapter.end_ms, start_offset=0xFFFFFFFF,
                     end_offset=0xFFFFFFFF,
                     sub_frames=[TIT2(encoding=3, text=chapter.title)]))
    if ids:
        id3.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                     child_element_ids=ids, sub_frames=[TIT2(encoding=3, text=tags.title)]))
    id3.save(path, v2_version=4)
