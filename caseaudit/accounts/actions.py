"""Changes to people's accounts, each with its history in the same transaction."""

from django.core.exceptions import ValidationError
from django.db import transaction

from caseaudit.core.history import record_change, snapshot


def deactivate_user(user, *, by) -> bool:
    """Stop ``user`` signing in. False if they already could not.

    Accounts are never deleted: the access log and the history name them, and both are
    append-only, so deactivation is how someone leaves.
    """
    if user.pk == by.pk:
        raise ValidationError("You cannot deactivate your own account.")
    if not user.is_active:
        return False
    with transaction.atomic():
        before = snapshot(user)
        user.is_active = False
        user.save(update_fields=["is_active"])
        record_change(user, by=by, action="changed", before=before, reason="Deactivated")
    return True
