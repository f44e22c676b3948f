from django.db import models


class InspectionKind(models.TextChoices):
    """What kind of visit it was. Only the graded kinds carry judgements (``GRADED``)."""

    STANDARD = "standard", "Standard inspection"
    SHORT = "short", "Short inspection"
    FOCUSED_VISIT = "focused_visit", "Focused visit"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
    MOCK = "mock", "Mock inspection"

    @classmethod
    def graded(cls) -> list[str]:
        """Ofsted grades the judgement areas at a standard or short inspection; a focused or
        monitoring visit reports without grades. A mock inspection grades as the real one
        would, to rehearse it."""
        return [cls.STANDARD, cls.SHORT, cls.MOCK]


class RagKind(models.TextChoices):
    """A RAG status is first proposed from the recommendation's chain of evidence, then
    confirmed (or changed) by a person with a rationale; the history keeps both."""

    PROPOSED = "proposed", "Proposed"
    CONFIRMED = "confirmed", "Confirmed"


class EvidenceKind(models.TextChoices):
    AUDIT_DOMAIN = "audit_domain", "Audit grades for a domain"
    THEMATIC_AUDIT = "thematic_audit", "Thematic audit"
    THEMATIC_FINDING = "thematic_finding", "Thematic audit finding"
    INDICATOR = "indicator", "Performance indicator"
