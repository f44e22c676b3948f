"""What the home page says of thematic audits: actions due or overdue for their owner and the
lead, and re-reviews that have come round."""

from django.db.models import Count, Q
from django.urls import reverse

from caseaudit.accounts import permissions
from caseaudit.core import clock
from caseaudit.thematic.choices import ActionStatus, ThematicStatus
from caseaudit.thematic.models import PlanAction, ThematicAudit
from caseaudit.thematic.querysets import DUE_SOON_WORKING_DAYS, due_soon_q, overdue_q


def _counts(actions) -> dict:
    """Open, overdue and due-soon actions, in one query."""
    return actions.aggregate(
        open=Count("pk", filter=Q(status__in=ActionStatus.open())),
        overdue=Count("pk", filter=overdue_q()),
        due=Count("pk", filter=due_soon_q()),
    )


def _due_words(counts: dict) -> str:
    parts = []
    if counts["overdue"]:
        parts.append(f"{counts['overdue']} overdue")
    if counts["due"]:
        parts.append(f"{counts['due']} due within {DUE_SOON_WORKING_DAYS} working days")
    return " and ".join(parts)


def next_steps(user) -> list[dict]:
    if not permissions.can_own_thematic_actions(user):
        return []
    steps = []
    mine = _counts(
        PlanAction.objects.filter(owner=user, thematic_audit__council_id=user.council_id)
    )
    if mine["open"]:
        owned = mine["open"]
        due = _due_words(mine)
        steps.append(
            {
                "text": f"You own {owned} open action{'s' if owned != 1 else ''} from thematic "
                f"audits{f': {due}' if due else ''}.",
                "link": reverse("thematic:your_actions"),
                "label": "See your thematic actions",
            }
        )
    if permissions.can_lead_thematic_audits(user):
        led = _counts(
            PlanAction.objects.filter(
                thematic_audit__lead=user, thematic_audit__council_id=user.council_id
            ).exclude(owner=user)
        )
        if led["overdue"] or led["due"]:
            steps.append(
                {
                    "text": "Actions others own in the thematic audits you lead: "
                    f"{_due_words(led)}.",
                    "link": reverse("thematic:index"),
                    "label": "See your thematic audits",
                }
            )
        rereviews = (
            ThematicAudit.objects.visible_to(user)
            .filter(status=ThematicStatus.COMPLETE, rereview_due__lte=clock.today())
            .count()
        )
        if rereviews:
            steps.append(
                {
                    "text": f"{rereviews} thematic audit{'s are' if rereviews != 1 else ' is'} "
                    "due for re-review.",
                    "link": reverse("thematic:forward_plan"),
                    "label": "See the forward plan",
                }
            )
    return steps
