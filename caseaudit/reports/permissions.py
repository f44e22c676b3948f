"""What a person may do to a highlight report now: the role rule of ``accounts.permissions``
joined to the report's state (``reports.transitions``), asked by the draft page before it
offers "Publish this report" and by ``actions.publish_report`` (see ``core.guards.Rule``)."""

from django.core.exceptions import ValidationError

from caseaudit.accounts import permissions
from caseaudit.core.guards import Rule
from caseaudit.reports.choices import ReportStatus
from caseaudit.reports.kinds import KINDS
from caseaudit.reports.transitions import REPORT

PUBLISH_REPORT = Rule(
    who=lambda user, report: (
        permissions.can_publish_reports(user) and report.council_id == user.council_id
    ),
    when=lambda report: REPORT.may(report.status, ReportStatus.PUBLISHED),
    not_you="Only the audit and practice standards lead can publish a report.",
    not_now=lambda report: ValidationError("This report has already been published."),
)


def _may_publish_kind(user, report) -> bool:
    return bool(
        KINDS[report.kind].may_prepare(user)
        and report.council_id == user.council_id
        and (report.created_by_id == user.pk or permissions.can_publish_reports(user))
    )


# A thematic overview report or a select-committee pack: whoever may prepare the kind, on
# their own draft (the QA lead on any of the council's).
PUBLISH_KIND_REPORT = Rule(
    who=_may_publish_kind,
    when=lambda report: REPORT.may(report.status, ReportStatus.PUBLISHED),
    not_you="Only the person who started this report, or the QA lead, can publish it.",
    not_now=lambda report: ValidationError("This report has already been published."),
)
