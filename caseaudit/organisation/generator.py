"""A synthetic council's organisation, deterministic from a seed.

The same structure names the allocated teams and workers in the synthetic Annex A files, so
the demo council's case data matches its organisation when it goes through the importer.
Names are drawn from common first names and surnames at random: no real person is meant.
"""

import random
from dataclasses import dataclass, field

from caseaudit.organisation.choices import JobRole, ServiceKind

AREAS = ("North West", "North East", "South West", "South East")

# Area services: (service kind, teams per area at scale 1, practitioners per team, job role).
AREA_SERVICES = (
    (ServiceKind.ASSESSMENT, 2, 9, JobRole.SOCIAL_WORKER),
    (ServiceKind.FAMILY_SAFEGUARDING, 3, 8, JobRole.SOCIAL_WORKER),
    (ServiceKind.LOOKED_AFTER, 2, 8, JobRole.SOCIAL_WORKER),
    (ServiceKind.CARE_LEAVERS, 1, 8, JobRole.PERSONAL_ADVISER),
    (ServiceKind.DISABILITIES, 1, 7, JobRole.SOCIAL_WORKER),
    (ServiceKind.YOUTH_OFFENDING, 1, 7, JobRole.SOCIAL_WORKER),
)

FIRST_NAMES = (
    "Aisha Alex Amara Amir Anna Ben Bethany Callum Carys Chloe Daniel Dylan Eilidh Ella Emeka "
    "Erin Farah Fatima Finn Freya George Grace Hannah Harvey Imogen Isaac Jade James Jasmine "
    "Jordan Josh Kai Karen Kieran Laura Leah Liam Lucy Maya Mohammed Molly Nadia Naomi Nathan "
    "Niamh Oliver Omar Owen Priya Rachel Rhys Rosa Ruth Ryan Sam Sara Sean Sophie Tariq Tom "
    "Una Victoria Will Yasmin Zainab Zoe"
).split()
SURNAMES = (
    "Adams Ahmed Ali Allen Baker Bell Bennett Brown Campbell Carter Chapman Clarke Collins Cook "
    "Cooper Davies Edwards Evans Fisher Fletcher Foster Green Griffiths Hall Harris Hill Hughes "
    "Hussain Jackson James Johnson Jones Kaur Kelly Khan King Lewis Lloyd Marshall Martin Mason "
    "Mitchell Moore Morgan Morris Murphy Newman Owen Palmer Parker Patel Phillips Price Reid "
    "Richards Roberts Robinson Rose Shah Singh Smith Stevens Taylor Thomas Thompson Turner Walker "
    "Ward Watson White Williams Wilson Wood Wright Young"
).split()


@dataclass
class WorkerSpec:
    staff_id: str
    name: str
    job_role: str
    manager_staff_id: str | None = None


@dataclass
class TeamSpec:
    name: str
    service: str  # ServiceKind value
    area: str | None  # None for countywide teams
    workers: list[WorkerSpec] = field(default_factory=list)

    @property
    def manager(self) -> WorkerSpec:
        return next(w for w in self.workers if w.job_role == JobRole.TEAM_MANAGER)

    @property
    def practitioners(self) -> list[WorkerSpec]:
        return [w for w in self.workers if w.job_role in JobRole.case_holding()]


@dataclass
class CouncilSpec:
    name: str
    code: str
    areas: tuple[str, ...]
    teams: list[TeamSpec]

    def workers(self):
        for team in self.teams:
            yield from team.workers

    def team(self, name: str) -> TeamSpec:
        return next(t for t in self.teams if t.name == name)


def service_name(kind: str) -> str:
    return ServiceKind(kind).label


def build_council(
    *, seed: int = 1, scale: float = 1.0, name: str = "Wealdshire County Council", code="990"
) -> CouncilSpec:
    """The organisation of one synthetic council. ``scale`` multiplies the number of teams."""
    rng = random.Random(seed)
    used_names: set[str] = set()
    counter = iter(range(1, 10_000_000))

    def person(job_role: str, manager: WorkerSpec | None = None) -> WorkerSpec:
        while True:
            candidate = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
            if candidate not in used_names:
                break
            candidate = f"{candidate} {rng.choice(FIRST_NAMES)[0]}."
            if candidate not in used_names:
                break
        used_names.add(candidate)
        return WorkerSpec(
            staff_id=f"W{next(counter):06d}",
            name=candidate,
            job_role=job_role,
            manager_staff_id=manager.staff_id if manager else None,
        )

    teams: list[TeamSpec] = []
    leadership = TeamSpec("Children's Services Leadership Team", ServiceKind.LEADERSHIP, None)
    director = person(JobRole.DIRECTOR)
    leadership.workers.append(director)
    teams.append(leadership)

    qa = TeamSpec("Audit and Practice Standards Team", ServiceKind.QUALITY_ASSURANCE, None)
    qa_manager = person(JobRole.QA_MANAGER, director)
    qa.workers.append(qa_manager)
    qa.workers.extend(person(JobRole.INSPECTION_LEAD, qa_manager) for _ in AREAS)
    teams.append(qa)

    reviewing = TeamSpec("Independent Reviewing Service", ServiceKind.REVIEWING, None)
    reviewing_manager = person(JobRole.TEAM_MANAGER, director)
    reviewing.workers.append(reviewing_manager)
    reviewing.workers.extend(person(JobRole.IRO, reviewing_manager) for _ in range(16))
    reviewing.workers.extend(person(JobRole.CP_CHAIR, reviewing_manager) for _ in range(6))
    teams.append(reviewing)

    for area in AREAS:
        management = TeamSpec(f"{area} Management Team", ServiceKind.LEADERSHIP, area)
        assistant_director = person(JobRole.ASSISTANT_DIRECTOR, director)
        management.workers.append(assistant_director)
        teams.append(management)
        for kind, per_area, practitioners, job_role in AREA_SERVICES:
            service_manager = person(JobRole.SERVICE_MANAGER, assistant_director)
            management.workers.append(service_manager)
            count = max(1, round(per_area * scale))
            for number in range(1, count + 1):
                suffix = f" {number}" if count > 1 else ""
                team = TeamSpec(f"{area} {service_name(kind)} Team{suffix}", kind, area)
                team_manager = person(JobRole.TEAM_MANAGER, service_manager)
                team.workers.append(team_manager)
                team.workers.extend(person(job_role, team_manager) for _ in range(practitioners))
                teams.append(team)
    return CouncilSpec(name=name, code=code, areas=AREAS, teams=teams)
