from django.conf import settings
from django.db import models

from caseaudit.core.chain import ChainedEntry, ChainHead

__all__ = ["ChainHead", "ChangeRecord"]


class ChangeRecord(ChainedEntry):
    """History of every change to the records people work with: who, when, before, after."""

    chain_name = "changes"
    chained_fields = ("username", "record_type", "record_id", "action", "before", "after", "reason")

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        CHANGED = "changed", "Changed"
        DELETED = "deleted", "Deleted"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text too, so the history still says who after an account is removed.
    username = models.CharField(max_length=150, blank=True)
    record_type = models.CharField(max_length=100)
    record_id = models.CharField(max_length=64)
    action = models.CharField(max_length=10, choices=Action.choices)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)

    class Meta(ChainedEntry.Meta):
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} {self.action} by {self.username}"
