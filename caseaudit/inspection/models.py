"""Inspection readiness (DESIGN.md C6): the council's inspections and their judgements, the
recommendations made, the actions answering each, the evidence that shows what changed, and
each recommendation's RAG status, proposed from that chain and confirmed by a person.

Judgement areas are data, not code: Ofsted's framework changes (care leavers became a
judgement of their own in January 2023; overall effectiveness goes in April 2026), and a
council maps its recommendations and evidence onto the next framework without a release.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from caseaudit.audits.choices import Rag
from caseaudit.core import clock
from caseaudit.core.grades import Grade
from caseaudit.inspection.choices import EvidenceKind, InspectionKind, RagKind
from caseaudit.inspection.querysets import (
    InspectionQuerySet,
    JudgementAreaQuerySet,
    RecommendationActionQuerySet,
    RecommendationQuerySet,
)
from caseaudit.organisation.choices import ServiceKind
from caseaudit.thematic.choices import ActionStatus

USER = settings.AUTH_USER_MODEL


def cohort_problem(kinds) -> str:
    """Why ``kinds`` cannot be an area's cohort (a list of distinct ``ServiceKind`` values),
    or nothing."""
    if not isinstance(kinds, list) or not all(isinstance(kind, str) for kind in kinds):
        return "Select the services whose audits count"
    if not set(kinds) <= set(ServiceKind.values):
        return "Select services from the list"
    if len(set(kinds)) != len(kinds):
        return "Select each service once"
    return ""


class JudgementArea(models.Model):
    """One area Ofsted judges. The national areas (no council) arrive by data migration; a
    council may add its own, for a new framework or a local heading."""

    council = models.ForeignKey(
        "organisation.Council",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Empty for the national areas every council has.",
    )
    name = models.CharField(max_length=200)
    framework = models.CharField(max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    active_from = models.DateField(null=True, blank=True)
    active_until = models.DateField(null=True, blank=True)
    # Whose audits speak for the area in its self-evaluation: the kinds of service its
    # children are with (``ServiceKind`` values). Empty: every service's. The national areas'
    # come with them by migration; a council's QA lead chooses its own areas'.
    cohort_services = models.JSONField("Services whose audits count", default=list, blank=True)

    objects = JudgementAreaQuerySet.as_manager()

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="judgement_area_once"),
            models.UniqueConstraint(
                fields=["name"],
                condition=Q(council__isnull=True),
                name="national_judgement_area_once",
            ),
            models.CheckConstraint(
                condition=Q(active_until__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_until__gte=models.F("active_from")),
                name="judgement_area_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        problem = cohort_problem(self.cohort_services)
        if problem:
            raise ValidationError({"cohort_services": problem})

    @property
    def cohort_labels(self) -> list[str]:
        """The cohort's kinds of service in words, as chosen."""
        labels = dict(ServiceKind.choices)
        return [labels.get(kind, kind) for kind in self.cohort_services]

    def is_active_on(self, day: datetime.date) -> bool:
        return (self.active_from is None or self.active_from <= day) and (
            self.active_until is None or day <= self.active_until
        )


class Inspection(models.Model):
    council = models.ForeignKey("organisation.Council", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=InspectionKind.choices)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    reference = models.CharField("Report reference", max_length=100, blank=True)
    summary = models.TextField(blank=True)
    # A mock inspection is carried out as a thematic audit is (cohort, sample, tool, audits,
    # findings, recommendations, action plan): the one it owns, made when it is recorded.
    thematic_audit = models.OneToOneField(
        "thematic.ThematicAudit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mock_inspection",
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["-started_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="inspection_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(thematic_audit__isnull=True) | Q(kind=InspectionKind.MOCK),
                name="only_a_mock_inspection_has_a_thematic_audit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.dates}"

    def get_absolute_url(self) -> str:
        return reverse("inspection:detail", args=[self.pk])

    @property
    def is_mock(self) -> bool:
        """The council's own rehearsal, not Ofsted's: never "the last inspection"."""
        return self.kind == InspectionKind.MOCK

    @property
    def dates(self) -> str:
        if self.ended_on and self.ended_on != self.started_on:
            return f"{self.started_on:%-d %B %Y} to {self.ended_on:%-d %B %Y}"
        return f"{self.started_on:%-d %B %Y}"

    @property
    def is_graded(self) -> bool:
        return self.kind in InspectionKind.graded()


class Judgement(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    area = models.ForeignKey(JudgementArea, on_delete=models.PROTECT, related_name="judgements")
    grade = models.CharField(max_length=25, choices=Grade.choices)

    class Meta:
        ordering = ["area__order", "area__name"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "area"], name="one_judgement_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.area}: {self.get_grade_display()}"


class Recommendation(models.Model):
    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    area = models.ForeignKey(
        JudgementArea, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Optimistic locking for the RAG: a confirmation made from a page that is out of date
    # (someone confirmed meanwhile) is refused, not silently stacked on top.
    lock_version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["inspection", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "number"], name="recommendation_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"Recommendation {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("inspection:recommendation", args=[self.pk])


class RecommendationAction(models.Model):
    """An action answering a recommendation: the thematic action plan's line (owner, due
    date, status, evidence of completion), with its statuses and moves
    (``thematic.choices.ActionStatus``, ``thematic.transitions.ACTION``)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="actions"
    )
    action = models.TextField()
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="inspection_actions")
    due_date = models.DateField()
    status = models.CharField(
        max_length=15, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    evidence = models.TextField(blank=True, help_text="Evidence that the action is complete.")
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = RecommendationActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_date"])]

    def __str__(self) -> str:
        return self.action[:60]

    @property
    def is_overdue(self) -> bool:
        # The rule ``thematic.querysets.overdue_q`` puts in SQL.
        return self.status in ActionStatus.open() and self.due_date < clock.today()

    @property
    def done_on_time(self) -> bool:
        return (
            self.status == ActionStatus.DONE
            and self.completed_on is not None
            and self.completed_on <= self.due_date
        )


class Evidence(models.Model):
    """Something elsewhere in caseaudit that shows what has changed: one typed link, whose
    kind says which fields it uses (the constraint holds it to them)."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="evidence"
    )
    kind = models.CharField(max_length=20, choices=EvidenceKind.choices)
    # Audit grades: a domain of the audit tools (by title, as reports group them, so every
    # version of a tool counts) over a period of programme months.
    domain_title = models.CharField(max_length=200, blank=True)
    from_month = models.DateField(null=True, blank=True)
    to_month = models.DateField(null=True, blank=True)
    thematic_audit = models.ForeignKey(
        "thematic.ThematicAudit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    finding = models.ForeignKey(
        "thematic.Finding", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    indicator_code = models.CharField(max_length=60, blank=True)
    # What the council aims for, in the indicator's own unit (a percentage, a rate, a count).
    target = models.DecimalField(max_digits=10, decimal_places=1, null=True, blank=True)
    note = models.TextField(blank=True, help_text="What this shows about the recommendation.")
    added_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-added_at", "-pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(
                        kind=EvidenceKind.AUDIT_DOMAIN,
                        from_month__isnull=False,
                        to_month__isnull=False,
                        to_month__gte=models.F("from_month"),
                    )
                    & ~Q(domain_title="")
                )
                | Q(kind=EvidenceKind.THEMATIC_AUDIT, thematic_audit__isnull=False)
                | Q(kind=EvidenceKind.THEMATIC_FINDING, finding__isnull=False)
                | (Q(kind=EvidenceKind.INDICATOR) & ~Q(indicator_code="")),
                name="evidence_has_what_its_kind_needs",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.recommendation}"


class RagStatus(models.Model):
    """One entry of a recommendation's RAG history: proposed from its chain (by no one), or
    confirmed by a person with their rationale. Entries are only ever added."""

    recommendation = models.ForeignKey(
        Recommendation, on_delete=models.CASCADE, related_name="rag_history"
    )
    kind = models.CharField(max_length=10, choices=RagKind.choices)
    rag = models.CharField(max_length=5, choices=Rag.choices)
    rationale = models.TextField()
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["-decided_at", "-pk"]
        verbose_name_plural = "RAG statuses"
        indexes = [models.Index(fields=["recommendation", "kind", "decided_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=RagKind.PROPOSED) | Q(decided_by__isnull=False),
                name="confirmed_rag_has_a_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_rag_display()}"
