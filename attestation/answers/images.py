"""One answer-sheet photo in, one clean JPEG out (R-14.1).

The uploaded bytes are never trusted: the file name and content type are ignored, the format
is sniffed from the content against an allow-list, the pixel count is checked from the header
before anything is decoded (decompression bombs), and what is stored is a JPEG we encoded
ourselves (orientation applied, metadata such as GPS dropped, long side capped).
"""

import hashlib
import io
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageFile, ImageOps
from pillow_heif import register_heif_opener

from attestation.core.errors import DomainError

register_heif_opener()

# "JPEG" also opens the multi-picture JPEGs (MPO) many phones write.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
LONG_SIDE_MAX = 3000
JPEG_QUALITY = 85

# Quality warnings: prompts to retake, never refusals. Codes are stable (API, stored rows).
BLURRED, DARK, SMALL = "blurred", "dark", "small"
WARNING_MESSAGES = {
    BLURRED: gettext_lazy("The photo looks blurred: hold the phone still and retake it."),
    DARK: gettext_lazy("The photo is too dark: turn on a light and retake it."),
    SMALL: gettext_lazy("The photo is too small to read: take it closer, at full resolution."),
}
# Variance of the Laplacian on a greyscale copy whose long side is BLUR_SIDE: a sharp page of
# handwriting scores in the hundreds, an out-of-focus one in single figures.
BLUR_SIDE = 1000
BLUR_MIN_VARIANCE = 40.0
DARK_MAX_MEAN = 70.0  # mean luminance, 0–255
SMALL_MIN_PIXELS = 1_000_000  # about 850 × 1200: below it handwriting is hard to read


@dataclass
class Processed:
    data: bytes  # the JPEG we store
    sha256: str
    width: int
    height: int
    warnings: list[str] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.data)


def check_size(size: int) -> None:
    """Refuse empty and oversized files before reading them."""
    if size <= 0:
        raise DomainError(_("The file is empty. Choose the photo again."), "empty_file", 400)
    if size > settings.ANSWER_MAX_BYTES:
        raise DomainError(
            _("The file is too large: at most %(mb)s MB per photo.")
            % {"mb": settings.ANSWER_MAX_BYTES // (1024 * 1024)},
            "file_too_large",
            413,
        )


def not_an_image() -> DomainError:
    return DomainError(
        _("This file is not a photo. Upload a JPEG, PNG, WEBP or HEIC image."),
        "not_an_image",
        415,
    )


# One photo at a time per process: a 12-megapixel photo takes ~35 MB while it is decoded and
# resized, and eight threads doing it at once would take a worker's memory past 300 MB at an
# upload rush. The CPU is the limit anyway (2 workers on 2 cores), so queueing costs nothing.
_processing = threading.BoundedSemaphore(1)


def process_photo(fileobj) -> Processed:
    """Validate and normalise one photo. Raises DomainError (4xx) for anything unusable."""
    with _processing:
        return _process(fileobj)


def _process(fileobj) -> Processed:
    max_pixels = settings.IMAGE_MAX_PIXELS
    # Pillow refuses outright above twice this and warns above it; we refuse above it too.
    Image.MAX_IMAGE_PIXELS = max_pixels
    fileobj.seek(0)
    try:
        image = Image.open(fileobj, formats=ALLOWED_FORMATS)
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except Exception:  # any decoder failure means "not an image we accept"
        raise not_an_image() from None
    with image:
        width, height = image.size
        if width < 1 or height < 1:
            raise not_an_image()
        if width * height > max_pixels:
            raise _too_many_pixels()
        try:
            image.seek(0)  # the first frame of an animated or multi-image file
            with strict_decoding():
                image.load()
            # In place: no copy of a 12-megapixel image when there is nothing to turn.
            ImageOps.exif_transpose(image, in_place=True)
            rgb = image if image.mode == "RGB" else _to_rgb(image)
        except Image.DecompressionBombError:
            raise _too_many_pixels() from None
        except Exception:  # truncated or corrupt data
            raise DomainError(
                _("The photo is damaged or was not uploaded completely. Try again."),
                "broken_image",
                400,
            ) from None
        warnings = quality_warnings(rgb)
        if max(rgb.size) > LONG_SIDE_MAX:
            rgb.thumbnail((LONG_SIDE_MAX, LONG_SIDE_MAX), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        rgb.save(out, format="JPEG", quality=JPEG_QUALITY)
        data = out.getvalue()
    return Processed(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        width=rgb.width,
        height=rgb.height,
        warnings=warnings,
    )


def quality_warnings(rgb: Image.Image) -> list[str]:
    """Blurred, too dark, too small: stable codes, in that order."""
    warnings = []
    grey = rgb.convert("L")
    if max(grey.size) > BLUR_SIDE:
        grey.thumbnail((BLUR_SIDE, BLUR_SIDE), Image.Resampling.BILINEAR)
    pixels = np.asarray(grey, dtype=np.float32)
    if laplacian_variance(pixels) < BLUR_MIN_VARIANCE:
        warnings.append(BLURRED)
    if float(pixels.mean()) < DARK_MAX_MEAN:
        warnings.append(DARK)
    if rgb.width * rgb.height < SMALL_MIN_PIXELS:
        warnings.append(SMALL)
    return warnings


def laplacian_variance(pixels: np.ndarray) -> float:
    """Variance of the 4-neighbour Laplacian: low when edges are soft (out of focus, shaken)."""
    if pixels.shape[0] < 3 or pixels.shape[1] < 3:
        return 0.0
    lap = (
        pixels[:-2, 1:-1]
        + pixels[2:, 1:-1]
        + pixels[1:-1, :-2]
        + pixels[1:-1, 2:]
        - 4 * pixels[1:-1, 1:-1]
    )
    return float(lap.var())


def thumbnail(fileobj, side: int = 480) -> bytes:
    """A small JPEG of a stored page (ours, so trusted), for lists on phones."""
    with Image.open(fileobj, formats=("JPEG",)) as image:
        image.draft("RGB", (side, side))  # JPEG decodes at a reduced scale: fast
        image = image.convert("RGB")
        image.thumbnail((side, side), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, format="JPEG", quality=80)
        return out.getvalue()


_strict_lock = threading.Lock()


@contextmanager
def strict_decoding():
    """Decode with Pillow's LOAD_TRUNCATED_IMAGES off. WeasyPrint (our protocols) turns it on
    for the whole process when imported, and then a truncated upload would be padded with grey
    and accepted. The flag is global, so decoding under it is serialised by a lock."""
    with _strict_lock:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _to_rgb(image: Image.Image) -> Image.Image:
    """Flatten transparency onto white paper; everything ends as 8-bit RGB."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        paper = Image.new("RGB", rgba.size, "white")
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    if image.mode in ("I;16", "I;16B", "I;16L", "I"):
        # 16-bit greyscale PNGs: scale to 8 bits before converting.
        return image.point(lambda value: value / 256).convert("L").convert("RGB")
    return image.convert("RGB")


def _too_many_pixels() -> DomainError:
    return DomainError(
        _("The image has too many pixels (at most %(mp)s megapixels).")
        % {"mp": settings.IMAGE_MAX_PIXELS // 1_000_000},
        "too_many_pixels",
        413,
    )
