"""The closed draw (R-10.2, R-11.1): the ticket is chosen on the server, at the click, from a
cryptographic random source; the card the student clicked means nothing but "this one"."""

import secrets

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from attestation.commissions.accommodations import language_label
from attestation.commissions.models import Examinee, Sitting
from attestation.commissions.services import examinee_status_change
from attestation.core.errors import DomainError
from attestation.core.rawsql import columns, datetime_param, fetch_instances, table
from attestation.tickets.models import Draw, Question, Ticket
from attestation.tickets.pg_draw import PICKS, draw_admitted

# A draw is retried when PostgreSQL breaks a deadlock by rolling it back, or when the database
# refuses it on a constraint (which the examinee's row lock should leave nothing to trip).
ATTEMPTS = 5


def tickets_on_offer(sitting: Sitting, language: str = "") -> tuple[list[Ticket], int]:
    """What a student can draw now, and the bank's size: every ticket where they may repeat;
    otherwise the tickets least drawn in this sitting (none twice until the bank is used up).
    Each ticket's `used` is the round it would be drawn in (None where tickets repeat).
    `language`: the examinee's exam language (SPEC K-14) — only that language's tickets, with
    rounds of their own; blank: the whole bank."""
    tickets = in_language(bank_tickets(sitting), language)
    return offer_of(sitting, tickets), len(tickets)


def in_language(tickets: list[Ticket], language: str) -> list[Ticket]:
    """The tickets in the examinee's exam language; all of them when it is blank."""
    return [t for t in tickets if t.language == language] if language else tickets


def offer_of(sitting: Sitting, tickets: list[Ticket]) -> list[Ticket]:
    if sitting.tickets_may_repeat or not tickets:
        return tickets
    uses = ticket_uses(sitting.pk)
    least = min(uses.get(t.pk, 0) for t in tickets)
    offer = [t for t in tickets if uses.get(t.pk, 0) == least]
    for t in offer:
        t.used = least
    return offer


def bank_tickets(sitting: Sitting) -> list[Ticket]:
    """The sitting's bank. Built by hand from three columns: a draw reads it every time."""
    if sitting.ticket_bank_id is None:
        return []
    with connection.cursor() as cursor:
        cursor.execute(BANK_SQL, [sitting.ticket_bank_id])
        rows = cursor.fetchall()
    return [Ticket(id=pk, bank_id=sitting.ticket_bank_id, number=n, language=lang)
            for pk, n, lang in rows]  # fmt: skip


def ticket_uses(sitting_id: int) -> dict[int, int]:
    """How many times each ticket has been drawn in the sitting (absent: never)."""
    with connection.cursor() as cursor:
        cursor.execute(USES_SQL, [sitting_id])
        return dict(cursor.fetchall())


def cards_count(sitting: Sitting, language: str = "") -> int:
    """How many face-down cards the selection window shows (in the examinee's language)."""
    return len(tickets_on_offer(sitting, language)[0])


def no_tickets(language: str) -> DomainError:
    """The sitting's bank has nothing to offer this examinee: none at all, or none in their
    exam language (the secretary's console warns about the latter in advance)."""
    if not language:
        return DomainError(_("This sitting has no tickets."), "no_tickets")
    return DomainError(
        _(
            "The ticket bank has no ticket in %(language)s, your exam language: tell the "
            "technical secretary."
        )
        % {"language": language_label(language)},
        "no_tickets",
    )


def ticket_questions(ticket_id: int) -> list[str]:
    """The ticket's questions in order; read right after every draw."""
    with connection.cursor() as cursor:
        cursor.execute(QUESTIONS_SQL, [ticket_id])
        return [text for (text,) in cursor.fetchall()]


def _draw_insert(cursor, examinee: Examinee, tickets: list[Ticket], position: int) -> Draw:
    """Pick a ticket on offer and insert the draw. No repeats: two students drawing at once
    may pick the same ticket of the round; the second insert waits for the first to commit,
    does nothing, and this draw picks again from counts that now include it. No lock on the
    sitting, no rollback: at 1,000 draws at once, queueing on the sitting's row took 5.5 s,
    and letting a unique violation roll the attempt back lost most attempts (bench/run.py)."""
    sitting = examinee.sitting
    for _pick in range(PICKS):
        ticket = secrets.choice(offer_of(sitting, tickets))
        draw = Draw(
            examinee=examinee,
            sitting=sitting,
            ticket=ticket,
            round=getattr(ticket, "used", None),
            card_position=position,
            drawn_at=timezone.now(),
        )
        cursor.execute(
            INSERT_SQL,
            [examinee.pk, sitting.pk, ticket.pk, draw.round, position,
             datetime_param(draw.drawn_at)],
        )  # fmt: skip
        row = cursor.fetchone()
        if row is not None:
            draw.pk = row[0]
            draw._state.adding = False
            return draw
    raise DomainError(_("The draw could not be completed. Try again."), "draw_busy", 503)


DRAW_SQL = f"""
    SELECT {columns(Draw, "d")}, {columns(Ticket, "t")}
    FROM {table(Draw)} d JOIN {table(Ticket)} t ON t.id = d.ticket_id
    WHERE d.examinee_id = %s
"""  # noqa: S608 — names from our models; values are parameters
QUESTION_ROWS_SQL = f"""
    SELECT {columns(Question, "q")} FROM {table(Question)} q
    WHERE q.ticket_id = %s ORDER BY q.position, q.id
"""  # noqa: S608


def examinee_draw(examinee: Examinee) -> Draw | None:
    """The examinee's draw (one at most) with its ticket. Hand-written SQL: the exam room,
    the ticket page and the upload panel read it on every request (core/rawsql.py)."""
    rows = fetch_instances(DRAW_SQL, [examinee.pk], (Draw, Ticket))
    if not rows:
        return None
    draw, ticket = rows[0]
    draw.ticket = ticket
    return draw


def questions_of(ticket: Ticket) -> list[Question]:
    """The ticket's questions in their order, as `ticket.questions.all()` gives them."""
    questions = [
        question for (question,) in fetch_instances(QUESTION_ROWS_SQL, [ticket.pk], (Question,))
    ]
    for question in questions:
        question.ticket = ticket
    return questions


def ticket_draw(*, examinee: Examinee, position: int, actor) -> tuple[Draw, bool]:
    """Draw the examinee's one ticket. Returns (draw, created): a repeat — a double click,
    a second tab, a retry after a lost response — returns the same draw, created=False."""
    if connection.vendor == "postgresql" and examinee.status == Examinee.Status.ADMITTED:
        # PostgreSQL: one statement instead of twelve (pg_draw.py); it draws or hands over.
        draw = draw_admitted(examinee, position, actor)
        if draw is not None:
            return draw, True
    # Everything that does not change during the sitting is read before the transaction:
    # on SQLite the transaction holds the database's one write lock, so its length is what
    # 1,000 students drawing at once queue behind (bench/run.py).
    sitting = examinee.sitting
    tickets = bank_tickets(sitting)
    str(examinee)  # the audit row's text: load the student now, not under the lock
    for _attempt in range(ATTEMPTS):
        try:
            drawn = _draw_once(examinee, tickets, position, actor)
        except IntegrityError:
            continue  # a constraint refused it (the examinee's draw, if the lock was bypassed)
        except OperationalError as exc:
            # PostgreSQL broke a deadlock by rolling this attempt back: try again.
            if getattr(exc.__cause__, "sqlstate", None) != "40P01":
                raise
        else:
            return drawn if drawn[1] else (examinee_draw(examinee), False)
    raise DomainError(_("The draw could not be completed. Try again."), "draw_busy", 503)


def _draw_once(examinee: Examinee, tickets: list[Ticket], position: int, actor):
    """One attempt, in hand-written SQL (core/rawsql.py). Returns (draw, True), or
    (None, False) when the examinee already holds a ticket."""
    features = connection.features
    with transaction.atomic(), connection.cursor() as cursor:
        if features.has_select_for_no_key_update:
            # PostgreSQL: lock the examinee's row only (NO KEY: the draw's foreign key to it
            # must not wait), then look for its draw in a statement of its own: a statement
            # that waited for the lock still reads other rows as of its start, so a draw
            # committed meanwhile by a double click would read as missing.
            cursor.execute(LOCK_SQL, [examinee.pk])
            locked = cursor.fetchone()
            cursor.execute(DRAW_OF_SQL, [examinee.pk])
            drawn = cursor.fetchone()
            row = None if locked is None else (*locked, drawn[0] if drawn else None)
        else:  # SQLite: the IMMEDIATE transaction already holds the write lock
            cursor.execute(STATE_SQL, [examinee.pk])
            row = cursor.fetchone()
        if row is None:
            raise Examinee.DoesNotExist
        # The exam language as read under the lock (K-14): a change made meanwhile is seen.
        status, language, existing = row
        if existing is not None:
            return None, False
        if status != Examinee.Status.ADMITTED:
            raise DomainError(
                _("You have not been admitted yet: wait for the technical secretary."),
                "not_admitted",
            )
        tickets = in_language(tickets, language)
        if not tickets:
            raise no_tickets(language)
        # A page opened a moment ago may show more cards than are on offer now: any card
        # within the bank's size is a valid "this one".
        if not 1 <= position <= len(tickets):
            raise DomainError(_("There is no such card."), "bad_position", 422)
        draw = _draw_insert(cursor, examinee, tickets, position)
        examinee.status, examinee.exam_language = status, language  # as read under the lock
        examinee_status_change(
            examinee,
            Examinee.Status.DRAWN,
            actor=actor,
            action="ticket.draw",
            data={"ticket": draw.ticket.number, "card": position, "round": draw.round},
        )
        return draw, True


QUESTIONS_SQL = f"""
    SELECT text FROM {table(Question)} WHERE ticket_id = %s ORDER BY position
"""  # noqa: S608
BANK_SQL = f"""
    SELECT id, number, language FROM {table(Ticket)} WHERE bank_id = %s ORDER BY number
"""  # noqa: S608 — names from our models; values are parameters
USES_SQL = f"""
    SELECT ticket_id, COUNT(*) FROM {table(Draw)} WHERE sitting_id = %s GROUP BY ticket_id
"""  # noqa: S608
LOCK_SQL = f"""
    SELECT status, exam_language FROM {table(Examinee)} WHERE id = %s FOR NO KEY UPDATE
"""  # noqa: S608
DRAW_OF_SQL = f"SELECT id FROM {table(Draw)} WHERE examinee_id = %s"  # noqa: S608
STATE_SQL = f"""
    SELECT e.status, e.exam_language, d.id FROM {table(Examinee)} e
    LEFT JOIN {table(Draw)} d ON d.examinee_id = e.id WHERE e.id = %s
"""  # noqa: S608
INSERT_SQL = f"""
    INSERT INTO {table(Draw)} (examinee_id, sitting_id, ticket_id, round, card_position, drawn_at)
    VALUES (%s, %s, %s, %s, %s, %s)
    ON CONFLICT (sitting_id, ticket_id, round) WHERE round IS NOT NULL DO NOTHING
    RETURNING id
"""  # noqa: S608 — the conflict target is the constraint `ticket_once_per_round`
