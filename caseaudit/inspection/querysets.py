"""Who may see which inspections, recommendations and actions, and each recommendation's
latest RAG statuses and action counts, annotated in the database."""

import datetime

from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery

from caseaudit.accounts import permissions
from caseaudit.core import clock
from caseaudit.inspection.choices import InspectionKind, RagKind
from caseaudit.thematic.choices import ActionStatus
from caseaudit.thematic.querysets import overdue_q


class JudgementAreaQuerySet(models.QuerySet):
    def for_council(self, council_id: int):
        """The national areas and the council's own."""
        return self.filter(Q(council__isnull=True) | Q(council_id=council_id))

    def active_on(self, day: datetime.date):
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=day),
            Q(active_until__isnull=True) | Q(active_until__gte=day),
        )


class InspectionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The council's inspections, for anyone who may read their recommendations' RAG:
        judgements and recommendations are published by Ofsted, and nothing here is about a
        child."""
        if not permissions.can_see_inspection_rags(user):
            return self.none()
        return self.filter(council_id=user.council_id)

    def real(self):
        """Ofsted's inspections and visits: what "the last inspection" means. A mock
        inspection is the council's own rehearsal and never counts as one."""
        return self.exclude(kind=InspectionKind.MOCK)

    def mock(self):
        return self.filter(kind=InspectionKind.MOCK)


def _latest(kind: str, field: str):
    from caseaudit.inspection.models import RagStatus

    return Subquery(
        RagStatus.objects.filter(recommendation=OuterRef("pk"), kind=kind)
        .order_by("-decided_at", "-pk")
        .values(field)[:1]
    )


class RecommendationQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not permissions.can_see_inspection_rags(user):
            return self.none()
        return self.filter(inspection__council_id=user.council_id)

    def of_real_inspections(self):
        """Ofsted's recommendations (``InspectionQuerySet.real``): a mock inspection's are its
        thematic audit's, and never stand beside them."""
        return self.exclude(inspection__kind=InspectionKind.MOCK)

    def with_rag(self):
        """Each recommendation's latest confirmed and proposed RAG, in the same query."""
        return self.annotate(
            confirmed_rag=_latest(RagKind.CONFIRMED, "rag"),
            confirmed_at=_latest(RagKind.CONFIRMED, "decided_at"),
            confirmed_rationale=_latest(RagKind.CONFIRMED, "rationale"),
            proposed_rag=_latest(RagKind.PROPOSED, "rag"),
        )

    def with_action_counts(self, today: datetime.date | None = None):
        today = today or clock.today()
        return self.annotate(
            actions_total=Count("actions", distinct=True),
            actions_done=Count(
                "actions", filter=Q(actions__status=ActionStatus.DONE), distinct=True
            ),
            actions_overdue=Count(
                "actions",
                filter=Q(actions__status__in=ActionStatus.open(), actions__due_date__lt=today),
                distinct=True,
            ),
        )


class RecommendationActionQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date | None = None):
        return self.filter(overdue_q(today))

    def visible_to(self, user):
        """All the council's actions for those who read the recommendations in full; to
        anyone else on the staff, the actions they own."""
        if permissions.can_see_inspections(user):
            return self.filter(recommendation__inspection__council_id=user.council_id)
        if not permissions.can_own_inspection_actions(user):
            return self.none()
        return self.filter(owner=user, recommendation__inspection__council_id=user.council_id)
