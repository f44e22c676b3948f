"""How a highlight report's status may move (``core.transitions``): a draft is published once."""

from caseaudit.core.transitions import Transitions
from caseaudit.reports.choices import ReportStatus

REPORT = Transitions(
    allowed_from={ReportStatus.PUBLISHED: (ReportStatus.DRAFT,)},
    done={ReportStatus.PUBLISHED: "published"},
    subject=lambda report: "This report",
)
