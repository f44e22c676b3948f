"""Highlight reports: the narrative a QA lead writes for a month, the exemplars chosen from real
audits, and the reports themselves: drafts built from live data, published copies frozen.

A published report keeps the data it was built from (``data``), the HTML of its body and its
PDF, Word and Excel files, so that nothing done to the audits afterwards can change it.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from caseaudit.core import clock
from caseaudit.core.grades import Grade
from caseaudit.reports.choices import (
    Edition,
    ExemplarKind,
    Format,
    ReflectionQuestion,
    ReportKind,
    ReportStatus,
    Section,
)

USER = settings.AUTH_USER_MODEL


class Narrative(models.Model):
    """One narrative section's text for one month: the QA lead's words, kept per month so a
    report for a range uses the words written for its last month."""

    council = models.ForeignKey("organisation.Council", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The first day of the month.")
    section = models.CharField(max_length=20, choices=Section.choices)
    text = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=clock.now)
    # Optimistic locking (core/versioning.py); a form loaded before there was any text for
    # the section posts 0, so a new section starts at 1.
    lock_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["council", "-month", "section"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "month", "section"], name="one_narrative_per_section"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="narrative_month_is_first"),
        ]

    def __str__(self) -> str:
        return f"{self.get_section_display()}, {self.month:%B %Y}"


class Exemplar(models.Model):
    """Text the QA lead chose from a real audit to show in the report: a descriptor of practice
    at one grade, a feedback quote (shared with consent) or a reflection answer. ``text`` is the
    wording the report shows, which QA may shorten or edit so that no child is identifiable."""

    council = models.ForeignKey("organisation.Council", on_delete=models.PROTECT, related_name="+")
    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=15, choices=ExemplarKind.choices)
    # Descriptors: the grade whose column the text illustrates.
    grade = models.CharField(max_length=25, choices=Grade.choices, blank=True)
    answer = models.ForeignKey(
        "audits.Answer", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    feedback = models.ForeignKey(
        "audits.Feedback", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    question = models.CharField(max_length=20, choices=ReflectionQuestion.choices, blank=True)
    text = models.TextField()
    chosen_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    chosen_at = models.DateTimeField(default=clock.now)

    class Meta:
        ordering = ["kind", "chosen_at", "pk"]
        indexes = [models.Index(fields=["council", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:40]}"


class PublishedInBackground(models.Model):
    """Publication runs in the background worker (``reports.tasks``), for every kind of report
    alike: who asked and when, how many of its steps are done (``actions.PUBLISH_STEPS``), and
    why it failed if it did."""

    publish_queued_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    publish_queued_at = models.DateTimeField(null=True, blank=True)
    publish_progress = models.PositiveSmallIntegerField(default=0)
    publish_failure = models.TextField(blank=True)

    class Meta:
        abstract = True


class HighlightReport(PublishedInBackground):
    council = models.ForeignKey("organisation.Council", on_delete=models.PROTECT, related_name="+")
    from_month = models.DateField()
    to_month = models.DateField()
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    published_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    # Frozen at publication: the built figures and the rendered body of the page.
    data = models.JSONField(default=dict, blank=True)
    html = models.TextField(blank=True)

    class Meta:
        ordering = ["-to_month", "-from_month", "-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "from_month", "to_month"],
                condition=Q(status="draft"),
                name="one_draft_report_per_period",
            ),
            models.CheckConstraint(
                condition=Q(from_month__lte=F("to_month")), name="report_period_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Audit highlight report, {self.period_label}"

    @property
    def period_label(self) -> str:
        if self.from_month == self.to_month:
            return f"{self.to_month:%B %Y}"
        return f"{self.from_month:%B %Y} to {self.to_month:%B %Y}"

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class KindReport(PublishedInBackground):
    """A thematic overview report or a select-committee pack (``choices.ReportKind``): what it
    covers (``parameters``: the thematic audits chosen, or the date of the case data), a draft
    built from live data until published, then frozen like a highlight report: its data, the
    rendered body and its files never change afterwards."""

    council = models.ForeignKey("organisation.Council", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=15, choices=ReportKind.choices)
    # ``reports.kinds``: {"audits": [ids]} for a thematic overview, {"as_at": "YYYY-MM-DD"}
    # for a pack.
    parameters = models.JSONField(default=dict)
    title = models.CharField(max_length=300)
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=clock.now)
    published_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)
    html = models.TextField(blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at", "-pk"]
        indexes = [models.Index(fields=["council", "kind", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED


class ReportFile(models.Model):
    """A published report's file, stored in the database so every app process serves the same
    bytes without a shared disk: a highlight report's, or a ``KindReport``'s."""

    report = models.ForeignKey(
        HighlightReport, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    kind_report = models.ForeignKey(
        KindReport, null=True, blank=True, on_delete=models.CASCADE, related_name="files"
    )
    edition = models.CharField(max_length=10, choices=Edition.choices, default=Edition.PUBLIC)
    format = models.CharField(max_length=5, choices=Format.choices)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["report", "-edition", "format"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "edition", "format"], name="one_file_per_edition_and_format"
            ),
            models.UniqueConstraint(
                fields=["kind_report", "edition", "format"],
                name="one_kind_file_per_edition_and_format",
            ),
            models.CheckConstraint(
                condition=Q(report__isnull=True, kind_report__isnull=False)
                | Q(report__isnull=False, kind_report__isnull=True),
                name="report_file_of_one_report",
            ),
        ]

    def __str__(self) -> str:
        return self.filename
