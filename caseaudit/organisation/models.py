from django.db import models
from django.db.models import Q
from django.urls import reverse

from caseaudit.organisation.choices import JobRole, ServiceKind
from caseaudit.organisation.querysets import (
    AreaQuerySet,
    AssignmentQuerySet,
    ServiceQuerySet,
    TeamQuerySet,
    WorkerQuerySet,
)


class Council(models.Model):
    """A local authority. Everything else belongs to exactly one."""

    name = models.CharField(max_length=200, unique=True)
    # The DfE local-authority code (for example 936), used to match published benchmarks.
    code = models.CharField(max_length=10, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(models.Model):
    """A geographical area of the council (the seeds' quadrants)."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="areas")
    name = models.CharField(max_length=100)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="area_name_unique_in_council")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:area", args=[self.pk])


class Service(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=30, choices=ServiceKind.choices)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "name"], name="service_name_unique_in_council"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:service", args=[self.pk])


class Team(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="teams")
    # Countywide teams (reviewing, quality assurance) belong to no area.
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="teams"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=150)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="team_name_unique_in_council")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:team", args=[self.pk])


class Worker(models.Model):
    """A member of staff. Their team, role and manager over time are their assignments."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="workers")
    name = models.CharField(max_length=150)
    # The case-management system's identifier, used to match allocated workers on import.
    staff_id = models.CharField(max_length=50)
    email = models.EmailField(blank=True)

    objects = WorkerQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "staff_id"], name="worker_staff_id_unique_in_council"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation:worker", args=[self.pk])

    def current_assignment(self, on=None) -> "Assignment | None":
        return self.assignments.current(on).select_related("team", "manager").first()


class Assignment(models.Model):
    """A worker's place in a team, in a job role, under a manager, between two dates."""

    worker = models.ForeignKey(Worker, on_delete=models.PROTECT, related_name="assignments")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="assignments")
    job_role = models.CharField(max_length=30, choices=JobRole.choices)
    manager = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="managed_assignments"
    )
    starts_on = models.DateField()
    # The last day in post; empty while current.
    ends_on = models.DateField(null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["worker", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="assignment_ends_after_it_starts",
            ),
            # At most one open assignment per worker; a move closes the old one first.
            models.UniqueConstraint(
                fields=["worker"],
                condition=Q(ends_on__isnull=True),
                name="one_open_assignment_per_worker",
            ),
        ]
        indexes = [models.Index(fields=["team", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.worker} – {self.get_job_role_display()}, {self.team}"
