"""The draw on PostgreSQL in one statement: lock the admitted examinee, count the round, pick,
insert the draw, mark the examinee drawn, and read the questions back; then the audit row, in
the same transaction, through `log_action` (it links the row into the audit's hash chain,
which plain SQL here cannot).

Why: at 1,000 students drawing at once on a small server, every statement costs a round trip
and a parse and a plan on both sides, about 0.3 ms of CPU in all; the step-by-step draw took 12
statements, this one 1 (bench/run.py). It is a fast path only: whenever it does not draw —
not admitted now, already drawn, no tickets, a card out of range — it hands over to the
general draw in `services.py`, which says why. Both keep the same rules (R-10.2, R-11.1):
one draw per examinee, the least-drawn tickets only (of the examinee's exam language, K-14), a
cryptographic random choice."""

import secrets

from django.db import IntegrityError, transaction
from django.utils import timezone

from attestation.audit.services import log_action
from attestation.commissions.models import Examinee
from attestation.core.rawsql import datetime_param, planned_cursor, table
from attestation.tickets.models import Draw, Question, Ticket

# How many times a draw may find its ticket just taken for the round (here and in the general
# draw): the later insert does nothing once the earlier commits, and picks again from counts
# that now include it.
PICKS = 100
# A random number this large, taken modulo the offer's size, picks uniformly within
# 2**-50 even for a bank of 1,000 tickets.
RANDOM_BELOW = 2**60


def draw_admitted(examinee: Examinee, position: int, actor) -> Draw | None:
    """Draw for an examinee read as admitted, or None for the general draw to decide."""
    sitting = examinee.sitting
    if sitting.ticket_bank_id is None:
        return None
    params = {
        "examinee": examinee.pk,
        "sitting": sitting.pk,
        "bank": sitting.ticket_bank_id,
        "repeat": sitting.tickets_may_repeat,
        "position": position,
        "admitted": Examinee.Status.ADMITTED,
        "drawn": Examinee.Status.DRAWN,
    }
    for _pick in range(PICKS):
        drawn_at = timezone.now()
        params["at"] = datetime_param(drawn_at)
        params["random"] = secrets.randbelow(RANDOM_BELOW)
        try:
            row = _execute(params, examinee, position, actor)
        except IntegrityError:
            return None  # a draw already there though the status said admitted
        locked, picked, draw_id, ticket_id, round_, number, language, questions = row
        if draw_id is not None:
            ticket = Ticket(
                id=ticket_id, bank_id=sitting.ticket_bank_id, number=number, language=language
            )
            draw = Draw(
                id=draw_id,
                examinee=examinee,
                sitting=sitting,
                ticket=ticket,
                round=round_,
                card_position=position,
                drawn_at=drawn_at,
            )
            draw._state.adding = False
            draw.question_texts = questions or []
            examinee.status = Examinee.Status.DRAWN
            return draw
        if not locked or not picked:
            return None  # not admitted now, drawn by a double click, no tickets, no such card
    return None


def _execute(params: dict, examinee: Examinee, position: int, actor) -> tuple:
    # One transaction for the draw and its audit row (inside a caller's atomic block, a
    # savepoint keeps a refused insert from breaking the caller's transaction).
    with transaction.atomic():
        row = _run(params)
        draw_id, round_, number = row[2], row[4], row[5]
        if draw_id is not None:
            log_action(
                actor=actor,
                action="ticket.draw",
                target=examinee,
                from_state=Examinee.Status.ADMITTED,
                to_state=Examinee.Status.DRAWN,
                data={"ticket": number, "card": position, "round": round_},
            )
        return row


def _run(params: dict) -> tuple:
    with planned_cursor() as cursor:
        cursor.execute(DRAW_SQL, params)
        return cursor.fetchone()


# The examinee's row is locked first, and its exam language (SPEC K-14) read from it: only that
# language's tickets are counted, offered and checked against the card (blank: the whole bank),
# so each language has no-repeat rounds of its own. A statement that waited for that lock sees
# the row as committed meanwhile (a double click's draw makes it "drawn": nothing is drawn
# again) while the rest reads as of the statement's start, which the round's unique index
# makes safe: a ticket taken meanwhile makes the insert do nothing, and the caller picks again.
DRAW_SQL = f"""
WITH examinee AS (
    SELECT id, exam_language FROM {table(Examinee)}
    WHERE id = %(examinee)s AND status = %(admitted)s
    FOR NO KEY UPDATE
),
uses AS (
    SELECT t.id, t.number, t.language, COUNT(d.id) AS n
    FROM {table(Ticket)} t
    LEFT JOIN {table(Draw)} d ON d.ticket_id = t.id AND d.sitting_id = %(sitting)s
    WHERE t.bank_id = %(bank)s
      AND t.language = COALESCE(NULLIF((SELECT exam_language FROM examinee), ''), t.language)
    GROUP BY t.id
),
offer AS (
    SELECT id, number, language,
           CASE WHEN %(repeat)s::boolean THEN NULL ELSE n END AS round,
           ROW_NUMBER() OVER (ORDER BY number, id) - 1 AS i,
           COUNT(*) OVER () AS k
    FROM uses
    WHERE %(repeat)s::boolean OR n = (SELECT MIN(n) FROM uses)
),
pick AS (
    SELECT id, number, language, round FROM offer
    WHERE i = %(random)s %% k AND %(position)s BETWEEN 1 AND (SELECT COUNT(*) FROM uses)
),
drawn AS (
    INSERT INTO {table(Draw)} (examinee_id, sitting_id, ticket_id, round, card_position, drawn_at)
    SELECT examinee.id, %(sitting)s::bigint, pick.id, pick.round, %(position)s::integer,
           %(at)s::timestamptz
    FROM examinee, pick
    ON CONFLICT (sitting_id, ticket_id, round) WHERE round IS NOT NULL DO NOTHING
    RETURNING id, ticket_id, round
),
status AS (
    UPDATE {table(Examinee)} SET status = %(drawn)s
    WHERE id = %(examinee)s AND EXISTS (SELECT 1 FROM drawn)
    RETURNING id
)
SELECT (SELECT COUNT(*) FROM examinee), (SELECT COUNT(*) FROM pick),
       drawn.id, drawn.ticket_id, drawn.round, pick.number, pick.language,
       (SELECT ARRAY_AGG(q.text ORDER BY q.position) FROM {table(Question)} q
        WHERE q.ticket_id = drawn.ticket_id)
FROM (SELECT 1) AS one
LEFT JOIN drawn ON TRUE
LEFT JOIN pick ON pick.id = drawn.ticket_id
"""  # noqa: S608 — names from our models; values are parameters
