"""The demo council's child population, overall and by ethnic group, so its rates per 10,000
and its disproportionality have a figure, and its tracker events, so each practice-standard
tracker has children overdue in every team."""

import datetime

from django.db.models import Q

from caseaudit.cases.models import CLAEpisode, CPPlan, Snapshot
from caseaudit.performance.actions import import_ethnic_population, import_tracker_events
from caseaudit.performance.choices import EthnicGroup
from caseaudit.performance.models import ChildPopulation, EthnicPopulation, TrackerImport

# The seeds' council: about 259,000 children aged 0 to 17 (seed 002: 1,004 looked after is
# 38 per 10,000). The generator's scale-1 council is shaped on it.
DEMO_CHILD_POPULATION = 259_000
DEMO_EVENTS_FILE = "demo-tracker-events.csv"
# The demo's children by ethnic group (percent), shaped on a southern English county's children
# at the 2021 census: fewer White British children than the generator's children's services
# caseload has, so the demo shows groups over- and under-represented.
DEMO_ETHNIC_SHARES = {
    EthnicGroup.WHITE_BRITISH: 72.0,
    EthnicGroup.WHITE_OTHER: 8.0,
    EthnicGroup.MIXED: 7.0,
    EthnicGroup.ASIAN: 8.5,
    EthnicGroup.BLACK: 2.5,
    EthnicGroup.OTHER: 2.0,
}


def ensure_population(council, year: int, children: int = DEMO_CHILD_POPULATION) -> None:
    ChildPopulation.objects.get_or_create(
        council=council, year=year, defaults={"children": children}
    )
    ensure_ethnic_population(council, year, children)


def demo_ethnic_population(year: int, children: int = DEMO_CHILD_POPULATION) -> str:
    """The population by ethnic group as the CSV the import reads (its documented layout)."""
    lines = ["year,ethnic_group,children"]
    lines += [
        f"{year},{group.value},{round(children * share / 100)}"
        for group, share in DEMO_ETHNIC_SHARES.items()
    ]
    return "\n".join(lines) + "\n"


def ensure_ethnic_population(council, year: int, children: int = DEMO_CHILD_POPULATION) -> None:
    """Through the real import, once."""
    if EthnicPopulation.objects.filter(council=council, year=year).exists():
        return
    result = import_ethnic_population(council, demo_ethnic_population(year, children))
    if result.problems:
        raise ValueError(f"The demo's population by ethnicity was refused: {result.problems[:3]}")


def _open_ids(model, start: str, end: str, snapshot) -> list[str]:
    return list(
        model.objects.filter(snapshot=snapshot, **{f"{start}__lte": snapshot.as_at})
        .filter(Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": snapshot.as_at}))
        .order_by("child__la_child_id")
        .values_list("child__la_child_id", flat=True)
        .distinct()
    )


def demo_tracker_events(snapshot) -> str:
    """A tracker events CSV for the snapshot's children, the same every time: some meetings
    held lately, some long ago and some never, so every tracker has children on time and
    children overdue."""
    day = snapshot.as_at

    def ago(days: int) -> str:
        return (day - datetime.timedelta(days=days)).isoformat()

    lines = ["la_child_id,event,date"]
    looked_after = _open_ids(
        CLAEpisode, "looked_after_start_date", "ceased_looked_after_date", snapshot
    )
    for number, child in enumerate(looked_after):
        if number % 3 == 0:
            lines.append(f"{child},ppm,{ago(10)}")
        elif number % 3 == 1:
            lines.append(f"{child},ppm,{ago(100)}")
        if number % 7 == 0:
            lines += [f"{child},missing_episode,{ago(days)}" for days in (60, 40, 20)]
            if number % 14 == 0:
                lines.append(f"{child},strategy_meeting,{ago(10)}")
    on_plan = _open_ids(CPPlan, "cp_plan_start_date", "cp_plan_end_date", snapshot)
    for number, child in enumerate(on_plan):
        if number % 2 == 0:
            lines.append(f"{child},core_group,{ago(20)}")
        if number % 4 == 0:
            lines.append(f"{child},fgc_referral,{ago(60 if number % 8 else 20)}")
        if number % 12 == 0:
            lines.append(f"{child},fgc_held,{ago(5)}")
    return "\n".join(lines) + "\n"


def ensure_tracker_events(council) -> int:
    """Import the demo's tracker events once, through the real import; the events added."""
    snapshot = Snapshot.objects.filter(council=council).order_by("-as_at").first()
    if snapshot is None or TrackerImport.objects.filter(council=council).exists():
        return 0
    result = import_tracker_events(
        council, demo_tracker_events(snapshot).encode(), source_name=DEMO_EVENTS_FILE
    )
    if result.problems:
        raise ValueError(f"The demo's tracker events were refused: {result.problems[:3]}")
    return result.added
