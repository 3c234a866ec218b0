"""One import of one file by the registrar: its kind, its progress and its outcome."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def import_upload_to(instance: "ImportJob", filename: str) -> str:
    """A server-made name: the registrar's file name is kept only for display."""
    suffix = PurePath(filename).suffix.lower()
    suffix = suffix if suffix in (".xlsx", ".csv") else ""
    return f"imports/{uuid.uuid4().hex}{suffix}"


class ImportJob(models.Model):
    class Kind(models.TextChoices):
        STUDENTS = "students", _("Students")
        COMMISSIONS = "commissions", _("Commission composition")
        SITTINGS = "sittings", _("Sittings and examinee lists")
        TICKETS = "tickets", _("Ticket banks")
        DOSSIERS = "dossiers", _("Defence dossiers")

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        VALIDATING = "validating", _("checking rows")
        APPLYING = "applying", _("saving")
        DONE = "done", _("done")
        FAILED = "failed", _("failed — nothing changed")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Deleted once the job has finished: a students file may carry initial passwords and ID
    # numbers, which should not lie on disk longer than the import needs them.
    file = models.FileField(_("file"), upload_to=import_upload_to, max_length=200, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    file_size = models.PositiveIntegerField(_("file size"), default=0)
    # Problems and messages are written in the language of the page the file came from.
    language = models.CharField(_("language"), max_length=5, default="kk")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    rows_done = models.PositiveIntegerField(_("rows processed"), default=0)
    # [{"row": 14 | null, "column": "Group", "message": "empty", "text": "Row 14, …"}]
    problems = models.JSONField(_("problems"), default=list, blank=True)
    counts = models.JSONField(_("result"), default=dict, blank=True)
    # The first rows of what was imported, to show on the result page.
    preview = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.original_name}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def file_problems(self) -> list[dict]:
        """Problems with the file as a whole (no row): wrong type, missing columns."""
        return [p for p in self.problems if not p.get("row")]

    @property
    def row_problems(self) -> list[dict]:
        return [p for p in self.problems if p.get("row")]
