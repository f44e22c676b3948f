"""Practice-standard trackers: for each standard, the children it applies to as at a date, when
the next thing was due, and how overdue it is.

Each tracker works over the children it is given: the pages pass ``children_for(user)`` (the
children the person may see, allocated within their scope), the command line a council's
children, so who sees which child is decided in one place. Every tracker reads a fixed
number of queries, whatever the number of children (the per-child arithmetic, which needs the
bank-holiday calendar or a child's run of events, is done on the rows those queries return).

Where the rule comes from (docs/practice-trackers.md says the same for readers):

- Annex A List 8 (children in care) gives who is looked after, since when, their date of birth
  and the date of their latest health assessment.
- Annex A List 7 (child protection) gives who is on a plan and since when.
- Annex A List 5 (section 47 enquiries) gives the strategy discussions that began an enquiry,
  which count as strategy meetings held.
- Permanence planning meetings, family group conferences, the dates of missing episodes,
  strategy meetings and core groups are in no Annex A list; they come from the council's
  tracker events CSV (``events.py``), as ``PracticeEvent`` rows.

A child's team and worker are their current allocation (``Child``), the same one their
visibility is decided by.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet

from caseaudit.cases.models import Child, CLAEpisode, CPPlan, Section47Enquiry, Snapshot
from caseaudit.core.months import add_months
from caseaudit.core.working_days import add_working_days, working_days_between
from caseaudit.performance.choices import TrackerEvent
from caseaudit.performance.models import PracticeEvent

# The standards (DESIGN.md C5): defaults a council may later override, like the indicators'
# timescales.
PPM_MONTHS_UNDER_FIVE = 1
PPM_MONTHS = 3
FGC_WEEKS = 6
MISSING_EPISODES = 3
MISSING_WINDOW_DAYS = 90
CORE_GROUP_WEEKS = 6
IHA_WORKING_DAYS = 20


@dataclass(frozen=True)
class Row:
    """One child on a tracker: what is due, by when, and how late it is as at the date."""

    child_id: int
    la_child_id: str
    team_id: int | None
    team: str
    worker: str
    due: datetime.date
    overdue_days: int
    # What the due date was worked out from, in words ("Last meeting 3 January 2024").
    basis: str

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


@dataclass(frozen=True)
class Tracker:
    code: str
    name: str
    standard: str
    # Which Annex A lists the tracker reads, and what it needs that Annex A does not carry.
    from_annex_a: str
    not_in_annex_a: str
    working_days: bool
    rule: Callable[[datetime.date, Snapshot, QuerySet], list[Row]]

    @property
    def unit(self) -> str:
        return "working days" if self.working_days else "days"

    def rows(self, snapshot: Snapshot, children: QuerySet) -> list[Row]:
        """The tracker's children among ``children`` as at the snapshot's date, those due
        soonest (most overdue) first."""
        rows = self.rule(snapshot.as_at, snapshot, children)
        return sorted(rows, key=lambda row: (row.due, row.la_child_id))


# --- the children and their allocation ------------------------------------------------------


def children_for(user) -> QuerySet:
    """The children a person's trackers list: those they may see (``visible_to``) that are
    allocated within their scope. A team manager's trackers are their team's children, not
    the other teams' children they may see because they audit them."""
    return Child.objects.visible_to(user).allocated_within_scope(user)


CHILD_VALUES = (
    "child_id",
    "child__la_child_id",
    "child__allocated_team_id",
    "child__allocated_team__name",
    "child__allocated_worker__name",
)


def _row(values: dict, due: datetime.date, as_at: datetime.date, basis: str, *, working=False):
    if working:
        late = working_days_between(due, as_at)
    else:
        late = max((as_at - due).days, 0)
    return Row(
        child_id=values["child_id"],
        la_child_id=values["child__la_child_id"],
        team_id=values["child__allocated_team_id"],
        team=values["child__allocated_team__name"] or "Not allocated",
        worker=values["child__allocated_worker__name"] or "Not allocated",
        due=due,
        overdue_days=late,
        basis=basis,
    )


def _open_at(model, start: str, end: str, as_at, snapshot, children, *more: str) -> dict:
    """Each child's open episode in the list as at the date (the latest started, if a return
    lists a child twice), keyed by child: their allocation, date of birth, the episode's
    start and ``more`` of its fields."""
    rows = (
        model.objects.filter(snapshot=snapshot, child__in=children, **{f"{start}__lte": as_at})
        .filter(Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": as_at}))
        .order_by("child_id", start)
    )
    return {
        values["child_id"]: values
        for values in rows.values(*CHILD_VALUES, "child__date_of_birth", start, *more)
    }


def _latest_events(event: str, as_at: datetime.date, children) -> dict[int, datetime.date]:
    return dict(
        PracticeEvent.objects.filter(child__in=children, event=event, date__lte=as_at)
        .order_by()
        .values("child_id")
        .annotate(last=Max("date"))
        .values_list("child_id", "last")
    )


def _day(day: datetime.date) -> str:
    return f"{day:%-d %B %Y}"


def age_on(born: datetime.date, day: datetime.date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


# --- the standards ---------------------------------------------------------------------------


def _ppm(as_at, snapshot, children) -> list[Row]:
    """Looked after at the date: the next permanence planning meeting is due a month after the
    last one held since they came into care (three months for a child aged 5 or over at the
    date, or whose date of birth is not known), or after the day they came into care if none
    has been held."""
    looked_after = _open_at(
        CLAEpisode, "looked_after_start_date", "ceased_looked_after_date", as_at, snapshot, children
    )
    last_held = _latest_events(TrackerEvent.PPM, as_at, children)
    rows = []
    for child_id, values in looked_after.items():
        started = values["looked_after_start_date"]
        born = values["child__date_of_birth"]
        months = PPM_MONTHS_UNDER_FIVE if born and age_on(born, as_at) < 5 else PPM_MONTHS
        held = last_held.get(child_id)
        if held is not None and held >= started:
            due, basis = add_months(held, months), f"Last meeting {_day(held)}"
        else:
            due, basis = add_months(started, months), f"No meeting since care began {_day(started)}"
        rows.append(_row(values, due, as_at, f"{basis}; every {months} month{'s' * (months > 1)}"))
    return rows


def _health_assessment(as_at, snapshot, children) -> list[Row]:
    """Looked after at the date with no health assessment on or after the day they came into
    care (Annex A's date of last health assessment): the initial one is due 20 working days
    after that day."""
    looked_after = _open_at(
        CLAEpisode,
        "looked_after_start_date",
        "ceased_looked_after_date",
        as_at,
        snapshot,
        children,
        "last_health_assessment_date",
    )
    rows = []
    for values in looked_after.values():
        started = values["looked_after_start_date"]
        last = values["last_health_assessment_date"]
        if last is not None and last >= started:
            continue
        due = add_working_days(started, IHA_WORKING_DAYS)
        rows.append(_row(values, due, as_at, f"Came into care {_day(started)}", working=True))
    return rows


def _core_groups(as_at, snapshot, children) -> list[Row]:
    """On a child protection plan at the date: the next core group is due 6 weeks after the
    last one held since the plan began, or after the plan began if none has been."""
    on_plan = _open_at(CPPlan, "cp_plan_start_date", "cp_plan_end_date", as_at, snapshot, children)
    last_held = _latest_events(TrackerEvent.CORE_GROUP, as_at, children)
    rows = []
    weeks = datetime.timedelta(weeks=CORE_GROUP_WEEKS)
    for child_id, values in on_plan.items():
        started = values["cp_plan_start_date"]
        held = last_held.get(child_id)
        if held is not None and held >= started:
            due, basis = held + weeks, f"Last core group {_day(held)}"
        else:
            due, basis = started + weeks, f"No core group since the plan began {_day(started)}"
        rows.append(_row(values, due, as_at, basis))
    return rows


def _events_by_child(
    kinds, as_at, children
) -> dict[int, tuple[dict, list[tuple[str, datetime.date]]]]:
    found: dict[int, tuple[dict, list]] = {}
    events = (
        PracticeEvent.objects.filter(child__in=children, event__in=kinds, date__lte=as_at)
        .order_by("child_id", "date", "event")
        .values(*CHILD_VALUES, "event", "date")
    )
    for values in events:
        found.setdefault(values["child_id"], (values, []))[1].append(
            (values["event"], values["date"])
        )
    return found


def _fgc(as_at, snapshot, children) -> list[Row]:
    """Referred for a family group conference, with none held since their latest referral:
    it is due 6 weeks after the referral."""
    kinds = (TrackerEvent.FGC_REFERRAL, TrackerEvent.FGC_HELD)
    rows = []
    for values, events in _events_by_child(kinds, as_at, children).values():
        referred = max(
            (day for kind, day in events if kind == TrackerEvent.FGC_REFERRAL), default=None
        )
        if referred is None:
            continue
        if any(kind == TrackerEvent.FGC_HELD and day >= referred for kind, day in events):
            continue
        due = referred + datetime.timedelta(weeks=FGC_WEEKS)
        rows.append(_row(values, due, as_at, f"Referred {_day(referred)}"))
    return rows


def strategy_meeting_due(events: list[tuple[str, datetime.date]]) -> datetime.date | None:
    """The day a strategy meeting fell due and has not been held: the first day, after the
    last strategy meeting, on which a child had had 3 missing episodes within 90 days (the
    third no more than 90 days after the first). ``events`` are in date order."""
    meetings = [day for kind, day in events if kind == TrackerEvent.STRATEGY_MEETING]
    since = max(meetings, default=None)
    missing = [
        day
        for kind, day in events
        if kind == TrackerEvent.MISSING_EPISODE and (since is None or day > since)
    ]
    span = datetime.timedelta(days=MISSING_WINDOW_DAYS)
    for index in range(MISSING_EPISODES - 1, len(missing)):
        if missing[index] - missing[index - MISSING_EPISODES + 1] <= span:
            return missing[index]
    return None


def _strategy(as_at, snapshot, children) -> list[Row]:
    """Missing 3 times within 90 days since their last strategy meeting: a strategy meeting
    was due on the day of the third episode. A strategy discussion that began a section 47
    enquiry (Annex A List 5) is a strategy meeting held, as is one the events CSV records."""
    kinds = (TrackerEvent.MISSING_EPISODE, TrackerEvent.STRATEGY_MEETING)
    discussed = dict(
        Section47Enquiry.objects.filter(
            snapshot=snapshot, child__in=children, s47_start_date__lte=as_at
        )
        .order_by()
        .values("child_id")
        .annotate(last=Max("s47_start_date"))
        .values_list("child_id", "last")
    )
    rows = []
    for child_id, (values, events) in _events_by_child(kinds, as_at, children).items():
        if child_id in discussed:
            events = sorted(
                [*events, (TrackerEvent.STRATEGY_MEETING, discussed[child_id])],
                key=lambda event: event[1],
            )
        due = strategy_meeting_due(events)
        if due is not None:
            rows.append(_row(values, due, as_at, f"Third missing episode in 90 days {_day(due)}"))
    return rows


TRACKERS: dict[str, Tracker] = {
    tracker.code: tracker
    for tracker in (
        Tracker(
            "ppm",
            "Permanence planning meetings",
            "Children looked after have a permanence planning meeting every month while under "
            "5, and every 3 months from 5.",
            "Annex A List 8 (children in care) gives who is looked after, since when, and "
            "their date of birth.",
            "No Annex A list records permanence planning meetings (List 8 has only the "
            "permanence plan itself): they come from the tracker events CSV, event ppm.",
            False,
            _ppm,
        ),
        Tracker(
            "fgc",
            "Family group conferences",
            "A family group conference is held within 6 weeks of the referral for one.",
            "It reads no Annex A list: the children are those the events CSV names.",
            "No Annex A list records family group conference referrals or conferences: they "
            "come from the tracker events CSV, events fgc_referral and fgc_held.",
            False,
            _fgc,
        ),
        Tracker(
            "strategy",
            "Strategy meetings after missing episodes",
            "A strategy meeting is held when a child has been missing 3 times within 90 days.",
            "Annex A List 5 (section 47 enquiries) gives the date of each strategy discussion "
            "that began an enquiry: those count as strategy meetings held.",
            "Annex A List 8 (children in care) gives only the number of missing episodes in "
            "12 months, not their dates, and List 5 records only the strategy discussions that "
            "began a section 47 enquiry: the dates of missing episodes, and other strategy "
            "meetings, come from the tracker events CSV, events missing_episode and "
            "strategy_meeting.",
            False,
            _strategy,
        ),
        Tracker(
            "core_groups",
            "Core groups",
            "Children on a child protection plan have a core group meeting every 6 weeks.",
            "Annex A List 7 (child protection) gives who is on a plan and since when.",
            "Annex A List 7 (child protection) does not record core group meetings: they come "
            "from the tracker events CSV, event core_group.",
            False,
            _core_groups,
        ),
        Tracker(
            "health_assessment",
            "Initial health assessments",
            "A child who comes into care has an initial health assessment within 20 working days.",
            "Annex A List 8 (children in care) gives the day each child came into care and "
            "the date of their latest health assessment: a child with a health assessment on "
            "or after that day has had their initial one.",
            "Annex A List 8 keeps only the latest health assessment, so a child whose initial "
            "assessment was late but has since happened is not shown as late.",
            True,
            _health_assessment,
        ),
    )
}


@dataclass(frozen=True)
class TeamCount:
    team_id: int | None
    team: str
    counts: dict[str, tuple[int, int]]  # tracker code: (children tracked, overdue)

    @property
    def cells(self) -> list[tuple[int, int]]:
        """(tracked, overdue) for each tracker, in the trackers' order."""
        return list(self.counts.values())


def team_counts(rows_by_tracker: dict[str, list[Row]]) -> list[TeamCount]:
    """Children tracked and overdue on each tracker, for each team, teams by name."""
    tracked: Counter = Counter()
    overdue: Counter = Counter()
    names: dict[int | None, str] = {}
    for code, rows in rows_by_tracker.items():
        for row in rows:
            names[row.team_id] = row.team
            tracked[row.team_id, code] += 1
            overdue[row.team_id, code] += row.overdue
    return [
        TeamCount(
            team_id,
            name,
            {code: (tracked[team_id, code], overdue[team_id, code]) for code in rows_by_tracker},
        )
        for team_id, name in sorted(names.items(), key=lambda item: item[1])
    ]


def every_tracker(snapshot: Snapshot, children: QuerySet) -> dict[str, list[Row]]:
    return {code: tracker.rows(snapshot, children) for code, tracker in TRACKERS.items()}


SORTS = {
    "due": ("Due date, earliest first", lambda row: (row.due, row.la_child_id)),
    "overdue": ("Most overdue first", lambda row: (-row.overdue_days, row.due, row.la_child_id)),
    "team": ("Team", lambda row: (row.team, row.due, row.la_child_id)),
    "child": ("LA child ID", lambda row: row.la_child_id),
}


def chosen(
    rows: list[Row], *, team_id: int | None = None, overdue_only: bool = False, sort: str = "due"
) -> list[Row]:
    """The rows a page shows: one team's or all, overdue only or all, in the order asked."""
    picked = [
        row
        for row in rows
        if (team_id is None or row.team_id == team_id) and (row.overdue or not overdue_only)
    ]
    return sorted(picked, key=SORTS.get(sort, SORTS["due"])[1])
