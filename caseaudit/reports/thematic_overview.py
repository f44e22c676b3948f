"""The thematic overview report (issue 13 item 5; seeds 000 and 001): the thematic audits a
lead chose, each with its cohort's profile, its sample and how it was drawn, the overall
judgements its audits gave, its key findings and recommendations, its action plan and how far
each action has got; then the council's forward plan of thematic work.

Built as a ``reports.document`` (every format renders it). What is published and what is
not: counts about children (the cohort's profile, the sample, the judgements) go through
``core.suppression``; the cohort's profile tables break the same cohort down six ways and are
suppressed together, so a cohort size hidden in one is hidden in all. The lead's findings,
recommendations and actions are published as written for publication, with any sampled
child's LA child ID taken out; a consultation's notes, the children sampled, their workers and
the audits' own answers are never read here. Findings still only identified (not confirmed)
or dismissed are not published. Action counts are counts of the plan's actions, not of
children, and the plan is listed line by line, so they are shown as counted.

Queries: a fixed number for the chosen audits together (samples, judgements, findings,
recommendations, actions, sampled IDs, the forward plan), and for each chosen audit with a
cohort its profile (``cases.cohorts.profile``: seven), however many children, audits,
findings or actions there are.
"""

import datetime
import functools

from django.db.models import BooleanField, Count, ExpressionWrapper

from caseaudit.cases.cohorts import conditions_from_data, evaluate, profile
from caseaudit.core import clock
from caseaudit.core.dates import govuk_date
from caseaudit.core.suppression import suppress_breakdowns, suppress_count, unsuppressed
from caseaudit.reports import document
from caseaudit.reports.choices import Edition, ReportKind
from caseaudit.reports.definitions import SUPPRESSED_NOTE
from caseaudit.reports.sections import redact_child
from caseaudit.thematic.choices import (
    ActionStatus,
    FindingKind,
    FindingStatus,
    SampleMethod,
    SampleStatus,
    ThematicStatus,
)
from caseaudit.thematic.models import (
    Finding,
    PlanAction,
    Recommendation,
    SampledChild,
    ThematicAudit,
    ThematicSample,
)
from caseaudit.thematic.querysets import overdue_q, rating_distributions

PUBLISHED_FINDINGS = FindingStatus.confirmed()
# How far an action has got, as the report says it: "overdue" is derived (never stored).
PROGRESS = ("Done", "In progress", "Overdue", "Not started")

DEFINITIONS = (
    (
        "Cohort",
        "The children the thematic audit is about, defined by conditions over the case data "
        "and counted as at the date its sample was drawn (the latest case data if none was).",
    ),
    (
        "Sample",
        "The children drawn from the cohort to be audited. A random draw records its seed, so "
        "the same draw from the same case data picks the same children.",
    ),
    (
        "Overall judgement",
        "The auditor's overall grade for a completed audit of a sampled child, on the Ofsted "
        "four-point scale.",
    ),
    (
        "Findings",
        "Strengths and areas for improvement the lead confirmed from the audits, "
        "consultations and other evidence. Findings not yet confirmed, or dismissed, are not "
        "published.",
    ),
    (
        "Overdue",
        "An action not done whose due date has passed on the day the figures were counted.",
    ),
    ("c", SUPPRESSED_NOTE),
)


class UnknownAudits(ValueError):
    """Thematic audits asked for that the council does not have."""


def chosen_audits(council, ids: list[int] | None) -> list[ThematicAudit]:
    """The council's thematic audits with ``ids`` (all of them for None), earliest first;
    ``UnknownAudits`` names any id that is not one of the council's."""
    audits = ThematicAudit.objects.filter(council=council).select_related("cohort")
    if ids is not None:
        audits = audits.filter(pk__in=ids)
    found = list(audits.order_by("period_start", "title", "pk"))
    if ids is not None:
        missing = sorted(set(ids) - {audit.pk for audit in found})
        elsewhere = set(ThematicAudit.objects.filter(pk__in=missing).values_list("pk", flat=True))
        problems = [
            f"thematic audit {pk} is another council's"
            if pk in elsewhere
            else f"there is no thematic audit {pk}"
            for pk in missing
        ]
        if problems:
            raise UnknownAudits(
                f"Not one of {council}'s thematic audits: " + "; ".join(problems) + "."
            )
    return found


def build_thematic(
    council,
    audit_ids: list[int] | None,
    *,
    today: datetime.date | None = None,
    edition: str = Edition.PUBLIC,
) -> document.DocumentData:
    """The report on the council's thematic audits ``audit_ids`` (all for None): the public
    edition (small numbers suppressed), or the internal one built by the same code with
    nothing hidden."""
    today = today or clock.today()
    if edition == Edition.INTERNAL:
        with unsuppressed():
            data = _build(council, audit_ids, today)
        return {**data, "edition": Edition.INTERNAL.value, "title": data["title"] + " (internal)"}
    return _build(council, audit_ids, today)


def _build(council, audit_ids, today) -> document.DocumentData:
    audits = chosen_audits(council, audit_ids)
    ids = [audit.pk for audit in audits]
    samples = {
        sample.thematic_audit_id: sample
        for sample in ThematicSample.objects.filter(
            thematic_audit__in=ids, status=SampleStatus.CONFIRMED
        ).annotate(sampled=Count("children"))
    }
    ratings = rating_distributions(ids)
    # Any sampled child's LA child ID is taken out of the lead's text, in case it was left in.
    sampled_ids: dict[int, list[str]] = {}
    for audit_id, child_id in SampledChild.objects.filter(
        sample__thematic_audit__in=ids, sample__status=SampleStatus.CONFIRMED
    ).values_list("sample__thematic_audit", "la_child_id"):
        sampled_ids.setdefault(audit_id, []).append(child_id)
    findings: dict[int, list[Finding]] = {}
    for finding in Finding.objects.filter(thematic_audit__in=ids, status__in=PUBLISHED_FINDINGS):
        findings.setdefault(finding.thematic_audit_id, []).append(finding)
    recommendations: dict[int, list[str]] = {}
    for audit_id, text in Recommendation.objects.filter(thematic_audit__in=ids).values_list(
        "thematic_audit", "text"
    ):
        recommendations.setdefault(audit_id, []).append(text)
    actions: dict[int, list] = {}
    for row in (
        PlanAction.objects.filter(thematic_audit__in=ids)
        .annotate(overdue=ExpressionWrapper(overdue_q(today), output_field=BooleanField()))
        .values_list("thematic_audit", "action", "due_date", "status", "overdue")
        .order_by("due_date", "pk")
    ):
        actions.setdefault(row[0], []).append(row[1:])

    sections = [
        document.section(
            "Summary",
            [
                document.paragraph(
                    f"This report covers {len(audits)} thematic "
                    f"audit{'s' if len(audits) != 1 else ''}: "
                    + "; ".join(audit.title for audit in audits)
                    + "."
                    if audits
                    else "No thematic audits were chosen for this report."
                ),
                document.table(_summary_table(audits, actions)),
            ],
        )
    ]
    for audit in audits:
        clean = functools.partial(_redacted, sampled_ids.get(audit.pk, []))
        sections += _audit_sections(
            council,
            audit,
            samples.get(audit.pk),
            ratings[audit.pk],
            findings.get(audit.pk, []),
            [clean(text) for text in recommendations.get(audit.pk, [])],
            actions.get(audit.pk, []),
            clean,
        )
    sections.append(_forward_plan(council))
    title = f"Thematic overview report – {today:%B %Y}"
    return {
        "kind": ReportKind.THEMATIC.value,
        "edition": Edition.PUBLIC.value,
        "title": title,
        "subject": "Quality assurance and inspection readiness thematic overview",
        "slug": f"thematic-overview-report-{today.isoformat()}",
        "council": council.name,
        "as_at": f"{today:%-d %B %Y}",
        "built_at": clock.now().isoformat(),
        "today": today.isoformat(),
        "introduction": [
            "Findings from the council's thematic audits (deep dives): who each one looked "
            "at, how its sample was drawn, what its audits found, what it recommends and how "
            "far its action plan has got, then the thematic work planned next.",
            "Small numbers are not shown: " + SUPPRESSED_NOTE,
        ],
        "sections": document.numbered(sections),
        "definitions": [{"term": term, "meaning": meaning} for term, meaning in DEFINITIONS],
    }


def _redacted(child_ids: list[str], text: str) -> str:
    for child_id in child_ids:
        text = redact_child(text, child_id)
    return text.strip()


def progress(status: str, overdue: bool) -> str:
    if status == ActionStatus.DONE:
        return PROGRESS[0]
    if overdue:
        return PROGRESS[2]
    return PROGRESS[1] if status == ActionStatus.IN_PROGRESS else PROGRESS[3]


def _summary_table(audits, actions) -> dict:
    rows = []
    for audit in audits:
        shown = [progress(status, overdue) for _a, _d, status, overdue in actions.get(audit.pk, [])]
        rows.append([audit.title, audit.get_status_display(), *(shown.count(p) for p in PROGRESS)])
    return {
        "title": "Thematic audits in this report and their action plans",
        "sheet": "Summary",
        "columns": ["Thematic audit", "Status", *(f"Actions: {p.lower()}" for p in PROGRESS)],
        "rows": rows,
        "empty_text": "No thematic audits were chosen.",
    }


def _profile_tables(council, audit, sample, short: str) -> tuple[list[dict], object]:
    """The cohort's profile as at the sample's date, suppressed together (every table adds up
    to the cohort's size); and the cohort's size as published."""
    if audit.cohort is None:
        return [], None
    evaluation = evaluate(
        council,
        conditions_from_data(audit.cohort.conditions),
        sample.as_at if sample else None,
    )
    tables = profile(evaluation)
    if not tables:
        return [], None
    published = suppress_breakdowns(
        [[[count] for _label, count in table.rows] for table in tables],
        rows_add_up=False,
        columns=1,
    )
    cohort_size = published[0].column_totals[0]
    shown = []
    for table, found in zip(tables, published, strict=True):
        shown.append(
            {
                "title": f"{audit.title}: cohort by {table.title.lower()}",
                "sheet": f"{short} {table.title}",
                "columns": [table.title, "Children"],
                "rows": [
                    [label, cells[0]]
                    for (label, _n), cells in zip(table.rows, found.cells, strict=True)
                ],
                "total": ["Cohort", cohort_size],
                "suppressed": True,
                "empty_text": "No child is in the cohort.",
            }
        )
    return shown, cohort_size


def _how_drawn(sample) -> str:
    method = SampleMethod(sample.method)
    size = suppress_count(sample.size or 0)
    match method:
        case SampleMethod.ALL:
            return "Every child in the cohort with an allocated team"
        case SampleMethod.RANDOM_N:
            return f"{size} children at random"
        case SampleMethod.RANDOM_PERCENT:
            return f"{sample.size}% of the cohort at random"
        case _:
            group = method.label.rsplit(" ", 1)[-1]
            return f"{size} at random from each {group}"


def _audit_sections(council, audit, sample, ratings, findings, recommendations, actions, clean):
    short = f"T{audit.pk}"
    profile_tables, cohort_size = _profile_tables(council, audit, sample, short)
    about = [
        ("Status", audit.get_status_display()),
        ("Period", f"{audit.period_start:%-d %B %Y} to {audit.period_end:%-d %B %Y}"),
        ("Cohort", audit.cohort.name if audit.cohort else "Not chosen yet"),
    ]
    if cohort_size is not None:
        about.append(("Children in the cohort", str(cohort_size)))
    if sample is not None:
        about += [
            ("How the sample was drawn", _how_drawn(sample)),
            ("Case data as at", f"{sample.as_at:%-d %B %Y}"),
            ("Random seed", str(sample.seed)),
            ("Children sampled", str(suppress_count(sample.sampled))),
        ]
    else:
        about.append(("Sample", "Not drawn and confirmed yet"))
    blocks = [document.paragraph(clean(audit.purpose)), document.facts(about)]
    parts = [document.section(audit.title, blocks)]
    if profile_tables:
        parts.append(
            document.section("Cohort profile", [document.table(t) for t in profile_tables], level=3)
        )
    grades = suppress_breakdowns([[[n] for _label, n in ratings]], rows_add_up=False, columns=1)[0]
    parts.append(
        document.section(
            "Overall judgements",
            [
                document.table(
                    {
                        "title": f"{audit.title}: overall judgements of completed audits",
                        "sheet": f"{short} Judgements",
                        "columns": ["Overall judgement", "Audits"],
                        "rows": [
                            [label, cells[0]]
                            for (label, _n), cells in zip(ratings, grades.cells, strict=True)
                        ],
                        "total": ["Completed audits", grades.column_totals[0]],
                        "suppressed": True,
                    }
                )
            ],
            level=3,
        )
    )
    strengths = [f for f in findings if f.kind == FindingKind.STRENGTH]
    improvements = [f for f in findings if f.kind == FindingKind.IMPROVEMENT]
    parts.append(
        document.section(
            "Key findings",
            [
                document.paragraph("Strengths"),
                document.bullets([_finding(f, clean) for f in strengths] or ["None recorded."]),
                document.paragraph("Areas for improvement"),
                document.bullets([_finding(f, clean) for f in improvements] or ["None recorded."]),
            ],
            level=3,
        )
    )
    parts.append(
        document.section(
            "Recommendations",
            [document.bullets(recommendations or ["None recorded."])],
            level=3,
        )
    )
    parts.append(
        document.section(
            "Action plan",
            [
                document.table(
                    {
                        "title": f"{audit.title}: action plan",
                        "sheet": f"{short} Actions",
                        "columns": ["Action", "Due", "Progress"],
                        "rows": [
                            [clean(text), govuk_date(due), progress(status, overdue)]
                            for text, due, status, overdue in actions
                        ],
                        "empty_text": "No actions recorded.",
                    }
                )
            ],
            level=3,
        )
    )
    return parts


def _finding(finding: Finding, clean) -> str:
    text = clean(finding.summary)
    if finding.detail.strip():
        text += f": {clean(finding.detail)}"
    if finding.severity:
        text += f" (severity: {finding.get_severity_display().lower()})"
    return text


def _forward_plan(council) -> document.Section:
    plan = list(
        ThematicAudit.objects.filter(council=council)
        .exclude(status=ThematicStatus.COMPLETE)
        .order_by("period_start", "title")
        .values_list("title", "period_start", "period_end", "status")
    )
    rereviews = list(
        ThematicAudit.objects.filter(
            council=council, status=ThematicStatus.COMPLETE, rereview_due__isnull=False
        )
        .order_by("rereview_due", "title")
        .values_list("title", "rereview_due")
    )
    statuses = dict(ThematicStatus.choices)
    return document.section(
        "Forward plan",
        [
            document.table(
                {
                    "title": "Thematic audits planned and under way",
                    "sheet": "Forward plan",
                    "columns": ["Thematic audit", "From", "To", "Status"],
                    "rows": [
                        [title, govuk_date(start), govuk_date(end), statuses[status]]
                        for title, start, end, status in plan
                    ],
                    "empty_text": "No thematic audits are planned.",
                }
            ),
            document.table(
                {
                    "title": "Re-reviews due",
                    "sheet": "Re-reviews",
                    "columns": ["Thematic audit", "Re-review due"],
                    "rows": [[title, govuk_date(due)] for title, due in rereviews],
                    "empty_text": "No re-reviews are due.",
                }
            ),
        ],
    )
