"""The voices' small pure parts: what a server's Retry-After means, how a
network failure is named, how a failing segment is quoted, and how its MP3s are decoded."""
from __future__ import annotations

import email.utils
import time

import numpy as np
import pytest
import requests

from audio.engines.google import _reason, _retry_after
from audio.render import _excerpt


def answer(retry_after: str | None) -> requests.Response:
    response = requests.Response()
    if retry_after is not None:
        response.headers["Retry-After"] = retry_after
    return response


def test_retry_after_in_seconds_or_as_a_date():
    assert _retry_after(answer("7")) == 7.0
    assert _retry_after(answer("2.5")) == 2.5
    assert _retry_after(answer("-3")) == 0.0
    assert _retry_after(answer(None)) is None
    assert _retry_after(answer("")) is None
    soon = email.utils.formatdate(time.time() + 20, usegmt=True)
    assert 17 < _retry_after(answer(soon)) <= 20
    past = email.utils.formatdate(time.time() - 60, usegmt=True)
    assert _retry_after(answer(past)) == 0.0


@pytest.mark.parametrize("value", ["soon", "nan", "Mon, 99 Foo 2015 99:99:99 GMT", "1,5",
                                   "Wed, 21 Oct 10000 07:28:00 GMT", "\x00", "0x10", "1_0"])
def test_an_unparseable_retry_after_falls_back_to_the_backoff(value):
    assert _retry_after(answer(value)) is None


def test_a_retry_after_of_forever_is_forever():
    assert _retry_after(answer("inf")) == _retry_after(answer("1e400")) == float("inf")


@pytest.mark.parametrize("message, reason", [
    ("HTTPSConnectionPool: Max retries exceeded ([Errno 111] Connection refused)",
     "connection refused"),
    ("('Connection aborted.', RemoteDisconnected('Remote end closed connection'))",
     "connection aborted"),
    ("Failed to resolve 'translate.google.com'", "failed to resolve"),
    ("[Errno -2] Name or service not known", "name or service not known"),
    ("[Errno -3] Temporary failure in name resolution", "temporary failure in name resolution"),
    ("Connection reset by peer", "connection reset"),
    ("something else entirely", "ConnectionError"),
])
def test_a_network_failure_is_named_in_a_few_words(message, reason):
    assert _reason(requests.ConnectionError(message)) == reason


def test_a_failing_segment_is_quoted_short():
    assert _excerpt("ngắn") == "'ngắn'"
    assert _excerpt("x" * 40) == repr("x" * 40)
    assert _excerpt("x" * 41) == repr("x" * 39 + "…")


@pytest.mark.parametrize("seconds, pad_ms", [(0.3, 0), (2.0, 120), (6.5, 40)])
def test_the_in_process_mp3_decoder_gives_ffmpegs_samples(seconds, pad_ms):
    """miniaudio replaced one ffmpeg process per online clip: on MP3s made
    like Google's (LAME, 24 kHz mono), the same length and the same samples
    to one least significant bit, so the same edition and timings."""
    from audio.engines.google import decode_mp3
    from audio.ffmpeg import decode

    from .fake_google import tone_mp3

    mp3 = tone_mp3(seconds, pad_ms=pad_ms)
    ours = np.frombuffer(decode_mp3(mp3, 24000), "<i2").astype(int)
    reference = np.frombuffer(decode(mp3, 24000), "<i2").astype(int)
    assert len(ours) == len(reference)
    assert np.abs(ours - reference).max() <= 1


def test_an_answer_that_is_not_mp3_is_a_decoding_error():
    from audio.engines.google import decode_mp3
    from audio.errors import AudioError

    with pytest.raises(AudioError, match="cannot decode MP3"):
        decode_mp3(b"<html>not audio</html>" * 10, 24000)


def test_the_online_voices_segment_length_is_gtts_own():
    """Declared without importing gTTS (the text stage asks for it first)."""
    from gtts import gTTS

    from audio.engines.google import GttsEngine

    assert GttsEngine.max_chars == gTTS.GOOGLE_TTS_MAX_CHARS
