"""Protocol numbers (K-5): in sequence within the commission's year, no gap and no double,
also when many requests number a sitting's protocols at once (real threads on a SQLite file,
or PostgreSQL with DATABASE_URL)."""

import pytest
from django.db import transaction

from attestation.commissions.models import Sitting
from attestation.records.models import Protocol
from attestation.records.numbering import number_next
from attestation.records.services import protocols_ensure
from tests.factories import ExamineeFactory, SittingFactory
from tests.test_draw_race import run_threads

pytestmark = pytest.mark.django_db(transaction=True)


def decided(sitting: Sitting, count: int, start: int = 1) -> None:
    for n in range(start, start + count):
        ExamineeFactory(sitting=sitting, position=n, final_score=60 + n % 40, status="done")


def test_concurrent_generation_numbers_each_protocol_once_without_gaps(world):
    """Twelve requests number two sittings of one commission at the same moment."""
    from attestation.commissions.models import Examinee

    Examinee.objects.filter(sitting=world.sitting).update(final_score=70)
    decided(world.sitting, 10, start=3)
    other = SittingFactory(
        commission=world.commission, code="world-second", form=world.sitting.form
    )
    decided(other, 8)
    sittings = [world.sitting, other] * 6
    _results, errors = run_threads(lambda s: protocols_ensure(sitting=s), [(s,) for s in sittings])
    assert errors == []
    numbers = sorted(
        Protocol.objects.filter(commission=world.commission).values_list("number", flat=True)
    )
    # 12 examinees + the sitting's; 8 + the sitting's.
    assert numbers == list(range(1, 13 + 9 + 1))
    examinee_rows = Protocol.objects.filter(kind="examinee")
    assert examinee_rows.count() == examinee_rows.values("examinee").distinct().count() == 20


def test_numbers_taken_at_once_are_consecutive_and_a_rollback_leaves_no_gap(world):
    commission = world.commission

    def take(i: int) -> int | None:
        with transaction.atomic():
            number = number_next(commission.pk, commission.year)
            if i % 4 == 0:
                transaction.set_rollback(True)  # a creation that fails gives its number back
                return None
            return number

    results, errors = run_threads(take, [(i,) for i in range(12)])
    assert errors == []
    taken = sorted(n for n in results if n is not None)
    assert taken == list(range(1, 10))
    # Another year of the same commission starts at 1.
    with transaction.atomic():
        assert number_next(commission.pk, commission.year + 1) == 1
