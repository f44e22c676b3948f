"""The audit highlight report (seed 003), built from the council's data into plain JSON-safe
data (``structures.HighlightData``): the single source every format (screen, PDF, Word,
Excel) renders, and what a published report freezes.

Every figure is counted in the database, in a fixed number of queries however many audits
there are: the compliance figures are ``audits.compliance``'s own (the totals since the
start, one query; the period's totals, by area and by service, three), and each other section
(``reports.sections``) is one grouped query. Which records fall in the period is
``reports.periods``'s rule.

No child is identifiable: the report holds counts, and exemplar text that the QA lead chose
and may have edited; the child's LA child ID is removed from that text as well, in case it
was left in. Breakdowns below council level (area, service, cohort) and the council figures
beside them are suppressed by ``core.suppression``'s one rule, together, so a council figure
hidden in one table is hidden wherever the report repeats it (``sections``).
"""

import datetime

from caseaudit.audits import compliance
from caseaudit.audits.models import ProgrammeMonth, ReflectionSheet
from caseaudit.core import clock
from caseaudit.core.grades import ORDER
from caseaudit.core.months import month_key, month_label, months_between
from caseaudit.core.suppression import suppress_count, unsuppressed
from caseaudit.reports import definitions, follow_up, sections
from caseaudit.reports.choices import Edition, ExemplarKind, ReflectionQuestion, Section
from caseaudit.reports.models import Narrative
from caseaudit.reports.periods import in_period, period_label
from caseaudit.reports.structures import HighlightData, Table

# The order the tables appear in, in the report and as Excel sheets.
TABLE_ORDER = (
    "compliance_since_start",
    "compliance_period",
    "compliance_by_area",
    "compliance_by_service",
    "judgements_by_month",
    "judgements_by_area",
    "judgements_by_service",
    "practice_themes",
    "domains",
    "feedback",
    "moderation",
    "reaudit_movement",
    "coverage",
)


def build_highlight(
    council,
    *,
    from_month: datetime.date,
    to_month: datetime.date,
    today: datetime.date | None = None,
    author=None,
    edition: str = Edition.PUBLIC,
) -> HighlightData:
    """The report in the edition asked for: the public one (small numbers suppressed, the
    default) or the internal one, built by the same code with nothing hidden."""
    if edition == Edition.INTERNAL:
        with unsuppressed():
            data = _build(council, from_month, to_month, today, author)
        return {
            **data,
            "edition": Edition.INTERNAL.value,
            "title": f"{data['title']} (internal edition)",
        }
    data = _build(council, from_month, to_month, today, author)
    # The public edition keeps the programme figures only as its tables show them.
    for figures in data["compliance"].values():
        figures.pop("audits")
        figures.pop("reaudits")
    return data


def _build(council, from_month, to_month, today, author) -> HighlightData:
    """The highlight report for ``council`` from ``from_month`` to ``to_month`` (inclusive), as
    JSON-safe data, in a bounded number of queries whatever the number of audits. ``author``
    (a user) is named with their email as the report's contact; without one, the report is
    the Quality Assurance Service's."""
    if from_month > to_month:
        raise ValueError("The first month of the period must not be after the last.")
    today = today or clock.today()
    label = period_label(from_month, to_month)

    programme_months = list(
        ProgrammeMonth.objects.filter(council=council, month__lte=to_month)
        .values("month", "status", "cohort_key")
        .order_by("month")
    )
    # The report shows totals since the start, and the period by area and by service.
    since_start = compliance.compliance_report(council, to_month=to_month, today=today, tables=())
    period = compliance.compliance_report(
        council,
        from_month=from_month,
        to_month=to_month,
        today=today,
        tables=("by_area", "by_service"),
    )
    period_audits = compliance.counted_audits(council, from_month=from_month, to_month=to_month)

    months = sections.judgements_by_month(council, to_month, programme_months)
    exemplars = sections.exemplars(council, from_month, to_month)
    tables, themes, council_judgements, chart_months, compliance_shown = (
        sections.judgement_breakdowns(period_audits, exemplars, label, months, from_month, period)
    )
    tables.update(sections.compliance_tables(since_start, period, label, compliance_shown))
    first_month = programme_months[0]["month"] if programme_months else None
    domains, domains_table = sections.domains(council, from_month, to_month, label, first_month)
    tables["domains"] = domains_table
    feedback, feedback_table = sections.feedback(council, from_month, to_month, label)
    tables["feedback"] = feedback_table
    reflections = in_period(
        ReflectionSheet.objects.filter(audit__council=council), council, from_month, to_month
    ).count()
    moderation, tables["moderation"] = follow_up.moderation(council, from_month, to_month, label)
    tables["reaudit_movement"] = follow_up.reaudit_movement(council, from_month, to_month, label)
    completed_shown = tables["compliance_period"]["rows"][0][2]
    tables["coverage"] = follow_up.coverage(council, from_month, to_month, label, completed_shown)
    narratives = Narrative.objects.filter(
        council=council, month__gte=from_month, month__lte=to_month
    ).values_list("month", "section", "text")
    by_month: dict = {}
    for month, section, text in narratives:
        by_month.setdefault(month, {})[section] = text
    narrative = by_month.get(to_month, {})

    period_judged = [row for row in chart_months if from_month.isoformat()[:7] <= row["key"]]
    # The council's judgements for the period, as the tables by area, service and cohort show
    # them: a figure hidden there is hidden here too, and so is its share.
    *period_counts, period_total = council_judgements
    return {
        "kind": "highlight",
        "edition": Edition.PUBLIC.value,
        "title": f"Audit highlight report – {label}",
        "council": council.name,
        "from": month_key(from_month),
        "to": month_key(to_month),
        "period": label,
        "month": month_label(to_month),
        "built_at": clock.now().isoformat(),
        "today": today.isoformat(),
        # The day the figures were counted on: what "overdue" and "as at" mean in this report.
        "as_at": f"{today:%-d %B %Y}",
        "author": _author(author),
        "narrative": {section.value: narrative.get(section.value, "") for section in Section},
        # A report of more than one month gives each month's recommendations and practice
        # standards under that month (the months with something written), not the last
        # month's under the whole period.
        "narrative_months": {
            section.value: [
                {"name": month_label(month), "text": by_month[month][section.value]}
                for month in months_between(from_month, to_month)
                if by_month.get(month, {}).get(section.value)
            ]
            if from_month != to_month
            else []
            for section in (Section.RECOMMENDATIONS, Section.STANDARDS)
        },
        "compliance": {
            "since_start": {
                "headline": sections.published_headline(
                    since_start, tables["compliance_since_start"]
                ),
                "audits": since_start.totals.audits.as_json(),
                "reaudits": since_start.totals.reaudits.as_json(),
            },
            "period": {
                "headline": sections.published_headline(period, tables["compliance_period"]),
                "audits": period.totals.audits.as_json(),
                "reaudits": period.totals.reaudits.as_json(),
            },
        },
        "judgements": {
            "months": chart_months,
            "period_counts": period_counts,
            "period_total": period_total,
            "period_percent": [sections.shown_percent(c, period_total) for c in period_counts],
            "inadequate": sections.inadequate_sentence(period_judged),
            "period_sentence": sections.period_grades_sentence(label, period_counts, period_total),
            "grades": [{"value": g.value, "label": g.label, "colour": g.colour} for g in ORDER],
        },
        "themes": themes,
        "domains": domains,
        "feedback": {
            **feedback,
            "strengths": sections.quotes(exemplars, ExemplarKind.STRENGTH),
            "improvements": sections.quotes(exemplars, ExemplarKind.IMPROVEMENT),
        },
        "reflection": {
            # A council figure standing alone: hidden from 1 to 5, like every count here.
            "sheets": suppress_count(reflections),
            "questions": [
                {
                    "key": question.value,
                    "label": question.label,
                    "quotes": [
                        e["text"]
                        for e in exemplars
                        if e["kind"] == ExemplarKind.REFLECTION and e["question"] == question
                    ],
                }
                for question in ReflectionQuestion
            ],
        },
        "moderation": moderation,
        "definitions": definitions.as_data(),
        "tables": tables,
    }


def _author(user) -> dict[str, str]:
    if user is None:
        return {"name": "Quality Assurance Service", "email": ""}
    return {"name": user.display_name, "email": user.email}


def ordered_tables(data: HighlightData) -> list[Table]:
    return [data["tables"][name] for name in TABLE_ORDER if name in data["tables"]]
