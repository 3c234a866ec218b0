"""Setting the commission up (SPEC K-1): the approving order, the external chair, the deputy
chair — from the registrar's import and in the admin."""

from datetime import date

import pytest

from attestation.accounts.models import User
from attestation.commissions.models import Commission, Membership
from tests.factories import UserFactory
from tests.import_files import COMMISSION_HEADERS, Importer, xlsx

pytestmark = pytest.mark.django_db
HEADERS = [*COMMISSION_HEADERS, "Order number", "Order date", "University employee"]
SAC = ["k1-sac", "Ақпараттық жүйелер МАК", "6B06101", 2026, "МАК"]


@pytest.fixture
def importer(client, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    registrar = UserFactory(username="registrar_k1", is_registrar=True, is_staff=True)
    return Importer(client, registrar, django_capture_on_commit_callbacks)


def rows(chair_employee: str):
    return [
        HEADERS,
        [
            *SAC,
            "chair_k1",
            "Сейітқали Бекнұр",
            "",
            "төраға",
            "112-НҚ",
            "20.05.2026",
            chair_employee,
        ],
        [*SAC, "dep_k1", "Орынбасар Дәулет", "", "мүше", "112-НҚ", "20.05.2026", "иә"],
        [*SAC, "dep_k1", "Орынбасар Дәулет", "", "заместитель председателя", "", "", ""],
        [*SAC, "sec_k1", "Хатшы Әйгерім", "", "хатшы", "", "", "да"],
    ]


def test_the_import_records_the_order_the_deputy_and_who_is_an_employee(importer):
    job = importer.run("commissions", "sac.xlsx", xlsx(rows("жоқ")))
    assert job.status == "done", job.problems
    sac = Commission.objects.get(code="k1-sac")
    assert (sac.order_number, sac.order_date) == ("112-НҚ", date(2026, 5, 20))
    assert set(sac.memberships.values_list("user__username", "role")) == {
        ("chair_k1", Membership.Role.CHAIR),
        ("dep_k1", Membership.Role.MEMBER),
        ("dep_k1", Membership.Role.DEPUTY),
        ("sec_k1", Membership.Role.SECRETARY),
    }
    assert not User.objects.get(username="chair_k1").is_university_employee
    assert User.objects.get(username="dep_k1").is_university_employee
    assert "warnings" not in job.counts


def test_the_import_warns_when_the_chair_is_an_employee_of_the_university(importer, client):
    job = importer.run("commissions", "sac.xlsx", xlsx(rows("иә")))
    assert job.status == "done", job.problems
    assert len(job.counts["warnings"]) == 1
    assert "is an employee of the university" in job.counts["warnings"][0]
    page = client.get(f"/en/registrar/imports/{job.pk}/").content.decode()
    assert "data-import-warning" in page and "must be external" in page


def test_the_admin_warns_about_an_employee_chair_and_a_missing_order(client):
    registrar = UserFactory(username="admin_k1", is_staff=True, is_superuser=True)
    chair = UserFactory(username="chair_emp", full_name="Қызметкер Төраға")
    chair.is_university_employee = True
    chair.save()
    sac = Commission.objects.create(code="k1-admin", title="МАК", year=2026)
    Membership.objects.create(commission=sac, user=chair, role=Membership.Role.CHAIR)
    client.force_login(registrar)
    response = client.get(f"/en/admin/commissions/commission/{sac.pk}/change/", follow=True)
    assert response.status_code == 200
    texts = [str(m) for m in response.context["messages"]]
    assert any("Қызметкер Төраға, is an employee of the university" in t for t in texts)
    assert any("approving order" in t for t in texts)
