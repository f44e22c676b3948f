"""The select-committee performance pack (issue 14 item 6; seed 002, Annex 1): every indicator
of the performance compendium at one date, with its benchmarks beside it, its definition, its
figures by area and by service, and its trend over the case data imported up to that date.

Built as a ``reports.document``. It is for elected members, who see aggregates only, so every
figure is as ``performance.published`` publishes it to them: each indicator suppressed with
its breakdowns (by area, service and team, of which the pack prints area and service) and with
the indicators that repeat or add up to its figures, and each trend point as that date's page
publishes it. No child-level data is read beyond the counts. The internal edition is the same
build inside ``core.suppression.unsuppressed``.

Queries: the indicators and their breakdowns at every date of the trend, counted together
(``published.published_pages_each``), and the benchmarks: the same queries however many
children there are and however many dates the trend has.
"""

import datetime

from caseaudit.cases.models import Snapshot
from caseaudit.core import clock
from caseaudit.core.months import add_months
from caseaudit.core.suppression import SUPPRESSED, unsuppressed
from caseaudit.performance import caseloads as performance_caseloads
from caseaudit.performance import disproportionality as by_ethnicity
from caseaudit.performance import pages as performance_pages
from caseaudit.performance import published
from caseaudit.performance.indicators import (
    DAYS,
    INDICATORS,
    NOT_IN_ANNEX_A,
    PERCENT,
    RATE,
    evaluate_each,
    snapshot_for,
)
from caseaudit.reports import document
from caseaudit.reports.choices import Edition, ReportKind
from caseaudit.reports.definitions import SUPPRESSED_NOTE
from caseaudit.reports.structures import Table

UNIT_TITLES = {"area": "area", "service": "service"}
# The trend's window: the date and the twelve months before it, so the same month a year
# earlier is beside the latest (seed 002 compares on the year: 696 to 770 children on plans).
TREND_MONTHS = 13
KIND_WORDS = {
    PERCENT: "A percentage: the numerator is the part of the denominator that meets the standard.",
    RATE: "A rate per 10,000 children in the council's child population.",
    DAYS: "A median in days: half the waits counted were shorter and half longer. Where one "
    "to five waits are counted it is not shown (c).",
}


def shown(kind: str, value) -> str | int | float:
    """A figure as the pack prints it: ``c`` hidden, "No figure" where there is none."""
    if value is None:
        return "No figure"
    if value == SUPPRESSED:
        return SUPPRESSED
    if kind == DAYS:
        return f"{value} days"
    return f"{value}%" if kind == PERCENT else value


def build_compendium(
    council,
    as_at: datetime.date,
    *,
    today: datetime.date | None = None,
    edition: str = Edition.PUBLIC,
) -> document.DocumentData:
    """The pack for the case data current on ``as_at`` (``performance.indicators.NoSnapshot``
    if there is none)."""
    today = today or clock.today()
    if edition == Edition.INTERNAL:
        with unsuppressed():
            data = _build(council, as_at, today)
        return {**data, "edition": Edition.INTERNAL.value, "title": data["title"] + " (internal)"}
    return _build(council, as_at, today)


def _build(council, as_at, today) -> document.DocumentData:
    snapshot = snapshot_for(council, as_at)
    # The trend: each date of case data in the window, as that date's pages publish it, all
    # of them counted and broken down together (so a month more costs no more queries).
    window = Snapshot.objects.filter(
        council=council,
        as_at__gte=add_months(snapshot.as_at, 1 - TREND_MONTHS),
        as_at__lt=snapshot.as_at,
    ).order_by("as_at")
    dates = [*window, snapshot]
    each = evaluate_each(dates)
    published_each = published.published_pages_each(dates, each)
    figures, pages = each[snapshot.pk], published_each[snapshot.pk]
    benchmarks = performance_pages.beside(council, snapshot.as_at, figures)
    trend: dict[str, list[list]] = {code: [] for code in figures}
    for other in dates:
        for code, page in published_each[other.pk].items():
            # A number, ``c`` or None (no figure): the chart plots the numbers only.
            trend[code].append([other.as_at.isoformat(), page.figure.value])
    comparators = sorted(
        {label for rows in benchmarks.values() for label, _year, _value in rows},
        key=["Statistical neighbours", "Region", "England"].index,
    )
    summary: Table = {
        "title": f"Indicators as at {snapshot.as_at:%-d %B %Y}, with benchmarks",
        "sheet": "Indicators",
        "columns": ["Indicator", "Figure", "Numerator", "Denominator", *comparators],
        "rows": [],
        "suppressed": True,
    }
    by_list: dict[str, list[document.Section]] = {}
    for code, figure in figures.items():
        indicator = figure.indicator
        page = pages[code]
        beside = {label: f"{value} ({year})" for label, year, value in benchmarks.get(code, [])}
        summary["rows"].append(
            [
                indicator.name,
                shown(indicator.kind, page.figure.value),
                _count(page.figure.numerator),
                _count(page.figure.denominator),
                *(beside.get(label, "") for label in comparators),
            ]
        )
        by_list.setdefault(indicator.list_label, []).append(
            _indicator_section(indicator, page, beside, trend[code], snapshot.as_at)
        )
    sections = [
        document.section(
            "Summary",
            [
                document.paragraph(
                    f"{len(figures)} indicators worked out from {council.name}'s Annex A case "
                    f"data as at {snapshot.as_at:%-d %B %Y}, with the latest benchmarks "
                    "(statistical neighbours, region and England) beside each figure."
                ),
                document.table(summary),
            ],
        )
    ]
    for label, parts in by_list.items():
        sections.append(document.section(label, []))
        sections += parts
    sections.append(disproportionality_section(snapshot, pages))
    sections.append(caseloads_section(snapshot))
    sections.append(
        document.section(
            "Indicators Annex A does not carry",
            [document.bullets([f"{m.name}: {m.carried_by}" for m in NOT_IN_ANNEX_A])],
        )
    )
    return {
        "kind": ReportKind.COMPENDIUM.value,
        "edition": Edition.PUBLIC.value,
        "title": f"Performance information for select committee – {snapshot.as_at:%B %Y}",
        "subject": "Performance compendium for elected members",
        "slug": f"select-committee-pack-{snapshot.as_at.isoformat()}",
        "council": council.name,
        "as_at": f"{snapshot.as_at:%-d %B %Y}",
        "built_at": clock.now().isoformat(),
        "today": today.isoformat(),
        "introduction": [
            "Key performance information from the council's performance compendium, for the "
            "select committee: aggregate figures only, with no child-level data.",
            "Small numbers are not shown: " + SUPPRESSED_NOTE,
        ],
        "sections": document.numbered(sections),
        "definitions": [
            {"term": indicator.name, "meaning": indicator.definition}
            for indicator in INDICATORS.values()
        ]
        + [
            {"term": "Disproportionality by ethnicity", "meaning": by_ethnicity.DEFINITION},
            {
                "term": "Caseload",
                "meaning": "The children with an open case a worker holds at the date, each "
                "child counted once.",
            },
            {"term": "c", "meaning": SUPPRESSED_NOTE},
        ],
    }


def disproportionality_section(snapshot, pages) -> document.Section:
    """Children in need, on a plan and looked after by ethnic group, with rates and relative
    rate indices, suppressed as ``performance.disproportionality`` publishes them (a council
    figure hidden on its indicator's page, ``pages``, is hidden here too)."""
    found = by_ethnicity.disproportionality(
        snapshot, hidden_totals=by_ethnicity.hidden_totals(pages)
    )
    blocks = [document.paragraph(by_ethnicity.DEFINITION)]
    if found.population_year is None:
        blocks.append(
            document.paragraph(
                "No child population by ethnic group is entered for the year, so there are "
                "counts but no rates."
            )
        )
    else:
        blocks.append(
            document.paragraph(
                f"The population by ethnic group is for {found.population_year}. The figures "
                "are for the council as a whole."
            )
        )
    for key, _code, label in by_ethnicity.POPULATIONS:
        blocks.append(
            document.table(
                {
                    "title": f"{label} by ethnic group",
                    "sheet": f"Ethnicity {key}",
                    "columns": [
                        "Ethnic group",
                        "Children",
                        "Children in the area",
                        "Per 10,000",
                        "Relative rate index",
                    ],
                    "rows": [
                        [
                            row.label,
                            row.children,
                            _count(row.population),
                            shown(RATE, row.rate),
                            shown(RATE, row.rri),
                        ]
                        for row in found.tables[key]
                    ],
                    "total": ["All children", found.totals[key], "", "", ""],
                    "suppressed": True,
                }
            )
        )
    return document.section("Disproportionality by ethnicity", blocks)


def caseloads_section(snapshot) -> document.Section:
    """Caseloads at the date: the average and median, how many workers hold how many
    children, and the workers above their service's threshold. Counts of workers only, no
    worker named, suppressed like every other count (``caseloads.published``)."""
    held = performance_caseloads.caseloads(snapshot)
    seen = performance_caseloads.published(held)
    if not held.workers:
        return document.section(
            "Caseloads", [document.paragraph("No open case names a worker in this case data.")]
        )
    thresholds = ", ".join(
        f"{service.lower()} {threshold}" for service, threshold, *_rest in held.by_service
    )
    blocks = [
        document.paragraph(
            f"Children with an open case at {snapshot.as_at:%-d %B %Y}, each counted once with "
            "the worker of their looked-after, child protection, child-in-need, care-leaver or "
            "assessment case, in that order, and the workers holding them. A worker is above "
            f"the threshold with more children than their service's ({thresholds})."
        ),
        document.facts(
            [
                ("Children held", str(seen.children)),
                ("Workers holding cases", str(seen.workers)),
                ("Mean caseload", str(seen.mean)),
                ("Median caseload", str(seen.median)),
                ("Workers above their service's threshold", str(seen.over_threshold)),
            ]
        ),
        document.table(
            {
                "title": "Workers by caseload",
                "sheet": "Caseloads",
                "columns": ["Children held", "Workers"],
                "rows": [[band, workers] for band, workers in seen.distribution],
                "total": ["All workers", seen.workers],
                "suppressed": True,
            }
        ),
        document.table(
            {
                "title": "Caseloads by service",
                "sheet": "Caseloads by service",
                "columns": [
                    "Service",
                    "Threshold",
                    "Workers holding cases",
                    "Above the threshold",
                    "Mean caseload",
                    "Lowest to highest",
                ],
                "rows": [list(row) for row in seen.by_service],
                "total": [
                    "All services",
                    "",
                    seen.workers,
                    seen.over_threshold,
                    seen.mean,
                    "",
                ],
                "suppressed": True,
            }
        ),
    ]
    return document.section("Caseloads", blocks)


def _count(value):
    return "" if value is None else value


def _indicator_section(indicator, page, beside, points, as_at) -> document.Section:
    kind = indicator.kind
    direction = {True: "Higher is better.", False: "Lower is better."}.get(indicator.up_is_good, "")
    facts = [
        ("Figure", str(shown(kind, page.figure.value))),
        ("Period", indicator.period),
    ]
    if kind == PERCENT:
        facts += [
            ("Meeting the standard", str(_count(page.figure.numerator))),
            ("Counted", str(_count(page.figure.denominator))),
        ]
    if kind == DAYS:
        facts.append(("Waits counted", str(_count(page.figure.denominator))))
    facts += [(label, value) for label, value in beside.items()]
    blocks = [
        document.paragraph(" ".join(p for p in (indicator.definition, direction) if p)),
        document.facts(facts),
    ]
    if KIND_WORDS.get(kind):
        blocks.append(document.paragraph(KIND_WORDS[kind]))
    for unit, rows in page.tables:
        if unit not in UNIT_TITLES:
            continue
        blocks.append(document.table(_breakdown(indicator, unit, rows, page)))
    if page.withheld:
        blocks.append(
            document.paragraph(
                "The figures by area and service are not shown: a child may be counted in "
                "two teams, so they would not add up to the council's figure."
            )
        )
    plotted = [
        [day, value]
        for day, value in points
        if isinstance(value, int | float) and not isinstance(value, bool)
    ]
    if len(points) > 1:
        blocks.append(
            document.chart(
                indicator.code,
                plotted,
                f"Line chart of {indicator.name.lower()} at each date of case data to "
                f"{as_at:%-d %B %Y}. Dates with a hidden figure have no point. The figures are "
                "in the table below.",
            )
        )
        blocks.append(
            document.table(
                {
                    "title": f"{indicator.name}: trend",
                    "sheet": f"{indicator.code} trend",
                    "columns": ["Case data as at", "Figure"],
                    "rows": [
                        [
                            f"{datetime.date.fromisoformat(day):%-d %B %Y}",
                            shown(kind, value),
                        ]
                        for day, value in points
                    ],
                    "suppressed": True,
                }
            )
        )
    return document.section(indicator.name, blocks, level=3)


def _breakdown(indicator, unit: str, rows, page) -> Table:
    kind = indicator.kind
    if kind == PERCENT:
        columns = [UNIT_TITLES[unit].capitalize(), "Figure", "Meeting the standard", "Counted"]

        def cells(seen):
            return [
                shown(kind, seen.value),
                _count(seen.numerator),
                _count(seen.denominator),
            ]
    elif kind == DAYS:
        columns = [UNIT_TITLES[unit].capitalize(), "Median", "Waits counted"]

        def cells(seen):
            return [shown(kind, seen.value), _count(seen.denominator)]
    else:
        columns = [UNIT_TITLES[unit].capitalize(), "Figure"]

        def cells(seen):
            return [shown(kind, seen.value)]

    return {
        "title": f"{indicator.name} by {UNIT_TITLES[unit]}",
        "sheet": f"{indicator.code} {unit}",
        "columns": columns,
        "rows": [[name or "No team", *cells(seen)] for _pk, name, seen in rows],
        "total": ["Council", *cells(page.figure)],
        "suppressed": True,
        "empty_text": "No figures to break down.",
    }
