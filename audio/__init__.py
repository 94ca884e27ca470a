"""The sound side of audio-edition: how the script is said.

Names are loaded on first use (PEP 562), as in `script`: `--help`, or a
command that needs only the option types, does not load numpy, pydub or gTTS.
"""
from __future__ import annotations

import importlib

__version__ = "0.2.0"  # pyproject.toml reads it from here

# each public name and the module that defines it
_HOME = {
    "build_edition": "edition",
    **dict.fromkeys(["EngineOptions", "make_engine", "select_engine"], "engines"),
    **dict.fromkeys(["AudioError", "EngineUnavailable", "ExportError", "SynthesisError"],
                    "errors"),
    "Edition": "model", "EditionOptions": "model",
}
__all__ = sorted(_HOME)


def __getattr__(name: str):
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_HOME[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
