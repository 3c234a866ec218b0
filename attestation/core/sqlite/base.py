"""SQLite with a queue in front of its one write lock.

Every transaction here is IMMEDIATE (settings.py), so it takes SQLite's write lock at BEGIN.
A connection that finds the lock taken does not queue: SQLite's busy handler sleeps and
retries, 1, 2, 5, 10 … up to 100 ms at a time, so under a burst the lock sat free while
threads slept (bench: 1,000 draws took 4.4 s with 8 threads a worker, 2.4 s with one).
Here writers queue before BEGIN: the threads of a process on a lock, which wakes the next one
the moment it is free, and the processes on a file lock beside the database, polled every
half millisecond by one thread per process. SQLite's own waiting then only meets writers
that do not go through this backend (the `sqlite3` shell, another program)."""

import fcntl
import os
import threading
import time
from typing import Any

from django.db.backends.sqlite3 import base, creation

POLL_SECONDS = 0.0005

_gates: dict[str, threading.Lock] = {}
_gates_lock = threading.Lock()


def _thread_gate(name: str) -> threading.Lock:
    with _gates_lock:
        return _gates.setdefault(name, threading.Lock())


class WriteGate:
    """Held from BEGIN to COMMIT or ROLLBACK by one connection of all processes."""

    def __init__(self, name: str):
        self.threads = _thread_gate(name)
        # The file's descriptor is per connection (flock belongs to the open file); the file
        # lives beside the database, so every process using this database meets the same one.
        self.fd = os.open(gate_path(name), os.O_RDWR | os.O_CREAT, 0o600)

    def acquire(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        if not self.threads.acquire(timeout=timeout):
            return False
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() > deadline:
                    self.threads.release()
                    return False
                time.sleep(POLL_SECONDS)

    def release(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        self.threads.release()

    def close(self) -> None:
        os.close(self.fd)


def gate_path(name: str) -> str:
    return f"{name}.write-gate"


class DatabaseCreation(creation.DatabaseCreation):
    def _destroy_test_db(self, test_database_name, verbosity):
        super()._destroy_test_db(test_database_name, verbosity)
        if not self.is_in_memory_db(test_database_name):
            try:
                os.remove(gate_path(test_database_name))
            except FileNotFoundError:
                pass


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
    _gate: Any = None
    _gate_held = False

    def _start_transaction_under_autocommit(self):
        if self._gate is None and not self.is_in_memory_db():
            self._gate = WriteGate(self.settings_dict["NAME"])
        if self._gate is not None:
            # As long as SQLite's own busy timeout: a writer stuck behind a long transaction
            # fails as it would without the gate, with "database is locked".
            timeout = self.settings_dict.get("OPTIONS", {}).get("timeout", 5)
            if not self._gate.acquire(timeout):
                raise base.Database.OperationalError("database is locked")  # wrapped by Django
            self._gate_held = True
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._gate_release()
            raise

    def _gate_release(self):
        if self._gate_held:
            self._gate_held = False
            self._gate.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._gate_release()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._gate_release()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._gate_release()
            if self._gate is not None:
                self._gate.close()
                self._gate = None
