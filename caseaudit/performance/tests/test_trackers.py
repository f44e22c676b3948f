"""The practice-standard trackers: each list against a computation done here, by hand, from the
children this file builds; who sees which children; query counts; the command.

The hand computations share nothing with ``performance.trackers``: months are added with
dateutil, and working days counted over this file's own list of the bank holidays around
Christmas 2024 and Easter 2025.
"""

import datetime
import io
import json
from dataclasses import dataclass, field

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.urls import reverse

from caseaudit.accounts.models import AccessLog
from caseaudit.cases import querysets
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import Child
from caseaudit.cases.tests.test_annex_a_reader import make_workbook
from caseaudit.performance.actions import import_tracker_events
from caseaudit.performance.trackers import TRACKERS
from caseaudit.site.navigation import navigation_for
from caseaudit.testing.queries import assert_cost_does_not_grow, page_queries

pytestmark = pytest.mark.django_db

AS_AT = datetime.date(2025, 5, 2)  # a Friday
EARLIER = datetime.date(2025, 1, 31)
D = datetime.date

# England's bank holidays from June 2023 to June 2025, typed from GOV.UK.
HOLIDAYS = {
    D(2023, 8, 28),
    D(2023, 12, 25),
    D(2023, 12, 26),
    D(2024, 1, 1),
    D(2024, 3, 29),
    D(2024, 4, 1),
    D(2024, 5, 6),
    D(2024, 5, 27),
    D(2024, 8, 26),
    D(2024, 12, 25),
    D(2024, 12, 26),
    D(2025, 1, 1),
    D(2025, 4, 18),  # Good Friday
    D(2025, 4, 21),  # Easter Monday
    D(2025, 5, 5),
    D(2025, 5, 26),
}


def working_day(day):
    assert D(2023, 6, 1) <= day <= D(2025, 6, 30), f"{day} is outside the typed holidays"
    return day.weekday() < 5 and day not in HOLIDAYS


def plus_working_days(day, count):
    while count:
        day += datetime.timedelta(days=1)
        count -= working_day(day)
    return day


def working_days_late(due, as_at):
    late, day = 0, due
    while day < as_at:
        day += datetime.timedelta(days=1)
        late += working_day(day)
    return late


@dataclass
class Kid:
    id: str
    team: str  # "north" or "south"
    born: datetime.date
    cla: tuple | None = None  # (started, ceased, last health assessment)
    cp: tuple | None = None  # (started, ended)
    events: list = field(default_factory=list)  # (event, date)
    # The start of a section 47 enquiry: its strategy discussion (Annex A List 5).
    s47: datetime.date | None = None


KIDS = [
    # Under 5: a PPM every month; one PPM after the date, which does not count yet. Came
    # into care on 10 December 2024: 20 working days over Christmas is 10 January 2025.
    Kid(
        "N1",
        "north",
        D(2021, 6, 1),
        cla=(D(2024, 12, 10), None, None),
        events=[("ppm", D(2025, 3, 20)), ("ppm", D(2025, 6, 1))],
    ),
    # Came into care 1 April 2025: 20 working days over Easter is 1 May, so 1 working day
    # late on 2 May. Missing three times, the third 89 days after the first.
    Kid(
        "N2",
        "north",
        D(2010, 3, 3),
        cla=(D(2025, 4, 1), None, None),
        events=[
            ("missing_episode", D(2025, 1, 5)),
            ("missing_episode", D(2025, 2, 10)),
            ("missing_episode", D(2025, 4, 4)),
        ],
    ),
    # Came into care 3 April 2025 and assessed since; a PPM before care began is not one.
    Kid(
        "N3",
        "north",
        D(2012, 1, 1),
        cla=(D(2025, 4, 3), None, D(2025, 4, 20)),
        events=[("ppm", D(2025, 1, 1))],
    ),
    # Left care; on a plan since March with one core group; FGC held after referral.
    Kid(
        "N4",
        "north",
        D(2015, 5, 5),
        cla=(D(2020, 1, 1), D(2025, 3, 1), None),
        cp=(D(2025, 3, 10), None),
        events=[
            ("core_group", D(2025, 3, 14)),
            ("fgc_referral", D(2025, 2, 1)),
            ("fgc_held", D(2025, 3, 1)),
        ],
    ),
    # Aged 6: every 3 months. Health assessed only before this period in care. A strategy
    # meeting after two episodes, then only two more.
    Kid(
        "N5",
        "north",
        D(2019, 2, 1),
        cla=(D(2023, 6, 1), None, D(2023, 5, 1)),
        events=[
            ("ppm", D(2025, 2, 1)),
            ("missing_episode", D(2024, 10, 1)),
            ("missing_episode", D(2024, 11, 1)),
            ("strategy_meeting", D(2024, 11, 15)),
            ("missing_episode", D(2025, 1, 1)),
            ("missing_episode", D(2025, 2, 1)),
        ],
    ),
    # Came into care 20 December 2024 (its working days cross Christmas and New Year).
    Kid("S1", "south", D(2022, 1, 1), cla=(D(2024, 12, 20), None, None)),
    # On a plan since April, no core group yet; referred for an FGC, none held.
    Kid(
        "S2",
        "south",
        D(2014, 1, 1),
        cp=(D(2025, 4, 1), None),
        events=[("fgc_referral", D(2025, 3, 1))],
    ),
    # Plan ended; missing three times, but over 104 days; referred again after an FGC.
    Kid(
        "S3",
        "south",
        D(2016, 1, 1),
        cp=(D(2024, 1, 1), D(2024, 6, 1)),
        events=[
            ("missing_episode", D(2025, 1, 1)),
            ("missing_episode", D(2025, 3, 1)),
            ("missing_episode", D(2025, 4, 15)),
            ("fgc_referral", D(2024, 6, 1)),
            ("fgc_held", D(2024, 7, 1)),
            ("fgc_referral", D(2025, 4, 30)),
        ],
    ),
    # Missing three times in March, and a strategy discussion began a section 47 enquiry
    # after the third (Annex A List 5): the meeting was held.
    Kid(
        "N6",
        "north",
        D(2009, 9, 9),
        events=[
            ("missing_episode", D(2025, 3, 1)),
            ("missing_episode", D(2025, 3, 10)),
            ("missing_episode", D(2025, 3, 20)),
        ],
        s47=D(2025, 3, 25),
    ),
    # The same, but the strategy discussion came before the second episode: still due.
    Kid(
        "S5",
        "south",
        D(2009, 9, 9),
        events=[
            ("missing_episode", D(2025, 3, 1)),
            ("missing_episode", D(2025, 3, 10)),
            ("missing_episode", D(2025, 3, 20)),
            ("missing_episode", D(2025, 4, 1)),
        ],
        s47=D(2025, 3, 5),
    ),
    # Missing three days running after a strategy meeting.
    Kid(
        "S4",
        "south",
        D(2011, 1, 1),
        cla=(D(2024, 1, 1), None, D(2024, 1, 15)),
        events=[
            ("strategy_meeting", D(2025, 1, 15)),
            ("missing_episode", D(2025, 2, 1)),
            ("missing_episode", D(2025, 2, 2)),
            ("missing_episode", D(2025, 2, 3)),
            ("ppm", D(2025, 4, 30)),
        ],
    ),
]

COMMON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
CLA_HEADERS = [
    *COMMON,
    "Date Started to be Looked After",
    "Date Ceased to be Looked After",
    "Date of Last Health Assessment",
    "Allocated Team",
    "Allocated Worker",
]
S47_HEADERS = [
    *COMMON,
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Allocated Team",
    "Allocated Worker",
]
CP_HEADERS = [
    *COMMON,
    "Child Protection Plan Start Date",
    "Child Protection Plan End Date",
    "Allocated Team",
    "Allocated Worker",
]


def text(day):
    return f"{day:%d/%m/%Y}" if day else None


def team_of(council, kid):
    return council.teams[0] if kid.team == "north" else council.teams[-1]


def load(council, tmp_path, kids, as_at=AS_AT, *, by=None):
    """An Annex A return as at ``as_at`` with ``kids`` on Lists 7 and 8, then their events."""
    cla, cp, s47 = [CLA_HEADERS], [CP_HEADERS], [S47_HEADERS]
    for kid in kids:
        team = team_of(council, kid)
        worker = council.practitioners[team.pk][0]
        common = [kid.id, "a) Male", "a) WBRI", text(kid.born), "5"]
        if kid.cla:
            cla.append([*common, *(text(day) for day in kid.cla), team.name, worker.name])
        if kid.cp:
            cp.append([*common, *(text(day) for day in kid.cp), team.name, worker.name])
        if kid.s47:
            s47.append([*common, text(kid.s47), team.name, worker.name])
    lists = {"List 5": s47, "List 7": cp, "List 8": cla}
    path = make_workbook(tmp_path / f"return-{as_at}.xlsx", lists)
    summary = import_annex_a(path, council=council.council, as_at=as_at)
    assert not summary.refused, summary.problems[:3]
    lines = ["la_child_id,event,date"]
    lines += [f"{kid.id},{event},{day.isoformat()}" for kid in kids for event, day in kid.events]
    if len(lines) == 1:
        return
    result = import_tracker_events(
        council.council, "\n".join(lines).encode(), source_name=f"events-{as_at}.csv", by=by
    )
    assert not result.problems, result.problems[:3]


@pytest.fixture
def loaded(council, tmp_path):
    load(council, tmp_path, KIDS)
    return council


# --- the standards, by hand ------------------------------------------------------------------


def _age(born, on):
    return relativedelta(on, born).years


def _latest(kid, event, since, as_at):
    days = [day for kind, day in kid.events if kind == event and since <= day <= as_at]
    return max(days, default=None)


def _looked_after(kid, as_at):
    return kid.cla and kid.cla[0] <= as_at and (kid.cla[1] is None or kid.cla[1] > as_at)


def by_hand(code, kids, as_at=AS_AT):
    """{LA child ID: (due, overdue)} for the tracker ``code``."""
    found = {}
    for kid in kids:
        due = None
        if code == "ppm" and _looked_after(kid, as_at):
            start = kid.cla[0]
            every = relativedelta(months=1 if _age(kid.born, as_at) < 5 else 3)
            due = (_latest(kid, "ppm", start, as_at) or start) + every
        elif code == "health_assessment" and _looked_after(kid, as_at):
            start, _ceased, assessed = kid.cla
            if assessed is None or assessed < start:
                due = plus_working_days(start, 20)
                found[kid.id] = (due, working_days_late(due, as_at))
                continue
        elif code == "core_groups" and kid.cp:
            start, end = kid.cp
            if start <= as_at and (end is None or end > as_at):
                last = _latest(kid, "core_group", start, as_at)
                due = (last or start) + datetime.timedelta(days=42)
        elif code == "fgc":
            referred = _latest(kid, "fgc_referral", D(1900, 1, 1), as_at)
            if referred and not _latest(kid, "fgc_held", referred, as_at):
                due = referred + datetime.timedelta(days=42)
        elif code == "strategy":
            meetings = [day for kind, day in kid.events if kind == "strategy_meeting"]
            meetings += [kid.s47] if kid.s47 else []
            meeting = max((day for day in meetings if day <= as_at), default=None)
            episodes = sorted(
                day
                for kind, day in kid.events
                if kind == "missing_episode" and day <= as_at and (not meeting or day > meeting)
            )
            # Any three episodes within 90 days: the earliest third one.
            thirds = [
                c
                for i, a in enumerate(episodes)
                for c in episodes[i + 2 :]
                if (c - a).days <= 90 and len([d for d in episodes if a <= d <= c]) >= 3
            ]
            due = min(thirds, default=None)
        if due is not None:
            found[kid.id] = (due, max((as_at - due).days, 0))
    return found


def listed(rows):
    return {row.la_child_id: (row.due, row.overdue_days) for row in rows}


@pytest.mark.parametrize("code", list(TRACKERS))
def test_each_tracker_lists_what_the_standard_says(loaded, people, client_for, code):
    response = client_for(people.qa_lead).get(tracker_url(code))
    assert response.status_code == 200
    assert listed(response.context["rows"]) == by_hand(code, KIDS)
    assert by_hand(code, KIDS), "the data should give every tracker someone to list"


def test_the_initial_health_assessment_counts_working_days_over_christmas_and_easter(
    loaded, people, client_for
):
    rows = listed(client_for(people.qa_lead).get(tracker_url("health_assessment")).context["rows"])
    # 10 December + 20 working days, skipping 25 and 26 December and 1 January.
    assert rows["N1"][0] == D(2025, 1, 10)
    # 20 December: 22 January. 1 April: 1 May over Good Friday and Easter Monday, so 1
    # working day late on Friday 2 May.
    assert rows["S1"][0] == D(2025, 1, 22)
    assert rows["N2"] == (D(2025, 5, 1), 1)
    # Assessed since coming into care: not listed. Assessed only before: listed.
    assert "N3" not in rows and "S4" not in rows
    assert "N5" in rows


def test_filter_by_team_and_overdue_and_sort(loaded, people, client_for):
    client = client_for(people.qa_lead)
    north = people.north_team
    response = client.get(
        reverse("performance:tracker", args=["ppm"]),
        {"as_at": AS_AT, "team": north.pk, "overdue": "yes"},
    )
    expected = {
        kid for kid, (due, late) in by_hand("ppm", KIDS).items() if late and kid.startswith("N")
    }
    assert {row.la_child_id for row in response.context["rows"]} == expected
    response = client.get(
        reverse("performance:tracker", args=["ppm"]), {"as_at": AS_AT, "sort": "overdue"}
    )
    lateness = [row.overdue_days for row in response.context["rows"]]
    assert lateness == sorted(lateness, reverse=True)
    response = client.get(
        reverse("performance:tracker", args=["ppm"]), {"as_at": AS_AT, "sort": "team"}
    )
    teams = [row.team for row in response.context["rows"]]
    assert teams == sorted(teams)


def test_the_overview_counts_each_team(loaded, people, client_for):
    response = client_for(people.director).get(reverse("performance:trackers"))
    assert response.status_code == 200
    for team in response.context["teams"]:
        side = "N" if team.team_id == people.north_team.pk else "S"
        for code, (tracked, overdue) in team.counts.items():
            mine = {k: v for k, v in by_hand(code, KIDS).items() if k.startswith(side)}
            assert tracked == len(mine)
            assert overdue == sum(1 for _due, late in mine.values() if late)
    body = response.content.decode()
    assert "Annex A List 8 (children in care) gives only the number of missing episodes" in body


# --- who sees what ---------------------------------------------------------------------------


def tracker_url(code, as_at=AS_AT):
    return f"{reverse('performance:tracker', args=[code])}?as_at={as_at}"


def test_a_team_manager_sees_only_their_teams_children_and_the_log_says_which(
    loaded, people, client_for
):
    client = client_for(people.north_manager)
    for code in TRACKERS:
        logged = AccessLog.objects.count()
        response = client.get(tracker_url(code))
        assert response.status_code == 200
        shown = {row.la_child_id for row in response.context["rows"]}
        mine = {kid for kid in by_hand(code, KIDS) if kid.startswith("N")}
        assert shown == mine
        assert AccessLog.objects.count() == logged + 1
        entry = AccessLog.objects.order_by("-pk").first()
        expected = Child.objects.filter(la_child_id__in=shown).values_list("pk", flat=True)
        assert set(filter(None, entry.record_ids.split(","))) == {str(pk) for pk in expected}
    overview = client.get(reverse("performance:trackers")).context["teams"]
    assert [team.team for team in overview] == [people.north_team.name]


def test_a_strategy_discussion_in_annex_a_list_5_is_a_strategy_meeting(loaded, people, client_for):
    rows = listed(client_for(people.qa_lead).get(tracker_url("strategy")).context["rows"])
    assert "N6" not in rows
    # After the discussion on 5 March: 10 March, 20 March and 1 April.
    assert rows["S5"] == (D(2025, 4, 1), 31)


def test_children_a_manager_sees_through_an_audit_are_not_on_their_trackers(
    loaded, people, client_for, monkeypatch
):
    # The audits app lets an auditor see the children of the audits allocated to them, which
    # are other teams' children: here, every south child for the north manager.
    def audits_of_south(user):
        if user == people.north_manager:
            return Child.objects.filter(la_child_id__startswith="S").values("id")
        return None

    monkeypatch.setattr(querysets, "_grants", [audits_of_south])
    seen = set(Child.objects.visible_to(people.north_manager).values_list("la_child_id", flat=True))
    assert "S1" in seen and "N1" in seen
    client = client_for(people.north_manager)
    for code in TRACKERS:
        shown = {row.la_child_id for row in client.get(tracker_url(code)).context["rows"]}
        assert shown == {kid for kid in by_hand(code, KIDS) if kid.startswith("N")}, code
    teams = client.get(reverse("performance:trackers")).context["teams"]
    assert [team.team for team in teams] == [people.north_team.name]


def test_an_area_lead_sees_their_area_and_a_social_worker_their_own_cases(
    loaded, people, client_for
):
    rows = client_for(people.area_lead).get(tracker_url("ppm")).context["rows"]
    assert {row.la_child_id for row in rows} == {
        kid for kid in by_hand("ppm", KIDS) if kid.startswith("N")
    }
    # The social worker is the north team's first practitioner, every north child's worker.
    rows = client_for(people.social_worker).get(tracker_url("ppm")).context["rows"]
    assert {row.la_child_id for row in rows} == {
        kid for kid in by_hand("ppm", KIDS) if kid.startswith("N")
    }


def test_a_long_list_comes_in_pages_and_the_log_has_the_page_shown(
    loaded, people, client_for, monkeypatch
):
    monkeypatch.setattr("caseaudit.performance.views.TRACKER_PAGE_SIZE", 2)
    client = client_for(people.qa_lead)
    everyone = listed(
        client.get(reverse("performance:tracker", args=["ppm"]), {"as_at": AS_AT, "sort": "child"})
        .context["rows"]
        .paginator.object_list
    )
    assert set(everyone) == set(by_hand("ppm", KIDS)) and len(everyone) > 4
    response = client.get(
        reverse("performance:tracker", args=["ppm"]), {"as_at": AS_AT, "sort": "child", "page": 2}
    )
    shown = [row.la_child_id for row in response.context["rows"]]
    assert shown == sorted(everyone)[2:4]
    entry = AccessLog.objects.order_by("-pk").first()
    expected = Child.objects.filter(la_child_id__in=shown).values_list("pk", flat=True)
    assert set(entry.record_ids.split(",")) == {str(pk) for pk in expected}
    body = response.content.decode()
    assert f"as_at={AS_AT}&amp;sort=child&amp;page=3" in body
    assert "Showing 3 to 4" in body


def test_elected_members_never_see_trackers(loaded, people, client_for):
    client = client_for(people.councillor)
    for url in (
        reverse("performance:trackers"),
        tracker_url("ppm"),
        reverse("performance:tracker_import"),
    ):
        assert client.get(url).status_code == 403
    assert not any(item.label == "Trackers" for item in navigation_for(people.councillor))
    assert "practice-standard trackers" not in (
        client.get(reverse("performance:index")).content.decode()
    )


def test_the_navigation_and_dashboard_link_the_trackers(loaded, people, client_for):
    for user in (people.qa_lead, people.north_manager, people.area_lead, people.social_worker):
        assert any(item.label == "Trackers" for item in navigation_for(user)), user
    body = client_for(people.north_manager).get(reverse("performance:index")).content.decode()
    assert reverse("performance:trackers") in body


def test_another_councils_lead_sees_none_of_these_children(loaded, people, client_for):
    response = client_for(people.outsider).get(reverse("performance:trackers"))
    assert "No case data has been imported yet" in response.content.decode()


def test_an_unknown_tracker_is_not_found(loaded, people, client_for):
    assert client_for(people.qa_lead).get(tracker_url("nonsense")).status_code == 404


# --- cost ------------------------------------------------------------------------------------


def many(count):
    """``count`` more children of each kind, in both teams, with events."""
    extra = []
    for n in range(count):
        for kid in KIDS:
            extra.append(
                Kid(f"{kid.id}-{n}", kid.team, kid.born, kid.cla, kid.cp, kid.events, kid.s47)
            )
    return extra


def test_page_queries_do_not_grow_with_the_children(council, people, client_for, tmp_path):
    load(council, tmp_path, KIDS, as_at=EARLIER)
    load(council, tmp_path, KIDS + many(6))
    for user in (people.qa_lead, people.north_manager):
        client = client_for(user)
        for url in [reverse("performance:trackers")] + [
            reverse("performance:tracker", args=[code]) for code in TRACKERS
        ]:
            assert_cost_does_not_grow(
                lambda url=url, client=client: page_queries(client, url, {"as_at": EARLIER}),
                lambda url=url, client=client: page_queries(client, url, {"as_at": AS_AT}),
            )


# --- the command -----------------------------------------------------------------------------


def test_the_command_prints_counts_and_children_only_when_asked(loaded):
    out = io.StringIO()
    call_command("trackers", as_at=AS_AT.isoformat(), stdout=out)
    printed = out.getvalue()
    for code, tracker in TRACKERS.items():
        expected = by_hand(code, KIDS)
        overdue = sum(1 for _due, late in expected.values() if late)
        assert f"{tracker.name}: {len(expected)} children, {overdue} overdue  [{code}]" in printed
    assert "N1" not in printed

    out = io.StringIO()
    call_command("trackers", as_at=AS_AT.isoformat(), children=True, stdout=out)
    for kid, (due, _late) in by_hand("fgc", KIDS).items():
        assert f"- {kid}  " in out.getvalue()
        assert due.isoformat() in out.getvalue()

    out = io.StringIO()
    call_command("trackers", as_at=AS_AT.isoformat(), json=True, stdout=out)
    data = json.loads(out.getvalue())["trackers"]
    assert data["ppm"]["children"] == len(by_hand("ppm", KIDS))
    assert "rows" not in data["ppm"]

    out = io.StringIO()
    call_command("trackers", as_at=AS_AT.isoformat(), json=True, children=True, stdout=out)
    data = json.loads(out.getvalue())["trackers"]
    assert {row["la_child_id"] for row in data["fgc"]["rows"]} == set(by_hand("fgc", KIDS))
