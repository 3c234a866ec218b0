"""`manage.py audit_verify`: walk the audit log's hash chain and name the first row that does
not match (edited or deleted behind the application's back). Exit status 1 when it breaks."""

from django.core.management.base import BaseCommand, CommandError

from attestation.audit.chain import chain_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain; name the first row that does not match."

    def handle(self, *args, **options):
        checked, broken = chain_verify()
        if broken is None:
            self.stdout.write(f"audit chain OK: {checked} rows")
            return
        entry, why = broken
        if entry is None:
            raise CommandError(f"audit chain broken after {checked} rows: {why}")
        raise CommandError(
            f"audit chain broken at row id={entry.pk} (number {entry.seq}, "
            f"{entry.at:%Y-%m-%d %H:%M:%S} {entry.action} {entry.target_repr}): {why}"
        )
