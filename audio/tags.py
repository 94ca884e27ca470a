"""ID3v2.3 tags and chapters, written with mutagen: pydub cannot write CHAP or
CTOC frames, which podcast players use to show chapters."""
from __future__ import annotations

import datetime
import io
from pathlib import Path

from mutagen.id3 import (APIC, CHAP, COMM, CTOC, ID3, TALB, TCON, TDRC, TIT2, TLAN, TPE1,
                         TSSE, CTOCFlags, PictureType)

from script import Script

from .model import VOICE_NAMES, Chapter, Cover, Tags


def edition_tags(script: Script, publisher: str | None,
                 chapters: tuple[Chapter, ...], cover: Cover | None = None,
                 engine: str | None = None) -> Tags:
    """An edition's tags: the title, byline, date and source from the script,
    and the voice that reads it."""
    return Tags(title=script.title, artist=script.meta_value("byline"), album=publisher,
                date=script.meta_value("date"), comment=script.meta_value("source"),
                chapters=chapters, cover=cover,
                voice=VOICE_NAMES.get(engine, engine) if engine else None)


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
    if tags.voice:
        id3.add(COMM(encoding=3, lang=tags.language, desc="voice", text=tags.voice))
    if tags.cover:
        id3.add(APIC(encoding=3, mime=tags.cover.mime, type=PictureType.COVER_FRONT,
                     desc="", data=tags.cover.data))
    # zero-padded: mutagen writes frames sorted by key, so "ch10" would come
    # before "ch2" and players that list CHAP frames as stored get them out of order
    ids = [f"ch{i}" for i in range(len(tags.chapters))]
    chapter_frames = [CHAP(element_id=element_id, start_time=chapter.start_ms,
                           end_time=chapter.end_ms, start_offset=0xFFFFFFFF,
                           end_offset=0xFFFFFFFF,
                           sub_frames=[TIT2(encoding=3, text=chapter.title)])
                      for element_id, chapter in zip(ids, tags.chapters)]
    if ids:
        id3.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
                     child_element_ids=ids, sub_frames=[TIT2(encoding=3, text=tags.title)]))
    for frame in chapter_frames:
        id3.add(frame)
    # ID3v2.3: older players and car stereos do not read v2.4 (TDRC is
    # written as TYER/TDAT); CHAP and CTOC are defined for both
    id3.save(path, v2_version=V2_VERSION)
    _chapters_in_time_order(path, [f for f in id3.values() if f.FrameID != "CHAP"],
                            chapter_frames)


V2_VERSION = 3


def _frame_bytes(frame) -> bytes:
    """One frame as the tag holds it (rendered by mutagen, alone)."""
    one = ID3()
    one.add(frame)
    buf = io.BytesIO()
    one.save(buf, v2_version=V2_VERSION, padding=lambda info: 0)
    data = buf.getvalue()
    return data[10:10 + _syncsafe(data[6:10])]


def _syncsafe(four: bytes) -> int:
    return (four[0] << 21) | (four[1] << 14) | (four[2] << 7) | four[3]


def _chapters_in_time_order(path: Path, others: list, chapters: list) -> None:
    """mutagen writes frames sorted by size, so CHAP frames come out of time
    order, and players that list them as stored (ffprobe among them) show
    them so. The same frames are written again, in place, in the same space:
    the others, then the chapters in time order."""
    if len(chapters) < 2:
        return
    frames = b"".join(_frame_bytes(f) for f in others + chapters)
    with open(path, "r+b") as f:
        header = f.read(10)
        size = _syncsafe(header[6:10])
        if header[:3] != b"ID3" or header[5] & 0xC0 or len(frames) > size:
            return  # not the plain tag mutagen writes: leave its order
        f.write(frames + bytes(size - len(frames)))
