"""Who the protocols name as present, recused and dissenting (K-2 … K-5): the secretary's
attendance, the recusals and the dissenting opinions, in the examinee protocol and its
signers."""

import pytest

from attestation.commissions import decision
from attestation.grading import services as grading
from attestation.records.models import Protocol
from attestation.records.services import protocol_render, protocols_ensure, signers_of
from tests.test_grading_world import admit, make_oral, second_member
from tests.test_records_api import flat, pdftotext

pytestmark = pytest.mark.django_db


def test_attendance_recusals_and_dissents_reach_the_examinee_protocol(world):
    make_oral(world)
    member2 = second_member(world)
    secretary, chair, member = world.user("secretary"), world.user("chair"), world.user("member")
    for user, present in ((chair, True), (member, True), (member2, False)):
        decision.attendance_set(
            sitting=world.sitting, user_id=user.pk, present=present, actor=secretary
        )
    admit(world, world.examinee)
    admit(world, world.other_examinee)
    decision.recusal_declare(
        examinee=world.other_examinee, actor=member, reason="Туысы: немере інісі"
    )
    grading.score_set(examinee=world.examinee, member=member, score=80)
    grading.score_set(examinee=world.examinee, member=chair, score=70)
    decision.dissent_record(
        examinee=world.examinee, member=member, text="Баға төмен: жауап толық болды."
    )
    grading.final_set(examinee=world.examinee, actor=chair, score=72)
    grading.score_set(examinee=world.other_examinee, member=chair, score=60)
    grading.final_set(examinee=world.other_examinee, actor=chair, score=60)
    protocols_ensure(sitting=world.sitting)
    first = Protocol.objects.get(kind="examinee", examinee=world.examinee)
    text = flat(pdftotext(protocol_render(first, "pdf", "kk")))
    assert flat("Жақсылықова Гүлжан: Баға төмен: жауап толық болды.") in text
    assert flat("Нұрланова Қарлығаш") not in text  # marked absent
    signers = set(signers_of(first))
    assert {chair.pk, member.pk, secretary.pk} <= signers and member2.pk not in signers
    second = Protocol.objects.get(kind="examinee", examinee=world.other_examinee)
    text = flat(pdftotext(protocol_render(second, "pdf", "kk")))
    assert flat("Жақсылықова Гүлжан: Туысы: немере інісі") in text
    # The recused member neither signs nor is named present for this examinee.
    signers = set(signers_of(second))
    assert {chair.pk, secretary.pk} <= signers and not {member.pk, member2.pk} & signers
