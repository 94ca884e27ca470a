"""A Piper voice (a neural voice that runs offline, through onnxruntime), from
a model the newsroom supplies: `--engine piper --voice PATH.onnx`, its
`PATH.onnx.json` config beside it, as Piper lays voices out.

`pip install 'audio-edition[piper]'` adds piper-tts (GPL-3.0; it carries
espeak-ng's data for its phonemizer). The phonemizer is given the article's
language (vi), whatever the voice's config says, or the variant the user
asks for (`--voice-language vi-vn-x-south`, for a southern voice); a voice
trained on another language still speaks, with a warning from `available()`.

`--speed` is Piper's length scale (`with_speed`), not the tempo filter the
other voices get.

Word timings: the model is loaded with Piper's alignment output (patched in
memory, with the `onnx` package), which says how many samples each phoneme
lasts. espeak-ng's phonemes come with a space between words (for Vietnamese,
between syllables, as the text writes them), so the words heard can be read
off the phonemes (`word_spans`); they are lined up with the text's words by
their phonemes (`align_words`) and their edges moved onto the sound
(`snap_to_speech`), giving each word its place in the clip (`Clip.words`).
A clip whose words cannot be lined up has none, and the page highlights its
sentences only.
"""
from __future__ import annotations

import difflib
import importlib.util
import json
import threading
from pathlib import Path

from ..digest import file_digest
from ..errors import EngineUnavailable, SynthesisError
from ..model import Clip, spoken_words

# bump when the word timings change (8: a burst under 30 ms at a word's edge
# is not its sound; 7: lined up by phonemes, no band)
WORDS_VERSION = 8


def words_version() -> int:
    """WORDS_VERSION where the word timings can be made (onnx is there), else 0."""
    return WORDS_VERSION if importlib.util.find_spec("onnx") is not None else 0


# Phonemes that are not part of a word: Piper's sentence start and end, the
# space between words, and the punctuation espeak-ng keeps (a pause). Not "-":
# espeak-ng writes Vietnamese tones with it, inside a syllable.
_BETWEEN = frozenset("^$_ ,.;:!?…¡¿—\"«»“”()")


def snap_to_speech(samples, rate: int, spans: list[tuple[int, int]],
                   reach_ms: float = 250, gap_ms: float = 60, click_ms: float = 30,
                   floor_db: float = -40) -> list[tuple[int, int]]:
    """The spans moved onto the sound. Piper's durations are the model's,
    and where the audio shows where words meet they can be seen to be off:
    a word after a comma's pause starting up to 200 ms before it is heard, a
    word on an unreleased stop ("một", "tiếp") ending at the end of its
    silent closure, a boundary placed 120 ms after the pause that is the
    boundary. So, in 5 ms windows, quiet being `floor_db` under the clip's
    loudest: each pause of `gap_ms` or more inside the clip, the longest
    first, becomes the boundary between the two words nearest it that no
    longer pause has taken (within `reach_ms`), and then
    any edge still in the quiet, or on a burst under `click_ms` that as much
    quiet parts from the rest of its word, moves to the nearest sound inside
    its word, within `reach_ms` (past the bursts when that is in reach, else
    onto the nearest burst). A word keeps at least one sample."""
    import numpy as np

    win = max(1, rate // 200)
    n = len(samples) // win
    if not n or not spans:
        return spans
    frames = np.asarray(samples[:n * win], dtype=np.float64).reshape(n, win)
    energy = (frames ** 2).mean(axis=1)
    loud = energy > energy.max() * 10 ** (floor_db / 10)
    reach = reach_ms / 1000 * rate
    spans = [list(span) for span in spans]
    # the pauses inside the clip (not before or after its sound), as sample
    # ranges; a click shorter than `click_ms` in a pause (a stop's late
    # release) does not split it: no syllable is that short
    runs = np.diff(np.concatenate([[0], loud.astype(np.int8), [0]]))
    quiet = ~loud
    for a, b in zip(np.flatnonzero(runs == 1), np.flatnonzero(runs == -1)):
        if 0 < a and b < n and (b - a) * win < click_ms / 1000 * rate:
            quiet[a:b] = True
    runs = np.diff(np.concatenate([[0], quiet.astype(np.int8), [0]]))
    pauses = [(int(a) * win, int(b) * win) for a, b in zip(np.flatnonzero(runs == 1),
                                                          np.flatnonzero(runs == -1))
              if a > 0 and b < n and (b - a) * win >= gap_ms / 1000 * rate]
    taken: set[int] = set()
    for p0, p1 in sorted(pauses, key=lambda p: p[0] - p[1]):  # the longest first: a stop's
        # closure just before a comma's pause is not the boundary, the comma's pause is
        middle = (p0 + p1) / 2
        near = [i for i in range(len(spans) - 1) if i not in taken
                and abs((spans[i][1] + spans[i + 1][0]) / 2 - middle) <= reach]
        if not near:
            continue
        i = min(near, key=lambda i: abs((spans[i][1] + spans[i + 1][0]) / 2 - middle))
        taken.add(i)
        spans[i][1] = max(spans[i][0] + win, min(p0, spans[i + 1][1] - 2 * win))
        spans[i + 1][0] = min(spans[i + 1][1] - win, max(p1, spans[i][1]))
    least = click_ms / 1000 * rate / win  # windows: sound shorter than this is a click
    out = []
    for a, b in spans:
        first, last = a // win, min(n, -(-b // win)) - 1  # the windows the word touches
        heard = _sound_within(loud[first:last + 1], least)
        if heard:
            (start, end), (any_start, any_end) = heard
            size = last - first + 1
            if start * win > reach:  # its sound out of reach: the nearest burst, as before
                start = any_start
            if start and start * win <= reach:
                a = (first + start) * win
            if (size - end) * win > reach:
                end = any_end
            if end < size and (size - end) * win <= reach:
                b = min(b, (first + end) * win)
        out.append((int(a), int(max(a + 1, b))))
    return out


def _sound_within(loud, least: float) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Where a word's sound starts and the window after it ends, in its
    windows (`loud`): from its first to its last stretch of sound `least`
    windows long or more, a stretch ending where `least` windows of quiet
    follow. A burst shorter than that at either edge, with that much quiet
    between it and the rest, is left out: a stop's late release after the
    word's silent closure, or the next word's onset that the span reaches
    into. All the sound when no stretch is that long. Then, beside it, the
    first loud window and the one after the last, bursts and all. None when
    nothing is loud."""
    import numpy as np

    runs = np.diff(np.concatenate([[0], loud.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(runs == 1), np.flatnonzero(runs == -1)
    if not len(starts):
        return None
    bursts_and_all = int(starts[0]), int(ends[-1])
    parted = np.flatnonzero(starts[1:] - ends[:-1] >= least)  # quiet long enough after run i
    starts = np.concatenate([starts[:1], starts[parted + 1]])  # the stretches
    ends = np.concatenate([ends[parted], ends[-1:]])
    long = ends - starts >= least
    if long.any():
        starts, ends = starts[long], ends[long]
    return (int(starts[0]), int(ends[-1])), bursts_and_all


def word_spans(chunks: list[list[tuple[str, int]]]) -> list[tuple[str, int, int]]:
    """Each word as heard: (its phonemes, first sample, sample after), from
    Piper's alignments: one list per sentence chunk (the chunks' audio
    joined in order) of (phoneme, samples it lasts, with the padding after)."""
    words: list[tuple[str, int, int]] = []
    pos = 0
    for chunk in chunks:
        phones: list[str] = []
        start = end = 0
        for phoneme, samples in chunk:
            if phoneme in _BETWEEN:
                if phones:
                    words.append(("".join(phones), start, end))
                    phones = []
            else:
                if not phones:
                    start = pos
                phones.append(phoneme)
                end = pos + samples
            pos += samples
        if phones:
            words.append(("".join(phones), start, end))
    return words


_STRESS = str.maketrans("", "", "ˈˌ ")  # stress marks and spaces: not what tells words apart
# the groups of written words and words heard that may stand for each other:
# one for one, or a word espeak-ng says as two or three ("HoREA": "ho", "rea"),
# or two or three it runs into one ("tăng... rất")
_MOVES = ((1, 1), (1, 2), (2, 1), (1, 3), (3, 1))


def _likeness(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0


def align_words(expected: list[str], heard: list[tuple[str, int, int]],
                least: float = 0.5) -> list[tuple[int, int]] | None:
    """One span per word of the text, from the words Piper said. `expected`
    is each text word's phonemes said alone; `heard`, the words of the
    whole clip (word_spans). Counting words is not enough: espeak-ng splits
    some ("HoREA", "đi/về") and runs others together across "...", and one
    of each keeps the count while every word after the first is off. So the
    two are lined up by their phonemes: one for one where they are alike,
    else by dynamic programming over the groups in _MOVES (a word heard as
    several gets their span; several heard as one share its span by their
    phonemes' length). None when no lining-up is alike enough (`least`)."""
    n, m = len(expected), len(heard)
    if not n or not m:
        return None
    keys = [e.translate(_STRESS) for e in expected]
    said = [h[0].translate(_STRESS) for h in heard]
    if n == m and all(_likeness(a, b) >= least for a, b in zip(keys, said)):
        return [(h[1], h[2]) for h in heard]
    inf = float("inf")
    cost = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    cost[0][0] = 0.0
    for i in range(n + 1):
        for j in range(m + 1):
            if cost[i][j] == inf:
                continue
            for di, dj in _MOVES:
                if i + di > n or j + dj > m:
                    continue
                like = _likeness("".join(keys[i:i + di]), "".join(said[j:j + dj]))
                if like < least * 0.8:  # not the same word(s): no step
                    continue
                c = cost[i][j] + (1 - like) * max(di, dj) + (0 if di == dj else 0.15)
                if c < cost[i + di][j + dj]:
                    cost[i + di][j + dj], back[i + di][j + dj] = c, (di, dj)
    if cost[n][m] == inf or cost[n][m] > (1 - least) * 0.7 * max(n, m):
        return None
    spans: list[tuple[int, int]] = []
    i, j = n, m
    while i or j:
        di, dj = back[i][j]
        start, end = heard[j - dj][1], heard[j - 1][2]
        if end - start < di:  # too short to share: no word timings, not overlapping ones
            return None
        if di == 1:
            spans.append((start, end))
        else:  # several written words heard as one: shared by their phonemes' length
            sizes = [max(1, len(k)) for k in keys[i - di:i]]
            total, edge, parts = sum(sizes), start, []
            for k, size in enumerate(sizes):
                stop = end if k == di - 1 else edge + round((end - start) * size / total)
                parts.append((edge, max(edge + 1, stop)))
                edge = parts[-1][1]
            spans.extend(reversed(parts))
        i, j = i - di, j - dj
    return spans[::-1]


class PiperEngine:
    name = "piper"
    max_chars = 100  # the same segments as the other voices: one script fits all
    max_jobs = 1  # one onnxruntime session, one request at a time (see synthesize)

    def __init__(self, voice: str | Path | None = None, language: str = "vi",
                 speed: float = 1.0) -> None:
        self.model = Path(voice) if voice else None
        self.config_path = Path(f"{self.model}.json") if self.model else None
        self.language = language
        self.speed = speed
        # the loaded voice, shared with the copies `with_speed` makes: loaded once
        self._loaded: dict = {}
        self._lock = threading.Lock()

    def with_speed(self, speed: float) -> "PiperEngine":
        """This voice speaking `speed` times as fast, through Piper's own length
        scale (the phonemes made shorter), not a tempo filter on its audio."""
        faster = PiperEngine(self.model, self.language, speed)
        faster._loaded, faster._lock = self._loaded, self._lock
        return faster

    def _config(self) -> dict:
        if self.model is None:
            raise EngineUnavailable("no Piper voice given (--voice PATH.onnx, or "
                                    "AUDIO_EDITION_PIPER_VOICE)")
        if not self.model.is_file():
            raise EngineUnavailable(f"no Piper voice file {self.model}")
        try:
            config = json.loads(self.config_path.read_text(encoding="utf-8"))
            if not isinstance(config, dict):
                raise ValueError("not an object")
        except FileNotFoundError:
            raise EngineUnavailable(f"the Piper voice {self.model.name} has no config beside "
                                    f"it ({self.config_path.name})") from None
        except (OSError, ValueError) as e:
            raise EngineUnavailable(f"the Piper voice's config {self.config_path} cannot be "
                                    f"read ({e})") from None
        return config

    @property
    def sample_rate(self) -> int:
        try:
            rate = self._config().get("audio", {}).get("sample_rate", 22050)
        except (EngineUnavailable, AttributeError):
            return 22050
        return rate if isinstance(rate, int) and 8000 <= rate <= 96000 else 22050

    @property
    def identity(self) -> dict:
        """The model's and the config's bytes decide the sound: their hashes."""
        # clips carry their word timings when onnx is there, so a clip made
        # without them is not taken for one with them
        ident = {"engine": self.name, "language": self.language, "speed": self.speed,
                 "words": words_version()}
        if self.model is not None and self.model.is_file():
            ident["model"] = file_digest(self.model)
            if self.config_path.is_file():
                ident["config"] = file_digest(self.config_path)
        try:
            from importlib.metadata import version

            ident["piper"] = version("piper-tts")
        except Exception:  # not installed: available() says so
            ident["piper"] = "unavailable"
        return ident

    def _load(self):
        with self._lock:
            if "voice" in self._loaded:
                return self._loaded["voice"]
            config = self._config()
            try:
                import onnxruntime
                from piper import PiperVoice
            except ImportError:
                raise EngineUnavailable("the piper extra is not installed: pip install "
                                        "'audio-edition[piper]'") from None
            # Piper patches the model with onnx for its alignments; without it,
            # a voice without word cues rather than Piper's logged warning
            timed = importlib.util.find_spec("onnx") is not None
            onnxruntime.set_default_logger_severity(4)  # its errors are raised, not logged
            try:
                voice = PiperVoice.load(self.model, config_path=self.config_path,
                                        include_alignments=timed)
            except Exception as e:  # onnxruntime and piper raise many kinds for a bad model
                raise EngineUnavailable(f"the Piper voice {self.model.name} cannot be loaded "
                                        f"({type(e).__name__})") from None
            voice.config.espeak_voice = self.language  # the article's language
            try:  # a model and a config that do not belong together fail here, not later
                list(voice.synthesize("a", include_alignments=timed))
            except Exception as e:
                raise EngineUnavailable(f"the Piper voice {self.model.name} does not match "
                                        f"its config {self.config_path.name} "
                                        f"({type(e).__name__})") from None
            self._loaded["voice"] = (voice, config)
            self._loaded["timed"] = timed
            return voice, config

    def available(self) -> tuple[bool, str]:
        try:
            voice, config = self._load()
        except EngineUnavailable as e:
            return False, str(e)
        trained = str(config.get("espeak", {}).get("voice", "?"))
        note = "" if trained.split("-")[0] == self.language.split("-")[0] else (
            f"; warning: the voice was trained on '{trained}', not '{self.language}'")
        if not self._loaded.get("timed"):
            note += "; no word timings (the onnx package is missing)"
        return True, f"Piper voice {self.model.name}{note}"

    def synthesize(self, text: str) -> Clip:
        voice, _ = self._load()
        try:
            from piper import SynthesisConfig

            scale = (voice.config.length_scale or 1.0) / self.speed
            with self._lock:  # one onnxruntime session, one request at a time
                chunks = list(voice.synthesize(text, syn_config=SynthesisConfig(
                    length_scale=scale), include_alignments=self._loaded.get("timed", False)))
        except Exception as e:  # a model that loads and cannot run
            raise SynthesisError(f"piper: {type(e).__name__}: {e}") from None
        audio = [chunk.audio_int16_bytes for chunk in chunks]
        pcm = b"".join(audio)
        if not pcm:
            raise SynthesisError(f"piper produced no audio for {text[:40]!r}")
        rate = voice.config.sample_rate
        return Clip(pcm, rate, words=_words(chunks, audio, pcm, rate, text, self._phonemes))

    def _phonemes(self, word: str) -> str:
        """A word's phonemes, said alone (espeak-ng: one caller at a time)."""
        known = self._loaded.setdefault("phonemes", {})
        found = known.get(word)
        if found is None:
            voice, _ = self._load()
            with self._lock:
                found = "".join("".join(s) for s in voice.phonemize(word))
            if len(known) > 50_000:  # a long-running sync: syllables are few, names are not
                known.clear()
            known[word] = found
        return found


def _words(chunks, audio: list[bytes], pcm: bytes, rate: int, text: str,
           phonemes) -> tuple[tuple[int, int], ...]:
    """Each word's place in the clip, when Piper gave alignments for every
    chunk that match its audio and its words line up with the text's
    (`phonemes(word)`: a word's phonemes said alone)."""
    aligned = []
    for chunk, sound in zip(chunks, audio):
        alignments = chunk.phoneme_alignments
        if not alignments or sum(int(a.num_samples) for a in alignments) != len(sound) // 2:
            return ()
        aligned.append([(a.phoneme, int(a.num_samples)) for a in alignments])
    spans = align_words([phonemes(w) for w in spoken_words(text)], word_spans(aligned))
    if spans is None:
        return ()
    import numpy as np

    return tuple(snap_to_speech(np.frombuffer(pcm, dtype="<i2"), rate, spans))
