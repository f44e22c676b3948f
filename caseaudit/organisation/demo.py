"""Load a generated organisation into the database, through the organisation actions."""

import datetime

from django.db import transaction

from caseaudit.organisation import actions
from caseaudit.organisation.generator import CouncilSpec, service_name
from caseaudit.organisation.models import Area, Council, Service, Team, Worker

# Everyone in the demo council joined on this date unless their history says otherwise.
ORGANISATION_START = datetime.date(2018, 4, 1)


@transaction.atomic
def load_council(spec: CouncilSpec, *, by=None) -> Council:
    """Create the council, its areas, services, teams and workers. Returns the existing
    council unchanged if one with the same code is already there."""
    existing = Council.objects.filter(code=spec.code).first()
    if existing is not None:
        return existing
    council = Council.objects.create(name=spec.name, code=spec.code)
    areas = {name: Area.objects.create(council=council, name=name) for name in spec.areas}
    services = {
        kind: Service.objects.create(council=council, name=service_name(kind), kind=kind)
        for kind in dict.fromkeys(team.service for team in spec.teams)
    }
    teams = {
        team.name: Team.objects.create(
            council=council,
            name=team.name,
            area=areas.get(team.area) if team.area else None,
            service=services[team.service],
        )
        for team in spec.teams
    }
    workers: dict[str, Worker] = {}
    # Managers come before the people they manage in the generated order.
    for team in spec.teams:
        for worker in team.workers:
            workers[worker.staff_id] = actions.add_worker(
                council,
                name=worker.name,
                staff_id=worker.staff_id,
                team=teams[team.name],
                job_role=worker.job_role,
                manager=workers.get(worker.manager_staff_id or ""),
                starts_on=ORGANISATION_START,
                by=by,
            )
    return council


STAFF_MOVES_ON = datetime.date(2024, 9, 2)


def move_some_staff(council: Council, spec: CouncilSpec, *, every: int = 25, by=None) -> int:
    """Give the demo some history: every n-th practitioner moved team in September 2024."""
    by_kind: dict[str, list[str]] = {}
    for team in spec.teams:
        by_kind.setdefault(team.service, []).append(team.name)
    teams = {team.name: team for team in Team.objects.filter(council=council)}
    moved = 0
    for index, (team, worker) in enumerate(
        (team_spec, worker) for team_spec in spec.teams for worker in team_spec.practitioners
    ):
        siblings = [name for name in by_kind[team.service] if name != team.name]
        if index % every or not siblings:
            continue
        destination = spec.team(siblings[index % len(siblings)])
        actions.move_worker(
            Worker.objects.get(council=council, staff_id=worker.staff_id),
            team=teams[destination.name],
            job_role=worker.job_role,
            manager=Worker.objects.get(council=council, staff_id=destination.manager.staff_id),
            on=STAFF_MOVES_ON,
            by=by,
            reason="Moved to balance caseloads",
        )
        moved += 1
    return moved
