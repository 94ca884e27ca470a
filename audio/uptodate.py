"""Is the edition on disk already what a build would write? A build records a
hash of everything that decides its output in its JSON sidecar; a later build
with the same hash finds the edition whole and leaves it alone (no synthesis,
no encoding, no file rewritten), in a fifth of a second.

What the hash covers: the article as read (title, parts, metadata: so a
re-encoded copy of the same text is the same), or the narration script; the
lexicon; the voice asked for and its options (the voice decides the segment
length); the installed versions of audio-edition (its reading rules) and of
the voice's package; every option that changes the sound or the tags, with
the intro's and outro's bytes. Not covered, because they do not change the file: jobs, retries,
timeouts, the cache, quiet. `--force` builds anyway.

This module must stay cheap to import: it runs before the script stage, and
an up-to-date check that loaded the word segmenter or numpy would cost what
it saves.
"""
from __future__ import annotations

import dataclasses
import enum
import functools
import hashlib
import json
import os
from importlib.util import find_spec
from pathlib import Path
from typing import Mapping

from . import __version__
from .digest import file_digest

# The engine name's package, whose installed version is part of the hash.
VOICE_PACKAGES = {"gtts": ("gTTS", "gtts"), "espeak": ("espeakng-loader", "espeakng_loader"),
                  "piper": ("piper-tts", "piper")}


@functools.cache  # once a run, not once an article
def installed_version(distribution: str, module: str) -> str:
    """The version of an installed distribution, read from its .dist-info
    directory's name beside the module (importlib.metadata takes 75 ms to
    import; this takes one directory listing). '' when not found."""
    spec = find_spec(module)
    if spec is None or not spec.origin:
        return ""
    wanted = distribution.lower().replace("-", "_")
    site = Path(spec.origin).parent.parent
    try:
        for entry in os.scandir(site):
            name, dot, suffix = entry.name.rpartition(".")
            if suffix == "dist-info" and "-" in name:
                dist, _, version = name.rpartition("-")
                if dist.lower().replace("-", "_") == wanted:
                    return version
    except OSError:
        pass
    return ""


def _plain(value: object) -> object:
    """JSON for the values an input is made of."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Path):  # an intro, a voice: what is in it, not where it is
        return file_digest(value)
    if isinstance(value, (tuple, frozenset, set)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"cannot hash {type(value).__name__}")


def input_key(content: object, engine: str, voice_options: object, options: object,
              max_chars: int | None = None, lexicon: Mapping[str, str] | None = None) -> str:
    """The hash of everything that decides an edition (see the module's doc).
    `options` is the EditionOptions; its fields that do not change the file
    (jobs, retry) are left out."""
    sound = {f.name: getattr(options, f.name) for f in dataclasses.fields(options)
             if f.name not in ("jobs", "retry")}
    names = tuple(getattr(voice_options, "prefer", ("gtts", "espeak"))) if engine == "auto" \
        else (engine,)
    # a Piper voice counts only for a build that may use it (its model is hashed)
    piper = "piper" in names and getattr(voice_options, "piper_voice", None) is not None
    voice = {f.name: getattr(voice_options, f.name) for f in dataclasses.fields(voice_options)
             if f.name != "timeout" and (piper or not f.name.startswith("piper_"))}
    if piper:  # its config decides too
        voice["piper_config"] = Path(f"{voice_options.piper_voice}.json")
    versions = {n: installed_version(*VOICE_PACKAGES[n]) for n in names if n in VOICE_PACKAGES}
    if engine == "piper" or piper:
        # its word timings: onnx there or not, and how they are made
        from .engines.piper import words_version

        versions["piper-words"] = words_version()
    blob = json.dumps({"tool": __version__, "content": content, "engine": engine,
                       "voice": voice, "versions": versions, "sound": sound,
                       "max_chars": max_chars, "lexicon": dict(lexicon or {})},
                      default=_plain, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def _build_record(mp3: Path) -> dict | None:
    """The "build" record in the JSON sidecar beside `mp3`, if there is one."""
    try:
        with open(mp3.with_suffix(".json"), encoding="utf-8") as f:
            build = json.load(f).get("build")
    except (OSError, ValueError, AttributeError):
        return None
    return build if isinstance(build, dict) else None


def owner(mp3: Path) -> str | None:
    """Whose edition `mp3` is, by its sidecar's build record (None: nobody's)."""
    found = (_build_record(Path(mp3)) or {}).get("article")
    return found if isinstance(found, str) and found else None


def recorded(mp3: Path) -> dict | None:
    """What the edition at `mp3` says it was built from (its JSON sidecar's
    "build"), if the edition is all there: the MP3 at the size recorded, the
    timings, the subtitles and the page. None otherwise."""
    mp3 = Path(mp3)
    build = _build_record(mp3)
    try:
        if build is None or mp3.stat().st_size != build.get("bytes"):
            return None
    except OSError:
        return None
    if not (mp3.with_suffix(".vtt").is_file() and mp3.with_suffix(".html").is_file()):
        return None
    image = build.get("image")
    if image and not (mp3.parent / Path(str(image)).name).is_file():
        return None
    return build


class Freshness:
    """The up-to-date check of one run: the hash of each input, and whether
    the edition already at its path was built from the same.

    `voice()` is the run's voice ('auto' resolved, asked at most once): an
    edition that 'auto' made with the offline voice because Google did not
    answer is current only while Google still does not."""

    def __init__(self, out_dir: Path, engine: str, voice_options: object, options: object,
                 voice, max_chars: int | None = None,
                 lexicon: Mapping[str, str] | None = None, force: bool = False) -> None:
        self.out_dir, self.engine, self.voice = Path(out_dir), engine, voice
        self.voice_options, self.options = voice_options, options
        self.max_chars, self.lexicon, self.force = max_chars, lexicon, force

    def key(self, content: object) -> str:
        return input_key(content, self.engine, self.voice_options, self.options,
                         self.max_chars, self.lexicon)

    def taken(self, slug: str, article: str) -> bool:
        """Whether OUT/<slug>.mp3's sidecar says it is another article's
        edition (an edition from before this was recorded is nobody's)."""
        owner = (_build_record(self.out_dir / f"{slug}.mp3") or {}).get("article")
        return bool(owner) and bool(article) and owner != article

    def current(self, slug: str, key: str) -> Path | None:
        """The edition OUT/<slug>.mp3 when it is whole and built from `key`."""
        if self.force:
            return None
        mp3 = self.out_dir / f"{slug}.mp3"
        build = recorded(mp3)
        if build is None or build.get("input") != key:
            return None
        if self.engine == "auto" and build.get("voice") != "gtts" and self.voice() == "gtts":
            return None  # made offline while Google was away; Google answers now
        return mp3
