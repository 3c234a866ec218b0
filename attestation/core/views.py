import logging

from django.db import DatabaseError, connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)


def healthz(request):
    """For load balancers: the process answers and the database is reachable (one cheap
    round trip). Answered over plain HTTP too (SECURE_REDIRECT_EXEMPT): a balancer probing
    the backend directly does not follow a redirect to HTTPS."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        logger.exception("healthz: database unreachable")
        return JsonResponse({"ok": False, "database": False}, status=503)
    return JsonResponse({"ok": True})
