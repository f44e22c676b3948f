"""Optimistic locking: a record edited in a form carries a ``lock_version``; the form posts the
version it was loaded with, and the save is one conditional UPDATE (``… WHERE lock_version =
<posted>``). Of two saves made from the same version exactly one wins, on SQLite or
PostgreSQL, and the other is refused rather than silently written over the first.

Audits (``audits.actions.workflow``), the reflection sheet and the highlight report's narrative
all save this way.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F


class ChangedSinceOpened(ValidationError):
    """The form was loaded at an older ``lock_version``: someone saved in between. Nothing
    was written; the message tells the person so in their words."""

    def __init__(self, message: str):
        super().__init__(message, code="changed_since_opened")


def claim(queryset: models.QuerySet, pk, lock_version: int) -> bool:
    """Move the row on to the next version if it is still at ``lock_version``.

    ``queryset`` may carry further conditions (an audit must still be open). True if this
    save won; the row then stays locked by our transaction until it commits.
    """
    return bool(
        queryset.filter(pk=pk, lock_version=lock_version).update(lock_version=F("lock_version") + 1)
    )
