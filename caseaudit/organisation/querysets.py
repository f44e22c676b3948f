"""Which parts of the organisation a person may see: their scope, filtered in the database."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from caseaudit.core.roles import Scope, can_browse_organisation, scope_q


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not can_browse_organisation(user):
            return self.none()
        q = scope_q(user, council="council_id", area="area_id", service="service_id", team="id")
        return self.none() if q is None else self.filter(q)


class AreaQuerySet(models.QuerySet):
    def visible_to(self, user):
        from caseaudit.organisation.models import Team

        return self.filter(id__in=Team.objects.visible_to(user).values("area_id"))


class ServiceQuerySet(models.QuerySet):
    def visible_to(self, user):
        from caseaudit.organisation.models import Team

        return self.filter(id__in=Team.objects.visible_to(user).values("service_id"))


class AssignmentQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)


class WorkerQuerySet(models.QuerySet):
    def visible_to(self, user):
        from caseaudit.organisation.models import Assignment, Team

        if not can_browse_organisation(user):
            return self.none()
        if user.scope == Scope.OWN:
            return self.filter(id=user.worker_id) if user.worker_id else self.none()
        teams = Team.objects.visible_to(user)
        in_scope = Assignment.objects.current().filter(team__in=teams).values("worker_id")
        return self.filter(id__in=in_scope)
