"""Screenshot checks: a real PNG or JPEG, at most 5 MB, re-encoded so no metadata survives.

Pure: no Flask, no database. Re-encoding from pixels drops EXIF (GPS, camera, owner), text
chunks and colour profiles; the picture keeps its orientation.
"""

import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 4K screen is 8 million; more is a decompression bomb
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg"}


class ScreenshotError(ValueError):
    """The upload is not an acceptable screenshot; the message is safe to show."""


@dataclass(frozen=True)
class CleanImage:
    content_type: str
    data: bytes
    width: int
    height: int


NOT_AN_IMAGE = "That file is not a PNG or JPEG image. Take a screenshot and attach the picture."
TOO_BIG = "That screenshot is too big: each file may be at most 5 MB."


def clean_screenshot(raw: bytes) -> CleanImage:
    """Check the upload really is a PNG or JPEG, then re-encode it without metadata."""
    if len(raw) > MAX_BYTES:
        raise ScreenshotError(TOO_BIG)
    if not raw:
        raise ScreenshotError("That file is empty.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw)) as probe:
                kind = probe.format
                if kind not in FORMATS:
                    raise ScreenshotError(NOT_AN_IMAGE)
                if probe.width * probe.height > MAX_PIXELS:
                    raise ScreenshotError("That picture has too many pixels for a screenshot.")
                probe.verify()
            with Image.open(io.BytesIO(raw)) as image:
                image.load()
                pixels = ImageOps.exif_transpose(image)
    except ScreenshotError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:  # fmt: skip
        raise ScreenshotError(NOT_AN_IMAGE) from exc
    return _reencode(pixels, kind)


def _reencode(image: Image.Image, kind: str) -> CleanImage:
    if kind == "JPEG":
        image = image.convert("L" if image.mode in ("1", "L") else "RGB")
    elif image.mode not in ("1", "L", "LA", "RGB", "RGBA"):
        image = image.convert("RGBA")
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    out = io.BytesIO()
    if kind == "JPEG":
        clean.save(out, format="JPEG", quality=90, optimize=True)
    else:
        clean.save(out, format="PNG", optimize=True)
    return CleanImage(FORMATS[kind], out.getvalue(), clean.width, clean.height)
