"""The edition's cover art: checked once, embedded in the MP3 (APIC) and
published beside it for the feed's episode image.

Apple Podcasts asks for a square JPEG or PNG of 1400 to 3000 pixels a side
(and Spotify for a square one); the image is checked with Pillow, which reads
only its header for the size and then verifies the whole file.
"""
from __future__ import annotations

import io
from pathlib import Path

from script import read_bounded

from .errors import ExportError
from .model import Cover

MAX_COVER_BYTES = 20 * 1024 * 1024
MIN_PX, MAX_PX = 1400, 3000
_FORMATS = {"JPEG": ("image/jpeg", ".jpg"), "PNG": ("image/png", ".png")}


def read_cover(path: Path) -> Cover:
    """The image at `path`, or an ExportError that says what is wrong with it."""
    data = read_bounded(path, MAX_COVER_BYTES, "the cover", ExportError)
    from PIL import Image, UnidentifiedImageError  # (only a build with --cover pays for it)

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError):
        raise ExportError(f"the cover {path} is not an image Pillow can read") from None
    if kind not in _FORMATS:
        raise ExportError(f"the cover {path} is {kind}: podcast apps take JPEG or PNG")
    if width != height:
        raise ExportError(f"the cover {path} is {width}x{height} px: it must be square")
    if not MIN_PX <= width <= MAX_PX:
        raise ExportError(f"the cover {path} is {width} px a side: podcast apps take "
                          f"{MIN_PX} to {MAX_PX}")
    mime, suffix = _FORMATS[kind]
    return Cover(data, mime, suffix, width)
