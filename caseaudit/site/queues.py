"""The home page's work queues: for each thing a person must do, how many are waiting, the
first few (soonest due first), each with its status and due date, and a link to the whole
list. Everything is counted in the person's own scope (``visible_to``), and each queue costs
two queries however long it is: its count and its first few."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse

from caseaudit.accounts import permissions
from caseaudit.audits import progress
from caseaudit.audits.choices import AuditStatus, Decision
from caseaudit.audits.models import (
    Audit,
    Exemption,
    Extension,
    Moderation,
    PracticeAction,
    ProgrammeMonth,
    ReflectionSheet,
    SafeguardingAlert,
)
from caseaudit.audits.querysets import is_overdue, overdue_q
from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.models import ImportRun
from caseaudit.core import clock
from caseaudit.core.months import month_label, month_start
from caseaudit.core.roles import Role

# How many of a queue's items the home page shows before "See all".
SHOWN = 5


@dataclass
class Item:
    text: str
    link: str
    status: str = ""
    status_label: str = ""
    due: datetime.date | None = None
    overdue: bool = False
    # Another date worth showing beside it ("Met on 3 March 2019").
    when: datetime.date | None = None
    when_label: str = ""
    # The audit it is about, for the access log.
    audit_id: int | None = None


@dataclass
class Queue:
    key: str
    title: str
    count: int
    link: str | None
    link_label: str
    empty: str
    items: list[Item] = field(default_factory=list)
    overdue: int = 0

    @property
    def more(self) -> int:
        return max(self.count - len(self.items), 0)


def queues(user) -> list[Queue]:
    """The person's queues, the most pressing kind of work first."""
    if not permissions.can_see_child_records(user):
        found = []
    else:
        today = clock.today()
        found = []
        if permissions.can_run_programme(user):
            found += [
                overdue_audits(user, today),
                waiting_requests(user),
                moderation_queue(user),
            ]
        if permissions.can_be_allocated_audits(user):
            found.append(audits_to_do(user, today))
        if user.worker_id:
            reflections = reflections_waiting(user)
            # A social worker always sees theirs, even when none waits; others when one does.
            if reflections.count or user.role == Role.SOCIAL_WORKER:
                found.append(reflections)
            if user.role == Role.SOCIAL_WORKER:
                found.append(audits_of_my_cases(user, today))
            found.append(practice_actions(user, today))
        if permissions.can_be_allocated_audits(user) or permissions.can_run_programme(user):
            found.append(safeguarding_alerts(user))
    if permissions.can_import_case_data(user):
        found.append(imports_needing_attention(user))
    return found


def _audit_item(audit: Audit, today: datetime.date, text: str) -> Item:
    return Item(
        text=text,
        link=reverse("audits:audit", args=[audit.pk]),
        status=audit.status,
        status_label=audit.get_status_display(),
        due=audit.due_date,
        overdue=is_overdue(audit, today),
        audit_id=audit.pk,
    )


def audits_to_do(user, today: datetime.date) -> Queue:
    """A team manager's audits still to do, soonest due first."""
    mine = Audit.objects.visible_to(user).filter(
        auditor=user, council_id=user.council_id, status__in=AuditStatus.open()
    )
    counts = mine.aggregate(all=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
    first = mine.select_related("child", "team").order_by("due_date", "pk")[:SHOWN]
    return Queue(
        key="audits",
        title="Audits to do",
        count=counts["all"],
        overdue=counts["overdue"],
        link=reverse("audits:your_audits"),
        link_label="See all your audits",
        empty="You have no audits to do.",
        items=[_audit_item(audit, today, f"{audit.child}, {audit.team}") for audit in first],
    )


def overdue_audits(user, today: datetime.date) -> Queue:
    """Every overdue audit the QA lead may see, longest overdue first."""
    overdue = Audit.objects.visible_to(user).filter(overdue_q(today), council_id=user.council_id)
    first = overdue.select_related("child", "auditor").order_by("due_date", "pk")[:SHOWN]
    count = overdue.order_by().count()
    return Queue(
        key="overdue",
        title="Overdue audits",
        count=count,
        overdue=count,
        link=reverse("audits:compliance"),
        link_label="See compliance",
        empty="No audit is overdue.",
        items=[
            _audit_item(audit, today, f"{audit.child}, {audit.auditor.display_name}")
            for audit in first
        ],
    )


def waiting_requests(user) -> Queue:
    """Exemptions and extensions waiting for the QA lead's decision, oldest first."""
    council = user.council_id
    pending = Q(audit__council_id=council, decision=Decision.PENDING)
    exemptions = Exemption.objects.filter(pending)
    extensions = Extension.objects.filter(pending)
    count = exemptions.count() + extensions.count()
    rows = [
        (row.requested_at, "Exemption", "decide_exemption", row, row.audit.due_date)
        for row in exemptions.select_related("audit__child").order_by("requested_at")[:SHOWN]
    ] + [
        (row.requested_at, "Extension", "decide_extension", row, row.new_due_date)
        for row in extensions.select_related("audit__child").order_by("requested_at")[:SHOWN]
    ]
    rows.sort(key=lambda found: found[0])
    return Queue(
        key="requests",
        title="Requests waiting for your decision",
        count=count,
        link=reverse("audits:requests"),
        link_label="See all requests",
        empty="No request is waiting.",
        items=[
            Item(
                text=f"{kind} for {row.audit.child}",
                link=reverse(f"audits:{url}", args=[row.pk]),
                status=Decision.PENDING,
                status_label=Decision.PENDING.label,
                due=due,
                audit_id=row.audit_id,
            )
            for _, kind, url, row, due in rows[:SHOWN]
        ],
    )


def moderation_queue(user) -> Queue:
    """Audits selected for moderation and not yet moderated, earliest selected first."""
    waiting = Moderation.objects.filter(
        audit__council_id=user.council_id, completed_at__isnull=True
    ).filter(audit__in=Audit.objects.visible_to(user))
    first = waiting.select_related("audit__child").order_by("selected_at", "pk")[:SHOWN]
    return Queue(
        key="moderation",
        title="Moderation queue",
        count=waiting.count(),
        link=reverse("audits:moderation"),
        link_label="See the moderation queue",
        empty="No audit is waiting to be moderated.",
        items=[
            Item(
                text=f"{moderation.audit.child}",
                link=reverse("audits:moderation_audit", args=[moderation.audit_id]),
                status="selected",
                status_label="Selected",
                due=None,
                audit_id=moderation.audit_id,
            )
            for moderation in first
        ],
    )


def reflections_waiting(user) -> Queue:
    """Every reflection meeting with this social worker whose notes wait for their response."""
    waiting = ReflectionSheet.objects.filter(
        audit__worker_id=user.worker_id, audit__council_id=user.council_id, worker_response=""
    ).filter(audit__in=Audit.objects.visible_to(user))
    every = list(waiting.select_related("audit__child").order_by("met_on", "pk"))
    return Queue(
        key="reflections",
        title="Reflections waiting for your response",
        count=len(every),
        # All of them, however many: there is no other list of them.
        link=None,
        link_label="",
        empty="No reflection is waiting for your response.",
        items=[
            Item(
                text=f"Reflection on the audit of {sheet.audit.child}",
                when=sheet.met_on,
                when_label="Met on",
                link=reverse("audits:audit", args=[sheet.audit_id]),
                status="waiting",
                status_label="Waiting for you",
                audit_id=sheet.audit_id,
            )
            for sheet in every
        ],
    )


def audits_of_my_cases(user, today: datetime.date) -> Queue:
    """Audits of the children this social worker was allocated, newest first."""
    audits = Audit.objects.visible_to(user).filter(
        worker_id=user.worker_id, council_id=user.council_id
    )
    first = audits.select_related("child").order_by("-allocated_at", "-pk")[:SHOWN]
    return Queue(
        key="my_cases",
        title="Audits of your cases",
        count=audits.order_by().count(),
        link=reverse("cases:children"),
        link_label="See your children",
        empty="None of your cases has been audited.",
        items=[_audit_item(audit, today, f"{audit.child}") for audit in first],
    )


def practice_actions(user, today: datetime.date) -> Queue:
    """Open practice actions the person owns or their staff own, soonest due first."""
    mine = PracticeAction.objects.owned_or_managed_by(user).open()
    counts = mine.aggregate(all=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    first = mine.select_related("owner").order_by("due_date", "pk")[:SHOWN]
    return Queue(
        key="actions",
        title="Practice actions",
        count=counts["all"],
        overdue=counts["overdue"],
        link=reverse("audits:practice_actions"),
        link_label="See all practice actions",
        empty="No practice action is open.",
        items=[
            Item(
                text=action.action
                if action.owner_id == user.worker_id
                else f"{action.action} ({action.owner})",
                link=reverse("audits:practice_action", args=[action.pk]),
                status=action.status,
                status_label=action.get_status_display(),
                due=action.due_date,
                overdue=action.due_date < today,
            )
            for action in first
        ],
    )


def safeguarding_alerts(user) -> Queue:
    """Open safeguarding alerts on audits the person may see, oldest first."""
    open_alerts = SafeguardingAlert.objects.visible_to(user).open()
    first = open_alerts.select_related("audit__child").order_by("raised_at", "pk")[:SHOWN]
    return Queue(
        key="alerts",
        title="Safeguarding alerts",
        count=open_alerts.order_by().count(),
        link=reverse("audits:alerts"),
        link_label="See all safeguarding alerts",
        empty="No safeguarding alert is open.",
        items=[
            Item(
                text=f"{alert.audit.child}",
                when=alert.raised_at,
                when_label="Raised on",
                link=reverse("audits:alert", args=[alert.pk]),
                status="open_alert",
                status_label="Action needed",
                audit_id=alert.audit_id,
            )
            for alert in first
        ],
    )


def imports_needing_attention(user) -> Queue:
    """Imports refused or failed since the last one that loaded: each needs a look."""
    runs = ImportRun.objects.filter(council_id=user.council_id)
    last_good = (
        runs.filter(status__in=[ImportStatus.LOADED, ImportStatus.UNCHANGED])
        .order_by("-requested_at")
        .values_list("requested_at", flat=True)
        .first()
    )
    attention = runs.filter(status__in=[ImportStatus.REFUSED, ImportStatus.FAILED])
    if last_good is not None:
        attention = attention.filter(requested_at__gt=last_good)
    first = attention.order_by("-requested_at", "-pk")[:SHOWN]
    return Queue(
        key="imports",
        title="Imports needing attention",
        count=attention.count(),
        link=reverse("cases:imports"),
        link_label="See all imports",
        empty="No import needs attention.",
        items=[
            Item(
                text=run.source_name,
                link=reverse("cases:import", args=[run.pk]),
                status=run.status,
                status_label=run.get_status_display(),
                when=run.requested_at,
                when_label="Uploaded on",
            )
            for run in first
        ],
    )


@dataclass
class Stage:
    """Where this month's programme has got to, in one sentence and a link."""

    month: str
    tag: progress.Stage
    text: str
    link: str
    link_label: str


NOT_SET_UP = progress.Stage("Not set up", "grey")


def programme_stage(user) -> Stage:
    """This month's programme: its stage and next task as the month's own page works them
    out (``audits.progress``), or that it is not set up yet."""
    today = clock.today()
    this_month = month_start(today)
    label = month_label(this_month)
    month = (
        ProgrammeMonth.objects.with_progress()
        .filter(council_id=user.council_id, month=this_month)
        .annotate(audit_count=Count("audits", distinct=True))
        .first()
    )
    if month is None:
        return Stage(
            month=label,
            tag=NOT_SET_UP,
            text=f"{label} has no programme month yet.",
            link=reverse("audits:programme"),
            link_label="Go to the audit programme",
        )
    shown = month.progress
    if month.audit_count:
        text = f"{month.audit_count:,} audit{'s' if month.audit_count != 1 else ''} allocated."
    elif (task := shown.next_task) is not None:
        text = f"Next: {task.name.lower()}."
    else:
        text = "No sample drawn."
    return Stage(
        month=label,
        tag=shown.stage,
        text=text,
        link=reverse("audits:programme_month", args=[month.pk]),
        link_label=f"Open {label}",
    )
