"""What the home page says of thematic audits: actions due or overdue for their owner and the
lead, and re-reviews that have come round."""

from django.urls import reverse

from caseaudit.accounts import permissions
from caseaudit.core import clock
from caseaudit.thematic.choices import ActionStatus, ThematicStatus
from caseaudit.thematic.models import PlanAction, ThematicAudit
from caseaudit.thematic.querysets import overdue_q


def next_steps(user) -> list[dict]:
    if not permissions.can_own_thematic_actions(user):
        return []
    steps = []
    mine = PlanAction.objects.filter(owner=user, thematic_audit__council_id=user.council_id)
    owned = mine.filter(status__in=ActionStatus.open()).count()
    overdue = mine.filter(overdue_q()).count()
    if owned:
        late = f", {overdue} of them overdue" if overdue else ""
        steps.append(
            {
                "text": f"You own {owned} open action{'s' if owned != 1 else ''} from thematic "
                f"audits{late}.",
                "link": reverse("thematic:your_actions"),
                "label": "See your thematic actions",
            }
        )
    if permissions.can_lead_thematic_audits(user):
        led_overdue = (
            PlanAction.objects.filter(overdue_q(), thematic_audit__lead=user)
            .exclude(owner=user)
            .count()
        )
        if led_overdue:
            steps.append(
                {
                    "text": f"{led_overdue} action{'s' if led_overdue != 1 else ''} of the "
                    "thematic audits you lead "
                    f"{'are' if led_overdue != 1 else 'is'} overdue.",
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
