"""Sign-in throttling on the login form and POST /api/v1/auth/token: atomic under a parallel
burst (real threads on a real database: a SQLite file, or PostgreSQL), per (account, address)
and per address — never an account locked from everywhere — and the client address read from
X-Forwarded-For only when a trusted proxy sent it."""

import threading
from collections import Counter

import pytest
from django.db import close_old_connections, connection
from django.test import Client, RequestFactory

from attestation.accounts.models import SignInFailure
from attestation.core.net import client_ip

STRANGER = "203.0.113.5"
CHAIR_HOME = "198.51.100.7"


def token(client, username, password, **extra):
    return client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
        **extra,
    )


@pytest.mark.django_db(transaction=True)
def test_a_parallel_burst_checks_at_most_the_limit_of_passwords(world):
    n = 20
    barrier = threading.Barrier(n)
    statuses, errors = [], []

    def worker():
        try:
            client = Client(REMOTE_ADDR=STRANGER)
            barrier.wait()
            statuses.append(token(client, "chair_p", "wrong").status_code)
        except Exception as exc:  # asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    close_old_connections()
    assert errors == []
    counts = Counter(statuses)
    # At most five passwords were checked. (More may be refused than strictly needed: an
    # attempt is counted by its neighbours until it is refused and removes itself — the safe
    # side; only a burst past the limit from one address meets it.)
    assert set(counts) <= {401, 429}
    assert counts[401] <= 5
    assert counts[401] + counts[429] == n
    assert SignInFailure.objects.filter(username="chair_p").count() == counts[401]
    # The burst's failures count: after the rest of the five, the right password from that
    # address is refused too.
    stranger = Client(REMOTE_ADDR=STRANGER)
    for _ in range(5 - counts[401]):
        assert token(stranger, "chair_p", "wrong").status_code == 401
    assert token(stranger, "chair_p", "demo-pass-1").status_code == 429


@pytest.mark.django_db
def test_a_strangers_failures_do_not_lock_the_account_from_elsewhere(world):
    stranger = Client(REMOTE_ADDR=STRANGER)
    for _ in range(5):
        assert token(stranger, "chair_p", "guess").status_code == 401
    assert token(stranger, "chair_p", "demo-pass-1").status_code == 429
    assert token(Client(REMOTE_ADDR=CHAIR_HOME), "chair_p", "demo-pass-1").status_code == 200
    # The form follows the same rule.
    page = Client(REMOTE_ADDR=CHAIR_HOME).post(
        "/en/accounts/login/", {"username": "chair_p", "password": "demo-pass-1"}
    )
    assert page.status_code == 302


@pytest.mark.django_db
def test_the_form_locks_per_account_and_address_whatever_the_case(world):
    stranger = Client(REMOTE_ADDR=STRANGER)
    for name in ["chair_p", "Chair_P", "CHAIR_P", "chair_p ", "chAir_p"]:
        stranger.post("/en/accounts/login/", {"username": name, "password": "x"})
    page = stranger.post("/en/accounts/login/", {"username": "chair_p", "password": "demo-pass-1"})
    assert "Too many failed attempts" in page.content.decode()
    assert "_auth_user_id" not in stranger.session


@pytest.mark.django_db
def test_one_address_trying_many_accounts_is_limited(world, settings):
    settings.SIGNIN_MAX_FAILURES = 2
    settings.SIGNIN_ADDRESS_FACTOR = 3
    stranger = Client(REMOTE_ADDR=STRANGER)
    for i in range(6):
        assert token(stranger, f"someone{i}", "x").status_code == 401
    assert token(stranger, "chair_p", "demo-pass-1").status_code == 429
    assert token(Client(REMOTE_ADDR=CHAIR_HOME), "chair_p", "demo-pass-1").status_code == 200


@pytest.mark.django_db
def test_a_success_clears_the_failures_and_a_class_behind_one_nat_gets_in(world, settings):
    settings.SIGNIN_MAX_FAILURES = 2
    settings.SIGNIN_ADDRESS_FACTOR = 3
    nat = Client(REMOTE_ADDR=STRANGER)
    assert token(nat, "chair_p", "typo").status_code == 401
    assert token(nat, "chair_p", "demo-pass-1").status_code == 200
    assert not SignInFailure.objects.filter(username="chair_p").exists()
    # Successes never count against the address: far more than 2×3 sign-ins in a row.
    for _ in range(8):
        assert token(nat, "student_p", "demo-pass-1").status_code == 200


@pytest.mark.django_db
def test_behind_the_proxy_the_forwarded_address_is_the_one_limited(world, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    proxy = Client(REMOTE_ADDR="127.0.0.1")
    for _ in range(5):
        token(proxy, "chair_p", "guess", HTTP_X_FORWARDED_FOR=STRANGER)
    assert token(proxy, "chair_p", "demo-pass-1", HTTP_X_FORWARDED_FOR=STRANGER).status_code == 429
    # Another client behind the same proxy is not locked out.
    ok = token(proxy, "chair_p", "demo-pass-1", HTTP_X_FORWARDED_FOR=f"{CHAIR_HOME}, 10.1.2.3")
    assert ok.status_code == 200
    assert set(SignInFailure.objects.values_list("ip", flat=True)) == {STRANGER}


def test_forwarded_for_is_believed_only_from_trusted_proxies(settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    rf = RequestFactory()

    def ip(remote, forwarded=None):
        extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
        return client_ip(rf.get("/", REMOTE_ADDR=remote, **extra))

    assert ip(STRANGER, "1.2.3.4") == STRANGER  # not from our proxy: the header is forged
    assert ip("127.0.0.1", STRANGER) == STRANGER
    # The client wrote the leftmost entry itself; our proxies appended the rest.
    assert ip("127.0.0.1", f"1.2.3.4, {STRANGER}, 10.0.0.9") == STRANGER
    assert ip("127.0.0.1", "garbage") == "127.0.0.1"
    assert ip("127.0.0.1", "") == "127.0.0.1"
    assert ip("127.0.0.1", f"{STRANGER}, not-an-ip, 10.0.0.9") == "10.0.0.9"
    settings.TRUSTED_PROXIES = []
    assert ip("127.0.0.1", STRANGER) == "127.0.0.1"
