"""Applications to the chair: absence for a valid reason (R-17.1, R-27.1), appeals (K-13) and
a repeat attestation after a failure (K-11)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Application(models.Model):
    class Kind(models.TextChoices):
        ABSENCE = "absence", _("absence for a valid reason")
        APPEAL = "appeal", _("appeal")
        REPEAT = "repeat", _("repeat attestation")

    class Reason(models.TextChoices):
        ILLNESS = "illness", _("illness")
        FAMILY = "family", _("family circumstances")
        TECHNICAL = "technical", _("technical failure")
        GRADE = "grade", _("disagreement with the grade")
        OTHER = "other", _("other")
        # A repeat attestation's reason is the record's (K-11), not the student's choice.
        FAILED = "failed", _("unsatisfactory grade")
        NO_SHOW = "no_show", _("absent without a valid reason")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")

    examinee = models.ForeignKey(
        "commissions.Examinee", on_delete=models.CASCADE, related_name="applications"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    reason = models.CharField(_("reason"), max_length=15, choices=Reason.choices)
    text = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    # Absence: where the student was moved (K-12). Repeat: the sitting the chair placed the
    # student in, if any (K-11).
    new_sitting = models.ForeignKey(
        "commissions.Sitting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    old_score = models.PositiveSmallIntegerField(null=True, blank=True)
    new_score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.examinee}"


class Evidence(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to="applications/", max_length=300)
    name = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    # A PDF that opens with an action or carries JavaScript: accepted, served sandboxed,
    # flagged to the staff who open it.
    active_content = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("supporting document")
        verbose_name_plural = _("supporting documents")

    def __str__(self) -> str:
        return self.name
