"""The written answer over the API (CONTRACT.md, R-12.1, R-14.1): what a student and the
commission see when photos go in, are reordered, retaken, deleted and submitted."""

import hashlib
import io
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.template.loader import render_to_string
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from attestation.answers.models import AnswerDocument, AnswerPage, UploadLink
from attestation.audit.models import AuditEntry
from tests import images as make
from tests.images import files_in, multipart

pytestmark = pytest.mark.django_db


# --- helpers --------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def drawn(world):
    """The student drew a ticket just now: 2 h to write, then 30 min to upload."""
    make.give_draw(world.examinee)
    world.examinee.refresh_from_db()
    return world.examinee


def pages_url(examinee) -> str:
    return f"/api/v1/examinees/{examinee.pk}/pages"


def upload(client, url, data, *, number=None, name="page.jpg", content_type="image/jpeg", **kw):
    fields = {} if number is None else {"number": number}
    body, ctype = multipart({"file": (name, content_type, data)}, fields)
    return client.generic("POST", url, body, content_type=ctype, **kw)


def photo(seed: int = 0) -> bytes:
    return make.jpeg(make.sharp_page(900, 1200, seed=seed))


def assert_refused(response, status: int, code: str):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert body["detail"] and body["detail"] != code  # a sentence for the student


# --- uploading ------------------------------------------------------------------------------


def test_student_uploads_a_page_and_gets_its_receipt_hash(drawn, client, api_for, media):
    response = upload(client, pages_url(drawn), photo(), number=1, **api_for("student"))
    assert response.status_code == 201
    body = response.json()
    assert (body["number"], body["warnings"]) == (1, [])
    page = AnswerPage.objects.get(examinee=drawn)
    stored = media / page.image.name
    assert stored.parent == media / "answers" / str(drawn.sitting_id) / str(drawn.pk)
    assert body["sha256"] == page.sha256 == hashlib.sha256(stored.read_bytes()).hexdigest()
    entry = AuditEntry.objects.get(action="answer.page_add")
    assert entry.actor == drawn.student.user
    assert entry.data["sha256"] == page.sha256


def test_retry_of_the_same_photo_returns_the_same_page(drawn, client, api_for, media):
    data = photo()
    first = upload(client, pages_url(drawn), data, number=1, **api_for("student"))
    again = upload(client, pages_url(drawn), data, number=1, **api_for("student"))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert AnswerPage.objects.filter(examinee=drawn).count() == 1
    assert len(files_in(media)) == 1
    assert AuditEntry.objects.filter(action="answer.page_add").count() == 1


def test_retry_without_a_number_is_recognised_too(drawn, client, api_for, media):
    data = photo()
    assert upload(client, pages_url(drawn), data, **api_for("student")).status_code == 201
    again = upload(client, pages_url(drawn), data, **api_for("student"))
    assert again.status_code == 200
    assert AnswerPage.objects.filter(examinee=drawn).count() == 1
    assert len(files_in(media)) == 1


def test_pages_without_a_number_take_the_next_ones(drawn, client, api_for):
    numbers = [
        upload(client, pages_url(drawn), photo(seed), **api_for("student")).json()["number"]
        for seed in range(3)
    ]
    assert numbers == [1, 2, 3]


def test_another_photo_at_a_taken_number_is_refused(drawn, client, api_for, media):
    upload(client, pages_url(drawn), photo(1), number=1, **api_for("student"))
    response = upload(client, pages_url(drawn), photo(2), number=1, **api_for("student"))
    assert_refused(response, 409, "page_exists")
    assert len(files_in(media)) == 1


def test_blurred_photo_is_stored_with_its_warning(drawn, client, api_for):
    data = make.jpeg(make.blurred_page())
    response = upload(client, pages_url(drawn), data, **api_for("student"))
    assert response.status_code == 201
    assert response.json()["warnings"] == ["blurred"]
    listed = client.get(pages_url(drawn), **api_for("student")).json()
    assert listed[0]["warnings"] == ["blurred"]


def test_exif_rotated_photo_is_stored_upright(drawn, client, api_for):
    data = make.sideways_jpeg(make.sharp_page(1200, 1600))
    body = upload(client, pages_url(drawn), data, **api_for("student")).json()
    page = client.get(pages_url(drawn), **api_for("student")).json()[0]
    assert body["number"] == page["number"] == 1
    assert (page["width"], page["height"]) == (1200, 1600)


# --- bad input: each refused with a clear message, and nothing stored ------------------------

BAD_FILES = {
    "not_an_image": ("answer.txt", "text/plain", b"my answer is 42", 415, "not_an_image"),
    "false_extension_and_type": (
        "photo.jpg",
        "image/jpeg",
        b"<?php system($_GET['c']); ?>",
        415,
        "not_an_image",
    ),
    "svg": (
        "page.svg",
        "image/svg+xml",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect/></svg>',
        415,
        "not_an_image",
    ),
    "html": (
        "page.html",
        "text/html",
        b"<!doctype html><script>alert(document.cookie)</script>",
        415,
        "not_an_image",
    ),
    "decompression_bomb": ("bomb.png", "image/png", None, 413, "too_many_pixels"),
    "empty": ("page.jpg", "image/jpeg", b"", 400, "empty_file"),
    "truncated": ("page.jpg", "image/jpeg", None, 400, "broken_image"),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_file_is_refused_and_nothing_is_stored(kind, drawn, client, api_for, media):
    name, content_type, data, status, code = BAD_FILES[kind]
    if kind == "decompression_bomb":
        data = make.png_bomb(10_000, 10_000)
    if kind == "truncated":
        whole = photo()
        data = whole[: len(whole) // 2]
    response = upload(
        client,
        pages_url(drawn),
        data,
        number=1,
        name=name,
        content_type=content_type,
        **api_for("student"),
    )
    assert_refused(response, status, code)
    assert not AnswerPage.objects.exists()
    assert files_in(media) == []


def test_upload_without_a_file_asks_for_one_and_scope_comes_first(drawn, world, client, api_for):
    response = client.post(pages_url(drawn), {"number": "1"}, **api_for("student"))
    assert_refused(response, 400, "no_file")
    elsewhere = client.post(pages_url(world.foreign_examinee), {}, **api_for("student"))
    assert elsewhere.status_code == 404


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_bomb_below_pillows_own_limit_is_refused_by_ours(drawn, client, api_for, media, settings):
    settings.IMAGE_MAX_PIXELS = 4_000_000
    response = upload(client, pages_url(drawn), make.png_bomb(2500, 2000), **api_for("student"))
    assert_refused(response, 413, "too_many_pixels")
    assert files_in(media) == []


def test_file_over_the_size_limit_is_refused(drawn, client, api_for, media, settings):
    data = photo()
    settings.ANSWER_MAX_BYTES = len(data) - 1
    response = upload(client, pages_url(drawn), data, **api_for("student"))
    assert_refused(response, 413, "file_too_large")
    assert not AnswerPage.objects.exists()
    assert files_in(media) == []


def test_more_pages_than_the_limit_are_refused(drawn, client, api_for, media, settings):
    settings.ANSWER_MAX_PAGES = 2
    for seed in range(2):
        assert (
            upload(client, pages_url(drawn), photo(seed), **api_for("student")).status_code == 201
        )
    response = upload(client, pages_url(drawn), photo(9), **api_for("student"))
    assert_refused(response, 409, "too_many_pages")
    assert AnswerPage.objects.count() == 2
    assert len(files_in(media)) == 2


@pytest.mark.parametrize("number", [0, 41, -3])
def test_page_number_out_of_range_is_refused(number, drawn, client, api_for, media):
    response = upload(client, pages_url(drawn), photo(), number=number, **api_for("student"))
    assert_refused(response, 400, "bad_number")
    assert files_in(media) == []


def test_real_photo_with_a_false_name_and_type_is_judged_by_its_content(drawn, client, api_for):
    data = make.png(make.sharp_page(900, 1200))
    response = upload(
        client,
        pages_url(drawn),
        data,
        name="scan.gif",
        content_type="application/octet-stream",
        **api_for("student"),
    )
    assert response.status_code == 201
    page = AnswerPage.objects.get()
    assert page.image.name.endswith(f"{page.sha256}.jpg")


@pytest.mark.parametrize(
    "name",
    [
        "../../../../etc/passwd",
        "..\\..\\..\\windows\\win.ini.jpg",
        "/var/www/static/page.jpg",
        "x" * 900 + ".jpg",
        "page\x00.php.jpg",
    ],
    ids=["traversal", "windows-traversal", "absolute", "over-long", "nul"],
)
def test_file_name_never_reaches_the_file_system(name, drawn, client, api_for, media):
    response = upload(client, pages_url(drawn), photo(), name=name, **api_for("student"))
    assert response.status_code == 201
    page = AnswerPage.objects.get()
    expected = media / "answers" / str(drawn.sitting_id) / str(drawn.pk) / f"{page.sha256}.jpg"
    assert files_in(media) == [expected]
    assert files_in(media.parent) == [expected]  # nothing written beside MEDIA_ROOT either


def test_file_name_too_long_to_parse_is_refused_and_nothing_is_stored(
    drawn, client, api_for, media
):
    # Django refuses part headers over 1 KB before any view runs.
    response = upload(
        client, pages_url(drawn), photo(), name="x" * 3000 + ".jpg", **api_for("student")
    )
    assert response.status_code == 400
    assert not AnswerPage.objects.exists()
    assert files_in(media.parent) == []


def test_upload_after_the_window_is_refused(drawn, client, api_for, media):
    token = api_for("student")
    drawn_at = drawn.draw.drawn_at
    with time_machine.travel(drawn_at + timedelta(minutes=149), tick=False):
        assert upload(client, pages_url(drawn), photo(1), **token).status_code == 201
    with time_machine.travel(drawn_at + timedelta(minutes=150, seconds=1), tick=False):
        response = upload(client, pages_url(drawn), photo(2), **token)
        assert_refused(response, 409, "upload_closed")
        assert_refused(
            client.post(f"/api/v1/examinees/{drawn.pk}/submit", **token), 409, "upload_closed"
        )
    assert AnswerPage.objects.count() == 1
    assert len(files_in(media)) == 1


def test_secretary_extends_one_examinees_window(drawn, client, api_for):
    closed = drawn.draw.drawn_at + timedelta(minutes=151)
    with time_machine.travel(closed, tick=False):
        student = api_for("student")
        assert upload(client, pages_url(drawn), photo(), **student).status_code == 409
        until = timezone.now() + timedelta(minutes=15)
        url = f"/api/v1/examinees/{drawn.pk}/upload-window"
        payload = {"until": until.isoformat(), "reason": "Камера өшіп қалды: internet failed"}
        member = client.post(url, payload, content_type="application/json", **api_for("member"))
        assert member.status_code == 404
        no_reason = client.post(
            url,
            {"until": until.isoformat(), "reason": " "},
            content_type="application/json",
            **api_for("secretary"),
        )
        assert_refused(no_reason, 400, "reason_required")
        response = client.post(
            url, payload, content_type="application/json", **api_for("secretary")
        )
        assert response.status_code == 200
        assert response.json()["status"] == "drawn"
        drawn.refresh_from_db()
        assert drawn.upload_extended_until == until
        entry = AuditEntry.objects.get(action="answer.upload_window_extend")
        assert entry.actor == drawn_secretary(drawn)
        assert entry.reason == payload["reason"]
        assert upload(client, pages_url(drawn), photo(), **student).status_code == 201
    with time_machine.travel(until + timedelta(seconds=1), tick=False):
        assert_refused(upload(client, pages_url(drawn), photo(3), **student), 409, "upload_closed")


def drawn_secretary(examinee):
    return examinee.sitting.commission.memberships.get(role="secretary").user


# --- who may do what ------------------------------------------------------------------------


def test_student_before_the_draw_is_told_to_draw_first(world, client, api_for, media):
    response = upload(client, pages_url(world.examinee), photo(), **api_for("student"))
    assert_refused(response, 409, "not_drawn")
    assert files_in(media) == []


def test_someone_elses_examinee_is_404(drawn, world, client, api_for, media):
    make.give_draw(world.other_examinee)
    for examinee in (world.other_examinee, world.foreign_examinee):
        response = upload(client, pages_url(examinee), photo(), **api_for("student"))
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
        assert client.get(pages_url(examinee), **api_for("student")).status_code == 404
    for persona in ("member", "chair", "secretary"):  # they read; they do not upload
        response = upload(client, pages_url(drawn), photo(), **api_for(persona))
        assert response.status_code == 404
    assert files_in(media) == []


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("student", 200),
        ("member", 200),
        ("chair", 200),
        ("secretary", 200),
        ("other_student", 404),
        ("outsider", 404),
        ("registrar", 404),
        ("anonymous", 401),
    ],
)
def test_who_can_list_the_pages(persona, status, drawn, client, api_for):
    upload(
        client,
        pages_url(drawn),
        make.sideways_jpeg(make.sharp_page(1200, 1600)),
        **api_for("student"),
    )
    response = client.get(pages_url(drawn), **api_for(persona))
    assert response.status_code == status
    if status == 200:
        [page] = response.json()
        assert set(page) >= {
            "number",
            "sha256",
            "warnings",
            "url",
            "width",
            "height",
            "uploaded_at",
        }
        assert (page["width"], page["height"]) == (1200, 1600)


def test_missing_csrf_token_with_a_session_is_403(drawn, media):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(drawn.student.user)
    response = upload(browser, pages_url(drawn), photo())
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert files_in(media) == []
    # The page gives the token; with it the same upload goes through.
    assert browser.get(f"/en/answers/{drawn.pk}/").status_code == 200
    token = browser.cookies["csrftoken"].value
    assert upload(browser, pages_url(drawn), photo(), HTTP_X_CSRFTOKEN=token).status_code == 201


# --- reorder, delete, retake ---------------------------------------------------------------


def three_pages(client, examinee, token) -> list[str]:
    return [
        upload(client, pages_url(examinee), photo(seed), **token).json()["sha256"]
        for seed in range(3)
    ]


def test_reorder_renumbers_pages_in_the_new_order(drawn, client, api_for):
    token = api_for("student")
    a, b, c = three_pages(client, drawn, token)
    response = client.post(
        f"{pages_url(drawn)}/order",
        {"numbers": [3, 1, 2]},
        content_type="application/json",
        **token,
    )
    assert response.status_code == 200
    assert [(p["number"], p["sha256"]) for p in response.json()] == [(1, c), (2, a), (3, b)]
    assert AuditEntry.objects.get(action="answer.pages_reorder").data["order"] == [3, 1, 2]


def test_reorder_of_no_pages_is_harmless(drawn, client, api_for):
    response = client.post(
        f"{pages_url(drawn)}/order",
        {"numbers": []},
        content_type="application/json",
        **api_for("student"),
    )
    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize("numbers", [[1, 1, 2], [1, 2], [1, 2, 3, 4], [2, 3, 4]])
def test_reorder_must_list_every_page_once(numbers, drawn, client, api_for):
    token = api_for("student")
    shas = three_pages(client, drawn, token)
    response = client.post(
        f"{pages_url(drawn)}/order",
        {"numbers": numbers},
        content_type="application/json",
        **token,
    )
    assert_refused(response, 400, "bad_order")
    assert [p.sha256 for p in AnswerPage.objects.order_by("number")] == shas


def test_delete_moves_later_pages_up_and_removes_the_file(
    drawn, client, api_for, media, django_capture_on_commit_callbacks
):
    token = api_for("student")
    a, b, c = three_pages(client, drawn, token)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.delete(f"{pages_url(drawn)}/1", **token)
    assert response.status_code == 200
    assert [(p["number"], p["sha256"]) for p in response.json()] == [(1, b), (2, c)]
    assert len(files_in(media)) == 2
    assert not any(a in path.name for path in files_in(media))
    missing = client.delete(f"{pages_url(drawn)}/7", **token)
    assert_refused(missing, 404, "page_not_found")


def test_retake_replaces_the_photo_at_the_same_number(
    drawn, client, api_for, media, django_capture_on_commit_callbacks
):
    token = api_for("student")
    a, b, c = three_pages(client, drawn, token)
    retake = photo(42)
    body, ctype = multipart({"file": ("retake.jpg", "image/jpeg", retake)})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.generic(
            "POST", f"{pages_url(drawn)}/2/replace", body, content_type=ctype, **token
        )
    assert response.status_code == 200
    new = response.json()
    assert new["number"] == 2 and new["sha256"] not in (a, b, c)
    assert [p.sha256 for p in AnswerPage.objects.order_by("number")] == [a, new["sha256"], c]
    assert len(files_in(media)) == 3
    # Retrying the same retake changes nothing; a bad file leaves page 2 alone.
    again = client.generic(
        "POST", f"{pages_url(drawn)}/2/replace", body, content_type=ctype, **token
    )
    assert again.json() == new
    bad, bad_type = multipart({"file": ("x.jpg", "image/jpeg", b"<html>")})
    refused = client.generic(
        "POST", f"{pages_url(drawn)}/2/replace", bad, content_type=bad_type, **token
    )
    assert_refused(refused, 415, "not_an_image")
    assert AnswerPage.objects.get(number=2).sha256 == new["sha256"]
    assert len(files_in(media)) == 3


# --- submit, receipt, reopen ---------------------------------------------------------------


def test_submit_assembles_one_pdf_in_page_order_and_gives_the_receipt(drawn, client, api_for):
    token = api_for("student")
    a, b, c = three_pages(client, drawn, token)
    client.post(
        f"{pages_url(drawn)}/order",
        {"numbers": [2, 3, 1]},
        content_type="application/json",
        **token,
    )
    response = client.post(f"/api/v1/examinees/{drawn.pk}/submit", **token)
    assert response.status_code == 200
    receipt = response.json()
    assert receipt["status"] == "submitted"
    assert [(p["number"], p["sha256"]) for p in receipt["pages"]] == [(1, b), (2, c), (3, a)]

    drawn.refresh_from_db()
    assert drawn.status == "submitted" and drawn.submitted_at is not None
    client.force_login(drawn.student.user)
    pdf = client.get(receipt["pdf_url"])
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    data = b"".join(pdf.streaming_content)
    assert hashlib.sha256(data).hexdigest() == receipt["pdf_sha256"]
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 3 == receipt["pdf_pages"]
    # img2pdf embeds the stored JPEGs unchanged: each PDF page is exactly the receipt's page.
    embedded = []
    for pdf_page in reader.pages:
        [xobject] = pdf_page["/Resources"]["/XObject"].values()
        stream = xobject.get_object()
        assert stream["/Filter"] == "/DCTDecode"
        embedded.append(hashlib.sha256(stream._data).hexdigest())
    assert embedded == [b, c, a]

    entry = AuditEntry.objects.get(action="answer.submit")
    assert (entry.from_state, entry.to_state) == ("drawn", "submitted")
    assert entry.data["pdf_sha256"] == receipt["pdf_sha256"]
    assert client.get(f"/api/v1/examinees/{drawn.pk}/receipt", **token).json() == receipt
    member = client.get(f"/api/v1/examinees/{drawn.pk}/receipt", **api_for("member"))
    assert member.json()["pdf_sha256"] == receipt["pdf_sha256"]


def test_submit_without_pages_is_409(drawn, client, api_for):
    response = client.post(f"/api/v1/examinees/{drawn.pk}/submit", **api_for("student"))
    assert_refused(response, 409, "no_pages")
    drawn.refresh_from_db()
    assert drawn.status == "drawn"
    assert not AnswerDocument.objects.exists()


def test_receipt_is_404_before_submitting(drawn, client, api_for):
    assert (
        client.get(f"/api/v1/examinees/{drawn.pk}/receipt", **api_for("student")).status_code == 404
    )


def test_pages_cannot_change_after_submitting(drawn, client, api_for, media):
    token = api_for("student")
    three_pages(client, drawn, token)
    submitted = client.post(f"/api/v1/examinees/{drawn.pk}/submit", **token)
    assert submitted.status_code == 200
    before = files_in(media)
    body, ctype = multipart({"file": ("p.jpg", "image/jpeg", photo(7))})
    attempts = [
        upload(client, pages_url(drawn), photo(7), **token),
        client.delete(f"{pages_url(drawn)}/1", **token),
        client.post(
            f"{pages_url(drawn)}/order",
            {"numbers": [3, 2, 1]},
            content_type="application/json",
            **token,
        ),
        client.generic("POST", f"{pages_url(drawn)}/1/replace", body, content_type=ctype, **token),
    ]
    for response in attempts:
        assert_refused(response, 409, "already_submitted")
    assert files_in(media) == before
    # Submitting again (a phone that never got the first answer) is told it is in: the same
    # receipt, nothing written, nothing audited twice.
    audited = AuditEntry.objects.filter(action="answer.submit").count()
    again = client.post(f"/api/v1/examinees/{drawn.pk}/submit", **token)
    assert again.status_code == 200 and again.json() == submitted.json()
    assert files_in(media) == before
    assert AuditEntry.objects.filter(action="answer.submit").count() == audited == 1


def test_secretary_reopens_a_submitted_answer_with_a_reason(
    drawn, client, api_for, media, django_capture_on_commit_callbacks
):
    token = api_for("student")
    three_pages(client, drawn, token)
    client.post(f"/api/v1/examinees/{drawn.pk}/submit", **token)
    url = f"/api/v1/examinees/{drawn.pk}/reopen"
    reason = {"reason": "The student photographed page 2 twice"}
    assert (
        client.post(url, reason, content_type="application/json", **api_for("member")).status_code
        == 404
    )
    assert (
        client.post(url, reason, content_type="application/json", **api_for("student")).status_code
        == 404
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, reason, content_type="application/json", **api_for("secretary"))
    assert response.status_code == 200
    assert response.json()["status"] == "drawn"
    drawn.refresh_from_db()
    assert drawn.status == "drawn" and drawn.submitted_at is None
    assert not AnswerDocument.objects.exists()
    assert not list((media / "answers" / "pdf").glob("*.pdf"))
    entry = AuditEntry.objects.get(action="answer.reopen")
    assert entry.reason == reason["reason"]
    assert (entry.from_state, entry.to_state) == ("submitted", "drawn")
    assert client.delete(f"{pages_url(drawn)}/2", **token).status_code == 200
    again = client.post(url, reason, content_type="application/json", **api_for("secretary"))
    assert_refused(again, 409, "not_submitted")


# --- files are served only through the access check ----------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("student", 200),
        ("member", 200),
        ("chair", 200),
        ("secretary", 200),
        ("other_student", 404),
        ("outsider", 404),
        ("registrar", 404),
    ],
)
def test_page_image_and_pdf_only_for_the_student_and_the_commission(
    persona, status, drawn, world, client, api_for
):
    token = api_for("student")
    three_pages(client, drawn, token)
    page = client.get(pages_url(drawn), **token).json()[0]
    receipt = client.post(f"/api/v1/examinees/{drawn.pk}/submit", **token).json()
    client.force_login(world.user(persona))
    image = client.get(page["url"])
    assert image.status_code == status
    thumb = client.get(page["thumb_url"])
    assert thumb.status_code == status
    assert client.get(receipt["pdf_url"]).status_code == status
    if status == 200:
        assert image["Content-Type"] == "image/jpeg"
        assert "private" in image["Cache-Control"]
        data = b"".join(image.streaming_content)
        assert hashlib.sha256(data).hexdigest() == page["sha256"]
        from PIL import Image

        assert max(Image.open(io.BytesIO(thumb.content)).size) <= 480


def test_anonymous_is_sent_to_sign_in_for_files(drawn, client, api_for):
    token = api_for("student")
    upload(client, pages_url(drawn), photo(), **token)
    page = client.get(pages_url(drawn), **token).json()[0]
    client.logout()
    response = client.get(page["url"])
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- the phone: a signed, expiring, revocable link ------------------------------------------


def phone_link(client, examinee, token) -> dict:
    response = client.post(f"/api/v1/examinees/{examinee.pk}/upload-links", **token)
    assert response.status_code == 201
    return response.json()


def phone_api(link: dict) -> str:
    token = link["url"].rstrip("/").rsplit("/", 1)[-1]
    return f"/api/v1/phone/{token}/pages"


def test_qr_code_opens_an_upload_page_on_the_phone_without_signing_in(drawn, client, api_for):
    link = phone_link(client, drawn, api_for("student"))
    assert link["svg"].startswith("<svg") and "path" in link["svg"]
    assert "/answers/phone/" in link["url"]
    phone = Client()
    page = phone.get(link["url"])
    assert page.status_code == 200
    assert b'capture="environment"' in page.content
    assert b'accept="image/*"' in page.content
    response = upload(phone, phone_api(link), photo())
    assert response.status_code == 201
    entry = AuditEntry.objects.get(action="answer.page_add")
    assert entry.actor == drawn.student.user and entry.data["via"] == "phone"
    # The student's computer sees the page the phone sent.
    listed = client.get(pages_url(drawn), **api_for("student")).json()
    assert [p["sha256"] for p in listed] == [response.json()["sha256"]]
    # The phone sees its thumbnails through the token.
    thumb = phone.get(response.json()["thumb_url"])
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"


def test_phone_can_reorder_retake_and_delete(drawn, client, api_for):
    link = phone_link(client, drawn, api_for("student"))
    phone = Client()
    url = phone_api(link)
    shas = [upload(phone, url, photo(seed)).json()["sha256"] for seed in range(3)]
    order = phone.post(f"{url}/order", {"numbers": [3, 2, 1]}, content_type="application/json")
    assert [p["sha256"] for p in order.json()] == shas[::-1]
    body, ctype = multipart({"file": ("r.jpg", "image/jpeg", photo(11))})
    assert phone.generic("POST", f"{url}/1/replace", body, content_type=ctype).status_code == 200
    assert [p["number"] for p in phone.delete(f"{url}/3").json()] == [1, 2]


def test_revoked_expired_or_forged_links_do_not_work(drawn, client, api_for, media):
    token = api_for("student")
    revoked = phone_link(client, drawn, token)
    assert client.delete(f"/api/v1/examinees/{drawn.pk}/upload-links", **token).json() == {
        "revoked": 1
    }
    assert UploadLink.objects.get().revoked_at is not None
    phone = Client()
    assert_refused(upload(phone, phone_api(revoked), photo()), 404, "link_invalid")
    assert phone.get(revoked["url"]).status_code == 404

    expired = phone_link(client, drawn, token)
    with time_machine.travel(timezone.now() + timedelta(minutes=181), tick=False):
        assert_refused(upload(phone, phone_api(expired), photo()), 404, "link_invalid")

    live = phone_link(client, drawn, token)
    pk, stamp, signature = live["url"].rstrip("/").rsplit("/", 1)[-1].split(":")
    other = UploadLink.objects.create(
        examinee=world_other(drawn), expires_at=timezone.now() + timedelta(hours=1)
    )
    forged = f"/api/v1/phone/{other.pk}:{stamp}:{signature}/pages"
    assert_refused(upload(phone, forged, photo()), 404, "link_invalid")
    assert_refused(upload(phone, "/api/v1/phone/garbage/pages", photo()), 404, "link_invalid")
    assert files_in(media) == []
    assert upload(phone, phone_api(live), photo()).status_code == 201


def world_other(examinee):
    return examinee.sitting.examinees.exclude(pk=examinee.pk).first()


def test_submitting_revokes_the_phone_links(drawn, client, api_for):
    token = api_for("student")
    link = phone_link(client, drawn, token)
    phone = Client()
    assert upload(phone, phone_api(link), photo()).status_code == 201
    assert client.post(f"/api/v1/examinees/{drawn.pk}/submit", **token).status_code == 200
    assert_refused(upload(phone, phone_api(link), photo(2)), 404, "link_invalid")


def test_phone_link_cannot_show_another_examinees_page(drawn, world, client, api_for):
    make.give_draw(world.other_examinee)
    other_token = api_for("other_student")
    other_page = upload(client, pages_url(world.other_examinee), photo(5), **other_token)
    assert other_page.status_code == 201
    link = phone_link(client, drawn, api_for("student"))
    token = link["url"].rstrip("/").rsplit("/", 1)[-1]
    page = AnswerPage.objects.get(examinee=world.other_examinee)
    assert Client().get(f"/en/answers/phone/{token}/page/{page.pk}/").status_code == 404


def test_no_phone_link_before_the_draw(world, client, api_for):
    response = client.post(
        f"/api/v1/examinees/{world.examinee.pk}/upload-links", **api_for("student")
    )
    assert_refused(response, 409, "not_drawn")
    assert not UploadLink.objects.exists()


# --- pages ----------------------------------------------------------------------------------


def test_student_page_shows_the_panel_with_countdown_and_phone_button(drawn, client_for):
    response = client_for(drawn.student.user).get(f"/en/answers/{drawn.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-answers-countdown" in html and "data-upload-closes" in html
    assert "multiple data-answers-input" in html
    assert "data-answers-phone" in html and "data-answers-submit" in html
    assert "css/answers.css" in html and "js/answers.js" in html


def test_student_page_is_404_for_anyone_else(drawn, world, client_for):
    for persona in ("other_student", "member", "outsider"):
        assert client_for(world.user(persona)).get(f"/en/answers/{drawn.pk}/").status_code == 404


def test_after_submitting_the_panel_shows_the_receipt(drawn, client, api_for, client_for):
    token = api_for("student")
    shas = three_pages(client, drawn, token)
    receipt = client.post(f"/api/v1/examinees/{drawn.pk}/submit", **token).json()
    html = client_for(drawn.student.user).get(f"/en/answers/{drawn.pk}/").content.decode()
    assert "data-answers-receipt" in html
    for sha in [*shas, receipt["pdf_sha256"]]:
        assert sha in html
    assert "data-answers-input" not in html  # nothing left to change


def test_console_include_shows_pages_in_order_and_the_pdf(drawn, client, api_for):
    token = api_for("student")
    three_pages(client, drawn, token)
    before = render_to_string("answers/console_pages.html", {"examinee": drawn})
    assert before.count("<img") == 3 and "answer.pdf" not in before
    client.post(f"/api/v1/examinees/{drawn.pk}/submit", **token)
    drawn.refresh_from_db()
    html = render_to_string("answers/console_pages.html", {"examinee": drawn})
    urls = [p.pk for p in AnswerPage.objects.order_by("number")]
    positions = [html.index(f"/answers/page/{pk}/") for pk in urls]
    assert positions == sorted(positions)
    assert f"/answers/{drawn.pk}/answer.pdf" in html


def test_the_same_photo_as_page_2_and_page_4_is_warned_about(drawn, client, api_for):
    """Accepted (a retry at a given number is one), but both pages say so until one is
    retaken, and the panel has the words for it in the page's language."""
    headers = api_for("student")
    same = photo(2)
    for number, data in ((1, photo(1)), (2, same), (3, photo(3)), (4, same)):
        assert upload(client, pages_url(drawn), data, number=number, **headers).status_code == 201
    listed = client.get(pages_url(drawn), **headers).json()
    warned = {p["number"] for p in listed if "duplicate" in p["warnings"]}
    assert warned == {2, 4}
    body, ctype = multipart({"file": ("p.jpg", "image/jpeg", photo(4))}, {})
    replaced = client.generic(
        "POST", f"{pages_url(drawn)}/4/replace", body, content_type=ctype, **headers
    )
    assert replaced.status_code == 200, replaced.content
    listed = client.get(pages_url(drawn), **headers).json()
    assert not [p for p in listed if "duplicate" in p["warnings"]]
    from django.utils import translation

    from attestation.answers.ui import warning_texts

    with translation.override("en"):
        assert "same photo as another page" in warning_texts()["duplicate"]
    with translation.override("ru"):
        assert "то же фото" in warning_texts()["duplicate"]
