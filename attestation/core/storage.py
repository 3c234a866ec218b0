"""Uploaded files on the local disk, never half-written.

Django's FileSystemStorage writes straight to the final name, so a full disk (or a killed
worker) leaves a zero-byte or truncated file that a row may then point at, and ENOSPC surfaces
as a 500. Here every file is written to a hidden temporary name beside its final one, flushed
to disk and only then linked to its final name: under a real name there is only ever a
whole file. A full disk is a translated `StorageFull` (HTTP 507).

A file whose row never committed (the process was killed between the two, or the
transaction rolled back without its clean-up running) is an orphan: harmless, and removed by
`manage.py media_orphans --delete` (daily cron). The order is deliberate: the file before the
row, never a row whose file is missing."""

import errno
import os
import tempfile

from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext_lazy as _

from attestation.core.errors import DomainError

TEMP_PREFIX = ".upload-"
TEMP_SUFFIX = ".part"
FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


class StorageFull(DomainError):
    status = 507

    def __init__(self):
        super().__init__(
            str(
                _(
                    "The server has no room left for files, so yours was not saved. Nothing "
                    "else was changed. Try again in a few minutes; if it happens again, tell "
                    "the technical secretary."
                )
            ),
            "storage_full",
            507,
        )


def is_disk_full(error: BaseException) -> bool:
    return isinstance(error, OSError) and error.errno in FULL_ERRNOS


class MediaStorage(FileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        try:
            os.makedirs(directory, exist_ok=True)
            fd, temp_path = tempfile.mkstemp(dir=directory, prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX)
        except OSError as error:
            if is_disk_full(error):
                raise StorageFull() from error
            raise
        try:
            with os.fdopen(fd, "wb") as out:
                if hasattr(content, "seek"):
                    content.seek(0)
                for chunk in content.chunks():
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp_path, self.file_permissions_mode or 0o644)
            while True:
                try:
                    # A hard link never replaces an existing file (unlike rename): two uploads
                    # racing for one name both keep their own.
                    os.link(temp_path, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        except OSError as error:
            if is_disk_full(error):
                raise StorageFull() from error
            raise
        finally:
            try:
                os.unlink(temp_path)
            except FileNotFoundError:
                pass
        return str(name).replace("\\", "/")
