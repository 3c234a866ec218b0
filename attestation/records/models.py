"""The official record (SPEC K-5 … K-7, K-13): numbered protocols, their frozen bytes, and the
signatures on them. A protocol is a draft (rendered afresh) until its first signature; then
its PDF and DOCX are stored with their SHA-256 and never regenerated. A later change is a new
numbered protocol that `amends` the old one."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProtocolCounter(models.Model):
    """The last number given in one commission's year; taken under a lock (numbering.py)."""

    commission = models.ForeignKey(
        "commissions.Commission", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commission", "year"], name="one_counter_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.commission_id}/{self.year}: {self.last}"


class Protocol(models.Model):
    class Kind(models.TextChoices):
        EXAMINEE = "examinee", _("examinee protocol")
        SITTING = "sitting", _("sitting protocol")
        DEGREE = "degree", _("protocol on awarding the degree")
        APPEAL = "appeal", _("appeal protocol")

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("protocol", "draft")
        SIGNED = "signed", pgettext_lazy("protocol", "signed")

    commission = models.ForeignKey(
        "commissions.Commission", on_delete=models.PROTECT, related_name="protocols"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    sitting = models.ForeignKey(
        "commissions.Sitting", on_delete=models.PROTECT, related_name="protocols"
    )
    examinee = models.ForeignKey(
        "commissions.Examinee",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protocols",
    )
    application = models.OneToOneField(
        "applications.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="protocol",
    )
    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amended_by"
    )
    reason = models.TextField(_("reason"), blank=True)
    # The chair's characterisation of the answer (K-5), editable while a draft.
    characterisation = models.TextField(_("characterisation of the answer"), blank=True)
    language = models.CharField(_("language"), max_length=5, default="kk")
    # The grade an examinee protocol records, kept when it is signed.
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    pdf = models.BinaryField(null=True, blank=True)
    docx = models.BinaryField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "year", "number"], name="protocol_number_unique"
            ),
            models.UniqueConstraint(
                fields=["examinee"],
                condition=Q(kind="examinee", amends__isnull=True),
                name="one_examinee_protocol",
            ),
            models.UniqueConstraint(
                fields=["sitting", "kind"],
                condition=Q(kind__in=["sitting", "degree"]),
                name="one_sitting_protocol_of_a_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number} ({self.year})"

    @property
    def signed(self) -> bool:
        return self.status == self.Status.SIGNED


class Signature(models.Model):
    class Ecp(models.TextChoices):
        NONE = "none", _("no digital signature")
        UNVERIFIED = "unverified", _("not verified")
        VALID = "valid", _("digital signature valid")
        INVALID = "invalid", _("digital signature invalid")

    protocol = models.ForeignKey(Protocol, on_delete=models.PROTECT, related_name="signatures")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=10)
    signed_at = models.DateTimeField(default=timezone.now)
    sha256 = models.CharField(max_length=64)
    cms = models.BinaryField(null=True, blank=True)
    ecp = models.CharField(max_length=10, choices=Ecp.choices, default=Ecp.NONE)
    ecp_detail = models.TextField(blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(fields=["protocol", "user"], name="one_signature_each")
        ]

    def __str__(self) -> str:
        return f"{self.protocol} · {self.user_id}"


class ChairReport(models.Model):
    """The chair's report after the SAC (K-15), one per commission: the chair's own words on
    the quality of training and the recommendations. The figures (results by grade, honours,
    failures) are not stored: they are read from the record each time the report is made."""

    MAX_LENGTH = 6000  # a page and a half of A4 for each remark

    commission = models.OneToOneField(
        "commissions.Commission", on_delete=models.CASCADE, related_name="chair_report"
    )
    quality = models.TextField(_("remarks on the quality of training"), blank=True)
    recommendations = models.TextField(_("recommendations"), blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("chair's report")
        verbose_name_plural = _("chair's reports")

    def __str__(self) -> str:
        return f"{self.commission_id}"


class ChairReportCopy(models.Model):
    """A copy of the chair's report the chair signed (K-15): the PDF and DOCX as they were at
    the signature, with their SHA-256, never regenerated (like a signed protocol). The report
    itself stays a document made on demand; each signature freezes the next numbered copy,
    and the latest one is what the Academic Council received."""

    report = models.ForeignKey(ChairReport, on_delete=models.PROTECT, related_name="copies")
    number = models.PositiveIntegerField(_("number"))
    language = models.CharField(_("language"), max_length=5)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(default=timezone.now)
    # The content before rendering (figures, remarks, language): signing the same again
    # returns this copy instead of a second one.
    content_sha256 = models.CharField(max_length=64)
    pdf = models.BinaryField()
    docx = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    docx_sha256 = models.CharField(max_length=64)
    cms = models.BinaryField(null=True, blank=True)
    ecp = models.CharField(max_length=10, choices=Signature.Ecp.choices, default=Signature.Ecp.NONE)
    ecp_detail = models.TextField(blank=True)

    class Meta:
        verbose_name = _("signed copy of the chair's report")
        verbose_name_plural = _("signed copies of the chair's report")
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="one_report_copy_number")
        ]

    def __str__(self) -> str:
        return f"№ {self.number} ({self.language})"
