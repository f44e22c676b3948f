"""Every change to inspections, their recommendations, actions, evidence and RAG status: one
function each, called by the pages, the demo and the tests alike. Each checks its rule, writes
history in its own transaction (``core.history``), and tells people of new work only once the
change is committed.

Actions answering a recommendation move as a thematic action plan's do: the same statuses and
moves (``thematic.transitions.ACTION``), evidence required to mark one done.

A mock inspection is carried out as a thematic audit is, through the one it owns
(``record_mock_inspection``): its cohort, sample, tool, audits, findings, recommendations and
action plan are that thematic audit's, changed by the thematic app's own actions; only its
judgements (the mock grades) are the inspection's.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from caseaudit.accounts import permissions
from caseaudit.audits.actions import notify
from caseaudit.audits.choices import Rag
from caseaudit.core import clock, guards, transitions, versioning
from caseaudit.core.grades import Grade
from caseaudit.core.history import record_change, snapshot
from caseaudit.core.months import month_start
from caseaudit.core.roles import STAFF_ROLES
from caseaudit.inspection import evidence as reading
from caseaudit.inspection import rag
from caseaudit.inspection.choices import EvidenceKind, InspectionKind, RagKind
from caseaudit.inspection.models import (
    Evidence,
    Inspection,
    Judgement,
    JudgementArea,
    RagStatus,
    Recommendation,
    RecommendationAction,
    cohort_problem,
)
from caseaudit.performance.indicators import INDICATORS
from caseaudit.thematic import actions as thematic
from caseaudit.thematic.choices import ActionStatus
from caseaudit.thematic.models import ThematicAudit
from caseaudit.thematic.transitions import ACTION

REFERENCE_LENGTH = Inspection._meta.get_field("reference").max_length
ONLY_QA = "Only the QA lead can change inspections and their recommendations."
ONLY_OWNER = "Only the action's owner or the QA lead can update this action."
CHANGED_MEANWHILE = (
    "Someone else set this recommendation's RAG status while you were looking at it. "
    "Read what they said, then set it again if you still need to."
)


def _user(by):
    return by if getattr(by, "is_authenticated", False) else None


def _may_manage(by, council_id: int) -> None:
    """The QA lead of the council; the demo and commands act as no one."""
    if _user(by):
        guards.check(
            permissions.can_manage_inspections(by) and by.council_id == council_id, ONLY_QA
        )


# --- inspections and judgements ------------------------------------------------------------


@transaction.atomic
def record_inspection(
    council,
    *,
    kind: str,
    started_on: datetime.date,
    ended_on: datetime.date | None = None,
    published_on: datetime.date | None = None,
    reference: str = "",
    summary: str = "",
    by,
) -> Inspection:
    _may_manage(by, council.pk)
    if kind not in InspectionKind.values:
        raise ValidationError({"kind": "Select the kind of inspection"})
    if kind == InspectionKind.MOCK:
        raise ValidationError({"kind": MOCK_ON_ITS_OWN})
    if ended_on and ended_on < started_on:
        raise ValidationError({"ended_on": "The last day must be the same as or after the first"})
    reference = (reference or "").strip()
    if len(reference) > REFERENCE_LENGTH:
        raise ValidationError(
            {"reference": f"The report reference must be {REFERENCE_LENGTH} characters or fewer"}
        )
    if published_on and published_on < started_on:
        raise ValidationError({"published_on": "The report cannot be published before it began"})
    inspection = Inspection.objects.create(
        council=council,
        kind=kind,
        started_on=started_on,
        ended_on=ended_on,
        published_on=published_on,
        reference=reference,
        summary=(summary or "").strip(),
        created_by=_user(by),
    )
    record_change(inspection, by=by, action="created")
    return inspection


# --- mock inspections ------------------------------------------------------------------------

MOCK_ON_ITS_OWN = (
    "Record a mock inspection with 'Record a mock inspection': it has a cohort, a sample and "
    "an audit tool"
)
MOCK_RECOMMENDATIONS = (
    "A mock inspection's recommendations and actions are its thematic audit's: add them there."
)


def _check_mock(details: dict) -> None:
    """What a mock inspection needs beyond a thematic audit: a cohort to sample and a tool to
    audit with, from the start (the thematic app checks the rest, the period among it)."""
    if "cohort" in details and details["cohort"] is None:
        raise ValidationError({"cohort": "Select the cohort the mock inspection samples"})
    if "tool_version" in details and details["tool_version"] is None:
        raise ValidationError({"tool_version": "Select the audit tool the mock inspection uses"})


@transaction.atomic
def record_mock_inspection(council, *, auditors=(), by, **details) -> Inspection:
    """A mock inspection and the thematic audit that carries it out, made together (the
    thematic audit by ``thematic.actions.create_thematic_audit``). ``details`` are that
    action's: title, lead, purpose, period_start, period_end, cohort, tool_version,
    audits_due; the inspection's dates are the period's."""
    _may_manage(by, council.pk)
    details = {"cohort": None, "tool_version": None, **details}
    for name, missing in (
        ("title", "Enter the title"),
        ("lead", "Select the lead"),
        ("period_start", "Enter the start of the period"),
        ("period_end", "Enter the end of the period"),
    ):
        if not details.get(name):
            raise ValidationError({name: missing})
    _check_mock(details)
    carried_out = thematic.create_thematic_audit(council, auditors=auditors, by=by, **details)
    inspection = Inspection.objects.create(
        council=council,
        kind=InspectionKind.MOCK,
        started_on=carried_out.period_start,
        ended_on=carried_out.period_end,
        thematic_audit=carried_out,
        created_by=_user(by),
    )
    record_change(inspection, by=by, action="created")
    return inspection


@transaction.atomic
def edit_mock_inspection(inspection: Inspection, *, auditors=None, by, **details) -> Inspection:
    """Change the mock inspection's thematic audit (``thematic.actions.edit_thematic_audit``:
    its rules, such as no new cohort once the sample is confirmed) and keep the inspection's
    dates the period's."""
    _may_manage(by, inspection.council_id)
    if inspection.thematic_audit_id is None:
        raise ValidationError("This mock inspection has no thematic audit to change.")
    _check_mock(details)
    carried_out = thematic.edit_thematic_audit(
        ThematicAudit.objects.get(pk=inspection.thematic_audit_id),
        auditors=auditors,
        by=by,
        **details,
    )
    current = Inspection.objects.select_for_update().get(pk=inspection.pk)
    dates = {"started_on": carried_out.period_start, "ended_on": carried_out.period_end}
    if any(getattr(current, name) != value for name, value in dates.items()):
        before = snapshot(current, fields=list(dates))
        for name, value in dates.items():
            setattr(current, name, value)
        current.save(update_fields=list(dates))
        record_change(
            current, by=by, action="changed", before=before, after=snapshot(current, list(dates))
        )
    return current


def areas_for(inspection: Inspection):
    """The judgement areas of the council in force when the inspection began."""
    return JudgementArea.objects.for_council(inspection.council_id).active_on(inspection.started_on)


NATIONAL_COHORT = (
    "The national areas' services come with caseaudit. Add your council's own judgement area "
    "to choose whose audits count for it."
)


@transaction.atomic
def set_area_cohort(area: JudgementArea, *, services: list[str], by) -> JudgementArea:
    """Choose whose audits speak for one of the council's own judgement areas in its
    self-evaluation: the kinds of service its children are with (none: every service's). The
    history keeps the ones it had."""
    if area.council_id is None:
        raise ValidationError({"cohort_services": NATIONAL_COHORT})
    _may_manage(by, area.council_id)
    current = JudgementArea.objects.select_for_update().get(pk=area.pk)
    chosen = list(services)
    if current.cohort_services == chosen:
        return current
    before = snapshot(current, fields=["cohort_services"])
    problem = cohort_problem(chosen)
    if problem:
        raise ValidationError({"cohort_services": problem})
    current.cohort_services = chosen
    current.save(update_fields=["cohort_services"])
    record_change(
        current,
        by=by,
        action="changed",
        before=before,
        after=snapshot(current, ["cohort_services"]),
    )
    return current


@transaction.atomic
def record_judgement(inspection: Inspection, *, area: JudgementArea, grade: str, by) -> Judgement:
    """The grade for one area; recording it again changes it (the history keeps both)."""
    _may_manage(by, inspection.council_id)
    if not inspection.is_graded:
        raise ValidationError(
            f"A {inspection.get_kind_display().lower()} does not grade the judgement areas."
        )
    if grade not in Grade.values:
        raise ValidationError({"grade": "Select the grade"})
    if not areas_for(inspection).filter(pk=area.pk).exists():
        raise ValidationError(
            {"area": f"'{area}' was not a judgement area on {inspection.started_on:%-d %B %Y}"}
        )
    judgement = Judgement.objects.filter(inspection=inspection, area=area).first()
    if judgement is None:
        judgement = Judgement.objects.create(inspection=inspection, area=area, grade=grade)
        record_change(judgement, by=by, action="created")
    elif judgement.grade != grade:
        before = snapshot(judgement, fields=["grade"])
        judgement.grade = grade
        judgement.save(update_fields=["grade"])
        record_change(
            judgement, by=by, action="changed", before=before, after=snapshot(judgement, ["grade"])
        )
    return judgement


@transaction.atomic
def record_judgements(inspection: Inspection, grades, *, by) -> None:
    """Several at once, all or none: a form's worth of ``(area, grade)``."""
    for area, grade in grades:
        record_judgement(inspection, area=area, grade=grade, by=by)


# --- recommendations -------------------------------------------------------------------------


@transaction.atomic
def add_recommendation(
    inspection: Inspection, *, number: int, text: str, area: JudgementArea | None, by
) -> Recommendation:
    _may_manage(by, inspection.council_id)
    if inspection.is_mock:
        raise ValidationError(MOCK_RECOMMENDATIONS)
    if not (text or "").strip():
        raise ValidationError({"text": "Enter the recommendation"})
    if not number or number < 1:
        raise ValidationError({"number": "Enter the recommendation's number, as the report has it"})
    if inspection.recommendations.filter(number=number).exists():
        raise ValidationError({"number": f"There is already a recommendation {number}"})
    if area is not None and not areas_for(inspection).filter(pk=area.pk).exists():
        raise ValidationError({"area": "Select one of the inspection's judgement areas"})
    recommendation = Recommendation.objects.create(
        inspection=inspection, number=number, text=text.strip(), area=area, created_by=_user(by)
    )
    record_change(recommendation, by=by, action="created")
    return recommendation


@transaction.atomic
def map_recommendation(recommendation: Recommendation, *, area: JudgementArea | None, by):
    """Answer the recommendation to another judgement area (the next framework's, say): its
    actions and evidence go with it. Any area of the council, in force or not; the history
    keeps the one it had."""
    _may_manage(by, recommendation.inspection.council_id)
    council_id = recommendation.inspection.council_id
    if (
        area is not None
        and not JudgementArea.objects.for_council(council_id).filter(pk=area.pk).exists()
    ):
        raise ValidationError({"area": "Select one of the council's judgement areas"})
    current = Recommendation.objects.get(pk=recommendation.pk)
    if current.area_id == (area.pk if area else None):
        return current
    before = snapshot(current, fields=["area"])
    current.area = area
    current.save(update_fields=["area"])
    record_change(
        current, by=by, action="changed", before=before, after=snapshot(current, ["area"])
    )
    return current


# --- actions -----------------------------------------------------------------------------------


def staff_of(council_id: int):
    from caseaudit.accounts.models import User

    return User.objects.filter(council_id=council_id, is_active=True, role__in=STAFF_ROLES)


@transaction.atomic
def add_action(
    recommendation: Recommendation, *, action: str, owner, due_date: datetime.date, by
) -> RecommendationAction:
    council_id = recommendation.inspection.council_id
    _may_manage(by, council_id)
    if not (action or "").strip():
        raise ValidationError({"action": "Enter the action"})
    if not staff_of(council_id).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": "Select the owner from the council's staff"})
    if due_date is None:
        raise ValidationError({"due_date": "Enter the date the action is due"})
    created = RecommendationAction.objects.create(
        recommendation=recommendation,
        action=action.strip(),
        owner=owner,
        due_date=due_date,
        created_by=_user(by),
    )
    record_change(created, by=by, action="created")
    if _user(by):
        notify.tell(
            [owner],
            "You own an action answering an inspection recommendation",
            f"Hello {owner.first_name or owner.username},\n\nYou own an action answering "
            f"recommendation {recommendation.number} of the {recommendation.inspection}, "
            f"due by {due_date:%-d %B %Y}.",
        )
    return created


def may_update_action(user, action: RecommendationAction) -> bool:
    return (
        permissions.can_own_inspection_actions(user)
        and action.recommendation.inspection.council_id == user.council_id
        and (action.owner_id == user.pk or permissions.can_manage_inspections(user))
    )


UPDATE_ACTION = guards.Rule(
    who=may_update_action,
    when=lambda action: action.status in ActionStatus.open(),
    not_you=ONLY_OWNER,
    not_now=lambda action: ValidationError("This action is done and cannot be changed."),
)


@transaction.atomic
def update_action(
    recommendation_action: RecommendationAction, *, status: str, evidence: str = "", by
) -> RecommendationAction:
    """Start an action, or mark it done with the evidence that it is."""
    current = RecommendationAction.objects.select_related("recommendation__inspection").get(
        pk=recommendation_action.pk
    )
    if _user(by):
        UPDATE_ACTION.check(by, current)
    else:
        UPDATE_ACTION.check_state(current)
    evidence = (evidence or "").strip()
    if status not in ACTION.done:
        raise ValidationError({"status": "Select the action's progress"})
    updates: dict = {"evidence": evidence} if evidence else {}
    if status == ActionStatus.DONE:
        if not evidence:
            raise ValidationError({"evidence": "Enter the evidence that the action is complete"})
        updates["completed_on"] = clock.today()
    return transitions.move(current, status, transitions=ACTION, by=by, **updates)


# --- evidence ----------------------------------------------------------------------------------


def _clean_evidence(recommendation: Recommendation, kind: str, fields: dict) -> dict:
    council_id = recommendation.inspection.council_id
    if kind == EvidenceKind.AUDIT_DOMAIN:
        title = (fields.get("domain_title") or "").strip()
        first, last = fields.get("from_month"), fields.get("to_month")
        if not title:
            raise ValidationError({"domain_title": "Select the audit domain"})
        if not first or not last:
            raise ValidationError({"from_month": "Enter the months the audits were counted in"})
        first, last = month_start(first), month_start(last)
        if last < first:
            raise ValidationError(
                {"to_month": "The last month must be the same as or after the first"}
            )
        return {"domain_title": title, "from_month": first, "to_month": last}
    if kind == EvidenceKind.THEMATIC_AUDIT:
        audit = fields.get("thematic_audit")
        if audit is None or audit.council_id != council_id:
            raise ValidationError({"thematic_audit": "Select one of the council's thematic audits"})
        return {"thematic_audit": audit}
    if kind == EvidenceKind.THEMATIC_FINDING:
        finding = fields.get("finding")
        if finding is None or finding.thematic_audit.council_id != council_id:
            raise ValidationError({"finding": "Select a finding of the council's thematic audits"})
        return {"finding": finding}
    if kind == EvidenceKind.INDICATOR:
        code = fields.get("indicator_code") or ""
        if code not in INDICATORS:
            raise ValidationError({"indicator_code": "Select the indicator"})
        target = fields.get("target")
        return {"indicator_code": code, "target": None if target is None else Decimal(target)}
    raise ValidationError({"kind": "Select the kind of evidence"})


@transaction.atomic
def link_evidence(recommendation: Recommendation, *, kind: str, note: str = "", by, **fields):
    _may_manage(by, recommendation.inspection.council_id)
    cleaned = _clean_evidence(recommendation, kind, fields)
    linked = Evidence.objects.create(
        recommendation=recommendation,
        kind=kind,
        note=(note or "").strip(),
        added_by=_user(by),
        **cleaned,
    )
    record_change(linked, by=by, action="created")
    return linked


# --- the RAG status ----------------------------------------------------------------------------


def readings_of(recommendation: Recommendation, user=None) -> list[reading.Reading]:
    """The evidence as ``user`` is shown it on its own pages (exact when no one asks)."""
    council = recommendation.inspection.council
    return [
        reading.read(linked, council, user)
        for linked in reading.with_relations(recommendation.evidence.all())
    ]


def propose_rag(
    recommendation: Recommendation, readings: list[reading.Reading] | None = None
) -> rag.Proposal:
    """What the recommendation's chain proposes now (``inspection.rag``)."""
    if readings is None:
        readings = readings_of(recommendation)
    return rag.propose(recommendation.actions.all(), readings)


def _append(recommendation, kind: str, rag_value: str, rationale: str, by) -> RagStatus:
    entry = RagStatus.objects.create(
        recommendation=recommendation,
        kind=kind,
        rag=rag_value,
        rationale=rationale,
        decided_by=_user(by) if kind == RagKind.CONFIRMED else None,
    )
    record_change(entry, by=by, action="created")
    return entry


@transaction.atomic
def record_proposal(recommendation: Recommendation, *, by=None) -> RagStatus | None:
    """Add what the chain proposes now to the history, unless the last proposal said the
    same: the history shows each change of proposal, not every time it was worked out."""
    proposal = propose_rag(recommendation)
    last = recommendation.rag_history.filter(kind=RagKind.PROPOSED).first()
    if last is not None and (last.rag, last.rationale) == (proposal.rag, proposal.rationale):
        return None
    return _append(recommendation, RagKind.PROPOSED, proposal.rag, proposal.rationale, by)


@transaction.atomic
def confirm_rag(
    recommendation: Recommendation, *, rag_value: str, rationale: str, lock_version: int, by
) -> RagStatus:
    """A person's RAG with their rationale, beside what the chain proposed at that moment
    (recorded first, so the history shows both)."""
    _may_manage(by, recommendation.inspection.council_id)
    if rag_value not in Rag.values:
        raise ValidationError({"rag": "Select red, amber or green"})
    if not (rationale or "").strip():
        raise ValidationError({"rationale": "Enter why the recommendation has this RAG status"})
    if not versioning.claim(Recommendation.objects.all(), recommendation.pk, lock_version):
        raise versioning.ChangedSinceOpened(CHANGED_MEANWHILE)
    recommendation.refresh_from_db()
    record_proposal(recommendation, by=None)
    return _append(recommendation, RagKind.CONFIRMED, rag_value, rationale.strip(), by)
