"""The monthly programme: months, samples and the audits drawn from them."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from caseaudit.audits.choices import (
    ActionStatus,
    AuditKind,
    AuditStatus,
    Decision,
    FeedbackFrom,
    FeedbackMethod,
    MonthStatus,
    SampleStatus,
)
from caseaudit.audits.progress import MonthProgress
from caseaudit.audits.querysets import (
    AuditQuerySet,
    PracticeActionQuerySet,
    ProgrammeMonthQuerySet,
    SafeguardingAlertQuerySet,
)
from caseaudit.core import clock
from caseaudit.core.grades import Grade

USER = settings.AUTH_USER_MODEL


class ProgrammeMonth(models.Model):
    council = models.ForeignKey(
        "organisation.Council", on_delete=models.PROTECT, related_name="programme_months"
    )
    month = models.DateField(help_text="The first day of the month.")
    status = models.CharField(max_length=10, choices=MonthStatus.choices, default="planned")
    tool_version = models.ForeignKey(
        "tools.ToolVersion", on_delete=models.PROTECT, related_name="months"
    )
    # The month's focus: a named practice-theme cohort (cases.cohorts.COHORTS), or a cohort a
    # QA lead saved on the cohort builder, evaluated by the same rule as a thematic audit's
    # (cases.cohorts.evaluate_saved). Neither: a cross-section.
    cohort_key = models.CharField(max_length=50, blank=True)
    cohort_params = models.JSONField(default=dict, blank=True)
    saved_cohort = models.ForeignKey(
        "cases.CohortDefinition",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programme_months",
    )
    due_date = models.DateField()
    notes = models.TextField(blank=True)

    objects = ProgrammeMonthQuerySet.as_manager()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["council", "month"], name="one_programme_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="month_starts_on_the_first"),
            models.CheckConstraint(
                condition=Q(cohort_key="") | Q(saved_cohort__isnull=True),
                name="month_one_cohort_focus",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%B %Y}"

    @property
    def focus_title(self) -> str:
        """The month's cohort focus in words, or blank for a cross-section."""
        from caseaudit.cases.cohorts import COHORTS

        if self.saved_cohort_id:
            return self.saved_cohort.name
        cohort = COHORTS.get(self.cohort_key)
        return cohort.title if cohort else ""

    @property
    def progress(self) -> MonthProgress:
        """Where the month has got to. Read from ``with_progress()``'s annotations when the
        month came through it; otherwise asked of the database (three small queries)."""
        if not hasattr(self, "sample_allocated"):
            annotated = type(self).objects.with_progress().get(pk=self.pk)
            self.sample_drawn = annotated.sample_drawn
            self.sample_confirmed = annotated.sample_confirmed
            self.sample_allocated = annotated.sample_allocated
        return MonthProgress(
            status=self.status,
            drawn=self.sample_drawn,
            confirmed=self.sample_confirmed,
            allocated=self.sample_allocated,
        )


class Sample(models.Model):
    """A draw of cases for a month: previewed, then confirmed and frozen."""

    month = models.ForeignKey(ProgrammeMonth, on_delete=models.CASCADE, related_name="samples")
    seed = models.BigIntegerField()
    per_team = models.PositiveSmallIntegerField(default=1)
    cohort_key = models.CharField(max_length=50, blank=True)
    saved_cohort = models.ForeignKey(
        "cases.CohortDefinition",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exclude_audited_months = models.PositiveSmallIntegerField(default=6)
    status = models.CharField(max_length=10, choices=SampleStatus.choices, default="draft")
    drawn_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    drawn_at = models.DateTimeField(default=clock.now, editable=False)
    confirmed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-drawn_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["month"], condition=Q(status="confirmed"), name="one_confirmed_sample"
            )
        ]

    def __str__(self) -> str:
        return f"Sample for {self.month} (seed {self.seed})"


class SampleCase(models.Model):
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="cases")
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("organisation.Team", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        "organisation.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Why this child: kept so the draw can be explained and checked.
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["team__name", "child__la_child_id"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "child"], name="child_once_per_sample")
        ]

    def __str__(self) -> str:
        return f"{self.child} ({self.reason})"


class SwappedCase(models.Model):
    """A case taken out of a sample before it was allocated, with the reason, and the child
    drawn in its place (by the sample's own eligibility rule and seed)."""

    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="swaps")
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey("organisation.Team", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        "organisation.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    replacement = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="+")
    swapped_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    swapped_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["swapped_at", "pk"]

    def __str__(self) -> str:
        return f"{self.child} swapped out of {self.sample}"


class Audit(models.Model):
    council = models.ForeignKey("organisation.Council", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=AuditKind.choices, default="audit")
    month = models.ForeignKey(
        ProgrammeMonth, null=True, blank=True, on_delete=models.PROTECT, related_name="audits"
    )
    sample_case = models.OneToOneField(
        SampleCase, null=True, blank=True, on_delete=models.PROTECT, related_name="audit"
    )
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="audits")
    # The child's team and worker when the case was drawn: compliance and judgements by team
    # stay as they were even after the child moves on.
    team = models.ForeignKey("organisation.Team", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        "organisation.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    tool_version = models.ForeignKey(
        "tools.ToolVersion", on_delete=models.PROTECT, related_name="audits"
    )
    auditor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="audits_to_do")
    status = models.CharField(max_length=15, choices=AuditStatus.choices, default="allocated")
    allocated_at = models.DateTimeField(default=clock.now, editable=False)
    due_date = models.DateField()
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    overall_grade = models.CharField(max_length=25, choices=Grade.choices, blank=True)
    overall_rationale = models.TextField(blank=True)
    # Optimistic locking: each save must name the version it was editing.
    lock_version = models.PositiveIntegerField(default=0)
    reaudit_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reaudits"
    )

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-allocated_at"]
        indexes = [
            models.Index(fields=["council", "status"]),
            models.Index(fields=["auditor", "status"]),
            models.Index(fields=["child", "submitted_at"]),
            # Re-audits count in the month they are due: a period's audits are found by it.
            models.Index(fields=["council", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.child} ({self.get_status_display()})"


class Answer(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("tools.Question", on_delete=models.PROTECT, related_name="+")
    value = models.CharField(max_length=25, blank=True, help_text="A grade, choice or RAG code.")
    text = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["audit", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value or self.text[:40]}"


class DecidedRequest(models.Model):
    """Something an auditor asks for and the QA lead decides: an exemption or an extension."""

    reason = models.TextField()
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=clock.now, editable=False)
    decision = models.CharField(max_length=10, choices=Decision.choices, default="pending")
    decided_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        abstract = True


class Exemption(DecidedRequest):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="exemptions")

    def __str__(self) -> str:
        return f"Exemption for {self.audit} ({self.get_decision_display()})"


class Extension(DecidedRequest):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="extensions")
    new_due_date = models.DateField()

    def __str__(self) -> str:
        return f"Extension for {self.audit} to {self.new_due_date}"


class SafeguardingAlert(models.Model):
    """A child found at immediate risk during an audit: open until someone records the action."""

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="alerts")
    concern = models.TextField()
    raised_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=clock.now, editable=False)
    action_taken = models.TextField(blank=True)
    closed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Who was told, fixed when it was raised: the alert stays on their home pages until one
    # of them records the action taken, even if they later move team.
    recipients = models.ManyToManyField(USER, related_name="safeguarding_alerts")

    objects = SafeguardingAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"Safeguarding alert on {self.audit.child}"


class PracticeAction(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="actions")
    action = models.TextField()
    owner = models.ForeignKey("organisation.Worker", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default="open")
    completed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, help_text="What was done, or why it was cancelled.")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = PracticeActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_date"])]

    def __str__(self) -> str:
        return self.action[:60]


class ReflectionSheet(models.Model):
    """The case reflection meeting with the social worker, on the four-question sheet."""

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="reflection")
    met_on = models.DateField()
    went_well = models.TextField("What went well")
    challenges = models.TextField("What were the challenges")
    tools_needed = models.TextField("Do you have the tools you need")
    do_differently = models.TextField("What would you do differently")
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now, editable=False)
    worker_response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking (core/versioning.py) for the auditor's notes; a form loaded before
    # there was a sheet posts 0, so a new sheet starts at 1.
    lock_version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Reflection on {self.audit}"


class Feedback(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="feedback")
    given_by = models.CharField(max_length=10, choices=FeedbackFrom.choices)
    agency = models.CharField(max_length=150, blank=True, help_text="For a partner agency.")
    method = models.CharField(max_length=10, choices=FeedbackMethod.choices)
    given_on = models.DateField()
    what_was_good = models.TextField(blank=True)
    could_be_better = models.TextField(blank=True)
    quote = models.TextField(blank=True)
    consent_to_share = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        verbose_name_plural = "feedback"

    def __str__(self) -> str:
        return f"Feedback from {self.get_given_by_display().lower()} on {self.audit}"


class Moderation(models.Model):
    """QA's second look at a submitted audit: the moderated grades sit beside the auditor's."""

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="moderation")
    moderator = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    selected_at = models.DateTimeField(default=clock.now, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True)
    overall_grade = models.CharField(max_length=25, choices=Grade.choices, blank=True)
    reason = models.TextField(blank=True, help_text="Required when the grade differs.")

    def __str__(self) -> str:
        return f"Moderation of {self.audit}"

    @property
    def agrees(self) -> bool | None:
        if not self.overall_grade:
            return None
        return self.overall_grade == self.audit.overall_grade


class ModeratedDomain(models.Model):
    moderation = models.ForeignKey(Moderation, on_delete=models.CASCADE, related_name="domains")
    domain = models.ForeignKey("tools.Domain", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=25, choices=Grade.choices)
    reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["moderation", "domain"], name="moderate_domain_once")
        ]

    def __str__(self) -> str:
        return f"{self.domain}: {self.get_grade_display()}"
