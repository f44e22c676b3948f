"""Who a person is in the service: their role, what they may see, and their job today."""

from caseaudit.core.roles import SCOPES_WITH_A_PLACE, Role


def profile(user) -> dict:
    """What the account page and the home page say about the person signed in."""
    return {
        "role": Role(user.role),
        "scope_label": scope_label(user),
        "assignment": user.worker.current_assignment() if user.worker_id else None,
    }


def scope_label(user) -> str:
    target = user.scope_team or user.scope_service or user.scope_area or user.council
    if user.scope_service and user.scope_area:
        target = f"{user.scope_service} in {user.scope_area}"
    label = user.get_scope_display()
    return f"{label}: {target}" if target and user.scope in SCOPES_WITH_A_PLACE else label
