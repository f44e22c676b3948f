"""What each piece of evidence says now: read from the rest of caseaudit when it is shown, so
a recommendation's evidence is always the audit, thematic and performance pages' own figures,
never a copy that drifts from them.

- audit grades for a domain over a period: ``audits.judgements.domain_grades`` (the
  highlight report's count);
- a thematic audit or one of its findings: the records themselves;
- an indicator: ``performance.indicators.trend`` at each snapshot of case data, the latest
  value against the council's target, and which way it is going.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.urls import reverse

from caseaudit.audits.judgements import DomainGrades, domain_grades
from caseaudit.core import clock
from caseaudit.core.months import add_months, month_end, month_key
from caseaudit.inspection.choices import EvidenceKind
from caseaudit.performance import published
from caseaudit.performance.indicators import INDICATORS, PERCENT, RATE, Indicator, trend

IMPROVING, WORSENING, NO_CHANGE = "improving", "worsening", "no change"
# One snapshot only, or the earlier ones withheld from this reader as small numbers.
TOO_FEW = "no earlier value to compare"
RISING, FALLING = "rising", "falling"


def _number(value) -> float | int | None:
    """A value to compare, or None: not there, or withheld from this reader (``c``)."""
    return value if isinstance(value, int | float) else None


@dataclass
class IndicatorReading:
    """An indicator linked as evidence: its target, its latest value and its trend. Values are
    as the reader is shown them on the indicator's own page (``performance.published``):
    exact for staff, suppressed (``c``) where small for those who see aggregates only."""

    indicator: Indicator
    target: Decimal | None
    values: list[tuple[datetime.date, object]] = field(default_factory=list)

    @property
    def latest(self):
        return self.values[-1][1] if self.values else None

    @property
    def latest_on(self) -> datetime.date | None:
        return self.values[-1][0] if self.values else None

    @property
    def previous(self) -> float | int | None:
        known = [_number(value) for _, value in self.values[:-1]]
        known = [value for value in known if value is not None]
        return known[-1] if known else None

    @property
    def trend(self) -> str:
        """Since the snapshot before the latest: improving or worsening where the indicator
        has a better direction, rising or falling where it has none (demand)."""
        latest = _number(self.latest)
        if latest is None or self.previous is None:
            return TOO_FEW
        if latest == self.previous:
            return NO_CHANGE
        up = latest > self.previous
        if self.indicator.up_is_good is None:
            return RISING if up else FALLING
        return IMPROVING if up == self.indicator.up_is_good else WORSENING

    @property
    def target_met(self) -> bool | None:
        """None when there is no target, no value to judge, or no better direction."""
        latest = _number(self.latest)
        if self.target is None or latest is None or self.indicator.up_is_good is None:
            return None
        latest = Decimal(str(latest))
        return latest >= self.target if self.indicator.up_is_good else latest <= self.target

    def shown(self, value) -> str:
        return show_value(self.indicator, value)

    @property
    def latest_shown(self) -> str:
        return self.shown(self.latest)

    @property
    def target_shown(self) -> str:
        return "Not set" if self.target is None else self.shown(self.target)


def show_value(indicator: Indicator, value) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value  # withheld: "c"
    if indicator.kind == PERCENT:
        return f"{value:.1f}%"
    if indicator.kind == RATE:
        return f"{value:.1f} per 10,000"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.1f}"


def indicator_values(
    council, code: str, user=None, *, aggregates_only: bool | None = None
) -> list[tuple[datetime.date, object]] | None:
    """The indicator at each snapshot of case data, oldest first (a council has one a month):
    as ``user`` is shown it, or exact when no one is asking (the RAG rule); as those who see
    aggregates only are shown it with ``aggregates_only`` (a published report). None for a
    code the library no longer has."""
    indicator = INDICATORS.get(code)
    if indicator is None:
        return None
    if user is None and not aggregates_only:
        return [(day, figure.value) for day, figure in trend(council, indicator)]
    history = published.history(council, indicator, user, aggregates_only=aggregates_only)
    return [(day, shown.value) for day, shown in history]


def read_indicator(council, code: str, target: Decimal | None, user=None, *, aggregates_only=None):
    values = indicator_values(council, code, user, aggregates_only=aggregates_only)
    if values is None:
        return None
    return IndicatorReading(INDICATORS[code], target, values)


# Evidence that speaks for a time longer ago than this is flagged stale: what it shows may no
# longer be so (DESIGN.md C6; a self-evaluation asks "how do we know?" of today's practice).
STALE_AFTER_MONTHS = 12


def is_stale(as_of: datetime.date | None, today: datetime.date) -> bool:
    """Evidence speaking for a day more than ``STALE_AFTER_MONTHS`` before ``today``."""
    return as_of is not None and as_of < add_months(today, -STALE_AFTER_MONTHS)


@dataclass
class Reading:
    """One piece of evidence as a page shows it, and the date it speaks for."""

    evidence: object
    title: str
    link: str
    detail: str = ""
    domain: DomainGrades | None = None
    indicator: IndicatorReading | None = None
    as_of: datetime.date | None = None

    def is_stale(self, today: datetime.date) -> bool:
        return is_stale(self.as_of, today)

    @property
    def stale(self) -> bool:
        return self.is_stale(clock.today())


def _audit_link(evidence) -> str:
    query = urlencode({"from": month_key(evidence.from_month), "to": month_key(evidence.to_month)})
    return f"{reverse('audits:compliance')}?{query}"


def read(evidence, council, user=None, *, aggregates_only: bool | None = None) -> Reading:
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
            as_of=month_end(evidence.to_month),
        )
    if kind == EvidenceKind.THEMATIC_AUDIT:
        audit = evidence.thematic_audit
        return Reading(
            evidence,
            f"Thematic audit: {audit.title}",
            audit.get_absolute_url(),
            audit.get_status_display(),
            as_of=audit.completed_on or audit.period_end,
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
            as_of=audit.completed_on or audit.period_end,
        )
    reading = read_indicator(
        council, evidence.indicator_code, evidence.target, user, aggregates_only=aggregates_only
    )
    if reading is None:
        return Reading(evidence, f"Indicator {evidence.indicator_code}", "", "No longer defined")
    return Reading(
        evidence,
        f"Indicator: {reading.indicator.name}",
        reverse("performance:indicator", args=[evidence.indicator_code]),
        indicator=reading,
        as_of=reading.latest_on,
    )


def with_relations(evidence_queryset):
    return evidence_queryset.select_related("thematic_audit", "finding__thematic_audit")
