"""The thesis defence (R-18.1…R-27.1): the thesis file, written questions, interruptions."""

from django.conf import settings
from django.db import models
from django.db.models import Q
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
    # Whether the PDF opens with an action or carries JavaScript (["pdf"] or []): accepted,
    # served sandboxed, shown to the staff. The reviews are the dossier's (`Dossier`).
    active_content = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("thesis")
        verbose_name_plural = _("theses")

    def __str__(self) -> str:
        return str(self.examinee)


class Dossier(models.Model):
    """What admits a student to the defence (SPEC K-8): besides the thesis PDF (`Thesis`), the
    supervisor's feedback, the external review with the reviewer's grade, and the originality
    check with the department's decision. The Kazakh title, the supervisor and the reviewer
    are the examinee's own fields (`Examinee.thesis_topic`, `supervisor`, `reviewer`: the
    sittings import and the automatic recusal read them); the rest lives here. Entered by the
    technical secretary or the department (`defense/dossier.py`)."""

    class System(models.TextChoices):
        STRIKE = "strikeplagiarism", "StrikePlagiarism"
        ANTIPLAGIAT = "antiplagiat", "Antiplagiat"
        OTHER = "other", _("another system")

    class Decision(models.TextChoices):
        ADMITTED = "admitted", _("admitted to the defence")
        NOT_ADMITTED = "not_admitted", _("not admitted to the defence")

    examinee = models.OneToOneField(
        "commissions.Examinee", on_delete=models.CASCADE, related_name="dossier"
    )
    title_ru = models.CharField(_("thesis topic in Russian"), max_length=500, blank=True)
    title_en = models.CharField(_("thesis topic in English"), max_length=500, blank=True)
    reviewer_organisation = models.CharField(
        _("reviewer's organisation"), max_length=300, blank=True
    )
    supervisor_feedback = models.FileField(
        _("supervisor's feedback"), upload_to="reviews/", blank=True, max_length=300
    )
    review = models.FileField(_("review"), upload_to="reviews/", blank=True, max_length=300)
    reviewer_grade = models.PositiveSmallIntegerField(_("reviewer's grade"), null=True, blank=True)
    originality_system = models.CharField(
        _("originality check system"), max_length=20, choices=System.choices, blank=True
    )
    # StrikePlagiarism reports two similarity coefficients (fragments of 5 and of 25 words);
    # Antiplagiat and others one similarity percent (100 − originality).
    similarity = models.DecimalField(
        _("similarity, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    similarity_1 = models.DecimalField(
        _("similarity coefficient 1, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    similarity_2 = models.DecimalField(
        _("similarity coefficient 2, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    originality_report = models.FileField(
        _("originality report"), upload_to="reviews/", blank=True, max_length=300
    )
    # Which files open with an action or carry JavaScript ("supervisor_feedback", "review",
    # "originality_report"): accepted, served sandboxed, shown to the commission.
    active_content = models.JSONField(default=list, blank=True)
    department_decision = models.CharField(
        _("department's decision"), max_length=15, choices=Decision.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("defence dossier")
        verbose_name_plural = _("defence dossiers")
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewer_grade__isnull=True) | Q(reviewer_grade__lte=100),
                name="dossier_reviewer_grade_0_100",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(**{f"{name}__gte": 0, f"{name}__lte": 100}),
                    name=f"dossier_{name}_0_100",
                )
                for name in ("similarity", "similarity_1", "similarity_2")
            ),
        ]

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
