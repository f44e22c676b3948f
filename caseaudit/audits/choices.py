from django.db import models


class ToolKind(models.TextChoices):
    PRACTICE = "practice", "Practice audit"
    LIGHT_TOUCH = "light_touch", "Light-touch audit"
    THEMATIC = "thematic", "Thematic audit"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class QuestionKind(models.TextChoices):
    GRADE = "grade", "Grade (Outstanding to Inadequate)"
    YES_NO_PARTLY = "yes_no_partly", "Yes, no or partly"
    RAG = "rag", "Red, amber or green"
    TEXT = "text", "Free text"


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


class AuditStatus(models.TextChoices):
    """allocated → in progress → submitted → moderated; exempted and cancelled end it early.
    Overdue is never stored: it is derived from the due date."""

    ALLOCATED = "allocated", "Allocated"
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
