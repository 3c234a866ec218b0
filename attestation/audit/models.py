from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One state change: who, what, from → to, when (server time), why. Append-only."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    target_type = models.CharField(_("object type"), max_length=80)
    target_id = models.CharField(_("object id"), max_length=40)
    target_repr = models.CharField(_("object"), max_length=300)
    from_state = models.CharField(_("from"), max_length=80, blank=True)
    to_state = models.CharField(_("to"), max_length=80, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # The hash chain (audit/chain.py): the row's place in it, the previous row's hash and this
    # row's own, SHA-256 over its content and `prev_hash`. Editing or deleting a row behind
    # the application's back breaks the chain at that row (`manage.py audit_verify`).
    seq = models.PositiveBigIntegerField(_("number in the chain"), null=True, unique=True)
    prev_hash = models.CharField(_("previous row's hash"), max_length=64, blank=True)
    hash = models.CharField(_("hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.target_repr}"


class AuditChainHead(models.Model):
    """One row (id 1): the chain's last number and hash. Every audit row updates it first, in
    its own transaction, so concurrent writers take their turn on this one row (PostgreSQL's
    row lock; SQLite's IMMEDIATE transaction) and the chain never forks."""

    seq = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.seq} {self.last_hash}"
