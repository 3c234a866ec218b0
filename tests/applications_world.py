"""Reaching the states applications start from, with the real services: an absent examinee,
a later sitting, an announced result, an appeal commission."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from attestation.applications import services as application_services
from attestation.commissions import services as commission_services
from attestation.commissions.models import Commission, Membership
from attestation.grading.services import final_set, sitting_announce
from tests.factories import CommissionFactory, MembershipFactory, SittingFactory, UserFactory
from tests.images import jpeg, sharp_page
from tests.test_grading_world import admit, make_oral


def certificate_photo(name: str = "certificate.jpg") -> SimpleUploadedFile:
    """A medical certificate, photographed."""
    return SimpleUploadedFile(name, jpeg(sharp_page(600, 800)), content_type="image/jpeg")


def next_sitting(world, *, days: int = 7, **fields):
    """A later sitting of the world's commission, same form."""
    return SittingFactory(
        commission=world.commission,
        form=fields.pop("form", world.sitting.form),
        code=fields.pop("code", f"world-next-{days}"),
        starts_at=world.sitting.starts_at + timedelta(days=days),
        **fields,
    )


def absent(world, examinee=None):
    examinee = examinee or world.examinee
    commission_services.examinee_mark_absent(examinee=examinee, actor=world.user("secretary"))
    examinee.refresh_from_db()
    return examinee


def appeal_commission(world):
    """The appeal commission of the world's SAC: `appeal_p` chairs it, `appeal_m` sits on it,
    and so does the SAC's own member `member_p` (who must not decide their examinee's appeal).
    """
    commission = CommissionFactory(code="world-appeal", kind=Commission.Kind.APPEAL)
    chair = UserFactory(username="appeal_p", full_name="Апелляция Төрағасы Қайрат")
    member = UserFactory(username="appeal_m", full_name="Апелляция Мүшесі Гүлнұр")
    MembershipFactory(commission=commission, user=chair, role=Membership.Role.CHAIR)
    MembershipFactory(commission=commission, user=member, role=Membership.Role.MEMBER)
    MembershipFactory(commission=commission, user=world.user("member"), role=Membership.Role.MEMBER)
    world.commission.appeal_commission = commission
    world.commission.save(update_fields=["appeal_commission"])
    return commission


def announced(world, score: int = 62, other_score: int = 85):
    """An oral exam where both examinees sat, were graded and the results are announced."""
    make_oral(world)
    chair = world.user("chair")
    for examinee, value in ((world.examinee, score), (world.other_examinee, other_score)):
        admit(world, examinee, draw=False)
        final_set(examinee=examinee, actor=chair, score=value)
    sitting_announce(sitting=world.sitting, actor=chair)
    world.sitting.refresh_from_db()
    world.examinee.refresh_from_db()
    return world.sitting


def appeal_decided(world, *, approve: bool, reason: str, new_score=None):
    """The world's examinee appeals and the appeal commission's chair decides."""
    commission = appeal_commission(world)
    application = application_services.application_file(
        examinee=world.examinee,
        actor=world.user("student"),
        kind="appeal",
        reason="grade",
        text="Екінші сұраққа жауабым толық бағаланбады.",
    )
    return application_services.appeal_decide(
        application=application,
        actor=commission.memberships.get(role="chair").user,
        approve=approve,
        reason=reason,
        new_score=new_score,
    )
