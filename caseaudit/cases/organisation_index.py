"""Matching the names in a file to the council's teams and workers, adding the unknown ones.

Case-management systems export the allocated team and worker as names (sometimes staff
codes). They are matched loosely (case and spacing folded); a name caseaudit has never seen
is added to the organisation, countywide, through the organisation actions, and reported as a
warning so that someone places it properly.

Only a return at least as recent as any the council has imported speaks for today's
organisation. An older one (a back-filled month) adds nothing and changes nothing: its names
that match are linked, the rest are kept as written on its rows, with no team or worker, and
reported (``unknown_teams``, ``unknown_workers``).
"""

import datetime
import hashlib
import re
from collections.abc import Callable

from caseaudit.organisation import actions
from caseaudit.organisation.choices import JobRole, ServiceKind
from caseaudit.organisation.models import Assignment, Council, Service, Team, Worker

# The kind of service a list's allocated teams belong to, for teams caseaudit must add.
LIST_SERVICE = {
    "referrals": ServiceKind.ASSESSMENT,
    "assessments": ServiceKind.ASSESSMENT,
    "section47": ServiceKind.FAMILY_SAFEGUARDING,
    "cin": ServiceKind.FAMILY_SAFEGUARDING,
    "cp": ServiceKind.FAMILY_SAFEGUARDING,
    "cla": ServiceKind.LOOKED_AFTER,
    "care_leavers": ServiceKind.CARE_LEAVERS,
}


def name_key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


class OrganisationIndex:
    """Ids for the names a file gives. ``deferred``: a name not yet known gets a provisional
    id (negative) while the file is read, and the team or worker is only added, in the order
    met, by ``add_deferred`` in the import's transaction, which says the real ids."""

    def __init__(
        self,
        council: Council,
        *,
        as_at: datetime.date,
        by=None,
        before_adding=None,
        deferred: bool = False,
        adds: bool = True,
    ):
        self.council = council
        self.as_at = as_at
        self.by = by
        # Called before a team or worker is written: the importer's connection may be busy.
        self.before_adding = before_adding or (lambda: None)
        self.deferred = deferred
        # False for a return older than the newest imported: the organisation is left alone.
        self.adds = adds
        self._to_add: list[Callable[[], int]] = []
        self._real: dict[int, int] = {}
        self.teams: dict[str, int | None] = {
            name_key(t.name): t.pk for t in Team.objects.filter(council=council)
        }
        self.workers: dict[str, int | None] = {}
        for worker in Worker.objects.filter(council=council):
            self.workers[name_key(worker.name)] = worker.pk
            self.workers.setdefault(name_key(worker.staff_id), worker.pk)
        self.added_teams: list[str] = []
        self.added_workers: list[str] = []
        self.unknown_teams: list[str] = []
        self.unknown_workers: list[str] = []
        # The same few hundred names repeat on every row: remember each spelling's answer.
        self._team_by_spelling: dict[str, int] = {}
        self._worker_by_spelling: dict[str, int] = {}

    def team_id(self, name: str | None, list_key: str) -> int | None:
        if not name:
            return None
        if name not in self._team_by_spelling:
            self._team_by_spelling[name] = self._team_id(name, list_key)
        return self._team_by_spelling[name]

    def worker_id(self, name: str | None, team_id: int | None, *, job_role: str) -> int | None:
        if not name:
            return None
        if name not in self._worker_by_spelling:
            self._worker_by_spelling[name] = self._worker_id(name, team_id, job_role)
        return self._worker_by_spelling[name]

    def _team_id(self, name: str, list_key: str) -> int | None:
        key = name_key(name)
        if key not in self.teams:
            if not self.adds:
                self.teams[key] = None
                self.unknown_teams.append(name.strip())
                return None
            self.teams[key] = self._new(lambda: self._add_team(name.strip(), list_key).pk)
            self.added_teams.append(name.strip())
        return self.teams[key]

    def _worker_id(self, name: str, team_id: int | None, job_role: str) -> int | None:
        key = name_key(name)
        if key not in self.workers:
            if not self.adds:
                self.workers[key] = None
                self.unknown_workers.append(name.strip())
                return None
            self.workers[key] = self._new(
                lambda: self._add_worker(name.strip(), team_id, job_role).pk
            )
            self.added_workers.append(name.strip())
        return self.workers[key]

    def _new(self, add: Callable[[], int]) -> int:
        if not self.deferred:
            return add()
        self._to_add.append(add)
        return -len(self._to_add)

    def add_deferred(self, *, adds: bool = True) -> dict[int, int | None]:
        """Add the teams and workers met while the file was read, in the order met; gives
        each provisional id's real one. ``adds`` False: a newer return was imported while this
        one was read, so nothing is added and the provisional ids come to nothing."""
        if not adds and self._to_add:
            self.unknown_teams += self.added_teams
            self.unknown_workers += self.added_workers
            self.added_teams, self.added_workers = [], []
            real = {-number: None for number in range(1, len(self._to_add) + 1)}
            self._to_add = []
            return real
        for number, add in enumerate(self._to_add, start=1):
            self._real[-number] = add()
        self._to_add = []
        return dict(self._real)

    def _service(self, list_key: str) -> Service:
        kind = LIST_SERVICE.get(list_key, ServiceKind.FAMILY_SAFEGUARDING)
        service = Service.objects.filter(council=self.council, kind=kind).first()
        if service is None:
            service = Service.objects.create(
                council=self.council, kind=kind, name=ServiceKind(kind).label
            )
        return service

    def _add_team(self, name: str, list_key: str) -> Team:
        self.before_adding()
        return Team.objects.create(council=self.council, name=name, service=self._service(list_key))

    def _unplaced_team(self) -> Team:
        """Where a worker named without a team goes until someone places them."""
        team, _ = Team.objects.get_or_create(
            council=self.council,
            name="Not yet placed in a team",
            defaults={"service": self._service("cin")},
        )
        return team

    def _add_worker(self, name: str, team_id: int | None, job_role: str) -> Worker:
        self.before_adding()
        # A team met earlier in the file may itself have been added only just now.
        team_id = self._real.get(team_id, team_id) if team_id else None
        team = Team.objects.get(pk=team_id) if team_id else self._unplaced_team()
        digest = hashlib.sha256(name_key(name).encode()).hexdigest()[:10].upper()
        staff_id = f"IMPORTED-{digest}"
        existing = Worker.objects.filter(council=self.council, staff_id=staff_id).first()
        if existing is not None:
            return existing
        manager = (
            Assignment.objects.current(self.as_at)
            .filter(team=team, job_role=JobRole.TEAM_MANAGER)
            .values_list("worker", flat=True)
            .first()
        )
        return actions.add_worker(
            self.council,
            name=name,
            staff_id=staff_id,
            team=team,
            job_role=job_role,
            manager=Worker.objects.get(pk=manager) if manager else None,
            starts_on=self.as_at,
            by=self.by,
        )
