"""What a mock inspection's page says of the thematic audit that carries it out: the sample,
the audits done, their grades, the findings and the action plan, each counted by the thematic
app's own rule (``thematic.querysets``: ``team_progress``, ``rating_distribution``,
``overdue_q``), so the figures are the thematic page's. Counts only: nothing names a child.
Five queries, however large the sample."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q

from caseaudit.accounts import permissions
from caseaudit.core import clock
from caseaudit.inspection.models import Inspection
from caseaudit.thematic.choices import ActionStatus, FindingKind, FindingStatus
from caseaudit.thematic.models import Finding, PlanAction, ThematicSample
from caseaudit.thematic.querysets import overdue_q, rating_distribution, team_progress


@dataclass
class MockSummary:
    sample: ThematicSample | None = None  # the confirmed sample, or the preview
    sampled: int = 0
    allocated: int = 0
    completed: int = 0
    grades: list[tuple[str, int]] = field(default_factory=list)
    # (kind label, findings), not counting those dismissed.
    findings: list[tuple[str, int]] = field(default_factory=list)
    dismissed: int = 0
    # (status label, actions) of the action plan, and how many of the open ones are overdue.
    actions: list[tuple[str, int]] = field(default_factory=list)
    overdue: int = 0

    @property
    def graded(self) -> int:
        return sum(count for _, count in self.grades)

    @property
    def actions_total(self) -> int:
        return sum(count for _, count in self.actions)


def summarise(thematic_audit, *, today: datetime.date | None = None) -> MockSummary:
    today = today or clock.today()
    summary = MockSummary()
    # Confirmed before a preview, as the thematic page shows it.
    summary.sample = thematic_audit.samples.order_by("status").first()
    progress = team_progress(thematic_audit)
    summary.sampled = sum(row.sampled for row in progress)
    summary.allocated = sum(row.allocated for row in progress)
    summary.completed = sum(row.completed for row in progress)
    summary.grades = rating_distribution(thematic_audit)
    found = Finding.objects.filter(thematic_audit=thematic_audit).aggregate(
        dismissed=Count("pk", filter=Q(status=FindingStatus.DISMISSED)),
        **{
            kind.value: Count("pk", filter=Q(kind=kind) & ~Q(status=FindingStatus.DISMISSED))
            for kind in FindingKind
        },
    )
    summary.dismissed = found.pop("dismissed")
    summary.findings = [(kind.label, found[kind.value]) for kind in FindingKind]
    counted = PlanAction.objects.filter(thematic_audit=thematic_audit).aggregate(
        overdue=Count("pk", filter=overdue_q(today)),
        **{status.value: Count("pk", filter=Q(status=status)) for status in ActionStatus},
    )
    summary.overdue = counted.pop("overdue")
    summary.actions = [(status.label, counted[status.value]) for status in ActionStatus]
    return summary


def owning_mock(thematic_audit, user) -> tuple[str, str] | None:
    """The mock inspection a thematic audit carries out, for its page (``thematic.owners``):
    linked for those who may open it."""
    owner = Inspection.objects.filter(thematic_audit=thematic_audit).first()
    if owner is None:
        return None
    link = owner.get_absolute_url() if permissions.can_see_mock_inspections(user) else ""
    return str(owner), link
