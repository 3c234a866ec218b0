"""Words for the audit log: every action code and every state a service writes, in the
reader's language. The codes stay in the database (stable, filterable); people read these.
tests/test_audit_labels.py collects the codes the code base writes and fails on one without
a label here."""

from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTIONS = {
    "examinee.rules": _("Rules acknowledged"),
    "examinee.identify": _("Identity checked"),
    "examinee.admit": _("Admitted"),
    "examinee.absent": _("Marked absent"),
    "examinee.absent_valid": _("Absent for a valid reason"),
    "examinee.present": _("Marked present again"),
    "examinee.add": _("Added to the list"),
    "examinee.invitation": _("Invitation sent"),
    "examinee.connection": _("Connection check"),
    "ticket.draw": _("Ticket drawn"),
    "answer.page_add": _("Answer page added"),
    "answer.page_replace": _("Answer page retaken"),
    "answer.page_delete": _("Answer page deleted"),
    "answer.pages_reorder": _("Answer pages reordered"),
    "answer.submit": _("Answer submitted"),
    "answer.reopen": _("Answer reopened"),
    "answer.upload_link_create": _("Phone upload link created"),
    "answer.upload_link_revoke": _("Phone upload link revoked"),
    "answer.upload_window_extend": _("Upload window extended"),
    "grade.score": _("Member's score"),
    "grade.change": _("Final grade set"),
    "grade.appeal": _("Grade changed on appeal"),
    "sitting.start": _("Sitting started"),
    "sitting.second": _("Second sitting"),
    "sitting.invitations": _("Invitations sent"),
    "sitting.grading": _("Grading begun"),
    "sitting.announce_at": _("Announcement time set"),
    "sitting.announce": _("Results announced"),
    "live.call": _("Called to answer"),
    "live.finish": _("Answer finished"),
    "incident.record": _("Incident recorded"),
    "incident.warning": _("Warning given"),
    "incident.suspend": _("Attestation suspended"),
    "incident.resume": _("Attestation resumed"),
    "incident.terminate": _("Attestation stopped"),
    "thesis.upload": _("Thesis uploaded"),
    "thesis.supervisor_review": _("Supervisor's review attached"),
    "thesis.reviewer_review": _("Reviewer's review attached"),
    "dossier.update": _("Defence dossier entered"),
    "dossier.decision": _("Department's decision on admission to the defence"),
    "defense.question": _("Written question"),
    "defense.answer": _("Written answer"),
    "defense.interrupt": _("Defence interrupted"),
    "defense.resumed": _("Defence resumed"),
    "defense.stopped": _("Defence stopped"),
    "conference.link_set": _("Conference set"),
    "application.absence": _("Absence application filed"),
    "application.appeal": _("Appeal filed"),
    "application.repeat": _("Repeat attestation application filed"),
    "application.approve": _("Application approved"),
    "application.reject": _("Application rejected"),
    "protocol.freeze": _("Protocol frozen with its hash"),
    "protocol.sign": _("Protocol signed"),
    "protocol.characterise": _("Characterisation of the answer written"),
    "report.remarks": _("Chair's report remarks saved"),
    "report.sign": _("Chair's report signed"),
    "import.students": _("Students imported"),
    "import.commissions": _("Commission composition imported"),
    "import.sittings": _("Sittings imported"),
    "import.tickets": _("Ticket banks imported"),
    "import.dossiers": _("Defence dossiers imported"),
    "user.language": _("Language changed"),
    "demo.build": _("Demo built"),
    "api_token.revoke": _("API token revoked"),
    "api_token.revoke_all": _("All API tokens revoked"),
    "examinee.dissent": _("Dissenting opinion recorded"),
    "examinee.recusal": _("Conflict of interest declared"),
    "grade.score_removed": _("Member's score removed"),
    "sitting.attendance": _("Attendance recorded"),
    "examinee.extra_time": _("Extra time set"),
    "examinee.exam_language": _("Exam language set"),
    "student.gpa": _("GPA changed"),
}

# The filter's groups: each code's part before the dot, in the order the exam day meets them.
GROUPS = {
    "examinee": _("Examinees"),
    "ticket": _("Tickets"),
    "answer": _("Written answers"),
    "grade": _("Grades"),
    "sitting": _("Sittings"),
    "live": _("Oral answers"),
    "incident": _("Incidents"),
    "thesis": _("Theses"),
    "dossier": _("Defence dossiers"),
    "defense": _("Defences"),
    "conference": _("Conference"),
    "application": _("Applications"),
    "protocol": _("Protocols"),
    "report": _("Chair's report"),
    "import": _("Imports"),
    "student": _("Students"),
    "user": _("Accounts"),
    "api_token": _("API tokens"),
    "demo": _("Demo"),
}


def action_groups() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """The audit filter's choices in the reader's language: (prefix, group, [(code, label)])."""
    return [
        (
            prefix,
            str(group),
            [
                (code, str(label))
                for code, label in ACTIONS.items()
                if code.startswith(f"{prefix}.")
            ],
        )
        for prefix, group in GROUPS.items()
    ]


# States outside the models' choices that services write.
_WORDS = {
    "acknowledged": pgettext_lazy("audit state", "acknowledged"),
    "sent": pgettext_lazy("audit state", "sent"),
    "fine": pgettext_lazy("audit state", "fine"),
    "problem": pgettext_lazy("audit state", "problem"),
    "late": pgettext_lazy("audit state", "late"),
    "uploaded": pgettext_lazy("audit state", "uploaded"),
    "attached": pgettext_lazy("audit state", "attached"),
    "interrupted": pgettext_lazy("audit state", "interrupted"),
    # sitting.attendance: a member of the commission marked present or absent (K-2).
    "present": pgettext_lazy("audit state", "present"),
    "absent": pgettext_lazy("audit state", "absent"),
    # dossier.update and dossier.decision (K-8)
    "complete": pgettext_lazy("audit state", "complete"),
    "incomplete": pgettext_lazy("audit state", "incomplete"),
    "not_admitted": pgettext_lazy("audit state", "not admitted"),
}


def _choices_by_target():
    from attestation.applications.models import Application
    from attestation.commissions.models import EXAM_LANGUAGES, Examinee, Sitting
    from attestation.imports.models import ImportJob
    from attestation.proctoring.models import Incident

    return {
        # An exam language (examinee.exam_language) reads as its name.
        "commissions.examinee": dict(Examinee.Status.choices)
        | dict(Incident.Category.choices)
        | dict(EXAM_LANGUAGES),
        "proctoring.incident": dict(Incident.Category.choices),
        "commissions.sitting": dict(Sitting.Status.choices),
        "applications.application": dict(Application.Status.choices),
        "imports.importjob": dict(ImportJob.Status.choices),
    }


def action_label(code: str) -> str:
    return str(ACTIONS.get(code, code))


def state_label(target_type: str, value: str) -> str:
    """A state in words; a moment as a local date and time; anything else (a score, a page
    number, a checksum) as written."""
    if not value:
        return ""
    words = _choices_by_target().get(target_type, {})
    if value in words:
        return str(words[value])
    if value in _WORDS:
        return str(_WORDS[value])
    if "T" in value and value[:4].isdigit():
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return formats.date_format(moment, "SHORT_DATETIME_FORMAT")
    return value
