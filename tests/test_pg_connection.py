"""PostgreSQL's kept connections (attestation/core/postgresql): checked before each request by
reading the socket, not by a `SELECT 1`; one the server has ended is replaced, and the request
still succeeds."""

import time

import psycopg
import pytest
from django.db import close_old_connections, connection
from django.db.backends.postgresql import base as django_postgresql

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's connection"),
]


@pytest.fixture
def round_trip_checks(monkeypatch):
    """Counts Django's own check (a `SELECT 1`), which ours falls back to."""
    calls = []
    original = django_postgresql.DatabaseWrapper.is_usable

    def counted(self):
        calls.append(self.alias)
        return original(self)

    monkeypatch.setattr(django_postgresql.DatabaseWrapper, "is_usable", counted)
    return calls


def request(client, path="/healthz"):
    """A request as the server runs it: Django's test client leaves out the check of kept
    connections at the start of each request (`close_old_connections`), so it is run here."""
    close_old_connections()
    return client.get(path)


def backend_pid() -> int:
    return connection.connection.info.backend_pid


def end_from_outside(pid: int) -> None:
    """What a database restart does to a kept connection: the server ends it."""
    params = connection.get_connection_params()
    params.pop("context", None)
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])


def test_a_healthy_kept_connection_is_reused_without_a_round_trip(client, round_trip_checks):
    assert request(client).status_code == 200
    first = backend_pid()
    for _ in range(3):
        assert request(client).status_code == 200
    assert backend_pid() == first
    assert round_trip_checks == []


def test_a_connection_the_server_ended_is_replaced_and_the_request_succeeds(
    client, round_trip_checks
):
    assert request(client).status_code == 200
    ended = backend_pid()
    end_from_outside(ended)
    time.sleep(0.2)  # the server's goodbye reaches the socket
    assert request(client).status_code == 200
    assert backend_pid() != ended
    assert round_trip_checks == ["default"]  # the socket had something: Django's check decided
