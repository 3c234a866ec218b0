"""`reverse()` remembered per view name, arguments, language, script prefix and URLconf.

A URL pattern's answer for the same inputs never changes while the process runs; it is the
URLconf (tests: `override_settings(ROOT_URLCONF=…)`) or a setting that changes it, and then
`setting_changed` empties the cache. Only plain arguments (text, numbers) are remembered;
anything else goes to `reverse()` each time. At most `LIMIT` answers (links carry primary keys:
thousands of examinees), emptied when full."""

from django.test.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

LIMIT = 20_000
_PLAIN = (str, int)
_cache: dict = {}


def cached_reverse(view_name, args=(), kwargs=None, current_app=None) -> str:
    kwargs = kwargs or {}
    if not isinstance(view_name, str) or not all(
        type(value) in _PLAIN for value in (*args, *kwargs.values())
    ):
        return reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
    key = (
        view_name,
        tuple(args),
        tuple(sorted(kwargs.items())),
        current_app,
        get_language(),
        get_script_prefix(),
        get_urlconf(),
    )
    found = _cache.get(key)
    if found is None:
        found = reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        if len(_cache) >= LIMIT:
            _cache.clear()
        _cache[key] = found
    return found


def _on_setting_changed(**kwargs):
    _cache.clear()


setting_changed.connect(_on_setting_changed)
