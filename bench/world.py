"""Builds the benchmark's world in the bench database: the demo with N students, the first
`admitted` admitted through the real services (and drawn with `drawn`), one API token and one
signed-in browser session each. `pages=K` also admits and draws the first K students and
admits the next K, for the pages a student opens on exam day. Prints JSON for run.py."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.sessions.backends.cached_db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from attestation.accounts.services import api_token_issue  # noqa: E402
from attestation.commissions import services  # noqa: E402
from attestation.commissions.models import Sitting  # noqa: E402
from attestation.tickets.services import ticket_draw  # noqa: E402


def session_for(user) -> str:
    """A signed-in session, as `login()` leaves it, without a sign-in request per student."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def main(students: int, admitted: int, drawn: bool = False, pages: int = 0) -> None:
    call_command("migrate", verbosity=0)
    call_command("demo", students=students, reset=True, force=True, verbosity=0)
    sitting = Sitting.objects.get(code="demo-written")
    secretary = sitting.commission.memberships.get(role="secretary").user
    clients = []
    for examinee in sitting.examinees.select_related("student__user").order_by("position"):
        user = examinee.student.user
        index = len(clients)
        if index < max(admitted, 2 * pages):
            services.rules_acknowledge(examinee=examinee, actor=user)
            services.examinee_identify(examinee=examinee, actor=secretary)
            services.examinee_admit(examinee=examinee, actor=secretary)
            if (drawn and index < admitted) or index < pages:
                ticket_draw(examinee=examinee, position=1, actor=user)
        else:
            # Waiting students have read the rules: their exam room shows the entry button.
            services.rules_acknowledge(examinee=examinee, actor=user)
        clients.append(
            {
                "examinee": examinee.pk,
                "token": api_token_issue(user=user),
                "session": session_for(user),
            }
        )
    # The size of one entry answer, for the static file of the same size (the ceiling).
    first = clients[0]
    body = (
        Client()
        .get(
            f"/api/v1/examinees/{first['examinee']}/entry",
            HTTP_AUTHORIZATION=f"Bearer {first['token']}",
            HTTP_HOST="127.0.0.1",
        )
        .content
    )
    last = clients[-1]
    fragment = (
        Client()
        .get(
            f"/kk/exam/{last['examinee']}/entry/",
            HTTP_COOKIE=f"sessionid={last['session']}",
            HTTP_HX_REQUEST="true",
            HTTP_HOST="127.0.0.1",
        )
        .content
    )
    print(
        json.dumps(
            {
                "sitting": sitting.pk,
                "clients": clients,
                "entry_bytes": len(body),
                "fragment_bytes": len(fragment),
            }
        )
    )


if __name__ == "__main__":
    args = sys.argv[1:]
    pages = next((int(a[6:]) for a in args if a.startswith("pages=")), 0)
    main(int(args[0]), int(args[1]), "drawn" in args[2:], pages)
