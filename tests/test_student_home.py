"""After the exam, for the student: the home page says today's sitting and the results; the
result is labelled; the announcement leaves a notice in the cabinet, mail or not."""

from datetime import timedelta

import pytest
from django.utils import timezone

from attestation.commissions.models import Examinee
from attestation.grading import services
from attestation.notices.models import Notice
from tests.test_grading_world import admit, make_oral, second_member

pytestmark = pytest.mark.django_db


def test_home_says_todays_sitting(world, client_for):
    world.sitting.starts_at = timezone.now() + timedelta(minutes=5)
    world.sitting.save()
    html = client_for(world.user("student")).get("/en/").content.decode()
    assert "data-home-today" in html
    assert world.sitting.title in html
    assert f'href="/en/exam/{world.examinee.pk}/"' in html


def test_home_says_nothing_of_today_on_another_day(world, client_for):
    world.sitting.starts_at = timezone.now() + timedelta(days=3)
    world.sitting.save()
    html = client_for(world.user("student")).get("/en/").content.decode()
    assert "data-home-today" not in html and "data-home-results" not in html


@pytest.fixture
def announced(world, django_capture_on_commit_callbacks):
    make_oral(world)
    admit(world, world.examinee)
    admit(world, world.other_examinee)
    second_member(world)
    chair = world.user("chair")
    world.other_examinee.student.user.email = ""  # no address: the notice still comes
    world.other_examinee.student.user.save()
    services.final_set(examinee=world.examinee, actor=chair, score=73)
    services.final_set(examinee=world.other_examinee, actor=chair, score=90)
    with django_capture_on_commit_callbacks(execute=True):
        services.sitting_announce(sitting=world.sitting, actor=chair)
    return world


def test_the_result_is_labelled_on_home_and_in_the_schedule(announced, client_for):
    student = client_for(announced.user("student"))
    for path in ("/en/", "/en/training/sac/"):
        html = student.get(path).content.decode()
        result = html.split("data-result", 1)[1].split("</dl>", 1)[0]
        for label in ("Score", "Letter", "Grade points", "Grade"):
            assert f"<dt>{label}</dt>" in result
        assert "data-result-score>73<" in result and "data-result-letter>C+<" in result
    assert "data-home-results" in student.get("/en/").content.decode()


def test_the_announcement_leaves_a_notice_for_each_student(announced, client_for):
    for examinee in (announced.examinee, announced.other_examinee):
        user = Examinee.objects.get(pk=examinee.pk).student.user
        notice = Notice.objects.get(user=user)
        assert announced.sitting.title in notice.title
        assert notice.url.endswith("/training/sac/")
    page = client_for(announced.user("student")).get("/en/notices/").content.decode()
    assert announced.sitting.title in page
