"""What the audit programme asks of each person on their home page: open safeguarding alerts
first, then their audits, practice actions and reflections. One query each."""

from django.db.models import Count, Q
from django.urls import reverse

from caseaudit.accounts import permissions
from caseaudit.audits import querysets
from caseaudit.audits.choices import AuditStatus, Decision
from caseaudit.audits.models import (
    Audit,
    Exemption,
    Extension,
    PracticeAction,
    ReflectionSheet,
    SafeguardingAlert,
)
from caseaudit.core import clock


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


def _plural(count: int, one: str, many: str) -> str:
    return f"{count:,} {one if count == 1 else many}"


def next_steps(user) -> list[dict]:
    if not permissions.can_see_child_records(user):
        return []
    steps = []
    today = clock.today()
    if permissions.can_be_allocated_audits(user):
        counts = Audit.objects.filter(auditor=user, council_id=user.council_id).aggregate(
            open=Count("pk", filter=Q(status__in=AuditStatus.open())),
            overdue=Count("pk", filter=querysets.overdue_q(today)),
        )
        if counts["open"]:
            overdue = f", {counts['overdue']:,} of them overdue" if counts["overdue"] else ""
            steps.append(
                {
                    "text": f"You have {_plural(counts['open'], 'audit', 'audits')} to "
                    f"complete{overdue}.",
                    "link": reverse("audits:your_audits"),
                    "label": "Your audits",
                }
            )
    if user.worker_id:
        mine = PracticeAction.objects.owned_or_managed_by(user).open()
        counts = mine.aggregate(
            own=Count("pk", filter=Q(owner_id=user.worker_id)),
            own_overdue=Count("pk", filter=Q(owner_id=user.worker_id, due_date__lt=today)),
            staff_overdue=Count("pk", filter=~Q(owner_id=user.worker_id) & Q(due_date__lt=today)),
        )
        if counts["own"] or counts["staff_overdue"]:
            parts = []
            if counts["own"]:
                overdue = f" ({counts['own_overdue']:,} overdue)" if counts["own_overdue"] else ""
                actions = _plural(counts["own"], "open practice action", "open practice actions")
                parts.append(f"You have {actions}{overdue}.")
            if counts["staff_overdue"]:
                overdue = _plural(
                    counts["staff_overdue"],
                    "action owned by your staff is",
                    "actions owned by your staff are",
                )
                parts.append(f"{overdue} overdue.")
            steps.append(
                {
                    "text": " ".join(parts),
                    "link": reverse("audits:practice_actions"),
                    "label": "Practice actions",
                }
            )
        waiting = (
            ReflectionSheet.objects.filter(
                audit__worker_id=user.worker_id,
                audit__council_id=user.council_id,
                worker_response="",
            )
            .order_by("-met_on")
            .values_list("audit_id", flat=True)
            .first()
        )
        if waiting:
            steps.append(
                {
                    "text": "The notes of a case reflection meeting with you are ready for your "
                    "response.",
                    "link": reverse("audits:audit", args=[waiting]),
                    "label": "Read the reflection",
                }
            )
    if permissions.can_run_programme(user):
        council = user.council_id
        pending = (
            Exemption.objects.filter(audit__council_id=council, decision=Decision.PENDING).count()
            + Extension.objects.filter(audit__council_id=council, decision=Decision.PENDING).count()
        )
        if pending:
            steps.append(
                {
                    "text": f"{_plural(pending, 'request is', 'requests are')} waiting for "
                    "your decision.",
                    "link": reverse("audits:requests"),
                    "label": "Decide requests",
                }
            )
        alerts = SafeguardingAlert.objects.open().filter(audit__council_id=council).count()
        if alerts:
            steps.append(
                {
                    "text": f"{_plural(alerts, 'safeguarding alert is', 'safeguarding alerts are')}"
                    " still waiting for the action taken to be recorded.",
                    "link": reverse("audits:alerts"),
                    "label": "Safeguarding alerts",
                }
            )
    return steps
