"""Races, with real threads on a real database (a file for SQLite; PostgreSQL too via
DATABASE_URL): several photos at once from one student, two uploads for one page number,
submitting while pages still arrive (R-14.1)."""

import hashlib
import threading
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client

from attestation.answers.models import AnswerDocument, AnswerPage
from tests import images as make
from tests.images import files_in, multipart

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def drawn(world):
    make.give_draw(world.examinee)
    world.examinee.refresh_from_db()
    return world.examinee


@pytest.fixture
def bearer(world):
    from attestation.accounts.services import api_token_issue

    return {"HTTP_AUTHORIZATION": f"Bearer {api_token_issue(user=world.user('student'))}"}


def photos(count: int) -> list[bytes]:
    # Made before the threads start, so that the uploads (not the test) run side by side.
    return [make.jpeg(make.sharp_page(900, 1200, seed=seed)) for seed in range(count)]


def together(jobs: list) -> list:
    """Run every job in its own thread, released at the same moment; results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait(timeout=30)
            results[index] = job()
        except Exception as error:  # reported by the assertions below
            results[index] = error
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results


def post_page(examinee, headers, data, number=None):
    def job():
        fields = {} if number is None else {"number": number}
        body, ctype = multipart({"file": ("page.jpg", "image/jpeg", data)}, fields)
        url = f"/api/v1/examinees/{examinee.pk}/pages"
        return Client().generic("POST", url, body, content_type=ctype, **headers)

    return job


def test_eight_photos_at_once_with_distinct_numbers_all_land(drawn, bearer, media):
    data = photos(8)
    responses = together([post_page(drawn, bearer, data[i], i + 1) for i in range(8)])
    assert [r.status_code for r in responses] == [201] * 8, [
        getattr(r, "content", r) for r in responses
    ]
    pages = list(AnswerPage.objects.filter(examinee=drawn).order_by("number"))
    assert [p.number for p in pages] == list(range(1, 9))
    assert [p.sha256 for p in pages] == [r.json()["sha256"] for r in responses]
    stored = files_in(media)
    assert len(stored) == 8
    assert {hashlib.sha256(path.read_bytes()).hexdigest() for path in stored} == {
        p.sha256 for p in pages
    }


def test_eight_photos_at_once_without_numbers_get_distinct_numbers(drawn, bearer, media):
    data = photos(8)
    responses = together([post_page(drawn, bearer, data[i]) for i in range(8)])
    assert [r.status_code for r in responses] == [201] * 8, [
        getattr(r, "content", r) for r in responses
    ]
    assert sorted(r.json()["number"] for r in responses) == list(range(1, 9))
    assert AnswerPage.objects.filter(examinee=drawn).count() == 8
    assert len(files_in(media)) == 8


def test_two_different_photos_for_one_number_one_wins(drawn, bearer, media):
    first, second = photos(2)
    responses = together([post_page(drawn, bearer, first, 1), post_page(drawn, bearer, second, 1)])
    assert sorted(r.status_code for r in responses) == [201, 409]
    loser = next(r for r in responses if r.status_code == 409)
    assert loser.json()["code"] == "page_exists"
    winner = next(r for r in responses if r.status_code == 201)
    [page] = AnswerPage.objects.filter(examinee=drawn)
    assert page.sha256 == winner.json()["sha256"]
    assert len(files_in(media)) == 1  # the loser's file is gone


def test_the_same_photo_twice_for_one_number_gives_one_page(drawn, bearer, media):
    [data] = photos(1)
    responses = together([post_page(drawn, bearer, data, 1), post_page(drawn, bearer, data, 1)])
    assert sorted(r.status_code for r in responses) == [200, 201]
    assert responses[0].json() == responses[1].json()
    assert AnswerPage.objects.filter(examinee=drawn).count() == 1
    assert len(files_in(media)) == 1


def test_submit_while_pages_arrive_puts_exactly_the_stored_pages_in_the_pdf(drawn, bearer, media):
    data = photos(5)
    assert post_page(drawn, bearer, data[0], 1)().status_code == 201
    connection.close()

    def submit():
        return Client().post(f"/api/v1/examinees/{drawn.pk}/submit", **bearer)

    responses = together([*(post_page(drawn, bearer, data[i]) for i in range(1, 5)), submit])
    uploads, submitted = responses[:-1], responses[-1]
    assert submitted.status_code == 200, submitted.content
    for response in uploads:
        assert response.status_code in (201, 409), response.content
        if response.status_code == 409:
            assert response.json()["code"] == "already_submitted"
    pages = AnswerPage.objects.filter(examinee=drawn).count()
    assert pages == 1 + sum(r.status_code == 201 for r in uploads)
    document = AnswerDocument.objects.get(examinee=drawn)
    assert document.pages == pages == len(submitted.json()["pages"])
    assert len(files_in(media)) == pages + 1  # the photos and the PDF, no orphan


def test_a_page_arriving_while_the_pdf_is_assembled_is_not_left_out(drawn, world, media):
    """The PDF is assembled outside the transaction; a page added meanwhile (from the phone)
    sends the submit round again instead of closing the answer without it. The last round
    assembles under the lock, so a submit always ends."""
    from attestation.answers import services

    student = world.user("student")
    first, second = (ContentFile(data, name="p.jpg") for data in photos(2))
    services.answer_page_add(examinee=drawn, file=first, actor=student)
    pages = list(drawn.pages.order_by("number"))
    body = services._assemble(drawn, pages)
    services.answer_page_add(examinee=drawn, file=second, actor=student)  # the phone, meanwhile

    assert services._submit(drawn, (pages, body), student) is None
    assert not AnswerDocument.objects.filter(examinee=drawn).exists()
    assert len(files_in(media)) == 2  # the two photos: no stale PDF was stored

    document = services.answer_submit(examinee=drawn, actor=student)
    assert document.pages == 2
    drawn.refresh_from_db()
    assert drawn.status == "submitted"


def test_two_submits_at_once_close_the_answer_once_and_both_read_the_receipt(drawn, bearer, media):
    # A phone that sends its submit again while the first is still on its way (a slow
    # network, a retry after a lost answer): one PDF, one audit row, both told "submitted".
    from attestation.audit.models import AuditEntry

    for data in photos(2):
        assert post_page(drawn, bearer, data)().status_code == 201
    connection.close()

    def submit():
        return Client().post(f"/api/v1/examinees/{drawn.pk}/submit", **bearer)

    first, second = together([submit, submit])
    assert (first.status_code, second.status_code) == (200, 200), (first.content, second.content)
    assert first.json()["pdf_sha256"] == second.json()["pdf_sha256"]
    assert AnswerDocument.objects.filter(examinee=drawn).count() == 1
    assert AuditEntry.objects.filter(action="answer.submit").count() == 1
    assert len(files_in(media)) == 2 + 1  # the photos and one PDF
