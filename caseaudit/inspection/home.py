"""What the home page says of inspection recommendations: the actions a person owns, and how
many are overdue."""

from django.db.models import Count, Q
from django.urls import reverse

from caseaudit.accounts import permissions
from caseaudit.inspection.models import RecommendationAction
from caseaudit.thematic.choices import ActionStatus
from caseaudit.thematic.querysets import overdue_q


def next_steps(user) -> list[dict]:
    if not permissions.can_own_inspection_actions(user):
        return []
    mine = (
        RecommendationAction.objects.visible_to(user)
        .filter(owner=user)
        .aggregate(
            open=Count("pk", filter=Q(status__in=ActionStatus.open())),
            overdue=Count("pk", filter=overdue_q()),
        )
    )
    if not mine["open"]:
        return []
    owned, overdue = mine["open"], mine["overdue"]
    return [
        {
            "text": f"You own {owned} open action{'s' if owned != 1 else ''} answering "
            f"inspection recommendations{f': {overdue} overdue' if overdue else ''}.",
            "link": reverse("inspection:your_actions"),
            "label": "See your inspection actions",
        }
    ]
