"""The online voice: Google Translate's, through the gTTS library.

gTTS builds and packages each request (its RPC format, its URL, its
headers); this module sends them. gTTS's own `stream()` opens a new HTTP
session per request, passes `urllib.request.getproxies()` straight to
`Session.send` (which applies HTTPS_PROXY but not NO_PROXY), turns off
certificate checks, and hides Retry-After. Sending through one
`requests.Session` per thread with `merge_environment_settings` gives
keep-alive, the standard proxy variables (NO_PROXY included), verified TLS,
and the HTTP status that the retry policy needs.
"""
from __future__ import annotations

import base64
import binascii
import email.utils
import functools
import math
import random
import re
import threading
import time
import urllib.parse
from typing import TYPE_CHECKING

from ..errors import AudioError, SynthesisError
from ..model import Clip, RetryPolicy
from .base import ANSWERS, BUSY, REFUSED, UNREACHABLE, Probe

if TYPE_CHECKING:
    import requests

# gTTS and requests are imported when a request is made, not with this
# module: what the text stage needs of the voice (its name, its segment
# length) then costs nothing (0.15 s of a cold start otherwise).

PROBE_TEXT = "xin chào"
MAX_ANSWER_BYTES = 4 * 1024 * 1024  # one segment's MP3, in base64, is tens of KB
_AUDIO = re.compile(r'jQ1olc","\[\\"(.*)\\"]')  # gTTS's own pattern (gtts/tts.py)


@functools.cache
def _request_class():
    from gtts import gTTS

    class _Request(gTTS):
        """gTTS with the request URL replaceable (a mirror, a test server)."""

        def __init__(self, *args, endpoint: str | None, **kwargs):
            super().__init__(*args, **kwargs)
            self._endpoint = endpoint

        def _prepare_requests(self):
            prepared = super()._prepare_requests()
            if self._endpoint:
                for request in prepared:
                    request.prepare_url(self._endpoint, None)
            return prepared

    return _Request


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:  # a number as HTTP writes one (not "1_0" or "0x10", which float() takes), or inf
        if not re.fullmatch(r"\s*([+-]?\d+(\.\d+)?([eE][+-]?\d+)?|[+]?inf(inity)?)\s*", value,
                            re.IGNORECASE):
            raise ValueError(value)
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError, OverflowError):
            return None  # not a date either: the usual backoff
        seconds = when.timestamp() - time.time() if when else math.nan
    return None if math.isnan(seconds) else max(0.0, seconds)  # inf: never, as asked


class GttsEngine:
    name = "gtts"
    # gTTS cuts longer text itself, at every comma; our segments stay under it.
    max_chars = 100  # gTTS.GOOGLE_TTS_MAX_CHARS (tests/test_engines.py checks they agree)
    sample_rate = 24000  # what Google's MP3s carry

    def __init__(self, lang: str = "vi", tld: str = "com",
                 endpoint: str | None = None, timeout: float = 15.0) -> None:
        self.lang = lang
        self.tld = tld
        self.endpoint = endpoint
        self.timeout = timeout
        self._local = threading.local()

    @property
    def identity(self) -> dict:
        import gtts

        ident = {"engine": self.name, "lang": self.lang, "tld": self.tld, "slow": False,
                 "gtts": gtts.__version__}
        if self.endpoint:
            ident["endpoint"] = self.endpoint
        return ident

    @property
    def host(self) -> str:
        if self.endpoint:
            return urllib.parse.urlsplit(self.endpoint).netloc
        return f"translate.google.{self.tld}"

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            import requests

            session = self._local.session = requests.Session()
        return session

    def fetch_mp3(self, text: str, timeout: float | None = None) -> bytes:
        # Our text stage has already normalized and segmented: gTTS's English
        # pre-processors must not touch the text.
        import requests
        from gtts import gTTSError

        from script import RETRY_STATUS, within

        tts = _request_class()(text, lang=self.lang, tld=self.tld, lang_check=False,
                       pre_processor_funcs=[], endpoint=self.endpoint)
        timeout = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + timeout  # for the whole answer, not each read
        session = self._session()
        audio = bytearray()
        for prepared in tts._prepare_requests():
            settings = session.merge_environment_settings(prepared.url, {}, None, None, None)
            settings["stream"] = True  # the body is read under a size cap and the deadline
            try:
                response = within(deadline, lambda: session.send(
                    prepared, timeout=timeout, **settings), lambda: SynthesisError(
                        f"gTTS: {self.host} did not answer within {timeout:g} s",
                        retryable=True, reached=False))
                with response:
                    if response.status_code != 200:
                        response._content = self._body(response, deadline, timeout)
                        message = gTTSError(tts=tts, response=response).msg
                        raise SynthesisError(f"gTTS: {message}",
                                             retryable=response.status_code in RETRY_STATUS,
                                             retry_after=_retry_after(response))
                    body = self._body(response, deadline, timeout).decode(
                        response.encoding or "utf-8", "replace")
            except requests.Timeout:
                raise SynthesisError(f"gTTS: {self.host} did not answer within {timeout:g} s",
                                     retryable=True, reached=False) from None
            except requests.ConnectionError as e:
                raise SynthesisError(f"gTTS: cannot reach {self.host} ({_reason(e)})",
                                     retryable=True, reached=False) from None
            except requests.RequestException as e:
                raise SynthesisError(f"gTTS: {type(e).__name__}: {e}", retryable=True) from None
            found = [m.group(1) for line in body.splitlines()
                     if "jQ1olc" in line and (m := _AUDIO.search(line))]
            if not found:
                # gTTS itself returns nothing, without an error, in this case.
                raise SynthesisError("gTTS: Google answered with no audio", retryable=True)
            for chunk in found:
                try:
                    audio += base64.b64decode(chunk, validate=True)
                except binascii.Error:
                    raise SynthesisError("gTTS: Google's answer holds no valid audio data "
                                         "(bad base64)", retryable=True) from None
        if not audio:
            raise SynthesisError("gTTS: Google answered with no audio", retryable=True)
        return bytes(audio)

    def _body(self, response, deadline: float, timeout: float) -> bytes:
        """The answer's body, up to MAX_ANSWER_BYTES and by the deadline: an
        endless or dripping answer fails (and is retried) instead of taking
        all memory or hanging the build."""
        from script import read_response

        def fail(message: str) -> SynthesisError:
            return SynthesisError(f"gTTS: {message}", retryable=True)

        return read_response(response, MAX_ANSWER_BYTES, deadline, fail,
                             f"the answer from {self.host} (allowed {timeout:g} s)")

    def probe(self, retry: RetryPolicy | None = None, timeout: float | None = None,
              sleep=time.sleep) -> Probe:
        """Whether Google answers, with `--timeout` per try. Google that cannot
        be reached (no connection, no answer in time) is UNREACHABLE at once;
        Google that answers 429 or 5xx, or without audio, is there but busy:
        asked again with `retry` (a Retry-After beyond it ends the wait), and
        BUSY when it still is. Each try runs on a thread with a hard deadline:
        requests' timeout does not cover a DNS lookup, which on a machine
        without a network can hang for tens of seconds."""
        timeout = self.timeout if timeout is None else timeout
        retry = retry or RetryPolicy(tries=1)
        rng = random.Random()
        for attempt in range(1, retry.tries + 1):
            outcome = self._try(timeout)
            if outcome is None:
                return Probe(ANSWERS, f"{self.host} answered")
            if isinstance(outcome, TimeoutError):
                return Probe(UNREACHABLE, f"{self.host} did not answer within {timeout:g} s")
            reason = str(outcome).removeprefix("gTTS: ")
            if isinstance(outcome, SynthesisError) and not outcome.reached:
                return Probe(UNREACHABLE, reason)
            if not (isinstance(outcome, SynthesisError) and outcome.retryable):
                return Probe(REFUSED, f"{self.host} refused the request ({reason})")
            if outcome.retry_after is not None and outcome.retry_after > retry.cap:
                return Probe(BUSY, f"{self.host} is busy ({reason}; it asks to wait "
                                   f"{outcome.retry_after:.0f} s)")
            if attempt < retry.tries:
                sleep(retry.delay(attempt, outcome.retry_after, rng))
        return Probe(BUSY, f"{self.host} is busy ({reason}, after {retry.tries} "
                           f"tr{'y' if retry.tries == 1 else 'ies'})")

    def _try(self, timeout: float) -> BaseException | None:
        outcome: list[BaseException | None] = []

        def attempt() -> None:
            try:
                self.synthesize(PROBE_TEXT, timeout=timeout)
                outcome.append(None)
            except Exception as e:  # reported by probe(), whatever it is
                outcome.append(e)

        thread = threading.Thread(target=attempt, daemon=True, name="gtts-probe")
        thread.start()
        thread.join(timeout + 1.0)
        return outcome[0] if outcome else TimeoutError()

    def available(self, timeout: float | None = None) -> tuple[bool, str]:
        """One try (the `engines` listing): whether Google answers, and why not."""
        found = self.probe(timeout=timeout)
        return found.state == ANSWERS, found.reason

    def synthesize(self, text: str, timeout: float | None = None) -> Clip:
        mp3 = self.fetch_mp3(text, timeout)
        try:
            pcm = decode_mp3(mp3, self.sample_rate)
        except Exception as e:  # any decoder failure means the answer was not audio
            raise SynthesisError(f"gTTS: the audio from Google is not valid MP3 ({e})",
                                 retryable=True) from e
        if not pcm:
            raise SynthesisError("gTTS: Google's audio decodes to nothing", retryable=True)
        return Clip(pcm, self.sample_rate)


def decode_mp3(data: bytes, sample_rate: int) -> bytes:
    """MP3 bytes -> mono 16-bit PCM at `sample_rate`, in this process:
    miniaudio (dr_mp3) takes ~3 ms for a clip where an ffmpeg process took
    ~40 ms, half the CPU of an online build (the same samples: see
    tests/test_engines.py). ffmpeg still reads the intro and outro, which may
    be in any format."""
    import miniaudio

    try:
        decoded = miniaudio.decode(data, output_format=miniaudio.SampleFormat.SIGNED16,
                                   nchannels=1, sample_rate=sample_rate)
    except miniaudio.MiniaudioError as e:
        raise AudioError(f"cannot decode MP3: {e}") from None
    return decoded.samples.tobytes()


def _reason(error: Exception) -> str:
    text = str(error)
    for marker in ("Connection refused", "Connection reset", "Name or service not known",
                   "Temporary failure in name resolution", "Failed to resolve",
                   "Connection aborted", "Remote end closed"):
        if marker in text:
            return marker.lower()
    return type(error).__name__
