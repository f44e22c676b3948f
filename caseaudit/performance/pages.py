"""What the performance pages show, worked out for a person: the snapshot asked for, the
figures, and which teams' children they may drill down to. Views parse and render; the
choices are made here, so the command line and the pages cannot disagree."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from caseaudit.accounts import permissions
from caseaudit.audits import compliance, judgements
from caseaudit.cases.models import Snapshot
from caseaudit.core.grades import ORDER
from caseaudit.core.months import add_months
from caseaudit.organisation.models import Team
from caseaudit.performance.benchmarks import benchmarks_for
from caseaudit.performance.choices import Comparator
from caseaudit.performance.indicators import (
    INDICATORS,
    Figure,
    Indicator,
    NoSnapshot,
    breakdowns,
    evaluate,
    snapshot_for,
)

# A team's audit grades beside its indicators are those of the six reporting months to the
# month of the case data's date: the period of the six-month indicators (referrals,
# assessments), so the two describe the same stretch of the team's work.
GRADE_MONTHS = 6


class BadAsAt(ValueError):
    """The as-at date could not be read; the message is the one to show."""


def chosen_snapshot(council, text: str | None) -> Snapshot:
    """The snapshot ``text`` names (YYYY-MM-DD), or the latest; ``BadAsAt`` or ``NoSnapshot``
    with a message a person can act on."""
    if not text:
        latest = Snapshot.objects.filter(council=council).order_by("-as_at").first()
        if latest is None:
            raise NoSnapshot("No case data has been imported yet, so there are no indicators.")
        return latest
    try:
        day = datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise BadAsAt(
            "Enter the as-at date as year, month and day, for example 2025-03-31"
        ) from None
    return snapshot_for(council, day)


def snapshot_dates(council) -> list[datetime.date]:
    return list(
        Snapshot.objects.filter(council=council).order_by("-as_at").values_list("as_at", flat=True)
    )


def drillable_team_ids(user) -> set[int]:
    """The teams whose children the person may list from a figure: none for those who see
    aggregates only, their own team for a team manager, their scope's teams for others."""
    if not permissions.can_see_child_records(user):
        return set()
    return set(Team.objects.visible_to(user).values_list("id", flat=True))


def beside(council, as_at: datetime.date, codes) -> dict[str, list[tuple[str, int, object]]]:
    """For each indicator, its benchmarks as the page lists them: (comparator, year, value),
    statistical neighbours first, then region, then England."""
    found = benchmarks_for(council, as_at, codes)
    return {
        code: [
            (comparator.label, *figures[comparator.value])
            for comparator in Comparator
            if comparator.value in figures
        ]
        for code, figures in found.items()
    }


@dataclass
class TeamFigure:
    """One indicator for a team beside the council's: the team's figure is None where the
    indicator counts none of the team's rows."""

    indicator: Indicator
    team: Figure | None
    council: Figure


@dataclass
class GradeCount:
    label: str
    count: int
    percent: int | None


@dataclass
class TeamView:
    """A team's indicators at a date beside its audit grades for the months to that date."""

    figures: list[TeamFigure]
    from_month: datetime.date
    to_month: datetime.date
    grades: list[GradeCount]
    judged: int
    domains: list[tuple[str, list[GradeCount], int, int | None]]


def grade_months(as_at: datetime.date) -> tuple[datetime.date, datetime.date]:
    to_month = as_at.replace(day=1)
    return add_months(to_month, 1 - GRADE_MONTHS), to_month


def _graded(counts: list[int]) -> tuple[list[GradeCount], int, int | None]:
    """Counts by grade with each one's share, the total, and the share good or better; the
    shares are whole percents rounded as the programme's (``compliance.whole_percent``)."""
    total = sum(counts)
    rows = [
        GradeCount(grade.label, count, compliance.whole_percent(count, total))
        for grade, count in zip(ORDER, counts, strict=True)
    ]
    return rows, total, compliance.whole_percent(counts[0] + counts[1], total)


def team_view(snapshot: Snapshot, team: Team) -> TeamView:
    """Every indicator with a breakdown, for the team and the council, and the team's audit
    grades from the monthly programme (``audits.judgements``, the programme's own rule)."""
    chosen = [indicator for indicator in INDICATORS.values() if indicator.has_breakdown]
    council = evaluate(snapshot, chosen)
    by_team = breakdowns(snapshot, chosen, "team")
    figures = []
    for indicator in chosen:
        mine = [f for pk, _name, f in by_team[indicator.code].rows if pk == team.pk]
        figures.append(TeamFigure(indicator, mine[0] if mine else None, council[indicator.code]))
    from_month, to_month = grade_months(snapshot.as_at)
    found = judgements.team_grades(snapshot.council, team, from_month, to_month)
    grades, judged, _good = _graded(found["overall"])
    domains = [(title, *_graded(counts)) for title, counts in found["domains"]]
    return TeamView(figures, from_month, to_month, grades, judged, domains)
