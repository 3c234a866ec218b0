"""Each member's own score (R-15.1). The commission's final grade lives on the examinee."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Score(models.Model):
    examinee = models.ForeignKey(
        "commissions.Examinee", on_delete=models.CASCADE, related_name="scores"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="scores"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    additional_questions = models.TextField(_("additional questions"), blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["examinee", "member"], name="one_score_per_member"),
            models.CheckConstraint(condition=Q(score__lte=100), name="score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.examinee} · {self.member} · {self.score}"
