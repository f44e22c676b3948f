"""Background work for reports: publishing (two builds and eight files, the PDFs the slowest)
runs here, not in the web request, and counts its steps for the publishing page. One task for
every kind of report (``actions.PUBLISHERS``): a highlight report, a thematic overview report
or a select-committee pack."""

import functools
import logging

from django.core.exceptions import ValidationError
from django_tasks import task

from caseaudit.reports import actions
from caseaudit.reports.choices import ReportStatus

logger = logging.getLogger(__name__)


@task()
def publish_in_background(report_id: int, which: str = actions.HIGHLIGHT) -> str:
    publisher = actions.PUBLISHERS.get(which)
    if publisher is None:
        return "nothing to publish"
    report = (
        publisher.model.objects.select_related("council", "created_by", "publish_queued_by")
        .filter(pk=report_id)
        .first()
    )
    if report is None or report.status != ReportStatus.DRAFT or report.publish_queued_by is None:
        return "nothing to publish"
    try:
        publisher.publish(
            report,
            by=report.publish_queued_by,
            progress=functools.partial(actions.publication_progress, report_id, which=which),
        )
    except ValidationError as error:
        # Refused (published meanwhile by another request, or the person lost the role).
        actions.publication_failed(report_id, " ".join(error.messages), which)
        return "refused"
    except Exception:
        logger.exception("Report %s (%s) could not be published", report_id, which)
        actions.publication_failed(report_id, actions.PUBLISH_FAILED, which)
        return "failed"
    return "published"
