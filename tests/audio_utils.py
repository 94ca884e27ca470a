"""Reading back what a build wrote, for assertions."""
from __future__ import annotations

from pathlib import Path

from audio._pydub import AudioSegment
from audio.ffmpeg import decode


def load(path: Path, rate: int) -> AudioSegment:
    pcm = decode(Path(path).read_bytes(), rate)
    return AudioSegment(data=pcm, sample_width=2, frame_rate=rate, channels=1)


def seconds(path: Path, rate: int) -> float:
    return len(decode(Path(path).read_bytes(), rate)) / 2 / rate


def speech_windows(path: Path, window_ms: int = 10, floor_db: float = -40.0):
    """The decoded file in `window_ms` windows: whether each is speech (within
    `floor_db` of the loudest window), by an envelope of its own, not the build's."""
    import numpy as np

    rate = 44100
    x = np.frombuffer(decode(Path(path).read_bytes(), rate), "<i2").astype(np.float64)
    n = rate * window_ms // 1000
    energy = (x[:len(x) // n * n].reshape(-1, n) ** 2).mean(axis=1)
    return energy > energy.max() * 10 ** (floor_db / 10)


CLICK_MS = 30  # sound shorter than this is a click (a stop's late release), not a word


def pause_edges(loud, window_ms: int = 10, pause_ms: int = 100) -> tuple[list[int], list[int]]:
    """Where the sound starts again after a pause of `pause_ms` or more, and
    where it stops before one, in ms (the file's silent ends left out). A
    burst of sound shorter than CLICK_MS between two quiet stretches is
    counted as quiet: no syllable is that short."""
    import numpy as np

    loud = loud.copy()
    runs = np.diff(np.concatenate([[0], loud.astype(np.int8), [0]]))
    for a, b in zip(np.flatnonzero(runs == 1), np.flatnonzero(runs == -1)):
        if 0 < a and b < len(loud) and (b - a) * window_ms < CLICK_MS:
            loud[a:b] = False
    runs = np.diff(np.concatenate([[0], (~loud).astype(np.int8), [0]]))
    onsets, offsets = [], []
    for a, b in zip(np.flatnonzero(runs == 1), np.flatnonzero(runs == -1)):
        if a > 0 and b < len(loud) and (b - a) * window_ms >= pause_ms:
            offsets.append(int(a) * window_ms)
            onsets.append(int(b) * window_ms)
    return onsets, offsets


def words_away_from_sound(words: list[dict], loud, window_ms: int = 10,
                          within_ms: int = 50) -> list[dict]:
    """The word cues (the JSON's words) with no sound within `within_ms`
    inside either edge, by `loud` (speech_windows)."""
    k = within_ms // window_ms
    away = []
    for w in words:
        a, b = w["start_ms"] // window_ms, -(-w["end_ms"] // window_ms)
        if not (loud[a:a + k].any() and loud[b - k:b].any()):
            away.append(w)
    return away


def word_cue_errors(path: Path, segments: list[dict],
                    loud=None) -> tuple[list[int], list[int]]:
    """For each pause in the audio beside a segment whose words were timed
    (the JSON's segments): how far (ms, signed) the nearest word start is
    from where the sound starts after it, and the nearest word end from
    where it stops before it. `loud`: speech_windows(path), when already made."""
    import numpy as np

    words = [w for s in segments for w in s.get("words", [])]
    timed = [(s["start_ms"], s["end_ms"]) for s in segments if s.get("words")]
    starts = np.array([w["start_ms"] for w in words])
    ends = np.array([w["end_ms"] for w in words])
    onsets, offsets = pause_edges(speech_windows(path) if loud is None else loud)
    inside = lambda t: any(a - 50 <= t <= b + 50 for a, b in timed)  # noqa: E731
    return ([int(starts[np.argmin(np.abs(starts - t))] - t) for t in onsets if inside(t)],
            [int(ends[np.argmin(np.abs(ends - t))] - t) for t in offsets if inside(t)])
