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
from PIL import ExifTags, Image, ImageFile
from pillow_heif import register_heif_opener

from attestation.core.errors import DomainError

register_heif_opener()

# "JPEG" also opens the multi-picture JPEGs (MPO) many phones write.
ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "HEIF")
# What we keep of a photo: its long side between 1,600 and 2,000 px, an A4 page at 140–170 dpi
# (handwriting reads well: fax is 200 dpi, document scanners default to 150). Within that
# range a large JPEG is decoded at a reduced scale straight from the file: a 12-megapixel
# photo (4000 × 3000) at half scale, 2000 × 1500, an 8-megapixel one at 1632 × 1224. Pixels
# in memory are what a photo costs (Pillow keeps 4 bytes each): 8-megapixel photos took
# 60 MB each at full scale, 8 MB at half (bench/uploads.py).
LONG_SIDE_MAX = 2000
LONG_SIDE_MIN = 1600
JPEG_QUALITY = 85

# The EXIF orientation tag → the turn that makes the page upright (as ImageOps.exif_transpose).
T = Image.Transpose
ORIENTATIONS = {2: T.FLIP_LEFT_RIGHT, 3: T.ROTATE_180, 4: T.FLIP_TOP_BOTTOM, 5: T.TRANSPOSE,
                6: T.ROTATE_270, 7: T.TRANSVERSE, 8: T.ROTATE_90}  # fmt: skip

# Quality warnings: prompts to retake, never refusals. Codes are stable (API, stored rows).
BLURRED, DARK, SMALL = "blurred", "dark", "small"
# Not from the photo itself but from the list: the same bytes (SHA-256) at two page numbers.
DUPLICATE = "duplicate"
WARNING_MESSAGES = {
    DUPLICATE: gettext_lazy(
        "The same photo as another page: photograph the sheet that belongs here and retake it."
    ),
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


# One photo (or answer PDF) at a time per process: a photo takes ~17 MB while it is decoded
# and resized, a PDF of ten pages ~12 MB, and every thread doing it at once would take a
# worker's memory past 300 MB at an upload rush. The CPU is the limit anyway (2 workers on
# 2 cores), so queueing costs nothing. Never wait for the database while holding it.
heavy_work = threading.BoundedSemaphore(1)


def process_photo(fileobj) -> Processed:
    """Validate and normalise one photo. Raises DomainError (4xx) for anything unusable."""
    with heavy_work:
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
            # Pixels in memory are the cost of a photo: decode a large JPEG at a reduced scale
            # (never below the long side we keep), shrink it, and only then turn it upright
            # and measure it, so at most the decoded and the shrunk copy live at once.
            image.draft("RGB", draft_box(image.size))
            with strict_decoding():
                image.load()
            rgb = image if image.mode == "RGB" else _to_rgb(image)
            if max(rgb.size) > LONG_SIDE_MAX:
                rgb.thumbnail((LONG_SIDE_MAX, LONG_SIDE_MAX), Image.Resampling.LANCZOS)
            turn = ORIENTATIONS.get(image.getexif().get(ExifTags.Base.Orientation, 1))
            if turn is not None:  # the tag itself is not saved: nothing of the original is
                rgb = rgb.transpose(turn)
        except Image.DecompressionBombError:
            raise _too_many_pixels() from None
        except Exception:  # truncated or corrupt data
            raise DomainError(
                _("The photo is damaged or was not uploaded completely. Try again."),
                "broken_image",
                400,
            ) from None
        warnings = quality_warnings(rgb, original_pixels=width * height)
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


def draft_box(size: tuple[int, int]) -> tuple[int, int]:
    """The smallest size a JPEG may be decoded at (Pillow halves it while it stays at least
    this box): the photo's own proportions, its long side LONG_SIDE_MIN."""
    width, height = size
    scale = min(1.0, LONG_SIDE_MIN / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def quality_warnings(rgb: Image.Image, original_pixels: int | None = None) -> list[str]:
    """Blurred, too dark, too small: stable codes, in that order. `original_pixels`: the
    photo's size as taken, when `rgb` has been shrunk."""
    warnings = []
    grey = rgb.convert("L")
    if max(grey.size) > BLUR_SIDE:
        grey.thumbnail((BLUR_SIDE, BLUR_SIDE), Image.Resampling.BILINEAR)
    pixels = np.asarray(grey, dtype=np.float32)
    if laplacian_variance(pixels) < BLUR_MIN_VARIANCE:
        warnings.append(BLURRED)
    if float(pixels.mean()) < DARK_MAX_MEAN:
        warnings.append(DARK)
    if (original_pixels or rgb.width * rgb.height) < SMALL_MIN_PIXELS:
        warnings.append(SMALL)
    return warnings


def laplacian_variance(pixels: np.ndarray) -> float:
    """Variance of the 4-neighbour Laplacian: low when edges are soft (out of focus, shaken)."""
    if pixels.shape[0] < 3 or pixels.shape[1] < 3:
        return 0.0
    # In place: one array of the page's size at a time, not five (memory at an upload rush).
    lap = pixels[:-2, 1:-1] + pixels[2:, 1:-1]
    lap += pixels[1:-1, :-2]
    lap += pixels[1:-1, 2:]
    lap -= 4 * pixels[1:-1, 1:-1]
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
