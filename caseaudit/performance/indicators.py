"""The indicator library: what each performance indicator counts, and how the database counts it.

Each ``Indicator`` says which rows of which Annex A list it counts (``rows``) and, for a
percentage, which of those meet the standard (``meets``); both are ``Q`` objects built for a
snapshot's dates. The figures are conditional aggregates: every indicator over one list is
counted in one query over that list's rows for the snapshot, and a breakdown by area, service
or team is the same query grouped by the rows' allocated team. Nothing loops over children.

Drift (waiting times between two events of a child's journey, ``Wait``) is a median, which SQL
cannot add up by group: the database pairs each row with the child's earlier event (a
subquery through the (snapshot, child) index) and returns the days waited in one ordered
query, and the median of those numbers is taken here.

Dates follow DESIGN.md's indicator definitions and the lists' own periods: "six months to the
date" is the day after the same date six months earlier up to and including the date, as
Annex A's six-month lists are drawn. Working-day timescales use ``core.working_days`` (the
start day is day 0 and the end day counts, as the DfE validators count).
"""

from __future__ import annotations

import datetime
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Case,
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from caseaudit.cases.models import (
    Assessment,
    CareLeaver,
    CaseRecord,
    CINEpisode,
    CLAEpisode,
    Contact,
    CPPlan,
    Referral,
    Section47Enquiry,
    Snapshot,
)
from caseaudit.core.months import add_months
from caseaudit.core.working_days import add_working_days
from caseaudit.performance.models import ChildPopulation

COUNT, PERCENT, RATE, DAYS = "count", "percent", "rate", "days"
AT_THE_DATE = "At the date"
SIX_MONTHS = "Six months to the date"
PER = 10_000
ONE_DAY = datetime.timedelta(days=1)

# Timescales (DESIGN.md, "Indicator definitions"): the defaults a council may later override.
ASSESSMENT_WORKING_DAYS = 45
ICPC_WORKING_DAYS = 15
CP_VISIT_WORKING_DAYS = 10
CIN_VISIT_WORKING_DAYS = 20
CLA_VISIT_WEEKS = 6
CLA_SETTLED_VISIT_MONTHS = 3
# Activity codes that mean education, employment or training (G4-G6 are NEET).
EET_ACTIVITIES = ("F1", "P1", "F2", "P2", "F3", "P3")
SECTION_20 = "V2"
YES = "Y"


@dataclass(frozen=True)
class Dates:
    """The dates an indicator's rows are chosen by, worked out once per snapshot."""

    as_at: datetime.date

    @property
    def six_months_start(self) -> datetime.date:
        return add_months(self.as_at, -6) + ONE_DAY

    @property
    def twelve_months_start(self) -> datetime.date:
        return add_months(self.as_at, -12) + ONE_DAY

    def years_ago(self, years: int) -> datetime.date:
        try:
            return self.as_at.replace(year=self.as_at.year - years)
        except ValueError:  # 29 February
            return self.as_at.replace(year=self.as_at.year - years, day=28)


@dataclass(frozen=True)
class Wait:
    """The days a child waited from an earlier event to the later one an indicator's rows
    record (``to_field``): the earlier event is the latest ``from_field`` on or before it among
    the same child's rows of ``from_model`` in the same snapshot. A row with no such earlier
    event in the lists is not counted."""

    from_model: type[CaseRecord]
    from_field: str
    to_field: str


RowsRule = Callable[[Dates], Q]
# Given the snapshot's dates and the rows counted, which of them meet the standard. It may read
# the rows once (a working-day deadline needs their distinct start dates), never per row.
MeetsRule = Callable[[Dates, QuerySet], Q]


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    definition: str
    period: str
    # True when a higher figure is better, False when lower is, None when neither (demand).
    up_is_good: bool | None
    model: type[CaseRecord]
    rows: RowsRule
    kind: str = COUNT
    meets: MeetsRule | None = None
    # Children counted once however many rows they have; events (referrals) count each row.
    per_child: bool = True
    source: str = ""
    # For a DAYS indicator, the two events it measures the time between.
    wait: Wait | None = None

    @property
    def list_label(self) -> str:
        return self.source or f"Annex A {self.model._meta.verbose_name_plural}"

    @property
    def has_breakdown(self) -> bool:
        return any(f.name == "allocated_team" for f in self.model._meta.fields)

    @property
    def numerator_label(self) -> str:
        """What the page calls the figure's parts: a median of days has no numerator (empty),
        and what it is the middle of is the waits counted."""
        return "" if self.kind == DAYS else "Numerator"

    @property
    def denominator_label(self) -> str:
        return "Waits counted" if self.kind == DAYS else "Denominator"


@dataclass(frozen=True)
class NotInAnnexA:
    """An indicator of the national sets that Annex A cannot give, and the return that can."""

    name: str
    carried_by: str


@dataclass
class Figure:
    indicator: Indicator
    value: int | float | None
    numerator: int | None
    denominator: int | None

    def as_json(self) -> dict:
        return {
            "value": self.value,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "definition": self.indicator.definition,
        }


@dataclass
class Breakdown:
    """One indicator for each area, service or team (``unit``)."""

    unit: str
    rows: list[tuple[int | None, str, Figure]] = field(default_factory=list)


class NoSnapshot(LookupError):
    """No case data as at the date asked for; the message says which dates there are."""


# --- the rules the indicators are built from -------------------------------------------------


def _in_six_months(date_field: str) -> RowsRule:
    return lambda d: Q(**{f"{date_field}__gte": d.six_months_start, f"{date_field}__lte": d.as_at})


def _open_at(start_field: str, end_field: str) -> RowsRule:
    return lambda d: (
        Q(**{f"{start_field}__lte": d.as_at})
        & (Q(**{f"{end_field}__isnull": True}) | Q(**{f"{end_field}__gt": d.as_at}))
    )


def _and(rule: RowsRule, extra: RowsRule) -> RowsRule:
    return lambda d: rule(d) & extra(d)  # nosec B610 # a rule named extra


def _always(condition: Q) -> RowsRule:
    return lambda d: condition


@dataclass(frozen=True)
class _WithinWorkingDays:
    """The end date is no later than ``days`` working days after the start date.

    The deadline depends on bank holidays, which the database does not know, so it is worked
    out here once for each distinct start date (a few hundred at most, however many rows) and
    handed to the database as a CASE over the start date. The start dates are read once for
    all the dates being evaluated (``starts``), not once a date: the CASE does not depend on
    the date, only on the rows.
    """

    start_field: str
    end_field: str
    days: int

    def __call__(self, d: Dates, rows: QuerySet) -> Q:
        return self.given(self.starts(rows))

    def starts(self, rows: QuerySet) -> list[datetime.date]:
        return list(
            rows.exclude(**{f"{self.start_field}__isnull": True})
            .order_by()
            .values_list(self.start_field, flat=True)
            .distinct()
        )

    def given(self, starts: Iterable[datetime.date]) -> Q:
        whens = [
            When(**{self.start_field: day}, then=Value(add_working_days(day, self.days)))
            for day in starts
        ]
        if not whens:
            return Q(pk__in=[])
        deadline = Case(*whens, output_field=DateField())
        return Q(**{f"{self.end_field}__isnull": False, f"{self.end_field}__lte": deadline})


def _within_working_days(start_field: str, end_field: str, days: int) -> MeetsRule:
    return _WithinWorkingDays(start_field, end_field, days)


def _seen_within_working_days(date_field: str, days: int) -> MeetsRule:
    # Seen on or after the day ``days`` working days before the date: the last visit is then
    # within the standard as at the date (the same cut-off as the data-quality report's).
    return lambda d, rows: Q(**{f"{date_field}__gte": add_working_days(d.as_at, -days)})


def _meets(condition: RowsRule) -> MeetsRule:
    return lambda d, rows: condition(d)


def _cla_visited(d: Dates, rows: QuerySet) -> Q:
    """Care Planning Regulations 2010: every 6 weeks; every 3 months once a child has been in
    a placement for a year that is meant to last until they are 18 (long-term fostering)."""
    six_weeks = d.as_at - datetime.timedelta(weeks=CLA_VISIT_WEEKS)
    three_months = add_months(d.as_at, -CLA_SETTLED_VISIT_MONTHS)
    settled = Q(
        permanence_plan="LT_FOSTERING",
        placement_start_date__lte=add_months(d.as_at, -12),
    )
    return Q(last_social_work_visit_date__gte=six_weeks) | (
        settled & Q(last_social_work_visit_date__gte=three_months)
    )


def _health_assessed(d: Dates, rows: QuerySet) -> Q:
    # Within 12 months, or 6 months for a child under 5 at the date.
    under_five = Q(child__date_of_birth__gt=d.years_ago(5))
    return (under_five & Q(last_health_assessment_date__gte=d.six_months_start)) | (
        ~under_five & Q(last_health_assessment_date__gte=d.twelve_months_start)
    )


def _aged(low: int, high: int | None) -> RowsRule:
    """Aged ``low`` or over and under ``high`` at the date (the DfE's age bands)."""

    def rule(d: Dates) -> Q:
        q = Q(child__date_of_birth__lte=d.years_ago(low)) if low else Q()
        if high is not None:
            q &= Q(child__date_of_birth__gt=d.years_ago(high))
        return q

    return rule


_referred = _in_six_months("referral_date")
_assessment_authorised = _in_six_months("assessment_authorised_date")
_icpc_held = _in_six_months("icpc_date")
_cp_open = _open_at("cp_plan_start_date", "cp_plan_end_date")
_cla_open = _open_at("looked_after_start_date", "ceased_looked_after_date")
_cin_open = _open_at("cin_start_date", "cin_closure_date")
_cla_started = _in_six_months("looked_after_start_date")

CP_CATEGORIES = (
    ("NEG", "neglect", "neglect"),
    ("PHY", "physical_abuse", "physical abuse"),
    ("EMO", "emotional_abuse", "emotional abuse"),
    ("SAB", "sexual_abuse", "sexual abuse"),
    ("MUL", "multiple", "multiple categories"),
)
AGE_BANDS = (
    (0, 1, "under_1", "under 1"),
    (1, 5, "1_to_4", "aged 1 to 4"),
    (5, 10, "5_to_9", "aged 5 to 9"),
    (10, 16, "10_to_15", "aged 10 to 15"),
    (16, None, "16_plus", "aged 16 or over"),
)


def _library() -> list[Indicator]:
    cp = [
        Indicator(
            "cp_plans_open",
            "Children on a child protection plan",
            "Children with a child protection plan open at the date: started on or before it "
            "and not ended by it.",
            AT_THE_DATE,
            None,
            CPPlan,
            _cp_open,
        ),
        Indicator(
            "cp_rate_per_10k",
            "Children on a child protection plan per 10,000 children",
            "Children on a child protection plan at the date for every 10,000 children aged "
            "0 to 17 in the council's area (the population entered for the year).",
            AT_THE_DATE,
            None,
            CPPlan,
            _cp_open,
            kind=RATE,
        ),
    ]
    for code, slug, label in CP_CATEGORIES:
        cp.append(
            Indicator(
                f"cp_plans_open_{slug}",
                f"Children on a child protection plan for {label}",
                f"Children on a child protection plan at the date whose latest category of "
                f"abuse is {label}.",
                AT_THE_DATE,
                None,
                CPPlan,
                _and(_cp_open, _always(Q(latest_abuse_category=code))),
            )
        )
    for low, high, slug, label in AGE_BANDS:
        cp.append(
            Indicator(
                f"cp_plans_open_age_{slug}",
                f"Children on a child protection plan {label}",
                f"Children on a child protection plan at the date who are {label} on that date.",
                AT_THE_DATE,
                None,
                CPPlan,
                _and(_cp_open, _aged(low, high)),
            )
        )
    cp += [
        Indicator(
            "cp_second_or_subsequent_pct",
            "Second or subsequent child protection plans",
            "Of the child protection plans that started in the six months to the date, the "
            "percentage for a child who had had a plan before (one or more previous plans).",
            SIX_MONTHS,
            False,
            CPPlan,
            _in_six_months("cp_plan_start_date"),
            kind=PERCENT,
            meets=_meets(_always(Q(previous_cp_plans__gte=1))),
            per_child=False,
        ),
        Indicator(
            "cp_plans_open_2_years_plus",
            "Child protection plans open two years or more",
            "Children on a child protection plan at the date whose plan started two years or "
            "more before it.",
            AT_THE_DATE,
            False,
            CPPlan,
            _and(_cp_open, lambda d: Q(cp_plan_start_date__lte=d.years_ago(2))),
        ),
        Indicator(
            "cp_visits_10wd_pct",
            "Children on a child protection plan visited within timescale",
            f"Of the children on a child protection plan at the date, the percentage whose last "
            f"statutory visit was within {CP_VISIT_WORKING_DAYS} working days of it (the local "
            f"standard).",
            AT_THE_DATE,
            True,
            CPPlan,
            _cp_open,
            kind=PERCENT,
            meets=_seen_within_working_days("last_statutory_visit_date", CP_VISIT_WORKING_DAYS),
        ),
    ]
    front_door = [
        Indicator(
            "contacts",
            "Contacts",
            "Contacts received in the six months to the date (each contact counts).",
            SIX_MONTHS,
            None,
            Contact,
            _in_six_months("contact_date"),
            per_child=False,
        ),
        Indicator(
            "referrals",
            "Referrals",
            "Referrals to children's social care in the six months to the date (each referral "
            "counts, so a child referred twice counts twice).",
            SIX_MONTHS,
            None,
            Referral,
            _referred,
            per_child=False,
        ),
        Indicator(
            "re_referrals_12m_pct",
            "Re-referrals within 12 months",
            "Of the referrals in the six months to the date, the percentage that came within 12 "
            "months of a previous referral of the same child (Annex A's number of referrals in "
            "the last 12 months is more than one).",
            SIX_MONTHS,
            False,
            Referral,
            _referred,
            kind=PERCENT,
            meets=_meets(_always(Q(referrals_last_12_months__gt=1))),
            per_child=False,
        ),
        Indicator(
            "assessments_completed",
            "Assessments completed",
            "Assessments authorised in the six months to the date.",
            SIX_MONTHS,
            None,
            Assessment,
            _assessment_authorised,
            per_child=False,
        ),
        Indicator(
            "assessments_45wd_pct",
            "Assessments completed within 45 working days",
            f"Of the assessments authorised in the six months to the date, the percentage "
            f"authorised within {ASSESSMENT_WORKING_DAYS} working days of their start "
            f"(weekends and bank holidays not counted; the start day is day 0).",
            SIX_MONTHS,
            True,
            Assessment,
            _assessment_authorised,
            kind=PERCENT,
            meets=_within_working_days(
                "assessment_start_date", "assessment_authorised_date", ASSESSMENT_WORKING_DAYS
            ),
            per_child=False,
        ),
        Indicator(
            "assessments_open",
            "Open assessments",
            "Assessments started on or before the date and not authorised by it.",
            AT_THE_DATE,
            None,
            Assessment,
            _open_at("assessment_start_date", "assessment_authorised_date"),
            per_child=False,
        ),
        Indicator(
            "section47_enquiries",
            "Section 47 enquiries",
            "Section 47 enquiries whose strategy discussion was in the six months to the date.",
            SIX_MONTHS,
            None,
            Section47Enquiry,
            _in_six_months("s47_start_date"),
            per_child=False,
        ),
        Indicator(
            "icpcs",
            "Initial child protection conferences",
            "Initial child protection conferences held in the six months to the date.",
            SIX_MONTHS,
            None,
            Section47Enquiry,
            _icpc_held,
            per_child=False,
        ),
        Indicator(
            "icpc_15wd_pct",
            "Initial child protection conferences within 15 working days",
            f"Of the initial child protection conferences held in the six months to the date, "
            f"the percentage held within {ICPC_WORKING_DAYS} working days of the strategy "
            f"discussion that started the section 47 enquiry.",
            SIX_MONTHS,
            True,
            Section47Enquiry,
            _icpc_held,
            kind=PERCENT,
            meets=_within_working_days("s47_start_date", "icpc_date", ICPC_WORKING_DAYS),
            per_child=False,
        ),
    ]
    in_need = [
        Indicator(
            "cin_open",
            "Children in need",
            "Children with a child-in-need episode open at the date (including those on a "
            "child protection plan or looked after).",
            AT_THE_DATE,
            None,
            CINEpisode,
            _cin_open,
        ),
        Indicator(
            "cin_rate_per_10k",
            "Children in need per 10,000 children",
            "Children in need at the date for every 10,000 children aged 0 to 17 in the area.",
            AT_THE_DATE,
            None,
            CINEpisode,
            _cin_open,
            kind=RATE,
        ),
        Indicator(
            "cin_visits_20wd_pct",
            "Children on a child-in-need plan visited within timescale",
            f"Of the children on a child-in-need plan at the date, the percentage last seen "
            f"within {CIN_VISIT_WORKING_DAYS} working days of it (the local standard).",
            AT_THE_DATE,
            True,
            CINEpisode,
            _and(_cin_open, _always(Q(case_status="CIN_PLAN"))),
            kind=PERCENT,
            meets=_seen_within_working_days("last_seen_date", CIN_VISIT_WORKING_DAYS),
        ),
    ]
    looked_after = [
        Indicator(
            "cla_open",
            "Children looked after",
            "Children looked after at the date: started to be looked after on or before it "
            "and not ceased by it.",
            AT_THE_DATE,
            None,
            CLAEpisode,
            _cla_open,
        ),
        Indicator(
            "cla_rate_per_10k",
            "Children looked after per 10,000 children",
            "Children looked after at the date for every 10,000 children aged 0 to 17 in the "
            "council's area (the population entered for the year).",
            AT_THE_DATE,
            None,
            CLAEpisode,
            _cla_open,
            kind=RATE,
        ),
        Indicator(
            "cla_starts",
            "Children who started to be looked after",
            "Children who started to be looked after in the six months to the date.",
            SIX_MONTHS,
            None,
            CLAEpisode,
            _cla_started,
        ),
        Indicator(
            "cla_starts_s20_pct",
            "Children starting care under section 20",
            "Of the children who started to be looked after in the six months to the date, the "
            "percentage whose legal status is section 20 (V2, accommodated by agreement).",
            SIX_MONTHS,
            None,
            CLAEpisode,
            _cla_started,
            kind=PERCENT,
            meets=_meets(_always(Q(legal_status=SECTION_20))),
        ),
        Indicator(
            "cla_uasc",
            "Unaccompanied asylum-seeking children looked after",
            "Children looked after at the date who are unaccompanied asylum-seeking children.",
            AT_THE_DATE,
            None,
            CLAEpisode,
            _and(_cla_open, _always(Q(child__uasc=YES))),
        ),
        Indicator(
            "cla_3plus_placements_12m",
            "Children looked after with 3 or more placements in 12 months",
            "Children looked after at the date who had three or more placements in the 12 "
            "months to it.",
            AT_THE_DATE,
            False,
            CLAEpisode,
            _and(_cla_open, _always(Q(placements_last_12_months__gte=3))),
        ),
        Indicator(
            "cla_3plus_placements_12m_pct",
            "Placement stability: 3 or more placements in 12 months",
            "Of the children looked after at the date, the percentage who had three or more "
            "placements in the 12 months to it.",
            AT_THE_DATE,
            False,
            CLAEpisode,
            _cla_open,
            kind=PERCENT,
            meets=_meets(_always(Q(placements_last_12_months__gte=3))),
        ),
        Indicator(
            "cla_visits_pct",
            "Children looked after visited within timescale",
            "Of the children looked after at the date, the percentage whose last social work "
            "visit was within 6 weeks of it, or within 3 months for a child in a long-term "
            "foster placement for a year or more (Care Planning Regulations 2010).",
            AT_THE_DATE,
            True,
            CLAEpisode,
            _cla_open,
            kind=PERCENT,
            meets=_cla_visited,
        ),
        Indicator(
            "cla_health_assessment_pct",
            "Children looked after with an up-to-date health assessment",
            "Of the children looked after at the date, the percentage whose last health "
            "assessment was within 12 months of it (6 months for a child under 5).",
            AT_THE_DATE,
            True,
            CLAEpisode,
            _cla_open,
            kind=PERCENT,
            meets=_health_assessed,
        ),
        Indicator(
            "cla_dental_check_pct",
            "Children looked after with an up-to-date dental check",
            "Of the children looked after at the date, the percentage whose last dental check "
            "was within 12 months of it.",
            AT_THE_DATE,
            True,
            CLAEpisode,
            _cla_open,
            kind=PERCENT,
            meets=_meets(lambda d: Q(last_dental_check_date__gte=d.twelve_months_start)),
        ),
    ]
    drift = [
        Indicator(
            "referral_to_cp_plan_days",
            "Drift: days from referral to child protection plan",
            "Of the child protection plans that started in the six months to the date, those "
            "whose child was referred on or before the plan's start: the median number of days "
            "from the child's latest referral on or before the start to the start. Plan and "
            "referral are matched by the child's ID; Annex A lists the referrals of the six "
            "months only, so a plan whose referral came earlier is not counted. The "
            "denominator is the plans counted.",
            SIX_MONTHS,
            False,
            CPPlan,
            _in_six_months("cp_plan_start_date"),
            kind=DAYS,
            per_child=False,
            wait=Wait(Referral, "referral_date", "cp_plan_start_date"),
        ),
        Indicator(
            "referral_to_cla_days",
            "Drift: days from referral to becoming looked after",
            "Of the children who started to be looked after in the six months to the date, "
            "those referred on or before that start: the median number of days from the "
            "child's latest referral on or before the start to the start. Episode and "
            "referral are matched by the child's ID; Annex A lists the referrals of the six "
            "months only, so a child whose referral came earlier is not counted. The "
            "denominator is the starts counted.",
            SIX_MONTHS,
            False,
            CLAEpisode,
            _cla_started,
            kind=DAYS,
            per_child=False,
            wait=Wait(Referral, "referral_date", "looked_after_start_date"),
        ),
        Indicator(
            "cp_plan_to_cla_days",
            "Drift: days from child protection plan to becoming looked after",
            "Of the children who started to be looked after in the six months to the date, "
            "those with a child protection plan that started on or before that start: the "
            "median number of days from the start of the child's latest such plan to the "
            "start of being looked after. Episode and plan are matched by the child's ID; "
            "Annex A lists the plans open at the date or ended in the six months, so a plan "
            "that ended earlier is not counted. The denominator is the starts counted.",
            SIX_MONTHS,
            False,
            CLAEpisode,
            _cla_started,
            kind=DAYS,
            per_child=False,
            wait=Wait(CPPlan, "cp_plan_start_date", "looked_after_start_date"),
        ),
    ]
    care_leavers = [
        Indicator(
            f"care_leavers_{slug}_pct",
            name,
            f"Of the care leavers in the council's current list, the percentage {meaning}.",
            AT_THE_DATE,
            True,
            CareLeaver,
            _always(Q()),
            kind=PERCENT,
            meets=_meets(_always(condition)),
        )
        for slug, name, meaning, condition in (
            (
                "in_touch",
                "Care leavers in touch",
                "the council is in touch with",
                Q(la_in_touch="YES"),
            ),
            (
                "suitable_accommodation",
                "Care leavers in suitable accommodation",
                "whose accommodation is suitable",
                Q(accommodation_suitability="SUITABLE"),
            ),
            (
                "eet",
                "Care leavers in education, employment or training",
                "in education, employment or training (activity F1, P1, F2, P2, F3 or P3)",
                Q(activity_status__in=EET_ACTIVITIES),
            ),
        )
    ]
    return front_door + in_need + cp + looked_after + drift + care_leavers


INDICATORS: dict[str, Indicator] = {indicator.code: indicator for indicator in _library()}

# --- figures that are part of others ------------------------------------------------------------
#
# A reader of the published figures may take one indicator's count from another's where one
# counts a part of what the other counts: a hidden count of unaccompanied children looked
# after would be the children looked after less the rest. ``performance.published`` suppresses
# each such pair together (the part at most the whole, in the council and in every unit), and
# each partition with its total (the parts add up to it). This is the one place they are said.

COUNTED, MET = "counted", "met"


@dataclass(frozen=True)
class PartOf:
    """Every row or child ``part`` counts, ``whole`` counts too, at every date and in every
    unit. ``COUNTED`` is an indicator's count (a percentage's denominator, a rate's count);
    ``MET``, a percentage's numerator."""

    part: str
    whole: str
    part_figure: str = COUNTED
    whole_figure: str = COUNTED


# Indicators whose figures add up to another's, unit by unit: a child on a plan has one latest
# category and one age. Where they do add up, the reader may use it, so they are suppressed as
# one table (parts across, the total as each row's total); where they do not (a category or
# age not recorded), each part is still at most the total (``PART_OF``).
PARTITIONS = {
    "cp_plans_open": [
        [f"cp_plans_open_{slug}" for _code, slug, _label in CP_CATEGORIES],
        [f"cp_plans_open_age_{slug}" for _low, _high, slug, _label in AGE_BANDS],
    ]
}

PART_OF: tuple[PartOf, ...] = (
    *(
        PartOf(part, total)
        for total, partitions in PARTITIONS.items()
        for parts in partitions
        for part in parts
    ),
    PartOf("cp_plans_open_2_years_plus", "cp_plans_open"),
    PartOf("cp_visits_10wd_pct", "cp_plans_open", MET),
    # Second or subsequent plans are a part of the plans started in the period, which is the
    # share's own denominator (a numerator is at most its denominator on every page already).
    # They are not a part of the plans open at the date: a plan started may have ended.
    PartOf("re_referrals_12m_pct", "referrals", MET),
    PartOf("assessments_45wd_pct", "assessments_completed", MET),
    PartOf("cin_visits_20wd_pct", "cin_open"),
    PartOf("cla_uasc", "cla_open"),
    PartOf("cla_3plus_placements_12m", "cla_open"),
    # Starters under section 20 are a part of the new entrants (children who started to be
    # looked after). New entrants are not a part of the children looked after at the date:
    # a child who started in the six months may have left care by it.
    PartOf("cla_starts_s20_pct", "cla_starts", MET),
)

# The national indicator sets' measures Annex A cannot give, and where they come from.
NOT_IN_ANNEX_A = (
    NotInAnnexA(
        "Contacts with an information-and-advice outcome",
        "the council's own front-door records (Annex A List 1 has no contact outcome)",
    ),
    NotInAnnexA(
        "Initial health assessment within 20 working days of entering care",
        "the SSDA903 return (Annex A has only the latest health assessment)",
    ),
    NotInAnnexA(
        "Children looked after placed more than 20 miles from home",
        "the SSDA903 return (home and placement postcodes)",
    ),
    NotInAnnexA(
        "Children with three or more social workers in 12 months",
        "the SSDA903 social worker episodes and the CIN census",
    ),
    NotInAnnexA(
        "Leaving care through a special guardianship or child arrangements order",
        "the SSDA903 return (episodes and reasons ceased over the year)",
    ),
    NotInAnnexA(
        "Social worker turnover, agency workers and caseload per FTE",
        "the children's social work workforce census",
    ),
)


# --- evaluation --------------------------------------------------------------------------------


def snapshot_for(council, as_at: datetime.date) -> Snapshot:
    """The council's case data as at ``as_at``, or ``NoSnapshot`` saying which dates there are."""
    snapshot = Snapshot.objects.filter(council=council, as_at=as_at).first()
    if snapshot is not None:
        return snapshot
    dates = list(
        Snapshot.objects.filter(council=council).order_by("-as_at").values_list("as_at", flat=True)
    )
    if not dates:
        raise NoSnapshot("No case data has been imported yet, so there are no indicators.")
    listed = ", ".join(f"{day:%-d %B %Y}" for day in dates[:12])
    raise NoSnapshot(f"There is no case data as at {as_at:%-d %B %Y}. Case data is as at {listed}.")


def population_for(council_id: int, as_at: datetime.date) -> int | None:
    """The child population for the as-at date's year, or the latest year before it."""
    return _populations(council_id, [as_at])[as_at]


def _populations(council_id: int, dates: Iterable[datetime.date]) -> dict:
    """``population_for`` each date, read in one query."""
    years = list(
        ChildPopulation.objects.filter(council_id=council_id)
        .order_by("-year")
        .values_list("year", "children")
    )
    return {
        day: next((children for year, children in years if year <= day.year), None) for day in dates
    }


def _ratio(numerator: int, denominator: int | None, times: int) -> float | None:
    if not denominator:
        return None
    exact = Decimal(numerator) * times / Decimal(denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def waited(snapshots: Iterable[Snapshot], indicator: Indicator, *keys: str) -> QuerySet:
    """The rows a DAYS indicator counts at each of a council's snapshots, as (snapshot id,
    ``keys``..., days waited) in that order: one query however many snapshots, the earlier
    event found by a subquery for each row, in the row's own snapshot."""
    wait = indicator.wait
    assert wait is not None, indicator.code
    snapshots = list(snapshots)
    earlier = (
        wait.from_model.objects.filter(
            snapshot_id=OuterRef("snapshot_id"),
            child_id=OuterRef("child_id"),
            **{f"{wait.from_field}__lte": OuterRef(wait.to_field)},
        )
        .order_by(f"-{wait.from_field}")
        .values(wait.from_field)[:1]
    )
    days = ExpressionWrapper(F(wait.to_field) - F("since"), output_field=DurationField())
    counted = Q(pk__in=[])
    for snapshot in snapshots:
        counted |= Q(snapshot_id=snapshot.pk) & indicator.rows(Dates(snapshot.as_at))
    return (
        indicator.model.objects.filter(snapshot_id__in=[s.pk for s in snapshots])
        .filter(counted)
        .annotate(since=Subquery(earlier, output_field=DateField()))
        .filter(since__isnull=False)
        .annotate(waited=days)
        .order_by("snapshot_id", *keys, "waited")
        .values_list("snapshot_id", *keys, "waited")
    )


def wait_figures(snapshots: Iterable[Snapshot], indicator: Indicator) -> dict[int, Figure]:
    """A DAYS indicator at each snapshot (by id), from one query."""
    snapshots = list(snapshots)
    days: dict[int, list[int]] = {snapshot.pk: [] for snapshot in snapshots}
    for snapshot_id, delta in waited(snapshots, indicator):
        days[snapshot_id].append(delta.days)
    return {pk: _wait_figure(indicator, found) for pk, found in days.items()}


def median_days(days: list[int]) -> float | None:
    """The median, rounded half up to one decimal as every published figure is."""
    if not days:
        return None
    # The median of whole days is whole or a half: twice it is exact.
    return _ratio(int(statistics.median(days) * 2), 2, 1)


def _wait_figure(indicator: Indicator, days: list[int]) -> Figure:
    return Figure(indicator, median_days(days), None, len(days))


def _figure(indicator: Indicator, counted: int, met: int, population: int | None) -> Figure:
    if indicator.kind == PERCENT:
        return Figure(indicator, _ratio(met, counted, 100), met, counted)
    if indicator.kind == RATE:
        return Figure(indicator, _ratio(counted, population, PER), counted, population)
    return Figure(indicator, counted, counted, None)


def _aggregates(indicators: Iterable[Indicator], dates: list[tuple[int, Dates]], rows) -> dict:
    """Two conditional counts per indicator (rows counted, rows meeting the standard), all
    over one list, so the database reads the list once for all of them.

    ``dates`` are the snapshots' ids and dates: each snapshot's rows are counted by its own
    dates, so the query, grouped by snapshot, gives every snapshot's figures at once (the
    pack's trend reads a year of them in the queries one date takes)."""
    aggregates = {}
    for indicator in indicators:
        counted = _each(dates, lambda _snapshot, d, rule=indicator.rows: rule(d))
        target = "child" if indicator.per_child else "pk"
        aggregates[f"{indicator.code}__n"] = Count(
            target, distinct=indicator.per_child, filter=counted
        )
        if indicator.meets is not None:
            met = _met(indicator, dates, rows)
            aggregates[f"{indicator.code}__m"] = Count(
                target, distinct=indicator.per_child, filter=counted & met
            )
    return aggregates


def _each(dates: list[tuple[int, Dates]], rule: Callable[[int, Dates], Q]) -> Q:
    """``rule`` for each snapshot's rows by its own dates (just the rule for one snapshot)."""
    if len(dates) == 1:
        return rule(*dates[0])
    either = Q(pk__in=[])
    for snapshot_id, d in dates:
        either |= Q(snapshot_id=snapshot_id) & rule(snapshot_id, d)
    return either


def _met(indicator: Indicator, dates: list[tuple[int, Dates]], rows: QuerySet) -> Q:
    """Which rows meet the indicator's standard, each snapshot's by its own dates. A rule is
    given the rows its indicator counts; one that reads them (a working-day deadline) reads
    every snapshot's at once, since its condition does not depend on the date."""
    meets = indicator.meets
    if isinstance(meets, _WithinWorkingDays):
        counted = rows.filter(_each(dates, lambda _snapshot, d: indicator.rows(d)))
        return meets(dates[-1][1], counted)
    return _each(
        dates,
        lambda snapshot_id, d: meets(
            d, rows.filter(snapshot_id=snapshot_id).filter(indicator.rows(d))
        ),
    )


def _by_model(indicators: Iterable[Indicator]) -> dict[type, list[Indicator]]:
    grouped: dict[type, list[Indicator]] = {}
    for indicator in indicators:
        grouped.setdefault(indicator.model, []).append(indicator)
    return grouped


def evaluate(
    snapshot: Snapshot, indicators: Iterable[Indicator] | None = None
) -> dict[str, Figure]:
    """Every indicator (or those given) for the snapshot, in the library's order."""
    return evaluate_each([snapshot], indicators)[snapshot.pk]


def evaluate_each(
    snapshots: Iterable[Snapshot], indicators: Iterable[Indicator] | None = None
) -> dict[int, dict[str, Figure]]:
    """``evaluate`` for each of a council's snapshots (by id), in one query a list however
    many snapshots there are."""
    chosen = list(INDICATORS.values() if indicators is None else indicators)
    snapshots = list(snapshots)
    if not snapshots:
        return {}
    dates = [(snapshot.pk, Dates(snapshot.as_at)) for snapshot in snapshots]
    populations = (
        _populations(snapshots[0].council_id, [s.as_at for s in snapshots])
        if any(indicator.kind == RATE for indicator in chosen)
        else {}
    )
    waits = {
        indicator.code: wait_figures(snapshots, indicator)
        for indicator in chosen
        if indicator.kind == DAYS
    }
    totals: dict[int, dict] = {snapshot.pk: {} for snapshot in snapshots}
    for model, group in _by_model(i for i in chosen if i.kind != DAYS).items():
        rows = _rows(model, snapshots)
        aggregates = _aggregates(group, dates, rows)
        if len(snapshots) == 1:
            totals[snapshots[0].pk].update(rows.aggregate(**aggregates))
            continue
        for found in rows.values("snapshot_id").annotate(**aggregates):
            totals[found["snapshot_id"]].update(found)
    return {
        snapshot.pk: {
            indicator.code: waits[indicator.code][snapshot.pk]
            if indicator.kind == DAYS
            else _figure(
                indicator,
                totals[snapshot.pk].get(f"{indicator.code}__n") or 0,
                totals[snapshot.pk].get(f"{indicator.code}__m") or 0,
                populations.get(snapshot.as_at),
            )
            for indicator in chosen
        }
        for snapshot in snapshots
    }


def _rows(model: type[CaseRecord], snapshots: list[Snapshot]) -> QuerySet:
    if len(snapshots) == 1:
        return model.objects.filter(snapshot=snapshots[0]).order_by()
    return model.objects.filter(snapshot__in=[s.pk for s in snapshots]).order_by()


# How a list row reaches each kind of unit, through its allocated team.
UNITS = {
    "area": ("allocated_team__area_id", "allocated_team__area__name"),
    "service": ("allocated_team__service_id", "allocated_team__service__name"),
    "team": ("allocated_team_id", "allocated_team__name"),
}


def breakdown(snapshot: Snapshot, indicator: Indicator, unit: str) -> Breakdown:
    """The indicator for each area, service or team the rows are allocated to, in one query.
    Rates are council-wide (the population is not known by team), so a unit shows its count."""
    return breakdowns(snapshot, [indicator], unit)[indicator.code]


def breakdowns(
    snapshot: Snapshot, indicators: Iterable[Indicator], unit: str
) -> dict[str, Breakdown]:
    """Several indicators by area, service or team: one query for the indicators of each
    list. A unit is listed for an indicator only where the indicator counts something."""
    return breakdowns_each([snapshot], indicators, unit)[snapshot.pk]


def breakdowns_each(
    snapshots: Iterable[Snapshot], indicators: Iterable[Indicator], unit: str
) -> dict[int, dict[str, Breakdown]]:
    """``breakdowns`` for each of a council's snapshots (by id): one query for the indicators
    of each list, however many snapshots there are."""
    key, label = UNITS[unit]
    chosen = list(indicators)
    snapshots = list(snapshots)
    result = {s.pk: {indicator.code: Breakdown(unit) for indicator in chosen} for s in snapshots}
    if not snapshots:
        return result
    dates = [(snapshot.pk, Dates(snapshot.as_at)) for snapshot in snapshots]
    # A median does not add up, so drift is split by unit from its own ordered query.
    for indicator in chosen:
        if indicator.kind == DAYS and indicator.has_breakdown:
            for snapshot_id, rows in wait_breakdowns(snapshots, indicator, key, label).items():
                result[snapshot_id][indicator.code].rows = rows
    for model, group in _by_model(i for i in chosen if i.has_breakdown and i.kind != DAYS).items():
        rows = _rows(model, snapshots)
        grouped = (
            rows.values("snapshot_id", key, label)
            .annotate(**_aggregates(group, dates, rows))
            .order_by("snapshot_id", label)
        )
        for found in grouped:
            for indicator in group:
                counted = found[f"{indicator.code}__n"]
                if not counted:
                    continue
                shown = indicator if indicator.kind != RATE else _as_count(indicator)
                figure = _figure(shown, counted, found.get(f"{indicator.code}__m") or 0, None)
                result[found["snapshot_id"]][indicator.code].rows.append(
                    (found[key], found[label] or "Not allocated", figure)
                )
    return result


def wait_breakdowns(
    snapshots: Iterable[Snapshot], indicator: Indicator, key: str, label: str
) -> dict[int, list]:
    """A DAYS indicator's median for each unit at each snapshot (by id): the days waited, in
    one query ordered by snapshot and unit, split here (a median does not add up, so the
    database cannot group it)."""
    snapshots = list(snapshots)
    units: dict[int, dict[object, tuple[str, list[int]]]] = {s.pk: {} for s in snapshots}
    for snapshot_id, pk, name, delta in waited(snapshots, indicator, key, label):
        units[snapshot_id].setdefault(pk, (name or "Not allocated", []))[1].append(delta.days)
    return {
        snapshot_id: sorted(
            ((pk, name, _wait_figure(indicator, days)) for pk, (name, days) in found.items()),
            key=lambda row: row[1],
        )
        for snapshot_id, found in units.items()
    }


def _as_count(indicator: Indicator) -> Indicator:
    return replace(indicator, kind=COUNT)


def trend(council, indicator: Indicator) -> list[tuple[datetime.date, Figure]]:
    """The indicator at each snapshot of the council, oldest first, every snapshot counted
    together (``evaluate_each``): the queries do not grow with the snapshots."""
    snapshots = list(Snapshot.objects.filter(council=council).order_by("as_at"))
    figures = evaluate_each(snapshots, [indicator])
    return [(snapshot.as_at, figures[snapshot.pk][indicator.code]) for snapshot in snapshots]


def counted_rows(snapshot: Snapshot, indicator: Indicator) -> QuerySet:
    """The list rows the indicator counts (for a drill-down), with whether each meets it."""
    dates = Dates(snapshot.as_at)
    rows = indicator.model.objects.filter(snapshot=snapshot).order_by()
    counted = rows.filter(indicator.rows(dates))
    if indicator.kind == DAYS:
        paired = waited([snapshot], indicator).values_list("pk", flat=True)
        counted = counted.filter(pk__in=paired.order_by())
    if indicator.meets is not None:
        met = indicator.meets(dates, counted)
        counted = counted.annotate(
            meets_standard=Case(When(met, then=Value(True)), default=Value(False))
        )
    return counted
