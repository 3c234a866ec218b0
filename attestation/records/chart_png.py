"""The grade chart of grading/_chart.html drawn to PNG with Pillow, from the same geometry
(grading.results.distribution), for the DOCX: the bars, their counts and the letters."""

from io import BytesIO
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SCALE = 2  # pixels per SVG unit: sharp when printed at 150 mm
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
BLUE, RED, INK, LINE = (47, 95, 152), (179, 38, 30), (0, 0, 0), (120, 120, 120)


def _font(size: int):
    try:
        return ImageFont.truetype(str(FONT), size * SCALE)
    except OSError:  # no DejaVu on this machine: Pillow's own font still shows the figures
        return ImageFont.load_default()


def chart_png(chart: dict) -> bytes:
    image = Image.new("RGB", (chart["width"] * SCALE, chart["height"] * SCALE), "white")
    draw = ImageDraw.Draw(image)
    font = _font(12)
    baseline = chart["baseline"] * SCALE
    draw.line([(0, baseline), (image.width, baseline)], fill=LINE, width=SCALE)
    for bar in chart["bars"]:
        x, width = bar["x"] * SCALE, bar["width"] * SCALE
        if bar["height"]:
            draw.rectangle(
                [x, bar["y"] * SCALE, x + width, baseline],
                fill=RED if bar["failed"] else BLUE,
            )
            draw.text(
                (bar["label_x"] * SCALE, (bar["y"] - 6) * SCALE),
                str(bar["count"]),
                fill=INK,
                font=font,
                anchor="ms",
            )
        draw.text(
            (bar["label_x"] * SCALE, chart["letter_y"] * SCALE),
            bar["letter"],
            fill=INK,
            font=font,
            anchor="ms",
        )
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
