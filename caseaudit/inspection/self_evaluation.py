"""'Know ourselves' for one judgement area: what the council knows about the quality and
impact of its practice there, how it knows, and what it will do next (issue 15's three
questions). Built from the area's recommendations and the evidence linked to them, each read
as its own page reads it (``evidence.read``), so every figure is the audit, thematic or
performance page's own.

This is the live page's builder. The published, frozen self-evaluation (HTML, PDF, Word) is
still to come: a report kind would build from the same function.
"""

import datetime
from dataclasses import dataclass, field

from caseaudit.inspection import evidence as reading
from caseaudit.inspection.choices import EvidenceKind
from caseaudit.inspection.models import Evidence, Recommendation, RecommendationAction
from caseaudit.performance.pages import beside
from caseaudit.thematic.choices import ActionStatus


@dataclass
class SelfEvaluation:
    area: object
    recommendations: list = field(default_factory=list)
    # What do we know: the audits' grades and the thematic findings.
    audit_grades: list[reading.Reading] = field(default_factory=list)
    findings: list[reading.Reading] = field(default_factory=list)
    thematic_audits: list[reading.Reading] = field(default_factory=list)
    # How do we know it is changing: indicators against their targets and benchmarks.
    indicators: list[tuple[reading.Reading, list]] = field(default_factory=list)
    # What will we do: the actions still open.
    open_actions: list = field(default_factory=list)
    stale: int = 0


def _key(evidence) -> tuple:
    """Evidence linked to several recommendations is shown once."""
    return (
        evidence.kind,
        evidence.domain_title,
        evidence.from_month,
        evidence.to_month,
        evidence.thematic_audit_id,
        evidence.finding_id,
        evidence.indicator_code,
        evidence.target,
    )


def build(council, area, user, *, today: datetime.date) -> SelfEvaluation:
    result = SelfEvaluation(area)
    recommendations = list(
        Recommendation.objects.of_real_inspections()
        .filter(inspection__council=council, area=area)
        .select_related("inspection")
        .with_rag()
        .order_by("-inspection__started_on", "number")
    )
    result.recommendations = recommendations
    seen = set()
    linked = reading.with_relations(
        Evidence.objects.filter(recommendation__in=recommendations).order_by("pk")
    )
    for evidence in linked:
        if _key(evidence) in seen:
            continue
        seen.add(_key(evidence))
        shown = reading.read(evidence, council, user)
        result.stale += shown.is_stale(today)
        match evidence.kind:
            case EvidenceKind.AUDIT_DOMAIN:
                result.audit_grades.append(shown)
            case EvidenceKind.THEMATIC_FINDING:
                result.findings.append(shown)
            case EvidenceKind.THEMATIC_AUDIT:
                result.thematic_audits.append(shown)
            case _:
                result.indicators.append((shown, []))
    dated = [shown for shown, _ in result.indicators if shown.indicator and shown.as_of]
    if dated:
        as_at = max(shown.as_of for shown in dated)
        found = beside(council, as_at, {shown.evidence.indicator_code for shown in dated})
        result.indicators = [
            (shown, found.get(shown.evidence.indicator_code, [])) for shown, _ in result.indicators
        ]
    result.open_actions = list(
        RecommendationAction.objects.filter(
            recommendation__in=recommendations, status__in=ActionStatus.open()
        )
        .select_related("owner", "recommendation")
        .order_by("due_date", "pk")
    )
    return result
