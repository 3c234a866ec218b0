from datetime import UTC, timedelta

import pytest

pytestmark = pytest.mark.django_db


def test_student_sees_training_sac_schedule_in_kazakh(world, client_for):
    client = client_for(world.user("student"))
    response = client.get("/kk/training/sac/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Оқыту" in html and "МАК" in html
    assert world.sitting.title in html
    assert 'lang="kk"' in html


def test_conference_link_shows_from_30_minutes_before_an_exam(world, client_for):
    import time_machine

    client = client_for(world.user("student"))
    sitting = world.sitting
    with time_machine.travel(sitting.starts_at - timedelta(minutes=31), tick=False):
        html = client.get("/en/training/sac/").content.decode()
        assert sitting.conference_url not in html
        assert "The conference link opens at" in html
    with time_machine.travel(sitting.starts_at - timedelta(minutes=29), tick=False):
        assert sitting.conference_url in client.get("/en/training/sac/").content.decode()


def test_schedule_in_russian_uses_russian_menu(world, client_for):
    html = client_for(world.user("student")).get("/ru/training/sac/").content.decode()
    assert "Обучение" in html and "ГАК" in html


def test_student_sees_only_own_sittings(world, client_for):
    world.other_sitting.title = "Басқа бағдарламаның емтиханы"
    world.other_sitting.save()
    html = client_for(world.user("student")).get("/kk/training/sac/").content.decode()
    assert world.sitting.title in html
    assert world.other_sitting.title not in html


def test_empty_schedule_says_so(db, client_for):
    from tests.factories import StudentFactory

    student = StudentFactory()
    html = client_for(student.user).get("/en/training/sac/").content.decode()
    assert "No sittings yet" in html


def test_staff_has_no_student_schedule(world, client_for):
    assert client_for(world.user("chair")).get("/kk/training/sac/").status_code == 404


def test_calendar_export_holds_each_sitting(world, client_for):
    response = client_for(world.user("student")).get("/kk/training/sac/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1
    start = world.sitting.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))


def test_contacts_block_shows_configured_support(world, client_for, settings):
    settings.SUPPORT_EMAIL = "help@kaznu.example"
    html = client_for(world.user("student")).get("/kk/").content.decode()
    assert "help@kaznu.example" in html


def test_staff_sees_the_sittings_they_serve_in(world, client_for):
    html = client_for(world.user("secretary")).get("/kk/staff/sittings/").content.decode()
    assert world.sitting.title in html
    detail = client_for(world.user("secretary")).get(f"/kk/staff/sittings/{world.sitting.pk}/")
    assert "Абаев Әлихан" in detail.content.decode()


def test_staff_of_another_commission_gets_404(world, client_for):
    response = client_for(world.user("outsider")).get(f"/kk/staff/sittings/{world.sitting.pk}/")
    assert response.status_code == 404
