"""The online voice: Google Translate's, through the real gTTS library."""
from __future__ import annotations

import io
import urllib.parse

from gtts import gTTS, gTTSError

from .. import ffmpeg
from ..errors import EngineUnavailable, SynthesisError
from .base import Clip

PROBE_TEXT = "xin chào"


class _EndpointGTTS(gTTS):
    """gTTS that posts to another batchexecute URL (a mirror, or a test fake).

    gTTS builds the URL from `tld` only (https://translate.google.<tld>/...);
    this overrides its request preparation, the one place the URL is used,
    and leaves the rest of gTTS (packaging, HTTP, response parsing) as is.
    """

    def __init__(self, *args, endpoint: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._endpoint = endpoint

    def _prepare_requests(self):
        prepared = super()._prepare_requests()
        for request in prepared:
            request.prepare_url(self._endpoint, None)
        return prepared


class GttsEngine:
    name = "gtts"
    # gTTS cuts longer text itself, at every comma; our segments stay under it.
    max_chars = gTTS.GOOGLE_TTS_MAX_CHARS
    sample_rate = 24000  # what Google's MP3s carry

    def __init__(self, lang: str = "vi", tld: str = "com",
                 endpoint: str | None = None, timeout: float = 15.0) -> None:
        self.lang = lang
        self.tld = tld
        self.endpoint = endpoint
        self.timeout = timeout

    @property
    def host(self) -> str:
        if self.endpoint:
            return urllib.parse.urlsplit(self.endpoint).netloc
        return f"translate.google.{self.tld}"

    def _tts(self, text: str, timeout: float) -> gTTS:
        # Our text stage has already normalized and segmented: gTTS's English
        # pre-processors and tokenizer must not touch it.
        kwargs = dict(lang=self.lang, tld=self.tld, lang_check=False,
                      pre_processor_funcs=[], timeout=timeout)
        if self.endpoint:
            return _EndpointGTTS(text, endpoint=self.endpoint, **kwargs)
        return gTTS(text, **kwargs)

    def fetch_mp3(self, text: str, timeout: float | None = None) -> bytes:
        buf = io.BytesIO()
        try:
            self._tts(text, self.timeout if timeout is None else timeout).write_to_fp(buf)
        except gTTSError as e:
            if e.rsp is None:  # no HTTP answer at all: say where and what happened
                what = type(e.__context__).__name__ if e.__context__ else "no answer"
                raise SynthesisError(f"gTTS: cannot reach {self.host} ({what})") from e
            raise SynthesisError(f"gTTS: {e}") from e
        # gTTS returns nothing, without an error, when a 200 carries no audio.
        if not buf.getvalue():
            raise SynthesisError("gTTS: Google answered with no audio")
        return buf.getvalue()

    def available(self, timeout: float = 4.0) -> tuple[bool, str]:
        where = self.host
        try:
            self.synthesize(PROBE_TEXT, timeout=timeout)
        except SynthesisError as e:
            return False, f"{where} did not answer ({e})"
        except Exception as e:  # a probe must never crash the tool
            return False, f"{where} did not answer ({type(e).__name__}: {e})"
        return True, f"{where} answered"

    def synthesize(self, text: str, timeout: float | None = None) -> Clip:
        mp3 = self.fetch_mp3(text, timeout)
        try:
            pcm = ffmpeg.decode(mp3, self.sample_rate)
        except Exception as e:
            raise SynthesisError(f"gTTS: the audio from Google is not valid MP3 ({e})") from e
        if not pcm:
            raise SynthesisError("gTTS: Google's audio decodes to nothing")
        return Clip(pcm, self.sample_rate)


__all__ = ["GttsEngine", "EngineUnavailable"]
