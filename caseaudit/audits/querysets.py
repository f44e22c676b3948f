"""Who may see which audits, and when an audit is overdue: the rules every list, page, report
and export use."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone


def overdue_q(today: datetime.date | None = None) -> Q:
    """Overdue is never stored: an audit still to do (allocated or in progress) whose due date
    has passed. ``is_overdue`` says the same of one audit in memory."""
    from caseaudit.audits.choices import AuditStatus

    return Q(status__in=AuditStatus.open(), due_date__lt=today or timezone.localdate())


def is_overdue(audit, today: datetime.date | None = None) -> bool:
    from caseaudit.audits.choices import AuditStatus

    return audit.status in AuditStatus.open() and audit.due_date < (today or timezone.localdate())


class AuditQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date | None = None):
        return self.filter(overdue_q(today))

    def visible_to(self, user):
        from caseaudit.accounts.choices import Role, Scope
        from caseaudit.accounts.permissions import can_see_child_records
        from caseaudit.organisation.querysets import scope_filter

        if not can_see_child_records(user):
            return self.none()
        mine = self.filter(council_id=user.council_id)
        if user.role == Role.AUDITOR:
            # A team manager sees the audits allocated to them, not their team's audits:
            # those are done by other managers and reach them through the reports.
            return mine.filter(auditor=user)
        if user.scope == Scope.OWN:
            if not user.worker_id:
                return self.none()
            return mine.filter(worker_id=user.worker_id)
        q = scope_filter(
            user,
            council="council_id",
            area="team__area_id",
            service="team__service_id",
            team="team_id",
        )
        return self.none() if q is None else self.filter(q)
