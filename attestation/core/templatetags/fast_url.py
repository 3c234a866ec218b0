"""`{% url %}` with the answers remembered: Django's `reverse()` walks the resolver's patterns
on every call (≈ 25 µs), and a student's page has ten to twenty links that are the same for
every request (bench/run.py). Loaded as a builtin (settings.TEMPLATES), it replaces the
default tag in every template; the answers are those `reverse()` gives (core/reverse.py)."""

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as default_url
from django.utils.html import conditional_escape

from attestation.core.reverse import cached_reverse

register = template.Library()


class CachedURLNode(URLNode):
    def render(self, context):
        from django.urls import NoReverseMatch

        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = cached_reverse(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        # A reversed URL is made of quoted path segments, but may hold `&` from a
        # view's arguments: escaped as the default tag does.
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    node = default_url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
