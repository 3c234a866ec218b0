"""Builds the benchmark's world in the bench database: the demo with N students, all admitted
through the real services, one API token each. Prints JSON for run.py."""

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "attestation.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from attestation.accounts.services import api_token_issue  # noqa: E402
from attestation.commissions import services  # noqa: E402
from attestation.commissions.models import Sitting  # noqa: E402
from attestation.tickets.services import ticket_draw  # noqa: E402


def main(students: int, admitted: int, drawn: bool = False) -> None:
    call_command("migrate", verbosity=0)
    call_command("demo", students=students, reset=True, force=True, verbosity=0)
    sitting = Sitting.objects.get(code="demo-written")
    secretary = sitting.commission.memberships.get(role="secretary").user
    clients = []
    for examinee in sitting.examinees.select_related("student__user").order_by("position"):
        user = examinee.student.user
        if len(clients) < admitted:
            services.rules_acknowledge(examinee=examinee, actor=user)
            services.examinee_identify(examinee=examinee, actor=secretary)
            services.examinee_admit(examinee=examinee, actor=secretary)
            if drawn:
                ticket_draw(examinee=examinee, position=1, actor=user)
        clients.append({"examinee": examinee.pk, "token": api_token_issue(user=user)})
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
    print(json.dumps({"sitting": sitting.pk, "clients": clients, "entry_bytes": len(body)}))


if __name__ == "__main__":
    main(int(sys.argv[1]), int(sys.argv[2]), len(sys.argv) > 3 and sys.argv[3] == "drawn")
