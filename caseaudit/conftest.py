"""The people of a small council, for every view test (STYLE.md habit 11).

Two areas, three teams, a team manager in each of two teams, a social worker, a QA lead, a
director, an elected member, an administrator, and a QA lead from another council who must
see nothing of this one.
"""

import datetime
from types import SimpleNamespace

import pytest

from caseaudit.accounts.choices import Role, Scope
from caseaudit.accounts.models import User
from caseaudit.organisation import actions
from caseaudit.organisation.choices import JobRole
from caseaudit.testing.factories import (
    PASSWORD,  # noqa: F401 (the personas' password, imported from here by tests)
    AreaFactory,
    CouncilFactory,
    ServiceFactory,
    TeamFactory,
    UserFactory,
)

JOINED = datetime.date(2020, 1, 6)


def make_user(council, username, role, scope, worker=None, **scope_fields) -> User:
    return UserFactory(
        council=council, username=username, role=role, scope=scope, worker=worker, **scope_fields
    )


def make_council(name: str, code: str, *, teams_per_area: int = 1) -> SimpleNamespace:
    council = CouncilFactory(name=name, code=code)
    north = AreaFactory(council=council, name="North")
    south = AreaFactory(council=council, name="South")
    safeguarding = ServiceFactory(council=council)
    teams = [
        TeamFactory(area=area, service=safeguarding, name=f"{area} Safeguarding {number}")
        for area in (north, south)
        for number in range(1, teams_per_area + 1)
    ]
    staff = iter(range(1, 100_000))

    def hire(team, job_role, manager=None):
        number = next(staff)
        return actions.add_worker(
            council,
            name=f"Worker {code}-{number}",
            staff_id=f"{code}-{number}",
            team=team,
            job_role=job_role,
            manager=manager,
            starts_on=JOINED,
        )

    managers = {team.pk: hire(team, JobRole.TEAM_MANAGER) for team in teams}
    practitioners = {
        team.pk: [hire(team, JobRole.SOCIAL_WORKER, managers[team.pk]) for _ in range(3)]
        for team in teams
    }
    return SimpleNamespace(
        council=council,
        north=north,
        south=south,
        service=safeguarding,
        teams=teams,
        managers=managers,
        practitioners=practitioners,
        hire=hire,
    )


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing is deliberately slow; tests sign people in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def background_work_runs_at_once(settings, tmp_path):
    # Tasks run as soon as they are enqueued; uploads go to a folder of this test's own.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture
def council(db):
    return make_council("Testshire County Council", "901")


@pytest.fixture
def people(council):
    north_team, south_team = council.teams[0], council.teams[-1]
    other = make_council("Elsewhere Borough Council", "902")
    c = council.council
    return SimpleNamespace(
        qa_lead=make_user(c, "qa.lead", Role.QA_LEAD, Scope.COUNCIL),
        north_manager=make_user(
            c,
            "north.manager",
            Role.AUDITOR,
            Scope.TEAM,
            worker=council.managers[north_team.pk],
            scope_team=north_team,
        ),
        south_manager=make_user(
            c,
            "south.manager",
            Role.AUDITOR,
            Scope.TEAM,
            worker=council.managers[south_team.pk],
            scope_team=south_team,
        ),
        social_worker=make_user(
            c,
            "social.worker",
            Role.SOCIAL_WORKER,
            Scope.OWN,
            worker=council.practitioners[north_team.pk][0],
        ),
        area_lead=make_user(
            c, "area.lead", Role.INSPECTION_LEAD, Scope.AREA, scope_area=council.north
        ),
        director=make_user(c, "director", Role.SENIOR_MANAGER, Scope.COUNCIL),
        councillor=make_user(c, "councillor", Role.ELECTED_MEMBER, Scope.AGGREGATE),
        administrator=make_user(c, "administrator", Role.ADMINISTRATOR, Scope.COUNCIL),
        outsider=make_user(other.council, "outsider", Role.QA_LEAD, Scope.COUNCIL),
        north_team=north_team,
        south_team=south_team,
        other=other,
    )


@pytest.fixture
def client_for(client):
    """``client_for(user)``: the test client, signed in as that person."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
