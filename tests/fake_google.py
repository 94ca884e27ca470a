"""A small fake of Google Translate's batchexecute TTS endpoint, on 127.0.0.1.

The real gTTS library talks to it over real HTTP. Each request is answered
with a valid MP3: a tone whose length grows with the text, like speech does.
It records every request and can be told to misbehave.
"""
from __future__ import annotations

import base64
import json
import re
import random
import subprocess
import threading
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

import numpy as np

from audio.ffmpeg import decode, ffmpeg_exe
from tests.helpers import QuietLog, start_server, stop_server

PATH = "/_/TranslateWebserverUi/data/batchexecute"
RATE = 24000  # Google's MP3s are 24 kHz mono


@dataclass(frozen=True)
class Served:
    text: str
    lang: str
    status: int
    seconds: float  # decoded length of the clip served (0 when none)


def tone_mp3(seconds: float, freq: int = 440, pad_ms: int = 0, volume: float = 0.5,
             pieces: tuple[float, ...] = (), gap_ms: int = 0) -> bytes:
    """An MP3 tone (with optional silence padding around it, as Google's has).
    With `pieces`, one tone per piece (seconds each) with `gap_ms` of silence
    between them: a voice pausing between sentences."""
    parts = list(pieces) or [seconds]
    pcm = [np.zeros(int(pad_ms * RATE / 1000))]
    for i, length in enumerate(parts):
        t = np.arange(int(length * RATE)) / RATE
        pcm.append(np.sin(2 * np.pi * freq * t) * volume * 0.125)  # ffmpeg's sine level
        if i < len(parts) - 1:
            pcm.append(np.zeros(int(gap_ms * RATE / 1000)))
    pcm.append(np.zeros(int(pad_ms * RATE / 1000)))
    raw = (np.concatenate(pcm) * 32767).astype("<i2").tobytes()
    out = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-nostdin", "-f", "s16le", "-ar", str(RATE), "-ac", "1",
         "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a", "32k", "-f", "mp3", "pipe:1"],
        input=raw, capture_output=True, check=True)
    return out.stdout


def batchexecute_body(mp3: bytes) -> bytes:
    """The response framing gTTS parses: a line holding jQ1olc","[\\"<b64>\\"]."""
    inner = json.dumps([base64.b64encode(mp3).decode("ascii")])
    payload = json.dumps([["wrb.fr", "jQ1olc", inner, None, None, None, "generic"]],
                         separators=(",", ":"))
    return f")]}}'\n\n{len(payload)}\n{payload}\n".encode()


# A fault hook gets (request number from 1, text) and returns None to answer
# normally, or one of: an HTTP status (int), "empty" (200, no audio line),
# "garbled" (200, a jQ1olc line without audio), "no-audio" (200, an audio line
# whose audio is empty), "bad-base64" (200, an audio line that is not
# base64), "endless" (200, a body that never ends), "drip" (200, a body
# that never ends, one byte every 0.1 s), "stall" (sleep then answer),
# "header-drip" (the status line and headers a byte every 0.2 s, for ever),
# "short" (a body shorter than its Content-Length).
Fault = Callable[[int, str], object]

# Clips are shared by every fake in the process: making them costs two ffmpeg runs.
_CLIPS: dict[tuple, tuple[bytes, float]] = {}
_SENTENCE = re.compile(r"(?<=[.!?…])\s+")
_CLIPS_LOCK = threading.Lock()


class FakeGoogle:
    def __init__(self, ms_per_char: float = 60.0, latency: float = 0.0,
                 pad_ms: int = 0, fault: Fault | None = None, stall: float = 30.0,
                 jitter: float = 0.0, retry_after: str | None = None,
                 latency_fn: Callable[[int], float] | None = None,
                 volume_fn: Callable[[str], float] | None = None, sentence_gap_ms: int = 0):
        self.ms_per_char = ms_per_char
        self.latency = latency
        self.jitter = jitter  # extra random latency, up to this many seconds
        self.retry_after = retry_after  # sent with every 429
        self.latency_fn = latency_fn  # request number -> extra seconds
        self.volume_fn = volume_fn  # text -> the tone's amplitude (default 0.5)
        self.sentence_gap_ms = sentence_gap_ms  # silence between sentences in one clip
        self.pad_ms = pad_ms
        self.fault = fault
        self.stall = stall
        self.served: list[Served] = []  # in the order requests arrived
        self.completed: list[str] = []  # texts, in the order answers were sent
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}{PATH}"

    @property
    def ok_requests(self) -> list[Served]:
        return [s for s in self.served if s.status == 200 and s.seconds > 0]

    def clip_for(self, text: str) -> tuple[bytes, float]:
        """MP3 and its decoded length, made once per 50 ms of tone."""
        volume = self.volume_fn(text) if self.volume_fn else 0.5
        sentences = [p for p in _SENTENCE.split(text) if p] if self.sentence_gap_ms else [text]
        pieces = tuple(max(50, round(len(p) * self.ms_per_char / 50) * 50) for p in sentences)
        key = (pieces, self.pad_ms, volume, self.sentence_gap_ms)
        with _CLIPS_LOCK:
            if key not in _CLIPS:
                mp3 = tone_mp3(sum(pieces) / 1000, pad_ms=self.pad_ms, volume=volume,
                               pieces=tuple(p / 1000 for p in pieces),
                               gap_ms=self.sentence_gap_ms)
                _CLIPS[key] = (mp3, len(decode(mp3, RATE)) / 2 / RATE)
            return _CLIPS[key]

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        if urllib.parse.urlsplit(handler.path).path != PATH:
            handler.send_error(404)
            return
        length = int(handler.headers.get("Content-Length", 0))
        form = urllib.parse.parse_qs(handler.rfile.read(length).decode())
        rpc = json.loads(form["f.req"][0])
        text, lang = json.loads(rpc[0][0][1])[:2]
        with self._lock:
            number = len(self.served) + 1
            self.served.append(Served(text, lang, 0, 0.0))  # reserve the slot
        fault = self.fault(number, text) if self.fault else None
        delay = self.latency + (random.uniform(0, self.jitter) if self.jitter else 0)
        if self.latency_fn:
            delay += self.latency_fn(number)
        if delay:
            time.sleep(delay)
        status, body, seconds = 200, b"", 0.0
        if isinstance(fault, int):
            status, body = fault, b"error"
        elif fault == "empty":
            body = b")]}'\n\n[]\n"
        elif fault == "garbled":
            body = b')]}\'\n\n[["wrb.fr","jQ1olc",null]]\n'
        elif fault == "no-audio":
            body = batchexecute_body(b"")
        elif fault == "bad-base64":
            body = batchexecute_body(b"x").replace(base64.b64encode(b"x"), b"@@not*base64@@")
        elif fault in ("endless", "drip"):  # a 200 whose body never ends
            self._endless(handler, drip=fault == "drip")
            return
        elif fault == "header-drip":  # the status line and headers, a byte at a time
            self._header_drip(handler)
            return
        elif fault == "short":  # a body shorter than its Content-Length, then closed
            handler.send_response(200)
            handler.send_header("Content-Length", "1000")
            handler.end_headers()
            handler.wfile.write(b")]}'\n\n")
            handler.close_connection = True
            return
        else:
            if fault == "stall":
                time.sleep(self.stall)
            mp3, seconds = self.clip_for(text)
            body = batchexecute_body(mp3)
        with self._lock:
            self.served[number - 1] = Served(text, lang, status, seconds)
            self.completed.append(text)
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/json; charset=utf-8")
            handler.send_header("Content-Length", str(len(body)))
            if status == 429 and self.retry_after is not None:
                handler.send_header("Retry-After", self.retry_after)
            handler.end_headers()
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test)

    def _endless(self, handler: BaseHTTPRequestHandler, drip: bool) -> None:
        """Headers, then a body without end: 64 KB at a time, or a byte every
        0.1 s (a server that answers just fast enough for every read timeout)."""
        try:
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json; charset=utf-8")
            handler.end_headers()
            handler.wfile.write(b")]}'\n\n")
            for _ in range(100_000):
                handler.wfile.write(b"x" if drip else b"x" * 65536)
                handler.wfile.flush()
                if drip:
                    time.sleep(0.1)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up, as it should

    def _header_drip(self, handler: BaseHTTPRequestHandler) -> None:
        """A byte of the status line and headers every 0.2 s (for a minute, far
        past any deadline a test sets): every read gets its byte within any
        read timeout."""
        try:
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"x" * 300:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def start(self) -> "FakeGoogle":
        fake = self

        class Handler(QuietLog, BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                fake._handle(self)

        self._server = start_server(Handler)
        return self

    def stop(self) -> None:
        stop_server(self._server)
        self._server = None

    def __enter__(self) -> "FakeGoogle":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
