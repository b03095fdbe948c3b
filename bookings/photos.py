"""A practitioner's photo as pages serve it: cropped to a portrait, made in a few widths, each as
WebP with a JPEG fallback (Pillow), with nothing of the original file kept (no location or camera
details: the image is drawn again from its pixels)."""

import hashlib
import io
from dataclasses import dataclass

from django.db import transaction
from PIL import Image, ImageOps, UnidentifiedImageError

from bookings.models import PhotoFormat, Practitioner, PractitionerPhoto

WIDTHS = (160, 320, 640)
ASPECT = (4, 5)  # width to height: a portrait
MAX_BYTES = 10_000_000
# Pillow refuses images of more pixels than this (a "decompression bomb" in a small file).
Image.MAX_IMAGE_PIXELS = 50_000_000


class PhotoRefused(ValueError):
    """The file cannot be used; the message says why."""


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    format: str
    data: bytes


def _portrait(image: Image.Image) -> Image.Image:
    width, height = image.size
    target = ASPECT[0] / ASPECT[1]
    if width / height > target:  # too wide: keep the middle
        new_width = round(height * target)
        left = (width - new_width) // 2
        return image.crop((left, 0, left + new_width, height))
    new_height = round(width / target)
    top = max(0, (height - new_height) // 4)  # faces sit in the upper part of a portrait
    return image.crop((0, top, width, top + new_height))


def photo_variants(data: bytes) -> list[Variant]:
    if len(data) > MAX_BYTES:
        raise PhotoRefused(f"The photo is over {MAX_BYTES // 1_000_000} MB: please choose a smaller file.")
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.load()
            image = _portrait(ImageOps.exif_transpose(opened).convert("RGB"))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError) as error:
        raise PhotoRefused("That file is not a photo this site can read: please upload a JPEG, PNG or WebP.") from error
    if image.width < WIDTHS[0]:
        raise PhotoRefused(f"The photo is too small: it needs to be at least {WIDTHS[0]} pixels wide.")
    variants = []
    for width in [w for w in WIDTHS if w <= image.width] or [image.width]:
        height = round(width * ASPECT[1] / ASPECT[0])
        resized = image.resize((width, height), Image.Resampling.LANCZOS)
        for file_format, options in (
            (PhotoFormat.WEBP, {"quality": 80}),
            (PhotoFormat.JPEG, {"quality": 82, "progressive": True}),
        ):
            out = io.BytesIO()
            resized.save(out, format=file_format.upper(), optimize=True, **options)
            variants.append(Variant(width, height, file_format, out.getvalue()))
    return variants


@transaction.atomic
def practitioner_photo_replace(*, practitioner: Practitioner, data: bytes) -> list[PractitionerPhoto]:
    """The practitioner's photo, replaced by this one in every size (PhotoRefused if it cannot be)."""
    variants = photo_variants(data)
    practitioner.photos.all().delete()
    return [
        PractitionerPhoto.objects.create(
            practitioner=practitioner,
            width=variant.width,
            height=variant.height,
            format=variant.format,
            digest=hashlib.sha256(f"{practitioner.pk}:".encode() + variant.data).hexdigest()[:40],
            data=variant.data,
        )
        for variant in variants
    ]
