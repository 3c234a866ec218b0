"""Signing the chair's report from several requests at once (a double click, two tabs): real
threads on a SQLite file (or PostgreSQL with DATABASE_URL). One copy, numbered 1, never a
crash or a second number for the same report."""

import pytest

from attestation.core.errors import DomainError
from attestation.records.models import ChairReportCopy
from attestation.records.services import chair_report_sign
from tests.test_chair_report import results  # noqa: F401 (the fixture)
from tests.test_draw_race import run_threads

pytestmark = pytest.mark.django_db(transaction=True)


def test_four_signatures_at_once_make_one_copy(results, settings):  # noqa: F811
    settings.NCANODE_URL = ""
    chair = results.user("chair")
    outcomes, errors = run_threads(
        lambda: chair_report_sign(commission=results.commission, actor=chair, language="kk"),
        [()] * 4,
    )
    # A request that lost the race is told to reload (409); nothing else may fail.
    assert all(isinstance(e, DomainError) and e.code == "conflict" for e in errors), errors
    assert list(ChairReportCopy.objects.values_list("number", flat=True)) == [1]
    created = [o for o in outcomes if o is not None and o[1]]
    assert len(created) == 1
