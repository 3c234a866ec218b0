"""A defence with dossiers to enter, from the persona world (SPEC K-8)."""

from attestation.commissions.models import Examinee, Sitting
from attestation.defense.models import Dossier, Thesis
from tests.factories import ExamineeFactory, SittingFactory, StudentFactory, dossier_complete
from tests.live_helpers import pdf_bytes, pdf_upload

PROGRAMME = "6B06101 Ақпараттық жүйелер"  # the world's students' (StudentFactory)


def defence(world) -> Sitting:
    """The world's sitting turned into a defence; nobody admitted, no dossier yet."""
    Sitting.objects.filter(pk=world.sitting.pk).update(form=Sitting.Form.DEFENSE, exam_kind="")
    world.sitting.refresh_from_db()
    for examinee in (world.examinee, world.other_examinee):
        examinee.refresh_from_db()
    return world.sitting


def identified(world, examinee: Examinee) -> Examinee:
    """The student acknowledged the rules and the secretary checked the identity."""
    from attestation.commissions import services

    services.rules_acknowledge(examinee=examinee, actor=examinee.student.user)
    services.examinee_identify(examinee=examinee, actor=world.user("secretary"))
    examinee.refresh_from_db()
    return examinee


def foreign_programme_examinee(world) -> Examinee:
    """A defence examinee of another programme, in the world's commission."""
    student = StudentFactory(programme="6B04101 Экономика")
    return ExamineeFactory(sitting=world.sitting, student=student, position=9)


def other_commission_defence(world) -> Examinee:
    """A defence of another commission, with a student of the department's programme."""
    sitting = SittingFactory(
        commission=world.other_commission, code="other-defense", form=Sitting.Form.DEFENSE
    )
    return ExamineeFactory(sitting=sitting, student=StudentFactory(programme=PROGRAMME), position=1)


__all__ = [
    "Dossier",
    "Thesis",
    "defence",
    "dossier_complete",
    "foreign_programme_examinee",
    "identified",
    "other_commission_defence",
    "pdf_bytes",
    "pdf_upload",
]
