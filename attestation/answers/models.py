"""The written answer: photographed pages (R-14.1), the assembled PDF, and phone upload links."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def page_path(instance: "AnswerPage", filename: str) -> str:
    # Server-made names only: the student's file name never reaches the file system.
    return f"answers/{instance.examinee.sitting_id}/{instance.examinee_id}/{instance.sha256}.jpg"


class AnswerPage(models.Model):
    examinee = models.ForeignKey(
        "commissions.Examinee", on_delete=models.CASCADE, related_name="pages"
    )
    number = models.PositiveSmallIntegerField(_("page number"))
    image = models.FileField(_("image"), upload_to=page_path, max_length=300)
    sha256 = models.CharField(max_length=64)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    warnings = models.JSONField(default=list, blank=True)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer page")
        verbose_name_plural = _("answer pages")
        ordering = ["examinee", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["examinee", "number"], name="answer_page_number_unique"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="answer_page_number_gte_1"),
        ]

    def __str__(self) -> str:
        return f"{self.examinee} · p.{self.number}"


class AnswerDocument(models.Model):
    """The pages assembled into one PDF at submission, in page order, for the commission."""

    examinee = models.OneToOneField(
        "commissions.Examinee", on_delete=models.CASCADE, related_name="answer_document"
    )
    pdf = models.FileField(upload_to="answers/pdf/", max_length=300)
    sha256 = models.CharField(max_length=64)
    pages = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("answer document")
        verbose_name_plural = _("answer documents")

    def __str__(self) -> str:
        return f"{self.examinee} · PDF"


class UploadLink(models.Model):
    """A phone's way in without signing in: a signed token names this row, which can expire
    or be revoked (a signature alone cannot be revoked)."""

    examinee = models.ForeignKey(
        "commissions.Examinee", on_delete=models.CASCADE, related_name="upload_links"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.examinee} · {self.expires_at:%H:%M}"
