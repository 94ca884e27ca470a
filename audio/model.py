"""The values the sound side's stages hand each other, in one place.

Frozen dataclasses only. This module imports nothing else of the sound side;
every stage imports it, so a reader sees what each stage takes and gives
without following a call.

    running order (Item...) -> render (Clip...) -> assemble (PCM..., Timeline)
    -> encode -> tag (Tags, Chapter...) -> publish -> sidecars (Edition)
"""
from __future__ import annotations

import enum
import random
from dataclasses import dataclass, field
from pathlib import Path

from script import Pacing

SAMPLE_WIDTH = 2  # bytes: every clip is mono signed 16-bit little-endian PCM


@dataclass(frozen=True)
class Clip:
    """Mono 16-bit PCM and its sample rate."""

    pcm: bytes
    sample_rate: int
    key: str = field(default="", compare=False)  # the clip cache's key, when it has one
    # Where each word of the text it says is heard, (first frame, frame after),
    # one pair per word of the text (whitespace-separated, with a letter or
    # digit: `spoken_words`); () when the voice does not say (all but Piper).
    words: tuple[tuple[int, int], ...] = ()

    @property
    def frames(self) -> int:
        return len(self.pcm) // SAMPLE_WIDTH

    @property
    def seconds(self) -> float:
        return self.frames / self.sample_rate


class ItemKind(enum.Enum):
    INTRO = "intro"
    SPEECH = "speech"
    OUTRO = "outro"


@dataclass(frozen=True)
class Item:
    """One piece of the edition, in the order it is heard: a jingle, or one
    segment of the script for the voice to say."""

    kind: ItemKind
    pause_ms: float  # the silence after it
    text: str = ""  # what the voice says; "" when it says nothing (a jingle, a lone "—")
    sentences: tuple[str, ...] = ()  # the sentences of the segment, to find where it pauses
    chapter: str | None = None  # the title of the chapter that starts here, if one does
    jingle: Clip | None = None  # a jingle's audio, played whole (not trimmed)

    @property
    def is_jingle(self) -> bool:
        return self.kind is not ItemKind.SPEECH


@dataclass(frozen=True)
class ClipPlan:
    """Which clips an edition needs and which of them the voice must make."""

    keys: tuple[str | None, ...]  # per item: its clip's cache key; None: not the voice's
    to_make: tuple[int, ...]  # per distinct key not in the cache: the first item needing it

    @property
    def distinct(self) -> int:
        return len({k for k in self.keys if k})

    @property
    def cached(self) -> int:
        return self.distinct - len(self.to_make)


@dataclass(frozen=True)
class Timing:
    """Where one item sits in the edition, in frames at the edition's rate
    (before any tempo change)."""

    start: int  # first frame of its sound
    end: int  # frame after its sound
    pause: int  # frames of silence after it
    # Where the clip pauses between its sentences: (end of one, start of the
    # next), in frames from `start`; one pair per sentence boundary found.
    marks: tuple[tuple[int, int], ...] = ()
    # Where each spoken word is heard, (first frame, frame after) from `start`;
    # () when the voice does not say (Clip.words).
    words: tuple[tuple[int, int], ...] = ()


def spoken_words(text: str) -> list[str]:
    """The words a voice says in `text`: whitespace-separated pieces with a
    letter or a digit (a lone dash or quote is not said)."""
    return [w for w in text.split() if any(c.isalnum() for c in w)]


def spans_in_order(spans, frames: int) -> bool:
    """Whether (start, end) spans are in order, each within `frames`, none
    overlapping the next: what a clip's word timings must be."""
    last = 0
    for a, b in spans:
        if not last <= a <= b <= frames:
            return False
        last = b
    return True


@dataclass(frozen=True)
class Timeline:
    """What assembling gives besides the audio: every item's Timing, in order."""

    timings: tuple[Timing, ...]

    @property
    def total_frames(self) -> int:
        last = self.timings[-1]
        return last.end + last.pause


@dataclass(frozen=True)
class Chapter:
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Cover:
    """The edition's cover art, checked (cover.read_cover)."""

    data: bytes = field(repr=False)
    mime: str  # image/jpeg or image/png
    suffix: str  # .jpg or .png: the published file's
    pixels: int  # a side


@dataclass(frozen=True)
class Tags:
    title: str
    artist: str | None = None  # the byline
    album: str | None = None  # the publisher
    date: str | None = None  # YYYY-MM-DD (default: today)
    comment: str | None = None  # the source
    language: str = "vie"  # ISO 639-2
    chapters: tuple[Chapter, ...] = ()
    cover: Cover | None = None
    voice: str | None = None  # which voice reads it, as VOICE_NAMES says it


# How the tags, the page and the summary name each voice.
VOICE_NAMES = {"gtts": "Google Translate (gTTS, online)", "espeak": "espeak-ng (offline)"}


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter; a server's Retry-After wins."""

    tries: int = 5
    base: float = 0.5  # seconds before the second try
    cap: float = 30.0

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """Seconds to wait after failed try number `attempt` (from 1)."""
        if retry_after is not None:
            return min(retry_after, self.cap)
        return min(self.cap, self.base * 2 ** (attempt - 1)) * rng.uniform(0.5, 1.5)


@dataclass(frozen=True)
class RenderReport:
    """Where an edition's clips came from."""

    total: int = 0  # segments
    cached: int = 0  # distinct clips found in the cache
    synthesized: int = 0  # distinct clips the voice made
    unsaved: int = 0  # clips made that could not be kept in the cache (full, read-only)


@dataclass(frozen=True)
class LoudnessTarget:
    # Integrated. The podcast convention is -16 LUFS for a stereo show; a mono
    # file at -16 is heard about 3 LU louder on headphones (both ears get the
    # full signal), so mono is mastered to -19, heard as -16.
    lufs: float = -19.0
    true_peak: float = -1.0  # dBTP ceiling


@dataclass(frozen=True)
class Encoding:
    bitrate: str = "64k"  # mono speech
    speed: float = 1.0  # the voice's tempo, pitch kept (ffmpeg's atempo); pauses keep theirs
    true_peak: float | None = -1.0  # dBTP ceiling of the encoder's limiter; None: none
    sample_rate: int = 44100  # the MP3's (Apple lists 44.1 kHz); resampled once, by soxr


@dataclass(frozen=True)
class Edges:
    """Silence before the first sound and after the last, in milliseconds:
    Bluetooth and car audio that wake late would otherwise eat the title."""

    start_ms: int = 300
    end_ms: int = 700


MAX_JINGLE_BYTES = 100 * 1024 * 1024  # an intro or outro: ten minutes of CD-quality WAV at most


@dataclass(frozen=True)
class EditionOptions:
    """How an edition sounds and is written; plain values, gathered once at
    the CLI edge (the clip cache is passed on its own)."""

    pacing: Pacing = Pacing()
    loudness: LoudnessTarget | None = LoudnessTarget()  # None: leave levels alone
    encoding: Encoding = Encoding()
    intro: Path | None = None  # a jingle before the narration
    outro: Path | None = None  # and after it
    publisher: str | None = None  # the album tag
    cover: Path | None = None  # cover art: embedded, and published beside the MP3
    edges: Edges = Edges()
    jobs: int = 4  # segments synthesized at the same time
    retry: RetryPolicy = RetryPolicy()


@dataclass(frozen=True)
class Edition:
    """What a build wrote: its paths, and where each segment and chapter is."""

    mp3: Path
    json: Path
    vtt: Path
    html: Path
    engine: str
    sample_rate: int
    speed: float
    timings: tuple[Timing, ...]  # per segment, in frames of the narration before tempo
    total_frames: int
    chapters: tuple[Chapter, ...]
    report: RenderReport
    input_key: str = ""  # the hash of what it was built from (uptodate.py)
    article: str = ""  # which article it is (its URL or file path: batch.identity)
    image: Path | None = None  # the cover art published beside the MP3
    voice_speed: float = 1.0  # how much faster the voice itself speaks (Piper's length scale)

    @property
    def segments(self) -> int:
        return len(self.timings)

    @property
    def seconds(self) -> float:
        return self.total_frames / self.sample_rate / self.speed

    def ms(self, frame: int) -> float:
        """Where a frame of the narration is heard in the MP3, in milliseconds."""
        return frame_ms(frame, self.sample_rate, self.speed)


def frame_ms(frame: int, rate: int, speed: float = 1.0) -> float:
    """Where a frame at `rate` is heard once the tempo is `speed`, in milliseconds."""
    return frame * 1000 / rate / speed


@dataclass(frozen=True)
class FeedInfo:
    """A podcast feed's channel (see feed.py)."""

    base_url: str  # where the directory is published: enclosures are base_url + file
    title: str = "Bản tin audio"
    description: str = "Các bài báo, đọc thành tiếng."
    author: str | None = None
    language: str = "vi"
    link: str | None = None  # the newsroom's site (default: base_url)
    image: str | None = None  # the show's art: a URL of a 1400-3000 px square JPEG/PNG
    category: str | None = None  # Apple's (categories.py)
    subcategory: str | None = None
    owner_name: str | None = None
    owner_email: str | None = None  # Spotify sends its verification code here
    copyright: str | None = None
    explicit: bool = False
