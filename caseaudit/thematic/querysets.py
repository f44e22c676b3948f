"""Who may see which thematic audits and actions, and when an action is overdue."""

import datetime

from django.db import models
from django.db.models import Q

from caseaudit.accounts import permissions
from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.models import Audit
from caseaudit.core import clock
from caseaudit.core.grades import Grade
from caseaudit.thematic.choices import ActionStatus, ThematicStatus


class ThematicAuditQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The QA lead sees the council's thematic audits; an inspection lead those they
        lead; anyone else none (a team manager reaches theirs through their audits and
        actions)."""
        if not permissions.can_lead_thematic_audits(user):
            return self.none()
        mine = self.filter(council_id=user.council_id)
        if permissions.sees_all_thematic_audits(user):
            return mine
        return mine.filter(lead=user)


def overdue_q(today: datetime.date | None = None) -> Q:
    """Never stored: an action not done whose due date has passed."""
    return Q(status__in=ActionStatus.open(), due_date__lt=today or clock.today())


class PlanActionQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date | None = None):
        return self.filter(overdue_q(today))

    def visible_to(self, user):
        """Actions of the thematic audits the person may see, and actions they own."""
        from caseaudit.thematic.models import ThematicAudit

        if not permissions.can_own_thematic_actions(user):
            return self.none()
        led = ThematicAudit.objects.visible_to(user).values("pk")
        return self.filter(
            Q(thematic_audit__in=led) | Q(owner=user),
            thematic_audit__council_id=user.council_id,
        )

    def for_attention_of(self, user):
        """What surfaces on a person's home page: actions they own, and the actions of the
        thematic audits they lead."""
        return self.filter(
            Q(owner=user) | Q(thematic_audit__lead=user),
            thematic_audit__council_id=user.council_id,
        )


def rating_distribution(thematic_audit) -> list[tuple[str, int]]:
    """The overall judgements of the thematic audit's completed audits, best grade first, in
    one query (each grade shown, with none for those no audit was given)."""
    return rating_distributions([thematic_audit.pk])[thematic_audit.pk]


def rating_distributions(thematic_audit_ids) -> dict[int, list[tuple[str, int]]]:
    """``rating_distribution`` for several thematic audits at once, in one query."""
    ids = list(thematic_audit_ids)
    counts: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    rows = (
        Audit.objects.filter(
            thematic_case__sample__thematic_audit__in=ids,
            status__in=AuditStatus.completed(),
        )
        .exclude(overall_grade="")
        .order_by()
        .values("thematic_case__sample__thematic_audit", "overall_grade")
        .annotate(n=models.Count("pk"))
        .values_list("thematic_case__sample__thematic_audit", "overall_grade", "n")
    )
    for pk, grade, n in rows:
        counts[pk][grade] = n
    return {
        pk: [(grade.label, found.get(grade.value, 0)) for grade in Grade]
        for pk, found in counts.items()
    }


def forward_plan(user) -> dict:
    """Upcoming and running thematic audits, soonest first, and the re-reviews due."""
    from caseaudit.thematic.models import ThematicAudit

    mine = ThematicAudit.objects.visible_to(user).select_related("lead")
    return {
        "upcoming": list(
            mine.exclude(status=ThematicStatus.COMPLETE).order_by("period_start", "title")
        ),
        "rereviews": list(
            mine.filter(status=ThematicStatus.COMPLETE, rereview_due__isnull=False).order_by(
                "rereview_due", "title"
            )
        ),
    }
