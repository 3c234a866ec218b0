"""The signed-in person in one query (accounts/backends.py): the user, their student row or
its absence, and whether they hold a commission role, as the ORM would read them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from attestation.accounts.backends import AccountBackend
from attestation.commissions.access import roles_of

pytestmark = pytest.mark.django_db


def test_a_student_is_read_with_the_student_row_in_one_query(world):
    student = world.user("student")
    with CaptureQueriesContext(connection) as queries:
        user = AccountBackend().get_user(student.pk)
        assert user == student and user.student == student.student
        assert user.student.group == student.student.group and user.student.user is user
        assert roles_of(user) == {"student"}
    assert len(queries) == 1


def test_staff_without_a_student_row_keep_their_roles(world):
    secretary = world.user("secretary")
    user = AccountBackend().get_user(secretary.pk)
    assert not hasattr(user, "student")
    assert roles_of(user) == {"secretary"}
    registrar = AccountBackend().get_user(world.user("registrar").pk)
    assert roles_of(registrar) == {"registrar"}


def test_unknown_inactive_and_bad_ids_are_nobody(world):
    backend = AccountBackend()
    assert backend.get_user(10**12) is None
    assert backend.get_user("x") is None
    assert backend.get_user(10**30) is None
    student = world.user("student")
    student.is_active = False
    student.save()
    assert backend.get_user(student.pk) is None


def test_pages_sign_in_and_out_as_before(world, client):
    assert (
        client.post(
            "/en/accounts/login/", {"username": "student_p", "password": "wrong"}
        ).status_code
        == 200
    )
    assert client.get("/en/training/sac/").status_code == 302
    client.force_login(world.user("student"))
    assert client.get("/en/training/sac/").status_code == 200
