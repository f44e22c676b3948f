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


def link_single_sign_on(user, *, tenant: str, subject: str) -> None:
    """A person's first sign-in through the identity provider: from now on the provider's
    subject and tenant (accounts/backends.py) find them, whatever their email becomes."""
    with transaction.atomic():
        user.sso_tenant, user.sso_subject = tenant, subject
        user.save(update_fields=["sso_tenant", "sso_subject"])
        record_change(
            user,
            by=user,
            action="changed",
            before={"single_sign_on": ""},
            after={"single_sign_on": f"{tenant} {subject}"},
            reason="Linked at their first single sign-on",
        )


def unlink_single_sign_on(user, *, by) -> bool:
    """An administrator undoes a link (made to the wrong account, or the person has a new
    account at the provider): their next sign-in links again by email. False if not linked."""
    if user.sso_subject is None:
        return False
    with transaction.atomic():
        before = {"single_sign_on": f"{user.sso_tenant} {user.sso_subject}"}
        user.sso_tenant = user.sso_subject = None
        user.save(update_fields=["sso_tenant", "sso_subject"])
        record_change(user, by=by, action="changed", before=before, after={}, reason="Unlinked")
    return True
