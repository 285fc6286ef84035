"""Photos attached to reports and to records (outreach work): size-capped, decoded with a pixel
limit, re-encoded without metadata.

A phone photo carries the place it was taken (GPS), the camera and often the owner's name. None of
it may survive: the image is decoded, turned upright by its EXIF orientation, copied pixel by pixel
into a fresh image (so no EXIF, XMP, ICC or comment travels with it) and saved as a JPEG under a
random name. JPEG, PNG and HEIC/HEIF (iPhones, through pillow-heif) are accepted.
"""

import secrets
import warnings
from io import BytesIO

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

# What a photo input offers to choose (the server decides by decoding, not by this).
ACCEPT_PHOTOS = "image/jpeg,image/png,image/heic,image/heif,.jpg,.jpeg,.png,.heic,.heif"

# Pillow's format names (the JPEG opener also reads MPO, the multi-picture JPEG some phones write).
ACCEPTED_FORMATS = ("JPEG", "PNG", "HEIF")
MAX_SIDE = 2560
JPEG_QUALITY = 85


def clean_photo(uploaded_file) -> ContentFile:
    """The photo re-encoded as a metadata-free JPEG, or a ValidationError saying what is wrong."""
    size = getattr(uploaded_file, "size", None)
    if size is None or size > settings.REPORT_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The photo is too large (at most %(limit)s)."),
            code="too_large",
            params={"limit": filesizeformat(settings.REPORT_PHOTO_MAX_BYTES)},
        )
    if size == 0:
        raise ValidationError(_("The photo is empty."), code="empty")
    uploaded_file.seek(0)
    try:
        with warnings.catch_warnings():
            # A decompression bomb is refused, never decoded (Pillow warns before it errors).
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded_file, formats=ACCEPTED_FORMATS) as image:
                _check_pixels(image)
                image.load()
                pixels = _upright_rgb(image)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        raise ValidationError(
            _("This file is not a photo we can read. Please attach a JPEG, PNG or HEIC image."), code="not_an_image"
        ) from error
    pixels.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    output = BytesIO()
    pixels.save(output, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return ContentFile(output.getvalue(), name=f"{secrets.token_hex(16)}.jpg")


def _check_pixels(image: Image.Image) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise ValidationError(_("The photo has no pixels."), code="empty")
    if width * height > settings.REPORT_PHOTO_MAX_PIXELS:
        raise _too_many_pixels()


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The photo has too many pixels (at most %(limit)s million)."),
        code="too_many_pixels",
        params={"limit": settings.REPORT_PHOTO_MAX_PIXELS // 1_000_000},
    )


def _upright_rgb(image: Image.Image) -> Image.Image:
    """A new RGB image with the pixels only: turned by the EXIF orientation, transparency on white."""
    upright = ImageOps.exif_transpose(image)
    if upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info):
        rgba = upright.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.getchannel("A"))
        source = flat
    else:
        source = upright.convert("RGB")
    # frombytes gives an image with an empty `info`: no EXIF, XMP, ICC profile or comment to carry over.
    return Image.frombytes("RGB", source.size, source.tobytes())


class PhotoInput(forms.ClearableFileInput):
    """A photo input carrying the server's size cap, so the browser refuses a photo over it before
    anything is uploaded, with the limit said beside the input (tartip/static/js/upload-cap.js). Set
    when rendering: the text is in the page's language."""

    def get_context(self, name, value, attrs):
        caps = {
            "accept": ACCEPT_PHOTOS,
            "data-max-bytes": settings.REPORT_PHOTO_MAX_BYTES,
            "data-too-large-text": _("The photo is too large (at most %(limit)s).")
            % {"limit": filesizeformat(settings.REPORT_PHOTO_MAX_BYTES)},
        }
        return super().get_context(name, value, {**caps, **(attrs or {})})
