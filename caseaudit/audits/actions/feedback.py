"""Feedback about the help a family had, from a parent, child, carer or partner agency,
linked to the audit of that child. Quotes go into reports only with consent to share."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from caseaudit.audits import permissions as rules
from caseaudit.audits.choices import FeedbackFrom, FeedbackMethod
from caseaudit.audits.models import Audit, Feedback
from caseaudit.core import clock
from caseaudit.core.history import record_change


@transaction.atomic
def record_feedback(
    audit: Audit,
    *,
    given_by: str,
    method: str,
    given_on: datetime.date | None,
    agency: str = "",
    what_was_good: str = "",
    could_be_better: str = "",
    quote: str = "",
    consent_to_share: bool = False,
    by,
) -> Feedback:
    audit = Audit.objects.get(pk=audit.pk)
    rules.RECORD_FEEDBACK.check(by, audit)
    agency, quote = (agency or "").strip(), (quote or "").strip()
    what_was_good, could_be_better = (what_was_good or "").strip(), (could_be_better or "").strip()
    problems = {}
    if given_by not in FeedbackFrom.values:
        problems["given_by"] = "Select who gave the feedback"
    elif given_by == FeedbackFrom.PARTNER and not agency:
        problems["agency"] = "Enter the name of the partner agency"
    if method not in FeedbackMethod.values:
        problems["method"] = "Select how the feedback was given"
    if given_on is None:
        problems["given_on"] = "Enter the date the feedback was given"
    elif given_on > clock.today():
        problems["given_on"] = "The date the feedback was given must be today or in the past"
    if not (what_was_good or could_be_better or quote):
        problems["what_was_good"] = "Enter what was good, what could be better, or a quote"
    if problems:
        raise ValidationError(problems)
    feedback = Feedback.objects.create(
        audit=audit,
        given_by=given_by,
        agency=agency if given_by == FeedbackFrom.PARTNER else "",
        method=method,
        given_on=given_on,
        what_was_good=what_was_good,
        could_be_better=could_be_better,
        quote=quote,
        # A quote without consent is kept for the audit, never shown in a report.
        consent_to_share=bool(consent_to_share),
        recorded_by=by,
    )
    record_change(feedback, by=by, action="created")
    return feedback
