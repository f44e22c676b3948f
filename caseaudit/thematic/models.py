"""Thematic audits ("deep dives"): a cohort, a reproducible sample, audits done with a bespoke
tool, consultations, findings, recommendations and an action plan (DESIGN.md C4).

The audits themselves are the audits app's ``Audit`` (no programme month), so an auditor
does a thematic audit on the same page, with the same rules, as any other: a sampled child
points at the audit made for it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from caseaudit.core import clock
from caseaudit.thematic.choices import (
    ActionStatus,
    ConsulteeRole,
    FindingKind,
    FindingStatus,
    FindingTheme,
    SampleMethod,
    SampleStatus,
    Severity,
    ThematicStatus,
)
from caseaudit.thematic.querysets import PlanActionQuerySet, ThematicAuditQuerySet

USER = settings.AUTH_USER_MODEL


class ThematicAudit(models.Model):
    council = models.ForeignKey("organisation.Council", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    lead = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="thematic_audits_led")
    purpose = models.TextField()
    period_start = models.DateField()
    period_end = models.DateField()
    status = models.CharField(
        max_length=15, choices=ThematicStatus.choices, default=ThematicStatus.PLANNED
    )
    cohort = models.ForeignKey(
        "cases.CohortDefinition",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="thematic_audits",
    )
    # The bespoke tool: an audit tool like any other (the tools app), published.
    tool_version = models.ForeignKey(
        "tools.ToolVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    auditors = models.ManyToManyField(USER, blank=True, related_name="thematic_audits_auditing")
    audits_due = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    rereview_due = models.DateField(
        null=True, blank=True, help_text="Set to 6 months after completion unless changed."
    )
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = ThematicAuditQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="thematic_period_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("thematic:detail", args=[self.pk])


class ThematicSample(models.Model):
    """A draw from the cohort: a preview until confirmed, then a frozen list of children."""

    thematic_audit = models.ForeignKey(
        ThematicAudit, on_delete=models.CASCADE, related_name="samples"
    )
    method = models.CharField(max_length=20, choices=SampleMethod.choices)
    # n children (per group for the per-… methods), or a percentage.
    size = models.PositiveIntegerField(null=True, blank=True)
    seed = models.BigIntegerField()
    status = models.CharField(max_length=10, choices=SampleStatus.choices, default="draft")
    as_at = models.DateField(help_text="The date of the case data the cohort was evaluated on.")
    cohort_size = models.PositiveIntegerField()
    # Children of the cohort with an allocated team: an audit needs a team to be done by.
    eligible_size = models.PositiveIntegerField()
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
                fields=["thematic_audit"],
                condition=Q(status="confirmed"),
                name="one_confirmed_thematic_sample",
            )
        ]

    def __str__(self) -> str:
        return f"Sample for {self.thematic_audit} (seed {self.seed})"

    def describe(self) -> str:
        """How the sample was drawn, in words: a finding says how far it generalises."""
        method = SampleMethod(self.method)
        match method:
            case SampleMethod.ALL:
                how = "every child in the cohort"
            case SampleMethod.RANDOM_N:
                how = f"{self.size} children at random"
            case SampleMethod.RANDOM_PERCENT:
                how = f"{self.size}% of the cohort at random"
            case _:
                group = method.label.rsplit(" ", 1)[-1]
                how = f"{self.size} at random from each {group}"
        return f"{how}, from a cohort of {self.cohort_size} as at {self.as_at:%-d %B %Y}"


class SampledChild(models.Model):
    sample = models.ForeignKey(ThematicSample, on_delete=models.CASCADE, related_name="children")
    child = models.ForeignKey("cases.Child", on_delete=models.PROTECT, related_name="+")
    # Fixed when drawn: re-importing case data changes the child's record, never the sample.
    la_child_id = models.CharField("LA child ID", max_length=50)
    team = models.ForeignKey("organisation.Team", on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        "organisation.Worker", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The area, service, team or worker it was drawn within, for the per-… methods.
    drawn_within = models.CharField(max_length=255, blank=True)
    audit = models.OneToOneField(
        "audits.Audit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="thematic_case",
    )

    class Meta:
        ordering = ["la_child_id"]
        constraints = [
            models.UniqueConstraint(fields=["sample", "child"], name="child_once_per_thematic")
        ]

    def __str__(self) -> str:
        return f"Child {self.la_child_id}"


class Consultation(models.Model):
    """An interview or focus group: managers, practitioners, IROs, young people."""

    thematic_audit = models.ForeignKey(
        ThematicAudit, on_delete=models.CASCADE, related_name="consultations"
    )
    who = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=ConsulteeRole.choices)
    held_on = models.DateField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.who} ({self.get_role_display()})"


class Finding(models.Model):
    thematic_audit = models.ForeignKey(
        ThematicAudit, on_delete=models.CASCADE, related_name="findings"
    )
    kind = models.CharField(max_length=15, choices=FindingKind.choices)
    summary = models.CharField(max_length=300)
    detail = models.TextField(blank=True)
    # Blank: not said, and so never counted as recurring.
    theme = models.CharField(max_length=20, choices=FindingTheme.choices, blank=True)
    severity = models.CharField(max_length=10, choices=Severity.choices, blank=True)
    status = models.CharField(
        max_length=15, choices=FindingStatus.choices, default=FindingStatus.IDENTIFIED
    )
    dismissed_reason = models.TextField(blank=True)
    # Set when an area for improvement is assigned: who answers for it, and by when.
    owner = models.ForeignKey(
        USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="thematic_findings_owned",
    )
    due_date = models.DateField(null=True, blank=True)
    # The audits that evidence it.
    evidence = models.ManyToManyField("audits.Audit", blank=True, related_name="+")
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["kind", "pk"]
        indexes = [models.Index(fields=["theme", "kind"])]

    def __str__(self) -> str:
        return self.summary


class Recommendation(models.Model):
    thematic_audit = models.ForeignKey(
        ThematicAudit, on_delete=models.CASCADE, related_name="recommendations"
    )
    text = models.TextField()
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:60]


class PlanAction(models.Model):
    """One line of the action plan."""

    thematic_audit = models.ForeignKey(
        ThematicAudit, on_delete=models.CASCADE, related_name="actions"
    )
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    recommendation = models.ForeignKey(
        Recommendation, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    action = models.TextField()
    intended_outcome = models.TextField()
    owner = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="thematic_actions")
    due_date = models.DateField()
    status = models.CharField(
        max_length=15, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    evidence = models.TextField(blank=True, help_text="Evidence that the action is complete.")
    completed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now, editable=False)

    objects = PlanActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_date"])]

    def __str__(self) -> str:
        return self.action[:60]

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(clock.today())

    def is_overdue_on(self, day) -> bool:
        # The rule ``querysets.overdue_q`` puts in SQL.
        return self.status in ActionStatus.open() and self.due_date < day


class ActionReminder(models.Model):
    """An email reminding someone of an action due or overdue: one per action, person and day,
    so running the reminders again the same day sends nothing twice."""

    action = models.ForeignKey(PlanAction, on_delete=models.CASCADE, related_name="reminders")
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField()
    # Why they were told: they own it, or they lead the thematic audit and it is overdue.
    as_lead = models.BooleanField(default=False)

    class Meta:
        ordering = ["-sent_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "recipient", "sent_on"], name="one_reminder_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"Reminder of {self.action} on {self.sent_on}"
