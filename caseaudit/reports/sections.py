"""The sections of the audit highlight report (seed 003), each built from the council's data
into JSON-safe figures and tables: compliance, judgements by month and by unit, practice
themes, domains, feedback, and the text the QA lead chose. ``build.build_highlight`` puts them
together; every format renders what they return.

Each section is one grouped query (the compliance figures are ``audits.compliance``'s own).
The judgement sections count completed audits (submitted or moderated) of the programme that
have an overall grade, with the auditor's grade; re-audits are follow-ups of Inadequate cases
and are counted in the compliance figures only.

This is the wide-circulation edition: every count in it, the council's included, follows
``core.suppression``'s one rule. Tables that break the same council figures down are
suppressed together, so a council figure hidden in one is hidden in all of them and wherever
the report repeats it: judgements by area, by service, by cohort and by month of the period;
compliance by area and by service with the programme figures and opening sentences; and the
two families with each other, since an area's audits judged are at most its audits
completed. Domain results and feedback are suppressed against their own totals. A share
(percentage) is hidden beside a hidden count or total.
"""

import datetime
import re
from collections import defaultdict

from django.db.models import Count, Q

from caseaudit.audits import compliance, judgements
from caseaudit.audits.choices import AuditKind, FeedbackFrom, MonthStatus, Rag
from caseaudit.audits.judgements import GOOD_OR_BETTER, direction, graded_answers
from caseaudit.audits.models import Answer, Feedback
from caseaudit.cases.cohorts import COHORTS
from caseaudit.core.grades import ORDER
from caseaudit.core.months import add_months, month_key, month_label, months_between
from caseaudit.core.suppression import (
    SUPPRESSED,
    THRESHOLD,
    hidden_figures,
    suppress_breakdowns,
    suppress_columns,
    suppress_count,
    suppress_table,
)
from caseaudit.reports.choices import ExemplarKind
from caseaudit.reports.models import Exemplar
from caseaudit.reports.periods import in_period
from caseaudit.tools.choices import QuestionKind, ToolKind

# How many months the domain trend looks back over (at least the period itself).
TREND_MONTHS = 6
# How many domains the report names as weakest and as strongest.
NAMED_DOMAINS = 3
CROSS_SECTION = "Cross-section of teams"
CHILD_REDACTED = "[the child]"
GRADE_LABELS = [grade.label for grade in ORDER]


# Small helpers ---------------------------------------------------------------------------------


def percent(part: int, whole: int) -> str:
    return compliance.format_rate(compliance.whole_percent(part, whole))


def shown_percent(part, whole) -> str:
    """A share of a total where either may be hidden: hidden with them."""
    return SUPPRESSED if SUPPRESSED in (part, whole) else percent(part, whole)


def _table(title: str, sheet: str, columns: list[str], rows: list[list], **extra) -> dict:
    """A table as every format shows it: a title, column headings and rows whose first cell
    names the row. ``total`` (optional) is a last row set apart."""
    return {"title": title, "sheet": sheet, "columns": columns, "rows": rows, **extra}


def redact_child(text: str, child_id: str | None) -> str:
    if child_id:
        text = re.sub(re.escape(child_id), CHILD_REDACTED, text, flags=re.IGNORECASE)
    return text.strip()


def cohort_title(key: str) -> str:
    if not key:
        return CROSS_SECTION
    cohort = COHORTS.get(key)
    return cohort.title if cohort else key.replace("_", " ").capitalize()


# A month's cohort focus as the practice themes group it, read from ``prefix`` + these fields
# of a programme month: a saved cohort (audits' ``ProgrammeMonth.saved_cohort``) by itself,
# under its name; otherwise the named practice theme; neither is the cross-section.
FOCUS_FIELDS = ("month__cohort_key", "month__saved_cohort_id", "month__saved_cohort__name")
SAVED_COHORT_KEY = "saved-{}"


def month_focus(month) -> str:
    """``focus_of``'s title for a programme month at hand (its saved cohort selected with it)."""
    return month.focus_title or cohort_title(month.cohort_key)


def focus_of(row: dict, prefix: str = "") -> tuple[str, str]:
    """The key and title of the cohort focus of the month ``row`` (a ``values()`` row holding
    ``FOCUS_FIELDS`` after ``prefix``) belongs to."""
    saved = row[f"{prefix}month__saved_cohort_id"]
    if saved:
        return SAVED_COHORT_KEY.format(saved), row[f"{prefix}month__saved_cohort__name"]
    key = row[f"{prefix}month__cohort_key"] or ""
    return key, cohort_title(key)


# Sections --------------------------------------------------------------------------------------


def compliance_tables(since_start, period, label: str, shown: list) -> dict:
    """The programme figures and compliance by area and by service; ``shown`` is the latter
    two suppressed (``judgement_breakdowns``)."""
    by_area, by_service = (period.table(name) for name in ("by_area", "by_service"))
    area, service = shown
    # The council's figures, as every table on the page must show them.
    council = _compliance_cells(area.column_totals, period.totals)
    columns = ["Kind of audit", "Allocated", "Completed", "Compliance"]
    tables = {
        "compliance_since_start": _table(
            "Audit programme since the start",
            "Compliance since start",
            columns,
            _since_start_rows(since_start.totals, period.totals, council),
            suppressed=True,
        ),
        "compliance_period": _table(
            f"Audit programme, {label}",
            "Compliance in period",
            columns,
            [["Audits", *council[:3]], ["Re-audits", *council[3:]]],
            suppressed=True,
        ),
    }
    for unit, table, shown in (("Area", by_area, area), ("Service", by_service, service)):
        tables[f"compliance_by_{unit.lower()}"] = _table(
            f"Compliance by {unit.lower()}, {label}",
            f"Compliance by {unit.lower()}",
            [
                unit,
                "Audits allocated",
                "Audits completed",
                "Audit compliance",
                "Re-audits allocated",
                "Re-audits completed",
                "Re-audit compliance",
            ],
            [
                [row.label, *_compliance_cells(cells, row)]
                for row, cells in zip(table.rows, shown.cells, strict=True)
            ],
            total=["Council", *council],
            suppressed=True,
        )
    return tables


def completed_within_allocated(rows: list[int]) -> list[tuple]:
    """What a reader of compliance by area and by service (``rows`` in each) knows besides
    the totals: completed is at most allocated, for audits and for re-audits, in every row
    and for the council."""
    pairs: list[tuple] = [(("column", 1), ("column", 0)), (("column", 3), ("column", 2))]
    for t, count in enumerate(rows):
        for r in range(count):
            pairs += [
                (("cell", t, r, 1), ("cell", t, r, 0)),
                (("cell", t, r, 3), ("cell", t, r, 2)),
            ]
    return pairs


def _compliance_counts(rows) -> list[list[int]]:
    return [
        [row.audits.allocated, row.audits.completed, row.reaudits.allocated, row.reaudits.completed]
        for row in rows
    ]


def _compliance_cells(cells: list, row) -> list:
    """Allocated, completed and the rate, for audits then re-audits. A rate beside a hidden
    count would give it away with the other count, so it is hidden with it."""
    allocated, completed, re_allocated, re_completed = cells
    audit_rate = SUPPRESSED if SUPPRESSED in cells[:2] else row.audits.rate_text
    reaudit_rate = SUPPRESSED if SUPPRESSED in cells[2:] else row.reaudits.rate_text
    return [allocated, completed, audit_rate, re_allocated, re_completed, reaudit_rate]


def _since_start_rows(since_start, period, council: list) -> list[list]:
    """The programme since the start. Where nothing fell before the period a figure is the
    period's own, and shows as the period's table shows it; otherwise a count from 1 to 5 is
    hidden, and the rate with it. A since-start figure of 6 beside a hidden figure for the
    period is hidden too: being different, the period's would be at most 5."""
    period_shown = dict(zip(("audits", "reaudits"), (council[:2], council[3:5]), strict=True))
    rows = []
    for name, kind in (("Audits", "audits"), ("Re-audits", "reaudits")):
        figures, in_period_figures = getattr(since_start, kind), getattr(period, kind)
        cells = [
            shown
            if value == same
            else SUPPRESSED
            if shown == SUPPRESSED and value <= THRESHOLD + 1
            else suppress_count(value)
            for value, same, shown in zip(
                (figures.allocated, figures.completed),
                (in_period_figures.allocated, in_period_figures.completed),
                period_shown[kind],
                strict=True,
            )
        ]
        rate = SUPPRESSED if SUPPRESSED in cells else figures.rate_text
        rows.append([name, *cells, rate])
    return rows


def published_headline(report, table: dict) -> list[str]:
    """``compliance``'s opening sentences, each kept only where the figures it states are
    shown in ``table`` (the same figures as a table row for audits, then re-audits)."""
    sentences = []
    for sentence, row, what in zip(
        report.headline, table["rows"], ("audits", "re-audits"), strict=True
    ):
        if SUPPRESSED in row:
            sentence = (
                f"Some of the {what} figures are small numbers, shown as {SUPPRESSED} in the "
                "table, and are not given here."
            )
        sentences.append(sentence)
    return sentences


def judgements_by_month(council, to_month, programme_months) -> list[dict]:
    """The council's judgements month by month, from the programme's first month (or first
    judged audit) to ``to_month``: the counts as counted, before suppression."""
    counted = compliance.counted_audits(council, to_month=to_month)
    grouped = (
        judgements.judged(counted)
        .values("overall_grade", reporting_month=compliance.reporting_month())
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_month: dict[datetime.date, dict[str, int]] = defaultdict(dict)
    for row in grouped:
        by_month[row["reporting_month"]][row["overall_grade"]] = row["n"]
    paused = {pm["month"] for pm in programme_months if pm["status"] == MonthStatus.PAUSED}
    starts = [pm["month"] for pm in programme_months] + list(by_month)
    if not starts:
        return []
    ratings = _light_touch_ratings(counted)
    months = []
    for month in months_between(min(starts), to_month):
        counts = judgements.grade_counts(by_month.get(month, {}))
        months.append(
            {
                "key": month_key(month),
                "label": f"{month:%b %Y}",
                "name": month_label(month),
                "paused": month in paused,
                "counts": counts,
                "total": sum(counts),
                **({"rag": ratings[month]} if month in ratings else {}),
            }
        )
    return months


def _light_touch_ratings(counted) -> dict[datetime.date, list[int]]:
    """Red, amber and green counts by month, of the completed audits done with the light-touch
    tool (a paused programme's RAG rating, which gives no overall grade). Only those audits'
    answers are read: the practice tool's grades, every audit's many, are not."""
    values = [rag.value for rag in Rag]
    light_touch = counted.filter(
        compliance.COMPLETED, kind=AuditKind.AUDIT, tool_version__tool__kind=ToolKind.LIGHT_TOUCH
    )
    grouped = (
        Answer.objects.filter(
            audit__in=light_touch,
            question__kind=QuestionKind.RAG,
            value__in=values,
        )
        .values("value", reporting_month=compliance.reporting_month("audit__"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    ratings: dict[datetime.date, list[int]] = defaultdict(lambda: [0] * len(values))
    for row in grouped:
        ratings[row["reporting_month"]][values.index(row["value"])] = row["n"]
    return dict(ratings)


def _rag_note(month: dict) -> str:
    """A light-touch month's note: its RAG ratings instead of "None judged"."""
    if not month.get("rag"):
        return ""
    ratings = ", ".join(
        f"{rag.label} {count}" for rag, count in zip(Rag, month["rag"], strict=True)
    )
    return f"Light-touch audits, RAG ratings: {ratings} (of {month['rag_total']})"


def _month_table(months: list[dict]) -> dict:
    """The judgements by month as published: ``months`` are already suppressed, and a share
    is hidden where its count or the month's total is."""
    if not months:
        return _table("Overall judgements by month", "Judgements by month", [], [], empty=True)
    rows = []
    for month in months:
        counts, total = month["counts"], month["total"]
        good = SUPPRESSED if SUPPRESSED in counts[:2] else counts[0] + counts[1]
        rows.append(
            [
                month["name"],
                *counts,
                total,
                *(shown_percent(count, total) for count in counts),
                shown_percent(good, total),
                "; ".join(
                    note
                    for note in ("Programme paused" if month["paused"] else "", _rag_note(month))
                    if note
                ),
            ]
        )
    return _table(
        f"Overall judgements by month, {months[0]['name']} to {months[-1]['name']}",
        "Judgements by month",
        [
            "Month",
            *GRADE_LABELS,
            "Audits judged",
            *(f"{label} %" for label in GRADE_LABELS),
            "Good or better",
            "Note",
        ],
        rows,
        suppressed=True,
    )


def _crosstab(grouped, key_fields: tuple[str, str], label_default: str) -> list[tuple]:
    """(label, counts in grade order, key) per group, from values() rows with overall_grade
    and n."""
    groups: dict = {}
    for row in grouped:
        key = row[key_fields[0]]
        label = row[key_fields[1]] or label_default
        groups.setdefault(key, [label, {}])[1][row["overall_grade"]] = row["n"]
    return sorted(
        ((label, judgements.grade_counts(values), key) for key, (label, values) in groups.items()),
        key=lambda item: item[0],
    )


def _grade_table(title, sheet, heading, groups: list[tuple], shown) -> dict:
    return _table(
        title,
        sheet,
        [heading, *GRADE_LABELS, "Audits judged"],
        [
            [label, *cells, total]
            for (label, *_), cells, total in zip(groups, shown.cells, shown.row_totals, strict=True)
        ],
        total=["Council", *shown.column_totals, shown.grand_total],
        suppressed=True,
    )


def judgement_breakdowns(
    period_audits, exemplars: list[dict], label: str, months: list[dict], from_month, period
) -> tuple[dict, list[dict], list, list[dict], list]:
    """Judgements by area, by service, by cohort (the practice themes) and by month in the
    period: four breakdowns of the same council figures, suppressed together; the months
    before the period are suppressed on their own. Returns the tables, the practice themes as
    the report describes them, the council's judgements as the tables show them, ``months``
    as published, and compliance by area and by service (``period``'s) suppressed with them:
    an area's audits judged are at most its audits completed, so each is hidden where the
    other is."""
    judged = judgements.judged(period_audits)
    area_rows = (
        judged.values("team__area_id", "team__area__name", "overall_grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    service_rows = (
        judged.values("team__service_id", "team__service__name", "overall_grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    areas = _crosstab(area_rows, ("team__area_id", "team__area__name"), "No area (countywide)")
    services = _crosstab(service_rows, ("team__service_id", "team__service__name"), "No service")
    keys, cohorts, descriptors, titles = _cohorts(judged, exemplars)
    earlier = [month for month in months if month["key"] < month_key(from_month)]
    in_period = months[len(earlier) :]
    grade_counts = [
        *([group[1] for group in groups] for groups in (areas, services, cohorts)),
        [month["counts"] for month in in_period],
    ]
    compliance_rows = [period.table(name).rows for name in ("by_area", "by_service")]
    compliance_counts = [_compliance_counts(rows) for rows in compliance_rows]
    links = [(("grand",), ("column", 1))]
    for t, (groups, rows) in enumerate(zip((areas, services), compliance_rows, strict=True)):
        completed_row = {row.key: r for r, row in enumerate(rows)}
        links += [
            (("row", t, g), ("cell", t, completed_row[group[2]], 1))
            for g, group in enumerate(groups)
            if group[2] in completed_row
        ]
    hide_grades: set = set()
    hide_compliance: set = set()
    while True:
        grades = suppress_breakdowns(grade_counts, columns=len(ORDER), hide=hide_grades)
        compliance = suppress_breakdowns(
            compliance_counts,
            rows_add_up=False,
            columns=4,
            hide=hide_compliance,
            at_most=completed_within_allocated([len(rows) for rows in compliance_counts]),
        )
        hidden_grades, hidden_compliance = hidden_figures(*grades), hidden_figures(*compliance)
        more_grades = {g for g, c in links if c in hidden_compliance} - hidden_grades
        more_compliance = {c for g, c in links if g in hidden_grades} - hidden_compliance
        # A zero is never hidden, so only a figure that can be hidden counts as more.
        more_grades -= hide_grades
        more_compliance -= hide_compliance
        if not more_grades and not more_compliance:
            break
        hide_grades |= more_grades
        hide_compliance |= more_compliance
    by_area, by_service, by_cohort, by_month = grades
    before = suppress_table([month["counts"] for month in earlier], columns=len(ORDER))
    shown_months = [
        {**month, "counts": cells, "total": total}
        for month, cells, total in zip(
            months,
            [*before.cells, *by_month.cells],
            [*before.row_totals, *by_month.row_totals],
            strict=True,
        )
    ]
    # Light-touch months' RAG ratings add up to their own totals and to nothing else shown.
    rated = [month for month in shown_months if month.get("rag")]
    if rated:
        ratings = suppress_table([month["rag"] for month in rated], columns=len(Rag))
        for month, cells, total in zip(rated, ratings.cells, ratings.row_totals, strict=True):
            month["rag"], month["rag_total"] = list(cells), total
    tables = {
        "judgements_by_month": _month_table(shown_months),
        "judgements_by_area": _grade_table(
            f"Judgements by area, {label}", "Judgements by area", "Area", areas, by_area
        ),
        "judgements_by_service": _grade_table(
            f"Judgements by service, {label}",
            "Judgements by service",
            "Service",
            services,
            by_service,
        ),
        "practice_themes": _grade_table(
            f"Practice themes: grades by cohort, {label}",
            "Practice themes",
            "Cohort",
            cohorts,
            by_cohort,
        ),
    }
    themes = []
    for key, cells, total in zip(keys, by_cohort.cells, by_cohort.row_totals, strict=True):
        themes.append(
            {
                "key": key,
                "title": titles[key],
                "grades": [
                    {"label": grade.label, "value": grade.value, "count": count}
                    for grade, count in zip(ORDER, cells, strict=True)
                ],
                "total": total,
                "descriptors": [
                    {"grade": grade.label, "value": grade.value, "texts": descriptors[key][grade]}
                    for grade in ORDER
                    if descriptors[key].get(grade)
                ],
            }
        )
    return tables, themes, [*by_area.column_totals, by_area.grand_total], shown_months, compliance


def _cohorts(judged, exemplars: list[dict]):
    """The practice themes' cohorts (the cross-section first), their grade counts, the
    descriptors chosen for them and their titles, by key (``focus_of``); a cohort with
    descriptors and no judged audit still shows."""
    grouped = judged.values(*FOCUS_FIELDS, "overall_grade").annotate(n=Count("pk")).order_by()
    by_cohort: dict[str, dict[str, int]] = defaultdict(dict)
    titles = {"": CROSS_SECTION}
    for row in grouped:
        key, titles[key] = focus_of(row)
        by_cohort[key][row["overall_grade"]] = row["n"]
    descriptors: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for exemplar in exemplars:
        if exemplar["kind"] == ExemplarKind.DESCRIPTOR:
            key, titles[key] = focus_of(exemplar, "audit__")
            descriptors[key][exemplar["grade"]].append(exemplar["text"])
    keys = sorted(set(by_cohort) | set(descriptors), key=lambda key: (key != "", titles[key]))
    groups = [(titles[key], judgements.grade_counts(by_cohort.get(key, {}))) for key in keys]
    return keys, groups, descriptors, titles


def domains(council, from_month, to_month, label: str, first_month) -> tuple[dict, dict]:
    start = min(from_month, add_months(to_month, -(TREND_MONTHS - 1)))
    if first_month:
        # No trend columns for months before the programme began.
        start = min(max(start, first_month), from_month)
    grouped = graded_answers(council, start, to_month)
    in_period: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    monthly: dict[str, dict[datetime.date, list[int]]] = defaultdict(dict)
    for row in grouped:
        title = row["domain_title"]
        if from_month <= row["reporting_month"] <= to_month:
            in_period[title][row["value"]] += row["n"]
        good, total = monthly[title].setdefault(row["reporting_month"], [0, 0])
        in_good = row["value"] in GOOD_OR_BETTER
        monthly[title][row["reporting_month"]] = [
            good + (row["n"] if in_good else 0),
            total + row["n"],
        ]
    trend_months = months_between(start, to_month)
    results = []
    for title, values in in_period.items():
        counts = judgements.grade_counts(values)
        total = sum(counts)
        good = counts[0] + counts[1]
        trend = [
            compliance.whole_percent(*monthly[title][m]) if m in monthly[title] else None
            for m in trend_months
        ]
        results.append(
            {
                "title": title,
                "counts": counts,
                "total": total,
                "good_or_better": compliance.whole_percent(good, total),
                "trend": trend,
                "direction": direction(trend),
            }
        )
    # Weakest first: the lowest share good or better, then the most Inadequate.
    results.sort(key=lambda d: (d["good_or_better"], -d["counts"][3], d["title"]))
    _suppress_domains(results, [monthly[d["title"]] for d in results], trend_months)
    table = _table(
        f"Domain results, {label}",
        "Domain results",
        [
            "Domain",
            *GRADE_LABELS,
            "Grades given",
            "Good or better",
            *(f"{m:%b %Y}" for m in trend_months),
            "Trend",
        ],
        [
            [
                d["title"],
                *d["counts"],
                d["total"],
                shown_rate(d["good_or_better"]),
                *(shown_rate(value) for value in d["trend"]),
                d["direction"],
            ]
            for d in results
        ],
        suppressed=True,
    )
    strongest = list(reversed(results[-NAMED_DOMAINS:])) if results else []
    weakest = results[:NAMED_DOMAINS]
    # With few domains, one must not be called both weakest and strongest.
    if len(results) < 2 * NAMED_DOMAINS:
        half = len(results) // 2
        weakest, strongest = results[:half], list(reversed(results[len(results) - half :]))
    return {"weakest": weakest, "strongest": strongest, "all": results}, table


def _suppress_domains(results: list[dict], monthly: list[dict], trend_months) -> None:
    """Each domain's grade counts with its total (counts of audits, so the same rule): the
    domains do not add up to anything published, so only their own totals are read against
    them. The share good or better is hidden beside a hidden Outstanding, Good or total; a
    month's share of the trend, whose counts are not published, is hidden where it stands
    for a small number good or better or not (1 to 5 of either)."""
    if not results:
        return
    by_grade = [list(column) for column in zip(*(d["counts"] for d in results), strict=True)]
    shown = suppress_columns(by_grade)
    for d, cells, total, months in zip(
        results, zip(*shown.cells, strict=True), shown.column_totals, monthly, strict=True
    ):
        d["counts"], d["total"] = list(cells), total
        if SUPPRESSED in (*cells[:2], total):
            d["good_or_better"] = SUPPRESSED
        d["trend"] = [
            SUPPRESSED
            if m in months
            and SUPPRESSED in map(suppress_count, (months[m][0], months[m][1] - months[m][0]))
            else value
            for m, value in zip(trend_months, d["trend"], strict=True)
        ]


def shown_rate(value) -> str:
    """A share as the report prints it: "c" where it is hidden."""
    return SUPPRESSED if value == SUPPRESSED else compliance.format_rate(value)


def feedback(council, from_month, to_month, label: str) -> tuple[dict, dict]:
    grouped = (
        in_period(Feedback.objects.filter(audit__council=council), council, from_month, to_month)
        .values("given_by")
        .annotate(n=Count("pk"), shared=Count("pk", filter=Q(consent_to_share=True)))
        .order_by()
    )
    counts = {row["given_by"]: (row["n"], row["shared"]) for row in grouped}
    # Received and with consent add up down the columns, not along a row (one is part of the
    # other), so the table is suppressed as the compliance breakdowns are.
    shown = suppress_columns(
        [list(counts.get(source.value, (0, 0))) for source in FeedbackFrom], columns=2
    )
    table = _table(
        f"Feedback received, {label}",
        "Feedback",
        ["Feedback from", "Received", "With consent to share"],
        [[source.label, *cells] for source, cells in zip(FeedbackFrom, shown.cells, strict=True)],
        total=["Total", *shown.column_totals],
        suppressed=True,
    )
    return {"received": shown.column_totals[0]}, table


def exemplars(council, from_month, to_month) -> list[dict]:
    """The chosen text for the period, child IDs removed; feedback only while it still has
    consent to share."""
    rows = (
        in_period(Exemplar.objects.filter(council=council), council, from_month, to_month)
        .filter(Q(feedback__isnull=True) | Q(feedback__consent_to_share=True))
        .values(
            "kind",
            "grade",
            "question",
            "text",
            *(f"audit__{field}" for field in FOCUS_FIELDS),
            "audit__child__la_child_id",
            "feedback__given_by",
        )
        .order_by("kind", "chosen_at", "pk")
    )
    chosen = []
    for row in rows:
        child_id = row.pop("audit__child__la_child_id")
        row["text"] = redact_child(row["text"], child_id)
        chosen.append(row)
    return chosen


def inadequate_sentence(months: list[dict]) -> str:
    """Seed 003's opening of the practice themes: the share judged Inadequate, latest month
    first ("30% of the audits judged in September 2020 were Inadequate, and 3% in August").
    ``months`` are as published: a month whose share would give a hidden count away is left
    out."""
    judged = [
        m for m in reversed(months) if m["total"] and SUPPRESSED not in (m["counts"][3], m["total"])
    ]
    if not judged:
        return ""
    parts = [
        f"{compliance.whole_percent(m['counts'][3], m['total'])}% in {m['name']}" for m in judged
    ]
    if len(parts) == 1:
        return f"{parts[0].replace(' in ', ' of the audits judged in ', 1)} were Inadequate."
    return "Audits judged Inadequate: " + ", ".join(parts) + "."


def period_grades_sentence(label: str, counts: list, total) -> str:
    """The period's grades as shares, the figure seed 002 quotes ("26% Good, 13% Inadequate"),
    from the council's counts as the tables show them: a share beside a hidden count is left
    out, and with a hidden total so is the sentence."""
    if total == SUPPRESSED:
        return f"Few audits were judged in {label}: the shares of each grade are not given."
    if not total:
        return f"No audits were judged in {label}."
    parts = [
        f"{percent(count, total)} {grade.label}"
        for grade, count in zip(ORDER, counts, strict=True)
        if count != SUPPRESSED
    ]
    if not parts:
        return f"Of the {total} audits judged in {label}, each grade's count is a small number."
    hidden = " (the other grades' shares are small numbers and are not given)"
    return (
        f"Of the {total} audits judged in {label}: {_and_list(parts)}"
        f"{hidden if len(parts) < len(ORDER) else ''}."
    )


def _and_list(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def quotes(exemplars: list[dict], kind: str) -> list[dict]:
    labels = dict(FeedbackFrom.choices)
    return [
        {"text": e["text"], "from": labels.get(e["feedback__given_by"] or "", "")}
        for e in exemplars
        if e["kind"] == kind
    ]
