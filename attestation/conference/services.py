"""Setting a sitting's conference link: pasted by hand, or created at a provider."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from attestation.audit.services import log_action
from attestation.commissions.models import Sitting
from attestation.conference.providers import get_provider
from attestation.core.errors import DomainError

URL_MAX_LENGTH = Sitting._meta.get_field("conference_url").max_length
_validate_url = URLValidator(schemes=["http", "https"])


def _clean_manual_url(url: str) -> str:
    url = (url or "").strip()
    try:
        if not url or len(url) > URL_MAX_LENGTH:
            raise ValidationError("length")
        _validate_url(url)
    except ValidationError:
        raise DomainError(
            _("Paste the full conference link, starting with https:// (at most %(max)s signs).")
            % {"max": URL_MAX_LENGTH},
            "invalid",
            422,
        ) from None
    return url


def join_page_url(sitting: Sitting, fallback: str) -> str:
    """For per-person links (Jitsi, BigBlueButton) mail and pages carry our own join page,
    which builds each person's link; without SITE_URL the provider's room address."""
    site = str(getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if not site:
        return fallback
    try:
        with translation.override(settings.LANGUAGE_CODE):
            return site + reverse("conference:join", args=[sitting.pk])
    except NoReverseMatch:
        return fallback


def conference_link_set(*, sitting: Sitting, provider: str, actor, url: str = "") -> Sitting:
    """Store the sitting's conference provider and link, and audit the change.

    `manual` stores the pasted http(s) link; any other provider is asked for a room first,
    outside the transaction (a slow provider must not hold the database), and nothing is
    stored when it fails (ConferenceError, a DomainError with a translated message).
    """
    chosen = get_provider(provider)
    if chosen.key == "manual":
        new_url = _clean_manual_url(url)
    else:
        room = chosen.create_room(sitting)
        new_url = join_page_url(sitting, room.url) if chosen.per_user else room.url
        if len(new_url) > URL_MAX_LENGTH:
            raise DomainError(_("The provider's link is too long to store."), "invalid", 422)
    with transaction.atomic():
        current = Sitting.objects.select_for_update(no_key=True).get(pk=sitting.pk)
        old_provider, old_url = current.conference_provider, current.conference_url
        current.conference_provider = chosen.key
        current.conference_url = new_url
        current.save(update_fields=["conference_provider", "conference_url"])
        log_action(
            actor=actor,
            action="conference.link_set",
            target=current,
            from_state=old_provider,
            to_state=chosen.key,
            data={"from_url": old_url, "to_url": new_url},
        )
    sitting.conference_provider = chosen.key
    sitting.conference_url = new_url
    return sitting
