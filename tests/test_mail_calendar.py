"""Mail and calendar files as real clients read them: absolute links in mail (SITE_URL, which
production requires), a link to the result in the result mail, and one stable calendar UID
with SEQUENCE and LAST-MODIFIED so a moved sitting updates the event instead of doubling it.
Calendar files are parsed with the icalendar package."""

import subprocess
import sys
from datetime import timedelta

import icalendar
import pytest
from django.core import mail

from attestation.commissions.models import Examinee, Sitting
from attestation.grading import services
from attestation.proctoring.invitations import _ics, invitation_send
from tests.test_grading_world import admit, make_oral

pytestmark = pytest.mark.django_db

SITE = "https://attestation.university.kz"


def events(ics: str) -> list:
    return list(icalendar.Calendar.from_ical(ics).walk("VEVENT"))


def cabinet_ics(client_for, world, host="127.0.0.1"):
    response = client_for(world.user("student")).get(
        "/kk/training/sac/calendar.ics", HTTP_HOST=host
    )
    assert response.status_code == 200
    return response.content.decode()


def test_cabinet_and_invitation_share_one_uid_whatever_the_host(world, client_for, settings):
    settings.SITE_URL = SITE
    [from_cabinet] = events(cabinet_ics(client_for, world, host="127.0.0.1"))
    [from_other_host] = events(cabinet_ics(client_for, world, host="10.0.0.5"))
    [from_invitation] = events(_ics(world.examinee))
    uid = f"examinee-{world.examinee.pk}@attestation.university.kz"
    assert str(from_cabinet["UID"]) == str(from_other_host["UID"]) == uid
    assert str(from_invitation["UID"]) == uid
    settings.CALENDAR_UID_DOMAIN = "calendar.kaznu.kz"
    [event] = events(_ics(world.examinee))
    assert str(event["UID"]) == f"examinee-{world.examinee.pk}@calendar.kaznu.kz"


def test_a_moved_sitting_gets_a_higher_sequence_and_last_modified(world, client_for):
    [before] = events(cabinet_ics(client_for, world))
    assert int(before["SEQUENCE"]) == 0
    assert "LAST-MODIFIED" not in before
    sitting = Sitting.objects.get(pk=world.sitting.pk)
    sitting.starts_at += timedelta(hours=2)
    sitting.save()
    [after] = events(cabinet_ics(client_for, world))
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) == 1
    assert after["DTSTART"].dt == sitting.starts_at.replace(microsecond=0)
    assert after["LAST-MODIFIED"].dt >= sitting.calendar_modified_at.replace(microsecond=0)
    # Saving what the event does not show changes nothing; a save with update_fields counts.
    sitting = Sitting.objects.get(pk=sitting.pk)
    sitting.grading_minutes += 10
    sitting.save()
    sitting.conference_url = "https://meet.example.org/new-room"
    sitting.save(update_fields=["conference_url"])
    sitting.refresh_from_db()
    assert sitting.calendar_sequence == 2
    [invitation] = events(_ics(Examinee.objects.get(pk=world.examinee.pk)))
    assert int(invitation["SEQUENCE"]) == 2


def test_the_invitation_links_are_absolute(world, settings):
    settings.SITE_URL = SITE
    invitation_send(examinee_id=world.examinee.pk, force=True)
    [message] = [m for m in mail.outbox if world.user("student").email in m.to]
    assert f"{SITE}/kk/exam/{world.examinee.pk}/" in message.body
    assert " /kk/" not in message.body and "\n/kk/" not in message.body


def test_the_result_mail_links_to_the_result(world, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = SITE
    make_oral(world)
    admit(world, world.examinee)
    admit(world, world.other_examinee)
    user = world.examinee.student.user
    user.language = "ru"
    user.save()
    chair = world.user("chair")
    services.final_set(examinee=world.examinee, actor=chair, score=90)
    services.final_set(examinee=world.other_examinee, actor=chair, score=70)
    with django_capture_on_commit_callbacks(execute=True):
        services.sitting_announce(sitting=world.sitting, actor=chair)
    [message] = [m for m in mail.outbox if user.email in m.to]
    assert f"{SITE}/ru/training/sac/" in message.body


@pytest.mark.parametrize(
    ("site_url", "refused"),
    [("", True), ("attestation.university.kz", True), (SITE, False)],
)
def test_production_refuses_to_start_without_site_url(site_url, refused, tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "DEBUG": "0",
        "SECRET_KEY": "x" * 60,
        "SITE_URL": site_url,
        "UNIVERSITY_NAME": "Әл-Фараби атындағы ҚазҰУ",
        "DJANGO_SETTINGS_MODULE": "attestation.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (result.returncode != 0) == refused, result.stderr
    if refused:
        assert "SITE_URL" in result.stderr
