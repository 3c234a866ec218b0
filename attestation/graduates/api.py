"""The graduates over JSON (CONTRACT.md, "The defence dossier and the graduate"; K-10,
K-11): one row per student of the commission with the GPA, the final grades, the outcome and
the diploma with honours, with the reasons when not. The chair and the registrar; 404 for
anyone else. Finals are every grade the chair has set (`announced` says which are
official): the chair decides the degree with them, as roster.py explains."""

from ninja import Router, Schema

from attestation.api.schemas import ErrorOut
from attestation.graduates.access import get_commission_for_graduates
from attestation.graduates.roster import Graduate, commission_graduates

router = Router(tags=["graduates"])


class GraduateFinalOut(Schema):
    sitting_id: int
    kind: str  # the sitting's form: written_exam | oral_exam | defense
    score: int
    letter: str
    points: float
    announced: bool


class GraduateOut(Schema):
    student_id: int
    full_name: str
    group: str
    gpa: float | None
    finals: list[GraduateFinalOut]
    outcome: str  # passed | failed | absent | postponed | pending
    honours: bool
    honours_reasons: list[str]
    honours_reason_codes: list[str]


def graduate_out(graduate: Graduate) -> dict:
    gpa = graduate.student.gpa
    return {
        "student_id": graduate.student.pk,
        "full_name": graduate.full_name,
        "group": graduate.student.group,
        "gpa": float(gpa) if gpa is not None else None,
        "finals": [
            {
                "sitting_id": a.sitting_id,
                "kind": a.form,
                "score": a.score,
                "letter": a.grade.letter,
                "points": float(a.grade.points),
                "announced": a.announced,
            }
            for a in graduate.finals
        ],
        "outcome": graduate.outcome,
        "honours": graduate.honours.eligible,
        "honours_reasons": graduate.honours.texts,
        "honours_reason_codes": [r.code for r in graduate.honours.reasons],
    }


@router.get(
    "/commissions/{commission_id}/graduates",
    response={200: list[GraduateOut], 404: ErrorOut},
)
def commission_graduates_list(request, commission_id: int):
    """The commission's graduates by name (chair, registrar): `outcome` is `passed`,
    `failed` (an unsatisfactory final grade), `absent` (no-show without a valid reason),
    `postponed` (absent for a valid reason, moved to a later sitting) or `pending`;
    `honours` with `honours_reasons` in the caller's language when not (K-10)."""
    commission = get_commission_for_graduates(request.auth, commission_id)
    return [graduate_out(g) for g in commission_graduates(commission)]
