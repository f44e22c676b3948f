"""Audit tools: versioned templates of domains and questions, with grade descriptors.

A published version is frozen: audits keep the version they were done on, so changing a tool
means a new draft version, published when ready. Tools with no council ship with caseaudit
(reference data) and every council may use them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from caseaudit.core.grades import Grade
from caseaudit.tools.choices import QuestionKind, ToolKind, VersionStatus
from caseaudit.tools.querysets import AuditToolQuerySet

# These models began in the ``audits`` app and moved here without moving their data: each
# keeps its table (``db_table``), and ``former_labels`` names what the change history
# recorded them as before (``core.history.record_types``), since history is never rewritten.


class AuditTool(models.Model):
    council = models.ForeignKey(
        "organisation.Council",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_tools",
        help_text="Empty for the tools that ship with caseaudit.",
    )
    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=ToolKind.choices, default=ToolKind.PRACTICE)
    description = models.TextField(blank=True)
    # Light-touch tools (a RAG rating) have no overall Ofsted-scale judgement.
    has_overall_grade = models.BooleanField(default=True)

    objects = AuditToolQuerySet.as_manager()

    former_labels = ("audits.audittool",)

    class Meta:
        db_table = "audits_audittool"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def published(self) -> "ToolVersion | None":
        return self.versions.filter(status=VersionStatus.PUBLISHED).order_by("-number").first()


class ToolVersion(models.Model):
    tool = models.ForeignKey(AuditTool, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    notes = models.TextField(blank=True, help_text="What changed in this version.")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    former_labels = ("audits.toolversion",)

    class Meta:
        db_table = "audits_toolversion"
        ordering = ["tool", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["tool", "number"], name="tool_version_number_unique"),
            models.UniqueConstraint(
                fields=["tool"],
                condition=Q(status="draft"),
                name="one_draft_per_tool",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.tool} v{self.number}"

    @property
    def is_frozen(self) -> bool:
        return self.status != VersionStatus.DRAFT


class Domain(models.Model):
    version = models.ForeignKey(ToolVersion, on_delete=models.CASCADE, related_name="domains")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    guidance = models.TextField(blank=True)

    former_labels = ("audits.domain",)

    class Meta:
        db_table = "audits_domain"
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="domain_position_unique")
        ]

    def __str__(self) -> str:
        return self.title


class GradeDescriptor(models.Model):
    """What practice at one grade looks like in one domain."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="descriptors")
    grade = models.CharField(max_length=25, choices=Grade.choices)
    text = models.TextField()

    former_labels = ("audits.gradedescriptor",)

    class Meta:
        db_table = "audits_gradedescriptor"
        constraints = [
            models.UniqueConstraint(fields=["domain", "grade"], name="one_descriptor_per_grade")
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.get_grade_display()}"


class Question(models.Model):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=500)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    required = models.BooleanField(default=True)
    guidance = models.TextField(blank=True)

    former_labels = ("audits.question",)

    class Meta:
        db_table = "audits_question"
        ordering = ["domain", "position"]
        constraints = [
            models.UniqueConstraint(fields=["domain", "position"], name="question_position_unique")
        ]

    def __str__(self) -> str:
        return self.text
