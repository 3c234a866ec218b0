"""The day before (R-5.1): invitations in the student's language with the link, the time, the
rules and an .ics file; the in-app notice; the automatic run the day before, idempotent; the
secretary's connection check."""

import smtplib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from attestation.audit.models import AuditEntry
from attestation.notices.models import Notice
from tests.factories import ExamineeFactory, SittingFactory

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit must fire


ALMATY = ZoneInfo("Asia/Almaty")
RULE = "The camera shows your screen and your desk clearly."


def unfold(ics: str) -> dict:
    lines = ics.replace("\r\n ", "").split("\r\n")
    return dict(line.split(":", 1) for line in lines if ":" in line)


def send(client_for, world, persona="secretary", **data):
    return client_for(world.user(persona)).post(
        f"/en/proctoring/sittings/{world.sitting.pk}/invitations/", data
    )


def set_language(world, persona, language):
    user = world.user(persona)
    user.language = language
    user.save(update_fields=["language"])


def test_the_invitation_reaches_each_student_in_their_language(client_for, world, settings):
    settings.SITE_URL = "https://attestation.example.kz"
    set_language(world, "student", "ru")
    set_language(world, "other_student", "kk")
    assert send(client_for, world).status_code == 302
    assert len(mail.outbox) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    ru = by_to[world.user("student").email]
    kk = by_to[world.user("other_student").email]
    # The words come from the catalogues in the student's language: the rules, the link label,
    # the month name (new strings show in English until the translators add them).
    for language, message in (("ru", ru), ("kk", kk)):
        with translation.override(language):
            for words in (RULE, "Conference link", "Rules during the attestation"):
                assert gettext(words) != words, (language, words)
                assert gettext(words) in message.body
            assert str(world.sitting.form_label) in message.body
            assert (
                date_format(timezone.localtime(world.sitting.starts_at), "j E") in message.subject
            )
    assert "Абаев Әлихан" in ru.body
    assert "https://meet.example.org/room" in ru.body and "https://meet.example.org/room" in kk.body
    assert "30" in ru.body  # join 30 minutes before an exam
    assert f"https://attestation.example.kz/ru/exam/{world.examinee.pk}/" in ru.body
    assert "/kk/" in kk.body and kk.subject != ru.subject
    name, content, mimetype = ru.attachments[0]
    assert name == "attestation.ics" and mimetype.startswith("text/calendar")
    event = unfold(content)
    assert event["BEGIN"] in ("VCALENDAR", "VEVENT")
    assert event["DTSTART"] == world.sitting.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert event["URL"] == "https://meet.example.org/room"
    assert event["UID"] == f"examinee-{world.examinee.pk}@attestation.example.kz"
    world.examinee.refresh_from_db()
    assert world.examinee.invitation_sent_at is not None
    notice = Notice.objects.get(user=world.user("student"))
    assert notice.title == ru.subject and notice.read_at is None
    assert AuditEntry.objects.filter(action="sitting.invitations", actor=world.user("secretary"))


def test_the_notice_list_and_its_badge(client_for, world):
    student = world.user("student")
    student.language = "en"  # a notice is written in its reader's language
    student.save(update_fields=["language"])
    send(client_for, world)
    client = client_for(world.user("student"))
    page = client.get("/en/notices/").content.decode()
    assert "Invitation:" in page and "notice--unread" in page
    client.post("/en/notices/read/")
    assert not Notice.objects.filter(read_at__isnull=True, user=world.user("student")).exists()
    assert "notice--unread" not in client.get("/en/notices/").content.decode()
    assert client_for(world.user("other_student")).get("/en/notices/").status_code == 200


def test_only_the_secretary_sends(client_for, world):
    for persona in ("member", "chair", "student", "outsider"):
        assert send(client_for, world, persona).status_code == 404
    assert mail.outbox == []


class FlakySMTP(EmailBackend):
    failures = 0

    def send_messages(self, messages):
        if FlakySMTP.failures:
            FlakySMTP.failures -= 1
            raise smtplib.SMTPServerDisconnected("connection dropped")
        return super().send_messages(messages)


def test_a_failing_smtp_server_is_retried(client_for, world, settings):
    settings.EMAIL_BACKEND = "tests.test_invitations.FlakySMTP"
    settings.INVITATIONS_RETRY_SECONDS = 0
    FlakySMTP.failures = 2
    send(client_for, world)
    assert len(mail.outbox) == 2
    world.examinee.refresh_from_db()
    assert world.examinee.invitation_sent_at is not None


def test_the_automatic_run_sends_the_day_before_once(world, settings, time_machine):
    settings.INVITATIONS_HOUR = 10
    now = datetime(2026, 6, 9, 9, 0, tzinfo=ALMATY)
    time_machine.move_to(now, tick=False)
    tomorrow = SittingFactory(
        commission=world.commission, starts_at=datetime(2026, 6, 10, 9, 0, tzinfo=ALMATY)
    )
    later = SittingFactory(
        commission=world.commission, starts_at=datetime(2026, 6, 12, 9, 0, tzinfo=ALMATY)
    )
    invited = ExamineeFactory(sitting=tomorrow, invitation_sent_at=now - timedelta(hours=2))
    uninvited = ExamineeFactory(sitting=tomorrow)
    ExamineeFactory(sitting=later)

    call_command("send_due_invitations")  # 09:00: before the hour, nothing
    assert mail.outbox == []

    time_machine.move_to(now + timedelta(hours=1, minutes=5))
    call_command("send_due_invitations")
    assert [m.to[0] for m in mail.outbox] == [uninvited.student.user.email]
    uninvited.refresh_from_db()
    invited.refresh_from_db()
    assert uninvited.invitation_sent_at is not None
    assert invited.invitation_sent_at == now - timedelta(hours=2)

    call_command("send_due_invitations")  # run again by cron: nothing new
    assert len(mail.outbox) == 1


def test_the_checklist_records_the_connection_check(client_for, world):
    secretary = client_for(world.user("secretary"))
    page = secretary.get(f"/en/proctoring/sittings/{world.sitting.pk}/checklist/")
    assert page.status_code == 200 and "Send invitations" in page.content.decode()
    secretary.post(
        f"/en/proctoring/examinees/{world.examinee.pk}/connection/",
        {"ok": "no", "note": "Нет камеры на ноутбуке"},
    )
    world.examinee.refresh_from_db()
    assert world.examinee.connection_ok is False
    assert world.examinee.connection_note == "Нет камеры на ноутбуке"
    page = secretary.get(f"/en/proctoring/sittings/{world.sitting.pk}/checklist/").content
    assert "Нет камеры на ноутбуке" in page.decode()
    member = client_for(world.user("member"))
    assert (
        "Send invitations"
        not in member.get(f"/en/proctoring/sittings/{world.sitting.pk}/checklist/").content.decode()
    )
    url = f"/en/proctoring/examinees/{world.examinee.pk}/connection/"
    assert member.post(url, {"ok": "yes"}).status_code == 404
