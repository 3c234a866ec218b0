"""What the API and the pages show of an answer: page rows, the receipt, the panel's state and
the translated strings the JavaScript needs. Reads only."""

import json
from collections import Counter
from functools import lru_cache

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from attestation.answers.images import DUPLICATE, WARNING_MESSAGES
from attestation.answers.models import AnswerDocument, AnswerPage
from attestation.commissions.deadlines import answer_deadline, upload_closes_at
from attestation.commissions.models import Examinee
from attestation.core.rawsql import columns, fetch_instances, table

PAGES_SQL = f"""
    SELECT {columns(AnswerPage, "p")} FROM {table(AnswerPage)} p
    WHERE p.examinee_id = %s ORDER BY p.number, p.id
"""  # noqa: S608 — names from our models; values are parameters


def pages_of(examinee: Examinee) -> list[AnswerPage]:
    """`examinee.pages.order_by("number")`, hand-written: the ticket page and the upload
    panel read it on every request and every upload answers with it (core/rawsql.py)."""
    pages = [page for (page,) in fetch_instances(PAGES_SQL, [examinee.pk], (AnswerPage,))]
    for page in pages:
        page.examinee = examinee
    return pages


def page_url(page: AnswerPage, *, token: str | None = None) -> str:
    if token is not None:
        return reverse("answers:phone_page_image", kwargs={"token": token, "page_id": page.pk})
    return reverse("answers:page_image", kwargs={"page_id": page.pk})


def page_data(page: AnswerPage, *, token: str | None = None, duplicate: bool = False) -> dict:
    url = page_url(page, token=token)
    return {
        "number": page.number,
        "sha256": page.sha256,
        "warnings": list(page.warnings or []) + ([DUPLICATE] if duplicate else []),
        "url": url,
        "thumb_url": f"{url}?size=thumb",
        "width": page.width,
        "height": page.height,
        "size": page.size,
        "uploaded_at": page.uploaded_at,
    }


def pages_data(examinee: Examinee, *, token: str | None = None) -> list[dict]:
    """The pages in order. The same photo at two numbers (a retry at a given number is
    accepted as such) is warned about on both, until one is retaken or deleted."""
    pages = pages_of(examinee)
    counts = Counter(p.sha256 for p in pages)
    return [page_data(p, token=token, duplicate=counts[p.sha256] > 1) for p in pages]


def document_of(examinee: Examinee) -> AnswerDocument | None:
    return AnswerDocument.objects.filter(examinee=examinee).first()


def receipt(examinee: Examinee) -> dict | None:
    """What the student keeps after submitting: each page's SHA-256 and the PDF's."""
    if examinee.status != Examinee.Status.SUBMITTED:
        return None  # before the query: the ticket page shows the panel all exam long
    document = document_of(examinee)
    if document is None:
        return None
    return {
        "status": examinee.status,
        "submitted_at": examinee.submitted_at,
        "pages": [{"number": p.number, "sha256": p.sha256} for p in pages_of(examinee)],
        "pdf_sha256": document.sha256,
        "pdf_pages": document.pages,
        "pdf_url": reverse("answers:pdf", kwargs={"examinee_id": examinee.pk}),
    }


def warning_texts() -> dict[str, str]:
    return {code: str(message) for code, message in WARNING_MESSAGES.items()}


@lru_cache(maxsize=16)
def _panel_strings(language: str) -> dict:
    return js_strings() | {"warnings": warning_texts()}


# As django.utils.html.json_script escapes its JSON inside <script>.
_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@lru_cache(maxsize=16)
def panel_strings_json(language: str) -> str:
    """The panel's strings as the JSON inside its `<script type="application/json">`, dumped
    once per language (json_script did it on every ticket page)."""
    text = json.dumps(_panel_strings(language), cls=DjangoJSONEncoder)
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 — escaped as json_script


def panel_strings(language: str) -> dict:
    """The panel's strings in the active language, translated once per language (the
    ticket page is opened by every student of the exam)."""
    return dict(_panel_strings(language))


def js_strings() -> dict[str, str]:
    """Every string answers.js shows, translated here (the JS itself holds none)."""
    return {
        "page": _("Page %(number)s"),
        "up": _("Move page %(number)s up"),
        "down": _("Move page %(number)s down"),
        "retake": _("Retake"),
        "retakeLabel": _("Retake page %(number)s"),
        "delete": _("Delete"),
        "deleteLabel": _("Delete page %(number)s"),
        "confirmDelete": _("Delete page %(number)s?"),
        "confirmSubmit": _("Submit your answer? After submitting you cannot add or change pages."),
        "waiting": _("Waiting…"),
        "uploading": _("Uploading…"),
        "processing": _("Checking the photo…"),
        "done": _("Uploaded as page %(number)s"),
        "retrying": _("Connection lost. Trying again in %(seconds)s s (attempt %(attempt)s)…"),
        "failed": _("Not uploaded"),
        "networkFailed": _(
            "The connection failed several times. Check the internet and try again."
        ),
        "tooLarge": _("The file is too large: at most %(mb)s MB per photo."),
        "serverError": _("Something went wrong on the server. Try again."),
        "writing": _("Writing time left: %(time)s"),
        "upload": _("Upload window: %(time)s left"),
        "closed": _("The upload window has closed."),
        "noPages": _("No pages yet. Photograph every answer sheet and upload the photos."),
        "pageCount": _("Pages uploaded: %(count)s"),
        "linkExpires": _("The link works until %(time)s."),
        "sha": _("SHA-256"),
        "open": _("Open full size"),
    }


def panel_state(examinee: Examinee) -> dict:
    """Everything the upload panel needs, from server time (R-12.1, R-14.1)."""
    now = timezone.now()
    writing_ends = answer_deadline(examinee)
    closes = upload_closes_at(examinee)
    status = examinee.status
    drawn = status == Examinee.Status.DRAWN
    window_open = closes is None or now < closes
    suspended = status == Examinee.Status.SUSPENDED
    stopped = status in (
        Examinee.Status.TERMINATED,
        Examinee.Status.ABSENT,
        Examinee.Status.ABSENT_VALID,
        Examinee.Status.MOVED,
    )
    return {
        "now": now,
        "writing_ends": writing_ends,
        "upload_closes": closes,
        "before_draw": status
        in (Examinee.Status.WAITING, Examinee.Status.IDENTIFIED, Examinee.Status.ADMITTED),
        "editable": drawn and window_open,
        "closed": drawn and not window_open,
        "submitted": status == Examinee.Status.SUBMITTED,
        # While suspended the pages stay in view, read only, and no time is counted on the
        # panel; after a stop there is nothing left to upload.
        "suspended": suspended,
        "stopped": stopped,
        "clock": drawn,
        "pages": pages_data(examinee),
        "receipt": receipt(examinee),
        "max_pages": settings.ANSWER_MAX_PAGES,
        "max_bytes": settings.ANSWER_MAX_BYTES,
        "max_mb": settings.ANSWER_MAX_BYTES // (1024 * 1024),
        "strings": panel_strings(get_language()),
        "strings_json": panel_strings_json(get_language()),
        "strings_id": f"answers-strings-{examinee.pk}",
        "pages_id": f"answers-pages-{examinee.pk}",
    }
