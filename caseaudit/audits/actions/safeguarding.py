"""Safeguarding alerts: a child an auditor finds at risk, told to their managers at once.

An audit is not the place to wait: the alert goes straight to the child's team manager and
their service manager, by email and on their home pages, and stays there until one of them
records what was done. The alert is about the child, so it is raised from any audit that is
not cancelled, by the auditor or by QA.
"""

from django.core.exceptions import ValidationError
from django.db import transaction

from caseaudit.audits import eligibility
from caseaudit.audits import permissions as rules
from caseaudit.audits.actions import notify
from caseaudit.audits.models import Audit, SafeguardingAlert
from caseaudit.core import clock
from caseaudit.core.history import record_change, snapshot


@transaction.atomic
def raise_alert(audit: Audit, *, concern: str, by) -> SafeguardingAlert:
    audit = Audit.objects.select_related("child").get(pk=audit.pk)
    rules.RAISE_ALERT.check(by, audit)
    concern = (concern or "").strip()
    if not concern:
        raise ValidationError({"concern": "Enter what you are worried about and why"})
    recipients = eligibility.managers_of_case(audit)
    if not recipients:
        # Nobody to tell in the child's line: QA must act, so the alert goes to them.
        recipients = list(notify.qa_leads(audit.council_id))
    alert = SafeguardingAlert.objects.create(audit=audit, concern=concern, raised_by=by)
    alert.recipients.set(recipients)
    record_change(
        alert,
        by=by,
        action="created",
        after={**snapshot(alert, fields=["audit", "concern"]), "told": [u.pk for u in recipients]},
    )
    notify.tell(
        recipients,
        "Safeguarding alert: action needed today",
        f"{by.display_name} has raised a safeguarding alert during a case audit about a child "
        "in your service. Record the action taken on the alert.",
    )
    return alert


@transaction.atomic
def record_action_taken(alert: SafeguardingAlert, *, action_taken: str, by) -> SafeguardingAlert:
    """Closes the alert for everyone told of it. Recorded once: a second is refused."""
    rules.CLOSE_ALERT.check(by, alert)
    action_taken = (action_taken or "").strip()
    if not action_taken:
        raise ValidationError({"action_taken": "Enter the action taken to keep the child safe"})
    closed = SafeguardingAlert.objects.filter(pk=alert.pk, closed_at=None).update(
        action_taken=action_taken, closed_by=by, closed_at=clock.now()
    )
    if not closed:
        raise ValidationError("The action taken on this alert has already been recorded.")
    alert.refresh_from_db()
    record_change(
        alert,
        by=by,
        action="changed",
        after=snapshot(alert, fields=["action_taken", "closed_by", "closed_at"]),
        reason="Action taken recorded",
    )
    notify.tell(
        [alert.raised_by],
        "The safeguarding alert you raised has been acted on",
        f"{by.display_name} has recorded the action taken.",
    )
    return alert
