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
