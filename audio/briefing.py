"""The day's briefing: one episode with an opening line, each article's title
and lead (a chapter each), and a closing line.

It is made from the editions already in the directory: their JSON sidecars
hold every segment's spoken text, so the briefing asks the voice for exactly
the texts it said before, and the clip cache has them all. The opening and
closing lines are the only new texts; `sync` has them made (`warm`) when it
builds a day's articles, so the briefing itself needs no new voice request.
"""
from __future__ import annotations

import datetime
import json
from pathlib import Path

from script import Pause, Script, Section, SectionKind, Segment

from .clock import VIETNAM

KIND = "briefing"  # the sidecar's "kind": the feed lists it as a bonus episode


def today() -> datetime.date:
    return datetime.datetime.now(VIETNAM).date()


def opening(day: datetime.date) -> tuple[str, str]:
    """(written, spoken) of the opening line."""
    return (f"Bản tin ngày {day.day}/{day.month}/{day.year}.",
            f"Bản tin ngày {_number(day.day)} tháng {_number(day.month)} năm {_number(day.year)}.")


CLOSING = ("Cảm ơn quý vị đã lắng nghe bản tin.", "Cảm ơn quý vị đã lắng nghe bản tin.")


def _number(n: int) -> str:
    from script import normalize

    return normalize(str(n))


def _day_of(data: dict) -> datetime.date | None:
    """The day an edition belongs to: its first build (Vietnam's time)."""
    when = data.get("first_built") or data.get("published")
    if not isinstance(when, str):
        return None
    try:
        moment = datetime.datetime.fromisoformat(when)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.timezone.utc)
    return moment.astimezone(VIETNAM).date()


def day_editions(directory: Path, day: datetime.date) -> list[dict]:
    """The sidecars of the articles first built on `day`, newest first."""
    found = []
    for sidecar in Path(directory).glob("*.json"):
        try:
            data = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or data.get("kind") == KIND:
            continue
        if isinstance(data.get("segments"), list) and _day_of(data) == day:
            found.append(data)
    return sorted(found, key=lambda d: str(d.get("first_built", "")), reverse=True)


def _segments(data: dict, sections: tuple[str, ...]) -> list[Segment]:
    out = []
    for s in data["segments"]:
        if s.get("section") in sections:
            out.append(Segment(str(s["spoken"]), Pause(s["pause_after"]), str(s.get("text", ""))))
    return out


def briefing_script(directory: Path, day: datetime.date, top: int) -> Script:
    """The briefing of `day`: at most `top` articles, newest first."""
    editions = day_editions(directory, day)[:top]
    written, spoken = opening(day)
    sections = [Section(SectionKind.TITLE, (Segment(spoken, Pause.SECTION, written),),
                        "Mở đầu")]
    for data in editions:
        try:
            title = _segments(data, ("title",))
            lead = _segments(data, ("lead",))
        except (KeyError, ValueError, TypeError, AttributeError):
            continue  # a sidecar edited into something else: left out, as the feed does
        if not title:
            continue
        said = title + lead
        said[-1] = Segment(said[-1].text, Pause.SECTION, said[-1].source)
        if lead:  # the title's own pause, then the lead
            said[len(title) - 1] = Segment(said[len(title) - 1].text, Pause.PARAGRAPH,
                                           said[len(title) - 1].source)
        name = " ".join(str(data.get("title", "")).split()) or "Bài"
        sections.append(Section(SectionKind.BODY, tuple(said), name))
    sections.append(Section(SectionKind.BYLINE,
                            (Segment(CLOSING[1], Pause.END, CLOSING[0]),), "Kết thúc"))
    return Script(title=written.rstrip("."), sections=tuple(sections),
                  meta=(("date", day.isoformat()), ("kind", KIND)))


def warm(day: datetime.date) -> Script:
    """A script of the day's opening and closing lines alone: built into
    nothing, rendered into the clip cache, so the briefing asks nothing new."""
    written, spoken = opening(day)
    return Script(title=written.rstrip("."), sections=(
        Section(SectionKind.TITLE, (Segment(spoken, Pause.SECTION, written),)),
        Section(SectionKind.BYLINE, (Segment(CLOSING[1], Pause.END, CLOSING[0]),))))


def warm_cache(script: Script, engine, cache) -> int:
    """Each segment of `script` made by `engine` into `cache` unless it is
    there: the number of voice requests made."""
    from .cache import clip_key

    made = 0
    for segment in script.segments:
        key = clip_key(engine.identity, segment.text)
        if cache.get(key) is None:
            cache.put(key, engine.synthesize(segment.text))
            made += 1
    return made
