"""The protocols page (K-5 … K-7): the commission sees the sitting's numbered protocols,
signs with a button (a detached ЭЦП optional), the chair writes the characterisation of the
answer; downloads of a signed protocol are its stored bytes."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext

from attestation.records.models import Protocol
from attestation.records.services import protocols_ensure
from tests.applications_world import announced
from tests.test_records_api import flat, pdftotext

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitting(world, settings):
    settings.NCANODE_URL = ""
    return announced(world, score=62, other_score=85)


def test_the_chair_sees_the_protocols_and_signs_one(sitting, world, client_for):
    chair = client_for(world.user("chair"))
    page = chair.get(f"/kk/records/sittings/{sitting.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    protocols = list(Protocol.objects.order_by("number"))
    assert len(protocols) == 3
    for protocol in protocols:
        assert f'data-protocol="{protocol.pk}"' in html
    assert "Абаев Әлихан" in html
    examinee = Protocol.objects.get(kind="examinee", examinee=world.examinee)
    response = chair.post(
        f"/kk/records/protocols/{examinee.pk}/characterisation/",
        {"text": "Жауап толық, дәлелді, терминдер дұрыс қолданылды."},
    )
    assert response.status_code == 302
    signed = chair.post(f"/kk/records/protocols/{examinee.pk}/sign/", follow=True)
    with translation.override("kk"):
        assert (
            gettext("You signed protocol № %(number)s.") % {"number": examinee.number}
            in signed.content.decode()
        )
    examinee.refresh_from_db()
    assert examinee.signed and examinee.signatures.get().user == world.user("chair")
    download = chair.get(f"/kk/records/protocols/{examinee.pk}.pdf?lang=ru")
    assert hashlib.sha256(download.content).hexdigest() == examinee.sha256
    assert flat("Жауап толық, дәлелді, терминдер дұрыс қолданылды.") in flat(
        pdftotext(download.content)
    )
    # A signed protocol takes no new characterisation.
    again = chair.post(
        f"/kk/records/protocols/{examinee.pk}/characterisation/", {"text": "Басқа"}, follow=True
    )
    with translation.override("kk"):
        assert gettext("The protocol is signed: a change is a new protocol.") in (
            again.content.decode()
        )
    examinee.refresh_from_db()
    assert examinee.characterisation.startswith("Жауап толық")


def test_the_secretary_signs_with_a_detached_signature_file(sitting, world, client_for):
    protocol = next(p for p in protocols_ensure(sitting=sitting) if p.kind == "sitting")
    secretary = client_for(world.user("secretary"))
    cms = SimpleUploadedFile("protocol.p7s", b"0\x82\x01CMS", content_type="application/pkcs7")
    response = secretary.post(f"/kk/records/protocols/{protocol.pk}/sign/", {"cms": cms})
    assert response.status_code == 302
    signature = protocol.signatures.get()
    assert signature.ecp == "unverified" and bytes(signature.cms) == b"0\x82\x01CMS"


@pytest.mark.parametrize("persona", ["student", "outsider", "other_student"])
def test_the_page_is_not_for_students_or_outsiders(sitting, world, client_for, persona):
    assert (
        client_for(world.user(persona)).get(f"/kk/records/sittings/{sitting.pk}/").status_code
        == 404
    )
