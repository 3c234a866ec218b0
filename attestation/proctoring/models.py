"""Rule violations (R-2.2) and the commission's decisions on them."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Incident(models.Model):
    class Category(models.TextChoices):
        LEFT_VIEW = "left_view", _("left the camera's view")
        OTHER_PERSON = "other_person", _("another person")
        PROHIBITED_ITEM = "prohibited_item", _("prohibited item")
        CAMERA_OFF = "camera_off", _("camera off")
        CONNECTION_LOST = "connection_lost", _("connection lost")
        OTHER = "other", _("other")

    examinee = models.ForeignKey(
        "commissions.Examinee", on_delete=models.CASCADE, related_name="incidents"
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    note = models.TextField(_("note"), blank=True)
    evidence = models.FileField(_("evidence"), upload_to="incidents/", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.examinee} · {self.get_category_display()}"


class IncidentDecision(models.Model):
    class Decision(models.TextChoices):
        WARNING = "warning", _("warning")
        SUSPEND = "suspend", _("suspend")
        RESUME = "resume", _("resume")
        TERMINATE = "terminate", _("terminate")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    # The examinee's status when the decision was taken: a resume restores the status a
    # suspension interrupted.
    status_before = models.CharField(_("status before"), max_length=15, blank=True)

    class Meta:
        verbose_name = _("decision on an incident")
        verbose_name_plural = _("decisions on incidents")
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.incident} · {self.get_decision_display()}"


class CameraStatus(models.Model):
    """The latest camera heartbeat from the student's exam page (R-2.1). A prompt for the
    commission when the camera stops or the page is hidden, never a verdict."""

    examinee = models.OneToOneField(
        "commissions.Examinee", on_delete=models.CASCADE, related_name="camera"
    )
    reported_at = models.DateTimeField(_("last report"))
    camera_live = models.BooleanField(_("camera live"), default=False)
    page_visible = models.BooleanField(_("page visible"), default=True)
    problem = models.CharField(_("problem"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("camera status")
        verbose_name_plural = _("camera statuses")

    def __str__(self) -> str:
        return f"{self.examinee_id} · {'live' if self.camera_live else 'off'}"
