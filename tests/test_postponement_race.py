"""K-12 on a real database (a SQLite file, or PostgreSQL): the chair approves two absences at
once (two tabs) for the same date and time — one second sitting, both students in it."""

from datetime import timedelta

import pytest

from attestation.applications import services
from attestation.commissions.models import Examinee, Sitting
from tests.applications_world import absent
from tests.test_draw_race import run_threads

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_approvals_for_the_same_moment_make_one_second_sitting(world):
    applications = []
    for examinee in (world.examinee, world.other_examinee):
        absent(world, examinee)
        applications.append(
            services.application_file(
                examinee=examinee,
                actor=examinee.student.user,
                kind="absence",
                reason="illness",
                text="Ауырып қалдым.",
            )
        )
    when = world.sitting.starts_at + timedelta(days=8)
    chair = world.user("chair")
    results, errors = run_threads(
        lambda application: services.absence_decide(
            application=application,
            actor=chair,
            approve=True,
            reason="Анықтама бар",
            new_sitting_starts_at=when,
        ),
        [(application,) for application in applications],
    )
    assert errors == []
    second = Sitting.objects.get(second_of=world.sitting)
    assert {r.new_sitting_id for r in results} == {second.pk}
    assert sorted(Examinee.objects.filter(sitting=second).values_list("position", flat=True)) == [
        1,
        2,
    ]
