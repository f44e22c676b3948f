"""What the report's words and figures mean, as ``audits.compliance`` and ``reports.sections``
count them: one list, which every format prints (a section of the page, PDF and Word; a sheet
of the Excel workbook) and a published report keeps with its figures."""

from caseaudit.core.suppression import SUPPRESSED, THRESHOLD

SUPPRESSED_NOTE = (
    f"{SUPPRESSED}: a count from 1 to {THRESHOLD}, or a figure that would give one away, is not "
    "shown."
)
# The one date basis, stated once and quoted by the terms that depend on it.
REPORTING_MONTH = (
    "Every figure counts by the audit's reporting month: an audit of the programme counts in "
    "its programme month, a re-audit in the month it is due. A reflection meeting, a piece of "
    "feedback or a moderation counts in the reporting month of the audit it belongs to, "
    "whenever it was recorded."
)

DEFINITIONS: tuple[tuple[str, str], ...] = (
    ("Reporting month", REPORTING_MONTH),
    (
        "Allocated",
        "Audits allocated to an auditor for the month, whatever became of them, except those "
        "cancelled (a case closed or sampled in error).",
    ),
    ("Completed", "Allocated audits the auditor submitted (moderated ones included)."),
    (
        "Exempted",
        "Allocated audits a manager's approved exemption took out of the month's work. They "
        "stay in Allocated and are not Completed.",
    ),
    (
        "Overdue",
        "Allocated audits not yet submitted whose due date (after any approved extension) has "
        "passed on the day the report was built (the 'as at' date).",
    ),
    (
        "Compliance",
        "Completed ÷ allocated, as a whole percentage rounded half up, counting an exempted "
        "audit as not completed. Compliance without approved exemptions leaves them out of "
        "both: completed ÷ (allocated − exempted).",
    ),
    ("Audits judged", "Completed audits (not re-audits) given an overall grade."),
    (
        "Outstanding, Good, Requires improvement, Inadequate",
        "The overall grade the auditor gave. Where a moderator graded differently, the "
        "auditor's grade is still the one counted; moderation is reported on its own.",
    ),
    ("Good or better", "The share of judged audits graded Outstanding or Good."),
    (
        "Light-touch month",
        "A month audited with the light-touch tool (a RAG rating and a management-oversight "
        "check, used while the full programme was paused): its audits have no overall grade, "
        "so the report gives their RAG ratings instead.",
    ),
    (
        "Agreement rate",
        "Of the audits moderated (a moderator's overall grade recorded), the share where the "
        "moderator's overall grade was the auditor's.",
    ),
    (
        "Kappa",
        "Cohen's kappa: agreement between auditor and moderator beyond what chance would give "
        "(1 is full agreement, 0 no better than chance). Given from 20 moderated audits; below "
        "0.4 is usually read as weak, 0.4 to 0.6 moderate, 0.6 to 0.8 substantial, above 0.8 "
        "strong.",
    ),
    (
        "Re-audit grade movement",
        "Completed re-audits of the period with an overall grade, by the grade of the audit "
        "they followed up and the grade the re-audit gave.",
    ),
    (
        "Reflection and feedback coverage",
        "Of the audits completed in the period, the share with a reflection meeting recorded, "
        "and the share with at least one piece of feedback from the family, the child or a "
        "partner agency.",
    ),
    (SUPPRESSED, SUPPRESSED_NOTE),
    ("–", "No figure: nothing to divide by, or too few to say."),
)


def as_data() -> list[dict[str, str]]:
    return [{"term": term, "meaning": meaning} for term, meaning in DEFINITIONS]
