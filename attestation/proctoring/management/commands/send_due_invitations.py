"""Send the invitations for tomorrow's sittings to those who have none yet (R-5.1).

Idempotent: run it from cron (e.g. every 15 minutes) or a periodic worker; before
INVITATIONS_HOUR it does nothing, after it only the uninvited are sent to."""

from django.core.management.base import BaseCommand

from attestation.proctoring.invitations import invitations_send, sittings_due


class Command(BaseCommand):
    help = "Send invitations for sittings starting tomorrow to students not yet invited."

    def handle(self, *args, **options):
        total = 0
        for sitting in sittings_due():
            if sitting.examinees.filter(invitation_sent_at__isnull=True).exists():
                total += invitations_send(sitting=sitting, actor=None, only_unsent=True)
        self.stdout.write(f"{total} invitation(s) queued.")
