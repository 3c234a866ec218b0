"""Ticket banks, tickets with ordered questions, and the one draw per examinee (R-10.2, R-11.1)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TicketBank(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    commission = models.ForeignKey(
        "commissions.Commission",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ticket_banks",
        verbose_name=_("commission"),
    )

    class Meta:
        verbose_name = _("ticket bank")
        verbose_name_plural = _("ticket banks")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class Ticket(models.Model):
    bank = models.ForeignKey(
        TicketBank, on_delete=models.CASCADE, related_name="tickets", verbose_name=_("ticket bank")
    )
    number = models.PositiveIntegerField(_("number"))
    language = models.CharField(
        _("language"), max_length=5, choices=settings.LANGUAGES, default="kk"
    )

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")
        ordering = ["bank", "number"]
        constraints = [
            models.UniqueConstraint(fields=["bank", "number"], name="ticket_number_unique_in_bank")
        ]

    def __str__(self) -> str:
        return f"{self.bank.code} · №{self.number}"

    @property
    def question_texts(self) -> list[str]:
        return [q.text for q in self.questions.all()]


class Question(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.TextField(_("question"))

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["ticket", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "position"], name="question_position_unique")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:60]}"


class Draw(models.Model):
    """The examinee's one, final draw. The database keeps the two invariants: one draw per
    examinee (OneToOne) and, in a no-repeat sitting, one use of a ticket per round of the bank
    (`round` is how many times the ticket had been drawn in the sitting before; null where
    tickets may repeat)."""

    examinee = models.OneToOneField(
        "commissions.Examinee", on_delete=models.CASCADE, related_name="draw"
    )
    sitting = models.ForeignKey(
        "commissions.Sitting", on_delete=models.CASCADE, related_name="draws"
    )
    ticket = models.ForeignKey(Ticket, on_delete=models.PROTECT, related_name="draws")
    round = models.PositiveIntegerField(null=True, blank=True)
    card_position = models.PositiveIntegerField(_("card chosen"))
    drawn_at = models.DateTimeField(_("drawn at"), default=timezone.now)

    class Meta:
        verbose_name = _("draw")
        verbose_name_plural = _("draws")
        constraints = [
            models.UniqueConstraint(
                fields=["sitting", "ticket", "round"],
                condition=Q(round__isnull=False),
                name="ticket_once_per_round",
            )
        ]

    def __str__(self) -> str:
        return f"{self.examinee} → {self.ticket}"
