"""The closed draw (R-10.2, R-11.1): the ticket is chosen on the server, at the click, from a
cryptographic random source; the card the student clicked means nothing but "this one"."""

import secrets

from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from attestation.commissions.models import Examinee, Sitting
from attestation.commissions.services import examinee_locked, examinee_status_change
from attestation.core.errors import DomainError
from attestation.tickets.models import Draw, Ticket

# Optimistic attempts before the draw queues on the sitting's row. Under PostgreSQL two students
# may pick the same free ticket at once; the unique constraint lets one win and the other
# retries. After a couple of collisions we take the sitting's lock, which only an optimistic
# draw racing past it can still beat, so a few locked attempts always end it.
OPTIMISTIC_ATTEMPTS = 2
LOCKED_ATTEMPTS = 8


def tickets_on_offer(sitting: Sitting) -> tuple[list[Ticket], int]:
    """What a student can draw now, and the bank's size: every ticket where they may repeat;
    otherwise the tickets least drawn in this sitting (none twice until the bank is used up)."""
    if sitting.ticket_bank_id is None:
        return [], 0
    tickets = list(
        Ticket.objects.filter(bank_id=sitting.ticket_bank_id).annotate(
            used=Count("draws", filter=Q(draws__sitting=sitting))
        )
    )
    if sitting.tickets_may_repeat or not tickets:
        return tickets, len(tickets)
    least = min(t.used for t in tickets)
    return [t for t in tickets if t.used == least], len(tickets)


def cards_count(sitting: Sitting) -> int:
    """How many face-down cards the selection window shows."""
    return len(tickets_on_offer(sitting)[0])


def examinee_draw(examinee: Examinee) -> Draw | None:
    return Draw.objects.select_related("ticket").filter(examinee=examinee).first()


def ticket_draw(*, examinee: Examinee, position: int, actor) -> tuple[Draw, bool]:
    """Draw the examinee's one ticket. Returns (draw, created): a repeat — a double click,
    a second tab, a retry after a lost response — returns the same draw, created=False."""
    for attempt in range(OPTIMISTIC_ATTEMPTS + LOCKED_ATTEMPTS):
        try:
            return _draw_once(
                examinee, position, actor, lock_sitting=attempt >= OPTIMISTIC_ATTEMPTS
            )
        except IntegrityError:
            continue  # someone took that ticket for this round, or drew for this examinee
        except OperationalError as exc:
            # PostgreSQL broke a deadlock by rolling this attempt back: try again.
            if getattr(exc.__cause__, "sqlstate", None) != "40P01":
                raise
    raise DomainError(_("The draw could not be completed. Try again."), "draw_busy", 503)


def _draw_once(examinee: Examinee, position: int, actor, *, lock_sitting: bool):
    with transaction.atomic():
        locked = examinee_locked(examinee)
        existing = examinee_draw(locked)
        if existing is not None:
            return existing, False
        if locked.status != Examinee.Status.ADMITTED:
            raise DomainError(
                _("You have not been admitted yet: wait for the technical secretary."),
                "not_admitted",
            )
        sitting = locked.sitting
        if lock_sitting:
            # NO KEY UPDATE: a plain FOR UPDATE would also block the foreign-key check of every
            # other draw's insert (FOR KEY SHARE on the sitting) and deadlock with it.
            Sitting.objects.select_for_update(no_key=True).filter(pk=sitting.pk).exists()
        offer, bank_size = tickets_on_offer(sitting)
        if not offer:
            raise DomainError(_("This sitting has no tickets."), "no_tickets")
        # A page opened a moment ago may show more cards than are on offer now: any card
        # within the bank's size is a valid "this one".
        if not 1 <= position <= bank_size:
            raise DomainError(_("There is no such card."), "bad_position", 422)
        ticket = secrets.choice(offer)
        draw = Draw.objects.create(
            examinee=locked,
            sitting=sitting,
            ticket=ticket,
            round=None if sitting.tickets_may_repeat else ticket.used,
            card_position=position,
        )
        examinee_status_change(
            locked,
            Examinee.Status.DRAWN,
            actor=actor,
            action="ticket.draw",
            data={"ticket": ticket.number, "card": position, "round": draw.round},
        )
        return draw, True
