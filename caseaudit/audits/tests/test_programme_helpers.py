"""Case data and programme months for the programme tests, built through the real importer.

``import_cases`` writes a small Annex A workbook (CIN, CP, CLA and care-leaver lists) from
``Case`` rows and imports it; ``make_month`` creates a programme month on the shipped tool.
The tests here check the helpers build what the other tests assume.
"""

import datetime
from dataclasses import dataclass
from pathlib import Path

import pytest

from caseaudit.accounts.choices import Role, Scope
from caseaudit.audits.actions import programme
from caseaudit.audits.models import ProgrammeMonth
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import Child
from caseaudit.cases.tests.test_annex_a_reader import make_workbook
from caseaudit.conftest import make_user
from caseaudit.organisation.models import Team, Worker
from caseaudit.tools.choices import ToolKind
from caseaudit.tools.models import AuditTool

pytestmark = pytest.mark.django_db

AS_AT = datetime.date(2024, 1, 31)
MONTH = datetime.date(2024, 3, 1)
COMMON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age"]
ALLOCATION = ["Allocated Team", "Allocated Worker"]
SHEETS = {
    "cin": ("List 6", [*COMMON, "CIN Start Date", "CIN Closure Date", *ALLOCATION]),
    "cp": (
        "List 7",
        [
            *COMMON,
            "Child Protection Plan Start Date",
            "Latest Category of Abuse",
            "Child Protection Plan End Date",
            *ALLOCATION,
        ],
    ),  # fmt: skip
    "cla": (
        "List 8",
        [
            *COMMON,
            "Date Started to be Looked After",
            "Date Ceased to be Looked After",
            "Number of Episodes the Child has been 'Missing' from their Placement in the last "
            "12 months",
            *ALLOCATION,
        ],
    ),  # fmt: skip
    "care_leaver": ("List 9", [*COMMON, *ALLOCATION]),
    "referral": (
        "List 3",
        [*COMMON, "Date of referral", "Referral Source", *ALLOCATION],
    ),
}


@dataclass
class Case:
    """One child's row: ``kind`` is the list; ``closed`` gives the episode an end date."""

    child: str
    team: Team | None
    worker: Worker | None = None
    kind: str = "cin"
    closed: bool = False
    missing: int = 0


def _row(case: Case) -> list:
    common = [case.child, "F", "WBRI", "01/01/2015", "9"]
    allocation = [case.team.name if case.team else None, case.worker.name if case.worker else None]
    ended = "01/12/2023" if case.closed else None
    match case.kind:
        case "cin":
            return [*common, "01/06/2023", ended, *allocation]
        case "cp":
            return [*common, "01/06/2023", "NEG", ended, *allocation]
        case "cla":
            return [*common, "01/06/2022", ended, str(case.missing), *allocation]
        case "care_leaver":
            return [*common, *allocation]
        case "referral":
            return [*common, "05/01/2024", "2A", *allocation]
    raise ValueError(case.kind)


def import_cases(council, folder: Path, cases: list[Case], *, as_at=AS_AT) -> dict[str, Child]:
    """Import ``cases`` as ``council``'s return as at ``as_at``; the children by LA child ID."""
    sheets: dict[str, list] = {}
    for case in cases:
        name, headers = SHEETS[case.kind]
        sheets.setdefault(name, [headers]).append(_row(case))
    path = make_workbook(folder / f"return-{as_at:%Y%m%d}.xlsx", sheets)
    summary = import_annex_a(path, council=council, as_at=as_at)
    assert summary.errors == 0, summary.problems
    return {child.la_child_id: child for child in Child.objects.filter(council=council)}


def practice_tool():
    return AuditTool.objects.get(council__isnull=True, kind=ToolKind.PRACTICE).published()


def make_month(council, *, month=MONTH, cohort_key="", by=None, **changes) -> ProgrammeMonth:
    return programme.create_month(
        council,
        month=month,
        tool_version=changes.pop("tool_version", practice_tool()),
        due_date=changes.pop("due_date", month.replace(day=28)),
        cohort_key=cohort_key,
        by=by,
        **changes,
    )


def team_cases(team: Team, workers: list[Worker], count: int, prefix: str, kind="cin"):
    """``count`` open cases in ``team``, spread over ``workers``."""
    numbers = range(1, count + 1)
    return [Case(f"{prefix}{n}", team, workers[n % len(workers)], kind=kind) for n in numbers]


def add_team(spec, name: str, *, area=None) -> tuple[Team, Worker, list[Worker]]:
    """A further team in the test council, with a team manager and two social workers."""
    from caseaudit.organisation.choices import JobRole

    team = Team.objects.create(
        council=spec.council, area=area or spec.north, service=spec.service, name=name
    )
    manager = spec.hire(team, JobRole.TEAM_MANAGER)
    workers = [spec.hire(team, JobRole.SOCIAL_WORKER, manager) for _ in range(2)]
    return team, manager, workers


def auditor_for(spec, manager: Worker, team: Team, username: str, email: str = ""):
    user = make_user(spec.council, username, Role.AUDITOR, Scope.TEAM, worker=manager,
                     scope_team=team)  # fmt: skip
    if email:
        user.email = email
        user.save(update_fields=["email"])
    return user


def test_the_helpers_import_open_and_closed_cases_with_their_teams(council, tmp_path):
    north, south = council.teams
    worker = council.practitioners[north.pk][0]
    children = import_cases(
        council.council,
        tmp_path,
        [
            Case("A", north, worker),
            Case("B", north, kind="cp", closed=True),
            Case("C", south, kind="cla", missing=2),
            Case("D", south, kind="care_leaver"),
            Case("E", None, kind="referral"),
        ],
    )
    assert set(children) == {"A", "B", "C", "D", "E"}
    assert (children["A"].allocated_team, children["A"].allocated_worker) == (north, worker)
    assert children["C"].allocated_team == south
    assert children["E"].allocated_team is None
    month = make_month(council.council)
    assert (month.status, month.tool_version.tool.kind) == ("planned", ToolKind.PRACTICE)
