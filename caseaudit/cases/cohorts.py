"""Cohorts: named, parameterised queries over a council's current case data.

One module holds them all, so that a sample, a programme month's focus and (later) a
thematic audit's cohort mean the same thing by the same name. Each returns a queryset of
``Child``; callers add ``visible_to(user)`` where a person will see the children.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from caseaudit.cases.models import Child, CINEpisode, CLAEpisode, CPPlan, Snapshot

# The extra column synthetic and many real returns carry (Annex A itself has no CSE field).
CSE_COLUMN = "CSE Risk Category"
CSE_LEVELS = ("Emerging", "Experiencing", "Significant")


@dataclass(frozen=True)
class Cohort:
    key: str
    title: str
    description: str
    build: Callable[[Snapshot, dict], Q]
    defaults: dict = field(default_factory=dict)


def _has(model, snapshot: Snapshot, condition: Q) -> Exists:
    """The child has a row in ``model``'s list in this snapshot that meets ``condition``."""
    return Exists(model.objects.filter(condition, snapshot=snapshot, child=OuterRef("pk")))


def _open_cin(snapshot, params) -> Q:
    return Q(_has(CINEpisode, snapshot, Q(cin_closure_date__isnull=True)))


def _under_age_on_cp(snapshot, params) -> Q:
    years = params["under_years"]
    born_after = _years_before(snapshot.as_at, years)
    return Q(_has(CPPlan, snapshot, Q(cp_plan_end_date__isnull=True))) & Q(
        date_of_birth__gt=born_after
    )


def _cp_category(snapshot, params) -> Q:
    return Q(
        _has(
            CPPlan,
            snapshot,
            Q(cp_plan_end_date__isnull=True, latest_abuse_category=params["category"]),
        )
    )


def _cse(snapshot, params) -> Q:
    conditions = Q()
    for model in (CINEpisode, CPPlan, CLAEpisode):
        records = model.objects.filter(snapshot=snapshot, child=OuterRef("pk")).annotate(
            # Cast to text: on SQLite ``__in`` on a JSON key compares JSON-encoded values.
            cse=Cast(KeyTextTransform(CSE_COLUMN, "extras"), CharField())
        )
        conditions |= Q(Exists(records.filter(cse__in=params["levels"])))
    return conditions


def _missing(snapshot, params) -> Q:
    return Q(_has(CLAEpisode, snapshot, Q(missing_episodes_last_12_months__gte=params["episodes"])))


def _missing_and_cse(snapshot, params) -> Q:
    return _missing(snapshot, params) & _cse(snapshot, params)


COHORTS: dict[str, Cohort] = {
    cohort.key: cohort
    for cohort in (
        Cohort(
            "children_in_need",
            "Children in need",
            "Children with an open child-in-need episode.",
            _open_cin,
        ),
        Cohort(
            "under_5_cp",
            "Children under 5 subject to a child protection plan",
            "Children on an open CP plan who are under the given age.",
            _under_age_on_cp,
            {"under_years": 5},
        ),
        Cohort(
            "cp_sexual_abuse",
            "Children on a CP plan under the category of sexual abuse",
            "Open CP plans whose latest category of abuse is sexual abuse.",
            _cp_category,
            {"category": "SAB"},
        ),
        Cohort(
            "cse_risk",
            "Children identified at risk of CSE",
            "Children whose record shows a CSE risk of emerging, experiencing or significant.",
            _cse,
            {"levels": list(CSE_LEVELS)},
        ),
        Cohort(
            "missing",
            "Children reported missing",
            "Children looked after with missing episodes (Annex A counts the last 12 months).",
            _missing,
            {"episodes": 1},
        ),
        Cohort(
            "missing_and_cse",
            "Children reported missing and at risk of CSE",
            "Both of the above.",
            _missing_and_cse,
            {"episodes": 1, "levels": list(CSE_LEVELS)},
        ),
    )
}


def children_in(council, key: str, params: dict | None = None) -> QuerySet[Child]:
    """The children of ``council``'s latest snapshot who are in the cohort."""
    cohort = COHORTS[key]
    snapshot = Snapshot.objects.filter(council=council).order_by("-as_at").first()
    if snapshot is None:
        return Child.objects.none()
    merged = {**cohort.defaults, **(params or {})}
    return Child.objects.filter(council=council).filter(cohort.build(snapshot, merged))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
