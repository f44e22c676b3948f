"""The self-evaluation ("know ourselves") for one judgement area and period (issue 15 item 4),
published as a report: the live page's three questions (``inspection.self_evaluation``),
built as a ``reports.document`` so every format renders it.

What is published and what is not: every count (overall judgements by month and by service,
a domain's grades, a thematic audit's ratings, feedback received) goes through
``core.suppression``; the overall judgements by month and by service break the same cohort
down two ways and are suppressed together. Indicators are read as those who see aggregates
only are shown them on their own page (``performance.published``). Recommendations, actions
and findings are published as written, with any sampled child's LA child ID taken out of a
finding; no child, worker or action owner is named, and no feedback text is read. Each claim
cites its evidence (E1, E2…), listed under "How do we know?" with the page it comes from, the
date it speaks for, its age and whether it is stale. The internal edition is the same build
inside ``core.suppression.unsuppressed``, every figure exact.
"""

import datetime

from caseaudit.core import clock
from caseaudit.core.grades import ORDER
from caseaudit.core.months import month_key, month_label
from caseaudit.core.suppression import suppress_breakdowns, unsuppressed
from caseaudit.inspection import evidence as reading
from caseaudit.inspection import self_evaluation
from caseaudit.inspection.models import JudgementArea
from caseaudit.reports import document
from caseaudit.reports.choices import Edition, ReportKind
from caseaudit.reports.definitions import SUPPRESSED_NOTE
from caseaudit.reports.sections import redact_child
from caseaudit.thematic.choices import SampleStatus
from caseaudit.thematic.models import SampledChild

QUESTIONS = (
    "What do we know about the quality and impact of practice?",
    "How do we know?",
    "What will we do in the next 12 months?",
)
GRADE_LABELS = [grade.label for grade in ORDER]

DEFINITIONS = (
    (
        "Overall judgement",
        "The auditor's overall grade of a completed audit of the monthly programme, on the "
        "Ofsted four-point scale, counted in the month the audit belongs to (re-audits count "
        "in compliance only), as the audit highlight report counts it.",
    ),
    (
        "Cohort",
        "The children whose audits speak for this judgement area: those of the services named "
        "in the report (every service where the area is about none in particular).",
    ),
    (
        "Evidence (E1, E2…)",
        "Each claim names the evidence it rests on; the evidence table says where in caseaudit "
        "it is, the date it speaks for and how old it is.",
    ),
    (
        "Stale",
        f"Evidence speaking for a time more than {reading.STALE_AFTER_MONTHS} months before "
        "the report: what it shows may no longer be so.",
    ),
    ("RAG", "The recommendation's progress as the QA lead last confirmed it."),
    ("c", SUPPRESSED_NOTE),
)


def build_self_evaluation(
    council,
    area_id: int,
    from_month: datetime.date,
    to_month: datetime.date,
    *,
    today: datetime.date | None = None,
    edition: str = Edition.PUBLIC,
) -> document.DocumentData:
    today = today or clock.today()
    area = JudgementArea.objects.for_council(council.pk).get(pk=area_id)
    if edition == Edition.INTERNAL:
        with unsuppressed():
            data = _build(council, area, from_month, to_month, today, aggregates_only=False)
        return {**data, "edition": Edition.INTERNAL.value, "title": data["title"] + " (internal)"}
    return _build(council, area, from_month, to_month, today, aggregates_only=True)


def _build(council, area, from_month, to_month, today, *, aggregates_only) -> dict:
    built = self_evaluation.build(
        council,
        area,
        None,
        today=today,
        from_month=from_month,
        to_month=to_month,
        aggregates_only=aggregates_only,
    )
    clean = _redactor(built)
    sections = [
        document.section(
            "Summary",
            [
                document.paragraph(
                    f"{council.name}'s self-evaluation for '{area.name}', "
                    f"{built.period_label}, in answer to three questions: " + " ".join(QUESTIONS)
                ),
                document.facts(
                    [
                        ("Judgement area", area.name),
                        ("Period", built.period_label),
                        ("Cohort", built.cohort),
                        ("Recommendations answering to this area", str(len(built.recommendations))),
                        ("Pieces of evidence", str(len(built.sources))),
                        (
                            f"Evidence older than {reading.STALE_AFTER_MONTHS} months",
                            str(built.stale),
                        ),
                    ]
                ),
            ],
        ),
        _what_we_know(built, clean),
        _how_we_know(built, clean),
        _what_we_will_do(built, today),
    ]
    return {
        "kind": ReportKind.SELF_EVALUATION.value,
        "edition": Edition.PUBLIC.value,
        "title": f"Self-evaluation: {area.name} – {built.period_label}",
        "subject": "Know ourselves: self-evaluation for one inspection judgement area",
        "slug": f"self-evaluation-{area.pk}-{month_key(from_month)}-to-{month_key(to_month)}",
        "council": council.name,
        "as_at": f"{today:%-d %B %Y}",
        "built_at": clock.now().isoformat(),
        "today": today.isoformat(),
        "introduction": [
            "What the council knows about the quality and impact of its practice in this "
            "judgement area, from its casework (audits, thematic audits, family feedback) and "
            "its indicators; how it knows, each claim with the evidence it rests on; and what "
            "it will do in the next 12 months.",
            "Small numbers are not shown: " + SUPPRESSED_NOTE,
        ],
        "sections": document.numbered(sections),
        "definitions": [{"term": term, "meaning": meaning} for term, meaning in DEFINITIONS],
    }


def _cite(source) -> str:
    return source.key + (" (stale)" if source.stale else "")


def _grades_tables(built) -> list[document.Block]:
    """The cohort's overall judgements by month and by service, suppressed together."""
    by_month = [row.counts for row in built.by_month]
    by_service = [row.counts for row in built.by_service] or [[0] * len(ORDER)]
    months, services = suppress_breakdowns([by_month, by_service], columns=len(ORDER))
    cite = _cite(built.judgements_source)
    total = built.judgements
    share = "–" if total.good_or_better is None else f"{total.good_or_better}%"
    blocks = [
        document.paragraph(
            f"Overall judgements of the cohort's audits, {built.period_label}: "
            f"{months.grand_total} audits judged"
            + (
                f", {share} good or better; {built.direction}."
                if months.grand_total == total.total and total.total
                else "."
            )
            + f" [{cite}]"
        ),
        document.table(
            {
                "title": f"Overall judgements by month, {built.period_label} [{cite}]",
                "sheet": "Judgements by month",
                "columns": ["Month", *GRADE_LABELS, "Total"],
                "rows": [
                    [row.label, *cells, row_total]
                    for row, cells, row_total in zip(
                        built.by_month, months.cells, months.row_totals, strict=True
                    )
                ],
                "total": ["Total", *months.column_totals, months.grand_total],
                "suppressed": True,
            }
        ),
    ]
    if built.by_service:
        blocks.append(
            document.table(
                {
                    "title": f"Overall judgements by service, {built.period_label} [{cite}]",
                    "sheet": "Judgements by service",
                    "columns": ["Service", *GRADE_LABELS, "Total"],
                    "rows": [
                        [row.label, *cells, row_total]
                        for row, cells, row_total in zip(
                            built.by_service, services.cells, services.row_totals, strict=True
                        )
                    ],
                    "total": ["Total", *services.column_totals, services.grand_total],
                    "suppressed": True,
                }
            )
        )
    return blocks


def _domain_table(built) -> document.Block:
    rows = []
    for claim in built.domains:
        grades = claim.shown.domain
        shown = suppress_breakdowns([[grades.counts]], columns=len(ORDER))[0]
        exact = shown.grand_total == grades.total
        share = grades.good_or_better if exact and grades.total else None
        rows.append(
            [
                f"{grades.title}, {month_label(grades.from_month)} to "
                f"{month_label(grades.to_month)}",
                *shown.cells[0],
                shown.grand_total,
                "–" if share is None else f"{share}%",
                grades.direction if exact else "Not shown",
                _cite(claim.source),
            ]
        )
    return document.table(
        {
            "title": "Audit domains linked to the recommendations",
            "sheet": "Audit domains",
            "columns": [
                "Domain and period",
                *GRADE_LABELS,
                "Grades given",
                "Good or better",
                "Trend",
                "Evidence",
            ],
            "rows": rows,
            "suppressed": True,
            "empty_text": "No audit domain is linked to this area's recommendations.",
        }
    )


def _redactor(built):
    """Takes out of the leads' text any LA child ID sampled by the thematic audits whose
    findings are cited, in case one was left in (as the thematic overview report does)."""
    audit_ids = {claim.shown.evidence.finding.thematic_audit_id for claim in built.findings}
    child_ids = (
        list(
            SampledChild.objects.filter(
                sample__thematic_audit__in=audit_ids, sample__status=SampleStatus.CONFIRMED
            ).values_list("la_child_id", flat=True)
        )
        if audit_ids
        else []
    )

    def clean(text: str) -> str:
        for child_id in child_ids:
            text = redact_child(text, child_id)
        return text

    return clean


def _thematic(built, clean) -> list[document.Block]:
    rows = []
    for claim in built.thematic_audits:
        ratings = suppress_breakdowns(
            [[[n] for _label, n in claim.ratings]], rows_add_up=False, columns=1
        )[0]
        rows.append(
            [
                claim.shown.evidence.thematic_audit.title,
                claim.shown.detail,
                *(cells[0] for cells in ratings.cells),
                ratings.column_totals[0],
                _cite(claim.source),
            ]
        )
    findings = []
    for claim in built.findings:
        finding = claim.shown.evidence.finding
        text = clean(finding.summary)
        findings.append(
            f"{finding.get_kind_display()}: {text} (from '{finding.thematic_audit.title}') "
            f"[{_cite(claim.source)}]"
        )
    return [
        document.table(
            {
                "title": "Thematic audits linked to the recommendations, and their overall "
                "judgements",
                "sheet": "Thematic audits",
                "columns": ["Thematic audit", "Status", *GRADE_LABELS, "Audits", "Evidence"],
                "rows": rows,
                "suppressed": True,
                "empty_text": "No thematic audit is linked to this area's recommendations.",
            }
        ),
        document.paragraph("Thematic findings"),
        document.bullets(findings or ["No thematic finding is linked."]),
    ]


def _feedback(built) -> list[document.Block]:
    shown = suppress_breakdowns(
        [[[n] for _label, n in built.feedback]], rows_add_up=False, columns=1
    )[0]
    cite = _cite(built.feedback_source)
    return [
        document.table(
            {
                "title": f"Family and partner feedback gathered in the cohort's audits, "
                f"{built.period_label} [{cite}]",
                "sheet": "Feedback",
                "columns": ["Feedback from", "Received"],
                "rows": [
                    [label, cells[0]]
                    for (label, _n), cells in zip(built.feedback, shown.cells, strict=True)
                ],
                "total": ["Total", shown.column_totals[0]],
                "suppressed": True,
            }
        )
    ]


def _indicator_row(claim) -> list:
    found = claim.shown.indicator
    if found is None:
        return [claim.shown.title, "–", "–", claim.shown.detail, "", _cite(claim.source)]
    latest = "No case data yet" if found.latest is None else found.latest_shown
    if found.latest_on:
        latest += f" at {found.latest_on:%-d %B %Y}"
    benchmarks = "; ".join(f"{label} ({year}): {value}" for label, year, value in claim.benchmarks)
    return [
        found.indicator.name,
        latest,
        found.target_shown,
        found.trend.capitalize(),
        benchmarks or "None entered",
        _cite(claim.source),
    ]


def _what_we_know(built, clean) -> document.Section:
    blocks: list[document.Block] = [
        document.paragraph(
            "From casework first: the audits of the cohort, the thematic audits and family "
            "feedback; then the indicators."
        )
    ]
    if not built.from_casework:
        blocks.append(
            document.paragraph(
                "No casework evidence is counted for this area and period: what follows rests "
                "on indicators alone."
            )
        )
    blocks += _grades_tables(built)
    blocks.append(_domain_table(built))
    blocks += _thematic(built, clean)
    blocks += _feedback(built)
    blocks.append(
        document.table(
            {
                "title": "Indicators against their targets and benchmarks",
                "sheet": "Indicators",
                "columns": ["Indicator", "Latest", "Target", "Trend", "Benchmarks", "Evidence"],
                "rows": [_indicator_row(claim) for claim in built.indicators],
                "empty_text": "No indicator is linked to this area's recommendations.",
            }
        )
    )
    return document.section(QUESTIONS[0], blocks)


def _how_we_know(built, clean) -> document.Section:
    return document.section(
        QUESTIONS[1],
        [
            document.paragraph(
                "Every claim above names its evidence. Each piece is read from caseaudit when "
                "the report is built, from the page named here; evidence more than "
                f"{reading.STALE_AFTER_MONTHS} months old is marked stale."
            ),
            document.table(
                {
                    "title": "Evidence",
                    "sheet": "Evidence",
                    "columns": ["Evidence", "What it is", "Where it is", "Speaks for", "Age"],
                    "rows": [
                        [
                            source.key,
                            clean(source.title),
                            source.link,
                            "–" if source.as_of is None else f"{source.as_of:%-d %B %Y}",
                            source.age + (" (stale)" if source.stale else ""),
                        ]
                        for source in built.sources
                    ],
                    "empty_text": "No evidence.",
                }
            ),
        ],
    )


def _what_we_will_do(built, today) -> document.Section:
    rows = []
    for plan in built.plans:
        recommendation = plan.recommendation
        measures = "; ".join(
            f"{claim.shown.indicator.indicator.name}: target {claim.shown.indicator.target_shown}"
            f", latest {claim.shown.indicator.latest_shown}, {claim.shown.indicator.trend} "
            f"[{_cite(claim.source)}]"
            for claim in plan.measures
        )
        rows.append(
            [
                f"{recommendation.number}. {recommendation.text}",
                (recommendation.confirmed_rag or "Not yet set").capitalize(),
                measures or "No indicator linked",
            ]
        )
    actions = [
        [
            f"{action.recommendation.number}",
            action.action,
            f"{action.due_date:%-d %B %Y}",
            "Overdue" if action.due_date < today else action.get_status_display(),
        ]
        for action in built.open_actions
    ]
    return document.section(
        QUESTIONS[2],
        [
            document.table(
                {
                    "title": "Recommendations still to answer, their RAG and how close their "
                    "targets are",
                    "sheet": "Recommendations",
                    "columns": ["Recommendation", "RAG", "Target, latest value and trend"],
                    "rows": rows,
                    "empty_text": "Every recommendation of this area is answered.",
                }
            ),
            document.table(
                {
                    "title": "Open actions and when they are due",
                    "sheet": "Actions",
                    "columns": ["Recommendation", "Action", "Due", "Progress"],
                    "rows": actions,
                    "empty_text": "No action is open.",
                }
            ),
        ],
    )
