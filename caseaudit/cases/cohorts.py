"""Cohorts: named, parameterised queries over a council's current case data.

One module holds them all, so that a sample, a programme month's focus and (later) a
thematic audit's cohort mean the same thing by the same name. Each returns a queryset of
``Child``; callers add ``visible_to(user)`` where a person will see the children.
"""

import datetime
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from caseaudit.cases.annex_a import LISTS
from caseaudit.cases.annex_a.codes import CodeError, label_for, parse_code
from caseaudit.cases.models import (
    CHILD_COLUMNS,
    LIST_MODELS,
    Child,
    CINEpisode,
    CLAEpisode,
    CPPlan,
    Snapshot,
)
from caseaudit.core.months import add_months

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


# --- cohorts as data ----------------------------------------------------------------------
#
# A QA lead builds a cohort on a page from conditions: a field of the case data, a comparison
# and a value or period. The conditions are stored as data (``CohortDefinition.conditions``)
# and turned here into one queryset, so a saved cohort, a thematic audit's sample and the
# builder's preview all mean the same thing. Conditions on the same Annex A list must hold for
# the same row (an *open* CP plan *under neglect*, not any plan and any other plan), so each
# list's conditions become one ``EXISTS`` over that list's rows in the snapshot.

CHILD = "child"
# Lists a cohort can be built from: every Annex A list about a child (List 11 is adopters).
COHORT_LISTS = tuple(spec for spec in LISTS if spec.key != "adopters")
# Columns held on Child, or references the importer resolves: not offered per list.
_NOT_OFFERED = CHILD_COLUMNS | {"allocated_team", "allocated_worker", "personal_adviser"}


@dataclass(frozen=True)
class FieldOption:
    key: str  # "cla.placements_last_12_months": the list, then its column
    label: str
    group: str
    list_key: str
    column: str
    kind: str  # number, age, date, code, text
    code_list: str | None = None


def _field_options() -> dict[str, FieldOption]:
    child = [
        FieldOption(
            "child.age", "Age (years, as at the cohort's date)", "Child", CHILD, "age", "age"
        ),
        FieldOption("child.gender", "Gender", "Child", CHILD, "gender", "code", "gender"),
        FieldOption(
            "child.ethnicity", "Ethnicity", "Child", CHILD, "ethnicity", "code", "ethnicity"
        ),
        FieldOption(
            "child.disability", "Disability", "Child", CHILD, "disability", "code", "yes_no_unknown"
        ),
    ]
    kinds = {"date": "date", "int": "number", "decimal": "number", "code": "code"}
    kinds |= {"yesno": "code", "text": "text", "id": "text"}
    options = {option.key: option for option in child}
    for spec in COHORT_LISTS:
        for column in spec.columns:
            if column.field == "allocated_team":
                # The team as the return names it, e.g. a youth offending team.
                key = f"{spec.key}.allocated_team_name"
                options[key] = FieldOption(
                    key,
                    column.header,
                    f"List {spec.number}: {spec.title}",
                    spec.key,
                    "allocated_team_name",
                    "text",
                )
            if column.field in _NOT_OFFERED:
                continue
            key = f"{spec.key}.{column.field}"
            options[key] = FieldOption(
                key,
                column.header,
                f"List {spec.number}: {spec.title}",
                spec.key,
                column.field,
                kinds[column.kind],
                column.code_list,
            )
    return options


FIELDS: dict[str, FieldOption] = _field_options()

# Each kind of field's comparisons, in the order the page offers them.
OPERATORS: dict[str, tuple[str, ...]] = {
    "number": ("gte", "lte", "eq", "between", "blank", "not_blank"),
    "age": ("gte", "lte", "between"),
    "date": ("in_last_months", "between", "on_or_after", "on_or_before", "blank", "not_blank"),
    "code": ("is", "is_one_of", "is_not", "blank", "not_blank"),
    "text": ("is", "contains", "blank", "not_blank"),
}
OPERATOR_LABELS = {
    "gte": "is at least",
    "lte": "is at most",
    "eq": "is exactly",
    "between": "is between",
    "blank": "is blank",
    "not_blank": "is not blank",
    "in_last_months": "is in the last … months",
    "on_or_after": "is on or after",
    "on_or_before": "is on or before",
    "is": "is",
    "is_one_of": "is one of (separate with commas)",
    "is_not": "is not",
    "contains": "contains",
}
NEEDS_NO_VALUE = frozenset({"blank", "not_blank"})
NEEDS_TWO_VALUES = frozenset({"between"})

# What councils audit thematically that Annex A does not carry: said on the builder page so a
# lead knows to bring the list from elsewhere (a thematic audit can still sample it by hand).
ANNEX_A_GAPS = (
    "Family group conferences (FGC) and family network meetings: Annex A has no referral date "
    "or outcome for them.",
    "Private fostering arrangements: not an Annex A list.",
    "Youth offending service involvement: not in Annex A.",
    "The independent reviewing officer (IRO) or CP chair of a case: Annex A names only the "
    "allocated team and worker.",
    "Dates of missing episodes: Annex A gives only how many in the 12 months to the return, so "
    "a missing episode 'in a period' means in those 12 months.",
    "Pathway plans: only the 2024 care leavers layout has the latest review date.",
)


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: object = None
    value2: object = None

    def describe(self) -> str:
        option = FIELDS[self.field]
        words = OPERATOR_LABELS[self.op].replace(" (separate with commas)", "")
        if self.op in NEEDS_NO_VALUE:
            return f"{option.label} {words}"
        if self.op == "in_last_months":
            return f"{option.label} is in the last {self.value} months"
        shown = _shown(option, self.value)
        if self.op in NEEDS_TWO_VALUES:
            return f"{option.label} is between {shown} and {_shown(option, self.value2)}"
        return f"{option.label} {words} {shown}"

    def as_data(self) -> dict:
        return {"field": self.field, "op": self.op, "value": self.value, "value2": self.value2}


def _shown(option: FieldOption, value) -> str:
    if isinstance(value, list):
        return ", ".join(_shown(option, item) for item in value)
    if option.code_list:
        return f"{label_for(option.code_list, value)} ({value})"
    if option.kind == "date":
        return f"{datetime.date.fromisoformat(value):%-d %B %Y}"
    return str(value)


def clean_condition(field_key: str, op: str, value: str = "", value2: str = "") -> Condition:
    """One condition from what a person entered, or a ``ValidationError`` they can read. Codes
    may be entered as the code or its label ("C2", "Full care order"); dates as 27/3/2026 or
    2026-03-27."""
    option = FIELDS.get(field_key)
    if option is None:
        raise ValidationError("Select a field from the list")
    if op not in OPERATORS[option.kind]:
        raise ValidationError(f"Select a comparison for {option.label}")
    if op in NEEDS_NO_VALUE:
        return Condition(field_key, op)
    first = _clean_value(option, op, value, "Enter a value")
    second = None
    if op in NEEDS_TWO_VALUES:
        second = _clean_value(option, op, value2, "Enter the second value")
        if second < first:
            raise ValidationError("The second value must be the same as or after the first")
    return Condition(field_key, op, first, second)


def _clean_value(option: FieldOption, op: str, raw: str, missing: str):
    raw = (raw or "").strip()
    if not raw:
        raise ValidationError(f"{missing} for {option.label}")
    if op == "in_last_months" or option.kind in {"number", "age"}:
        if not raw.isdigit() or int(raw) > 10_000:
            raise ValidationError(f"Enter {option.label} as a whole number, like 3")
        return int(raw)
    if option.kind == "date":
        return _parse_date(raw, option).isoformat()
    if option.code_list:
        values = [part.strip() for part in raw.split(",")] if op == "is_one_of" else [raw]
        codes = []
        for part in filter(None, values):
            try:
                code = parse_code(option.code_list, part)
            except CodeError as error:
                raise ValidationError(f"{part} is not a value of {option.label}") from error
            codes.append(code)
        if not codes:
            raise ValidationError(f"{missing} for {option.label}")
        return codes if op == "is_one_of" else codes[0]
    return raw[:200]


def _parse_date(raw: str, option: FieldOption) -> datetime.date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d", "%d %m %Y"):
        try:
            return datetime.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 (a date, no time)
        except ValueError:
            continue
    raise ValidationError(f"Enter {option.label} as a real date, for example 27/3/2026")


def conditions_from_data(data: list[dict]) -> list[Condition]:
    """Stored conditions back as ``Condition`` (stored ones were cleaned when saved)."""
    return [
        Condition(item["field"], item["op"], item.get("value"), item.get("value2"))
        for item in data
        if item.get("field") in FIELDS
    ]


def check_conditions(conditions: list[Condition]) -> None:
    """A cohort is about children in a list: with no list condition it would be every child
    the council ever had, and the snapshot it is evaluated against would not matter."""
    if not conditions:
        raise ValidationError("Add at least one condition")
    if all(FIELDS[c.field].list_key == CHILD for c in conditions):
        raise ValidationError(
            "Add at least one condition about an Annex A list, such as children in care"
        )


def _condition_q(option: FieldOption, condition: Condition, as_at: datetime.date) -> Q:
    name, value, op = option.column, condition.value, condition.op
    if option.kind == "age":
        return _age_q(op, value, condition.value2, as_at)
    blank = Q(**{f"{name}__isnull": True})
    if option.kind in {"code", "text"}:
        blank = Q(**{name: ""})
    match op:
        case "blank":
            return blank
        case "not_blank":
            return ~blank & Q(**{f"{name}__isnull": False})
        case "gte" | "on_or_after":
            return Q(**{f"{name}__gte": value})
        case "lte" | "on_or_before":
            return Q(**{f"{name}__lte": value})
        case "eq" | "is":
            return Q(**{name: value})
        case "is_not":
            return ~Q(**{name: value}) & ~blank
        case "is_one_of":
            return Q(**{f"{name}__in": value})
        case "contains":
            return Q(**{f"{name}__icontains": value})
        case "between":
            return Q(**{f"{name}__gte": value, f"{name}__lte": condition.value2})
        case "in_last_months":
            since = add_months(as_at, -int(value))
            return Q(**{f"{name}__gt": since, f"{name}__lte": as_at})
    raise ValueError(op)


def _age_q(op: str, low, high, as_at: datetime.date) -> Q:
    """Age in whole years on ``as_at``: at least N means born on or before N years earlier;
    at most N means born after N + 1 years earlier."""
    if op == "gte":
        return Q(date_of_birth__lte=_years_before(as_at, low))
    if op == "lte":
        return Q(date_of_birth__gt=_years_before(as_at, low + 1))
    return Q(date_of_birth__lte=_years_before(as_at, low)) & Q(
        date_of_birth__gt=_years_before(as_at, high + 1)
    )


def definition_q(conditions: list[Condition], snapshot: Snapshot, as_at: datetime.date) -> Q:
    """The conditions as one filter on ``Child``: child conditions directly, each list's as
    one EXISTS over its rows in ``snapshot``."""
    q = Q()
    per_list: dict[str, Q] = {}
    for condition in conditions:
        option = FIELDS[condition.field]
        part = _condition_q(option, condition, as_at)
        if option.list_key == CHILD:
            q &= part
        else:
            per_list[option.list_key] = per_list.get(option.list_key, Q()) & part
    for list_key, row_q in per_list.items():
        q &= Q(_has(LIST_MODELS[list_key], snapshot, row_q))
    return q


def snapshot_as_at(council, as_at: datetime.date | None = None) -> Snapshot | None:
    """The case data current on ``as_at`` (the latest import dated on or before it), or the
    latest of all when no date is given."""
    snapshots = Snapshot.objects.filter(council=council).order_by("-as_at")
    if as_at is not None:
        snapshots = snapshots.filter(as_at__lte=as_at)
    return snapshots.first()


@dataclass(frozen=True)
class Evaluation:
    snapshot: Snapshot | None
    as_at: datetime.date | None
    children: QuerySet[Child]


def evaluate(council, conditions: list[Condition], as_at: datetime.date | None = None):
    """The children of ``council`` in the cohort as at ``as_at`` (default: the latest case
    data's date): one query, whatever its size. Periods such as "in the last 12 months" count
    back from that date."""
    snapshot = snapshot_as_at(council, as_at)
    if snapshot is None or not conditions:
        return Evaluation(snapshot, as_at, Child.objects.none())
    day = as_at or snapshot.as_at
    children = Child.objects.filter(council=council).filter(definition_q(conditions, snapshot, day))
    return Evaluation(snapshot, day, children)


def evaluate_saved(definition, as_at: datetime.date | None = None) -> Evaluation:
    """A saved cohort (``CohortDefinition``) evaluated: the one rule a thematic audit's sample
    and a programme month's focus both use."""
    return evaluate(definition.council, conditions_from_data(definition.conditions), as_at)


# --- a cohort's profile ---------------------------------------------------------------------

AGE_BANDS = (("0–5", 0), ("6–12", 6), ("13–17", 13), ("18+", 18))
NOT_RECORDED = "Not recorded"
NOT_LOOKED_AFTER = "Not looked after"


@dataclass(frozen=True)
class ProfileTable:
    title: str
    rows: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(count for _, count in self.rows)


def _age_band(as_at: datetime.date) -> Case:
    # Youngest band first: a child born after the band's lower bound's cut-off is younger.
    whens = [When(date_of_birth__isnull=True, then=Value(NOT_RECORDED))]
    for (label, _), (_, next_low) in zip(AGE_BANDS, AGE_BANDS[1:], strict=False):
        whens.append(When(date_of_birth__gt=_years_before(as_at, next_low), then=Value(label)))
    return Case(*whens, default=Value(AGE_BANDS[-1][0]), output_field=CharField())


# The profile's dimensions: the name each is grouped under, its table's title, and how a
# stored value is shown.
def _dimensions(evaluation: Evaluation) -> dict:
    legal = Subquery(
        CLAEpisode.objects.filter(snapshot=evaluation.snapshot, child=OuterRef("pk"))
        .order_by("-looked_after_start_date", "-row_number")
        .values("legal_status")[:1]
    )
    return {
        "p_band": ("Age band", _age_band(evaluation.as_at), str),
        "p_area": ("Area", F("allocated_team__area__name"), str),
        "p_service": ("Service", F("allocated_team__service__name"), str),
        "p_gender": ("Gender", F("gender"), _label("gender")),
        "p_ethnicity": ("Ethnicity", F("ethnicity"), _label("ethnicity")),
        "p_legal": ("Legal status", Coalesce(legal, Value("")), _legal_label),
    }


@contextmanager
def _without_jit(alias: str):
    """PostgreSQL compiles a statement it estimates to be costly (JIT). For the profile's one
    GROUP BY over a large cohort, compiling took seconds for a query that runs in a few
    hundred milliseconds (every child looked after at scale 50: 1.8 s with JIT, 0.4 s
    without). As the importer does (``child_register.py``): off for this transaction only."""
    connection = connections[alias]
    with transaction.atomic(using=alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
        yield


def profile(evaluation: Evaluation, children: QuerySet[Child] | None = None) -> list[ProfileTable]:
    """Counts by age band, area, service, gender, ethnicity and legal status. ``children``
    narrows it (to what a person may see); each table adds up to the cohort's size.

    One query: the cohort is evaluated once and grouped by all six at the same time, so the
    database returns a count per combination that occurs (bounded by the product of the
    dimensions' values, not by the cohort's size) and each table is a sum over those rows.
    Six GROUP BY queries, one per table, evaluated the cohort's EXISTS conditions six times;
    a list of the cohort's ids fed back into six queries would hit SQLite's limit on
    parameters for a large cohort."""
    children = evaluation.children if children is None else children
    if evaluation.snapshot is None:
        return []
    dimensions = _dimensions(evaluation)
    names = list(dimensions)
    # ``order_by()`` clears Child's default ordering, which would otherwise join the GROUP BY.
    grouped = (
        children.order_by()
        .values(**{name: expression for name, (_, expression, _) in dimensions.items()})
        .annotate(n=Count("pk"))
        .values_list(*names, "n")
    )
    with _without_jit(grouped.db):
        rows = list(grouped)
    sums: dict[str, Counter] = {name: Counter() for name in names}
    for row in rows:
        n = row[-1]
        for name, group in zip(names, row, strict=False):
            sums[name][group] += n
    tables = {}
    for name, (_, _, label) in dimensions.items():
        blank = NOT_LOOKED_AFTER if name == "p_legal" else NOT_RECORDED
        shown: Counter = Counter()
        for group, n in sums[name].items():
            shown[label(group) if group else blank] += n
        tables[name] = sorted(shown.items(), key=lambda row: (-row[1], row[0]))
    by_band = dict(tables["p_band"])
    bands = [(label, by_band.pop(label, 0)) for label, _ in AGE_BANDS]
    bands += sorted(by_band.items())
    return [ProfileTable("Age band", bands)] + [
        ProfileTable(dimensions[name][0], tables[name]) for name in names[1:]
    ]


def _label(code_list: str):
    return lambda code: label_for(code_list, code)


def _legal_label(code: str) -> str:
    return f"{code}: {label_for('legal_status', code)}"


# The thematic cohorts councils run (seeds 000 and 001), as starting points on the builder page
# and for the demo. An FGC cohort is not among them: Annex A has no FGC field (ANNEX_A_GAPS).
EXAMPLES: dict[str, tuple[str, list[Condition]]] = {
    "placement_stability": (
        "Children looked after with 3 or more placements in the last 12 months",
        [
            Condition("cla.placements_last_12_months", "gte", 3),
            Condition("cla.ceased_looked_after_date", "blank"),
        ],
    ),
    "missing": (
        "Children looked after with a missing episode in the last 12 months",
        [Condition("cla.missing_episodes_last_12_months", "gte", 1)],
    ),
    "cp_neglect_under_5": (
        "Children under 5 on a child protection plan for neglect",
        [
            Condition("cp.cp_plan_end_date", "blank"),
            Condition("cp.latest_abuse_category", "is", "NEG"),
            Condition("child.age", "lte", 4),
        ],
    ),
    "pathway_plans": (
        "Care leavers aged 16 to 21 with a pathway plan",
        [
            Condition("care_leavers.pathway_plan_review_date", "not_blank"),
            Condition("child.age", "between", 16, 21),
        ],
    ),
    "placed_with_parents": (
        "Children placed with parents on a care order",
        [
            Condition("cla.ceased_looked_after_date", "blank"),
            Condition("cla.placement_type", "is", "P1"),
            Condition("cla.legal_status", "is_one_of", ["C1", "C2"]),
        ],
    ),
}
