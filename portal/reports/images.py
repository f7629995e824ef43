"""The upload pipeline for report photos: check, decode, re-encode.

Nothing the citizen sent is stored as it came. The type is read from the content (the name
and Content-Type are ignored), the size and the pixel count are capped before decoding (a
small PNG can claim billions of pixels), and the pixels are copied into a fresh image and
written anew, so EXIF (GPS position, camera serial), XMP, comments and anything appended to
the file are gone.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_PIXELS = 40_000_000  # a 48-megapixel phone photo is 8000 × 6000; bombs are far larger
MAX_SIDE = 2560  # enough to read a label; stored photos are scaled down to it
JPEG_QUALITY = 88
_BROKEN = (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error)


@dataclass(frozen=True)
class CleanPhoto:
    content: bytes
    content_type: str
    extension: str
    width: int
    height: int
    source_digest: str  # of the upload, to recognise a resubmission


def max_megabytes() -> int:
    """`REPORTS_PHOTO_MAX_BYTES` as people read it."""
    return settings.REPORTS_PHOTO_MAX_BYTES // (1024 * 1024) or 1


def clean_photo(upload: UploadedFile) -> CleanPhoto:
    """The upload as a freshly encoded JPEG (PNG when it is a PNG or has transparency)."""
    name = upload.name or ""
    if upload.size > settings.REPORTS_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("%(name)s is larger than %(limit)s MB."),
            code="photo_too_large",
            params={"name": name, "limit": max_megabytes()},
        )
    raw = upload.read()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw), formats=ACCEPTED_FORMATS) as probe:
                _check_pixels(probe, name)
                probe.verify()  # reads the whole file: truncated or corrupt data fails here
            with Image.open(io.BytesIO(raw), formats=ACCEPTED_FORMATS) as image:
                source_format = image.format
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale
                image.load()
                content, content_type, extension, size = _reencode(image, source_format)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(name) from error
    except _BROKEN as error:
        raise ValidationError(
            _("%(name)s is not a JPEG, PNG or WebP photo, or it is damaged."),
            code="photo_invalid",
            params={"name": name},
        ) from error
    return CleanPhoto(
        content=content,
        content_type=content_type,
        extension=extension,
        width=size[0],
        height=size[1],
        source_digest=hashlib.sha256(raw).hexdigest(),
    )


def _too_many_pixels(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s has too many pixels (at most %(limit)s million)."),
        code="photo_too_many_pixels",
        params={"name": name, "limit": MAX_PIXELS // 1_000_000},
    )


def _check_pixels(image: Image.Image, name: str) -> None:
    """From the header alone, before a single pixel is decoded."""
    if image.width * image.height > MAX_PIXELS:
        raise _too_many_pixels(name)


def _reencode(image: Image.Image, source_format: str) -> tuple[bytes, str, str, tuple[int, int]]:
    # Turn the photo upright first: the orientation tag goes with the rest of the EXIF.
    upright = ImageOps.exif_transpose(image)
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    transparent = upright.has_transparency_data
    as_png = source_format == "PNG" or transparent
    mode = "RGBA" if transparent else "RGB"
    fresh = Image.new(mode, upright.size)  # no info, no EXIF, no ICC: only pixels
    fresh.paste(upright.convert(mode))
    out = io.BytesIO()
    if as_png:
        fresh.save(out, "PNG", optimize=True)
        return out.getvalue(), "image/png", "png", fresh.size
    fresh.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue(), "image/jpeg", "jpg", fresh.size
