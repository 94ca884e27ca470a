"""The sound side of audio-edition: how the script is said."""
from .edition import build_edition
from .engines import EngineOptions, make_engine, select_engine
from .errors import AudioError, EngineUnavailable, ExportError, SynthesisError
from .model import Edition, EditionOptions

__all__ = ["AudioError", "Edition", "EditionOptions", "EngineOptions", "EngineUnavailable",
           "ExportError", "SynthesisError", "build_edition", "make_engine", "select_engine"]
