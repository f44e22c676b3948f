"""Allocating a confirmed sample to team managers, and moving an audit to another one.

Who may audit which case is ``audits/eligibility.py``'s rule. Each case goes to the least
loaded auditor who may audit it, and the work is then evened out. Auditors hear of new work
by email once the allocation is committed.
"""

import datetime
import hashlib
from collections import defaultdict, deque
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet

from caseaudit.audits import eligibility
from caseaudit.audits import permissions as rules
from caseaudit.audits.actions import notify
from caseaudit.audits.actions.programme import require_takes_samples
from caseaudit.audits.choices import AuditKind, SampleStatus
from caseaudit.audits.eligibility import Ties, ties_of_audit
from caseaudit.audits.models import Audit, ProgrammeMonth, Sample, SampleCase
from caseaudit.audits.transitions import AUDIT, OPEN
from caseaudit.core import transitions
from caseaudit.core.history import record_change


def auditors_for(audit: Audit) -> QuerySet:
    """The auditors ``audit`` could be reallocated to, least loaded first, for a form's
    choices: ``eligibility.may_audit``, then one query for the chosen few."""
    audit = Audit.objects.select_related("child").get(pk=audit.pk)
    chosen = [p.pk for p in eligibility.eligible_auditors(audit.council_id, ties_of_audit(audit))]
    return (
        eligibility.auditors(audit.council_id)
        .filter(pk__in=chosen)
        .order_by("open_audits", "username")
    )


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


def balance(cases: list[SampleCase], pool: list, ties: dict[int, Ties]) -> dict[int, object]:
    """Each case's auditor: least loaded first (ties by username), never one who may not
    audit it (``ties`` by case pk); then cases shift from the busiest towards the least busy
    while that evens them out."""
    loads = [_Load(a, a.open_audits) for a in pool]
    options = {
        case.pk: [x for x in loads if eligibility.may_audit(x.auditor, ties[case.pk])]
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


@dataclass(frozen=True)
class Conflict:
    """Auditors the rule keeps from one case, and why, for the preview."""

    auditor: object
    why: str


@dataclass
class AllocationPlan:
    """Who would audit which case of a confirmed sample: ``balance``'s answer, worked out but
    not saved. ``allocate_sample`` saves exactly this, or refuses if it has changed."""

    sample: Sample
    month: ProgrammeMonth
    cases: list[SampleCase]
    pool: list
    ties: dict[int, Ties]
    chosen: dict[int, object]

    def rows(self) -> list[tuple[SampleCase, object]]:
        """Each case and its auditor, by team and child."""
        ordered = sorted(self.cases, key=lambda c: (c.team.name, c.child.la_child_id))
        return [(case, self.chosen[case.pk]) for case in ordered]

    def counts(self) -> list[tuple[object, int]]:
        """Each auditor in the pool with how many of these cases they would get, busiest
        first; those with none are listed too."""
        given = defaultdict(int)
        for auditor in self.chosen.values():
            given[auditor.pk] += 1
        counted = [(auditor, given[auditor.pk]) for auditor in self.pool]
        return sorted(counted, key=lambda row: (-row[1], row[0].username))

    def conflicts(self, case: SampleCase) -> list[Conflict]:
        """The auditors ``eligibility.may_audit`` rules out of ``case``, each with why."""
        ties = self.ties[case.pk]
        found = []
        for auditor in self.pool:
            if eligibility.may_audit(auditor, ties):
                continue
            why = [
                words
                for close, words in (
                    (auditor.worker_id in ties.worker_ids, "the child's worker"),
                    (auditor.worker_id in ties.line_manager_ids, "line-manages the worker"),
                    (bool(auditor.managed_team_ids & ties.team_ids), "manages the child's team"),
                    (auditor.pk in ties.auditor_ids, "audited the case before"),
                )
                if close
            ]
            found.append(Conflict(auditor, ", ".join(why)))
        return found

    @property
    def digest(self) -> str:
        """A short fingerprint of who gets which case, posted back by the preview's button."""
        pairs = ",".join(f"{case}:{self.chosen[case].pk}" for case in sorted(self.chosen))
        return hashlib.sha256(pairs.encode()).hexdigest()[:16]


def plan_allocation(sample: Sample) -> AllocationPlan:
    """The allocation ``allocate_sample`` would make now, without saving anything. Refuses
    as it would: a sample not confirmed, already allocated, or in a month taking nothing."""
    sample = Sample.objects.get(pk=sample.pk)
    month = ProgrammeMonth.objects.select_related("council", "tool_version").get(pk=sample.month_id)
    require_takes_samples(month)
    if sample.status != SampleStatus.CONFIRMED:
        raise ValidationError("Confirm the sample before allocating it.")
    cases = list(sample.cases.select_related("child", "team", "worker"))
    if Audit.objects.filter(sample_case__in=cases).exists():
        raise ValidationError(f"The sample for {month} has already been allocated.")
    pool = eligibility.pool(month.council)
    if not pool:
        raise ValidationError(
            "There is no one to allocate to: give team managers the auditor role first."
        )
    ties = eligibility.ties_of_sample(cases)
    chosen = balance(cases, pool, ties)
    return AllocationPlan(sample, month, cases, pool, ties, chosen)


@transaction.atomic
def allocate_sample(
    sample: Sample,
    *,
    due_date: datetime.date | None = None,
    previewed: str | None = None,
    by,
) -> list[Audit]:
    """One audit per case of the confirmed sample, each allocated to a team manager: the
    allocation ``plan_allocation`` shows. With ``previewed`` (a preview's ``digest``), refuses
    if the allocation would now differ from the one the person saw."""
    # Lock the sample first, so two people allocating at once get one allocation.
    Sample.objects.select_for_update().get(pk=sample.pk)
    plan = plan_allocation(sample)
    if previewed is not None and previewed != plan.digest:
        raise ValidationError(
            "Who would audit which case has changed since you previewed it (an auditor's "
            "work or the sample changed). Check the new preview, then confirm it."
        )
    month, cases, chosen = plan.month, plan.cases, plan.chosen
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
        record_change(audit, by=by, action="created", reason=f"Allocated from {plan.sample}")
        by_auditor[audit.auditor].append(audit)
    for auditor, theirs in by_auditor.items():
        notify_allocated(auditor, theirs, month=month)
    return audits


@transaction.atomic
def reallocate(audit: Audit, *, to_user, reason: str, by) -> Audit:
    """Give an open audit to another team manager; the reason is kept in the history."""
    audit = Audit.objects.select_related("month", "child").get(pk=audit.pk)
    # Who may reallocate is the caller's to ask (the page asks the same rule, whole).
    rules.REALLOCATE_AUDIT.check_state(audit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter the reason for reallocating the audit"})
    name = to_user.display_name
    if to_user.pk == audit.auditor_id:
        raise ValidationError({"to_user": f"The audit is already allocated to {name}."})
    candidate = next((p for p in eligibility.pool(audit.council_id) if p.pk == to_user.pk), None)
    if candidate is None:
        raise ValidationError(
            {"to_user": f"{name} is not an active team manager with the auditor role."}
        )
    if not eligibility.may_audit(candidate, ties_of_audit(audit)):
        raise ValidationError(
            {
                "to_user": f"{name} is the child's worker, or manages the child's team or "
                "worker, so may not audit this case."
            }
        )
    audit = transitions.update_while(
        audit,
        OPEN,
        transitions=AUDIT,
        doing="reallocated",
        by=by,
        reason=reason,
        auditor=candidate,
        # Whatever the previous auditor had open can no longer be saved over the new one's.
        lock_version=F("lock_version") + 1,
    )
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
