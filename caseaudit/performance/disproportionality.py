"""Disproportionality by ethnicity: for children in need, on a child protection plan and looked
after at a date, each ethnic group's rate per 10,000 children of that group in the area, and
its relative rate index (RRI): the group's rate divided by the White British rate. An RRI of
2.0 means children of the group are twice as likely as White British children to be in that
population; White British is 1.0 by definition.

Who is counted is what the indicators ``cin_open``, ``cp_plans_open`` and ``cla_open`` count
(the same rules, from ``indicators``), split by the child's ethnicity in Annex A, grouped as
``choices.ETHNIC_GROUP_CODES`` says. A child whose ethnicity is refused, not yet obtained or
blank is counted as "not known", which has no population and so no rate. The population by
ethnic group is the council's for the as-at date's year, or the latest year before it; a group
with none entered has no rate.

The population CSV (UTF-8, headers in row 1, matched without regard to case or spaces; one
row per year and group; imported with ``caseaudit ethnic_population FILE``, or entered in the
admin):

    year,ethnic_group,children
    2024,white_british,171000
    2024,asian,18500

- ``year``: the year of the estimate (the census year, or a mid-year estimate's year).
- ``ethnic_group``: one of ``white_british``, ``white_other``, ``mixed``, ``asian``, ``black``,
  ``other``, or its name as the page shows it ("Asian or Asian British"). Census figures for
  Chinese children go in ``other``, as the DfE's statistics group them.
- ``children``: children aged 0 to 17 of that group in the area, a whole number.

An import is all or nothing (any bad row and nothing is written, every problem listed by row
and column); a later import replaces the figures it gives and leaves the others.

Published (to elected members and in the select-committee pack): the counts are suppressed
as one table by ``core.suppression`` (groups down, the three populations across, the
council's figures as its column totals, which the dashboard also shows), and a rate or RRI is
hidden wherever a count it is worked out from is hidden: with the population beside it, a
rate gives its count back.

Queries: one for the population, one per population of children (counted by ethnicity code
in the database), however many children there are.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from caseaudit.accounts import permissions
from caseaudit.cases.models import Snapshot
from caseaudit.core.suppression import SUPPRESSED, suppress_breakdowns, unsuppressed
from caseaudit.performance.choices import ETHNIC_GROUP_CODES, EthnicGroup
from caseaudit.performance.indicators import INDICATORS, PER, Dates, evaluate
from caseaudit.performance.models import EthnicPopulation
from caseaudit.performance.published import family, published_pages

NOT_KNOWN = "not_known"
NOT_KNOWN_LABEL = "Not known (refused, not yet obtained or not recorded)"
GROUP_OF = {code: group.value for group, codes in ETHNIC_GROUP_CODES.items() for code in codes}
# The populations of children compared: (key, the indicator counting them, label).
POPULATIONS = (
    ("cin", "cin_open", "Children in need"),
    ("cp", "cp_plans_open", "Children on a child protection plan"),
    ("cla", "cla_open", "Children looked after"),
)
REFERENCE = EthnicGroup.WHITE_BRITISH
MAX_BYTES = 1024 * 1024


@dataclass
class GroupFigures:
    """One ethnic group in one population of children."""

    group: str
    label: str
    children: int | str
    population: int | None
    rate: float | str | None
    rri: float | str | None


@dataclass
class Disproportionality:
    """Each population's groups, in the groups' order, "not known" last, and the year of the
    population figures used (None where none is entered)."""

    as_at: datetime.date
    population_year: int | None
    tables: dict[str, list[GroupFigures]] = field(default_factory=dict)
    totals: dict[str, int | str] = field(default_factory=dict)

    def as_json(self) -> dict:
        """Every group's rate and RRI, in the shape ``caseaudit indicators --json`` prints."""
        printed = {}
        for key, _code, label in POPULATIONS:
            for row in self.tables[key]:
                if row.group == NOT_KNOWN:
                    continue
                printed[f"{key}_rate_per_10k_{row.group}"] = {
                    "value": row.rate,
                    "numerator": row.children,
                    "denominator": row.population,
                    "definition": f"{label} at the date who are {row.label}, for every 10,000 "
                    f"children aged 0 to 17 of that group in the area ({definition_of_rates()})",
                }
                printed[f"{key}_rri_{row.group}"] = {
                    "value": row.rri,
                    "numerator": row.rate,
                    "denominator": self.reference(key).rate,
                    "definition": f"The relative rate index of {label.lower()} who are "
                    f"{row.label}: their rate per 10,000 divided by the White British rate.",
                }
        return printed

    def reference(self, key: str) -> GroupFigures:
        return next(row for row in self.tables[key] if row.group == REFERENCE)


def definition_of_rates() -> str:
    return (
        "ethnicity as Annex A records it, grouped as the DfE's statistics group it; the "
        "population is the one entered for the year"
    )


DEFINITION = (
    "For children in need, on a child protection plan and looked after at the date, each "
    "ethnic group's children for every 10,000 children of that group aged 0 to 17 in the area, "
    "and its relative rate index: the group's rate divided by the White British rate (White "
    "British is 1.0; 2.0 is twice as likely). Ethnicity is as Annex A records it, in the "
    "DfE's major groups with Chinese among other ethnic groups; children whose ethnicity is "
    "refused or not recorded are counted as not known, with no rate. The population by "
    "ethnic group is the council's for the year."
)


def population_by_group(council_id: int, as_at: datetime.date) -> tuple[int | None, dict]:
    """(year, {group: children}) for the latest year entered no later than the date's: one
    query."""
    found: dict[str, int] = {}
    year = None
    rows = (
        EthnicPopulation.objects.filter(council_id=council_id, year__lte=as_at.year)
        .order_by("-year")
        .values_list("year", "group", "children")
    )
    for row_year, group, children in rows:
        if year is None:
            year = row_year
        if row_year != year:
            break
        found[group] = children
    return year, found


def counts_by_group(snapshot: Snapshot) -> dict[str, dict[str, int]]:
    """{population: {group: children}}, "not known" included: one query a population, each
    counting distinct children by ethnicity code in the database."""
    dates = Dates(snapshot.as_at)
    counts: dict[str, dict[str, int]] = {}
    for key, code, _label in POPULATIONS:
        indicator = INDICATORS[code]
        rows = (
            indicator.model.objects.filter(snapshot=snapshot)
            .filter(indicator.rows(dates))
            .values("child__ethnicity")
            .annotate(children=Count("child", distinct=True))
            .order_by()
            .values_list("child__ethnicity", "children")
        )
        found = {group.value: 0 for group in EthnicGroup} | {NOT_KNOWN: 0}
        for ethnicity, children in rows:
            group = GROUP_OF.get((ethnicity or "").upper(), NOT_KNOWN)
            found[group] += children
        counts[key] = found
    return counts


def _rate(children: int, population: int | None) -> Decimal | None:
    if not population:
        return None
    return Decimal(children) * PER / Decimal(population)


def _rounded(value: Decimal | None, places: str) -> float | None:
    if value is None:
        return None
    return float(value.quantize(Decimal(places), rounding=ROUND_HALF_UP))


def _rri(rate: Decimal | None, reference: Decimal | None) -> float | None:
    if rate is None or not reference:
        return None
    return _rounded(rate / reference, "0.01")


GROUP_ORDER = [*(group.value for group in EthnicGroup), NOT_KNOWN]
LABELS = dict(EthnicGroup.choices) | {NOT_KNOWN: NOT_KNOWN_LABEL}


def disproportionality(snapshot: Snapshot, *, hidden_totals: frozenset = frozenset()):
    """The figures at the snapshot's date, suppressed when ``suppressing()`` (see the module
    docstring); ``hidden_totals``, the populations (``cin``, ``cp``, ``cla``) whose council
    figure is hidden where else it is published, so it is hidden here too."""
    year, population = population_by_group(snapshot.council_id, snapshot.as_at)
    counts = counts_by_group(snapshot)
    keys = [key for key, _code, _label in POPULATIONS]
    table = [[counts[key][group] for key in keys] for group in GROUP_ORDER]
    hide = {("column", c) for c, key in enumerate(keys) if key in hidden_totals}
    (published,) = suppress_breakdowns([table], rows_add_up=False, columns=len(keys), hide=hide)
    result = Disproportionality(snapshot.as_at, year)
    for c, key in enumerate(keys):
        reference = _rate(counts[key][REFERENCE], population.get(REFERENCE))
        reference_hidden = published.cells[GROUP_ORDER.index(REFERENCE)][c] == SUPPRESSED
        rows = []
        for r, group in enumerate(GROUP_ORDER):
            shown = published.cells[r][c]
            people = population.get(group) if group != NOT_KNOWN else None
            rate = _rate(counts[key][group], people)
            hidden = shown == SUPPRESSED
            rows.append(
                GroupFigures(
                    group,
                    LABELS[group],
                    shown,
                    people,
                    SUPPRESSED if hidden and rate is not None else _rounded(rate, "0.1"),
                    SUPPRESSED
                    if (hidden or reference_hidden) and rate is not None and reference
                    else _rri(rate, reference),
                )
            )
        result.tables[key] = rows
        result.totals[key] = published.column_totals[c]
    return result


def hidden_totals(pages: dict) -> frozenset:
    """The populations whose council figure an aggregate-only reader is shown as ``c``, given
    the pages ``published.published_pages`` publishes (the dashboard's and the pack's)."""
    return frozenset(
        key
        for key, code, _label in POPULATIONS
        if code in pages and pages[code].figure.numerator == SUPPRESSED
    )


def shown_to(user, snapshot: Snapshot) -> Disproportionality:
    """The figures as ``user`` reads them: suppressed for those who see aggregates only (with
    the council figures the dashboard hides hidden here too), exact for the QA service and
    managers."""
    if permissions.sees_aggregates_only(user):
        counted = [i for _k, code, _l in POPULATIONS for i in family(INDICATORS[code])]
        pages = published_pages(snapshot, evaluate(snapshot, counted))
        return disproportionality(snapshot, hidden_totals=hidden_totals(pages))
    with unsuppressed():
        return disproportionality(snapshot)


# --- the population CSV ------------------------------------------------------------------------


def _header(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


def _group(text: str) -> str | None:
    wanted = " ".join(text.strip().lower().replace("_", " ").split())
    for group in EthnicGroup:
        if wanted in (group.value.replace("_", " "), group.label.lower()):
            return group.value
    return None


def read_population(text: str) -> tuple[list[tuple[int, str, int]], list[str]]:
    """(year, group, children) for every row of the CSV, and the problems."""
    problems: list[str] = []
    reader = csv.reader(io.StringIO(text))
    try:
        headers = [_header(h) for h in next(reader)]
    except StopIteration:
        return [], ["The file is empty: it needs a header row (see the layout)."]
    for required in ("year", "ethnic_group", "children"):
        if required not in headers:
            problems.append(f"Row 1: there is no '{required}' column")
    if problems:
        return [], problems
    figures: list[tuple[int, str, int]] = []
    seen: set[tuple[int, str]] = set()
    this_year = datetime.date.today().year  # noqa: DTZ011 (a plausibility bound only)
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        row = dict(zip(headers, cells, strict=False))
        year_text = row.get("year", "").strip()
        if not (year_text.isdigit() and 2000 <= int(year_text) <= this_year + 1):
            problems.append(f"Row {number}, column year: enter a year such as 2024")
            continue
        group = _group(row.get("ethnic_group", ""))
        if group is None:
            problems.append(
                f"Row {number}, column ethnic_group: '{row.get('ethnic_group', '').strip()}' is "
                "not one of white_british, white_other, mixed, asian, black, other"
            )
            continue
        children_text = row.get("children", "").strip().replace(",", "")
        if not (children_text.isdigit() and int(children_text) >= 1):
            problems.append(
                f"Row {number}, column children: enter the number of children, such as 18500"
            )
            continue
        if (int(year_text), group) in seen:
            problems.append(f"Row {number}: {year_text} {LABELS[group]} is given twice")
            continue
        seen.add((int(year_text), group))
        figures.append((int(year_text), group, int(children_text)))
    return figures, problems
