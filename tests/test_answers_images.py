"""One photo in, one clean JPEG out (R-14.1): formats, orientation, limits, quality warnings."""

import hashlib
import io

import pytest
from PIL import Image

from attestation.answers import images
from attestation.core.errors import DomainError
from tests import images as make


def process(data: bytes) -> images.Processed:
    return images.process_photo(io.BytesIO(data))


def refused(data: bytes) -> DomainError:
    with pytest.raises(DomainError) as caught:
        process(data)
    return caught.value


def test_sharp_jpeg_is_stored_as_jpeg_with_its_sha256_and_no_warning():
    result = process(make.jpeg(make.sharp_page(1200, 1600)))
    stored = Image.open(io.BytesIO(result.data))
    assert stored.format == "JPEG"
    assert (result.width, result.height) == stored.size == (1200, 1600)
    assert result.sha256 == hashlib.sha256(result.data).hexdigest()
    assert result.warnings == []


def test_exif_orientation_is_applied_and_the_tag_dropped():
    import numpy as np

    upright = make.sharp_page(1200, 1600)
    data = make.sideways_jpeg(upright)  # pixels 1600 × 1200, orientation 6
    assert Image.open(io.BytesIO(data)).size == (1600, 1200)
    result = process(data)
    assert (result.width, result.height) == (1200, 1600)
    stored = Image.open(io.BytesIO(result.data))
    assert stored.getexif().get(0x0112) in (None, 1)
    # Turned the right way: close to the upright page, far from it upside down.
    grey = np.asarray(stored.convert("L"), dtype=np.float32)
    expected = np.asarray(upright.convert("L"), dtype=np.float32)
    upside_down = expected[::-1, ::-1]
    assert np.abs(grey - expected).mean() < np.abs(grey - upside_down).mean() / 3


def test_heic_from_an_iphone_is_accepted_and_stored_as_jpeg():
    result = process(make.heic(make.sharp_page(1200, 1600)))
    assert Image.open(io.BytesIO(result.data)).format == "JPEG"
    assert (result.width, result.height) == (1200, 1600)


@pytest.mark.parametrize("encode", [make.png, make.webp], ids=["png", "webp"])
def test_png_and_webp_are_accepted(encode):
    result = process(encode(make.sharp_page(900, 1200)))
    assert Image.open(io.BytesIO(result.data)).format == "JPEG"


def test_transparent_png_is_flattened_on_white_paper():
    transparent = Image.new("RGBA", (1000, 1200), (0, 0, 0, 0))
    result = process(make.png(transparent))
    stored = Image.open(io.BytesIO(result.data)).convert("L")
    assert stored.getextrema()[0] > 240  # white, not black


def test_long_side_is_capped():
    result = process(make.jpeg(make.sharp_page(3200, 4400)))
    assert max(result.width, result.height) == images.LONG_SIDE_MAX
    assert result.height == images.LONG_SIDE_MAX


@pytest.mark.parametrize(
    ("taken", "decoded"),
    [((4000, 3000), (2000, 1500)), ((3264, 2448), (1632, 1224)), ((1200, 1600), (1200, 1600))],
    ids=["12-megapixel", "8-megapixel", "small"],
)
def test_a_large_phone_photo_is_decoded_at_a_reduced_scale(taken, decoded):
    photo = Image.open(io.BytesIO(make.jpeg(Image.new("RGB", taken, "white"))))
    photo.draft("RGB", images.draft_box(photo.size))  # as process_photo does
    assert photo.size == decoded  # a quarter of the pixels in memory; the small one untouched
    assert images.LONG_SIDE_MIN <= max(decoded) or decoded == taken


def test_a_large_sideways_photo_is_shrunk_and_turned_upright():
    import numpy as np

    upright = make.sharp_page(3000, 4000)
    result = process(make.sideways_jpeg(upright))  # pixels 4000 × 3000, orientation 6
    assert (result.width, result.height) == (1500, 2000)
    assert result.warnings == []  # sharp, bright, large
    stored = Image.open(io.BytesIO(result.data)).convert("L")
    expected = upright.convert("L").resize(stored.size)
    grey, expected = (np.asarray(i, dtype=np.float32) for i in (stored, expected))
    assert np.abs(grey - expected).mean() < np.abs(grey - expected[::-1, ::-1]).mean() / 2


def test_blurred_photo_is_flagged():
    assert images.BLURRED in process(make.jpeg(make.blurred_page())).warnings


def test_dark_photo_is_flagged():
    warnings = process(make.jpeg(make.dark_page())).warnings
    assert images.DARK in warnings
    assert images.BLURRED not in warnings


def test_small_photo_is_flagged():
    assert process(make.jpeg(make.sharp_page(480, 640))).warnings == [images.SMALL]


def test_warning_codes_have_translated_messages():
    assert set(images.WARNING_MESSAGES) == {
        images.BLURRED,
        images.DARK,
        images.SMALL,
        images.DUPLICATE,
    }


def test_same_photo_gives_the_same_sha256():
    data = make.jpeg(make.sharp_page())
    assert process(data).sha256 == process(data).sha256


@pytest.mark.parametrize(
    "data",
    [
        b"just some text, not a photo",
        b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>",
        b"<!doctype html><html><body><script>alert(1)</script></body></html>",
        b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n",
        b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    ],
    ids=["text", "svg", "html", "pdf", "gif"],
)
def test_anything_but_an_allowed_image_is_refused(data):
    error = refused(data)
    assert (error.status, error.code) == (415, "not_an_image")


def test_bmp_is_not_on_the_allow_list():
    buf = io.BytesIO()
    make.sharp_page(300, 400).save(buf, format="BMP")
    assert refused(buf.getvalue()).code == "not_an_image"


def test_decompression_bomb_is_refused_before_decoding():
    bomb = make.png_bomb(10_000, 10_000)  # 100 megapixels in about 12 KB
    assert len(bomb) < 50_000
    error = refused(bomb)
    assert (error.status, error.code) == (413, "too_many_pixels")


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_pixel_limit_follows_the_setting(settings):
    settings.IMAGE_MAX_PIXELS = 1_000_000
    error = refused(make.png_bomb(1200, 1000))  # 1.2 MP: over the limit, under twice it
    assert (error.status, error.code) == (413, "too_many_pixels")
    assert error.message


@pytest.mark.parametrize("encode", [make.jpeg, make.png], ids=["jpeg", "png"])
def test_truncated_file_is_refused(encode):
    data = encode(make.sharp_page())
    error = refused(data[: len(data) // 2])
    assert (error.status, error.code) == (400, "broken_image")


def test_truncated_file_is_refused_even_after_weasyprint_relaxed_pillow():
    import weasyprint  # noqa: F401 — sets ImageFile.LOAD_TRUNCATED_IMAGES = True on import
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    data = make.jpeg(make.sharp_page())
    assert refused(data[: len(data) // 2]).code == "broken_image"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # WeasyPrint's setting is left as it was


def test_empty_and_oversized_files_are_refused_by_size(settings):
    settings.ANSWER_MAX_BYTES = 1024 * 1024
    with pytest.raises(DomainError) as empty:
        images.check_size(0)
    assert (empty.value.status, empty.value.code) == (400, "empty_file")
    with pytest.raises(DomainError) as large:
        images.check_size(1024 * 1024 + 1)
    assert (large.value.status, large.value.code) == (413, "file_too_large")
    images.check_size(1024 * 1024)


def test_laplacian_variance_separates_sharp_from_blurred():
    import numpy as np

    sharp = np.asarray(make.sharp_page().convert("L"), dtype=np.float32)
    blurred = np.asarray(make.blurred_page().convert("L"), dtype=np.float32)
    assert images.laplacian_variance(sharp) > 10 * images.BLUR_MIN_VARIANCE
    assert images.laplacian_variance(blurred) < images.BLUR_MIN_VARIANCE
