from django.db import models


class YesNoPartly(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class MonthStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    PAUSED = "paused", "Paused"


class SampleStatus(models.TextChoices):
    DRAFT = "draft", "Preview"
    CONFIRMED = "confirmed", "Confirmed"


class AuditKind(models.TextChoices):
    AUDIT = "audit", "Audit"
    REAUDIT = "reaudit", "Re-audit"
    # Done for a thematic audit (caseaudit.thematic) with its bespoke tool: counted in that
    # audit's rating distribution, not in the monthly programme's compliance or reports.
    THEMATIC = "thematic", "Thematic audit"


class AuditStatus(models.TextChoices):
    """allocated → in progress → submitted → moderated; exempted and cancelled end it early.
    Overdue is never stored: it is derived from the due date."""

    # Shown as "Not started": the person doing it reads where it has got to, not how it came.
    ALLOCATED = "allocated", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    MODERATED = "moderated", "Moderated"
    EXEMPTED = "exempted", "Exempted"
    CANCELLED = "cancelled", "Cancelled"

    @classmethod
    def open(cls) -> list[str]:
        return [cls.ALLOCATED, cls.IN_PROGRESS]

    @classmethod
    def completed(cls) -> list[str]:
        return [cls.SUBMITTED, cls.MODERATED]


class Decision(models.TextChoices):
    PENDING = "pending", "Waiting for a decision"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class FeedbackFrom(models.TextChoices):
    PARENT = "parent", "Parent"
    CHILD = "child", "Child or young person"
    CARER = "carer", "Carer"
    PARTNER = "partner", "Partner agency"


class FeedbackMethod(models.TextChoices):
    PHONE = "phone", "Phone call"
    VISIT = "visit", "Visit"
    VIDEO = "video", "Video call"
    WRITTEN = "written", "In writing"
