"""Which parts of the organisation a person may see: their scope, filtered in the database."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone


def scope_filter(user, *, council: str, area: str, service: str, team: str) -> Q | None:
    """The Q that restricts rows to ``user``'s scope; None means nothing at all.

    The keyword arguments are the lookups from the model being filtered to the council, area,
    service and team ids, so this one rule serves teams, workers and (later) children.
    """
    from caseaudit.accounts.choices import Scope

    if not user.is_authenticated or not user.council_id:
        return None
    in_council = Q(**{council: user.council_id})
    match user.scope:
        case Scope.COUNCIL:
            return in_council
        case Scope.AREA:
            return in_council & Q(**{area: user.scope_area_id})
        case Scope.SERVICE:
            q = in_council & Q(**{service: user.scope_service_id})
            if user.scope_area_id:
                q &= Q(**{area: user.scope_area_id})
            return q
        case Scope.TEAM:
            return in_council & Q(**{team: user.scope_team_id})
    return None


class TeamQuerySet(models.QuerySet):
    def visible_to(self, user):
        from caseaudit.accounts.permissions import can_browse_organisation

        if not can_browse_organisation(user):
            return self.none()
        q = scope_filter(
            user, council="council_id", area="area_id", service="service_id", team="id"
        )
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
        from caseaudit.accounts.choices import Scope
        from caseaudit.accounts.permissions import can_browse_organisation
        from caseaudit.organisation.models import Assignment, Team

        if not can_browse_organisation(user):
            return self.none()
        if user.scope == Scope.OWN:
            return self.filter(id=user.worker_id) if user.worker_id else self.none()
        teams = Team.objects.visible_to(user)
        in_scope = Assignment.objects.current().filter(team__in=teams).values("worker_id")
        return self.filter(id__in=in_scope)
