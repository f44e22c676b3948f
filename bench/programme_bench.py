"""The monthly audit programme at scale: sampling, allocation and compliance, against floors.

For each scale (1 is one council the size of the seeds' council, 40 case-holding teams; 50 is
fifty times as many teams and children) and each database, in fresh processes on a fresh copy
of a database migrated once:

- *setup*: the council, built with bulk inserts (see below), and 24 months of programme
  history: a confirmed sample and ~70 audits per month per scale-1 council (3,500 a month at
  scale 50), completed, exempted, cancelled, in progress and overdue in the shares a council
  reports (compliance about 80%), and re-audits of the completed audits graded Inadequate
  (about a fifth as many as audits);
- *compliance*: ``compliance_report`` over the 24 months, ``reporting_months`` and the
  programme page's ``months_with_counts``, against a floor of one bare GROUP BY over the
  audit table;
- *sampling*, once per cases-per-team value (1 and 2), each in a new month: ``draw_sample``
  over every team (three draws, each replacing the last draft: the best counts), against a
  floor of one bare SQL query reading the same eligible children; then ``confirm_sample``;
- *allocate*, in a process of its own: ``allocate_sample`` of that sample, with the time its
  balancing rule (``allocation.balance``, pure Python) takes.

A step that runs longer than BENCH_STEP_TIMEOUT seconds (default 1800) is stopped and
reported as timed out.

Seconds, query counts and each process's peak memory are reported;
the results to read are ratios: each step over its floor, and the time per team (per audit
for allocation) at the largest scale over the smallest, which stays near 1 while the work
grows linearly. The machine is shared and noisy: no absolute number is a target.

The bench's council is built with bulk inserts, not through the generator and the importer
(``bench/import_bench.py`` measures those): at scale 50 the importer would spend minutes
loading 2.3 million rows that sampling never reads. The shape follows the generator's
council (seed 1, scale 1): per team of each service the same numbers of open and closed
children, the same lists (CIN, CP, CLA, care leavers) and ~11,000 children with no allocated
team per council. Only the four lists that say whether a case is open are loaded. On
PostgreSQL the tables are ANALYZEd after loading, as autovacuum would have done on a live
database; SQLite is left as the application leaves it.

    python -m bench programme [--scales 1,50] [--databases sqlite,postgresql] [--quick]
                              [--months 24] [--per-team 1,2]

--quick measures scales 0.25 and 1 (0.25 still has one team per service per area: 24 teams).

PostgreSQL is measured when DATABASE_URL names a PostgreSQL server: the bench uses (and drops
and creates again) the databases ``bench_programme`` and ``bench_programme_migrated`` (the
migrated template each scale is copied from) on that server, never DATABASE_URL's own.
"""

import argparse
import datetime
import gc
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from caseaudit.core.months import add_months

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCALES = (1.0, 50.0)
QUICK_SCALES = (0.25, 1.0)
DEFAULT_PER_TEAM = (1, 2)
PG_BENCH_DB = "bench_programme"
PG_TEMPLATE_DB = "bench_programme_migrated"
STEP_TIMEOUT = int(os.environ.get("BENCH_STEP_TIMEOUT", "1800"))

AS_AT = datetime.date(2026, 3, 31)  # the case data's date
LAST_HISTORY_MONTH = datetime.date(2026, 3, 1)
FIRST_SAMPLE_MONTH = datetime.date(2026, 4, 1)
TODAY = datetime.date(2026, 4, 20)  # compliance's "today": every history month is past due
AUDITS_PER_MONTH_AT_SCALE_1 = 70
REAUDIT_SHARE = 0.3  # of completed audits: graded Inadequate, re-audited three months on

# Per team of each service, from the generator's council (seed 1, scale 1): open children,
# children whose case is closed, and which lists an open child is on beyond an open CIN
# episode (shares). Care leavers are on the care leavers' list only.
SHAPE = {
    "assessment": (275, 430, {}),
    "family_safeguarding": (96, 27, {"cp": 0.65}),
    "looked_after": (113, 16, {"cla": 0.98}),
    "care_leavers": (150, 0, {}),
    "disabilities": (75, 42, {"cp": 0.16, "cla": 0.25}),
    "youth_offending": (58, 45, {"cla": 0.17}),
}
UNALLOCATED_PER_TEAM = 280  # children on the contacts or referrals lists only
# Status shares of a past month's audits (overdue: allocated or in progress, past due).
PAST_MONTH = {
    "submitted": 0.62,
    "moderated": 0.16,
    "exempted": 0.06,
    "cancelled": 0.02,
    "in_progress": 0.05,
    "allocated": 0.09,
}
LATEST_MONTH = {
    "submitted": 0.45,
    "moderated": 0.05,
    "exempted": 0.04,
    "cancelled": 0.01,
    "in_progress": 0.2,
    "allocated": 0.25,
}
GRADES = (("outstanding", 0.06), ("good", 0.5), ("requires_improvement", 0.44))
BATCH = 50_000


# The orchestration: fresh processes on fresh databases ----------------------------------------


def run(argv: list[str]) -> dict:
    parser = argparse.ArgumentParser(prog="python -m bench programme")
    parser.add_argument("--scales", help=f"default {','.join(map(str, DEFAULT_SCALES))}")
    parser.add_argument(
        "--databases", help="default sqlite, and postgresql if DATABASE_URL names it"
    )
    parser.add_argument("--months", type=int, default=24, help="programme history (default 24)")
    parser.add_argument("--per-team", default=",".join(map(str, DEFAULT_PER_TEAM)))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--quick", action="store_true", help=f"scales {','.join(map(str, QUICK_SCALES))}"
    )
    args = parser.parse_args(argv)
    scales = [float(s) for s in args.scales.split(",")] if args.scales else None
    scales = scales or list(QUICK_SCALES if args.quick else DEFAULT_SCALES)
    per_team = [int(n) for n in args.per_team.split(",")]
    databases = _databases(args.databases)

    results = []
    with tempfile.TemporaryDirectory(prefix="caseaudit-bench-programme-") as work:
        for database in databases:
            # Migrated once per database; each scale starts from a copy of it.
            template = _fresh_database(database, Path(work), name=PG_TEMPLATE_DB)
            migrated = _measure(template, "migrate")
            for scale in scales:
                _say(f"programme: {database}, scale {scale:g}")
                url = _copy_database(database, template, Path(work))
                result = {"database": database, "scale": scale, "migrate": migrated}
                setup = _measure(
                    url, "setup", "--scale", str(scale), "--months", str(args.months),
                    "--seed", str(args.seed),
                )  # fmt: skip
                result["setup"] = setup
                _say(f"  setup: {json.dumps(setup)}")
                result["compliance"] = _measure(url, "compliance", "--months", str(args.months))
                _say(f"  compliance: {json.dumps(result['compliance'])}")
                result["sampling"] = []
                for index, n in enumerate(per_team):
                    month = add_months(FIRST_SAMPLE_MONTH, index)
                    step = _measure(
                        url, "sampling", "--per-team", str(n), "--month", month.isoformat(),
                        "--seed", str(args.seed),
                    )  # fmt: skip
                    if "timed_out_after_seconds" not in step:
                        allocated = _measure(url, "allocate", "--month", month.isoformat())
                        step.update({f"allocate_{key}": value for key, value in allocated.items()})
                    result["sampling"].append(step)
                    _say(f"  sampling: {json.dumps(step)}")
                results.append(result)
            if database == "postgresql":
                _drop_postgres(PG_TEMPLATE_DB)
    return {
        "method": (
            "bulk-inserted council (generator's shape, not the importer), "
            f"{args.months} months of audits; ratios are the result"
        ),
        "targets": {
            # Near 1 when the work per team (per audit) does not grow with the council.
            "draw_seconds_per_team_ratio": 1.5,
            "allocate_seconds_per_audit_ratio": 1.5,
        },
        "results": results,
        "scaling": _scaling(results),
    }


def _scaling(results: list[dict]) -> list[dict]:
    """The largest scale over the smallest, per database and cases per team."""
    rows = []
    for database in dict.fromkeys(r["database"] for r in results):
        mine = sorted((r for r in results if r["database"] == database), key=lambda r: r["scale"])
        small, large = mine[0], mine[-1]
        if small is large:
            continue
        for low, high in zip(small["sampling"], large["sampling"], strict=True):
            if "draw_seconds" not in low or "draw_seconds" not in high:
                continue
            rows.append(
                {
                    "database": database,
                    "per_team": low["per_team"],
                    "scales": [small["scale"], large["scale"]],
                    "teams": [low["teams"], high["teams"]],
                    "draw_seconds_per_team_ratio": _ratio(
                        high["draw_seconds_per_team"], low["draw_seconds_per_team"]
                    ),
                    "draw_floor_seconds_per_team_ratio": _ratio(
                        high["floor_seconds"] / high["teams"], low["floor_seconds"] / low["teams"]
                    ),
                    "allocate_seconds_per_audit_ratio": _ratio(
                        high.get("allocate_seconds_per_audit", 0),
                        low.get("allocate_seconds_per_audit", 0),
                    ),
                    "allocate_queries_per_audit": [
                        low.get("allocate_queries_per_audit"),
                        high.get("allocate_queries_per_audit"),
                    ],
                }
            )
        rows.append(
            {
                "database": database,
                "compliance": True,
                "scales": [small["scale"], large["scale"]],
                "audits": [small["compliance"]["audits"], large["compliance"]["audits"]],
                "report_seconds_per_1000_audits_ratio": _ratio(
                    large["compliance"]["report_seconds"] / large["compliance"]["audits"],
                    small["compliance"]["report_seconds"] / small["compliance"]["audits"],
                ),
            }
        )
    return rows


def _databases(option: str | None) -> list[str]:
    url = os.environ.get("DATABASE_URL", "")
    on_postgres = url.startswith(("postgres://", "postgresql://"))
    if option:
        chosen = [d for d in option.split(",") if d]
    else:
        chosen = ["sqlite", *(["postgresql"] if on_postgres else [])]
        if not on_postgres:
            _say("programme: DATABASE_URL names no PostgreSQL server: measuring SQLite only")
    if "postgresql" in chosen and not on_postgres:
        raise SystemExit("--databases postgresql needs DATABASE_URL to name a PostgreSQL server")
    return chosen


def _fresh_database(database: str, work: Path, *, name: str = PG_BENCH_DB) -> str:
    if database == "sqlite":
        path = work / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    _drop_postgres(name)
    with _postgres_admin() as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return f"{_postgres_server()}/{name}"


def _copy_database(database: str, template_url: str, work: Path) -> str:
    """A fresh copy of the migrated template."""
    if database == "sqlite":
        url = _fresh_database(database, work)
        shutil.copyfile(template_url.removeprefix("sqlite:///"), url.removeprefix("sqlite:///"))
        return url
    _drop_postgres(PG_BENCH_DB)
    with _postgres_admin() as connection:
        connection.execute(f"CREATE DATABASE {PG_BENCH_DB} TEMPLATE {PG_TEMPLATE_DB}")
    return f"{_postgres_server()}/{PG_BENCH_DB}"


def _postgres_server() -> str:
    return os.environ["DATABASE_URL"].split("?")[0].rsplit("/", 1)[0]


def _postgres_admin():
    import psycopg

    return psycopg.connect(f"{_postgres_server()}/postgres", autocommit=True)


def _drop_postgres(name: str) -> None:
    with _postgres_admin() as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _measure(database_url: str, *args: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url}
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "bench.programme_bench", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=STEP_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return {"timed_out_after_seconds": STEP_TIMEOUT}
    if completed.returncode != 0:
        raise SystemExit(
            f"bench.programme_bench {' '.join(args)} failed:\n{completed.stderr[-3000:]}"
        )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 2) if denominator else None


# One step in a fresh process -------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.programme_bench")
    parser.add_argument("mode", choices=["migrate", "setup", "compliance", "sampling", "allocate"])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--per-team", type=int, default=1)
    parser.add_argument("--month", type=datetime.date.fromisoformat, default=FIRST_SAMPLE_MONTH)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "caseaudit.settings")
    import django

    django.setup()
    started = time.perf_counter()
    if args.mode == "migrate":
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        if connection.vendor == "sqlite":  # everything in the one file the bench copies
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        result = {}
    elif args.mode == "setup":
        result = build(scale=args.scale, months=args.months, seed=args.seed).as_json()
    else:
        bench = BenchCouncil.load()
        if args.mode == "compliance":
            result = bench_compliance(bench, months=args.months)
        elif args.mode == "sampling":
            result = bench_sampling(bench, month=args.month, per_team=args.per_team, seed=args.seed)
        else:
            result = bench_allocation(bench, month=args.month)
    result["process_seconds"] = round(time.perf_counter() - started, 3)
    result["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(result))


# Building the council --------------------------------------------------------------------------

COUNCIL_CODE = "980"


@dataclass
class BenchCouncil:
    council: object
    snapshot: object
    qa_lead: object
    teams: int = 0
    case_teams: int = 0
    children: int = 0
    open_children: int = 0
    auditors: int = 0
    audits: int = 0
    reaudits: int = 0
    seconds: dict | None = None

    @classmethod
    def load(cls) -> "BenchCouncil":
        from caseaudit.accounts.models import User
        from caseaudit.cases.models import Snapshot
        from caseaudit.organisation.models import Council

        council = Council.objects.get(code=COUNCIL_CODE)
        return cls(
            council=council,
            snapshot=Snapshot.objects.filter(council=council).latest(),
            qa_lead=User.objects.get(username="bench.qa.lead"),
        )

    def as_json(self) -> dict:
        return {
            "teams": self.teams,
            "case_holding_teams": self.case_teams,
            "children": self.children,
            "open_children": self.open_children,
            "auditors": self.auditors,
            "history_audits": self.audits,
            "history_reaudits": self.reaudits,
            **{f"{name}_seconds": seconds for name, seconds in (self.seconds or {}).items()},
        }


def build(*, scale: float, months: int = 24, seed: int = 1, team_size: float = 1.0) -> BenchCouncil:
    """The bench's council at ``scale`` with ``months`` of programme history. Bulk inserts:
    no history records, no importer, nothing checked row by row. ``team_size`` shrinks every
    team's cases (the tests' tiny council); the bench itself leaves it at 1."""
    from django.db import connection, transaction

    seconds = {}
    started = time.perf_counter()
    with transaction.atomic():
        org = _build_organisation(scale, seed)
        seconds["organisation"] = round(time.perf_counter() - started, 3)
        started = time.perf_counter()
        cases = _build_children(org, seed, team_size)
        seconds["children"] = round(time.perf_counter() - started, 3)
        started = time.perf_counter()
        history = _build_history(org, cases, months=months, seed=seed)
        seconds["history"] = round(time.perf_counter() - started, 3)
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        seconds["analyze"] = round(time.perf_counter() - started, 3)
    return BenchCouncil(
        council=org.council,
        snapshot=cases.snapshot,
        qa_lead=org.qa_lead,
        teams=org.teams,
        case_teams=len(org.case_teams),
        children=cases.children,
        open_children=len(cases.open_children),
        auditors=len(org.auditors),
        audits=history[0],
        reaudits=history[1],
        seconds=seconds,
    )


@dataclass
class _Organisation:
    council: object
    qa_lead: object
    teams: int
    # (team id, service kind, [practitioner worker ids]) of the case-holding teams
    case_teams: list[tuple[int, str, list[int]]]
    auditors: list[tuple[int, int]]  # (user id, team id)


def _build_organisation(scale: float, seed: int) -> _Organisation:
    from caseaudit.accounts.choices import Role, Scope
    from caseaudit.accounts.models import User
    from caseaudit.organisation.choices import JobRole
    from caseaudit.organisation.demo import ORGANISATION_START
    from caseaudit.organisation.generator import build_council, service_name
    from caseaudit.organisation.models import Area, Assignment, Council, Service, Team, Worker

    spec = build_council(seed=seed, scale=scale, name="Benchshire County Council", code="980")
    council = Council.objects.create(name=spec.name, code=spec.code)
    areas = {name: Area.objects.create(council=council, name=name) for name in spec.areas}
    services = {
        kind: Service.objects.create(council=council, name=service_name(kind), kind=kind)
        for kind in dict.fromkeys(team.service for team in spec.teams)
    }
    teams = Team.objects.bulk_create(
        Team(
            council=council,
            name=team.name,
            area=areas.get(team.area) if team.area else None,
            service=services[team.service],
        )
        for team in spec.teams
    )
    team_ids = {team.name: team.pk for team in teams}
    specs = [(team, worker) for team in spec.teams for worker in team.workers]
    workers = Worker.objects.bulk_create(
        (Worker(council=council, name=w.name, staff_id=w.staff_id) for _, w in specs),
        batch_size=5000,
    )
    worker_ids = {worker.staff_id: worker.pk for worker in workers}
    Assignment.objects.bulk_create(
        (
            Assignment(
                worker_id=worker_ids[w.staff_id],
                team_id=team_ids[team.name],
                job_role=w.job_role,
                manager_id=worker_ids.get(w.manager_staff_id or ""),
                starts_on=ORGANISATION_START,
            )
            for team, w in specs
        ),
        batch_size=5000,
    )
    case_teams = [
        (
            team_ids[team.name],
            str(team.service),
            [worker_ids[w.staff_id] for w in team.practitioners],
        )
        for team in spec.teams
        if team.service in SHAPE
    ]
    # Every team manager audits, as in the seeds' council; nobody signs in, so no password.
    managers = [
        (team, worker)
        for team, worker in specs
        if worker.job_role == JobRole.TEAM_MANAGER
    ]  # fmt: skip
    users = User.objects.bulk_create(
        (
            User(
                username=f"bench.tm{number}",
                password="!",  # noqa: S106 (unusable: nobody signs in)
                first_name=worker.name.split(" ", 1)[0],
                last_name=worker.name.split(" ", 1)[1],
                council=council,
                worker_id=worker_ids[worker.staff_id],
                role=Role.AUDITOR,
                scope=Scope.TEAM,
                scope_team_id=team_ids[team.name],
            )
            for number, (team, worker) in enumerate(managers, start=1)
        ),
        batch_size=5000,
    )
    qa_manager = next(w for _, w in specs if w.job_role == JobRole.QA_MANAGER)
    qa_lead = User.objects.create(
        username="bench.qa.lead",
        password="!",  # noqa: S106
        council=council,
        worker_id=worker_ids[qa_manager.staff_id],
        role=Role.QA_LEAD,
        scope=Scope.COUNCIL,
    )
    return _Organisation(
        council=council,
        qa_lead=qa_lead,
        teams=len(teams),
        case_teams=case_teams,
        auditors=[(user.pk, user.scope_team_id) for user in users],
    )


@dataclass
class _Cases:
    snapshot: object
    children: int
    # (child id, team id, worker id) of every child with an open case
    open_children: list[tuple[int, int, int]]


class _Loader:
    """Rows for one model's table, inserted ``BATCH`` at a time by the bulk path (COPY on
    PostgreSQL). Columns not given take the field's default ('' for text, else NULL)."""

    def __init__(self, model) -> None:
        fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.name == "id"]
        self.table = model._meta.db_table
        self.fields = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.defaults = {f.attname: f.get_default() for f in fields}
        self.rows: list[tuple] = []
        self.count = 0
        self.model = model
        self.explicit_ids = False

    def add(self, **values) -> None:
        self.explicit_ids = self.explicit_ids or "id" in values
        self.rows.append(tuple(values.get(name, self.defaults[name]) for name in self.fields))
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        from caseaudit.core.bulk import insert_rows

        if not self.rows:
            return
        if self.explicit_ids:
            columns = self.columns
            rows = self.rows
        else:  # the database numbers them
            columns = self.columns[1:]
            rows = [row[1:] for row in self.rows]
        self.count += insert_rows(self.table, columns, rows)
        self.rows = []

    def finish(self) -> int:
        from django.core.management.color import no_style
        from django.db import connection

        self.flush()
        if self.explicit_ids:
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                    cursor.execute(sql)
        return self.count


def _build_children(org: _Organisation, seed: int, team_size: float = 1.0) -> _Cases:
    from django.db.models import Max

    from caseaudit.cases.models import CareLeaver, Child, CINEpisode, CLAEpisode, CPPlan, Snapshot

    rng = random.Random(f"{seed}:children")
    snapshot = Snapshot.objects.create(
        council=org.council, as_at=AS_AT, source_name="bench", source_sha256="0" * 64
    )
    children = _Loader(Child)
    models = {"cin": CINEpisode, "cp": CPPlan, "cla": CLAEpisode, "cl": CareLeaver}
    lists = {key: _Loader(model) for key, model in models.items()}
    next_id = (Child.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
    open_children = []
    rows = 0

    def child(team_id, worker_id) -> int:
        nonlocal next_id
        child_id, next_id = next_id, next_id + 1
        children.add(
            id=child_id,
            council_id=org.council.pk,
            la_child_id=f"B{child_id:08d}",
            gender=rng.choice("FM"),
            ethnicity="WBRI",
            date_of_birth=AS_AT - datetime.timedelta(days=rng.randrange(30, 17 * 365)),
            allocated_team_id=team_id,
            allocated_worker_id=worker_id,
            last_snapshot_id=snapshot.pk,
        )
        return child_id

    def record(key: str, child_id: int, team_id: int, worker_id: int, **values) -> None:
        nonlocal rows
        rows += 1
        lists[key].add(
            snapshot_id=snapshot.pk,
            row_number=rows,
            child_id=child_id,
            allocated_team_id=team_id,
            allocated_team_name=str(team_id),
            allocated_worker_id=worker_id,
            allocated_worker_name=str(worker_id),
            **values,
        )

    def started() -> datetime.date:
        return AS_AT - datetime.timedelta(days=rng.randrange(1, 900))

    for team_id, kind, practitioners in org.case_teams:
        open_count, closed_count, also = SHAPE[kind]
        open_count = max(1, round(open_count * team_size))
        closed_count = round(closed_count * team_size)
        for _ in range(open_count):
            worker_id = rng.choice(practitioners)
            child_id = child(team_id, worker_id)
            open_children.append((child_id, team_id, worker_id))
            if kind == "care_leavers":
                record("cl", child_id, team_id, worker_id)
                continue
            record("cin", child_id, team_id, worker_id, cin_start_date=started())
            if rng.random() < also.get("cp", 0):
                record("cp", child_id, team_id, worker_id, cp_plan_start_date=started())
            if rng.random() < also.get("cla", 0):
                record("cla", child_id, team_id, worker_id, looked_after_start_date=started())
        for _ in range(closed_count):
            worker_id = rng.choice(practitioners)
            child_id = child(team_id, worker_id)
            opened = started()
            closed = opened + datetime.timedelta(days=rng.randrange(1, 400))
            record("cin", child_id, team_id, worker_id, cin_start_date=opened,
                   cin_closure_date=min(closed, AS_AT))  # fmt: skip
    for _ in range(round(UNALLOCATED_PER_TEAM * team_size) * len(org.case_teams)):
        child(None, None)
    count = children.finish()
    loaded = {key: loader.finish() for key, loader in lists.items()}
    snapshot.rows = loaded
    snapshot.save(update_fields=["rows"])
    return _Cases(snapshot=snapshot, children=count, open_children=open_children)


def _pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def _build_history(org: _Organisation, cases: _Cases, *, months: int, seed: int):
    """``months`` programme months up to March 2026, each with a confirmed sample and its
    audits (bulk_create), and re-audits of a share of the completed ones."""
    from caseaudit.audits.choices import AuditKind, MonthStatus, SampleStatus
    from caseaudit.audits.models import Audit, ProgrammeMonth, Sample, SampleCase
    from caseaudit.tools.choices import ToolKind
    from caseaudit.tools.models import AuditTool

    rng = random.Random(f"{seed}:history")
    tool = AuditTool.objects.get(council__isnull=True, kind=ToolKind.PRACTICE).published()
    scale_of_council = len(org.case_teams) / 40  # 40 case-holding teams at scale 1
    per_month = max(1, round(AUDITS_PER_MONTH_AT_SCALE_1 * scale_of_council))
    per_month = min(per_month, len(cases.open_children))
    first = add_months(LAST_HISTORY_MONTH, 1 - months)
    month_rows = ProgrammeMonth.objects.bulk_create(
        ProgrammeMonth(
            council=org.council,
            month=add_months(first, index),
            status=MonthStatus.OPEN if index == months - 1 else MonthStatus.CLOSED,
            tool_version=tool,
            due_date=add_months(first, index).replace(day=28),
        )
        for index in range(months)
    )
    samples = Sample.objects.bulk_create(
        Sample(
            month=month,
            seed=index,
            per_team=2,
            status=SampleStatus.CONFIRMED,
            drawn_by=org.qa_lead,
            confirmed_by=org.qa_lead,
            confirmed_at=_moment(month.month, 0),
        )
        for index, month in enumerate(month_rows)
    )
    auditors_by_team: dict[int, list[int]] = {}
    for user_id, team_id in org.auditors:
        auditors_by_team.setdefault(team_id, []).append(user_id)
    all_auditors = [user_id for user_id, _ in org.auditors]

    def auditor_for(team_id: int) -> int:
        while True:
            user_id = rng.choice(all_auditors)
            if user_id not in auditors_by_team.get(team_id, ()):
                return user_id

    audits = 0
    to_reaudit: dict[int, list] = {}  # by month index: completed audits graded Inadequate
    for index, (month, sample) in enumerate(zip(month_rows, samples, strict=True)):
        shares = LATEST_MONTH if index == months - 1 else PAST_MONTH
        chosen = rng.sample(cases.open_children, per_month)
        sample_cases = SampleCase.objects.bulk_create(
            (
                SampleCase(
                    sample=sample,
                    child_id=child_id,
                    team_id=team_id,
                    worker_id=worker_id,
                    reason="Drawn for the bench",
                )  # fmt: skip
                for child_id, team_id, worker_id in chosen
            ),
            batch_size=2000,
        )
        rows = []
        for case in sample_cases:
            progress = _progress(rng, _pick(rng, shares), month.month)
            reaudited = (
                index < months - 3 and "submitted_at" in progress and rng.random() < REAUDIT_SHARE
            )
            if reaudited:
                progress["overall_grade"] = "inadequate"
            rows.append(
                Audit(
                    council=org.council,
                    kind=AuditKind.AUDIT,
                    month=month,
                    sample_case=case,
                    child_id=case.child_id,
                    team_id=case.team_id,
                    worker_id=case.worker_id,
                    tool_version=tool,
                    auditor_id=auditor_for(case.team_id),
                    due_date=month.due_date,
                    **progress,
                )
            )
        made = Audit.objects.bulk_create(rows, batch_size=2000)
        audits += len(made)
        to_reaudit[index] = [a for a in made if a.overall_grade == "inadequate"]

    reaudits = []
    for index, originals in to_reaudit.items():
        # Due three months on: counted in that month, which is still in the history.
        due = add_months(month_rows[index].month, 3).replace(day=28)
        shares = LATEST_MONTH if index + 3 == months - 1 else PAST_MONTH
        for original in originals:
            reaudits.append(
                Audit(
                    council=org.council,
                    kind=AuditKind.REAUDIT,
                    child_id=original.child_id,
                    team_id=original.team_id,
                    worker_id=original.worker_id,
                    tool_version=tool,
                    auditor_id=original.auditor_id,
                    due_date=due,
                    reaudit_of=original,
                    **_progress(rng, _pick(rng, shares), due.replace(day=1)),
                )
            )
    Audit.objects.bulk_create(reaudits, batch_size=2000)
    return audits, len(reaudits)


def _moment(day: datetime.date, offset_days: int) -> datetime.datetime:
    when = datetime.datetime.combine(day, datetime.time(10), tzinfo=datetime.UTC)
    return when + datetime.timedelta(days=offset_days)


def _progress(rng: random.Random, status: str, month: datetime.date) -> dict:
    values: dict = {"status": status}
    if status != "allocated" and status != "cancelled":
        values["started_at"] = _moment(month, rng.randrange(1, 20))
    if status in ("submitted", "moderated"):
        values["submitted_at"] = _moment(month, rng.randrange(20, 40))
        grades, weights = zip(*GRADES, strict=True)
        values["overall_grade"] = rng.choices(grades, weights=weights)[0]
    if status == "moderated":
        values["moderated_at"] = _moment(month, rng.randrange(40, 60))
    return values


# Measuring -------------------------------------------------------------------------------------


def timed(function, *, repeat: int = 1) -> dict:
    """Run ``function`` ``repeat`` times: the best time, every time, and the first run's
    queries (and its slowest). Returns the first run's result too.

    Queries are counted by an execute wrapper: ``CaptureQueriesContext`` keeps only the last
    9,000 (the connection's ``queries_limit``), so it is used for the slowest one alone."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    runs, queries, slowest, result = [], None, None, None
    executed: list[str] = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    for number in range(repeat):
        executed.clear()
        with connection.execute_wrapper(count), CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            outcome = function()
            runs.append(time.perf_counter() - started)
        if number == 0:
            result = outcome
            queries = len(executed)
            slowest = max((float(q["time"]) for q in captured.captured_queries), default=0.0)
    return {
        "seconds": round(min(runs), 4),
        "runs": [round(r, 4) for r in runs],
        "queries": queries,
        "slowest_query_seconds": round(slowest, 4),
        "result": result,
    }


def bench_compliance(bench: BenchCouncil, *, months: int = 24, repeat: int = 3) -> dict:
    from django.db import connection

    from caseaudit.audits.actions.programme import months_with_counts
    from caseaudit.audits.compliance import compliance_report, reporting_months
    from caseaudit.audits.models import Audit

    first = add_months(LAST_HISTORY_MONTH, 1 - months)
    council = bench.council
    table = connection.ops.quote_name(Audit._meta.db_table)

    def floor() -> list:
        # The least the database must do: read every audit once and count it by month,
        # kind and status (every compliance figure is a sum over these groups).
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT month_id, kind, status, COUNT(*) FROM {table} "  # noqa: S608
                "WHERE council_id = %s GROUP BY month_id, kind, status",
                [council.pk],
            )
            return cursor.fetchall()

    floor()  # warm the caches for everything that follows
    report = timed(
        lambda: compliance_report(
            council, from_month=first, to_month=LAST_HISTORY_MONTH, today=TODAY
        ),  # fmt: skip
        repeat=repeat,
    )
    months_list = timed(lambda: reporting_months(council), repeat=repeat)
    programme_page = timed(lambda: list(months_with_counts(council)), repeat=repeat)
    bare = timed(floor, repeat=repeat)
    figures = report.pop("result").totals
    total = Audit.objects.filter(council=council).count()
    return {
        "months": months,
        "audits": total,
        "allocated": figures.audits.allocated,
        "rate": figures.audits.rate,
        "reaudits_allocated": figures.reaudits.allocated,
        "reaudit_rate": figures.reaudits.rate,
        "overdue": figures.audits.overdue + figures.reaudits.overdue,
        "report_seconds": report["seconds"],
        "report_runs": report["runs"],
        "report_queries": report["queries"],
        "report_slowest_query_seconds": report["slowest_query_seconds"],
        "reporting_months_seconds": months_list["seconds"],
        "reporting_months_queries": months_list["queries"],
        "months_with_counts_seconds": programme_page["seconds"],
        "months_with_counts_queries": programme_page["queries"],
        "floor_seconds": bare["seconds"],
        "floor_groups": len(bare["result"]),
        "report_over_floor": _ratio(report["seconds"], bare["seconds"]),
        "months_with_counts_over_floor": _ratio(programme_page["seconds"], bare["seconds"]),
    }


def eligible_floor_sql(month, snapshot, *, exclude_audited_months: int = 6) -> tuple[str, list]:
    """One plain SQL query for the children ``draw_sample`` may draw from (its rules, written
    by hand): the floor for drawing a sample."""
    from django.db import connection
    from django.utils import timezone

    from caseaudit.audits.choices import AuditStatus, SampleStatus
    from caseaudit.audits.models import Audit, ProgrammeMonth, Sample, SampleCase
    from caseaudit.cases.models import CareLeaver, Child, CINEpisode, CLAEpisode, CPPlan
    from caseaudit.core.months import month_start
    from caseaudit.organisation.models import Team

    def name(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    since = add_months(month_start(month.month), -exclude_audited_months)
    since_at = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    still_open, completed = list(AuditStatus.open()), list(AuditStatus.completed())

    def has(model, condition: str = "") -> str:
        return (
            f"EXISTS (SELECT 1 FROM {name(model)} x WHERE x.snapshot_id = %s "  # noqa: S608
            f"AND x.child_id = c.id{condition})"
        )

    sql = f"""
        SELECT c.id, c.allocated_team_id, c.allocated_worker_id, t.name
        FROM {name(Child)} c JOIN {name(Team)} t ON t.id = c.allocated_team_id
        WHERE c.council_id = %s AND c.last_snapshot_id = %s
          AND ({has(CINEpisode, " AND x.cin_closure_date IS NULL")}
               OR {has(CPPlan, " AND x.cp_plan_end_date IS NULL")}
               OR {has(CLAEpisode, " AND x.ceased_looked_after_date IS NULL")}
               OR {has(CareLeaver)})
          AND NOT EXISTS (
              SELECT 1 FROM {name(Audit)} a WHERE a.child_id = c.id
              AND (a.status IN (%s, %s) OR (a.status IN (%s, %s) AND a.submitted_at >= %s)))
          AND NOT EXISTS (
              SELECT 1 FROM {name(SampleCase)} sc
              JOIN {name(Sample)} s ON s.id = sc.sample_id
              JOIN {name(ProgrammeMonth)} m ON m.id = s.month_id
              WHERE sc.child_id = c.id AND s.status = %s AND m.council_id = %s
                AND m.month >= %s
                AND NOT EXISTS (SELECT 1 FROM {name(Audit)} a2 WHERE a2.sample_case_id = sc.id))
        ORDER BY c.allocated_team_id, c.id
    """  # noqa: S608 (table names from our own models)
    params = [
        month.council_id,
        snapshot.pk,
        *[snapshot.pk] * 4,
        *still_open,
        *completed,
        connection.ops.adapt_datetimefield_value(since_at),
        SampleStatus.CONFIRMED,
        month.council_id,
        connection.ops.adapt_datefield_value(since),
    ]
    return sql, params


def bench_sampling(
    bench: BenchCouncil,
    *,
    month: datetime.date = FIRST_SAMPLE_MONTH,
    per_team: int = 1,
    seed: int = 1,
    repeat: int = 3,
) -> dict:
    """Draw (``repeat`` times: each replaces the last draft) and confirm one month's sample
    over every team; the floor reads the same eligible children in one query."""
    from django.db import connection

    from caseaudit.audits.actions.sampling import (
        candidates,
        confirm_sample,
        draw_sample,
        eligible_children,
    )
    from caseaudit.audits.choices import MonthStatus
    from caseaudit.audits.models import ProgrammeMonth, Sample
    from caseaudit.tools.choices import ToolKind
    from caseaudit.tools.models import AuditTool

    tool = AuditTool.objects.get(council__isnull=True, kind=ToolKind.PRACTICE).published()
    programme_month = ProgrammeMonth.objects.create(
        council=bench.council,
        month=month,
        status=MonthStatus.OPEN,
        tool_version=tool,
        due_date=month.replace(day=28),
    )
    sql, params = eligible_floor_sql(programme_month, bench.snapshot)

    def floor() -> list:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def check() -> tuple[int, int]:
        eligible = candidates(eligible_children(programme_month, bench.snapshot))
        if [row[0] for row in floor()] != [c.child_id for c in eligible]:  # and warms caches
            raise RuntimeError("the floor's query does not read the children draw_sample reads")
        return len(eligible), len({c.team_id for c in eligible})

    # Checked before the draw, in a function, so its lists are gone before the draw's peak.
    eligible, teams = check()
    gc.collect()
    by = bench.qa_lead

    draw = timed(
        lambda: draw_sample(programme_month, per_team=per_team, seed=seed, by=by), repeat=repeat
    )
    bare = timed(floor, repeat=repeat)
    sample = Sample.objects.get(month=programme_month)
    confirm = timed(lambda: confirm_sample(sample, by=by))
    return {
        "per_team": per_team,
        "month": f"{month:%Y-%m}",
        "teams": teams,
        "eligible": eligible,
        "sample_size": sample.cases.count(),
        "draw_seconds": draw["seconds"],
        "draw_runs": draw["runs"],
        "draw_queries": draw["queries"],
        "draw_seconds_per_team": round(draw["seconds"] / teams, 6),
        "floor_seconds": bare["seconds"],
        "draw_over_floor": _ratio(draw["seconds"], bare["seconds"]),
        "confirm_seconds": confirm["seconds"],
        "confirm_queries": confirm["queries"],
    }


def bench_allocation(bench: BenchCouncil, *, month: datetime.date = FIRST_SAMPLE_MONTH) -> dict:
    """Allocate the month's confirmed sample; how much of the time the balancing rule takes
    (``allocation.balance``, pure Python) is timed on the way."""
    from unittest import mock

    from caseaudit.audits.actions import allocation
    from caseaudit.audits.models import Sample

    sample = Sample.objects.get(month__council=bench.council, month__month=month)
    balancing = []
    real_balance = allocation.balance

    def timed_balance(cases, pool, ties):
        started = time.perf_counter()
        try:
            return real_balance(cases, pool, ties)
        finally:
            balancing.append((time.perf_counter() - started, len(cases), len(pool)))

    with mock.patch.object(allocation, "balance", timed_balance):
        allocate = timed(lambda: allocation.allocate_sample(sample, by=bench.qa_lead))
    audits = len(allocate["result"])
    balance_seconds, _, pool = balancing[0]
    return {
        "seconds": allocate["seconds"],
        "queries": allocate["queries"],
        "audits": audits,
        "auditors": pool,
        "balance_seconds": round(balance_seconds, 4),
        "seconds_per_audit": round(allocate["seconds"] / audits, 6),
        "queries_per_audit": _ratio(allocate["queries"], audits),
    }


if __name__ == "__main__":
    main()
