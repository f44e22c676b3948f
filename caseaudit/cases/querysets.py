"""Which children a person may see. Every child-level query goes through ``visible_to``.

A person sees the children allocated within their scope (``core.roles.scope_q``), or, with
own-cases scope, those allocated to them. Apps above this one may let a person see more: the
audits app lets an auditor see the children of the audits allocated to them. They say so
through ``grant_child_visibility``, so this app never imports theirs.
"""

from collections.abc import Callable

from django.db import models
from django.db.models import Q, QuerySet

from caseaudit.core.roles import Scope, can_see_child_records, scope_q

# Each takes a person and gives a query of child ids they may also see, or None.
ChildGrant = Callable[[object], QuerySet | None]
_grants: list[ChildGrant] = []


def grant_child_visibility(grant: ChildGrant) -> ChildGrant:
    """Register ``grant`` (from an app's ``ready``); usable as a decorator."""
    if grant not in _grants:
        _grants.append(grant)
    return grant


def _allocated_q(user) -> Q | None:
    """The children allocated within the person's scope: to them, with own-cases scope."""
    if user.scope == Scope.OWN:
        return Q(allocated_worker_id=user.worker_id) if user.worker_id else None
    return scope_q(
        user,
        council="council_id",
        area="allocated_team__area_id",
        service="allocated_team__service_id",
        team="allocated_team_id",
    )


class ChildQuerySet(models.QuerySet):
    def allocated_within_scope(self, user):
        """Of these children, those allocated within the person's scope, leaving out what
        other apps grant (an auditor's audits of other teams' children): for lists about the
        practice a person manages, such as the practice-standard trackers. Chain it after
        ``visible_to``, which stays the rule for what a person may see."""
        q = _allocated_q(user) if can_see_child_records(user) else None
        if q is None:
            return self.none()
        return self.filter(q, council_id=user.council_id)

    def visible_to(self, user):
        if not can_see_child_records(user):
            return self.none()
        q = _allocated_q(user)
        for grant in _grants:
            granted = grant(user)
            if granted is not None:
                q = Q(id__in=granted) if q is None else q | Q(id__in=granted)
        if q is None:
            return self.none()
        # Whatever is granted, never another council's children.
        return self.filter(q, council_id=user.council_id)


class RecordQuerySet(models.QuerySet):
    def visible_to(self, user):
        from caseaudit.cases.models import Child

        if "child" not in {f.name for f in self.model._meta.fields}:
            # Adopters are not children; only those who may see the whole council see them.
            if can_see_child_records(user) and user.scope == Scope.COUNCIL:
                return self.filter(snapshot__council_id=user.council_id)
            return self.none()
        return self.filter(child__in=Child.objects.visible_to(user))

    def current(self):
        """Rows of each council's latest snapshot."""
        from caseaudit.cases.models import Snapshot

        latest = Snapshot.objects.filter(council_id=models.OuterRef("snapshot__council_id"))
        return self.filter(snapshot_id=models.Subquery(latest.order_by("-as_at").values("id")[:1]))


__all__ = ["ChildQuerySet", "RecordQuerySet", "grant_child_visibility"]
