"""Drawing a month's sample: a stratified, reproducible random draw of open cases.

Eligible cases are the children in the council's latest case data who have an allocated team
and an open case (CIN episode, CP plan, CLA episode, or a care leaver), optionally in the
month's cohort, leaving out children audited recently or already in a confirmed sample. Up to
``per_team`` are drawn from each team. The same seed over the same data draws the same
children: the database returns the candidates in a fixed order and each team's draw has a
random generator seeded from the sample's seed and the team, so a change in one team's cases
does not reshuffle another's.

A draw is a preview (draft) until it is confirmed; drawing again replaces the draft, and a
confirmed sample is frozen.
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
from caseaudit.audits.choices import AuditStatus, SampleStatus
from caseaudit.audits.models import Audit, ProgrammeMonth, Sample, SampleCase
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
