"""The podcast channel's settings, kept in DIR/podcast.toml so that `sync`
from cron needs no long command line: written (merged) by the channel
options of `sync` or `feed`, or by hand; read with tomllib."""
from __future__ import annotations

import dataclasses
import json
import tomllib
from pathlib import Path

from .atomic import atomic_write
from .errors import ExportError
from .model import FeedInfo

CONFIG = "podcast.toml"
_FIELDS = [f.name for f in dataclasses.fields(FeedInfo)]


def load_channel(directory: Path) -> dict:
    """The settings in DIR/podcast.toml ({} when there is none)."""
    path = Path(directory) / CONFIG
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ExportError(f"cannot read {path}: {e}") from None
    unknown = sorted(set(data) - set(_FIELDS))
    if unknown:
        raise ExportError(f"{path}: unknown settings {', '.join(unknown)} "
                          f"(known: {', '.join(_FIELDS)})")
    wrong = [k for k, v in data.items()
             if not isinstance(v, bool if k == "explicit" else str)]
    if wrong:
        raise ExportError(f"{path}: {', '.join(wrong)} must be "
                          + ("true or false" if wrong == ["explicit"] else "text"))
    return data


def save_channel(directory: Path, given: dict) -> dict:
    """DIR/podcast.toml with `given` (the options set on this command line)
    merged in; the merged settings."""
    before = load_channel(directory)
    settings = {**before, **{k: v for k, v in given.items() if v is not None}}
    if settings != before:  # nothing new given: the file is not touched
        lines = ["# The podcast channel of this directory (audio-edition feed / sync)."]
        lines += [f"{k} = {'true' if v is True else 'false' if v is False else json.dumps(v, ensure_ascii=False)}"
                  for k, v in sorted(settings.items())]
        try:
            atomic_write(Path(directory) / CONFIG, ("\n".join(lines) + "\n").encode("utf-8"))
        except OSError as e:
            raise ExportError(f"cannot write {Path(directory) / CONFIG}: {e.strerror or e}") \
                from e
    return settings
