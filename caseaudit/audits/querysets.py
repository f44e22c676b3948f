"""Who may see which audits, and when an audit is overdue: the rules every list, page, report
and export use."""

import datetime

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet

from caseaudit.audits.choices import AuditStatus
from caseaudit.core import clock
from caseaudit.core.roles import Role, Scope, can_see_child_records, scope_q
from caseaudit.organisation.models import Assignment


def overdue_q(today: datetime.date | None = None) -> Q:
    """Overdue is never stored: an audit still to do (allocated or in progress) whose due date
    has passed. ``is_overdue`` says the same of one audit in memory."""
    return Q(status__in=AuditStatus.open(), due_date__lt=today or clock.today())


def is_overdue(audit, today: datetime.date | None = None) -> bool:
    return audit.status in AuditStatus.open() and audit.due_date < (today or clock.today())


class ProgrammeMonthQuerySet(models.QuerySet):
    def with_progress(self):
        """Each month with the facts its stage and task list follow (``audits.progress``):
        whether a sample has been drawn, confirmed and allocated, in the month's own query."""
        from caseaudit.audits.choices import SampleStatus
        from caseaudit.audits.models import Audit, Sample

        samples = Sample.objects.filter(month=OuterRef("pk"))
        return self.annotate(
            sample_drawn=Exists(samples),
            sample_confirmed=Exists(samples.filter(status=SampleStatus.CONFIRMED)),
            sample_allocated=Exists(
                Audit.objects.filter(sample_case__sample__month=OuterRef("pk"))
            ),
        )


class AuditQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date | None = None):
        return self.filter(overdue_q(today))

    def visible_to(self, user):
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
        q = scope_q(
            user,
            council="council_id",
            area="team__area_id",
            service="team__service_id",
            team="team_id",
        )
        return self.none() if q is None else self.filter(q)


class PracticeActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status="open")

    def overdue(self, today: datetime.date | None = None):
        """Open past its due date: derived, like an overdue audit."""
        return self.open().filter(due_date__lt=today or clock.today())

    def visible_to(self, user):
        """Actions on audits the person may see, and actions they own or their staff own."""
        from caseaudit.audits.models import Audit

        if not can_see_child_records(user):
            return self.none()
        q = Q(audit__in=Audit.objects.visible_to(user).values("pk"))
        if user.worker_id:
            q |= _owned_or_managed_q(user)
        return self.filter(q, audit__council_id=user.council_id)

    def owned_or_managed_by(self, user):
        """What this person must do, or must see their staff do."""
        if not user.worker_id:
            return self.none()
        return self.filter(_owned_or_managed_q(user), audit__council_id=user.council_id)


def _owned_or_managed_q(user) -> Q:
    """Actions the person owns, or that people they now manage own."""
    managed = Assignment.objects.current().filter(manager_id=user.worker_id)
    return Q(owner_id=user.worker_id) | Q(owner_id__in=managed.values("worker_id"))


class SafeguardingAlertQuerySet(models.QuerySet):
    def open(self):
        return self.filter(closed_at=None)

    def visible_to(self, user):
        """Alerts the person was told of, and alerts on audits they may see."""
        from caseaudit.audits.models import Audit

        if not can_see_child_records(user):
            return self.none()
        told = self.model.recipients.through.objects.filter(user_id=user.pk)
        q = Q(pk__in=told.values("safeguardingalert_id")) | Q(
            audit__in=Audit.objects.visible_to(user).values("pk")
        )
        return self.filter(q, audit__council_id=user.council_id)


def children_of_my_audits(user) -> QuerySet | None:
    """A team manager also sees the children of the audits allocated to them (registered with
    ``cases.querysets.grant_child_visibility`` when the app is ready)."""
    from caseaudit.audits.models import Audit

    if getattr(user, "role", None) != Role.AUDITOR:
        return None
    return Audit.objects.filter(auditor=user, council_id=user.council_id).values("child_id")
