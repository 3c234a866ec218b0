"""The personas every permission test walks: one world, ten people (STYLE.md)."""

from dataclasses import dataclass

from attestation.accounts.models import DepartmentProgramme, User
from attestation.commissions import services
from attestation.commissions.models import Commission, Examinee, Membership, Sitting
from tests.factories import (
    CommissionFactory,
    ExamineeFactory,
    MembershipFactory,
    SittingFactory,
    StudentFactory,
    TicketBankFactory,
    TicketFactory,
    UserFactory,
    dossier_complete,
)

PERSONAS = (
    "student",
    "other_student",
    "secretary",
    "member",
    "chair",
    "deputy",
    "registrar",
    "department",
    "outsider",
    "anonymous",
)


@dataclass
class World:
    commission: Commission
    other_commission: Commission
    sitting: Sitting
    other_sitting: Sitting
    examinee: Examinee  # the student's place in `sitting`
    other_examinee: Examinee  # the other student's place in `sitting`
    foreign_examinee: Examinee  # a place in a sitting of another commission
    users: dict[str, User | None]

    def user(self, persona: str) -> User | None:
        return self.users[persona]


def build_world() -> World:
    commission = CommissionFactory(code="world-sac")
    bank = TicketBankFactory(commission=commission)
    for number in range(1, 6):
        TicketFactory(bank=bank, number=number)
    sitting = SittingFactory(commission=commission, code="world-written", ticket_bank=bank)
    chair = UserFactory(username="chair_p", full_name="Сейітқали Бекнұр")
    member = UserFactory(username="member_p", full_name="Жақсылықова Гүлжан")
    secretary = UserFactory(username="secretary_p", full_name="Тұрсынова Әйгерім")
    MembershipFactory(commission=commission, user=chair, role=Membership.Role.CHAIR)
    MembershipFactory(commission=commission, user=member, role=Membership.Role.MEMBER)
    MembershipFactory(commission=commission, user=secretary, role=Membership.Role.SECRETARY)
    # The deputy chair is a member who also acts for an absent chair (SPEC K-1).
    deputy = UserFactory(username="deputy_p", full_name="Орынбасар Дәулет")
    MembershipFactory(commission=commission, user=deputy, role=Membership.Role.MEMBER)
    MembershipFactory(commission=commission, user=deputy, role=Membership.Role.DEPUTY)
    student = StudentFactory(user=UserFactory(username="student_p", full_name="Абаев Әлихан"))
    other = StudentFactory(user=UserFactory(username="other_p", full_name="Үмбетова Ұлжан"))
    examinee = ExamineeFactory(sitting=sitting, student=student, position=1)
    other_examinee = ExamineeFactory(sitting=sitting, student=other, position=2)

    other_commission = CommissionFactory(code="world-other")
    outsider = UserFactory(username="outsider_p", full_name="Бөтен Адам")
    MembershipFactory(commission=other_commission, user=outsider, role=Membership.Role.CHAIR)
    other_sitting = SittingFactory(commission=other_commission, code="world-other-sitting")
    foreign_examinee = ExamineeFactory(sitting=other_sitting, position=1)
    registrar = UserFactory(username="registrar_p", full_name="Тіркеуші", is_registrar=True)
    registrar.is_staff = True
    registrar.save()
    # The department keeping the students' programme (SPEC K-8): dossiers of its programme's
    # defence examinees only.
    department = UserFactory(username="department_p", full_name="Кафедра Ақпараттық жүйелер")
    DepartmentProgramme.objects.create(user=department, programme=student.programme)
    # The secretary recorded at the start that the whole commission sits (K-2).
    attend_all(sitting, secretary)
    return World(
        commission=commission,
        other_commission=other_commission,
        sitting=sitting,
        other_sitting=other_sitting,
        examinee=examinee,
        other_examinee=other_examinee,
        foreign_examinee=foreign_examinee,
        users={
            "student": student.user,
            "other_student": other.user,
            "secretary": secretary,
            "member": member,
            "chair": chair,
            "deputy": deputy,
            "registrar": registrar,
            "department": department,
            "outsider": outsider,
            "anonymous": None,
        },
    )


def admit(world: World, examinee: Examinee | None = None) -> Examinee:
    """Through the real services, as on exam day: the student acknowledges the rules, the
    secretary records the identity check and admits. Returns the examinee as admitted."""
    examinee = examinee or world.examinee
    secretary = world.user("secretary")
    if examinee.sitting.form == Sitting.Form.DEFENSE:
        dossier_complete(examinee)  # K-8: a defence admits on a complete dossier
    services.rules_acknowledge(examinee=examinee, actor=examinee.student.user)
    services.examinee_identify(examinee=examinee, actor=secretary)
    return services.examinee_admit(examinee=examinee, actor=secretary)


def attend_all(sitting: Sitting, secretary: User, *, absent: tuple = ()) -> Sitting:
    """The secretary marks every member of the commission present (those in `absent`, users,
    absent): the quorum the commission's decisions need (SPEC K-2)."""
    from attestation.commissions.decision import attendance_set
    from attestation.commissions.quorum import voting_memberships

    for membership in voting_memberships(sitting.commission_id):
        attendance_set(
            sitting=sitting,
            user_id=membership.user_id,
            present=membership.user not in absent,
            actor=secretary,
        )
    return sitting
