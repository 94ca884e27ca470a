"""A Piper voice (a neural voice that runs offline, through onnxruntime), from
a model the newsroom supplies: `--engine piper --voice PATH.onnx`, its
`PATH.onnx.json` config beside it, as Piper lays voices out.

`pip install 'audio-edition[piper]'` adds piper-tts (GPL-3.0; it carries
espeak-ng's data for its phonemizer). The phonemizer is given the article's
language (vi), whatever the voice's config says; a voice trained on another
language still speaks, with a warning from `available()`.

`--speed` is Piper's length scale (`with_speed`), not the tempo filter the
other voices get. Work in progress (issue 18): `auto`'s order of preference
and word-level cues are not done yet.
"""
from __future__ import annotations

import functools
import hashlib
import json
import threading
from pathlib import Path

from ..errors import EngineUnavailable, SynthesisError
from ..model import Clip


@functools.lru_cache(maxsize=4)
def _digest(path: str, mtime_ns: int, size: int) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _file_digest(path: Path) -> str:
    info = path.stat()
    return _digest(str(path), info.st_mtime_ns, info.st_size)


class PiperEngine:
    name = "piper"
    max_chars = 100  # the same segments as the other voices: one script fits all

    def __init__(self, voice: str | Path | None = None, language: str = "vi",
                 speed: float = 1.0) -> None:
        self.model = Path(voice) if voice else None
        self.config_path = Path(f"{self.model}.json") if self.model else None
        self.language = language
        self.speed = speed
        self._voice = None
        self._lock = threading.Lock()

    def with_speed(self, speed: float) -> "PiperEngine":
        """This voice speaking `speed` times as fast, through Piper's own length
        scale (the phonemes made shorter), not a tempo filter on its audio."""
        return PiperEngine(self.model, self.language, speed)

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
        ident = {"engine": self.name, "language": self.language, "speed": self.speed}
        if self.model is not None and self.model.is_file():
            ident["model"] = _file_digest(self.model)
            if self.config_path.is_file():
                ident["config"] = _file_digest(self.config_path)
        try:
            from importlib.metadata import version

            ident["piper"] = version("piper-tts")
        except Exception:  # not installed: available() says so
            ident["piper"] = "unavailable"
        return ident

    def _load(self):
        with self._lock:
            if self._voice is not None:
                return self._voice
            config = self._config()
            try:
                from piper import PiperVoice
            except ImportError:
                raise EngineUnavailable("the piper extra is not installed: pip install "
                                        "'audio-edition[piper]'") from None
            try:
                voice = PiperVoice.load(self.model, config_path=self.config_path)
            except Exception as e:  # onnxruntime and piper raise many kinds for a bad model
                raise EngineUnavailable(f"the Piper voice {self.model.name} cannot be loaded "
                                        f"({type(e).__name__})") from None
            voice.config.espeak_voice = self.language  # the article's language
            self._voice = (voice, config)
            return self._voice

    def available(self) -> tuple[bool, str]:
        try:
            voice, config = self._load()
        except EngineUnavailable as e:
            return False, str(e)
        trained = str(config.get("espeak", {}).get("voice", "?"))
        note = "" if trained.split("-")[0] == self.language else (
            f"; warning: the voice was trained on '{trained}', not '{self.language}'")
        return True, f"Piper voice {self.model.name}{note}"

    def synthesize(self, text: str) -> Clip:
        voice, _ = self._load()
        try:
            from piper import SynthesisConfig

            scale = (voice.config.length_scale or 1.0) / self.speed
            with self._lock:  # one onnxruntime session, one request at a time
                pcm = b"".join(chunk.audio_int16_bytes for chunk in voice.synthesize(
                    text, syn_config=SynthesisConfig(length_scale=scale)))
        except Exception as e:  # a model that loads and cannot run
            raise SynthesisError(f"piper: {type(e).__name__}: {e}") from None
        if not pcm:
            raise SynthesisError(f"piper produced no audio for {text[:40]!r}")
        return Clip(pcm, self.sample_rate)
