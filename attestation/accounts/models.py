"""People. Commission roles (chair, member, secretary) are memberships in `commissions`;
here live the person, the student's record and the two global facts: registrar and API tokens."""

import hashlib
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="kk"
    )
    # The registrar's office sets everything up for the whole university; it is the one role
    # that is not scoped to a commission.
    is_registrar = models.BooleanField(_("registrar"), default=False)
    # SPEC K-1: the chair of a SAC is external. The registrar (import column or admin) marks
    # the university's own staff; the set-up warns when such a person chairs a commission.
    is_university_employee = models.BooleanField(
        _("employee of the university"),
        default=False,
        help_text=_("A member of the university's staff: cannot be an external chair (K-1)."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "username"]

    def __str__(self) -> str:
        return self.display_name

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._registrar_was = instance.__dict__.get("is_registrar")
        return instance

    def save(self, *args, **kwargs):
        # The registrar's tool is the admin: the flag brings the staff status and the
        # "registrar" group's permissions (accounts.roles), wherever it is set.
        if self.is_registrar:
            self.is_staff = True
        adding = self._state.adding
        # `set_password` leaves the new raw password in `_password` until the save; every way
        # of changing one (the page, a reset, the admin, `changepassword`) passes here, so the
        # person's API tokens are revoked here, with the change.
        password_changed = self._password is not None and not adding
        super().save(*args, **kwargs)
        if password_changed:
            from attestation.accounts.services import api_tokens_revoke_all

            api_tokens_revoke_all(user=self, actor=self, reason="password_changed")
        was = getattr(self, "_registrar_was", None)
        if (adding and self.is_registrar) or (not adding and was != self.is_registrar):
            from attestation.accounts.roles import registrar_membership_sync

            registrar_membership_sync(self)
        self._registrar_was = self.is_registrar

    @property
    def display_name(self) -> str:
        return self.full_name or self.get_full_name() or self.username


class Student(models.Model):
    """A graduating student's record, as the registrar imports it."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="student", verbose_name=_("user")
    )
    group = models.CharField(_("academic group"), max_length=50)
    programme = models.CharField(_("educational programme"), max_length=200, blank=True)
    # Optional: the secretary sees only its last digits when checking identity.
    id_document_number = models.CharField(_("ID document number"), max_length=40, blank=True)
    # SPEC K-10: the grade point average over the studies, from the student information
    # system (the students import's «GPA» column, or the registrar in the admin). Empty: not
    # known yet — no diploma with honours can be decided without it.
    gpa = models.DecimalField(
        _("GPA"),
        max_digits=3,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("4"))],
        help_text=_("Grade point average over the studies, from 0.00 to 4.00."),
    )

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["user__full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(gpa__isnull=True) | Q(gpa__gte=0, gpa__lte=4), name="student_gpa_0_4"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user.display_name} ({self.group})"

    @property
    def full_name(self) -> str:
        return self.user.display_name

    @property
    def id_document_tail(self) -> str:
        return self.id_document_number[-4:] if self.id_document_number else ""


class DepartmentProgramme(models.Model):
    """The `department` role (SPEC K-8): a person of a graduating department who keeps the
    defence dossiers of one educational programme. The programme is named as in
    `Student.programme` and `Commission.programme`; a person may keep several. Set by the
    registrar in the admin."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="department_programmes",
        verbose_name=_("user"),
    )
    programme = models.CharField(_("educational programme"), max_length=200)

    class Meta:
        verbose_name = _("department's programme")
        verbose_name_plural = _("departments' programmes")
        ordering = ["programme", "user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "programme"], name="department_programme_once"),
            models.CheckConstraint(
                condition=~models.Q(programme=""), name="department_programme_named"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.programme}"


class ApiToken(models.Model):
    """A bearer token for the JSON API. Only its SHA-256 is stored: a leaked database leaks
    no usable token. A row (not a signature alone) so that a token can be revoked."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} · {self.created_at:%Y-%m-%d}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(32)


class SignInFailure(models.Model):
    """One sign-in attempt counted against the limit: a failure, or one still being checked
    (accounts/services.py `signin_attempt_begin`). Kept in the database (not a per-process
    cache) so that throttling holds across every worker. `username` is casefolded."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, db_index=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")

    def __str__(self) -> str:
        return f"{self.username} {self.ip} {self.at:%Y-%m-%d %H:%M}"
