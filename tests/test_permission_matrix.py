"""Every URL of the pages and the API × every persona (STYLE.md). A URL that is not in the
matrix fails `test_every_url_is_in_the_matrix`: a new page must say who may open it.
Out-of-scope objects answer 404, never 403, so that their existence does not leak."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from attestation.api.urls import api as ninja_api
from attestation.commissions import services
from attestation.tickets.services import ticket_draw
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

SIGNED_IN = [p for p in PERSONAS if p != "anonymous"]
COMMISSION = ("secretary", "member", "chair")


@dataclass
class Entry:
    url: Callable  # world → path
    expect: dict[str, int]
    method: str = "get"
    data: dict | Callable = field(default_factory=dict)  # or world → dict


def allow(default: int = 404, anonymous: int = 302, **personas: int) -> dict[str, int]:
    expected = {p: default for p in SIGNED_IN} | {"anonymous": anonymous} | personas
    # The deputy chair is a member of the commission (SPEC K-1): a member's answer unless
    # the entry says otherwise (acting for the chair).
    if "deputy" not in personas:
        expected["deputy"] = expected["member"]
    return expected


def api(default: int = 404, **personas: int) -> dict[str, int]:
    return allow(default, 401, **personas)


everyone = allow(200)


def _job():
    from attestation.imports.models import ImportJob

    return ImportJob.objects.get_or_create(kind="students", original_name="students.xlsx")[0]


def _phone_token(w) -> str:
    from attestation.answers.services import upload_link_create

    return upload_link_create(examinee=w.examinee, actor=w.user("student"))[1]


def _incident(w):
    """An incident with an evidence file on the student's examinee."""
    from django.core.files.base import ContentFile

    from attestation.proctoring.models import Incident

    incident = Incident.objects.filter(examinee=w.examinee, evidence__gt="").first()
    if incident is None:
        incident = Incident(examinee=w.examinee, category="other", recorded_by=w.user("member"))
        incident.evidence.save("m.pdf", ContentFile(b"%PDF-1.4 x"), save=False)
        incident.save()
    return incident


def _application(w):
    from attestation.applications.models import Application

    return Application.objects.get_or_create(
        examinee=w.examinee, kind="absence", defaults={"reason": "illness", "text": "x"}
    )[0]


def _protocol(w):
    """The sitting's own protocol (numbered on first sight), a draft: the world is not
    announced."""
    from attestation.records.services import protocols_ensure

    return next(p for p in protocols_ensure(sitting=w.sitting) if p.kind == "sitting")


def _evidence(w):
    from django.core.files.base import ContentFile

    from attestation.applications.models import Evidence

    item = Evidence.objects.filter(application=_application(w)).first()
    if item is None:
        item = Evidence(application=_application(w), name="c.pdf", sha256="0" * 64)
        item.file.save("applications/matrix/evidence.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
        item.save()
    return item


def _report_copy(w):
    """A signed copy of the chair's report (the world has no announced result to sign, so
    the row is made directly)."""
    from attestation.records.models import ChairReport, ChairReportCopy

    report = ChairReport.objects.get_or_create(commission=w.commission)[0]
    return ChairReportCopy.objects.get_or_create(
        report=report,
        number=1,
        defaults={
            "language": "kk",
            "signed_by": w.user("chair"),
            "pdf": b"%PDF-1.4\n",
            "docx": b"PK",
            "sha256": "0" * 64,
            "docx_sha256": "1" * 64,
            "content_sha256": "2" * 64,
        },
    )[0]


def _defense_examinee(w):
    """The student's place in a defence of the same commission, with a complete dossier
    (SPEC K-8): the world's own sitting is a written exam."""
    from attestation.commissions.models import Examinee, Sitting
    from tests.factories import SittingFactory, dossier_complete

    examinee = Examinee.objects.filter(
        sitting__code="world-defense", student=w.examinee.student
    ).first()
    if examinee is None:
        sitting = SittingFactory(
            commission=w.commission, code="world-defense", form=Sitting.Form.DEFENSE
        )
        examinee = Examinee.objects.create(sitting=sitting, student=w.examinee.student, position=1)
        dossier_complete(examinee)
    return examinee


STAFF_302 = dict.fromkeys(COMMISSION, 302)
# The dossier's readers (K-8): the commission, the department of the programme, the student.
DOSSIER_READERS = dict.fromkeys((*COMMISSION, "department", "student"), 200)


# Pages: route name → entry. Paths are Kazakh (the default language).


PAGES: dict[str, Entry] = {
    "root": Entry(lambda w: "/", allow(302, 302)),
    "healthz": Entry(lambda w: "/healthz", allow(200, 200)),
    "set_language": Entry(lambda w: "/i18n/setlang/", allow(302, 302), "post", {"language": "ru"}),
    "accounts:login": Entry(lambda w: "/kk/accounts/login/", allow(302, 200)),
    "accounts:logout": Entry(lambda w: "/kk/accounts/logout/", allow(302, 302), "post"),
    "accounts:password_change": Entry(lambda w: "/kk/accounts/password/", everyone),
    "cabinet:home": Entry(lambda w: "/kk/", everyone),
    "cabinet:sac": Entry(lambda w: "/kk/training/sac/", allow(student=200, other_student=200)),
    "cabinet:sac_calendar": Entry(
        lambda w: "/kk/training/sac/calendar.ics", allow(student=200, other_student=200)
    ),
    "cabinet:exam_room": Entry(lambda w: f"/kk/exam/{w.examinee.pk}/", allow(student=200)),
    "cabinet:exam_entry": Entry(lambda w: f"/kk/exam/{w.examinee.pk}/entry/", allow(student=200)),
    "cabinet:exam_state": Entry(lambda w: f"/kk/exam/{w.examinee.pk}/state/", allow(student=200)),
    "cabinet:exam_rules": Entry(
        lambda w: f"/kk/exam/{w.other_examinee.pk}/rules/", allow(other_student=302), "post"
    ),
    "cabinet:exam_draw": Entry(lambda w: f"/kk/exam/{w.examinee.pk}/draw/", allow(student=302)),
    "cabinet:exam_ticket": Entry(lambda w: f"/kk/exam/{w.examinee.pk}/ticket/", allow(student=200)),
    "console:sittings": Entry(lambda w: "/kk/staff/sittings/", everyone),
    "console:sitting": Entry(
        lambda w: f"/kk/staff/sittings/{w.sitting.pk}/", allow(**dict.fromkeys(COMMISSION, 200))
    ),
    "console:sitting_live": Entry(
        lambda w: f"/kk/staff/sittings/{w.sitting.pk}/live/",
        allow(**dict.fromkeys(COMMISSION, 200)),
    ),
    "console:attendance": Entry(
        lambda w: f"/kk/staff/sittings/{w.sitting.pk}/attendance/",
        allow(**dict.fromkeys(COMMISSION, 200)),
    ),
    "console:attendance_mark": Entry(
        lambda w: f"/kk/staff/sittings/{w.sitting.pk}/attendance/mark/",
        allow(secretary=302),
        "post",
        lambda w: {"user_id": w.user("member").pk, "present": "0"},
    ),
    "console:examinee_action": Entry(
        lambda w: f"/kk/staff/examinees/{w.other_examinee.pk}/identify/",
        allow(secretary=302),
        "post",
    ),
    "console:examinee": Entry(
        lambda w: f"/kk/staff/examinees/{w.examinee.pk}/", allow(**dict.fromkeys(COMMISSION, 200))
    ),
    "console:examinee_extend": Entry(
        lambda w: f"/kk/staff/examinees/{w.examinee.pk}/extend/",
        allow(secretary=302),
        "post",
        {"minutes": "10", "reason": "camera failed"},
    ),
    # Accommodations (SPEC K-14): extra time by the secretary or the chair, the exam language
    # by the secretary (the other student has not drawn: the language may still change).
    "console:examinee_extra_time": Entry(
        lambda w: f"/kk/staff/examinees/{w.examinee.pk}/extra-time/",
        allow(secretary=302, chair=302),
        "post",
        {"minutes": "10", "reason": "medical certificate"},
    ),
    "console:examinee_language": Entry(
        lambda w: f"/kk/staff/examinees/{w.other_examinee.pk}/exam-language/",
        allow(secretary=302),
        "post",
        {"language": "ru"},
    ),
    "console:examinee_reopen": Entry(
        lambda w: f"/kk/staff/examinees/{w.examinee.pk}/reopen/",
        allow(secretary=302),
        "post",
        {"reason": "wrong page"},
    ),
    "grading:console": Entry(
        lambda w: f"/kk/grading/sittings/{w.sitting.pk}/", allow(**dict.fromkeys(COMMISSION, 200))
    ),
    "grading:examinee": Entry(
        lambda w: f"/kk/grading/examinees/{w.examinee.pk}/", allow(**dict.fromkeys(COMMISSION, 200))
    ),
    "grading:score": Entry(
        lambda w: f"/kk/grading/examinees/{w.examinee.pk}/score/",
        allow(member=302, chair=302),
        "post",
        {"score": "80"},
    ),
    "grading:final": Entry(
        lambda w: f"/kk/grading/examinees/{w.examinee.pk}/final/",
        allow(chair=302, deputy=302),
        "post",
        {"score": "80"},
    ),
    "grading:recusal": Entry(
        lambda w: f"/kk/grading/examinees/{w.examinee.pk}/recusal/",
        allow(member=302, chair=302),
        "post",
        {"reason": "I supervised this thesis"},
    ),
    "grading:dissent": Entry(
        lambda w: f"/kk/grading/examinees/{w.examinee.pk}/dissent/",
        allow(member=302),
        "post",
        {"text": "The answer deserved more."},
    ),
    "grading:announce": Entry(
        lambda w: f"/kk/grading/sittings/{w.sitting.pk}/announce/",
        allow(chair=302, deputy=302),
        "post",
    ),
    "grading:announce_time": Entry(
        lambda w: f"/kk/grading/sittings/{w.sitting.pk}/announce-time/",
        allow(chair=302, secretary=302),
        "post",
        lambda w: {
            "announce_at": timezone.localtime(w.sitting.starts_at).strftime("%Y-%m-%dT%H:%M")
        },
    ),
    "grading:results": Entry(
        lambda w: f"/kk/grading/sittings/{w.sitting.pk}/results/",
        allow(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    "grading:results_xlsx": Entry(
        lambda w: f"/kk/grading/sittings/{w.sitting.pk}/results.xlsx",
        allow(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    "grading:commission_results": Entry(
        lambda w: f"/kk/grading/commissions/{w.commission.pk}/results/",
        allow(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    "audit:log": Entry(lambda w: "/kk/registrar/audit/", allow(registrar=200)),
    "imports:home": Entry(lambda w: "/kk/registrar/", allow(registrar=200)),
    "imports:upload": Entry(
        lambda w: "/kk/registrar/import/students/", allow(registrar=400), "post"
    ),
    "imports:template": Entry(
        lambda w: "/kk/registrar/templates/students.xlsx", allow(registrar=200)
    ),
    "imports:job": Entry(lambda w: f"/kk/registrar/imports/{_job().pk}/", allow(registrar=200)),
    "imports:job_status": Entry(
        lambda w: f"/kk/registrar/imports/{_job().pk}/status/", allow(registrar=200)
    ),
    "answers:student": Entry(lambda w: f"/kk/answers/{w.examinee.pk}/", allow(student=200)),
    # No PDF and no page exist in the drawn world: 404 for all; the access rules with real
    # files are tested in test_answers_api.
    "answers:pdf": Entry(lambda w: f"/kk/answers/{w.examinee.pk}/answer.pdf", allow()),
    "answers:page_image": Entry(lambda w: "/kk/answers/page/999999/", allow()),
    # The phone's link is the key: anyone holding it, signed in or not.
    "answers:phone": Entry(lambda w: f"/kk/answers/phone/{_phone_token(w)}/", allow(200, 200)),
    "answers:phone_page_image": Entry(
        lambda w: f"/kk/answers/phone/{_phone_token(w)}/page/999999/", allow(404, 404)
    ),
    "proctoring:prepare": Entry(lambda w: "/kk/proctoring/prepare/", everyone),
    "proctoring:self_check": Entry(lambda w: "/kk/proctoring/self-check/", everyone),
    "proctoring:probe": Entry(lambda w: "/kk/proctoring/self-check/probe/", everyone),
    "proctoring:heartbeat": Entry(
        lambda w: f"/kk/proctoring/exam/{w.examinee.pk}/heartbeat/", allow(student=200), "post"
    ),
    "proctoring:incident_create": Entry(
        lambda w: f"/kk/proctoring/examinees/{w.examinee.pk}/incidents/",
        allow(**STAFF_302),
        "post",
        {"category": "other"},
    ),
    "proctoring:incident_decide": Entry(
        lambda w: f"/kk/proctoring/incidents/{_incident(w).pk}/decision/",
        allow(secretary=302, chair=302),
        "post",
        {"decision": "warning", "reason": "x"},
    ),
    "proctoring:evidence": Entry(
        lambda w: f"/kk/proctoring/incidents/{_incident(w).pk}/evidence/",
        allow(**dict.fromkeys(COMMISSION, 200)),
    ),
    "proctoring:checklist": Entry(
        lambda w: f"/kk/proctoring/sittings/{w.sitting.pk}/checklist/",
        allow(**dict.fromkeys(COMMISSION, 200)),
    ),
    "proctoring:invitations_send": Entry(
        lambda w: f"/kk/proctoring/sittings/{w.sitting.pk}/invitations/",
        allow(secretary=302),
        "post",
    ),
    "proctoring:connection_check": Entry(
        lambda w: f"/kk/proctoring/examinees/{w.other_examinee.pk}/connection/",
        allow(secretary=302),
        "post",
        {"ok": "yes"},
    ),
    "notices:list": Entry(lambda w: "/kk/notices/", everyone),
    "notices:read": Entry(lambda w: "/kk/notices/read/", allow(302), "post"),
    # The matrix world's sitting is a written exam: the live queue and the defence pages do
    # not exist for it (404); their access rules for oral exams and defences are tested in
    # test_live_queue and test_defense_services.
    "live:sitting": Entry(lambda w: f"/kk/live/sittings/{w.sitting.pk}/", allow()),
    "live:sitting_live": Entry(lambda w: f"/kk/live/sittings/{w.sitting.pk}/live/", allow()),
    "live:call_next": Entry(lambda w: f"/kk/live/sittings/{w.sitting.pk}/next/", allow(), "post"),
    "live:finish": Entry(
        lambda w: f"/kk/live/examinees/{w.examinee.pk}/finish/", allow(**STAFF_302), "post"
    ),
    "live:score": Entry(
        lambda w: f"/kk/live/examinees/{w.examinee.pk}/score/",
        allow(member=302, chair=302),
        "post",
        {"score": "80"},
    ),
    "live:student_live": Entry(lambda w: f"/kk/live/me/{w.examinee.pk}/", allow()),
    "defense:thesis": Entry(lambda w: f"/kk/defense/examinees/{w.examinee.pk}/thesis/", allow()),
    "defense:thesis_pdf": Entry(
        lambda w: f"/kk/defense/examinees/{w.examinee.pk}/thesis.pdf", allow()
    ),
    "defense:dossier": Entry(
        lambda w: f"/kk/defense/examinees/{_defense_examinee(w).pk}/dossier/",
        allow(**DOSSIER_READERS),
    ),
    "defense:dossier_file": Entry(
        lambda w: f"/kk/defense/examinees/{_defense_examinee(w).pk}/dossier/review.pdf",
        allow(**DOSSIER_READERS),
    ),
    "defense:department": Entry(lambda w: "/kk/defense/department/", allow(department=200)),
    "defense:staff_upload": Entry(
        lambda w: f"/kk/defense/examinees/{w.examinee.pk}/upload/thesis/",
        allow(**STAFF_302),
        "post",
    ),
    "defense:question_post": Entry(
        lambda w: f"/kk/defense/examinees/{w.examinee.pk}/questions/",
        allow(**STAFF_302),
        "post",
        {"text": "Why?"},
    ),
    "defense:interrupt": Entry(
        lambda w: f"/kk/defense/examinees/{w.examinee.pk}/interruption/",
        allow(student=302, **STAFF_302),
        "post",
    ),
    "defense:question_answer": Entry(
        lambda w: "/kk/defense/questions/999999/answer/", allow(), "post", {"answer": "x"}
    ),
    "defense:resolve": Entry(
        lambda w: "/kk/defense/interruptions/999999/decision/", allow(), "post"
    ),
    "applications:mine": Entry(
        lambda w: "/kk/applications/", allow(student=200, other_student=200)
    ),
    "applications:new": Entry(
        lambda w: f"/kk/applications/new/{w.examinee.pk}/", allow(student=200)
    ),
    "applications:queue": Entry(lambda w: "/kk/applications/review/", everyone),
    "applications:detail": Entry(
        lambda w: f"/kk/applications/{_application(w).pk}/", allow(student=200, chair=200)
    ),
    "applications:decide": Entry(
        lambda w: f"/kk/applications/{_application(w).pk}/decide/",
        allow(chair=302),
        "post",
        {"decision": "reject", "reason": "x"},
    ),
    "applications:second_sitting": Entry(
        lambda w: f"/kk/applications/{_application(w).pk}/second-sitting/",
        allow(chair=302),
        "post",
        {"starts_at": ""},
    ),
    "applications:answer_page": Entry(
        lambda w: f"/kk/applications/{_application(w).pk}/pages/1/", allow()
    ),
    "applications:answer_pdf": Entry(
        lambda w: f"/kk/applications/{_application(w).pk}/answer.pdf", allow()
    ),
    "applications:sitting_protocol": Entry(
        lambda w: f"/kk/applications/{_application(w).pk}/protocol.pdf", allow(chair=200)
    ),
    "applications:appeal_protocol_pdf": Entry(
        lambda w: f"/kk/applications/{_application(w).pk}/appeal-protocol.pdf", allow()
    ),
    "applications:appeal_protocol_docx": Entry(
        lambda w: f"/kk/applications/{_application(w).pk}/appeal-protocol.docx", allow()
    ),
    "applications:evidence": Entry(
        lambda w: f"/kk/applications/evidence/{_evidence(w).pk}/", allow(student=200, chair=200)
    ),
    "records:sitting": Entry(
        lambda w: f"/kk/records/sittings/{w.sitting.pk}/",
        allow(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    "records:pdf": Entry(
        lambda w: f"/kk/records/protocols/{_protocol(w).pk}.pdf",
        allow(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    "records:docx": Entry(
        lambda w: f"/kk/records/protocols/{_protocol(w).pk}.docx",
        allow(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    "records:sign": Entry(
        lambda w: f"/kk/records/protocols/{_protocol(w).pk}/sign/",
        allow(**dict.fromkeys(COMMISSION, 302)),
        "post",
    ),
    "records:characterise": Entry(
        lambda w: f"/kk/records/protocols/{_protocol(w).pk}/characterisation/",
        allow(chair=302),
        "post",
        {"text": "x"},
    ),
    # The chair's report (K-15): the commission's chair writes it, the registrar reads it.
    "records:report": Entry(
        lambda w: f"/kk/records/commissions/{w.commission.pk}/report/",
        allow(registrar=200, chair=200),
    ),
    "records:report_remarks": Entry(
        lambda w: f"/kk/records/commissions/{w.commission.pk}/report/remarks/",
        allow(chair=302),
        "post",
        {"quality": "x", "recommendations": "y"},
    ),
    "records:report_sign": Entry(
        lambda w: f"/kk/records/commissions/{w.commission.pk}/report/sign/",
        allow(chair=302),
        "post",
        {"language": "kk"},
    ),
    "records:report_copy_pdf": Entry(
        lambda w: f"/kk/records/report-copies/{_report_copy(w).pk}.pdf",
        allow(registrar=200, chair=200),
    ),
    "records:report_copy_docx": Entry(
        lambda w: f"/kk/records/report-copies/{_report_copy(w).pk}.docx",
        allow(registrar=200, chair=200),
    ),
    "records:report_pdf": Entry(
        lambda w: f"/kk/records/commissions/{w.commission.pk}/report.pdf",
        allow(registrar=200, chair=200),
    ),
    "records:report_docx": Entry(
        lambda w: f"/kk/records/commissions/{w.commission.pk}/report.docx",
        allow(registrar=200, chair=200),
    ),
    # The graduates (K-10, K-11): the commission's chair and the registrar; the lists for the
    # orders, the registrar. The outsider chairs another commission: their own list, 200.
    "graduates:index": Entry(
        lambda w: "/kk/graduates/", allow(chair=200, registrar=200, outsider=200)
    ),
    "graduates:commission": Entry(
        lambda w: f"/kk/graduates/commissions/{w.commission.pk}/",
        allow(chair=200, registrar=200),
    ),
    "graduates:expulsion_xlsx": Entry(
        lambda w: f"/kk/graduates/commissions/{w.commission.pk}/studies-end.xlsx",
        allow(registrar=200),
    ),
    "graduates:awarded_xlsx": Entry(
        lambda w: f"/kk/graduates/commissions/{w.commission.pk}/awarded.xlsx",
        allow(registrar=200),
    ),
    "conference:sitting": Entry(
        lambda w: f"/kk/conference/sittings/{w.sitting.pk}/",
        allow(**dict.fromkeys(COMMISSION, 200)),
    ),
    "conference:set": Entry(
        lambda w: f"/kk/conference/sittings/{w.sitting.pk}/set/",
        allow(secretary=302, chair=302),
        "post",
        {"provider": "manual", "url": "https://meet.example.org/42"},
    ),
    "conference:join": Entry(
        lambda w: f"/kk/conference/sittings/{w.sitting.pk}/join/",
        allow(302, registrar=404, department=404, outsider=404),
    ),
    "admin:index": Entry(lambda w: "/kk/admin/", allow(302, 302, registrar=200)),
}
# The Django admin's own URLs are guarded by `is_staff` as a whole; `admin:index` stands for them.
NOT_IN_MATRIX_NAMESPACES = {"admin"}

API: dict[tuple[str, str], Entry] = {
    ("GET", "/api/v1/me"): Entry(lambda w: "/api/v1/me", api(200)),
    ("GET", "/api/v1/me/schedule"): Entry(lambda w: "/api/v1/me/schedule", api(200)),
    ("GET", "/api/v1/sittings/{sitting_id}/examinees"): Entry(
        lambda w: f"/api/v1/sittings/{w.sitting.pk}/examinees",
        api(**dict.fromkeys(COMMISSION, 200)),
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/identity"): Entry(
        lambda w: f"/api/v1/examinees/{w.other_examinee.pk}/identity",
        api(secretary=200),
        "post",
        {"verified": True},
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/admit"): Entry(
        lambda w: f"/api/v1/examinees/{w.other_examinee.pk}/admit", api(secretary=409), "post"
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/absent"): Entry(
        lambda w: f"/api/v1/examinees/{w.other_examinee.pk}/absent", api(secretary=200), "post"
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/rules"): Entry(
        lambda w: f"/api/v1/examinees/{w.other_examinee.pk}/rules", api(other_student=200), "post"
    ),
    ("GET", "/api/v1/examinees/{examinee_id}/entry"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/entry", api(student=200)
    ),
    ("GET", "/api/v1/examinees/{examinee_id}/cards"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/cards", api(student=200)
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/draw"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/draw",
        api(student=200),
        "post",
        {"position": 1},
    ),
    ("GET", "/api/v1/examinees/{examinee_id}/ticket"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/ticket",
        api(student=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/scores"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/scores",
        api(member=409, chair=409),
        "post",
        {"score": 80},
    ),
    ("GET", "/api/v1/examinees/{examinee_id}/scores"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/scores", api(member=200, chair=200)
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/final"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/final",
        api(chair=409, deputy=409),  # the deputy chair: 409 `chair_present`
        "post",
        {"score": 80},
    ),
    ("POST", "/api/v1/sittings/{sitting_id}/announce"): Entry(
        lambda w: f"/api/v1/sittings/{w.sitting.pk}/announce", api(chair=409, deputy=409), "post"
    ),
    ("POST", "/api/v1/sittings/{sitting_id}/announcement"): Entry(
        lambda w: f"/api/v1/sittings/{w.sitting.pk}/announcement",
        api(chair=200, secretary=200),
        "post",
        lambda w: {"announce_at": (w.sitting.starts_at + timedelta(hours=3)).isoformat()},
    ),
    # Nobody's result before the announcement, not even the student's own.
    ("GET", "/api/v1/examinees/{examinee_id}/result"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/result", api()
    ),
    ("GET", "/api/v1/sittings/{sitting_id}/protocol.pdf"): Entry(
        lambda w: f"/api/v1/sittings/{w.sitting.pk}/protocol.pdf",
        api(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    ("GET", "/api/v1/sittings/{sitting_id}/protocol.docx"): Entry(
        lambda w: f"/api/v1/sittings/{w.sitting.pk}/protocol.docx",
        api(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    ("GET", "/api/v1/examinees/{examinee_id}/pages"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/pages",
        api(student=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/pages"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/pages", api(student=400), "post"
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/pages/order"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/pages/order",
        api(student=200),
        "post",
        {"numbers": []},
    ),
    ("DELETE", "/api/v1/examinees/{examinee_id}/pages/{number}"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/pages/1", api(), "delete"
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/pages/{number}/replace"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/pages/1/replace", api(student=400), "post"
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/submit"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/submit", api(student=409), "post"
    ),
    ("GET", "/api/v1/examinees/{examinee_id}/receipt"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/receipt", api()
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/upload-links"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/upload-links", api(student=201), "post"
    ),
    ("DELETE", "/api/v1/examinees/{examinee_id}/upload-links"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/upload-links", api(student=200), "delete"
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/upload-window"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/upload-window",
        api(secretary=200),
        "post",
        # Later than the rule's own close, within the days a window may be kept open.
        lambda w: {
            "until": (w.sitting.starts_at + timedelta(days=1)).isoformat(),
            "reason": "camera failed",
        },
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/extra-time"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/extra-time",
        api(secretary=200, chair=200),
        "post",
        {"minutes": 15, "reason": "medical certificate"},
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/reopen"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/reopen",
        api(secretary=409),
        "post",
        {"reason": "wrong page"},
    ),
    # The phone: the signed link stands for the student, with or without a sign-in.
    ("GET", "/api/v1/phone/{token}/pages"): Entry(
        lambda w: f"/api/v1/phone/{_phone_token(w)}/pages", allow(200, 200)
    ),
    ("POST", "/api/v1/phone/{token}/pages"): Entry(
        lambda w: f"/api/v1/phone/{_phone_token(w)}/pages", allow(400, 400), "post"
    ),
    ("POST", "/api/v1/phone/{token}/pages/order"): Entry(
        lambda w: f"/api/v1/phone/{_phone_token(w)}/pages/order",
        allow(200, 200),
        "post",
        {"numbers": []},
    ),
    ("DELETE", "/api/v1/phone/{token}/pages/{number}"): Entry(
        lambda w: f"/api/v1/phone/{_phone_token(w)}/pages/1", allow(404, 404), "delete"
    ),
    ("POST", "/api/v1/phone/{token}/pages/{number}/replace"): Entry(
        lambda w: f"/api/v1/phone/{_phone_token(w)}/pages/1/replace", allow(400, 400), "post"
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/incidents"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/incidents",
        api(**dict.fromkeys(COMMISSION, 201)),
        "post",
        {"category": "other", "note": ""},
    ),
    ("POST", "/api/v1/incidents/{incident_id}/decision"): Entry(
        lambda w: f"/api/v1/incidents/{_incident(w).pk}/decision",
        api(chair=200, secretary=200),
        "post",
        {"decision": "warning", "reason": "x"},
    ),
    # A written sitting has no queue and no defence (see the note on the live pages).
    ("GET", "/api/v1/sittings/{sitting_id}/queue"): Entry(
        lambda w: f"/api/v1/sittings/{w.sitting.pk}/queue", api()
    ),
    ("POST", "/api/v1/sittings/{sitting_id}/queue/next"): Entry(
        lambda w: f"/api/v1/sittings/{w.sitting.pk}/queue/next",
        api(secretary=409, member=403, chair=409),
        "post",
        {},
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/questioning/finish"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/questioning/finish",
        api(secretary=409, member=403, chair=409),
        "post",
    ),
    # No file: the multipart body is validated (422) before the examinee is looked up.
    ("POST", "/api/v1/examinees/{examinee_id}/thesis"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/thesis", api(422), "post"
    ),
    ("GET", "/api/v1/examinees/{examinee_id}/questions"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/questions",
        api(student=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    ("GET", "/api/v1/examinees/{examinee_id}/dossier"): Entry(
        lambda w: f"/api/v1/examinees/{_defense_examinee(w).pk}/dossier", api(**DOSSIER_READERS)
    ),
    # Readers who may not enter it: 403 (they know it exists); anyone else 404.
    ("POST", "/api/v1/examinees/{examinee_id}/dossier"): Entry(
        lambda w: f"/api/v1/examinees/{_defense_examinee(w).pk}/dossier",
        api(secretary=200, department=200, **dict.fromkeys(("student", "member", "chair"), 403)),
        "post",
        {"reviewer_grade": 90},
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/questions"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/questions",
        api(**dict.fromkeys(COMMISSION, 409)),
        "post",
        {"text": "Why?", "asked_for": "member"},
    ),
    ("POST", "/api/v1/questions/{question_id}/answer"): Entry(
        lambda w: "/api/v1/questions/999999/answer", api(), "post", {"answer": "x"}
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/interruption"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/interruption",
        api(student=409, **dict.fromkeys(COMMISSION, 409)),
        "post",
    ),
    ("POST", "/api/v1/interruptions/{interruption_id}/decision"): Entry(
        lambda w: "/api/v1/interruptions/999999/decision",
        api(),
        "post",
        {"outcome": "resumed", "reason": "x"},
    ),
    ("GET", "/api/v1/sittings/{sitting_id}"): Entry(
        lambda w: f"/api/v1/sittings/{w.sitting.pk}",
        api(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    ("POST", "/api/v1/sittings/{sitting_id}/attendance"): Entry(
        lambda w: f"/api/v1/sittings/{w.sitting.pk}/attendance",
        api(secretary=200),
        "post",
        lambda w: {"user_id": w.user("member").pk, "present": False},
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/recusal"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/recusal",
        api(member=201, chair=201),
        "post",
        {"reason": "I supervised this thesis"},
    ),
    ("POST", "/api/v1/examinees/{examinee_id}/dissent"): Entry(
        lambda w: f"/api/v1/examinees/{w.examinee.pk}/dissent",
        api(member=201),
        "post",
        {"text": "The answer deserved more."},
    ),
    ("POST", "/api/v1/applications"): Entry(
        lambda w: "/api/v1/applications",
        api(student=409),  # the student sat and drew: no absence application for this one
        "post",
        lambda w: {
            "examinee_id": w.examinee.pk,
            "kind": "absence",
            "reason": "illness",
            "text": "x",
        },
    ),
    ("GET", "/api/v1/applications/{application_id}"): Entry(
        lambda w: f"/api/v1/applications/{_application(w).pk}", api(student=200, chair=200)
    ),
    ("POST", "/api/v1/applications/{application_id}/decision"): Entry(
        lambda w: f"/api/v1/applications/{_application(w).pk}/decision",
        api(chair=200),
        "post",
        {"approve": False, "reason": "x"},
    ),
    ("GET", "/api/v1/sittings/{sitting_id}/protocols"): Entry(
        lambda w: f"/api/v1/sittings/{w.sitting.pk}/protocols",
        api(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    ("GET", "/api/v1/protocols/{protocol_id}.pdf"): Entry(
        lambda w: f"/api/v1/protocols/{_protocol(w).pk}.pdf",
        api(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    ("GET", "/api/v1/protocols/{protocol_id}.docx"): Entry(
        lambda w: f"/api/v1/protocols/{_protocol(w).pk}.docx",
        api(registrar=200, **dict.fromkeys(COMMISSION, 200)),
    ),
    # Its signers reach the service, which signs only after the announcement.
    ("POST", "/api/v1/protocols/{protocol_id}/sign"): Entry(
        lambda w: f"/api/v1/protocols/{_protocol(w).pk}/sign",
        api(**dict.fromkeys(COMMISSION, 409)),
        "post",
    ),
    ("GET", "/api/v1/commissions/{commission_id}/report"): Entry(
        lambda w: f"/api/v1/commissions/{w.commission.pk}/report",
        api(registrar=200, chair=200),
    ),
    ("POST", "/api/v1/commissions/{commission_id}/report/remarks"): Entry(
        lambda w: f"/api/v1/commissions/{w.commission.pk}/report/remarks",
        api(chair=200),
        "post",
        {"quality": "x", "recommendations": "y"},
    ),
    # Nothing is announced in the world: the chair reaches the service, which refuses (409).
    ("POST", "/api/v1/commissions/{commission_id}/report/sign"): Entry(
        lambda w: f"/api/v1/commissions/{w.commission.pk}/report/sign",
        api(chair=409),
        "post",
    ),
    ("GET", "/api/v1/report-copies/{copy_id}.pdf"): Entry(
        lambda w: f"/api/v1/report-copies/{_report_copy(w).pk}.pdf",
        api(registrar=200, chair=200),
    ),
    ("GET", "/api/v1/report-copies/{copy_id}.docx"): Entry(
        lambda w: f"/api/v1/report-copies/{_report_copy(w).pk}.docx",
        api(registrar=200, chair=200),
    ),
    ("GET", "/api/v1/commissions/{commission_id}/report.pdf"): Entry(
        lambda w: f"/api/v1/commissions/{w.commission.pk}/report.pdf",
        api(registrar=200, chair=200),
    ),
    ("GET", "/api/v1/commissions/{commission_id}/report.docx"): Entry(
        lambda w: f"/api/v1/commissions/{w.commission.pk}/report.docx",
        api(registrar=200, chair=200),
    ),
    ("GET", "/api/v1/commissions/{commission_id}/graduates"): Entry(
        lambda w: f"/api/v1/commissions/{w.commission.pk}/graduates",
        api(chair=200, registrar=200),
    ),
}
# Sign-in itself takes no token; its answers are tested in test_api_me. Signing out is open to
# anyone signed in and touches only the caller's own token (test_api_tokens).
API_NOT_IN_MATRIX = {("POST", "/api/v1/auth/token"), ("POST", "/api/v1/auth/logout")}


def page_routes() -> set[str]:
    names: set[str] = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or namespace
                if ns == "api-1.0.0" or (p.namespace and p.namespace.startswith("api")):
                    continue
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern):
                name = p.name or "root"
                names.add(f"{namespace}:{name}" if namespace else name)

    walk(get_resolver().url_patterns, None)
    return {n for n in names if n.split(":")[0] not in NOT_IN_MATRIX_NAMESPACES}


def api_routes() -> set[tuple[str, str]]:
    schema = ninja_api.get_openapi_schema()
    return {
        (method.upper(), path) for path, methods in schema["paths"].items() for method in methods
    }


def test_every_url_is_in_the_matrix():
    assert page_routes() - set(PAGES) == set(), "pages missing from the permission matrix"
    assert set(PAGES) - page_routes() - {"admin:index"} == set(), "matrix names unknown pages"
    assert api_routes() - set(API) - API_NOT_IN_MATRIX == set(), "API routes missing"
    assert set(API) - api_routes() == set(), "matrix names unknown API routes"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # evidence files the matrix writes


@pytest.fixture
def drawn_world(world):
    """The student is admitted and has drawn; the other student still waits."""
    secretary = world.user("secretary")
    services.rules_acknowledge(examinee=world.examinee, actor=world.user("student"))
    services.examinee_identify(examinee=world.examinee, actor=secretary)
    services.examinee_admit(examinee=world.examinee, actor=secretary)
    ticket_draw(examinee=world.examinee, position=1, actor=world.user("student"))
    return world


def check(client, world, entry: Entry, persona: str, headers: dict, json: bool):
    path = entry.url(world)
    data = entry.data(world) if callable(entry.data) else entry.data
    if entry.method == "get":
        response = client.get(path, **headers)
    elif entry.method == "delete":
        response = client.delete(path, **headers)
    elif json:
        response = client.post(path, data, content_type="application/json", **headers)
    else:
        response = client.post(path, data, **headers)
    return response.status_code


@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_permissions(name, drawn_world, client):
    entry = PAGES[name]
    seen = {}
    for persona in PERSONAS:
        with transaction.atomic():
            client.logout()
            if drawn_world.user(persona):
                client.force_login(drawn_world.user(persona))
            seen[persona] = check(client, drawn_world, entry, persona, {}, json=False)
            transaction.set_rollback(True)
    assert seen == entry.expect


@pytest.mark.parametrize("route", sorted(API), ids=lambda r: f"{r[0]} {r[1]}")
def test_api_permissions(route, drawn_world, client, api_for):
    entry = API[route]
    seen = {}
    for persona in PERSONAS:
        with transaction.atomic():
            seen[persona] = check(client, drawn_world, entry, persona, api_for(persona), json=True)
            transaction.set_rollback(True)
    assert seen == entry.expect
