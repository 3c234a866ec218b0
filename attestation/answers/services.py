"""The written answer's state changes (R-12.1, R-14.1): pages, submission, reopening, the upload
window and phone links. Plain functions, keyword-only arguments, one transaction each, an audit
row for every change.

Files and transactions: a photo is decoded and re-encoded *before* the transaction (slow work
must not hold the database's write lock), written to storage, and then recorded. If recording
fails, the file is deleted at once; a file whose row is deleted goes only after the commit.

Concurrency: every change for one examinee re-reads the examinee row inside its transaction,
locked with SELECT … FOR UPDATE on PostgreSQL (on SQLite the IMMEDIATE transaction already
holds the database's write lock), so pages, submission and reopening for one examinee happen
one at a time. The UniqueConstraint (examinee, number) still decides any race the lock does
not cover: an IntegrityError is turned into "the existing page" (same photo) or a 409.
"""

import hashlib
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from attestation.answers import images, pdf
from attestation.answers.models import AnswerDocument, AnswerPage, UploadLink
from attestation.audit.services import log_action
from attestation.commissions import windows
from attestation.commissions.closing import ensure_not_announced
from attestation.commissions.deadlines import answer_deadline, upload_closes_at
from attestation.commissions.models import Examinee
from attestation.commissions.services import examinee_locked, examinee_status_change
from attestation.core.errors import DomainError

Status = Examinee.Status
LINK_SALT = "attestation.answers.upload-link"
BEFORE_DRAW = (Status.WAITING, Status.IDENTIFIED, Status.ADMITTED)
# Auto-numbered uploads that lose a race for a number read the new highest and try again.
NUMBER_ATTEMPTS = 5


# --- Pages ----------------------------------------------------------------------------------


def answer_page_add(
    *, examinee: Examinee, file, actor, number: int | None = None, via: str = "web"
) -> tuple[AnswerPage, bool]:
    """Add one photographed page. Returns `(page, created)`.

    `number` None takes the next free number. The same photo again — at the same number, or
    with no number at all — is a retry and returns the existing page with `created` False.
    A different photo at a taken number is a 409 (`page_exists`): that is a retake.
    """
    # Cheap refusals first: no decoding for a closed answer; re-checked under the lock.
    ensure_answer_open(examinee)
    _check_number(number)
    images.check_size(file.size)
    processed = images.process_photo(file)
    existing = _same_photo(examinee, processed.sha256, number)
    if existing is not None:
        return existing, False

    page = AnswerPage(
        examinee=examinee,
        sha256=processed.sha256,
        width=processed.width,
        height=processed.height,
        size=processed.size,
        warnings=processed.warnings,
    )
    page.image.save("page.jpg", ContentFile(processed.data), save=False)
    stored, storage = page.image.name, page.image.storage
    result, created = None, False
    try:
        result, created = _insert_page(page, number=number, actor=actor, via=via)
    finally:
        if not created:  # refused, failed, or a retry answered with the existing page
            storage.delete(stored)
    return result, created


def _insert_page(
    page: AnswerPage, *, number: int | None, actor, via: str
) -> tuple[AnswerPage, bool]:
    for _attempt in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                examinee = examinee_locked(page.examinee)
                ensure_answer_open(examinee)
                existing = _same_photo(examinee, page.sha256, number)
                if existing is not None:
                    return existing, False
                taken = set(examinee.pages.values_list("number", flat=True))
                if len(taken) >= settings.ANSWER_MAX_PAGES:
                    raise _too_many_pages()
                if number is not None and number in taken:
                    raise _page_exists(number)
                page.number = number if number is not None else _next_number(taken)
                page.save()
                log_action(
                    actor=actor,
                    action="answer.page_add",
                    target=examinee,
                    to_state=str(page.number),
                    data={"number": page.number, "sha256": page.sha256, "via": via},
                )
                return page, True
        except IntegrityError:
            # The examinee lock serialises our own writers; the constraint also stops any that
            # does not take it. Someone took the number between our read and our insert.
            existing = _same_photo(page.examinee, page.sha256, number)
            if existing is not None:
                return existing, False
            if number is not None:
                raise _page_exists(number) from None
    raise DomainError(_("The server is busy. Try again."), "busy", 503)


def answer_page_replace(
    *, examinee: Examinee, number: int, file, actor, via: str = "web"
) -> AnswerPage:
    """Retake: a new photo for page `number`. The old file goes after the commit."""
    ensure_answer_open(examinee)
    images.check_size(file.size)
    processed = images.process_photo(file)
    new = AnswerPage(
        examinee=examinee,
        number=number,
        sha256=processed.sha256,
        width=processed.width,
        height=processed.height,
        size=processed.size,
        warnings=processed.warnings,
    )
    new.image.save("page.jpg", ContentFile(processed.data), save=False)
    keep = False
    try:
        with transaction.atomic():
            locked = examinee_locked(examinee)
            ensure_answer_open(locked)
            old = _page_or_error(locked, number)
            if old.sha256 == new.sha256:  # a retry of this very retake
                return old
            old_name = old.image.name
            old.delete()
            new.examinee = locked
            new.save()
            keep = True
            transaction.on_commit(partial(new.image.storage.delete, old_name))
            log_action(
                actor=actor,
                action="answer.page_replace",
                target=locked,
                from_state=old.sha256[:12],
                to_state=new.sha256[:12],
                data={"number": number, "old": old.sha256, "new": new.sha256, "via": via},
            )
            return new
    finally:
        if not keep:
            new.image.storage.delete(new.image.name)


def answer_page_delete(*, examinee: Examinee, number: int, actor, via: str = "web") -> AnswerPage:
    """Delete page `number`; the pages after it move up one, so numbers stay 1…n."""
    with transaction.atomic():
        locked = examinee_locked(examinee)
        ensure_answer_open(locked)
        page = _page_or_error(locked, number)
        name = page.image.name
        page.delete()
        # Ascending, one row at a time: each move lands on the number just freed.
        for later in locked.pages.filter(number__gt=number).order_by("number"):
            later.number -= 1
            later.save(update_fields=["number"])
        transaction.on_commit(partial(page.image.storage.delete, name))
        log_action(
            actor=actor,
            action="answer.page_delete",
            target=locked,
            from_state=str(number),
            data={"number": number, "sha256": page.sha256, "via": via},
        )
        return page


def answer_pages_reorder(
    *, examinee: Examinee, numbers: list[int], actor, via: str = "web"
) -> list[AnswerPage]:
    """New order: `numbers` lists every current page number once, in the order wanted; the
    pages are renumbered 1…n in that order."""
    with transaction.atomic():
        locked = examinee_locked(examinee)
        ensure_answer_open(locked)
        pages = {page.number: page for page in locked.pages.all()}
        if len(numbers) != len(pages) or set(numbers) != set(pages):
            raise DomainError(
                _("The new order must list every page exactly once. Reload and try again."),
                "bad_order",
                400,
            )
        # Two steps so that no update collides with a number still in use: first past the
        # highest number, then 1…n.
        parking = max(pages, default=0) + 1
        for offset, old in enumerate(numbers):
            pages[old].number = parking + offset
            pages[old].save(update_fields=["number"])
        for new, old in enumerate(numbers, start=1):
            pages[old].number = new
            pages[old].save(update_fields=["number"])
        log_action(
            actor=actor,
            action="answer.pages_reorder",
            target=locked,
            data={"order": list(numbers), "via": via},
        )
        return list(locked.pages.order_by("number"))


# --- Submission -------------------------------------------------------------------------------


# Submitting reads the pages and assembles the PDF before its transaction, then checks that
# the pages are still those; if a page changed meanwhile (the phone!) it tries again, and the
# last attempt assembles under the lock, so that a submit always ends.
SUBMIT_ATTEMPTS = 3


def answer_submit(*, examinee: Examinee, actor) -> AnswerDocument:
    """Close the answer: `drawn` → `submitted`, and assemble the pages, in order, into one PDF.
    Phone links are revoked. 409 `no_pages` without a page. Submitting an answer that is
    already submitted changes nothing and gives its document back: a phone whose first
    submit went through but whose answer was lost (a dropped connection, a web node gone)
    sends it again and must read "submitted", not an error.

    The PDF is put together outside the transaction when it can be: on SQLite the transaction
    holds the database's one write lock, and reading ten photos under it held up every draw
    and upload of the exam (bench/run.py)."""
    for attempt in range(SUBMIT_ATTEMPTS):
        assembled = None
        if attempt < SUBMIT_ATTEMPTS - 1 and examinee.status != Status.SUBMITTED:
            ensure_answer_open(examinee)
            pages = list(examinee.pages.order_by("number"))
            if pages:
                assembled = (pages, _assemble(examinee, pages))
        document = _submit(examinee, assembled, actor)
        if document is not None:
            return document
    raise AssertionError("the last attempt assembles under the lock")  # pragma: no cover


def _assemble(examinee: Examinee, pages: list[AnswerPage]) -> bytes:
    title = _answer_title(examinee)  # read before taking the semaphore: no database under it
    with images.heavy_work:
        jpegs = []
        for page in pages:
            with page.image.open("rb") as handle:
                data = handle.read()
            # The PDF must hold exactly the pages whose SHA-256 the student was given.
            if hashlib.sha256(data).hexdigest() != page.sha256:
                raise RuntimeError(f"stored page {page.pk} does not match its SHA-256")
            jpegs.append(data)
        return pdf.assemble(jpegs, title=title)


def _submit(examinee: Examinee, assembled, actor) -> AnswerDocument | None:
    """Store the PDF and close the answer; None if the pages changed since `assembled`, the
    (pages, PDF) made before the transaction. `assembled` None: assemble here, under the lock."""
    document = None
    committed = False
    try:
        with transaction.atomic():
            locked = examinee_locked(examinee)
            if locked.status == Status.SUBMITTED:
                ensure_not_announced(locked.sitting)  # closed then, the repeat too (K-7)
                existing = AnswerDocument.objects.filter(examinee=locked).first()
                if existing is not None:
                    return existing
            ensure_answer_open(locked)
            pages = list(locked.pages.order_by("number"))
            if not pages:
                raise DomainError(
                    _("Upload at least one page of your answer before submitting."), "no_pages"
                )
            if assembled is None:
                body = _assemble(locked, pages)
            elif _page_keys(assembled[0]) == _page_keys(pages):
                body = assembled[1]
            else:
                return None
            sha = hashlib.sha256(body).hexdigest()
            _document_drop(locked)
            document = AnswerDocument(examinee=locked, sha256=sha, pages=len(pages))
            document.pdf.save(
                f"{locked.sitting_id}-{locked.pk}-{sha[:16]}.pdf", ContentFile(body), save=False
            )
            document.save()
            now = timezone.now()
            UploadLink.objects.filter(examinee=locked, revoked_at__isnull=True).update(
                revoked_at=now
            )
            examinee_status_change(
                locked,
                Status.SUBMITTED,
                actor=actor,
                action="answer.submit",
                submitted_at=now,
                data={
                    "pages": [{"number": p.number, "sha256": p.sha256} for p in pages],
                    "pdf_sha256": sha,
                },
            )
            committed = True
    finally:
        if not committed and document is not None and document.pdf.name:
            document.pdf.storage.delete(document.pdf.name)
    return document


def _page_keys(pages: list[AnswerPage]) -> list[tuple]:
    return [(p.pk, p.number, p.sha256) for p in pages]


def answer_reopen(*, examinee: Examinee, actor, reason: str) -> Examinee:
    """The secretary reopens a submitted answer (`submitted` → `drawn`) so that the student can
    change its pages; the assembled PDF is dropped (its SHA-256 stays in the audit log). The
    upload window is not moved: extend it too if it has closed."""
    reason = _require_reason(reason)
    with transaction.atomic():
        locked = examinee_locked(examinee)
        ensure_not_announced(locked.sitting)
        if locked.status != Status.SUBMITTED:
            raise DomainError(_("Only a submitted answer can be reopened."), "not_submitted")
        old_pdf = _document_drop(locked)
        return examinee_status_change(
            locked,
            Status.DRAWN,
            actor=actor,
            action="answer.reopen",
            reason=reason,
            submitted_at=None,
            data={"pdf_sha256": old_pdf},
        )


def upload_window_extend(*, examinee: Examinee, until: datetime, actor, reason: str) -> Examinee:
    """The secretary keeps one examinee's upload window open until `until` (R-14.1). The
    window never closes earlier than the sitting's own rule."""
    ensure_not_announced(examinee.sitting)  # K-7; the IMMEDIATE/locked write below re-reads
    reason = _require_reason(reason)
    until = windows.aware(until)
    now = timezone.now()
    if until <= now:
        raise DomainError(_("Choose a time in the future."), "until_in_past", 400)
    earliest, latest = windows.upload_window_bounds(examinee.sitting, now)
    until = windows.require_within(
        until, earliest=earliest, latest=latest, what=_("The end of the upload window")
    )
    with transaction.atomic():
        locked = examinee_locked(examinee)
        if answer_deadline(locked) is None:
            raise DomainError(
                _("This examinee has no upload window: no written exam ticket was drawn."),
                "no_upload_window",
            )
        closes = upload_closes_at(locked)
        if closes is not None and until <= closes:
            # An "extension" that ends sooner would change nothing (the window never closes
            # before the sitting's own rule) while reporting success: say so instead.
            raise DomainError(
                _(
                    "The upload window already stays open until %(closes)s: choose a later "
                    "time to extend it."
                )
                % {"closes": windows.shown(closes)},
                "until_not_later",
                422,
            )
        before = locked.upload_extended_until
        locked.upload_extended_until = until
        locked.save(update_fields=["upload_extended_until"])
        log_action(
            actor=actor,
            action="answer.upload_window_extend",
            target=locked,
            from_state=before.isoformat() if before else "",
            to_state=until.isoformat(),
            reason=reason,
        )
        return locked


# --- Phone links ----------------------------------------------------------------------------


def upload_link_create(*, examinee: Examinee, actor) -> tuple[UploadLink, str]:
    """A link for the student's phone (the QR code): `(row, signed token)`. The token names
    the row; the row gives expiry and revocation."""
    with transaction.atomic():
        locked = examinee_locked(examinee)
        ensure_answer_open(locked)
        now = timezone.now()
        link = UploadLink.objects.create(
            examinee=locked,
            created_at=now,
            expires_at=now + timedelta(minutes=settings.UPLOAD_LINK_MINUTES),
        )
        log_action(
            actor=actor,
            action="answer.upload_link_create",
            target=locked,
            data={"link": link.pk, "expires_at": link.expires_at.isoformat()},
        )
    return link, _signer().sign(str(link.pk))


def upload_link_revoke(*, link: UploadLink, actor) -> UploadLink:
    """Stop a phone link working at once."""
    with transaction.atomic():
        link = UploadLink.objects.select_for_update(no_key=True).get(pk=link.pk)
        if link.revoked_at is None:
            link.revoked_at = timezone.now()
            link.save(update_fields=["revoked_at"])
            log_action(
                actor=actor,
                action="answer.upload_link_revoke",
                target=link.examinee,
                data={"link": link.pk},
            )
        return link


def upload_link_resolve(token: str) -> UploadLink:
    """The live link a token names, or DomainError 404 `link_invalid` (bad signature, expired,
    revoked). Reads only."""
    try:
        pk = _signer().unsign(token, max_age=timedelta(minutes=settings.UPLOAD_LINK_MINUTES))
        link = UploadLink.objects.select_related(
            "examinee__sitting", "examinee__student__user"
        ).get(pk=int(pk))
    except (signing.BadSignature, UploadLink.DoesNotExist, ValueError, TypeError):
        raise _link_invalid() from None
    if link.revoked_at is not None or link.expires_at <= timezone.now():
        raise _link_invalid()
    return link


# --- Rules shared by the services -----------------------------------------------------------


def ensure_answer_open(examinee: Examinee) -> None:
    """Pages can change only after the draw, before submission, while the window is open,
    and never after the announcement (K-7)."""
    ensure_not_announced(examinee.sitting)
    if examinee.status in BEFORE_DRAW:
        raise DomainError(_("You can upload your answer after you draw a ticket."), "not_drawn")
    if examinee.status == Status.SUBMITTED:
        raise DomainError(
            _("Your answer is submitted: its pages can no longer be changed."),
            "already_submitted",
        )
    if examinee.status != Status.DRAWN:
        raise DomainError(_("Your answer cannot be changed now."), "answer_closed")
    closes = upload_closes_at(examinee)
    if closes is not None and timezone.now() >= closes:
        raise DomainError(
            _(
                "The upload window closed at %(time)s. If you need more time, ask the "
                "technical secretary."
            )
            % {"time": formats.time_format(timezone.localtime(closes), "H:i")},
            "upload_closed",
        )


def _same_photo(examinee: Examinee, sha256: str, number: int | None) -> AnswerPage | None:
    """A retry: this photo already stored at this number (or anywhere, when no number was
    asked for — a camera never takes the same bytes twice)."""
    pages = AnswerPage.objects.filter(examinee=examinee, sha256=sha256)
    if number is not None:
        pages = pages.filter(number=number)
    return pages.order_by("number").first()


def _next_number(taken: set[int]) -> int:
    after_last = max(taken, default=0) + 1
    if after_last <= settings.ANSWER_MAX_PAGES:
        return after_last
    return min(set(range(1, settings.ANSWER_MAX_PAGES + 1)) - taken)


def _check_number(number: int | None) -> None:
    if number is not None and not 1 <= number <= settings.ANSWER_MAX_PAGES:
        raise DomainError(
            _("The page number must be between 1 and %(max)s.")
            % {"max": settings.ANSWER_MAX_PAGES},
            "bad_number",
            400,
        )


def _page_or_error(examinee: Examinee, number: int) -> AnswerPage:
    try:
        return examinee.pages.get(number=number)
    except AnswerPage.DoesNotExist:
        raise DomainError(
            _("There is no page %(number)s. Reload the list.") % {"number": number},
            "page_not_found",
            404,
        ) from None


def _document_drop(examinee: Examinee) -> str:
    """Remove the assembled PDF (row now, file after the commit); its SHA-256 or ""."""
    document = AnswerDocument.objects.filter(examinee=examinee).first()
    if document is None:
        return ""
    name = document.pdf.name
    document.delete()
    transaction.on_commit(partial(document.pdf.storage.delete, name))
    return document.sha256


def _answer_title(examinee: Examinee) -> str:
    return f"{examinee.student.full_name} · {examinee.sitting.title}"


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason: it is kept in the audit log."), "reason_required", 400)
    return reason


def _too_many_pages() -> DomainError:
    return DomainError(
        _("At most %(max)s pages can be uploaded.") % {"max": settings.ANSWER_MAX_PAGES},
        "too_many_pages",
    )


def _page_exists(number: int) -> DomainError:
    return DomainError(
        _("Page %(number)s is already uploaded. To replace it, retake it.") % {"number": number},
        "page_exists",
    )


def _link_invalid() -> DomainError:
    return DomainError(
        _("This upload link does not work any more. Make a new QR code on your computer."),
        "link_invalid",
        404,
    )


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=LINK_SALT)
