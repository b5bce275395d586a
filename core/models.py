"""The transactional outbox (utkorgen): one row for everything that must leave the system or
follow a write after commit (an email, applying an onboarding plan)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar")
        DELIVERED = "delivered", _("Levererat")
        FAILED = "failed", _("Misslyckades")

    # The dotted name of a function registered with core.outbox.handler; nothing else runs.
    handler = models.CharField(max_length=200)
    args = models.JSONField(default=dict, blank=True)
    # Optional: a second enqueue with the same key writes nothing (one notice, one email).
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    # Who it is for and where they work, by id: core sits below people and cannot point at
    # their tables; people's selectors join on these for the municipal admin's list.
    recipient_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    organisation_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    delivered_at = models.DateTimeField(null=True, blank=True)
    # A failed row that an admin sent again points at the new row (so it is resent only once).
    # Forgetting the new row forgets the failure it replaced: with SET_NULL the old failure
    # came back on the admin's list (with its resend button) once the resend was purged.
    replaced_by = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replaces"
    )

    class Meta:
        verbose_name = _("utgående meddelande")
        verbose_name_plural = _("utgående meddelanden")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.handler} #{self.pk} ({self.status})"
