"""Durations as people read them, in one place: the CLI, the read-along
page, the podcast feed and the WebVTT cues all format through here; and
the newsroom's time zone."""
from __future__ import annotations

import datetime


def minutes_seconds(seconds: float) -> str:
    """3:07 (minutes may pass 59: a player's elapsed time)."""
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}:{rest:02d}"


def hours_minutes_seconds(seconds: float) -> str:
    """00:03:07, as podcast feeds give a duration."""
    hours, rest = divmod(round(seconds), 3600)
    minutes, rest = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{rest:02d}"


def cue_time(ms: int) -> str:
    """00:03:07.250, as WebVTT gives a time."""
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"


# The newsroom's clock: Vietnam, UTC+7 all year (no daylight saving time).
VIETNAM = datetime.timezone(datetime.timedelta(hours=7))
