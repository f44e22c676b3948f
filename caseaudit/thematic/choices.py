from django.db import models


class ThematicStatus(models.TextChoices):
    """planned → in progress → reporting → complete."""

    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    REPORTING = "reporting", "Reporting"
    COMPLETE = "complete", "Complete"


class SampleMethod(models.TextChoices):
    ALL = "all", "Every child in the cohort"
    RANDOM_N = "random_n", "A random number of children"
    RANDOM_PERCENT = "random_percent", "A random percentage of children"
    PER_AREA = "per_area", "A number of children from each area"
    PER_SERVICE = "per_service", "A number of children from each service"
    PER_TEAM = "per_team", "A number of children from each team"
    PER_WORKER = "per_worker", "A number of children for each worker"


class SampleStatus(models.TextChoices):
    DRAFT = "draft", "Preview"
    CONFIRMED = "confirmed", "Confirmed"


class ConsulteeRole(models.TextChoices):
    MANAGER = "manager", "Manager"
    PRACTITIONER = "practitioner", "Practitioner"
    IRO = "iro", "Independent reviewing officer or chair"
    YOUNG_PERSON = "young_person", "Child or young person"
    PARENT_CARER = "parent_carer", "Parent or carer"
    PARTNER = "partner", "Partner agency"
    OTHER = "other", "Other"


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    IMPROVEMENT = "improvement", "Area for improvement"


class Severity(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class FindingStatus(models.TextChoices):
    """identified → confirmed → assigned (an owner, a due date, a severity) → actions → closed,
    or identified → dismissed (with a reason). A strength needs no owner: it may close once
    confirmed."""

    IDENTIFIED = "identified", "Identified"
    CONFIRMED = "confirmed", "Confirmed"
    DISMISSED = "dismissed", "Dismissed"
    ASSIGNED = "assigned", "Assigned"
    CLOSED = "closed", "Closed"

    @classmethod
    def live(cls) -> list[str]:
        """A finding actions may still answer."""
        return [cls.IDENTIFIED, cls.CONFIRMED, cls.ASSIGNED]


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"

    @classmethod
    def open(cls) -> list[str]:
        return [cls.NOT_STARTED, cls.IN_PROGRESS]
