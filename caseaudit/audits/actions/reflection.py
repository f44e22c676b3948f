"""The reflection meeting: after the audit, the auditor and the social worker talk it through
on seed 003's four-question sheet; the social worker can then add their own response."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from caseaudit.accounts import permissions
from caseaudit.accounts.models import User
from caseaudit.audits import permissions as rules
from caseaudit.audits.actions import notify
from caseaudit.audits.models import Audit, ReflectionSheet
from caseaudit.core import clock, versioning
from caseaudit.core.history import record_change, snapshot

QUESTIONS = ("went_well", "challenges", "tools_needed", "do_differently")
MISSING = {
    "went_well": "Enter what went well",
    "challenges": "Enter what the challenges were",
    "tools_needed": "Enter whether they have the tools they need",
    "do_differently": "Enter what they would do differently",
}


CHANGED_SINCE_OPENED = (
    "The reflection was changed by someone else since you opened this page. Your changes "
    "have not been saved. What you typed is still in the form, and what is saved now is shown "
    "above it: check both, then save again."
)


class ChangedSinceOpened(versioning.ChangedSinceOpened):
    def __init__(self):
        super().__init__(CHANGED_SINCE_OPENED)


@transaction.atomic
def record_reflection(
    audit: Audit,
    *,
    met_on: datetime.date | None,
    by,
    lock_version: int | None = None,
    **answers,
) -> ReflectionSheet:
    """The sheet for a submitted audit, written once and then corrected in place (history
    keeps each version).

    From a form, ``lock_version`` is the sheet's version when the form was loaded (0 if there
    was no sheet yet): if anyone has saved since, ``ChangedSinceOpened`` and nothing is
    written. None skips the check, for callers that edit no form (the demo replay)."""
    audit = Audit.objects.select_related("worker").get(pk=audit.pk)
    rules.RECORD_REFLECTION.check(by, audit)
    cleaned = {name: (answers.get(name) or "").strip() for name in QUESTIONS}
    problems = {name: MISSING[name] for name, value in cleaned.items() if not value}
    if met_on is None:
        problems["met_on"] = "Enter the date of the reflection meeting"
    elif met_on > clock.today():
        problems["met_on"] = "The date of the meeting must be today or in the past"
    elif audit.submitted_at and met_on < timezone.localdate(audit.submitted_at):
        problems["met_on"] = "The date of the meeting must be on or after the audit was submitted"
    if problems:
        raise ValidationError(problems)
    sheet = ReflectionSheet.objects.filter(audit=audit).first()
    if sheet is None and lock_version:
        raise ChangedSinceOpened()  # there was a sheet when the form was loaded
    if sheet is None:
        try:
            with transaction.atomic():
                sheet = ReflectionSheet.objects.create(
                    audit=audit, met_on=met_on, recorded_by=by, **cleaned
                )
        except IntegrityError:
            raise ChangedSinceOpened() from None  # another first write won the race
        record_change(sheet, by=by, action="created")
        if audit.worker_id:
            notify.tell(
                _worker_users(audit),
                "Your case reflection has been written up",
                "The notes of your case reflection meeting are ready. You can add your response.",
            )
        return sheet
    if lock_version is None:
        lock_version = sheet.lock_version
    if not versioning.claim(ReflectionSheet.objects.all(), sheet.pk, lock_version):
        raise ChangedSinceOpened()
    sheet.lock_version = lock_version + 1
    before = snapshot(sheet, fields=["met_on", *QUESTIONS])
    for name, value in {"met_on": met_on, **cleaned}.items():
        setattr(sheet, name, value)
    sheet.save(update_fields=["met_on", *QUESTIONS])
    record_change(
        sheet, by=by, action="changed", before=before, after=snapshot(sheet, fields=list(before))
    )
    return sheet


def _worker_users(audit: Audit):
    return User.objects.filter(worker_id=audit.worker_id, is_active=True).select_related("worker")


@transaction.atomic
def respond(sheet: ReflectionSheet, *, response: str, by) -> ReflectionSheet:
    """The social worker's own words, beside the auditor's notes."""
    if not permissions.can_respond_to_reflection(by, sheet.audit):
        raise PermissionDenied("Only the social worker whose case was audited can respond.")
    response = (response or "").strip()
    if not response:
        raise ValidationError({"response": "Enter your response"})
    before = snapshot(sheet, fields=["worker_response", "responded_at"])
    sheet.worker_response, sheet.responded_at = response, clock.now()
    sheet.save(update_fields=["worker_response", "responded_at"])
    record_change(
        sheet,
        by=by,
        action="changed",
        before=before,
        after=snapshot(sheet, fields=["worker_response", "responded_at"]),
        reason="Social worker's response",
    )
    return sheet
