"""Drawing a month's sample: a stratified, reproducible random draw of open cases.

Eligible cases are the children in the council's latest case data who have an allocated team
and an open case (CIN episode, CP plan, CLA episode, or a care leaver), optionally in the
month's cohort, leaving out children audited recently or already in a confirmed sample. Up to
``per_team`` are drawn from each team. The same seed over the same data draws the same
children: the database returns the candidates in a fixed order and each team's draw has a
random generator seeded from the sample's seed and the team, so a change in one team's cases
does not reshuffle another's.

A draw is a preview (draft) until it is confirmed; drawing again replaces the draft, and a
confirmed sample is frozen but for one thing: until it is allocated, and while the month is
not yet open, the QA lead may swap one case out with a reason (``swap_case``). The
replacement comes from the same team's other eligible cases, by the same rule, with a random
generator seeded from the sample's seed, the team and how many swaps came before, so the same
swaps over the same data draw the same children.
"""

import datetime
import random
import secrets
from dataclasses import dataclass
from itertools import groupby

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from caseaudit.audits.actions.programme import check_focus, require_takes_samples
from caseaudit.audits.choices import AuditStatus, MonthStatus, SampleStatus
from caseaudit.audits.models import Audit, ProgrammeMonth, Sample, SampleCase, SwappedCase
from caseaudit.audits.transitions import SAMPLE
from caseaudit.cases.cohorts import COHORTS, children_in, evaluate_saved
from caseaudit.cases.models import CareLeaver, Child, CINEpisode, CLAEpisode, CPPlan, Snapshot
from caseaudit.core import clock, transitions
from caseaudit.core.history import record_change, snapshot
from caseaudit.core.months import add_months, month_start

MAX_PER_TEAM = 20
MAX_EXCLUDED_MONTHS = 36


@dataclass(frozen=True)
class Candidate:
    child_id: int
    team_id: int
    worker_id: int | None
    team_name: str


def open_case(snapshot: Snapshot) -> Q:
    """The child has an open case in the snapshot: an open CIN episode, CP plan or CLA
    episode, or a row in the care leavers list (which has no end date)."""

    def has(model, **condition) -> Exists:
        return Exists(model.objects.filter(snapshot=snapshot, child=OuterRef("pk"), **condition))

    return Q(
        has(CINEpisode, cin_closure_date__isnull=True)
        | has(CPPlan, cp_plan_end_date__isnull=True)
        | has(CLAEpisode, ceased_looked_after_date__isnull=True)
        | has(CareLeaver)
    )


def eligible_children(
    month: ProgrammeMonth,
    snapshot: Snapshot,
    *,
    cohort_key: str = "",
    cohort_params: dict | None = None,
    saved_cohort=None,
    exclude_audited_months: int = 6,
) -> QuerySet[Child]:
    council = month.council
    since = add_months(month_start(month.month), -exclude_audited_months)
    since_at = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    recently_audited = Audit.objects.filter(child=OuterRef("pk")).filter(
        Q(status__in=AuditStatus.open())
        | Q(status__in=AuditStatus.completed(), submitted_at__gte=since_at)
    )
    # A confirmed sample not yet allocated has no audits for the rule above to find.
    already_sampled = SampleCase.objects.filter(
        child=OuterRef("pk"),
        audit__isnull=True,
        sample__status=SampleStatus.CONFIRMED,
        sample__month__council=council,
        sample__month__month__gte=since,
    )
    children = Child.objects.filter(
        open_case(snapshot),
        council=council,
        last_snapshot=snapshot,
        allocated_team__isnull=False,
    ).exclude(Exists(recently_audited) | Exists(already_sampled))
    if cohort_key:
        cohort = children_in(council, cohort_key, cohort_params)
        children = children.filter(pk__in=cohort.values("pk"))
    if saved_cohort is not None:
        # The saved cohort as at the case data the sample is drawn from.
        cohort = evaluate_saved(saved_cohort, snapshot.as_at).children
        children = children.filter(pk__in=cohort.values("pk"))
    return children


def candidates(children: QuerySet[Child]) -> list[Candidate]:
    """One query: the eligible (child, team, worker) rows in a fixed order."""
    rows = children.order_by("allocated_team_id", "pk").values_list(
        "pk", "allocated_team_id", "allocated_worker_id", "allocated_team__name"
    )
    return [Candidate(*row) for row in rows]


def pick(candidates: list[Candidate], *, per_team: int, seed: int) -> list[tuple[Candidate, int]]:
    """Up to ``per_team`` candidates from each team, with how many each team had."""
    picked = []
    for team_id, group in groupby(candidates, key=lambda c: c.team_id):
        in_team = list(group)
        # Seeded for reproducibility, never for security.
        draw = random.Random(f"{seed}:{team_id}")  # noqa: S311
        chosen = draw.sample(in_team, min(per_team, len(in_team)))
        picked.extend((candidate, len(in_team)) for candidate in chosen)
    return picked


def _reason(chosen: int, eligible: int, team_name: str, cohort_title: str) -> str:
    cases = "case" if eligible == 1 else "cases"
    reason = f"{chosen} of {eligible} eligible open {cases} in {team_name}"
    if cohort_title:
        reason += f" (cohort: {cohort_title})"
    return reason[:300]


def _latest_snapshot(council) -> Snapshot:
    latest = Snapshot.objects.filter(council=council).order_by("-as_at").first()
    if latest is None:
        raise ValidationError(
            f"There is no case data for {council} yet. Import an Annex A return before "
            "drawing a sample."
        )
    return latest


@transaction.atomic
def draw_sample(
    month: ProgrammeMonth,
    *,
    per_team: int = 1,
    seed: int | None = None,
    cohort_key: str | None = None,
    saved_cohort=None,
    exclude_audited_months: int = 6,
    by,
) -> Sample:
    """Up to ``per_team`` open cases from each team. The cohort focus is the month's unless
    the draw names one: a practice theme (``cohort_key``) or a saved cohort, not both."""
    # Lock the month, then its samples: every programme action takes locks in that order.
    month = (
        ProgrammeMonth.objects.select_for_update(of=("self",))
        .select_related("council")
        .get(pk=month.pk)
    )
    require_takes_samples(month)
    if month.samples.filter(status=SampleStatus.CONFIRMED).exists():
        raise ValidationError(
            f"The sample for {month} is confirmed and cannot be drawn again or changed."
        )
    if not 1 <= per_team <= MAX_PER_TEAM:
        raise ValidationError(f"Cases per team must be between 1 and {MAX_PER_TEAM}.")
    if not 0 <= exclude_audited_months <= MAX_EXCLUDED_MONTHS:
        raise ValidationError(
            f"The months to leave out recently audited cases must be between 0 and "
            f"{MAX_EXCLUDED_MONTHS}."
        )
    if cohort_key is None and saved_cohort is None:
        cohort_key, saved_cohort = month.cohort_key, month.saved_cohort
    cohort_key = cohort_key or ""
    if cohort_key and cohort_key not in COHORTS:
        raise ValidationError("Choose a cohort from the list.")
    check_focus(month.council, cohort_key, saved_cohort)
    if seed is None:
        seed = secrets.randbelow(1_000_000) + 1
    # The month's own cohort parameters apply when the month's cohort is drawn.
    params = month.cohort_params if cohort_key == month.cohort_key else {}
    children = eligible_children(
        month,
        _latest_snapshot(month.council),
        cohort_key=cohort_key,
        cohort_params=params,
        saved_cohort=saved_cohort,
        exclude_audited_months=exclude_audited_months,
    )
    focus_title = saved_cohort.name if saved_cohort else ""
    focus_title = COHORTS[cohort_key].title if cohort_key else focus_title
    picked = pick(candidates(children), per_team=per_team, seed=seed)
    if not picked:
        focus = f" in the cohort '{focus_title}'" if focus_title else ""
        raise ValidationError(
            f"No open case{focus} is eligible for {month}'s sample: every one has been "
            "audited recently, is already sampled, or has no allocated team."
        )
    for draft in month.samples.filter(status=SampleStatus.DRAFT):
        before = snapshot(draft)
        record_change(draft, by=by, action="deleted", before=before, after={}, reason="Drawn again")
        draft.delete()
    sample = Sample.objects.create(
        month=month,
        seed=seed,
        per_team=per_team,
        cohort_key=cohort_key,
        saved_cohort=saved_cohort,
        exclude_audited_months=exclude_audited_months,
        drawn_by=by if getattr(by, "is_authenticated", False) else None,
    )
    cohort_title = focus_title
    chosen_in_team = {}
    for candidate, _ in picked:
        chosen_in_team[candidate.team_id] = chosen_in_team.get(candidate.team_id, 0) + 1
    SampleCase.objects.bulk_create(
        SampleCase(
            sample=sample,
            child_id=candidate.child_id,
            team_id=candidate.team_id,
            worker_id=candidate.worker_id,
            reason=_reason(
                chosen_in_team[candidate.team_id], eligible, candidate.team_name, cohort_title
            ),
        )
        for candidate, eligible in picked
    )
    record_change(
        sample, by=by, action="created", reason=f"{len(picked)} cases drawn with seed {seed}"
    )
    return sample


@transaction.atomic
def confirm_sample(sample: Sample, *, by) -> Sample:
    """Freeze the draft: it becomes the month's sample, ready to allocate."""
    month = ProgrammeMonth.objects.select_for_update().get(pk=sample.month_id)
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    require_takes_samples(month)
    if sample.status == SampleStatus.CONFIRMED:
        raise ValidationError(f"The sample for {month} is already confirmed.")
    if month.samples.filter(status=SampleStatus.CONFIRMED).exists():
        raise ValidationError(f"{month} already has a confirmed sample.")
    if not sample.cases.exists():
        raise ValidationError("An empty sample cannot be confirmed. Draw the sample again.")
    return transitions.move(
        sample,
        SampleStatus.CONFIRMED,
        transitions=SAMPLE,
        by=by,
        confirmed_by=by if getattr(by, "is_authenticated", False) else None,
        confirmed_at=clock.now(),
    )


def _sample_focus(sample: Sample) -> dict:
    """The eligibility arguments a sample was drawn with."""
    month = sample.month
    params = month.cohort_params if sample.cohort_key == month.cohort_key else {}
    return {
        "cohort_key": sample.cohort_key,
        "cohort_params": params,
        "saved_cohort": sample.saved_cohort,
        "exclude_audited_months": sample.exclude_audited_months,
    }


def why_sample_is_fixed(month: ProgrammeMonth) -> str:
    """Why no case may be swapped out of the month's sample now, or blank if one may: only
    until the sample is allocated and while the month is planned. The month page asks this
    before offering "Swap out", and ``swap_case`` refuses with it."""
    progress = month.progress
    if progress.status == MonthStatus.OPEN:
        return f"{month} is open: its sample can no longer be changed."
    try:
        require_takes_samples(month)
    except ValidationError as error:
        return " ".join(error.messages)
    if progress.allocated:
        return (
            f"The sample for {month} has been allocated: reallocate an audit instead of "
            "swapping its case."
        )
    return ""


@transaction.atomic
def swap_case(case: SampleCase, *, reason: str, by) -> SampleCase:
    """Take ``case`` out of its sample, for ``reason``, and draw another open case of the
    same team in its place by the sample's own rule and seed. Returns the new case."""
    reason = (reason or "").strip()
    # The month, then the sample: the lock order every programme action keeps.
    month = (
        ProgrammeMonth.objects.select_for_update(of=("self",))
        .select_related("council")
        .get(pk=case.sample.month_id)
    )
    sample = (
        Sample.objects.select_for_update(of=("self",))
        .select_related("saved_cohort")
        .get(pk=case.sample_id)
    )
    sample.month = month
    case = SampleCase.objects.select_related("child", "team").filter(pk=case.pk).first()
    if case is None or case.sample_id != sample.pk:
        raise ValidationError("That case is no longer in the sample.")
    fixed = why_sample_is_fixed(month)
    if fixed:
        raise ValidationError(fixed)
    if not reason:
        raise ValidationError({"reason": "Enter the reason for swapping the case out"})
    in_sample = list(sample.cases.values_list("child_id", flat=True))
    swapped_out = list(sample.swaps.values_list("child_id", flat=True))
    children = eligible_children(month, _latest_snapshot(month.council), **_sample_focus(sample))
    pool = candidates(
        children.filter(allocated_team_id=case.team_id).exclude(pk__in=in_sample + swapped_out)
    )
    if not pool:
        raise ValidationError(
            f"No other open case in {case.team.name} is eligible to replace child "
            f"{case.child.la_child_id}: every one has been audited recently, is already "
            "sampled or was swapped out. Keep the case, or draw the sample again."
        )
    # Seeded for reproducibility, never for security.
    draw = random.Random(f"{sample.seed}:{case.team_id}:swap:{len(swapped_out)}")  # noqa: S311
    chosen = draw.choice(pool)
    swap = SwappedCase.objects.create(
        sample=sample,
        child_id=case.child_id,
        team_id=case.team_id,
        worker_id=case.worker_id,
        reason=reason,
        replacement_id=chosen.child_id,
        swapped_by=by if getattr(by, "is_authenticated", False) else None,
    )
    before = snapshot(case)
    record_change(case, by=by, action="deleted", before=before, after={}, reason=reason)
    case.delete()
    replacement = SampleCase.objects.create(
        sample=sample,
        child_id=chosen.child_id,
        team_id=chosen.team_id,
        worker_id=chosen.worker_id,
        reason=(
            f"Drawn in place of child {case.child.la_child_id}: 1 of {len(pool)} other "
            f"eligible open {'case' if len(pool) == 1 else 'cases'} in {chosen.team_name}"
        )[:300],
    )
    record_change(replacement, by=by, action="created", reason=reason)
    record_change(swap, by=by, action="created", reason=reason)
    return replacement
