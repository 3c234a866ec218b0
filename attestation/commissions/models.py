"""The attestation world: commissions, their members, sittings and the examinees in them.

The data model covers every form of the source document from the start: written and oral
exams (R-6.1…R-17.1), defences (R-18.1…R-27.1), absence applications and appeals. Later
features add behaviour, not reshaping.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

_LABELS: dict = {}


def choice_label(choices: type[models.TextChoices], value) -> str:
    """What Django's `get_FOO_display()` gives (the label in the active language, or the
    value itself), from a dict built once: Django's rebuilds the field's choices on every call,
    and the student's pages show a status and a form per row (bench/run.py)."""
    labels = _LABELS.get(choices)
    if labels is None:
        labels = _LABELS[choices] = dict(choices.choices)
    return force_str(labels.get(value, value), strings_only=True)


class Commission(models.Model):
    class Kind(models.TextChoices):
        SAC = "sac", _("State Attestation Commission")
        APPEAL = "appeal", _("Appeal commission")

    code = models.SlugField(_("code"), max_length=50, unique=True)
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.SAC)
    programme = models.CharField(_("educational programme"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    # Appeals against this SAC's grades go to this appeal commission (set up by the registrar).
    appeal_commission = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appealed_commissions",
        limit_choices_to={"kind": "appeal"},
        verbose_name=_("appeal commission"),
    )
    # SPEC K-1: the composition is approved by an order; the protocols cite it.
    order_number = models.CharField(_("approving order number"), max_length=50, blank=True)
    order_date = models.DateField(_("approving order date"), null=True, blank=True)

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class Membership(models.Model):
    """A person's role in one commission. A chair grades too; a secretary may serve several.

    The deputy chair (SPEC K-1) is a member of the commission who also holds the `deputy`
    role: the `member` membership lets them grade like any member, the `deputy` one lets them
    act for the chair (final grades, announcement, absence applications) at a sitting where
    the secretary marked the chair absent."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        DEPUTY = "deputy", _("deputy chair")
        MEMBER = "member", _("member")
        SECRETARY = "secretary", _("technical secretary")

    commission = models.ForeignKey(Commission, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)

    class Meta:
        verbose_name = _("commission membership")
        verbose_name_plural = _("commission memberships")
        ordering = ["commission", "role", "user__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "user", "role"], name="membership_once_per_role"
            ),
            models.UniqueConstraint(
                fields=["commission"], condition=Q(role="chair"), name="one_chair_per_commission"
            ),
            models.UniqueConstraint(
                fields=["commission"], condition=Q(role="deputy"), name="one_deputy_per_commission"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.commission.code}"


# What a sitting's calendar event shows: a change to any of them is a new SEQUENCE.
CALENDAR_FIELDS = (
    "starts_at",
    "title",
    "form",
    "conference_url",
    "writing_minutes",
    "slot_minutes",
)


class Sitting(models.Model):
    """One meeting of a commission on one day for one form."""

    class Form(models.TextChoices):
        WRITTEN_EXAM = "written_exam", _("written exam")
        ORAL_EXAM = "oral_exam", _("oral exam")
        DEFENSE = "defense", _("thesis defence")

    class ExamKind(models.TextChoices):
        STATE = "state", _("state exam")
        COMPLEX = "complex", _("complex exam")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        IN_PROGRESS = "in_progress", _("in progress")
        GRADING = "grading", _("grading")
        ANNOUNCED = "announced", _("results announced")
        CANCELLED = "cancelled", _("cancelled")

    commission = models.ForeignKey(
        Commission, on_delete=models.PROTECT, related_name="sittings", verbose_name=_("commission")
    )
    code = models.SlugField(_("code"), max_length=60, unique=True)
    form = models.CharField(_("form"), max_length=20, choices=Form.choices)
    exam_kind = models.CharField(
        _("exam kind"), max_length=10, choices=ExamKind.choices, blank=True
    )
    # A state or complex exam is titled by its disciplines; a defence by its programme.
    title = models.CharField(_("title"), max_length=300)
    starts_at = models.DateTimeField(_("starts at"))
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.SCHEDULED
    )
    conference_provider = models.CharField(
        _("conference provider"), max_length=20, default="manual"
    )
    conference_url = models.URLField(_("conference link"), max_length=500, blank=True)
    ticket_bank = models.ForeignKey(
        "tickets.TicketBank",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sittings",
        verbose_name=_("ticket bank"),
    )
    # Per-sitting rules; defaults from the source document.
    tickets_may_repeat = models.BooleanField(
        _("tickets may repeat"),
        default=False,
        help_text=_("Off: no ticket is drawn twice in this sitting until the bank is used up."),
    )
    writing_minutes = models.PositiveIntegerField(_("writing time, minutes"), default=120)
    upload_minutes = models.PositiveIntegerField(_("upload window, minutes"), default=30)
    grading_minutes = models.PositiveIntegerField(_("grading time, minutes"), default=120)
    questioning_delay_minutes = models.PositiveIntegerField(
        _("preparation before questioning, minutes"), default=30
    )
    slot_minutes = models.PositiveIntegerField(_("defence slot, minutes"), default=15)
    thesis_deadline_days = models.PositiveIntegerField(
        _("thesis due, days before"), default=2
    )
    announce_at = models.DateTimeField(_("results announced at"), null=True, blank=True)
    announced_at = models.DateTimeField(_("results published"), null=True, blank=True)
    # A second sitting points at the one whose absentees it serves.
    second_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="second_sittings",
        verbose_name=_("second sitting of"),
    )
    # What calendars need to update an event instead of adding a second one (RFC 5545
    # SEQUENCE, LAST-MODIFIED): bumped by `save` whenever what the event shows changes.
    calendar_sequence = models.PositiveIntegerField(default=0, editable=False)
    calendar_modified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("sitting")
        verbose_name_plural = _("sittings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["commission", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(form__in=["written_exam", "oral_exam", "defense"]),
                name="sitting_form_valid",
            ),
            models.CheckConstraint(condition=Q(writing_minutes__gt=0), name="writing_minutes_gt_0"),
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.starts_at)
        return f"{self.title} · {self.get_form_display()} · {when:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if self._calendar_changed():
            self.calendar_sequence += 1
            self.calendar_modified_at = timezone.now()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {
                    *kwargs["update_fields"],
                    "calendar_sequence",
                    "calendar_modified_at",
                }
        super().save(*args, **kwargs)
        self._calendar_loaded = self._calendar_state()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._calendar_loaded = instance._calendar_state()
        return instance

    def _calendar_state(self) -> dict:
        # Only the fields loaded: a deferred field is not a change.
        return {name: self.__dict__[name] for name in CALENDAR_FIELDS if name in self.__dict__}

    def _calendar_changed(self) -> bool:
        loaded = getattr(self, "_calendar_loaded", None)
        if self.pk is None or loaded is None:
            return False
        now = self._calendar_state()
        return any(now.get(name, value) != value for name, value in loaded.items())

    @property
    def is_exam(self) -> bool:
        return self.form in (self.Form.WRITTEN_EXAM, self.Form.ORAL_EXAM)

    @property
    def join_minutes_before(self) -> int:
        """Students join the conference 30 minutes before an exam (R-8.1), 15 before a
        defence (R-20.1)."""
        return 15 if self.form == self.Form.DEFENSE else 30

    @property
    def join_opens_at(self):
        return self.starts_at - timedelta(minutes=self.join_minutes_before)

    def get_form_display(self) -> str:
        return choice_label(self.Form, self.form)

    def get_exam_kind_display(self) -> str:
        return choice_label(self.ExamKind, self.exam_kind)

    def get_status_display(self) -> str:
        return choice_label(self.Status, self.status)

    @property
    def form_label(self) -> str:
        if self.form != self.Form.DEFENSE and self.exam_kind:
            return f"{self.get_exam_kind_display()} ({self.get_form_display()})"
        return str(self.get_form_display())


# The languages of a ticket bank a student may be examined in (SPEC K-14).
EXAM_LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian"))]


class Examinee(models.Model):
    """One student's place in one sitting: order in the list, entry status and what follows.

    `status` is the entry's state machine; only services change it, each writing an audit row.
    """

    class Status(models.TextChoices):
        WAITING = "waiting", pgettext_lazy("examinee", "waiting")
        IDENTIFIED = "identified", _("identity checked")
        ADMITTED = "admitted", _("admitted")
        DRAWN = "drawn", _("ticket drawn")
        SUBMITTED = "submitted", _("answer submitted")
        ANSWERING = "answering", _("answering")
        DONE = "done", _("finished")
        SUSPENDED = "suspended", _("suspended")
        TERMINATED = "terminated", _("terminated — not completed")
        ABSENT = "absent", _("absent")
        ABSENT_VALID = "absent_valid", _("absent — valid reason")
        MOVED = "moved", _("moved to another sitting")

    sitting = models.ForeignKey(
        Sitting, on_delete=models.CASCADE, related_name="examinees", verbose_name=_("sitting")
    )
    student = models.ForeignKey(
        "accounts.Student",
        on_delete=models.PROTECT,
        related_name="examinees",
        verbose_name=_("student"),
    )
    position = models.PositiveIntegerField(_("place in the list"))
    status = models.CharField(
        _("status"), max_length=15, choices=Status.choices, default=Status.WAITING
    )
    rules_acknowledged_at = models.DateTimeField(_("rules acknowledged"), null=True, blank=True)
    # Identity check
    identity_verified_at = models.DateTimeField(_("identity verified"), null=True, blank=True)
    identity_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    identity_note = models.CharField(_("identity note"), max_length=500, blank=True)
    admitted_at = models.DateTimeField(_("admitted"), null=True, blank=True)
    # The day before
    invitation_sent_at = models.DateTimeField(_("invitation sent"), null=True, blank=True)
    connection_checked_at = models.DateTimeField(_("connection checked"), null=True, blank=True)
    connection_ok = models.BooleanField(_("connection fine"), null=True, blank=True)
    connection_note = models.CharField(_("connection note"), max_length=500, blank=True)
    # Written answer
    upload_extended_until = models.DateTimeField(_("upload extended until"), null=True, blank=True)
    # Accommodations (SPEC K-14): extra writing time, set by the secretary or the chair, also
    # during the exam (commissions/accommodations.py); the deadlines add it (deadlines.py).
    extra_minutes = models.PositiveIntegerField(_("extra time, minutes"), default=0)
    extra_reason = models.CharField(_("reason for the extra time"), max_length=500, blank=True)
    # The language of the tickets this student draws (K-14); blank: any ticket of the bank.
    exam_language = models.CharField(
        _("exam language"),
        max_length=5,
        choices=EXAM_LANGUAGES,
        blank=True,
        help_text=_("Only tickets in this language are offered; blank: any ticket of the bank."),
    )
    submitted_at = models.DateTimeField(_("answer submitted"), null=True, blank=True)
    # Oral exam and defence
    questioning_started_at = models.DateTimeField(_("questioning started"), null=True, blank=True)
    questioning_ended_at = models.DateTimeField(_("questioning ended"), null=True, blank=True)
    # Defence: what is defended and who read it.
    thesis_topic = models.CharField(_("thesis topic"), max_length=500, blank=True)
    supervisor = models.CharField(_("supervisor"), max_length=200, blank=True)
    reviewer = models.CharField(_("reviewer"), max_length=200, blank=True)
    # The commission's grade after discussion (R-16.1); the members' own scores are `Score`s.
    final_score = models.PositiveSmallIntegerField(_("final score"), null=True, blank=True)
    final_set_at = models.DateTimeField(null=True, blank=True)
    # Camera heartbeat: a prompt for the commission, never a verdict.
    camera_seen_at = models.DateTimeField(null=True, blank=True)
    # Absence moved to another sitting: where the student went.
    moved_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="moved_from"
    )

    class Meta:
        verbose_name = _("examinee")
        verbose_name_plural = _("examinees")
        ordering = ["sitting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "student"], name="examinee_once_per_sitting"
            ),
            models.UniqueConstraint(
                fields=["sitting", "position"], name="examinee_position_unique"
            ),
            models.CheckConstraint(
                condition=Q(final_score__isnull=True) | Q(final_score__lte=100),
                name="final_score_0_100",
            ),
        ]
        indexes = [models.Index(fields=["sitting", "status"])]

    def __str__(self) -> str:
        return f"{self.position}. {self.student.full_name} · {self.sitting.code}"

    def get_status_display(self) -> str:
        return choice_label(self.Status, self.status)

    # The green entry: admitted and not suspended, terminated or absent.
    ADMITTED_STATUSES = (Status.ADMITTED, Status.DRAWN, Status.SUBMITTED, Status.ANSWERING)

    @property
    def admitted(self) -> bool:
        return self.status in self.ADMITTED_STATUSES

    @property
    def identity_verified(self) -> bool:
        return self.identity_verified_at is not None


# --- The commission's decision (SPEC K-2 … K-4); the rules live in `commissions.quorum`. ---


class Attendance(models.Model):
    """Whether one member of the commission (chair, deputy chair, member) sits at one sitting,
    as the technical secretary records it at the start and corrects it during the sitting."""

    sitting = models.ForeignKey(
        Sitting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("sitting")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="attendance",
        verbose_name=_("member"),
    )
    present = models.BooleanField(_("present"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["sitting", "user"], name="attendance_once_per_sitting")
        ]

    def __str__(self) -> str:
        return f"{self.sitting.code} · {self.user} · {'+' if self.present else '-'}"


class Recusal(models.Model):
    """A conflict of interest (SPEC K-3): this person does not grade this examinee."""

    examinee = models.ForeignKey(
        Examinee, on_delete=models.CASCADE, related_name="recusals", verbose_name=_("examinee")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="recusals",
        verbose_name=_("member"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    # Made by the system: the member is the thesis's supervisor (the reason is then shown in
    # the reader's language, see `Recusal.reason_text`).
    automatic = models.BooleanField(_("supervisor of the thesis"), default=False)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["examinee", "user"], name="recusal_once_per_examinee")
        ]

    def __str__(self) -> str:
        return f"{self.examinee} · {self.user}"

    @property
    def reason_text(self) -> str:
        if self.automatic and not self.reason:
            return str(_("The supervisor of this thesis"))
        return self.reason


class Dissent(models.Model):
    """A member's dissenting opinion on the decision about one examinee (SPEC K-4)."""

    examinee = models.ForeignKey(
        Examinee, on_delete=models.CASCADE, related_name="dissents", verbose_name=_("examinee")
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="dissents",
        verbose_name=_("member"),
    )
    text = models.TextField(_("dissenting opinion"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("dissenting opinion")
        verbose_name_plural = _("dissenting opinions")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["examinee", "member"], name="dissent_once_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.examinee} · {self.member}"
