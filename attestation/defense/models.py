"""The thesis defence (R-18.1…R-27.1): the thesis file, written questions, interruptions."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Thesis(models.Model):
    examinee = models.OneToOneField(
        "commissions.Examinee", on_delete=models.CASCADE, related_name="thesis"
    )
    pdf = models.FileField(_("thesis PDF"), upload_to="theses/", max_length=300)
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    supervisor_review = models.FileField(upload_to="reviews/", blank=True, max_length=300)
    reviewer_review = models.FileField(upload_to="reviews/", blank=True, max_length=300)
    # Which of the files above open with an action or carry JavaScript ("pdf",
    # "supervisor_review", "reviewer_review"): accepted, served sandboxed, shown to the staff.
    active_content = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("thesis")
        verbose_name_plural = _("theses")

    def __str__(self) -> str:
        return str(self.examinee)


class WrittenQuestion(models.Model):
    """R-22.2: when the connection fails, members' questions reach the student in writing."""

    examinee = models.ForeignKey(
        "commissions.Examinee", on_delete=models.CASCADE, related_name="written_questions"
    )
    asked_for = models.CharField(_("asked by (member)"), max_length=200)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("question"))
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("written question")
        verbose_name_plural = _("written questions")
        ordering = ["asked_at"]

    def __str__(self) -> str:
        return f"{self.examinee} · {self.text[:40]}"


class Interruption(models.Model):
    """R-25.1: the defence stops; the commission resumes or ends it."""

    class Outcome(models.TextChoices):
        RESUMED = "resumed", _("resumed")
        STOPPED = "stopped", _("stopped")

    examinee = models.ForeignKey(
        "commissions.Examinee", on_delete=models.CASCADE, related_name="interruptions"
    )
    started_at = models.DateTimeField(default=timezone.now)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    reason = models.TextField(blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("interruption")
        verbose_name_plural = _("interruptions")
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.examinee} · {self.started_at:%H:%M}"
