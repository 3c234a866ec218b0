"""Absolute links for what leaves the site (mail, calendar files): SITE_URL + the path."""

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """`path` on the public address. SITE_URL is required in production (settings.py); in
    development without it the path stays relative."""
    return (settings.SITE_URL or "").rstrip("/") + path


def absolute_reverse(name: str, *args, **kwargs) -> str:
    return absolute_url(reverse(name, args=args or None, kwargs=kwargs or None))
