"""Section 9 of the highlight report, beyond seed 003 from data already held: how far
moderators agreed with auditors (the agreement rate and Cohen's kappa), where re-audited cases
moved to, and how many completed audits had a reflection meeting and feedback.

Each part is one query, counted by the audit's reporting month like every figure of the
report (``definitions.REPORTING_MONTH``), and published by ``core.suppression``'s rule: a
count from 1 to 5 is hidden, and so is whatever would give it away from a total.
"""

from django.db.models import Count, Exists, OuterRef, Q

from caseaudit.audits import compliance
from caseaudit.audits.actions.moderation import grade_agreement
from caseaudit.audits.choices import AuditKind
from caseaudit.audits.models import Feedback, ReflectionSheet
from caseaudit.core.grades import ORDER
from caseaudit.core.suppression import SUPPRESSED, suppress_table
from caseaudit.reports.sections import GRADE_LABELS, shown_percent
from caseaudit.reports.structures import Table

# Kappa from fewer pairs than this says more about chance than about the auditors.
MIN_FOR_KAPPA = 20
NO_FIGURE = "–"
# Landis and Koch's words for a kappa, as QA teams usually read it.
KAPPA_WORDS = ((0.8, "strong"), (0.6, "substantial"), (0.4, "moderate"), (0.2, "fair"))


def kappa_words(kappa: float) -> str:
    for floor, words in KAPPA_WORDS:
        if kappa > floor:
            return f"{words} agreement"
    return "weak agreement" if kappa > 0 else "no better than chance"


def _part_of(part: int, whole: int) -> tuple:
    """``part`` of ``whole`` as published: the part hidden where it or the rest is 1 to 5,
    the whole where it is; returns (part, whole) as shown."""
    shown = suppress_table([[part, whole - part]])
    return shown.cells[0][0], shown.row_totals[0]


def moderation(council, from_month, to_month, label: str) -> tuple[dict, Table]:
    agreement = grade_agreement(council, from_month=from_month, to_month=to_month)
    agreed, moderated = _part_of(agreement.agreed, agreement.moderated)
    rate = shown_percent(agreed, moderated)
    kappa = agreement.kappa
    if SUPPRESSED in (agreed, moderated) or agreement.moderated < MIN_FOR_KAPPA or kappa is None:
        kappa = NO_FIGURE
    summary = {"moderated": moderated, "agreed": agreed, "rate": rate, "kappa": kappa}
    if moderated == 0:
        sentence = "No audits counted in the period were moderated."
    elif SUPPRESSED in (agreed, moderated):
        sentence = "Few audits were moderated in the period: the figures are not given."
    else:
        sentence = (
            f"Moderators agreed with the auditor's overall grade in {rate} of the {moderated} "
            "audits moderated"
        )
        sentence += (
            f" (kappa {kappa:.2f}: {kappa_words(kappa)})."
            if kappa != NO_FIGURE
            else f" (too few to give a kappa: it needs {MIN_FOR_KAPPA})."
        )
    summary["sentence"] = sentence
    table: Table = {
        "title": f"Moderation, {label}",
        "sheet": "Moderation",
        "columns": ["Audits", "Moderated", "Moderator agreed", "Agreement rate", "Kappa"],
        "rows": [["Audits counted in the period", moderated, agreed, rate, kappa]],
        "suppressed": True,
    }
    return summary, table


def reaudit_movement(council, from_month, to_month, label: str) -> Table:
    """Completed re-audits of the period by the grade of the audit they followed up (rows) and
    their own grade (columns)."""
    grades = [grade.value for grade in ORDER]
    grouped = (
        compliance.counted_audits(council, from_month=from_month, to_month=to_month)
        .filter(
            compliance.COMPLETED,
            kind=AuditKind.REAUDIT,
            overall_grade__in=grades,
            reaudit_of__overall_grade__in=grades,
        )
        .values("reaudit_of__overall_grade", "overall_grade")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {grade: [0] * len(grades) for grade in grades}
    for row in grouped:
        counts[row["reaudit_of__overall_grade"]][grades.index(row["overall_grade"])] = row["n"]
    kept = [(grade, counts[grade.value]) for grade in ORDER if any(counts[grade.value])]
    table: Table = {
        "title": f"Re-audit grade movement, {label}",
        "sheet": "Re-audit movement",
        "columns": ["Grade at first audit", *GRADE_LABELS, "Re-audits judged"],
        "rows": [],
    }
    if not kept:
        return {**table, "empty": True, "empty_text": "No re-audits were judged in this period."}
    shown = suppress_table([row for _, row in kept], columns=len(ORDER))
    return {
        **table,
        "rows": [
            [f"From {grade.label}", *cells, total]
            for (grade, _), cells, total in zip(kept, shown.cells, shown.row_totals, strict=True)
        ],
        "total": ["All re-audits", *shown.column_totals, shown.grand_total],
        "suppressed": True,
    }


def coverage(council, from_month, to_month, label: str, completed_shown) -> Table:
    """Reflection meetings and feedback as shares of the audits completed in the period.
    ``completed_shown`` is that figure as the programme table shows it: where it is hidden
    there, these figures are hidden too, since they would bound it."""
    figures = (
        compliance.counted_audits(council, from_month=from_month, to_month=to_month)
        .filter(compliance.COMPLETED, kind=AuditKind.AUDIT)
        .aggregate(
            completed=Count("pk"),
            reflected=Count(
                "pk", filter=Q(Exists(ReflectionSheet.objects.filter(audit=OuterRef("pk"))))
            ),
            with_feedback=Count(
                "pk", filter=Q(Exists(Feedback.objects.filter(audit=OuterRef("pk"))))
            ),
        )
    )
    rows = []
    for name, part in (
        ("Reflection meeting recorded", figures["reflected"]),
        ("Feedback received", figures["with_feedback"]),
    ):
        if completed_shown == SUPPRESSED:
            shown_part, shown_whole = SUPPRESSED, SUPPRESSED
        else:
            shown_part, shown_whole = _part_of(part, figures["completed"])
        rows.append([name, shown_whole, shown_part, shown_percent(shown_part, shown_whole)])
    return {
        "title": f"Reflection and feedback coverage, {label}",
        "sheet": "Coverage",
        "columns": ["Follow-up", "Audits completed", "With it", "Coverage"],
        "rows": rows,
        "suppressed": True,
    }
