"""Who may see which thematic audits and actions, and when an action is overdue."""

import datetime
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from caseaudit.accounts import permissions
from caseaudit.audits import judgements
from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.models import Audit
from caseaudit.core import clock
from caseaudit.core.grades import Grade
from caseaudit.core.months import add_months, month_start
from caseaudit.core.working_days import add_working_days
from caseaudit.thematic.choices import (
    PROGRAMME_DOMAIN_THEMES,
    ActionStatus,
    FindingKind,
    FindingStatus,
    SampleStatus,
    ThematicStatus,
)


class ThematicAuditQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The QA lead sees the council's thematic audits; an inspection lead those they
        lead; anyone else none (a team manager reaches theirs through their audits and
        actions)."""
        if not permissions.can_lead_thematic_audits(user):
            return self.none()
        mine = self.filter(council_id=user.council_id)
        if permissions.sees_all_thematic_audits(user):
            return mine
        return mine.filter(lead=user)


def overdue_q(today: datetime.date | None = None) -> Q:
    """Never stored: an action not done whose due date has passed."""
    return Q(status__in=ActionStatus.open(), due_date__lt=today or clock.today())


# An action is "due" from this many working days before its due date: the home page and the
# reminder emails say so, one rule for both.
DUE_SOON_WORKING_DAYS = 5


def due_soon_q(today: datetime.date | None = None) -> Q:
    """Not done, and due today or within ``DUE_SOON_WORKING_DAYS`` working days."""
    today = today or clock.today()
    return Q(
        status__in=ActionStatus.open(),
        due_date__gte=today,
        due_date__lte=add_working_days(today, DUE_SOON_WORKING_DAYS),
    )


class PlanActionQuerySet(models.QuerySet):
    def overdue(self, today: datetime.date | None = None):
        return self.filter(overdue_q(today))

    def due_soon(self, today: datetime.date | None = None):
        return self.filter(due_soon_q(today))

    def visible_to(self, user):
        """Actions of the thematic audits the person may see, and actions they own."""
        from caseaudit.thematic.models import ThematicAudit

        if not permissions.can_own_thematic_actions(user):
            return self.none()
        led = ThematicAudit.objects.visible_to(user).values("pk")
        return self.filter(
            Q(thematic_audit__in=led) | Q(owner=user),
            thematic_audit__council_id=user.council_id,
        )

    def for_attention_of(self, user):
        """What surfaces on a person's home page: actions they own, and the actions of the
        thematic audits they lead."""
        return self.filter(
            Q(owner=user) | Q(thematic_audit__lead=user),
            thematic_audit__council_id=user.council_id,
        )


def rating_distribution(thematic_audit) -> list[tuple[str, int]]:
    """The overall judgements of the thematic audit's completed audits, best grade first, in
    one query (each grade shown, with none for those no audit was given)."""
    return rating_distributions([thematic_audit.pk])[thematic_audit.pk]


def rating_distributions(thematic_audit_ids) -> dict[int, list[tuple[str, int]]]:
    """``rating_distribution`` for several thematic audits at once, in one query."""
    ids = list(thematic_audit_ids)
    counts: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    rows = (
        Audit.objects.filter(
            thematic_case__sample__thematic_audit__in=ids,
            status__in=AuditStatus.completed(),
        )
        .exclude(overall_grade="")
        .order_by()
        .values("thematic_case__sample__thematic_audit", "overall_grade")
        .annotate(n=models.Count("pk"))
        .values_list("thematic_case__sample__thematic_audit", "overall_grade", "n")
    )
    for pk, grade, n in rows:
        counts[pk][grade] = n
    return {
        pk: [(grade.label, found.get(grade.value, 0)) for grade in Grade]
        for pk, found in counts.items()
    }


def forward_plan(user) -> dict:
    """Upcoming and running thematic audits, soonest first, and the re-reviews due."""
    from caseaudit.thematic.models import ThematicAudit

    mine = ThematicAudit.objects.visible_to(user).select_related("lead")
    return {
        "upcoming": list(
            mine.exclude(status=ThematicStatus.COMPLETE).order_by("period_start", "title")
        ),
        "rereviews": list(
            mine.filter(status=ThematicStatus.COMPLETE, rereview_due__isnull=False).order_by(
                "rereview_due", "title"
            )
        ),
    }


@dataclass(frozen=True)
class TeamProgress:
    team: str
    sampled: int
    allocated: int
    completed: int


def team_progress(thematic_audit) -> list[TeamProgress]:
    """For each team of the confirmed sample: children sampled, audits allocated and audits
    completed (submitted or moderated, as the programme counts them), in one query."""
    from caseaudit.thematic.models import SampledChild

    rows = (
        SampledChild.objects.filter(
            sample__thematic_audit=thematic_audit, sample__status=SampleStatus.CONFIRMED
        )
        .order_by()
        .values("team__name")
        .annotate(
            sampled=models.Count("pk"),
            allocated=models.Count("audit"),
            completed=models.Count("audit", filter=Q(audit__status__in=AuditStatus.completed())),
        )
        .order_by("team__name")
    )
    return [
        TeamProgress(row["team__name"], row["sampled"], row["allocated"], row["completed"])
        for row in rows
    ]


def days_remaining(thematic_audit, today: datetime.date | None = None) -> int:
    """Calendar days from today to the end of the thematic audit's period (negative once it
    has passed)."""
    return (thematic_audit.period_end - (today or clock.today())).days


@dataclass(frozen=True)
class Recurrence:
    thematic_audit_id: int
    title: str
    may_open: bool


def recurrences(thematic_audit, findings, user) -> dict[int, list[Recurrence]]:
    """For each of ``findings`` (of ``thematic_audit``) that recurs, the council's other
    thematic audits where it recurs, newest first.

    The matching rule: a finding recurs when another thematic audit of the council has a
    finding of the same kind (strength, or area for improvement) and the same theme, chosen
    from ``FindingTheme`` when each was recorded, that was not dismissed. Blank themes never
    match. Wording is not compared: two leads describe the same weakness differently. The
    monthly programme's practice themes are cohorts of children, not themes of findings, so
    they are not matched here: ``programme_recurrences`` reads the programme's grades instead.
    Two queries, whatever the number of findings; the other audits are linked only where the
    person may open them."""
    from caseaudit.thematic.models import Finding, ThematicAudit

    wanted = {(f.kind, f.theme) for f in findings if f.theme}
    if not wanted:
        return {}
    rows = list(
        Finding.objects.filter(
            thematic_audit__council_id=thematic_audit.council_id,
            theme__in={theme for _, theme in wanted},
        )
        .exclude(thematic_audit=thematic_audit)
        .exclude(status=FindingStatus.DISMISSED)
        .order_by("-thematic_audit__period_start", "thematic_audit__title")
        .values_list("kind", "theme", "thematic_audit_id", "thematic_audit__title")
        .distinct()
    )
    audit_ids = {row[2] for row in rows}
    may_open = set(
        ThematicAudit.objects.visible_to(user).filter(pk__in=audit_ids).values_list("pk", flat=True)
    )
    others: dict[tuple[str, str], list[Recurrence]] = {}
    for kind, theme, audit_id, title in rows:
        others.setdefault((kind, theme), []).append(
            Recurrence(audit_id, title, audit_id in may_open)
        )
    return {
        f.pk: others[(f.kind, f.theme)] for f in findings if f.theme and (f.kind, f.theme) in others
    }


# A programme month shows a finding when at least this share of the month's completed audits
# that graded one of the theme's domains graded it as the finding says (Requires Improvement or
# Inadequate for an area for improvement; Good or Outstanding for a strength), and at least
# ``PROGRAMME_MIN_AUDITS`` of them did: one child's audit is not a pattern.
PROGRAMME_SHARE = 0.5
PROGRAMME_MIN_AUDITS = 2
# The months read: from this many months before the thematic audit's period to its end, the
# time the finding speaks of, so an old programme month does not make a new finding recur.
PROGRAMME_MONTHS_BEFORE = 12
# The rule in words, for the page that shows the months.
PROGRAMME_RULE = (
    f"Months when at least {PROGRAMME_SHARE:.0%} of the completed audits that graded the "
    f"domain, and at least {PROGRAMME_MIN_AUDITS} of them, graded it as the finding says "
    "(Requires Improvement or Inadequate for an area for improvement, Good or Outstanding for a "
    f"strength), from {PROGRAMME_MONTHS_BEFORE} months before this audit's period to its end."
)
BELOW_GOOD = (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)
GOOD_OR_BETTER = judgements.GOOD_OR_BETTER


@dataclass(frozen=True)
class MonthRecurrence:
    month_id: int
    month: datetime.date
    domain: str
    graded: int  # completed audits of the month that graded the domain
    matching: int  # of them, those graded as the finding says
    grades: str  # "Requires Improvement or Inadequate", or "Good or Outstanding"


def programme_recurrences(thematic_audit, findings) -> dict[int, list[MonthRecurrence]]:
    """For each of ``findings`` seen in the monthly programme, the months it was seen in,
    newest first (for the rule, ``PROGRAMME_SHARE``, ``PROGRAMME_MIN_AUDITS`` and
    ``PROGRAMME_MONTHS_BEFORE``; for which domain stands for which theme,
    ``choices.PROGRAMME_DOMAIN_THEMES``). The programme's own audits only (not re-audits, not
    thematic audits), by the auditor's grade for the domain, as the highlight report's domain
    results count them. Counts of audits, never children. One query, whatever the number of
    findings."""
    themes = {f.theme for f in findings if f.theme}
    domains = [title for title, theme in PROGRAMME_DOMAIN_THEMES.items() if theme in themes]
    if not domains:
        return {}
    below = Q(value__in=BELOW_GOOD)
    good = Q(value__in=GOOD_OR_BETTER)
    # The highlight report's grade answers (``judgements.domain_answers``), by programme month.
    rows = (
        judgements.domain_answers(
            thematic_audit.council,
            add_months(month_start(thematic_audit.period_start), -PROGRAMME_MONTHS_BEFORE),
            month_start(thematic_audit.period_end),
        )
        .filter(question__domain__title__in=domains)
        .values("audit__month_id", "audit__month__month", "question__domain__title")
        .annotate(
            graded=models.Count("audit", distinct=True),
            below=models.Count("audit", distinct=True, filter=below),
            good=models.Count("audit", distinct=True, filter=good),
        )
        .order_by("-audit__month__month", "question__domain__title")
    )
    seen: dict[tuple[str, str], list[MonthRecurrence]] = {}
    for row in rows:
        theme = PROGRAMME_DOMAIN_THEMES[row["question__domain__title"]]
        for kind, matching, grades in (
            (FindingKind.IMPROVEMENT, row["below"], "Requires Improvement or Inadequate"),
            (FindingKind.STRENGTH, row["good"], "Good or Outstanding"),
        ):
            if matching >= max(PROGRAMME_MIN_AUDITS, PROGRAMME_SHARE * row["graded"]):
                seen.setdefault((kind, theme), []).append(
                    MonthRecurrence(
                        row["audit__month_id"],
                        row["audit__month__month"],
                        row["question__domain__title"],
                        row["graded"],
                        matching,
                        grades,
                    )
                )
    return {f.pk: seen[(f.kind, f.theme)] for f in findings if (f.kind, f.theme) in seen}
