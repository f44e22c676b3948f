"""Practice actions from an audit: what must change for the child, who does it, by when.

Overdue is derived, never stored (like audits): an open action past its due date. Overdue
actions surface for their owner and for the owner's manager (``querysets``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from caseaudit.accounts.models import User
from caseaudit.audits import permissions as rules
from caseaudit.audits.actions import notify
from caseaudit.audits.choices import ActionStatus
from caseaudit.audits.models import Audit, PracticeAction
from caseaudit.core import clock
from caseaudit.core.history import record_change, snapshot
from caseaudit.organisation.models import Assignment, Worker


def possible_owners(audit: Audit):
    """Who can own an action on this child: the child's worker and the staff now in the
    child's team (or the team it was drawn from)."""
    teams = {audit.team_id, audit.child.allocated_team_id} - {None}
    in_team = Assignment.objects.current().filter(team_id__in=teams).values("worker_id")
    workers = [audit.worker_id, audit.child.allocated_worker_id]
    named = Q(pk__in=[w for w in workers if w])
    return (
        Worker.objects.filter(council_id=audit.council_id)
        .filter(Q(pk__in=in_team) | named)
        .order_by("name")
    )


@transaction.atomic
def add_action(
    audit: Audit, *, action: str, owner: Worker, due_date: datetime.date, by
) -> PracticeAction:
    audit = Audit.objects.select_related("child").get(pk=audit.pk)
    rules.ADD_PRACTICE_ACTION.check(by, audit)
    problems = {}
    action = (action or "").strip()
    if not action:
        problems["action"] = "Enter what needs to be done"
    if owner is None or not possible_owners(audit).filter(pk=owner.pk).exists():
        problems["owner"] = "Select who will do this from the child's team"
    if due_date is None:
        problems["due_date"] = "Enter the date it must be done by"
    elif due_date < clock.today():
        problems["due_date"] = "The date it must be done by must be today or in the future"
    if problems:
        raise ValidationError(problems)
    made = PracticeAction.objects.create(
        audit=audit, action=action, owner=owner, due_date=due_date, created_by=by
    )
    record_change(made, by=by, action="created")
    notify.tell(
        User.objects.filter(worker=owner, is_active=True).select_related("worker"),
        "A practice action from a case audit is yours",
        f"{by.display_name} has given you an action from a case audit, due by "
        f"{due_date:%-d %B %Y}.",
    )
    return made


@transaction.atomic
def close_action(practice_action: PracticeAction, *, done: bool, note: str = "", by):
    """Done, or cancelled with a reason. Once closed it stays closed."""
    rules.CLOSE_PRACTICE_ACTION.check(by, practice_action)
    note = (note or "").strip()
    if not done and not note:
        raise ValidationError({"note": "Enter why the action is no longer needed"})
    before = snapshot(practice_action, fields=["status", "completed_at", "note"])
    status = ActionStatus.DONE if done else ActionStatus.CANCELLED
    closed = PracticeAction.objects.filter(pk=practice_action.pk, status=ActionStatus.OPEN).update(
        status=status, completed_at=clock.now() if done else None, note=note
    )
    if not closed:
        raise ValidationError("This action has already been closed.")
    practice_action.refresh_from_db()
    record_change(
        practice_action,
        by=by,
        action="changed",
        before=before,
        after=snapshot(practice_action, fields=["status", "completed_at", "note"]),
        reason=note or "Done",
    )
    return practice_action
