"""`manage.py demo [--students N] [--reset] [--force]`: a live demo relative to *now*
(CONTRACT.md): one commission (chair, deputy chair, two members, secretary), a written exam
starting now, an oral exam and a defence later today (with its dossiers, and the department
`department` that keeps them), a reserve written-exam sitting
tomorrow (for those absent for a valid reason), a ticket bank of 30 tickets and an
appeal commission; and the commission's year so far (demo/history.py): an announced state
exam and defence with the graduates `graduate01`… (one with honours). Every password is
`demo`."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from attestation.accounts.models import DepartmentProgramme, Student, User
from attestation.audit.services import log_action
from attestation.commissions.decision import attendance_set, supervisor_recusals_sync
from attestation.commissions.models import Commission, Examinee, Membership, Sitting
from attestation.demo import data as demo_data
from attestation.demo.dossiers import demo_dossiers
from attestation.demo.history import history_build
from attestation.records.models import Protocol, ProtocolCounter, Signature
from attestation.records.services import protocols_ensure
from attestation.tickets.models import Question, Ticket, TicketBank

DEMO_PREFIX = "demo-"


class Command(BaseCommand):
    help = "Build the live demo relative to now (CONTRACT.md)."

    def add_arguments(self, parser):
        parser.add_argument("--students", type=int, default=30)
        parser.add_argument("--reset", action="store_true", help="Rebuild even if built today.")
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, students: int, reset: bool, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: the demo would add known passwords. Use --force.")
        if students < 1 or students > 5000:
            raise CommandError("--students must be between 1 and 5000.")
        now = timezone.now()
        existing = Sitting.objects.filter(code=f"{DEMO_PREFIX}written").first()
        if (
            existing
            and not reset
            and timezone.localdate(existing.starts_at) == timezone.localdate(now)
            and existing.examinees.count() == students
        ):
            self.stdout.write("The demo was built today; --reset rebuilds it.")
            return
        with transaction.atomic():
            self._wipe()
            self._build(now, students)
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {students} students, password 'demo'."))

    def _wipe(self):
        sittings = Sitting.objects.filter(code__startswith=DEMO_PREFIX)
        # Protocols protect their sittings, examinees and applications: a demo that was used
        # (protocols numbered, signed) is rebuilt too. Their counters start again.
        protocols = Protocol.objects.filter(sitting__in=sittings)
        protocols.update(amends=None)
        Signature.objects.filter(protocol__in=protocols).delete()
        protocols.delete()
        ProtocolCounter.objects.filter(commission__code__startswith=DEMO_PREFIX).delete()
        for sitting in sittings:
            sitting.draws.all().delete()
        Examinee.objects.filter(sitting__in=sittings).delete()
        sittings.delete()
        TicketBank.objects.filter(code__startswith=DEMO_PREFIX).delete()
        Commission.objects.filter(code__startswith=DEMO_PREFIX).delete()

    def _user(self, username, full_name, password, **extra) -> User:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "full_name": full_name,
                "password": password,
                "email": f"{username}@university.example",
                **extra,
            },
        )
        return user

    def _build(self, now, count: int):
        # One hash for every account: hashing `demo` a thousand times would take minutes.
        password = make_password("demo")
        chair = self._user("chair", "Сейітқали Бекнұр Маратұлы", password)
        member1 = self._user("member1", "Жақсылықова Гүлжан Әбдірахманқызы", password)
        member2 = self._user("member2", "Омаров Ерғали Төлегенұлы", password)
        # The deputy chair (SPEC K-1): a member who acts for the chair when the chair is absent.
        deputy = self._user("deputy", "Бекова Динара Асқарқызы", password)
        secretary = self._user("secretary", "Тұрсынова Әйгерім Серікқызы", password)
        self._user("registrar", "Тіркеуші кеңсе", password, is_registrar=True, is_staff=True)
        appeal1 = self._user("appeal1", "Қалиев Нұрлан Оразұлы", password)
        appeal2 = self._user("appeal2", "Мұхамеджанова Сәуле Қайратқызы", password)

        year = timezone.localdate(now).year
        sac = Commission.objects.create(
            code=f"{DEMO_PREFIX}sac",
            title="6B06101 Ақпараттық жүйелер — МАК",
            programme="6B06101 Ақпараттық жүйелер",
            year=year,
            # K-1: the composition approved by an order (the chair is external: not an
            # employee of the university).
            order_number="112-НҚ",
            order_date=timezone.localdate(now) - timedelta(days=30),
        )
        for user, role in (
            (chair, Membership.Role.CHAIR),
            (member1, Membership.Role.MEMBER),
            (member2, Membership.Role.MEMBER),
            (deputy, Membership.Role.MEMBER),
            (deputy, Membership.Role.DEPUTY),
            (secretary, Membership.Role.SECRETARY),
        ):
            Membership.objects.create(commission=sac, user=user, role=role)
        appeal = Commission.objects.create(
            code=f"{DEMO_PREFIX}appeal",
            title="Апелляциялық комиссия",
            kind=Commission.Kind.APPEAL,
            programme=sac.programme,
            year=year,
        )
        sac.appeal_commission = appeal
        sac.save(update_fields=["appeal_commission"])
        Membership.objects.create(commission=appeal, user=appeal1, role=Membership.Role.CHAIR)
        Membership.objects.create(commission=appeal, user=appeal2, role=Membership.Role.MEMBER)

        bank = TicketBank.objects.create(
            code=f"{DEMO_PREFIX}bank",
            title="Ақпараттық жүйелер — мемлекеттік емтихан",
            commission=sac,
        )
        topics = demo_data.TOPICS
        for number in range(1, 31):
            ticket = Ticket.objects.create(bank=bank, number=number, language="kk")
            Question.objects.bulk_create(
                Question(
                    ticket=ticket,
                    position=position,
                    text=form.format(topic=topics[(number + position * 3) % len(topics)]),
                )
                for position, form in enumerate(demo_data.QUESTION_FORMS, start=1)
            )

        start = now.replace(second=0, microsecond=0)
        # "Later today" even late in the evening: the oral exam and the defence share what is
        # left of the day (three hours on, at most).
        midnight = timezone.make_aware(
            datetime.combine(timezone.localdate(now) + timedelta(days=1), time(0, 0))
        )
        left = midnight - start
        oral_at = start + min(timedelta(hours=3), left * 0.4)
        defense_at = start + min(timedelta(hours=3, minutes=30), left * 0.8)
        written = Sitting.objects.create(
            commission=sac,
            code=f"{DEMO_PREFIX}written",
            form=Sitting.Form.WRITTEN_EXAM,
            exam_kind=Sitting.ExamKind.STATE,
            title="Ақпараттық жүйелер: деректер қоры, желілер, бағдарламалау",
            starts_at=start,
            conference_url="https://meet.example.org/demo-written",
            ticket_bank=bank,
        )
        oral = Sitting.objects.create(
            commission=sac,
            code=f"{DEMO_PREFIX}oral",
            form=Sitting.Form.ORAL_EXAM,
            exam_kind=Sitting.ExamKind.COMPLEX,
            title="Кешенді емтихан: ақпараттық қауіпсіздік, веб-технологиялар",
            starts_at=oral_at,
            conference_url="https://meet.example.org/demo-oral",
            ticket_bank=bank,
        )
        defense = Sitting.objects.create(
            commission=sac,
            code=f"{DEMO_PREFIX}defense",
            form=Sitting.Form.DEFENSE,
            title="Дипломдық жұмыстарды қорғау",
            starts_at=defense_at,
            conference_url="https://meet.example.org/demo-defense",
        )
        # A reserve written-exam sitting tomorrow morning (CONTRACT.md): where the chair moves
        # a student absent for a valid reason (K-12), so approving works out of the box.
        tomorrow = timezone.make_aware(
            datetime.combine(timezone.localdate(now) + timedelta(days=1), time(10, 0))
        )
        Sitting.objects.create(
            commission=sac,
            code=f"{DEMO_PREFIX}written-reserve",
            form=Sitting.Form.WRITTEN_EXAM,
            exam_kind=Sitting.ExamKind.STATE,
            title=written.title,
            starts_at=tomorrow,
            conference_url="https://meet.example.org/demo-written-reserve",
            ticket_bank=bank,
            second_of=written,
        )

        students = []
        names = demo_data.FIRST_NAMES
        for i in range(1, count + 1):
            first = names[(i - 1) % len(names)]
            male, female = demo_data.SURNAMES[(i * 7) % len(demo_data.SURNAMES)]
            surname = female if first in demo_data.FEMALE else male
            user = self._user(f"student{i:02d}", f"{surname} {first}", password)
            student, _ = Student.objects.update_or_create(
                user=user,
                defaults={
                    "group": f"ИС-22-{1 + (i - 1) // 25}",
                    "programme": sac.programme,
                    "id_document_number": f"0{40000000 + i * 7919}",
                },
            )
            students.append(student)
        Examinee.objects.bulk_create(
            Examinee(sitting=written, student=s, position=i) for i, s in enumerate(students, 1)
        )
        Examinee.objects.bulk_create(
            Examinee(sitting=oral, student=s, position=i) for i, s in enumerate(students[:10], 1)
        )
        theses = demo_data.THESES
        Examinee.objects.bulk_create(
            Examinee(
                sitting=defense,
                student=s,
                position=i,
                thesis_topic=theses[(i - 1) % len(theses)],
                # The first thesis was supervised by member1, who sits on the SAC: recused
                # from it automatically (K-3).
                supervisor=(
                    "Жақсылықова Г. Ә., т.ғ.к., доцент"
                    if i == 1
                    else "Ахметов Ә. Қ., т.ғ.к., доцент"
                ),
                reviewer="Бекова Ғ. С., PhD",
            )
            for i, s in enumerate(students[:6], 1)
        )
        # K-2: the secretary recorded the attendance — the whole commission at the written exam
        # (it starts now) and at the defence; member2 is absent at the oral exam, which shows
        # the quorum line (3 of 4 present, quorum 3).
        for sitting, away in ((written, ()), (oral, (member2,)), (defense, ())):
            for user in (chair, member1, member2, deputy):
                attendance_set(
                    sitting=sitting, user_id=user.pk, present=user not in away, actor=secretary
                )
        supervisor_recusals_sync(sitting=defense)
        # K-8: the department of the programme keeps the defence dossiers.
        department = self._user("department", "Кафедра ақпараттық жүйелер", password)
        DepartmentProgramme.objects.get_or_create(user=department, programme=sac.programme)
        demo_dossiers(defense.examinees.order_by("position"), department=department)
        # The year so far: graduates with and without honours (K-10), numbered protocols.
        for past in history_build(
            sac=sac,
            bank=bank,
            user_for=lambda username, name: self._user(username, name, password),
            members=(chair, member1, member2, deputy),
            secretary=secretary,
        ):
            protocols_ensure(sitting=past)
        log_action(actor=None, action="demo.build", target=written, data={"students": count})
