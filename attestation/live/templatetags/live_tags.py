from django import template

register = template.Library()


@register.simple_tag
def timer_class(elapsed_ms: int, amber_s: int, red_s: int, running: bool) -> str:
    """The same classes timers.js sets: amber from `amber_s`, red from `red_s` (R-23.1)."""
    seconds = elapsed_ms // 1000
    classes = []
    if red_s and seconds >= red_s:
        classes.append("timer--red")
    elif amber_s and seconds >= amber_s:
        classes.append("timer--amber")
    if not running:
        classes.append("timer--paused")
    return " ".join(classes)


@register.filter
def mmss(elapsed_ms: int) -> str:
    seconds = max(int(elapsed_ms or 0) // 1000, 0)
    return f"{seconds // 60}:{seconds % 60:02d}"
