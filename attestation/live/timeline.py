"""The defence timeline picture (R-24.1): one bar per slot, drawn on the server as SVG."""

from django.utils import timezone

WIDTH, ROW, LABEL = 720, 22, 170


def timeline(sitting, items) -> dict | None:
    """Coordinates for `live/_timeline.svg`: bars in minutes from the first start."""
    dated = [i for i in items if i.starts_at]
    if not dated:
        return None
    first = min(i.starts_at for i in dated)
    slot = sitting.slot_minutes
    last = max(i.starts_at for i in dated)
    span = max((last - first).total_seconds() / 60 + slot, slot)
    scale = (WIDTH - LABEL - 10) / span
    bars = []
    for row, item in enumerate(dated):
        offset = (item.starts_at - first).total_seconds() / 60
        bars.append(
            {
                "y": row * ROW + 4,
                "x": round(LABEL + offset * scale, 1),
                "width": round(max(slot * scale - 2, 2), 1),
                "state": item.state,
                "label": f"{item.examinee.position}. {item.examinee.student.full_name}",
                "time": timezone.localtime(item.starts_at).strftime("%H:%M"),
            }
        )
    return {"width": WIDTH, "height": len(bars) * ROW + 8, "label_x": 4, "bars": bars}
