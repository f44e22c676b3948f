"""Who may audit a case: the one rule that allocation, reallocation and re-audits follow, and
the case's managers, whom a safeguarding alert is sent to.

**Auditors** are the council's active users with the auditor role whose worker is currently a
team manager (DESIGN.md: team managers audit cases from other teams).

An auditor **may audit a case** unless they are close to it, because an audit is a second
look by someone independent of the work:

- they are one of the case's workers: the worker when the case was drawn, and the child's
  allocated worker now;
- they manage one of the case's teams (the team when drawn, and the child's team now), by
  their scope or by a current team-manager assignment;
- they line-manage one of the case's workers;
- they did the audit being re-audited or reallocated (a re-audit is someone else's look).

Among those who may, the **least loaded** goes first: fewest open audits, then username, so
the choice is the same on every run and a person can check it.

The rule is written once, in ``may_audit``, over ``Ties`` (what a case is close to) and the
auditors ``pool`` gives: both are read in a fixed number of queries, then compared in Python,
so there is no second SQL copy of the rule to drift.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from caseaudit.accounts.choices import Role
from caseaudit.accounts.models import User
from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.models import Audit, SampleCase
from caseaudit.organisation.choices import JobRole
from caseaudit.organisation.models import Assignment


@dataclass(frozen=True)
class Ties:
    """Who is close to one case: by team, by worker, by line management, by having audited it."""

    team_ids: frozenset[int]
    worker_ids: frozenset[int]
    line_manager_ids: frozenset[int] = frozenset()
    auditor_ids: frozenset[int] = frozenset()


def _ids(*values) -> frozenset[int]:
    return frozenset(v for v in values if v is not None)


def team_now(audit: Audit) -> int:
    """The team the case is in now: the child's team in the latest case data, or the team it
    was in when drawn if the child has no allocated team now."""
    return audit.child.allocated_team_id or audit.team_id


def _line_managers(worker_ids: Iterable[int]) -> dict[int, set[int]]:
    """Each worker's current line managers (workers), in one query."""
    managers = defaultdict(set)
    rows = (
        Assignment.objects.current()
        .filter(worker_id__in=set(worker_ids), manager__isnull=False)
        .values_list("worker_id", "manager_id")
    )
    for worker_id, manager_id in rows:
        managers[worker_id].add(manager_id)
    return managers


def ties_of_audit(audit: Audit) -> Ties:
    """An audit's case, for reallocating it or re-auditing it: two queries at most."""
    child = audit.child
    workers = _ids(audit.worker_id, child.allocated_worker_id)
    managers = _line_managers(workers)
    return Ties(
        team_ids=_ids(audit.team_id, child.allocated_team_id),
        worker_ids=workers,
        line_manager_ids=frozenset().union(*managers.values()),
        auditor_ids=_ids(audit.auditor_id),
    )


def ties_of_sample(cases: list[SampleCase]) -> dict[int, Ties]:
    """Each sample case's ties, by case pk: one query for all of them. ``cases`` come with
    their child."""
    workers = {c.pk: _ids(c.worker_id, c.child.allocated_worker_id) for c in cases}
    managers = _line_managers(w for ids in workers.values() for w in ids)
    return {
        c.pk: Ties(
            team_ids=_ids(c.team_id, c.child.allocated_team_id),
            worker_ids=workers[c.pk],
            line_manager_ids=frozenset(m for w in workers[c.pk] for m in managers.get(w, ())),
        )
        for c in cases
    }


def auditors(council) -> QuerySet:
    """The council's auditors, each with ``open_audits``, by username."""
    current_manager = Assignment.objects.current().filter(
        worker=OuterRef("worker_id"), job_role=JobRole.TEAM_MANAGER
    )
    return (
        User.objects.filter(council=council, is_active=True, role=Role.AUDITOR)
        .filter(Exists(current_manager))
        .select_related("worker")
        .annotate(
            open_audits=Count("audits_to_do", filter=Q(audits_to_do__status__in=AuditStatus.open()))
        )
        .order_by("username")
    )


def pool(council) -> list[User]:
    """``auditors`` as a list, each also with ``managed_team_ids``: the teams they manage by
    scope or by a current team-manager assignment. Two queries."""
    people = list(auditors(council))
    managed = defaultdict(set)
    rows = (
        Assignment.objects.current()
        .filter(job_role=JobRole.TEAM_MANAGER, worker_id__in=[p.worker_id for p in people])
        .values_list("worker_id", "team_id")
    )
    for worker_id, team_id in rows:
        managed[worker_id].add(team_id)
    for person in people:
        person.managed_team_ids = frozenset(managed[person.worker_id]) | _ids(person.scope_team_id)
    return people


def may_audit(auditor, ties: Ties) -> bool:
    """The rule. ``auditor`` comes from ``pool``."""
    return not (
        auditor.pk in ties.auditor_ids
        or auditor.worker_id in ties.worker_ids
        or auditor.worker_id in ties.line_manager_ids
        or auditor.managed_team_ids & ties.team_ids
    )


def least_loaded_first(people: Iterable) -> list:
    return sorted(people, key=lambda person: (person.open_audits, person.username))


def eligible_auditors(council, ties: Ties) -> list[User]:
    """Everyone who may audit the case, least loaded first."""
    return least_loaded_first(p for p in pool(council) if may_audit(p, ties))


def managers_of_case(audit: Audit) -> list[User]:
    """Who a safeguarding alert goes to: the team managers of the team the case is in now and
    their own managers (service managers), those who have an account, by username."""
    team_managers = Assignment.objects.current().filter(
        team_id=team_now(audit), job_role=JobRole.TEAM_MANAGER
    )
    workers = set(team_managers.values_list("worker_id", flat=True))
    workers |= set(team_managers.exclude(manager=None).values_list("manager_id", flat=True))
    return list(
        User.objects.filter(council_id=audit.council_id, is_active=True, worker_id__in=workers)
        .exclude(role=Role.ELECTED_MEMBER)
        .select_related("worker")
        .order_by("username")
    )
