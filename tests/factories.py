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
