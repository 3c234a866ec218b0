"""Test photos of answer sheets, made with Pillow and numpy: no binary fixtures in the repo."""

import io
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter


def sharp_page(width: int = 1200, height: int = 1600, seed: int = 0) -> Image.Image:
    """A sheet of "handwriting": lines of dark strokes of random width on off-white paper."""
    rng = np.random.default_rng(seed)
    page = np.full((height, width), 235, dtype=np.uint8)
    line_height = max(height // 40, 6)
    for top in range(line_height * 2, height - line_height * 2, line_height * 2):
        left = width // 12
        while left < width - width // 12:
            word = int(rng.integers(width // 60 + 2, width // 12 + 3))
            stroke = np.asarray(rng.integers(10, 90, size=(line_height, word)), dtype=np.uint8) * (
                rng.random((line_height, word)) < 0.6
            )
            block = page[top : top + line_height, left : left + word]
            block[:] = np.where(stroke > 0, stroke, block)[:, : block.shape[1]]
            left += word + int(rng.integers(width // 80 + 2, width // 30 + 3))
    noise = rng.normal(0, 4, size=page.shape)
    page = np.clip(page.astype(np.float32) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(page).convert("RGB")


def blurred_page(width: int = 1200, height: int = 1600, seed: int = 0) -> Image.Image:
    return sharp_page(width, height, seed).filter(ImageFilter.GaussianBlur(radius=10))


def dark_page(width: int = 1200, height: int = 1600, seed: int = 0) -> Image.Image:
    pixels = np.asarray(sharp_page(width, height, seed), dtype=np.float32) * 0.18
    return Image.fromarray(pixels.astype(np.uint8))


def jpeg(image: Image.Image, orientation: int | None = None, quality: int = 90) -> bytes:
    buf = io.BytesIO()
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation  # Orientation
        image.save(buf, format="JPEG", quality=quality, exif=exif.tobytes())
    else:
        image.save(buf, format="JPEG", quality=quality)
    return buf.getvalue()


def sideways_jpeg(upright: Image.Image) -> bytes:
    """What a phone held sideways writes: the pixels turned a quarter left, and EXIF
    orientation 6 ("turn 90° clockwise to view")."""
    return jpeg(upright.transpose(Image.Transpose.ROTATE_90), orientation=6)


def png(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def webp(image: Image.Image) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="WEBP", quality=85)
    return buf.getvalue()


def heic(image: Image.Image) -> bytes:
    from pillow_heif import register_heif_opener

    register_heif_opener()
    buf = io.BytesIO()
    image.save(buf, format="HEIF", quality=85)
    return buf.getvalue()


def png_bomb(width: int = 10_000, height: int = 10_000) -> bytes:
    """A valid PNG of width × height black 1-bit pixels: a few kilobytes that would decode to
    hundreds of megabytes. Written by hand so the test never holds the pixels in memory."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    row = b"\x00" + b"\x00" * ((width + 7) // 8)  # filter byte + packed pixels
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


# --- The answer's precondition -------------------------------------------------------------


def give_draw(examinee, *, at=None):
    """The examinee has drawn a ticket (R-11.1): a Draw row and status `drawn`, made directly,
    as the draw service would. Each examinee gets a ticket of its own (ticket_once_per_round)."""
    from django.utils import timezone

    from attestation.tickets.models import Draw

    tickets = examinee.sitting.ticket_bank.tickets.order_by("number")
    draw = Draw.objects.create(
        examinee=examinee,
        sitting=examinee.sitting,
        ticket=tickets[(examinee.position - 1) % tickets.count()],
        round=0,
        card_position=examinee.position,
        drawn_at=at or timezone.now(),
    )
    examinee.status = "drawn"
    examinee.save(update_fields=["status"])
    return draw


# --- Uploads ---------------------------------------------------------------------------------


def files_in(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def multipart(files: dict, fields: dict | None = None) -> tuple[bytes, str]:
    """A multipart body written by hand, so that file names and content types can lie."""
    boundary = "answers-test-boundary-7MA4YWxkTrZu0gW"
    parts = []
    for name, value in (fields or {}).items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, (filename, content_type, data) in files.items():
        head = (
            f"--{boundary}\r\nContent-Disposition: form-data; "
            f'name="{name}"; filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"
