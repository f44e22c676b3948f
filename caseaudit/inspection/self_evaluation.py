"""'Know ourselves' for one judgement area and period: the self-evaluation, answering issue
15's three questions.

1. What do we know about the quality and impact of practice? Evidence from casework first:
   the programme's overall judgements of the audits of the area's cohort (the services whose
   children the area is about) by month and by service, with their trend
   (``audits.judgements``, the highlight report's counts); the audit domains, thematic audits
   and findings linked to the area's recommendations; family and partner feedback gathered in
   those audits; then the linked indicators against their targets and benchmarks.
2. How do we know? Every claim names its evidence (``Source``: E1, E2…), and each source says
   where in caseaudit it comes from, the date it speaks for, its age and whether it is stale
   (``evidence.STALE_AFTER_MONTHS``).
3. What will we do in the next 12 months? The open recommendations with their confirmed RAG,
   and for each its indicators' target, latest value and trend; the open actions with their
   due dates.

Every figure is read as its own page reads it (``evidence.read``), so the live page and the
published report (``reports.self_evaluation_report``) show the audit, thematic and
performance pages' own figures. Nothing here is about one child: counts, and the text staff
wrote about services.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from caseaudit.audits import compliance, judgements
from caseaudit.audits.choices import FeedbackFrom, Rag
from caseaudit.audits.models import Feedback
from caseaudit.core.months import month_end, month_key, month_label, months_between
from caseaudit.inspection import evidence as reading
from caseaudit.inspection.choices import EvidenceKind
from caseaudit.inspection.models import Evidence, Recommendation, RecommendationAction
from caseaudit.organisation.models import Service
from caseaudit.performance.pages import beside
from caseaudit.thematic.choices import ActionStatus
from caseaudit.thematic.querysets import rating_distributions


def months_old(as_of: datetime.date, today: datetime.date) -> int:
    return max(0, (today.year - as_of.year) * 12 + today.month - as_of.month)


@dataclass
class Source:
    """One piece of evidence, answering "how do we know?": where it is and when it is from."""

    key: str
    title: str
    link: str
    as_of: datetime.date | None
    today: datetime.date

    @property
    def age_months(self) -> int | None:
        return None if self.as_of is None else months_old(self.as_of, self.today)

    @property
    def stale(self) -> bool:
        return reading.is_stale(self.as_of, self.today)

    @property
    def age(self) -> str:
        if self.as_of is None:
            return "No date"
        months = self.age_months
        if months == 0:
            return "This month"
        return f"{months} month{'s' if months != 1 else ''} old"


@dataclass
class Grades:
    """Overall judgements counted for one row (a month, a service): best grade first."""

    label: str
    counts: list[int]

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def good_or_better(self) -> int | None:
        return compliance.whole_percent(self.counts[0] + self.counts[1], self.total)


@dataclass
class Claim:
    """A piece of evidence as "what do we know?" shows it, with the source it rests on."""

    shown: reading.Reading
    source: Source
    # A thematic audit's overall judgements, best grade first (label, count).
    ratings: list[tuple[str, int]] = field(default_factory=list)
    benchmarks: list = field(default_factory=list)


@dataclass
class Plan:
    """A recommendation still to answer, with its RAG and its measures' progress."""

    recommendation: Recommendation
    measures: list[Claim] = field(default_factory=list)


@dataclass
class SelfEvaluation:
    area: object
    from_month: datetime.date
    to_month: datetime.date
    today: datetime.date
    # The cohort: the council's services whose audits count, by name (empty: every service).
    services: list[str] = field(default_factory=list)
    # 1. What do we know: casework first.
    by_month: list[Grades] = field(default_factory=list)
    by_service: list[Grades] = field(default_factory=list)
    judgements_source: Source | None = None
    domains: list[Claim] = field(default_factory=list)
    thematic_audits: list[Claim] = field(default_factory=list)
    findings: list[Claim] = field(default_factory=list)
    feedback: list[tuple[str, int]] = field(default_factory=list)
    feedback_source: Source | None = None
    indicators: list[Claim] = field(default_factory=list)
    # 2. How do we know: every source, in the order the claims cite them.
    sources: list[Source] = field(default_factory=list)
    # 3. What will we do.
    recommendations: list[Recommendation] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    open_actions: list = field(default_factory=list)

    @property
    def period_label(self) -> str:
        if self.from_month == self.to_month:
            return month_label(self.to_month)
        return f"{month_label(self.from_month)} to {month_label(self.to_month)}"

    @property
    def cohort(self) -> str:
        """Whose audits count, in words, for the page and the report alike."""
        if self.services:
            return "Audits of children with " + ", ".join(self.services)
        if self.area.cohort_services:
            # Chosen kinds the council has no service of: nothing counts, and the reader is told.
            kinds = ", ".join(self.area.cohort_labels)
            return f"Audits of children with {kinds} (the council has no such service)"
        return "Every service's audits"

    @property
    def judgements(self) -> Grades:
        counts = [
            sum(row.counts[i] for row in self.by_month) for i in range(len(judgements.GRADES))
        ]
        return Grades("All audits of the cohort", counts)

    @property
    def direction(self) -> str:
        return judgements.direction([row.good_or_better for row in self.by_month])

    @property
    def feedback_total(self) -> int:
        return sum(count for _label, count in self.feedback)

    @property
    def stale(self) -> int:
        return sum(source.stale for source in self.sources)

    @property
    def from_casework(self) -> bool:
        """Whether any evidence comes from casework (audits, thematic findings, feedback), not
        indicators alone."""
        return bool(
            self.judgements.total
            or self.domains
            or self.thematic_audits
            or self.findings
            or self.feedback_total
        )


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


def _audits_link(from_month, to_month) -> str:
    query = urlencode({"from": month_key(from_month), "to": month_key(to_month)})
    return f"{reverse('audits:compliance')}?{query}"


def _cohort_judgements(council, kinds, from_month, to_month, result) -> None:
    """The cohort's overall judgements by month and by service: one grouped query."""
    audits = judgements.judged(
        compliance.counted_audits(council, from_month=from_month, to_month=to_month)
    )
    if kinds:
        audits = audits.filter(team__service__kind__in=kinds)
    months: dict[datetime.date, dict[str, int]] = defaultdict(dict)
    services: dict[str, dict[str, int]] = defaultdict(dict)
    for row in (
        audits.values(
            "overall_grade", "team__service__name", counted_month=compliance.reporting_month()
        )
        .annotate(n=Count("pk"))
        .order_by()
    ):
        grade, n = row["overall_grade"], row["n"]
        month = months[row["counted_month"]]
        month[grade] = month.get(grade, 0) + n
        service = services[row["team__service__name"] or "No service"]
        service[grade] = service.get(grade, 0) + n
    result.by_month = [
        Grades(f"{month:%b %Y}", judgements.grade_counts(months.get(month, {})))
        for month in months_between(from_month, to_month)
    ]
    result.by_service = [
        Grades(name, judgements.grade_counts(services[name])) for name in sorted(services)
    ]


def _feedback(council, kinds, from_month, to_month) -> list[tuple[str, int]]:
    """Feedback from parents, children, carers and partners gathered in the cohort's audits
    counting in the period: one grouped query."""
    found = Feedback.objects.filter(audit__council=council).filter(
        compliance.could_count_in(council, from_month, to_month, "audit__")
    )
    if kinds:
        found = found.filter(audit__team__service__kind__in=kinds)
    counted = dict(
        found.alias(counted_month=compliance.reporting_month("audit__"))
        .filter(counted_month__gte=from_month, counted_month__lte=to_month)
        .values("given_by")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("given_by", "n")
    )
    return [(source.label, counted.get(source.value, 0)) for source in FeedbackFrom]


def build(
    council,
    area,
    user,
    *,
    today: datetime.date,
    from_month: datetime.date | None = None,
    to_month: datetime.date | None = None,
    aggregates_only: bool | None = None,
) -> SelfEvaluation:
    """The self-evaluation of ``area`` for the months given (the last 12 complete months by
    default). Indicators are read as ``user`` is shown them on their own page, or, for a
    published report, as those who see aggregates only are (``aggregates_only``)."""
    if from_month is None or to_month is None:
        from_month, to_month = compliance.default_period(today)
    result = SelfEvaluation(area, from_month, to_month, today)
    # Whose audits speak for the area: the kinds of service it names (empty: every service).
    kinds = area.cohort_services
    if kinds:
        result.services = list(
            Service.objects.filter(council=council, kind__in=kinds)
            .order_by("name")
            .values_list("name", flat=True)
        )

    def cite(title: str, link: str, as_of) -> Source:
        source = Source(f"E{len(result.sources) + 1}", title, link, as_of, today)
        result.sources.append(source)
        return source

    _cohort_judgements(council, kinds, from_month, to_month, result)
    result.judgements_source = cite(
        f"Programme audits: overall judgements, {result.period_label}",
        _audits_link(from_month, to_month),
        month_end(to_month),
    )
    result.feedback = _feedback(council, kinds, from_month, to_month)
    result.feedback_source = cite(
        f"Programme audits: family and partner feedback, {result.period_label}",
        _audits_link(from_month, to_month),
        month_end(to_month),
    )

    recommendations = list(
        Recommendation.objects.of_real_inspections()
        .filter(inspection__council=council, area=area)
        .select_related("inspection")
        .with_rag()
        .order_by("-inspection__started_on", "number")
    )
    result.recommendations = recommendations
    claims: dict[tuple, Claim] = {}
    measures: dict[int, list[Claim]] = defaultdict(list)
    linked = reading.with_relations(
        Evidence.objects.filter(recommendation__in=recommendations).order_by("kind", "pk")
    )
    for evidence in linked:
        key = _key(evidence)
        if key not in claims:
            shown = reading.read(evidence, council, user, aggregates_only=aggregates_only)
            claim = Claim(shown, cite(shown.title, shown.link, shown.as_of))
            claims[key] = claim
            match evidence.kind:
                case EvidenceKind.AUDIT_DOMAIN:
                    result.domains.append(claim)
                case EvidenceKind.THEMATIC_FINDING:
                    result.findings.append(claim)
                case EvidenceKind.THEMATIC_AUDIT:
                    result.thematic_audits.append(claim)
                case _:
                    result.indicators.append(claim)
        if evidence.kind == EvidenceKind.INDICATOR and claims[key].shown.indicator:
            if not any(c is claims[key] for c in measures[evidence.recommendation_id]):
                measures[evidence.recommendation_id].append(claims[key])

    if result.thematic_audits:
        ratings = rating_distributions(
            [claim.shown.evidence.thematic_audit_id for claim in result.thematic_audits]
        )
        for claim in result.thematic_audits:
            claim.ratings = ratings[claim.shown.evidence.thematic_audit_id]
    dated = [claim for claim in result.indicators if claim.shown.indicator and claim.shown.as_of]
    if dated:
        as_at = max(claim.shown.as_of for claim in dated)
        found = beside(council, as_at, {claim.shown.evidence.indicator_code for claim in dated})
        for claim in result.indicators:
            claim.benchmarks = found.get(claim.shown.evidence.indicator_code, [])

    result.open_actions = list(
        RecommendationAction.objects.filter(
            recommendation__in=recommendations, status__in=ActionStatus.open()
        )
        .select_related("owner", "recommendation")
        .order_by("due_date", "pk")
    )
    still_open = {action.recommendation_id for action in result.open_actions}
    result.plans = [
        Plan(recommendation, measures.get(recommendation.pk, []))
        for recommendation in recommendations
        if recommendation.pk in still_open or recommendation.confirmed_rag != Rag.GREEN
    ]
    return result
