"""PostgreSQL with a health check that costs no round trip.

Django checks a persistent connection before each request that uses it (CONN_HEALTH_CHECKS),
so that a database restart does not fail the next request on every kept connection. Its check
is a `SELECT 1`: a round trip on every request, a tenth of a draw's CPU in a burst of 1,000
(bench/run.py). A connection that sits idle between requests has nothing to read; a server
that ended it (restart, `pg_terminate_backend`, idle timeout) has sent its goodbye or closed
the socket, which makes the socket readable. So: nothing to read, the connection is as good
as it was; anything there, Django's own check decides."""

import select

from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None or self.connection.closed:
            return False
        try:
            readable, _, _ = select.select([self.connection.fileno()], [], [], 0)
        except (OSError, ValueError):
            return False
        return not readable or super().is_usable()
