"""What each piece of evidence says now: read from the rest of caseaudit when it is shown, so
a recommendation's evidence is always the audit, thematic and performance pages' own figures,
never a copy that drifts from them.

- audit grades for a domain over a period: ``audits.domain_grades`` (the highlight report's
  count);
- a thematic audit or one of its findings: the records themselves;
- an indicator: ``performance.indicators.trend`` at each snapshot of case data, the latest
  value against the council's target, and which way it is going.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from caseaudit.audits.domain_grades import DomainGrades, domain_grades
from caseaudit.core.months import month_key
from caseaudit.inspection.choices import EvidenceKind
from caseaudit.performance.indicators import INDICATORS, PERCENT, RATE, Indicator, trend

IMPROVING, WORSENING, NO_CHANGE, TOO_FEW = "improving", "worsening", "no change", "one value only"
RISING, FALLING = "rising", "falling"


@dataclass
class IndicatorReading:
    """An indicator linked as evidence: its target, its latest value and its trend."""

    indicator: Indicator
    target: Decimal | None
    values: list[tuple[datetime.date, float | int | None]] = field(default_factory=list)

    @property
    def latest(self) -> float | int | None:
        return self.values[-1][1] if self.values else None

    @property
    def latest_on(self) -> datetime.date | None:
        return self.values[-1][0] if self.values else None

    @property
    def previous(self) -> float | int | None:
        known = [value for _, value in self.values[:-1] if value is not None]
        return known[-1] if known else None

    @property
    def trend(self) -> str:
        """Since the snapshot before the latest: improving or worsening where the indicator
        has a better direction, rising or falling where it has none (demand)."""
        if self.latest is None or self.previous is None:
            return TOO_FEW
        if self.latest == self.previous:
            return NO_CHANGE
        up = self.latest > self.previous
        if self.indicator.up_is_good is None:
            return RISING if up else FALLING
        return IMPROVING if up == self.indicator.up_is_good else WORSENING

    @property
    def target_met(self) -> bool | None:
        """None when there is no target, no value, or no better direction to judge by."""
        if self.target is None or self.latest is None or self.indicator.up_is_good is None:
            return None
        latest = Decimal(str(self.latest))
        return latest >= self.target if self.indicator.up_is_good else latest <= self.target

    def shown(self, value) -> str:
        return show_value(self.indicator, value)


def show_value(indicator: Indicator, value) -> str:
    if value is None:
        return "–"
    if indicator.kind == PERCENT:
        return f"{value:.1f}%"
    if indicator.kind == RATE:
        return f"{value:.1f} per 10,000"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def read_indicator(council, code: str, target: Decimal | None) -> IndicatorReading | None:
    """One evaluation per snapshot of case data (a council has one a month), never per row."""
    indicator = INDICATORS.get(code)
    if indicator is None:
        return None
    history = trend(council, indicator)
    return IndicatorReading(indicator, target, [(day, fig.value) for day, fig in history])


@dataclass
class Reading:
    """One piece of evidence as a page shows it."""

    evidence: object
    title: str
    link: str
    detail: str = ""
    domain: DomainGrades | None = None
    indicator: IndicatorReading | None = None


def _audit_link(evidence) -> str:
    query = urlencode({"from": month_key(evidence.from_month), "to": month_key(evidence.to_month)})
    return f"{reverse('audits:compliance')}?{query}"


def read(evidence, council) -> Reading:
    """What the evidence says now, with a link to the page it comes from."""
    kind = evidence.kind
    if kind == EvidenceKind.AUDIT_DOMAIN:
        grades = domain_grades(
            council, evidence.domain_title, evidence.from_month, evidence.to_month
        )
        period = f"{evidence.from_month:%B %Y} to {evidence.to_month:%B %Y}"
        share = grades.good_or_better
        detail = (
            f"{grades.total} grades given; "
            f"{'–' if share is None else f'{share}%'} good or better; {grades.direction}"
        )
        return Reading(
            evidence,
            f"Audits: {evidence.domain_title}, {period}",
            _audit_link(evidence),
            detail,
            domain=grades,
        )
    if kind == EvidenceKind.THEMATIC_AUDIT:
        audit = evidence.thematic_audit
        return Reading(
            evidence,
            f"Thematic audit: {audit.title}",
            audit.get_absolute_url(),
            audit.get_status_display(),
        )
    if kind == EvidenceKind.THEMATIC_FINDING:
        finding = evidence.finding
        audit = finding.thematic_audit
        return Reading(
            evidence,
            f"Finding: {finding.summary}",
            audit.get_absolute_url(),
            f"{finding.get_kind_display()} ({finding.get_status_display().lower()}), "
            f"from '{audit.title}'",
        )
    reading = read_indicator(council, evidence.indicator_code, evidence.target)
    if reading is None:
        return Reading(evidence, f"Indicator {evidence.indicator_code}", "", "No longer defined")
    return Reading(
        evidence,
        f"Indicator: {reading.indicator.name}",
        reverse("performance:indicator", args=[evidence.indicator_code]),
        indicator=reading,
    )


def with_relations(evidence_queryset):
    return evidence_queryset.select_related("thematic_audit", "finding__thematic_audit")
