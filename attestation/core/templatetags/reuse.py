"""`{% reuse k1 k2 … %}…{% endreuse %}`: a part of a page that is the same for every request
with the same keys (and the same language), rendered once and then reused, with holes
`{% fresh %}…{% endfresh %}` rendered on every request (a CSRF token, the signed-in person's
name, the server time).

Why: on exam day every student opens the same few pages, and Django's template engine spent
most of their time re-rendering what does not change: base.html's navigation, language switcher
and footer (≈ 1.7 ms of a 5–9 ms page), the upload panel's translated strings. The
bench (bench/run.py) measures the pages against the static file.

The rules that keep a reused part right (tests/test_reuse.py renders every student page with
reuse on and off and compares):
- everything the part shows outside its holes depends only on the keys, the language and the
  time zone (both always part of the key) and settings (a changed setting, as in tests,
  empties every cache);
- a hole depends only on the context at the `reuse` tag: not on a `{% for %}` or `{% with %}`
  inside the part, and it is not inside a loop (that would raise);
- a hole inside an `{% include %}` works (the include sees the context the part pushed).

The cache lives on the parsed node: a template parsed again (a changed template in
development) starts with an empty one; it holds at most `LIMIT` keys."""

import re
import weakref

from django import template
from django.test.signals import setting_changed
from django.utils.safestring import SafeString
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

register = template.Library()

# Off in the tests that compare a reused page with one rendered in full.
ENABLED = True
LIMIT = 512
_RECORDING = "\x00reuse-holes"  # a context name no template can spell
_NODES: "weakref.WeakSet[ReuseNode]" = weakref.WeakSet()


def _hashable(value):
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(value))
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


class FreshNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        holes = context.get(_RECORDING)
        if holes is None:  # outside a reuse part, or reuse switched off: as if not there
            return self.nodelist.render(context)
        if self in holes:
            raise template.TemplateSyntaxError("a {% fresh %} hole cannot be inside a loop")
        holes.append(self)
        return f"\x00{len(holes) - 1}\x00"


class ReuseNode(template.Node):
    def __init__(self, keys, nodelist):
        self.keys, self.nodelist = keys, nodelist
        self.cache: dict = {}
        _NODES.add(self)

    def _record(self, context):
        """Renders the part with each hole as a marker: (static texts, holes) in order."""
        holes: list[FreshNode] = []
        with context.push({_RECORDING: holes}):
            text = self.nodelist.render(context)
        parts = re.split("\x00(\\d+)\x00", text)
        statics = parts[0::2]
        order = [holes[int(index)] for index in parts[1::2]]
        return statics, order

    def render(self, context):
        if not ENABLED:
            return self.nodelist.render(context)
        key = (
            get_language(),
            get_current_timezone_name(),
            *(_hashable(k.resolve(context)) for k in self.keys),
        )
        found = self.cache.get(key)
        if found is None:
            found = self._record(context)
            if len(self.cache) >= LIMIT:
                self.cache.clear()
            self.cache[key] = found
        statics, holes = found
        out = [statics[0]]
        for hole, static in zip(holes, statics[1:], strict=True):
            out.append(hole.nodelist.render(context))
            out.append(static)
        return SafeString("".join(out))


@register.tag
def reuse(parser, token):
    bits = token.split_contents()[1:]
    keys = [parser.compile_filter(bit) for bit in bits]
    nodelist = parser.parse(("endreuse",))
    parser.delete_first_token()
    return ReuseNode(keys, nodelist)


@register.tag
def fresh(parser, token):
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% fresh %} takes no arguments")
    nodelist = parser.parse(("endfresh",))
    parser.delete_first_token()
    return FreshNode(nodelist)


def clear() -> None:
    for node in list(_NODES):
        node.cache.clear()


def _on_setting_changed(**kwargs):
    clear()


setting_changed.connect(_on_setting_changed)
