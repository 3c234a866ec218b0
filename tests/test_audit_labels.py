"""The audit log in words: every action code the code base writes has a label, and states
read as words in the viewer's language, not `examinee.admit` and `waiting → admitted`."""

import re

import pytest
from django.utils import translation

from attestation.applications.models import Application
from attestation.audit.labels import ACTIONS, GROUPS, state_label
from attestation.defense.models import Interruption
from attestation.defense.services import REVIEW_KINDS
from attestation.imports.models import ImportJob
from attestation.proctoring.models import IncidentDecision
from tests.personas import admit
from tests.po import ROOT

LITERAL = re.compile(r"""action=["']([a-z_]+\.[a-z_]+)["']""")
IN_SQL = re.compile(r"""'([a-z_]+\.[a-z_]+)'""")
TEMPLATE = re.compile(r'action ?= ?f"([^"]+)"')
# Codes made from a template: each template with the values it is filled with.
TEMPLATES = {
    "import.{job.kind}": [f"import.{k}" for k in ImportJob.Kind.values],
    "thesis.{kind}_review": [f"thesis.{k}_review" for k in REVIEW_KINDS],
    "defense.{outcome}": [f"defense.{o}" for o in Interruption.Outcome.values],
    "application.{kind}": [f"application.{k}" for k in Application.Kind.values],
    "application.{'approve' if approve else 'reject'}": [
        "application.approve",
        "application.reject",
    ],
    "incident.{decision}": [f"incident.{d}" for d in IncidentDecision.Decision.values],
}


def written_codes() -> set[str]:
    codes, templates = set(), set()
    for path in (ROOT / "attestation").rglob("*.py"):
        if path.name == "labels.py":
            continue
        text = path.read_text(encoding="utf-8")
        codes |= set(LITERAL.findall(text))
        if "AuditEntry" in text:  # hand-written SQL inserting audit rows
            codes |= {c for c in IN_SQL.findall(text) if "." in c and "_" not in c[:1]}
        templates |= set(TEMPLATE.findall(text))
    unknown = templates - set(TEMPLATES)
    assert not unknown, f"a new action template: list its values in TEMPLATES: {unknown}"
    for template in templates:
        codes |= set(TEMPLATES[template])
    return {c for c in codes if not c.startswith(("commissions.", "accounts."))}


def test_every_action_code_written_has_a_label():
    codes = written_codes()
    assert {"examinee.admit", "ticket.draw", "import.students", "grade.appeal"} <= codes
    assert sorted(codes - set(ACTIONS)) == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_label_is_translated(language):
    with translation.override("en"):
        english = {code: str(label) for code, label in ACTIONS.items()}
    with translation.override(language):
        untranslated = [code for code, label in ACTIONS.items() if str(label) == english[code]]
    assert untranslated == []


@pytest.mark.django_db
def test_the_registrar_reads_actions_and_states_in_kazakh(world, client_for):
    admit(world)
    html = client_for(world.user("registrar")).get("/kk/registrar/audit/").content.decode()
    body = re.sub(r'(title|data-action|value)="[^"]*"', "", html)
    assert "Рұқсат берілді" in body and "Жеке басы тексерілді" in body
    assert "күтуде → жеке басы тексерілді" in body
    for raw in ("examinee.admit", "examinee.identify", "waiting →", "→ admitted"):
        assert raw not in body


def test_every_action_is_in_a_group_of_the_filter():
    assert sorted({code.split(".")[0] for code in ACTIONS} - set(GROUPS)) == []


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_group_is_translated(language):
    with translation.override("en"):
        english = {prefix: str(label) for prefix, label in GROUPS.items()}
    with translation.override(language):
        assert [p for p, label in GROUPS.items() if str(label) == english[p]] == []


@pytest.mark.django_db
def test_the_registrar_filters_by_an_action_chosen_by_name(world, client_for):
    # The filter is a list of actions in words, grouped; a group, an action, or (an old link)
    # the start of a code still filters.
    admit(world)
    client = client_for(world.user("registrar"))
    html = client.get("/kk/registrar/audit/").content.decode()
    assert '<option value="examinee.admit">Рұқсат берілді</option>' in html
    assert '<optgroup label="Емтихан тапсырушылар">' in html
    assert "барлық әрекет" in html

    def shown(action):
        page = client.get("/kk/registrar/audit/", {"action": action}).content.decode()
        return set(re.findall(r'data-action="([^"]+)"', page)), page

    actions, page = shown("examinee.admit")
    assert actions == {"examinee.admit"}
    assert '<option value="examinee.admit" selected>' in page
    actions, page = shown("examinee.")
    assert "examinee.admit" in actions and "examinee.identify" in actions
    assert all(a.startswith("examinee.") for a in actions)
    assert '<option value="examinee." selected>' in page
    assert shown("ticket.")[0] == set()
    # One action is that action, not every code that begins with it.
    from attestation.audit.services import log_action
    from attestation.commissions.services import examinee_mark_absent

    log_action(actor=world.user("chair"), action="examinee.absent_valid", target=world.examinee)
    assert shown("examinee.absent")[0] == set()
    examinee_mark_absent(examinee=world.other_examinee, actor=world.user("secretary"))
    assert shown("examinee.absent")[0] == {"examinee.absent"}
    assert shown("examinee.absent_valid")[0] == {"examinee.absent_valid"}
    assert shown("")[0] >= {"examinee.admit", "examinee.identify"}


def test_a_moment_reads_as_a_local_date_and_time():
    with translation.override("kk"):
        assert state_label("commissions.sitting", "2026-11-25T05:00:00+00:00") == "25.11.2026 10:00"
    assert state_label("commissions.examinee", "12") == "12"
