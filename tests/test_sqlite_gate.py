"""SQLite's writers queue in front of its write lock (attestation/core/sqlite): across
processes on a file lock beside the database, within one on a thread lock."""

import fcntl
import os
import threading
import time

import pytest
from django.db import connection, transaction

from attestation.audit.models import AuditEntry

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the gate is SQLite's"),
]


def gate_is_free() -> bool:
    """What another process sees: can it take the file lock now?"""
    fd = os.open(f"{connection.settings_dict['NAME']}.write-gate", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


def test_a_transaction_holds_the_gate_from_begin_to_commit():
    assert gate_is_free()
    with transaction.atomic():
        AuditEntry.objects.create(action="test.gate", target_type="t", target_id="1")
        assert not gate_is_free()  # another process would wait here, not in SQLite's sleep
    assert gate_is_free()


def test_a_rolled_back_transaction_lets_the_gate_go():
    with pytest.raises(RuntimeError), transaction.atomic():
        AuditEntry.objects.create(action="test.gate", target_type="t", target_id="1")
        raise RuntimeError
    assert gate_is_free()
    assert not AuditEntry.objects.filter(action="test.gate").exists()


def test_a_second_writer_waits_for_the_first_and_both_land():
    started, order = threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                AuditEntry.objects.create(action="test.first", target_type="t", target_id="1")
                started.set()
                time.sleep(0.3)
                order.append("first")
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    started.wait(5)
    began = time.monotonic()
    with transaction.atomic():
        order.append("second")
        AuditEntry.objects.create(action="test.second", target_type="t", target_id="2")
    waited = time.monotonic() - began
    thread.join()
    assert order == ["first", "second"]
    assert waited > 0.1  # it queued behind the first, and did not fail
    assert AuditEntry.objects.filter(action__startswith="test.").count() == 2
