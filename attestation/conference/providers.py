"""Video-conference providers: where a sitting's conference room comes from.

Every provider answers `create_room(sitting) -> Room` and `join_url(sitting, user, moderator=)`.
`manual` keeps a pasted link. Jitsi and BigBlueButton give each person their own link (a signed
JWT; a checksummed join call), so the student's button goes through our join view. Webex
creates a meeting over its REST API and everyone uses the meeting's `webLink`.

A provider that fails (no configuration, HTTP error, timeout, an answer we cannot read) raises
`ConferenceError`: a translated message for the person, a log line for the administrator,
never a traceback.
"""

import hashlib
import hmac
import logging
import xml.etree.ElementTree as ET  # noqa: S405 -- see _bbb_parse: no DTDs accepted
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol
from urllib.parse import quote, urlencode

import httpx
import jwt
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from attestation.core.errors import DomainError

logger = logging.getLogger(__name__)

WEBEX_MEETINGS_URL = "https://webexapis.com/v1/meetings"


class ConferenceError(DomainError):
    """The provider could not give a room; the message says why, in the person's language."""

    status = 502

    def __init__(self, message: str, code: str = "conference_failed"):
        super().__init__(message, code)


@dataclass(frozen=True)
class Room:
    url: str  # the link stored on the sitting (what students and mail see)
    moderator_url: str | None = None  # a separate host link, when the provider has one


class Provider(Protocol):
    key: str
    label: Any
    per_user: bool  # True: each person needs their own link (join_url)

    def create_room(self, sitting) -> Room: ...

    def join_url(self, sitting, user, *, moderator: bool) -> str: ...


def _setting(name: str) -> str:
    return str(getattr(settings, name, "") or "")


def _timeout() -> float:
    return float(getattr(settings, "CONFERENCE_TIMEOUT_SECONDS", 10) or 10)


def _person_name(user) -> str:
    return getattr(user, "full_name", "") or user.get_username()


def _fail(provider: "Provider", sitting, reason: str, message: str, **extra) -> ConferenceError:
    """Log for the administrator (never a secret), return the error for the person."""
    logger.warning(
        "conference %s failed for sitting %s: %s %s", provider.key, sitting.code, reason, extra
    )
    return ConferenceError(
        _("%(provider)s: %(problem)s") % {"provider": provider.label, "problem": message}
    )


def _missing_config(provider: "Provider", sitting, names: list[str]) -> ConferenceError:
    return _fail(
        provider,
        sitting,
        "missing settings " + ", ".join(names),
        _("the provider is not configured on this server. Ask the administrator, or paste a link."),
    )


def _request(provider: "Provider", sitting, method: str, url: str, **kwargs) -> httpx.Response:
    """One HTTP call; transport failures and error statuses become ConferenceError."""
    try:
        response = httpx.request(method, url, timeout=_timeout(), **kwargs)
    except httpx.TimeoutException:
        raise _fail(
            provider, sitting, "timeout", _("the provider did not answer in time. Try again.")
        ) from None
    except httpx.HTTPError as error:
        raise _fail(
            provider,
            sitting,
            f"transport {type(error).__name__}",
            _("the provider could not be reached. Try again later."),
        ) from None
    if response.status_code in (401, 403):
        raise _fail(
            provider,
            sitting,
            f"HTTP {response.status_code}",
            _("the provider refused the university's credentials. Ask the administrator."),
            tracking=response.headers.get("trackingid", ""),
        )
    if response.status_code >= 400:
        raise _fail(
            provider,
            sitting,
            f"HTTP {response.status_code}",
            _("the provider answered with an error (HTTP %(status)s). Try again later.")
            % {"status": response.status_code},
            tracking=response.headers.get("trackingid", ""),
        )
    return response


def _unreadable(provider: "Provider", sitting, reason: str) -> ConferenceError:
    return _fail(
        provider, sitting, reason, _("the provider gave an answer we could not read. Try again.")
    )


# --- manual ------------------------------------------------------------------------------------
class ManualProvider:
    """A link pasted by the secretary; `conference_link_set` validates and stores it."""

    key = "manual"
    label = gettext_lazy("Link pasted by hand")
    per_user = False

    def create_room(self, sitting) -> Room:
        return Room(url=sitting.conference_url)

    def join_url(self, sitting, user, *, moderator: bool) -> str:
        return sitting.conference_url


# --- Jitsi -------------------------------------------------------------------------------------
class JitsiProvider:
    """Self-hosted Jitsi Meet with token authentication: one room per sitting, a JWT per person
    (`context.user.moderator` for the commission)."""

    key = "jitsi"
    label = gettext_lazy("Jitsi Meet")
    per_user = True

    def _config(self, sitting) -> tuple[str, str, str]:
        names = ("JITSI_DOMAIN", "JITSI_APP_ID", "JITSI_APP_SECRET")
        values = [_setting(name) for name in names]
        missing = [name for name, value in zip(names, values, strict=True) if not value]
        if missing:
            raise _missing_config(self, sitting, missing)
        domain = values[0].removeprefix("https://").removeprefix("http://").strip("/")
        return domain, values[1], values[2]

    @staticmethod
    def room_name(sitting) -> str:
        return sitting.code.lower()

    def create_room(self, sitting) -> Room:
        domain, _app_id, _secret = self._config(sitting)
        return Room(url=f"https://{domain}/{quote(self.room_name(sitting))}")

    def token(self, sitting, user, *, moderator: bool) -> str:
        domain, app_id, secret = self._config(sitting)
        now = timezone.now()
        minutes = int(getattr(settings, "JITSI_TOKEN_MINUTES", 360) or 360)
        claims = {
            "aud": "jitsi",
            "iss": app_id,
            "sub": domain,
            "room": self.room_name(sitting),
            "iat": now,
            "nbf": now - timedelta(minutes=1),  # a little clock skew between servers
            "exp": now + timedelta(minutes=minutes),
            "moderator": moderator,
            "context": {
                "user": {
                    "id": str(user.pk),
                    "name": _person_name(user),
                    "email": getattr(user, "email", "") or "",
                    "moderator": moderator,
                    "affiliation": "owner" if moderator else "member",
                }
            },
        }
        return jwt.encode(claims, secret, algorithm="HS256")

    def join_url(self, sitting, user, *, moderator: bool) -> str:
        room = self.create_room(sitting)
        return f"{room.url}?jwt={self.token(sitting, user, moderator=moderator)}"


# --- BigBlueButton -----------------------------------------------------------------------------
BBB_ALGORITHMS = {"sha1", "sha256", "sha384", "sha512"}


def bbb_checksum(call: str, query: str, secret: str, algorithm: str = "sha1") -> str:
    """BigBlueButton's API checksum: hash(callName + queryString + sharedSecret)."""
    return hashlib.new(algorithm, (call + query + secret).encode()).hexdigest()


def _bbb_parse(body: bytes) -> ET.Element:
    # No defusedxml here: refuse any DTD (entity tricks need one); expat resolves no external
    # entities. BBB's answers never carry a DOCTYPE.
    if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
        raise ET.ParseError("DTD refused")
    return ET.fromstring(body)  # noqa: S314


class BigBlueButtonProvider:
    """BigBlueButton: `create` with meetingID = sitting code; `join` links per person,
    moderators for the commission, viewers as guests in the waiting room (ASK_MODERATOR)."""

    key = "bbb"
    label = gettext_lazy("BigBlueButton")
    per_user = True

    def _config(self, sitting) -> tuple[str, str, str]:
        base, secret = _setting("BBB_URL"), _setting("BBB_SECRET")
        missing = [n for n, v in (("BBB_URL", base), ("BBB_SECRET", secret)) if not v]
        if missing:
            raise _missing_config(self, sitting, missing)
        algorithm = (_setting("BBB_CHECKSUM") or "sha1").lower()
        if algorithm not in BBB_ALGORITHMS:
            raise _missing_config(self, sitting, ["BBB_CHECKSUM"])
        base = base.rstrip("/")
        if not base.endswith("/api"):
            base += "/api"
        return base, secret, algorithm

    def api_url(self, sitting, call: str, params: dict) -> str:
        base, secret, algorithm = self._config(sitting)
        query = urlencode(params)
        return f"{base}/{call}?{query}&checksum={bbb_checksum(call, query, secret, algorithm)}"

    def _password(self, sitting, role: str) -> str:
        # Older servers join by password; derive them from the secret so they are stable and
        # never stored (newer servers use `role`).
        _base, secret, _algorithm = self._config(sitting)
        digest = hmac.new(secret.encode(), f"{sitting.code}:{role}".encode(), hashlib.sha256)
        return digest.hexdigest()[:16]

    def create_room(self, sitting) -> Room:
        params = {
            "name": sitting.title[:250],
            "meetingID": sitting.code,
            "attendeePW": self._password(sitting, "viewer"),
            "moderatorPW": self._password(sitting, "moderator"),
            "guestPolicy": "ASK_MODERATOR",
            "record": "false",
        }
        response = _request(self, sitting, "GET", self.api_url(sitting, "create", params))
        try:
            root = _bbb_parse(response.content)
        except ET.ParseError:
            raise _unreadable(self, sitting, "XML not parsed") from None
        returncode = (root.findtext("returncode") or "").strip()
        if root.tag != "response" or returncode not in ("SUCCESS", "FAILED"):
            raise _unreadable(self, sitting, "no returncode")
        if returncode == "FAILED":
            key = (root.findtext("messageKey") or "").strip()
            if key == "checksumError":
                raise _fail(
                    self,
                    sitting,
                    "checksumError",
                    _("the provider refused the university's credentials. Ask the administrator."),
                )
            raise _fail(
                self,
                sitting,
                f"FAILED {key}: {root.findtext('message') or ''}",
                _("the provider could not create the room (%(reason)s).") % {"reason": key},
            )
        # The stored link needs no name: our join view builds each person's link.
        return Room(url=f"{self._config(sitting)[0].removesuffix('/api')}/", moderator_url=None)

    def join_url(self, sitting, user, *, moderator: bool) -> str:
        role = "moderator" if moderator else "viewer"
        params = {
            "fullName": _person_name(user),
            "meetingID": sitting.code,
            "password": self._password(sitting, role),
            "role": role.upper(),
            "userID": str(user.pk),
            "redirect": "true",
        }
        if not moderator:
            params["guest"] = "true"  # waits in the lobby until the commission lets them in
        return self.api_url(sitting, "join", params)


# --- Webex -------------------------------------------------------------------------------------
class WebexProvider:
    """Webex Meetings through the university's service app: one meeting per sitting, the
    commission invited; everyone joins by the meeting's `webLink`."""

    key = "webex"
    label = gettext_lazy("Webex")
    per_user = False

    @staticmethod
    def window(sitting):
        """From when students join (R-8.1, R-20.1) to the expected end of the sitting."""
        if sitting.is_exam:
            minutes = sitting.writing_minutes + sitting.upload_minutes
        else:
            minutes = sitting.slot_minutes * max(sitting.examinees.count(), 1)
        return sitting.join_opens_at, sitting.starts_at + timedelta(minutes=minutes)

    def create_room(self, sitting) -> Room:
        token = _setting("WEBEX_TOKEN")
        if not token:
            raise _missing_config(self, sitting, ["WEBEX_TOKEN"])
        start, end = self.window(sitting)
        invitees = [
            {
                "email": m.user.email,
                "displayName": _person_name(m.user),
                "coHost": m.role in ("chair", "secretary"),
            }
            for m in sitting.commission.memberships.select_related("user").order_by("pk")
            if m.user.email
        ]
        seen: set[str] = set()
        invitees = [i for i in invitees if not (i["email"] in seen or seen.add(i["email"]))]
        body = {
            "title": sitting.title[:128],
            "start": timezone.localtime(start).isoformat(timespec="seconds"),
            "end": timezone.localtime(end).isoformat(timespec="seconds"),
            "timezone": "Asia/Almaty",
            "enabledJoinBeforeHost": True,
            "joinBeforeHostMinutes": 15,
            "invitees": invitees,
        }
        response = _request(
            self,
            sitting,
            "POST",
            WEBEX_MEETINGS_URL,
            json=body,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        )
        try:
            data = response.json()
        except ValueError:
            raise _unreadable(self, sitting, "JSON not parsed") from None
        link = data.get("webLink") if isinstance(data, dict) else None
        if not isinstance(link, str) or not link.startswith("https://"):
            raise _unreadable(self, sitting, "no webLink")
        logger.info("webex meeting %s created for sitting %s", data.get("id"), sitting.code)
        return Room(url=link)

    def join_url(self, sitting, user, *, moderator: bool) -> str:
        return sitting.conference_url


PROVIDERS: dict[str, Provider] = {
    p.key: p for p in (ManualProvider(), JitsiProvider(), BigBlueButtonProvider(), WebexProvider())
}


def get_provider(key: str) -> Provider:
    try:
        return PROVIDERS[key]
    except KeyError:
        raise DomainError(
            _("Choose a conference provider from the list."), "invalid", 422
        ) from None
