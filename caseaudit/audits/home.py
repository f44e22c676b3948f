"""What the audit programme puts at the top of a person's home page: the safeguarding alerts
they were told of that nobody has acted on yet. Their work queues (audits, requests,
moderation, reflections, practice actions) are the site's (``site/queues.py``)."""

from caseaudit.accounts import permissions
from caseaudit.audits.models import SafeguardingAlert


def open_alerts(user) -> list[SafeguardingAlert]:
    """Alerts this person was told of that nobody has acted on yet: they stay until then."""
    if not permissions.can_see_child_records(user):
        return []
    return list(
        SafeguardingAlert.objects.open()
        .filter(recipients=user, audit__council_id=user.council_id)
        .select_related("audit__child", "raised_by")
        .order_by("raised_at")
    )
