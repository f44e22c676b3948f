"""Background work for highlight reports: publishing (two builds and eight files, the PDFs the
slowest) runs here, not in the web request, and counts its steps for the publishing page."""

import functools
import logging

from django.core.exceptions import ValidationError
from django_tasks import task

from caseaudit.reports import actions
from caseaudit.reports.choices import ReportStatus
from caseaudit.reports.models import HighlightReport

logger = logging.getLogger(__name__)


@task()
def publish_in_background(report_id: int) -> str:
    report = (
        HighlightReport.objects.select_related("council", "created_by", "publish_queued_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.status != ReportStatus.DRAFT or report.publish_queued_by is None:
        return "nothing to publish"
    try:
        actions.publish_report(
            report,
            by=report.publish_queued_by,
            progress=functools.partial(actions.publication_progress, report_id),
        )
    except ValidationError as error:
        # Refused (published meanwhile by another request, or the person lost the role).
        actions.publication_failed(report_id, " ".join(error.messages))
        return "refused"
    except Exception:
        logger.exception("Report %s could not be published", report_id)
        actions.publication_failed(report_id, actions.PUBLISH_FAILED)
        return "failed"
    return "published"
