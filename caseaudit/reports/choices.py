from django.db import models


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class Edition(models.TextChoices):
    """Who a report is for. The public edition goes to elected members and anyone who reads
    reports, with small numbers suppressed; the internal edition, for the QA service and its
    managers, shows every figure as counted and says on every page that it is not for
    publication."""

    PUBLIC = "public", "Wide circulation"
    INTERNAL = "internal", "Internal: not for publication"


class Section(models.TextChoices):
    """The narrative sections a QA lead writes, kept per council and month."""

    INTRODUCTION = "introduction", "Introduction"
    RECOMMENDATIONS = "recommendations", "Practice recommendations for the month"
    THEMES = "themes", "Practice themes: commentary"
    FEEDBACK = "feedback", "Parent, child and partner feedback: commentary"
    REFLECTION = "reflection", "Social worker reflection: commentary"
    STANDARDS = "standards", "Recommendations and practice standards"


class ExemplarKind(models.TextChoices):
    """Where an exemplar's text comes from, and so where the report shows it."""

    DESCRIPTOR = "descriptor", "Practice theme descriptor"
    STRENGTH = "strength", "Feedback: practice strength"
    IMPROVEMENT = "improvement", "Feedback: area for improvement"
    REFLECTION = "reflection", "Social worker reflection"


class ReflectionQuestion(models.TextChoices):
    """The four questions of the reflection sheet, by their ReflectionSheet field."""

    WENT_WELL = "went_well", "What went well?"
    CHALLENGES = "challenges", "What were the challenges?"
    TOOLS_NEEDED = "tools_needed", "Do you have the tools you need?"
    DO_DIFFERENTLY = "do_differently", "What would you do differently?"


class ReportKind(models.TextChoices):
    """The reports besides the highlight report, each built by its module of ``reports.kinds``
    into the one document shape (``reports.document``) that every format renders."""

    THEMATIC = "thematic", "Thematic overview report"
    COMPENDIUM = "compendium", "Select-committee performance pack"
    SELF_EVALUATION = "self-evaluation", "Self-evaluation"


class Format(models.TextChoices):
    HTML = "html", "HTML"
    PDF = "pdf", "PDF"
    DOCX = "docx", "Word"
    XLSX = "xlsx", "Excel"
