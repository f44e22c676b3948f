"""Allocating a confirmed sample to team managers, and moving an audit to another one.

The auditors are the council's active users with the auditor role whose worker is currently a
team manager. Each case goes to the least loaded of them (open audits, then username), but
never to the child's own team manager (an auditor of the case's team, by scope or by current
assignment) nor to the child's allocated worker. Auditors hear of new work by email once the
allocation is committed.
"""

import datetime
from collections import defaultdict, deque
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from caseaudit.accounts.choices import Role
from caseaudit.audits.actions import notify
from caseaudit.audits.actions.programme import require_takes_samples
from caseaudit.audits.choices import AuditKind, AuditStatus, SampleStatus
from caseaudit.audits.models import Audit, ProgrammeMonth, Sample, SampleCase
from caseaudit.core.history import record_change, snapshot
from caseaudit.organisation.choices import JobRole
from caseaudit.organisation.models import Assignment


def auditors(council) -> QuerySet:
    """Who may be given audits in ``council``, with their open audits and current team."""
    User = get_user_model()
    current = Assignment.objects.current().filter(worker=OuterRef("worker_id"))
    still_open = Q(audits_to_do__status__in=AuditStatus.open())
    return (
        User.objects.filter(council=council, is_active=True, role=Role.AUDITOR)
        .filter(Exists(current.filter(job_role=JobRole.TEAM_MANAGER)))
        .select_related("worker")
        .annotate(
            open_audits=Count("audits_to_do", filter=still_open),
            current_team_id=Subquery(current.order_by("-starts_on").values("team_id")[:1]),
        )
        .order_by("username")
    )


def auditors_for(audit: Audit) -> QuerySet:
    """The auditors ``audit`` could be reallocated to: ``may_audit``, in the database."""
    others = auditors(audit.council_id).exclude(pk=audit.auditor_id)
    others = others.exclude(scope_team_id=audit.team_id).exclude(current_team_id=audit.team_id)
    if audit.worker_id:
        others = others.exclude(worker_id=audit.worker_id)
    return others


def may_audit(auditor, *, team_id: int, worker_id: int | None) -> bool:
    """Not the child's own team manager, nor the child's worker. ``auditor`` comes from
    ``auditors()``."""
    if team_id in (auditor.scope_team_id, auditor.current_team_id):
        return False
    return worker_id is None or auditor.worker_id != worker_id


@dataclass(eq=False)
class _Load:
    auditor: object
    open_audits: int
    cases: list = field(default_factory=list)

    @property
    def load(self) -> int:
        return self.open_audits + len(self.cases)

    @property
    def key(self) -> tuple[int, str]:
        return (self.load, self.auditor.username)


def balance(cases: list[SampleCase], pool: list) -> dict[int, object]:
    """Each case's auditor: least loaded first (ties by username), never one who may not
    audit it; then cases shift from the busiest towards the least busy while that evens
    them out."""
    loads = [_Load(a, a.open_audits) for a in pool]
    options = {
        case.pk: [
            x for x in loads if may_audit(x.auditor, team_id=case.team_id, worker_id=case.worker_id)
        ]
        for case in cases
    }
    # The cases with fewest possible auditors go first, so that they still have one.
    for case in sorted(cases, key=lambda c: (len(options[c.pk]), c.team.name, c.child.la_child_id)):
        if not options[case.pk]:
            raise ValidationError(
                f"No team manager may audit child {case.child.la_child_id} of {case.team.name}: "
                "every auditor manages that team or is the child's worker. Give another "
                "team's manager the auditor role, then allocate again."
            )
        min(options[case.pk], key=lambda x: x.key).cases.append(case)
    while _shift_one(loads, options):
        pass
    return {case.pk: load.auditor for load in loads for case in load.cases}


def _shift_one(loads: list[_Load], options: dict) -> bool:
    """Find a chain busy → … → quiet, each step a case the next auditor may take, ending at
    an auditor with at least two fewer than the busy one; move the cases along it. The chain's
    ends change by one each and the middle not at all, so repeating this ends, with the work
    as even as the rules allow."""
    lowest = min((x.load for x in loads), default=0)
    for busy in sorted(loads, key=lambda x: x.key, reverse=True):
        if busy.load < lowest + 2:
            # Every chain must end two below its start, and nobody is below ``lowest``: no
            # busier auditor is left to start one. (Without this stop, the last pass searched
            # from every auditor in turn: cubic in the auditors at a county's scale.)
            return False
        came_from: dict[_Load, tuple] = {busy: ()}
        queue = deque([busy])
        while queue:
            holder = queue.popleft()
            for case in holder.cases:
                for other in options[case.pk]:
                    if other in came_from:
                        continue
                    came_from[other] = (case, holder)
                    if other.load + 1 < busy.load:
                        _move_along(other, came_from)
                        return True
                    queue.append(other)
    return False


def _move_along(end: _Load, came_from: dict) -> None:
    while came_from[end]:
        case, holder = came_from[end]
        holder.cases.remove(case)
        end.cases.append(case)
        end = holder


@transaction.atomic
def allocate_sample(sample: Sample, *, due_date: datetime.date | None = None, by) -> list[Audit]:
    """One audit per case of the confirmed sample, each allocated to a team manager."""
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    month = ProgrammeMonth.objects.select_related("council", "tool_version").get(pk=sample.month_id)
    require_takes_samples(month)
    if sample.status != SampleStatus.CONFIRMED:
        raise ValidationError("Confirm the sample before allocating it.")
    cases = list(sample.cases.select_related("child", "team", "worker"))
    if Audit.objects.filter(sample_case__in=cases).exists():
        raise ValidationError(f"The sample for {month} has already been allocated.")
    pool = list(auditors(month.council))
    if not pool:
        raise ValidationError(
            "There is no one to allocate to: give team managers the auditor role first."
        )
    chosen = balance(cases, pool)
    audits = Audit.objects.bulk_create(
        Audit(
            council=month.council,
            kind=AuditKind.AUDIT,
            month=month,
            sample_case=case,
            child=case.child,
            team=case.team,
            worker=case.worker,
            tool_version=month.tool_version,
            auditor=chosen[case.pk],
            due_date=due_date or month.due_date,
        )
        for case in cases
    )
    by_auditor = defaultdict(list)
    for audit in audits:
        record_change(audit, by=by, action="created", reason=f"Allocated from {sample}")
        by_auditor[audit.auditor].append(audit)
    for auditor, theirs in by_auditor.items():
        notify_allocated(auditor, theirs, month=month)
    return audits


@transaction.atomic
def reallocate(audit: Audit, *, to_user, reason: str, by) -> Audit:
    """Give an open audit to another team manager; the reason is kept in the history."""
    audit = (
        Audit.objects.select_for_update(of=("self",))
        .select_related("month", "child")
        .get(pk=audit.pk)
    )
    if audit.status not in AuditStatus.open():
        raise ValidationError(
            f"Only an allocated or in-progress audit can be reallocated; this one is "
            f"{audit.get_status_display().lower()}."
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for reallocating the audit"})
    name = to_user.display_name
    if to_user.pk == audit.auditor_id:
        raise ValidationError({"to_user": f"The audit is already allocated to {name}."})
    candidate = auditors(audit.council_id).filter(pk=to_user.pk).first()
    if candidate is None:
        raise ValidationError(
            {"to_user": f"{name} is not an active team manager with the auditor role."}
        )
    if not may_audit(candidate, team_id=audit.team_id, worker_id=audit.worker_id):
        raise ValidationError(
            {
                "to_user": f"{name} manages the child's team or is the child's worker, "
                "so may not audit this case."
            }
        )
    before = snapshot(audit)
    audit.auditor = candidate
    # Whatever the previous auditor had open can no longer be saved over the new one's.
    audit.lock_version += 1
    audit.save(update_fields=["auditor", "lock_version"])
    record_change(audit, by=by, action="changed", before=before, reason=reason)
    notify_allocated(candidate, [audit], month=audit.month)
    return audit


def notify_allocated(auditor, audits: list[Audit], *, month: ProgrammeMonth | None) -> None:
    """Email the auditor, after the commit, that they have new audits. The email names no
    child: it asks them to sign in."""
    count = len(audits)
    what = "a case audit" if count == 1 else f"{count} case audits"
    first_due = min(a.due_date for a in audits)
    notify.tell(
        [auditor],
        f"You have been allocated {what}",
        f"Hello {auditor.first_name or auditor.username},\n\n"
        f"You have been allocated {what}"
        f"{f' for the {month} audit programme' if month else ''}, "
        f"due by {first_due:%-d %B %Y}.",
        footer="Sign in to caseaudit to see them.",
    )
