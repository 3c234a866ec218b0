"""Factories for the attestation world. Tests build what they need from these, not by hand."""

from datetime import timedelta

import factory
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from attestation.accounts.models import Student, User
from attestation.commissions.models import Commission, Examinee, Membership, Sitting
from attestation.tickets.models import Question, Ticket, TicketBank

# Hash once: PBKDF2 per user would make the suite slow for nothing.
PASSWORD = "demo-pass-1"
PASSWORD_HASH = make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"Әлиев Құрманғазы {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@university.example")
    password = PASSWORD_HASH


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    user = factory.SubFactory(UserFactory)
    group = "ИС-22-1"
    programme = "6B06101 Ақпараттық жүйелер"


class CommissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commission

    code = factory.Sequence(lambda n: f"sac-{n}")
    title = factory.Sequence(lambda n: f"Ақпараттық жүйелер МАК {n}")
    year = 2026


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    commission = factory.SubFactory(CommissionFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER


class TicketBankFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TicketBank

    code = factory.Sequence(lambda n: f"bank-{n}")
    title = factory.Sequence(lambda n: f"Билеттер банкі {n}")


class TicketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ticket
        skip_postgeneration_save = True

    bank = factory.SubFactory(TicketBankFactory)
    number = factory.Sequence(lambda n: n + 1)

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        texts = extracted or [f"Сұрақ {self.number}.{i}: деректер қоры" for i in (1, 2, 3)]
        for position, text in enumerate(texts, start=1):
            Question.objects.create(ticket=self, position=position, text=text)


class SittingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sitting

    commission = factory.SubFactory(CommissionFactory)
    code = factory.Sequence(lambda n: f"sitting-{n}")
    form = Sitting.Form.WRITTEN_EXAM
    exam_kind = Sitting.ExamKind.STATE
    title = "Мемлекеттік емтихан: ақпараттық жүйелер"
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=1))
    conference_url = "https://meet.example.org/room"


class ExamineeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Examinee

    sitting = factory.SubFactory(SittingFactory)
    student = factory.SubFactory(StudentFactory)
    position = factory.Sequence(lambda n: n + 1)


def _pdf() -> bytes:
    from io import BytesIO

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def dossier_complete(examinee: Examinee, **fields):
    """Give a defence examinee what admission needs (SPEC K-8): the thesis and a complete
    dossier under the thresholds, written straight to the database (the services are tested
    in test_dossier*). `fields` override the dossier's values."""
    import hashlib

    from django.core.files.base import ContentFile

    from attestation.defense.models import Dossier, Thesis

    data = _pdf()
    thesis = Thesis.objects.filter(examinee=examinee).first()
    if thesis is None:
        thesis = Thesis(examinee=examinee, sha256=hashlib.sha256(data).hexdigest(), pages=1)
        thesis.pdf.save("thesis.pdf", ContentFile(data), save=False)
        thesis.save()
    Examinee.objects.filter(pk=examinee.pk, thesis_topic="").update(
        thesis_topic="Ақпараттық жүйелердегі қауіпсіздік"
    )
    Examinee.objects.filter(pk=examinee.pk, supervisor="").update(supervisor="Оспанов Д.")
    Examinee.objects.filter(pk=examinee.pk, reviewer="").update(reviewer="Ким А.")
    examinee.refresh_from_db()
    dossier = Dossier.objects.filter(examinee=examinee).first() or Dossier(examinee=examinee)
    values = {
        "title_ru": "Безопасность информационных систем",
        "title_en": "Security of information systems",
        "reviewer_organisation": "ҚазҰТЗУ",
        "reviewer_grade": 88,
        "originality_system": Dossier.System.STRIKE,
        "similarity_1": 12,
        "similarity_2": 1,
    } | fields
    for name, value in values.items():
        setattr(dossier, name, value)
    for name in ("supervisor_feedback", "review", "originality_report"):
        if not getattr(dossier, name):
            getattr(dossier, name).save(f"{name}.pdf", ContentFile(data), save=False)
    dossier.save()
    return dossier
