"""Which children a person may see. Every child-level query goes through ``visible_to``."""

from django.db import models
from django.db.models import Q


class ChildQuerySet(models.QuerySet):
    def visible_to(self, user):
        from caseaudit.accounts.choices import Scope
        from caseaudit.accounts.permissions import can_see_child_records
        from caseaudit.organisation.querysets import scope_filter

        if not can_see_child_records(user):
            return self.none()
        from caseaudit.accounts.choices import Role

        if user.role == Role.AUDITOR:
            # Their team's children, and the children in the audits allocated to them.
            from caseaudit.audits.models import Audit

            audited = Audit.objects.filter(auditor=user).values("child_id")
            in_team = Q(council_id=user.council_id, allocated_team_id=user.scope_team_id)
            return self.filter(in_team | Q(council_id=user.council_id, id__in=audited))
        if user.scope == Scope.OWN:
            if not user.worker_id:
                return self.none()
            return self.filter(council_id=user.council_id, allocated_worker_id=user.worker_id)
        q = scope_filter(
            user,
            council="council_id",
            area="allocated_team__area_id",
            service="allocated_team__service_id",
            team="allocated_team_id",
        )
        return self.none() if q is None else self.filter(q)


class RecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        from caseaudit.cases.models import Child

        if "child" not in {f.name for f in self.model._meta.fields}:
            # Adopters are not children; only those who may see the whole council see them.
            from caseaudit.accounts.choices import Scope
            from caseaudit.accounts.permissions import can_see_child_records

            if can_see_child_records(user) and user.scope == Scope.COUNCIL:
                return self.filter(snapshot__council_id=user.council_id)
            return self.none()
        return self.filter(child__in=Child.objects.visible_to(user))

    def current(self):
        """Rows of each council's latest snapshot."""
        from caseaudit.cases.models import Snapshot

        latest = Snapshot.objects.filter(council_id=models.OuterRef("snapshot__council_id"))
        return self.filter(snapshot_id=models.Subquery(latest.order_by("-as_at").values("id")[:1]))


__all__ = ["ChildQuerySet", "RecordQuerySet"]
