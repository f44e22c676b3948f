"""Who may see which audits. Every audit list, page and export filters through here."""

from django.db import models


class AuditQuerySet(models.QuerySet):
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
