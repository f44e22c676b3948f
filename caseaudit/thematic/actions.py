"""Every change to a thematic audit: one function each, called by the pages, the demo and the
tests alike. Each checks its rule (``thematic.permissions``), writes history in its own
transaction, and tells people of new work only once the change is committed."""

import datetime
import math
import random
import secrets
from collections import defaultdict
from dataclasses import dataclass
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import transaction

from caseaudit.accounts import permissions
from caseaudit.audits import eligibility
from caseaudit.audits.actions import notify
from caseaudit.audits.actions.allocation import balance, notify_allocated
from caseaudit.audits.choices import AuditKind
from caseaudit.audits.models import Audit
from caseaudit.cases.cohorts import evaluate_saved
from caseaudit.core import clock, guards, transitions
from caseaudit.core.history import record_change, snapshot
from caseaudit.core.months import add_months
from caseaudit.thematic import permissions as rules
from caseaudit.thematic.choices import (
    ActionStatus,
    FindingKind,
    FindingStatus,
    FindingTheme,
    SampleMethod,
    SampleStatus,
    Severity,
    ThematicStatus,
)
from caseaudit.thematic.models import (
    ActionReminder,
    Consultation,
    Finding,
    PlanAction,
    Recommendation,
    SampledChild,
    ThematicAudit,
    ThematicSample,
)
from caseaudit.thematic.querysets import due_soon_q, overdue_q
from caseaudit.thematic.transitions import ACTION, FINDING, SAMPLE, THEMATIC
from caseaudit.tools.choices import VersionStatus

REREVIEW_MONTHS = 6  # DESIGN.md C4: a re-review six months after completion, unless changed
MAX_SAMPLE = 1000
DETAIL_FIELDS = (
    "title",
    "lead",
    "purpose",
    "period_start",
    "period_end",
    "cohort",
    "tool_version",
    "audits_due",
)


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _check(rule, by, record) -> None:
    """The whole rule for a person; only its state half for the demo and commands, which act
    as no one."""
    if _user(by):
        rule.check(by, record)
    else:
        rule.check_state(record)


def _check_details(council, details: dict) -> None:
    start, end = details.get("period_start"), details.get("period_end")
    if start and end and end < start:
        raise ValidationError({"period_end": "The end of the period must be after its start"})
    lead = details.get("lead")
    if lead is not None and (
        lead.council_id != council.pk or not permissions.can_lead_thematic_audits(lead)
    ):
        raise ValidationError({"lead": "Select a QA or inspection lead of the council"})
    cohort = details.get("cohort")
    if cohort is not None and cohort.council_id != council.pk:
        raise ValidationError({"cohort": "Select one of the council's cohorts"})
    version = details.get("tool_version")
    if version is not None and version.status != VersionStatus.PUBLISHED:
        raise ValidationError({"tool_version": "Select a published audit tool"})


@transaction.atomic
def create_thematic_audit(council, *, auditors=(), by, **details) -> ThematicAudit:
    _check_details(council, details)
    thematic_audit = ThematicAudit.objects.create(council=council, created_by=_user(by), **details)
    thematic_audit.auditors.set(auditors)
    record_change(thematic_audit, by=by, action="created")
    return thematic_audit


@transaction.atomic
def edit_thematic_audit(thematic_audit: ThematicAudit, *, auditors=None, by, **details):
    thematic_audit = ThematicAudit.objects.select_for_update().get(pk=thematic_audit.pk)
    _check(rules.EDIT, by, thematic_audit)
    # A change of one end of the period is checked against the other as it stands.
    period = {"period_start": thematic_audit.period_start, "period_end": thematic_audit.period_end}
    _check_details(thematic_audit.council, {**period, **details})
    if (
        "cohort" in details
        and details["cohort"] != thematic_audit.cohort
        and thematic_audit.samples.filter(status=SampleStatus.CONFIRMED).exists()
    ):
        raise ValidationError({"cohort": "The sample is confirmed: the cohort cannot change"})
    before = snapshot(thematic_audit)
    for name, value in details.items():
        setattr(thematic_audit, name, value)
    thematic_audit.save()
    if auditors is not None:
        thematic_audit.auditors.set(auditors)
    record_change(thematic_audit, by=by, action="changed", before=before)
    return thematic_audit


@transaction.atomic
def move_on(thematic_audit: ThematicAudit, *, by, rereview_due: datetime.date | None = None):
    """planned → in progress → reporting → complete. Completing sets the re-review date, six
    months on unless the lead chose another."""
    # The status now, not as the caller last read it: the next step follows from it.
    thematic_audit = ThematicAudit.objects.select_for_update().get(pk=thematic_audit.pk)
    to, rule = rules.NEXT_STATUS.get(thematic_audit.status, (None, rules.COMPLETE))
    _check(rule, by, thematic_audit)
    updates = {}
    if to == ThematicStatus.COMPLETE:
        today = clock.today()
        updates = {
            "completed_on": today,
            "rereview_due": rereview_due or add_months(today, REREVIEW_MONTHS),
        }
    return transitions.move(thematic_audit, to, transitions=THEMATIC, by=by, **updates)


# --- samples -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    child_id: int
    la_child_id: str
    team_id: int
    worker_id: int | None
    area: str
    service: str
    team: str
    worker: str


_GROUP = {
    SampleMethod.PER_AREA: "area",
    SampleMethod.PER_SERVICE: "service",
    SampleMethod.PER_TEAM: "team",
    SampleMethod.PER_WORKER: "worker",
}


def pick(candidates: list[_Candidate], *, method: str, size: int | None, seed: int):
    """The drawn candidates and what each was drawn within. ``candidates`` come in a fixed
    order (by child), and each group's draw is seeded by the seed and the group, so the same
    seed over the same cohort draws the same children."""
    if method == SampleMethod.ALL:
        return [(c, "") for c in candidates]
    if method in (SampleMethod.RANDOM_N, SampleMethod.RANDOM_PERCENT):
        n = size if method == SampleMethod.RANDOM_N else math.ceil(len(candidates) * size / 100)
        draw = random.Random(seed)  # noqa: S311 (seeded to be drawn again, not for secrecy)
        return [(c, "") for c in draw.sample(candidates, min(n, len(candidates)))]
    attribute = _GROUP[SampleMethod(method)]
    keyed = sorted(
        (c for c in candidates if getattr(c, attribute)),
        key=lambda c: (getattr(c, attribute), c.child_id),
    )
    picked = []
    for group, members in groupby(keyed, key=lambda c: getattr(c, attribute)):
        in_group = list(members)
        draw = random.Random(f"{seed}:{group}")  # noqa: S311
        picked += [(c, group) for c in draw.sample(in_group, min(size, len(in_group)))]
    return picked


def _check_size(method: str, size) -> int | None:
    if method == SampleMethod.ALL:
        return None
    if size is None:
        raise ValidationError({"size": "Enter how many children to draw"})
    if method == SampleMethod.RANDOM_PERCENT and not 1 <= size <= 100:
        raise ValidationError({"size": "The percentage must be between 1 and 100"})
    if not 1 <= size <= MAX_SAMPLE:
        raise ValidationError({"size": f"Enter a number between 1 and {MAX_SAMPLE}"})
    return size


@transaction.atomic
def draw_sample(
    thematic_audit: ThematicAudit,
    *,
    method: str,
    size: int | None = None,
    seed: int | None = None,
    as_at: datetime.date | None = None,
    by,
) -> ThematicSample:
    """Evaluate the cohort as at ``as_at`` (default: the latest case data) and draw from the
    children with an allocated team. A draw is a preview: drawing again replaces it."""
    thematic_audit = ThematicAudit.objects.select_for_update().get(pk=thematic_audit.pk)
    _check(rules.DRAW_SAMPLE, by, thematic_audit)
    if method not in SampleMethod.values:
        raise ValidationError({"method": "Select how to draw the sample"})
    size = _check_size(method, size)
    if seed is None:
        seed = secrets.randbelow(1_000_000) + 1
    cohort = thematic_audit.cohort
    evaluation = evaluate_saved(cohort, as_at)
    if evaluation.snapshot is None:
        raise ValidationError("There is no case data for the cohort's date. Import it first.")
    cohort_size = evaluation.children.count()
    rows = (
        evaluation.children.filter(allocated_team__isnull=False)
        .order_by("pk")
        .values_list(
            "pk",
            "la_child_id",
            "allocated_team_id",
            "allocated_worker_id",
            "allocated_team__area__name",
            "allocated_team__service__name",
            "allocated_team__name",
            "allocated_worker__name",
        )
    )
    candidates = [_Candidate(*row) for row in rows]
    picked = pick(candidates, method=method, size=size, seed=seed)
    if not picked:
        raise ValidationError(
            "No child of the cohort with an allocated team could be drawn. Check the cohort."
        )
    for draft in thematic_audit.samples.filter(status=SampleStatus.DRAFT):
        record_change(
            draft, by=by, action="deleted", before=snapshot(draft), after={}, reason="Drawn again"
        )
        draft.delete()
    sample = ThematicSample.objects.create(
        thematic_audit=thematic_audit,
        method=method,
        size=size,
        seed=seed,
        as_at=evaluation.as_at,
        cohort_size=cohort_size,
        eligible_size=len(candidates),
        drawn_by=_user(by),
    )
    SampledChild.objects.bulk_create(
        SampledChild(
            sample=sample,
            child_id=c.child_id,
            la_child_id=c.la_child_id,
            team_id=c.team_id,
            worker_id=c.worker_id,
            drawn_within=within[:255],
        )
        for c, within in picked
    )
    record_change(sample, by=by, action="created", reason=f"{len(picked)} drawn with seed {seed}")
    return sample


@transaction.atomic
def confirm_sample(sample: ThematicSample, *, by) -> ThematicSample:
    """Freeze the preview: from now on it is a stored list of children, whatever later imports
    say about them."""
    thematic_audit = ThematicAudit.objects.select_for_update().get(pk=sample.thematic_audit_id)
    _check(rules.EDIT, by, thematic_audit)
    if thematic_audit.samples.filter(status=SampleStatus.CONFIRMED).exclude(pk=sample.pk).exists():
        raise ValidationError("This thematic audit already has a confirmed sample.")
    return transitions.move(
        sample,
        SampleStatus.CONFIRMED,
        transitions=SAMPLE,
        by=by,
        confirmed_by=_user(by),
        confirmed_at=clock.now(),
    )


def confirmed_sample(thematic_audit: ThematicAudit) -> ThematicSample | None:
    return thematic_audit.samples.filter(status=SampleStatus.CONFIRMED).first()


@transaction.atomic
def allocate_audits(
    thematic_audit: ThematicAudit, *, due_date: datetime.date | None = None, by
) -> list[Audit]:
    """One audit with the bespoke tool for each sampled child not yet allocated, to the
    thematic audit's auditors (or any auditor), by the programme's own rule of who may audit
    which case (``audits.eligibility``) and its even balancing. Starts the thematic audit."""
    thematic_audit = ThematicAudit.objects.select_for_update().get(pk=thematic_audit.pk)
    _check(rules.EDIT, by, thematic_audit)
    if thematic_audit.tool_version_id is None:
        raise ValidationError("Choose the thematic audit's tool before allocating its audits.")
    sample = confirmed_sample(thematic_audit)
    if sample is None:
        raise ValidationError("Confirm the sample before allocating its audits.")
    due_date = due_date or thematic_audit.audits_due
    if due_date is None:
        raise ValidationError({"due_date": "Enter the date the audits are due"})
    cases = list(
        sample.children.filter(audit__isnull=True).select_related("child", "team", "worker")
    )
    if not cases:
        raise ValidationError("Every sampled child already has an audit.")
    pool = eligibility.pool(thematic_audit.council)
    chosen_ids = set(thematic_audit.auditors.values_list("pk", flat=True))
    if chosen_ids:
        pool = [person for person in pool if person.pk in chosen_ids]
    if not pool:
        raise ValidationError(
            "There is no one to allocate to: choose auditors who are team managers with the "
            "auditor role."
        )
    chosen = balance(cases, pool, eligibility.ties_of_sample(cases))
    audits = Audit.objects.bulk_create(
        Audit(
            council_id=thematic_audit.council_id,
            kind=AuditKind.THEMATIC,
            child=case.child,
            team=case.team,
            worker=case.worker,
            tool_version_id=thematic_audit.tool_version_id,
            auditor=chosen[case.pk],
            due_date=due_date,
        )
        for case in cases
    )
    by_auditor = defaultdict(list)
    for case, audit in zip(cases, audits, strict=True):
        case.audit = audit
        record_change(audit, by=by, action="created", reason=f"Thematic audit: {thematic_audit}")
        by_auditor[audit.auditor].append(audit)
    SampledChild.objects.bulk_update(cases, ["audit"])
    for auditor, theirs in by_auditor.items():
        notify_allocated(auditor, theirs, month=None)
    if thematic_audit.status == ThematicStatus.PLANNED:
        transitions.move(
            thematic_audit,
            ThematicStatus.IN_PROGRESS,
            transitions=THEMATIC,
            by=by,
            reason="Audits allocated",
        )
    return audits


# --- consultations, findings, recommendations ------------------------------------------------


def _record(thematic_audit: ThematicAudit, by) -> None:
    _check(rules.RECORD, by, thematic_audit)


@transaction.atomic
def add_consultation(thematic_audit, *, who, role, held_on, notes="", by) -> Consultation:
    _record(thematic_audit, by)
    if not (who or "").strip():
        raise ValidationError({"who": "Enter who was consulted"})
    consultation = Consultation.objects.create(
        thematic_audit=thematic_audit,
        who=who.strip(),
        role=role,
        held_on=held_on,
        notes=notes,
        recorded_by=by,
    )
    record_change(consultation, by=by, action="created")
    return consultation


def audits_of(thematic_audit):
    """The audits made for the thematic audit's sample."""
    return Audit.objects.filter(thematic_case__sample__thematic_audit=thematic_audit)


@transaction.atomic
def add_finding(
    thematic_audit, *, kind, summary, detail="", theme="", severity="", evidence=(), by
) -> Finding:
    _record(thematic_audit, by)
    if theme and theme not in FindingTheme.values:
        raise ValidationError({"theme": "Select the theme from the list"})
    if not (summary or "").strip():
        raise ValidationError({"summary": "Enter the finding"})
    if kind == FindingKind.IMPROVEMENT and not severity:
        raise ValidationError({"severity": "Select how severe the area for improvement is"})
    evidence = list(evidence)
    ours = set(
        audits_of(thematic_audit)
        .filter(pk__in=[a.pk for a in evidence])
        .values_list("pk", flat=True)
    )
    if len(ours) != len({a.pk for a in evidence}):
        raise ValidationError({"evidence": "Select audits of this thematic audit"})
    finding = Finding.objects.create(
        thematic_audit=thematic_audit,
        kind=kind,
        summary=summary.strip(),
        detail=detail,
        theme=theme or "",
        severity=severity if kind == FindingKind.IMPROVEMENT else "",
        created_by=by,
    )
    finding.evidence.set(evidence)
    record_change(finding, by=by, action="created")
    return finding


@transaction.atomic
def move_finding(finding: Finding, to: str, *, reason: str = "", by) -> Finding:
    """identified → confirmed → closed, or identified → dismissed, with a reason."""
    finding = Finding.objects.select_related("thematic_audit").get(pk=finding.pk)
    if to not in FINDING.done or to == FindingStatus.ASSIGNED:  # assigning: assign_finding
        raise ValidationError("Choose what to do with the finding")
    rule = rules.move_finding(to)
    _check(rule, by, finding)
    reason = (reason or "").strip()
    updates = {}
    if to == FindingStatus.DISMISSED:
        if not reason:
            raise ValidationError({"reason": "Enter the reason for dismissing the finding"})
        updates["dismissed_reason"] = reason
    return transitions.move(finding, to, transitions=FINDING, by=by, reason=reason, **updates)


@transaction.atomic
def set_finding_theme(finding: Finding, *, theme: str, by) -> Finding:
    """Give a finding its theme (or clear it), for one recorded before themes were, or given
    the wrong one: while the thematic audit is under way, or its finding still open."""
    finding = Finding.objects.select_related("thematic_audit").get(pk=finding.pk)
    if _user(by):
        guards.check(rules.may_manage(by, finding.thematic_audit), rules.ONLY_THE_LEAD)
    if theme and theme not in FindingTheme.values:
        raise ValidationError({"theme": "Select the theme from the list"})
    if finding.status == FindingStatus.DISMISSED:
        raise ValidationError("The finding is dismissed: its theme no longer counts.")
    before = snapshot(finding, fields=["theme"])
    finding.theme = theme or ""
    finding.save(update_fields=["theme"])
    record_change(finding, by=by, action="changed", before=before, after={"theme": finding.theme})
    return finding


@transaction.atomic
def assign_finding(finding: Finding, *, owner, due_date, severity, by) -> Finding:
    """confirmed → assigned: an area for improvement is given the person who answers for it,
    the date it should be put right by and how severe it is. The owner is told."""
    finding = Finding.objects.select_related("thematic_audit").get(pk=finding.pk)
    _check(rules.move_finding(FindingStatus.ASSIGNED), by, finding)
    if (
        owner is None
        or owner.council_id != finding.thematic_audit.council_id
        or not permissions.can_own_thematic_actions(owner)
    ):
        raise ValidationError({"owner": "Select the owner from the council's staff"})
    if due_date is None:
        raise ValidationError({"due_date": "Enter the date the finding is due to be put right"})
    if due_date < clock.today():
        raise ValidationError({"due_date": "The due date must be today or in the future"})
    if severity not in Severity.values:
        raise ValidationError({"severity": "Select how severe the area for improvement is"})
    assigned = transitions.move(
        finding,
        FindingStatus.ASSIGNED,
        transitions=FINDING,
        by=by,
        owner=owner,
        due_date=due_date,
        severity=severity,
    )
    notify.tell(
        [owner],
        "A finding of a thematic audit is yours to put right",
        f"Hello {owner.first_name or owner.username},\n\nAn area for improvement from the "
        f"thematic audit '{finding.thematic_audit.title}' is assigned to you, due by "
        f"{due_date:%-d %B %Y}.",
    )
    return assigned


@transaction.atomic
def add_recommendation(thematic_audit, *, text, by) -> Recommendation:
    _record(thematic_audit, by)
    if not (text or "").strip():
        raise ValidationError({"text": "Enter the recommendation"})
    recommendation = Recommendation.objects.create(
        thematic_audit=thematic_audit, text=text.strip(), created_by=by
    )
    record_change(recommendation, by=by, action="created")
    return recommendation


# --- the action plan -------------------------------------------------------------------------


@transaction.atomic
def add_action(
    thematic_audit,
    *,
    action,
    intended_outcome,
    owner,
    due_date,
    finding=None,
    recommendation=None,
    by,
) -> PlanAction:
    """An action of the plan: allowed until the plan is done, even after the audit completes
    (the plan is tracked to completion)."""
    if _user(by):
        guards.check(rules.may_manage(by, thematic_audit), rules.ONLY_THE_LEAD)
    if not (action or "").strip():
        raise ValidationError({"action": "Enter the action"})
    if not (intended_outcome or "").strip():
        raise ValidationError({"intended_outcome": "Enter the intended outcome"})
    if owner.council_id != thematic_audit.council_id or not owner.is_active:
        raise ValidationError({"owner": "Select the owner from the council's staff"})
    for part in (finding, recommendation):
        if part is not None and part.thematic_audit_id != thematic_audit.pk:
            raise ValidationError("Link the action to this thematic audit's findings only")
    if finding is not None:
        finding = Finding.objects.get(pk=finding.pk)  # its status now, not as the form read it
    if finding is not None and finding.status not in FindingStatus.live():
        raise ValidationError(
            {"finding": f"The finding is {finding.get_status_display().lower()}: choose another"}
        )
    plan_action = PlanAction.objects.create(
        thematic_audit=thematic_audit,
        action=action.strip(),
        intended_outcome=intended_outcome.strip(),
        owner=owner,
        due_date=due_date,
        finding=finding,
        recommendation=recommendation,
        created_by=by,
    )
    record_change(plan_action, by=by, action="created")
    notify.tell(
        [owner],
        "You own an action from a thematic audit",
        f"Hello {owner.first_name or owner.username},\n\nYou own an action from the thematic "
        f"audit '{thematic_audit.title}', due by {due_date:%-d %B %Y}.",
    )
    return plan_action


@transaction.atomic
def update_action(plan_action: PlanAction, *, status: str, evidence: str = "", by) -> PlanAction:
    """Start an action, or mark it done with the evidence that it is."""
    plan_action = PlanAction.objects.select_related("thematic_audit").get(pk=plan_action.pk)
    _check(rules.UPDATE_ACTION, by, plan_action)
    evidence = (evidence or "").strip()
    if status not in ACTION.done:
        raise ValidationError({"status": "Select the action's status"})
    updates: dict = {"evidence": evidence} if evidence else {}
    if status == ActionStatus.DONE:
        if not evidence:
            raise ValidationError({"evidence": "Enter the evidence that the action is complete"})
        updates["completed_on"] = clock.today()
    return transitions.move(plan_action, status, transitions=ACTION, by=by, **updates)


# --- reminders -------------------------------------------------------------------------------


def _reminder_line(action: PlanAction, today: datetime.date) -> str:
    when = "overdue" if action.is_overdue_on(today) else "due"
    text = action.action if len(action.action) <= 120 else action.action[:117] + "..."
    return (
        f"- {text} (thematic audit '{action.thematic_audit.title}'): {when}, "
        f"{action.due_date:%-d %B %Y}"
    )


@transaction.atomic
def send_reminders(*, today: datetime.date | None = None, council=None) -> dict:
    """Email each owner their actions due soon or overdue (``querysets.due_soon_q`` and
    ``overdue_q``, the home page's rules), and each lead the overdue actions of the thematic
    audits they lead that others own. Run daily (``caseaudit remind``); run again the same day
    it sends nothing twice: each action, person and day is recorded once
    (``ActionReminder``), in the same transaction, and the emails go only once that is
    committed. The emails name no child."""
    today = today or clock.today()
    pending = (
        PlanAction.objects.filter(overdue_q(today) | due_soon_q(today))
        .select_related("owner__worker", "thematic_audit__lead__worker")
        .order_by("due_date", "pk")
    )
    if council is not None:
        pending = pending.filter(thematic_audit__council=council)
    pending = list(pending)
    already = set(
        ActionReminder.objects.filter(
            sent_on=today, action_id__in=[a.pk for a in pending]
        ).values_list("action_id", "recipient_id")
    )
    owned: dict = defaultdict(list)
    led: dict = defaultdict(list)
    people = {}
    for action in pending:
        owner, lead = action.owner, action.thematic_audit.lead
        if owner.is_active and (action.pk, owner.pk) not in already:
            owned[owner.pk].append(action)
            people[owner.pk] = owner
        if (
            action.is_overdue_on(today)
            and lead.pk != owner.pk
            and lead.is_active
            and (action.pk, lead.pk) not in already
        ):
            led[lead.pk].append(action)
            people[lead.pk] = lead
    ActionReminder.objects.bulk_create(
        [
            ActionReminder(action=action, recipient_id=pk, sent_on=today, as_lead=as_lead)
            for as_lead, lists in ((False, owned), (True, led))
            for pk, actions_of in lists.items()
            for action in actions_of
        ]
    )
    for pk, person in people.items():
        parts = [f"Hello {person.first_name or person.username},"]
        if owned.get(pk):
            parts.append(
                "These actions you own from thematic audits are due or overdue:\n"
                + "\n".join(_reminder_line(a, today) for a in owned[pk])
            )
        if led.get(pk):
            parts.append(
                "These actions of thematic audits you lead are overdue:\n"
                + "\n".join(_reminder_line(a, today) for a in led[pk])
            )
        notify.tell([person], "Thematic audit actions due or overdue", "\n\n".join(parts))
    return {
        "people": len(people),
        "reminders": sum(len(v) for v in owned.values()) + sum(len(v) for v in led.values()),
    }
