import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from attestation.accounts.models import User
from attestation.commissions.models import Membership, Sitting

pytestmark = pytest.mark.django_db
RESERVE = "demo-written-reserve"


def test_demo_builds_the_contract_world(settings):
    settings.DEBUG = True
    call_command("demo", students=12)
    written = Sitting.objects.get(code="demo-written")
    assert written.form == "written_exam"
    assert abs((written.starts_at - timezone.now()).total_seconds()) < 120
    assert written.examinees.count() == 12
    assert written.ticket_bank.tickets.count() >= 30
    forms = set(Sitting.objects.filter(code__startswith="demo-").values_list("form", flat=True))
    assert forms == {"written_exam", "oral_exam", "defense"}
    today = timezone.localdate()
    # Today's sittings; the reserve is tomorrow, the year's past ones (demo-past-…) are the
    # graduates' history.
    current = Sitting.objects.exclude(code=RESERVE).exclude(code__startswith="demo-past-")
    assert all(timezone.localdate(s.starts_at) == today for s in current)
    roles = {(m.user.username, m.role) for m in Membership.objects.select_related("user")}
    assert {("chair", "chair"), ("member1", "member"), ("member2", "member")} <= roles
    assert ("secretary", "secretary") in roles and ("appeal1", "chair") in roles
    for username in (
        "chair",
        "member1",
        "member2",
        "secretary",
        "registrar",
        "appeal1",
        "student01",
    ):
        assert User.objects.get(username=username).check_password("demo")
    registrar = User.objects.get(username="registrar")
    assert registrar.is_registrar and registrar.is_staff
    assert registrar.groups.filter(name="registrar").exists()  # the admin shows the models


def test_demo_records_the_decision_set_up_and_attendance(settings):
    """K-1, K-2: the deputy chair, the approving order, the attendance with its quorum."""
    from attestation.commissions.models import Commission, Recusal
    from attestation.commissions.quorum import sitting_quorum

    settings.DEBUG = True
    call_command("demo", students=8)
    sac = Commission.objects.get(code="demo-sac")
    assert sac.order_number and sac.order_date
    roles = set(sac.memberships.values_list("user__username", "role"))
    assert {("deputy", "member"), ("deputy", "deputy")} <= roles
    assert User.objects.get(username="deputy").check_password("demo")
    written, oral, defense = (
        Sitting.objects.get(code=f"demo-{c}") for c in ("written", "oral", "defense")
    )
    assert sitting_quorum(written).as_dict() == {
        "present": 4,
        "required": 3,
        "met": True,
        "members": 4,
    }
    assert (sitting_quorum(oral).present, sitting_quorum(oral).required) == (3, 3)
    assert not oral.attendance.get(user__username="member2").present
    assert sitting_quorum(defense).met
    recusal = Recusal.objects.get(examinee__sitting=defense)
    assert recusal.user.username == "member1" and recusal.automatic


def test_demo_reset_rebuilds_without_duplicates(settings):
    settings.DEBUG = True
    call_command("demo", students=5)
    call_command("demo", students=5, reset=True)
    assert Sitting.objects.filter(code="demo-written").count() == 1
    assert User.objects.filter(username__startswith="student").count() == 5


def test_demo_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo")
    call_command("demo", students=2, force=True)
    assert Sitting.objects.filter(code="demo-written").exists()


@pytest.mark.parametrize("clock", ["2026-11-25 08:00", "2026-11-25 23:40", "2026-11-25 23:59"])
def test_demo_sittings_are_all_today_even_late_in_the_evening(settings, clock):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    settings.DEBUG = True
    moment = datetime.strptime(clock, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("Asia/Almaty"))
    with time_machine.travel(moment, tick=False):
        call_command("demo", students=2, reset=True)
        demo = Sitting.objects.filter(code__startswith="demo-").exclude(code=RESERVE)
        sittings = list(demo.exclude(code__startswith="demo-past-").order_by("starts_at"))
        assert [s.form for s in sittings] == ["written_exam", "oral_exam", "defense"]
        assert all(timezone.localdate(s.starts_at) == moment.date() for s in sittings)
        assert sittings[0].starts_at <= sittings[1].starts_at <= sittings[2].starts_at


@pytest.mark.parametrize("clock", ["2026-11-25 08:00", "2026-11-25 23:59"])
def test_demo_has_a_reserve_written_sitting_tomorrow_where_an_absence_goes(settings, clock):
    """CONTRACT.md: a reserve written-exam sitting of the same commission on a later day, so
    that the chair approving an absence application works out of the box (K-12)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    import time_machine

    from attestation.applications import services
    from attestation.commissions.models import Examinee
    from attestation.commissions.services import examinee_mark_absent

    settings.DEBUG = True
    moment = datetime.strptime(clock, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("Asia/Almaty"))
    with time_machine.travel(moment, tick=False):
        call_command("demo", students=3, reset=True)
        written = Sitting.objects.get(code="demo-written")
        reserve = Sitting.objects.get(code=RESERVE)
        assert (reserve.commission, reserve.form) == (written.commission, "written_exam")
        assert reserve.ticket_bank == written.ticket_bank and not reserve.examinees.exists()
        assert timezone.localdate(reserve.starts_at) == moment.date() + timedelta(days=1)
        assert services.proposed_sitting(written) == reserve
        examinee = written.examinees.get(position=1)
        examinee_mark_absent(examinee=examinee, actor=User.objects.get(username="secretary"))
        application = services.application_file(
            examinee=examinee,
            actor=examinee.student.user,
            kind="absence",
            reason="illness",
            text="Ауырып қалдым.",
        )
        services.absence_decide(
            application=application,
            actor=User.objects.get(username="chair"),
            approve=True,
            reason="Анықтама бар.",
        )
    assert Examinee.objects.get(sitting=reserve).student == examinee.student


def test_demo_has_graduates_with_and_without_honours(settings, client):
    """K-10: the year so far — an announced state exam and defence; the chair sees one
    diploma with honours and, for the others, why not."""
    from attestation.commissions.models import Commission
    from attestation.graduates.roster import commission_graduates

    settings.DEBUG = True
    call_command("demo", students=3)
    sac = Commission.objects.get(code="demo-sac")
    past = Sitting.objects.filter(code__startswith="demo-past-")
    assert past.count() == 2
    assert all(s.announced_at is not None and s.starts_at < timezone.now() for s in past)
    assert all(timezone.localdate(s.starts_at).year == sac.year for s in past)
    graduates = {g.student.user.username: g for g in commission_graduates(sac)}
    assert graduates["graduate01"].honours.eligible
    assert [r.code for r in graduates["graduate02"].honours.reasons] == ["gpa_low"]
    assert graduates["graduate04"].outcome == "failed"
    assert graduates["graduate05"].outcome == "absent"
    assert graduates["student01"].outcome == "pending"
    client.force_login(User.objects.get(username="chair"))
    page = client.get(f"/en/graduates/commissions/{sac.pk}/").content.decode()
    assert "Сәрсенбаева Құралай" in page and "GPA 3.41 &lt; 3.5." in page
    # The degree protocol is numbered; a used demo (a protocol signed) rebuilds.
    from attestation.records.models import Protocol
    from attestation.records.services import protocol_sign

    degree = Protocol.objects.get(kind="degree", sitting__code="demo-past-defense")
    protocol_sign(protocol=degree, actor=User.objects.get(username="chair"))
    call_command("demo", students=3, reset=True)
    assert Protocol.objects.filter(kind="degree", signatures__isnull=False).count() == 0


def test_demo_dossier_documents_say_what_they_are(settings, tmp_path):
    """A commission member opening the demo's review in the live defence reads a review, not a
    blank page (pdftotext, as a person's PDF reader would show it)."""
    from attestation.defense.models import Dossier
    from tests.test_records_documents import pdftotext

    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", students=8)
    dossier = Dossier.objects.filter(review__gt="").first()
    for name, words in (
        ("review", "Рецензия"),
        ("supervisor_feedback", "Ғылыми жетекшінің пікірі"),
        ("originality_report", "Түпнұсқалықты тексеру есебі"),
    ):
        with getattr(dossier, name).open("rb") as pdf:
            assert words in pdftotext(pdf.read()), name
    with dossier.examinee.thesis.pdf.open("rb") as pdf:
        text = pdftotext(pdf.read())
    assert "Диплом жұмысы" in text and text.count("\f") >= 11  # twelve pages
