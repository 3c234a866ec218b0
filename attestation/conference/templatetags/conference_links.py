"""`{% conference_link sitting as link %}`: what a student's button may show now."""

from dataclasses import dataclass
from datetime import datetime

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from attestation.conference.providers import PROVIDERS

register = template.Library()


@dataclass(frozen=True)
class StudentLink:
    open: bool  # from join_opens_at on
    opens_at: datetime
    href: str


@register.simple_tag
def conference_link(sitting) -> StudentLink:
    href = sitting.conference_url
    provider = PROVIDERS.get(sitting.conference_provider)
    if href and provider is not None and provider.per_user:
        try:  # each person's own link, built by the join page
            href = reverse("conference:join", args=[sitting.pk])
        except NoReverseMatch:
            pass
    return StudentLink(
        open=timezone.now() >= sitting.join_opens_at, opens_at=sitting.join_opens_at, href=href
    )
