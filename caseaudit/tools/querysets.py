from django.db import models
from django.db.models import Prefetch, Q


class AuditToolQuerySet(models.QuerySet):
    def for_council(self, council_id):
        return self.filter(Q(council_id=council_id) | Q(council__isnull=True))


def load_domains(version) -> list:
    """The tool's domains in order, with their questions and grade descriptors (3 queries)."""
    from caseaudit.tools.models import GradeDescriptor, Question  # models import this module

    return list(
        version.domains.order_by("position").prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("position")),
            Prefetch("descriptors", queryset=GradeDescriptor.objects.all()),
        )
    )
