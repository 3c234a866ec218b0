"""The demo commission's year so far (SPEC K-10, K-11): a written state exam three weeks
ago and a defence ten days ago, both announced, with the finals the chair set and the
graduates' GPAs. The chair's Graduates page then shows a diploma with honours, graduates
without it (the reason visible: a GPA below 3.5, a grade below C+), one whose studies end
(FX) and one absent from the defence without a valid reason; the degree protocol and the
registrar's lists have something to say. Today's students (`student01`…) are another
group: their results are pending."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from attestation.accounts.models import Student
from attestation.commissions.decision import attendance_set
from attestation.commissions.models import Examinee, Sitting

PAST_PREFIX = "demo-past-"

# username, full name, GPA, exam score, defence score (None: absent; "-": not on the list)
GRADUATES = (
    ("graduate01", "Сәрсенбаева Құралай", "3.86", 96, 93),  # with honours
    ("graduate02", "Төлеуов Нұрсұлтан", "3.41", 88, 91),  # GPA 3.41 < 3.5
    ("graduate03", "Ергөзина Іңкәр", "3.62", 68, 85),  # C below C+, no A or A-
    ("graduate04", "Оспанов Дәурен", "2.45", 44, "-"),  # FX: the studies end
    ("graduate05", "Қасымова Әсел", "3.10", 76, None),  # absent from the defence
)


def _past(now, days: int, hour: int):
    """`days` ago at `hour`, kept within the commission's (calendar) year: in its first
    weeks the history moves to the year's first hours, still before now."""
    day = timezone.localdate(now) - timedelta(days=days)
    if day.year != timezone.localdate(now).year:
        day = timezone.localdate(now).replace(month=1, day=1)
    moment = timezone.make_aware(datetime.combine(day, time(hour, 0)))
    return min(moment, now - timedelta(hours=days / 10 + 1))


def history_build(*, sac, bank, user_for, members, secretary) -> list[Sitting]:
    """The two past sittings with their examinees; `user_for(username, full_name)` makes
    the account (the demo's one password)."""
    now = timezone.now()
    exam_at, defence_at = _past(now, 21, 9), _past(now, 10, 10)
    exam = Sitting.objects.create(
        commission=sac,
        code=f"{PAST_PREFIX}exam",
        form=Sitting.Form.WRITTEN_EXAM,
        exam_kind=Sitting.ExamKind.STATE,
        title="Ақпараттық жүйелер: мемлекеттік емтихан (өткен)",
        starts_at=exam_at,
        conference_url="https://meet.example.org/demo-past-exam",
        ticket_bank=bank,
    )
    defence = Sitting.objects.create(
        commission=sac,
        code=f"{PAST_PREFIX}defense",
        form=Sitting.Form.DEFENSE,
        title="Дипломдық жұмыстарды қорғау (өткен)",
        starts_at=defence_at,
        conference_url="https://meet.example.org/demo-past-defense",
    )
    # The secretary recorded the whole commission present (K-2), then the chair announced:
    # attendance is closed after the announcement, so in that order.
    for sitting, hours in ((exam, 4), (defence, 5)):
        for user in members:
            attendance_set(sitting=sitting, user_id=user.pk, present=True, actor=secretary)
        sitting.status = Sitting.Status.ANNOUNCED
        sitting.announced_at = sitting.starts_at + timedelta(hours=hours)
        sitting.save(update_fields=["status", "announced_at"])
    done, absent = Examinee.Status.DONE, Examinee.Status.ABSENT
    exam_rows, defence_rows = [], []
    for position, (username, name, gpa, exam_score, defence_score) in enumerate(GRADUATES, 1):
        student, _ = Student.objects.update_or_create(
            user=user_for(username, name),
            defaults={"group": "ИС-22-9", "programme": sac.programme, "gpa": Decimal(gpa)},
        )
        exam_rows.append(
            Examinee(
                sitting=exam,
                student=student,
                position=position,
                status=done,
                final_score=exam_score,
                final_set_at=exam.announced_at,
            )
        )
        if defence_score != "-":
            defence_rows.append(
                Examinee(
                    sitting=defence,
                    student=student,
                    position=len(defence_rows) + 1,
                    status=done if defence_score is not None else absent,
                    final_score=defence_score,
                    final_set_at=defence.announced_at if defence_score is not None else None,
                    thesis_topic="Университеттің электрондық кітапханасына арналған іздеу жүйесі",
                    supervisor="Ахметов Ә. Қ., т.ғ.к., доцент",
                    reviewer="Бекова Ғ. С., PhD",
                )
            )
    Examinee.objects.bulk_create(exam_rows + defence_rows)
    return [exam, defence]
