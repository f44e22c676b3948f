"""The children an import's file mentions, kept in the database while the file is read.

A return names each child on several lists. Every list row needs the child's id as it is
written, but the child's own record (first-seen attributes, current team and worker) is only
settled once the whole file has been read. So, instead of a dictionary that grows with every
child in the file, the register keeps one row per child in a temporary table of the import's
own transaction:

- ``resolve(rows)`` gives each row's child an id, for a batch at a time: the id taken when the
  child was first seen in the file, the existing child's, or a new one from the database's
  own sequence. A child's attributes are the first ones the file gives; a later list fills in
  what an earlier one lacked (contacts carry no disability) and a different value is reported.
- ``write_children(...)`` writes each child once, at the end: new children with their team,
  worker and snapshot in one ``INSERT … SELECT``, children the council already had in one
  ``UPDATE … FROM``. Their current allocation is worked out in SQL from the list rows just
  loaded, by ``allocation_sql``.

Memory therefore stays the same whatever the size of the file (measured: bench/import_bench.py).
"""

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from django.db import connection

from caseaudit.cases.annex_a import Problem, Row
from caseaudit.cases.models import Child
from caseaudit.core.bulk import insert_rows, update_rows

# The attributes said once, on the child, rather than on every list row.
ATTRIBUTES = ("gender", "ethnicity", "date_of_birth", "disability", "uasc")

_REGISTER = "import_children"
_ALLOCATION = "import_allocation"


@dataclass(frozen=True)
class ChildCounts:
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True)
class AllocatingList:
    """A list whose rows can say who a child is allocated to: its table, its place in the
    priority order, and the date column that says the episode has ended (if it has one)."""

    table: str
    rank: int
    ended_column: str | None = None


def attributes_of(values: dict) -> tuple:
    """A row's child attributes, in ATTRIBUTES order; None where the list says nothing."""
    return tuple(values.get(name) for name in ATTRIBUTES)


class ChildRegister:
    def __init__(self, council, snapshot, *, note: Callable[[Problem], None]):
        self.council = council
        self.snapshot = snapshot
        self.note = note
        # A council's first import finds no children to match: skip looking for them.
        self.council_had_children = Child.objects.filter(council=council).exists()
        self._next_id: int | None = None
        self._sequence: str | None = None
        quote = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {quote(_REGISTER)}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {quote(_REGISTER)} ("
                "la_child_id varchar(50) PRIMARY KEY, id bigint NOT NULL, "
                "existed boolean NOT NULL, gender varchar(20), ethnicity varchar(20), "
                "date_of_birth date, disability varchar(1), uasc varchar(1))"
            )

    # --- while the file is read ---------------------------------------------------------

    def resolve(self, rows: Sequence[Row], sheet_name: str) -> dict[str, int]:
        """Each of these rows' child IDs mapped to the child's id: a few queries a batch."""
        first_rows: dict[str, Row] = {}
        for row in rows:
            first_rows.setdefault(row.values["child_id"], row)
        known = self._registered(list(first_rows))
        unseen = [child_id for child_id in first_rows if child_id not in known]
        stored = self._stored(unseen) if unseen and self.council_had_children else {}
        fresh = self._take_ids(len(unseen) - len(stored))
        for child_id in unseen:
            pk = stored.get(child_id) or next(fresh)
            known[child_id] = [pk, list(attributes_of(first_rows[child_id].values))]
        filled: dict[str, list] = {}
        earlier = set(known) - set(unseen)
        # Which attributes this list carries, once for the batch (every row has the same).
        present = [(i, name) for i, name in enumerate(ATTRIBUTES) if name in rows[0].values]
        for row in rows:
            child_id = row.values["child_id"]
            first = known[child_id][1]
            if self._compare(child_id, first, present, row, sheet_name) and child_id in earlier:
                filled[child_id] = first
        if unseen:
            insert_rows(
                _REGISTER,
                ["la_child_id", "id", "existed", *ATTRIBUTES],
                (
                    (child_id, known[child_id][0], child_id in stored, *known[child_id][1])
                    for child_id in unseen
                ),
            )
        if filled:
            update_rows(
                _REGISTER,
                "la_child_id",
                list(ATTRIBUTES),
                ((child_id, *first) for child_id, first in filled.items()),
            )
        return {child_id: entry[0] for child_id, entry in known.items()}

    def _compare(
        self, child_id: str, first: list, present: list, row: Row, sheet_name: str
    ) -> bool:
        """Fill in what the file had not said about the child yet; report a different value
        (once a row), keeping the first. True when something was filled in."""
        filled = reported = False
        values = row.values
        for position, name in present:
            value = values[name]
            known = first[position]
            if value is None or value == known:
                continue
            if known is None:
                first[position] = value
                filled = True
            elif known != value and not reported:
                reported = True
                name = name.replace("_", " ")
                self.note(
                    Problem(
                        "warning",
                        sheet_name,
                        row.row_number,
                        name.capitalize(),
                        _shown(value),
                        f"Child {child_id} has a different {name} here ({_shown(value)}) from "
                        f"earlier in the file ({_shown(known)}); the first is kept.",
                    )
                )
        return filled

    def _registered(self, child_ids: list[str]) -> dict[str, list]:
        rows = _select_in(
            f"SELECT la_child_id, id, {', '.join(ATTRIBUTES)} FROM {_REGISTER} "  # noqa: S608
            "WHERE la_child_id",
            child_ids,
        )
        return {child_id: [pk, list(attributes)] for child_id, pk, *attributes in rows}

    def _stored(self, child_ids: list[str]) -> dict[str, int]:
        table = Child._meta.db_table
        rows = _select_in(
            f"SELECT la_child_id, id FROM {table} "  # noqa: S608 (our own model's table)
            f"WHERE council_id = {int(self.council.pk)} AND la_child_id",
            child_ids,
        )
        return dict(rows)

    def _take_ids(self, count: int) -> Iterator[int]:
        """New children's ids, taken now so that list rows can point at them before the
        children themselves are written at the end."""
        if count <= 0:
            return iter(())
        table = Child._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # The sequence hands out ids no other import can take, even concurrently.
                if self._sequence is None:
                    cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
                    self._sequence = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                    [self._sequence, count],
                )
                return iter([pk for (pk,) in cursor.fetchall()])
            if self._next_id is None:
                # SQLite: the import's transaction holds the database's only write lock, so a
                # counter from the highest id ever used (AUTOINCREMENT never reuses one) is safe.
                cursor.execute(
                    f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
                    f"COALESCE((SELECT MAX(id) FROM {table}), 0))",
                    [table],
                )
                self._next_id = cursor.fetchone()[0] + 1
        start, self._next_id = self._next_id, self._next_id + count
        return iter(range(start, start + count))

    # --- at the end -------------------------------------------------------------------------

    def write_children(
        self, allocating: Sequence[AllocatingList], *, is_latest: bool
    ) -> ChildCounts:
        """Write every child the file mentions, and set the current allocation when this
        snapshot is the latest; children no longer in any list lose theirs."""
        quote = connection.ops.quote_name
        child = quote(Child._meta.db_table)
        snapshot_id, council_id = int(self.snapshot.pk), int(self.council.pk)
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*), SUM(CASE WHEN existed THEN 0 ELSE 1 END) FROM {_REGISTER}"  # noqa: S608
            )
            total, created = cursor.fetchone()
            total, created = total or 0, created or 0
            updated = 0
            if is_latest:
                cursor.execute(f"DROP TABLE IF EXISTS {_ALLOCATION}")
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {_ALLOCATION} (child_id bigint PRIMARY KEY, "
                    "team_id bigint, worker_id bigint)"
                )
                cursor.execute(
                    f"INSERT INTO {_ALLOCATION} (child_id, team_id, worker_id) "  # noqa: S608
                    + allocation_sql(allocating),
                    [snapshot_id] * len(allocating),
                )
                team, worker = "a.team_id", "a.worker_id"
                joined = f"{_REGISTER} s LEFT JOIN {_ALLOCATION} a ON a.child_id = s.id"
            else:
                # An older return than one already loaded: the latest keeps the allocation.
                team = worker = "NULL"
                joined = f"{_REGISTER} s"
            cursor.execute(
                f"INSERT INTO {child} (id, council_id, la_child_id, gender, ethnicity, "  # noqa: S608
                "date_of_birth, disability, uasc, allocated_team_id, allocated_worker_id, "
                "last_snapshot_id) "
                f"SELECT s.id, {council_id}, s.la_child_id, COALESCE(s.gender, ''), "
                "COALESCE(s.ethnicity, ''), s.date_of_birth, COALESCE(s.disability, ''), "
                f"COALESCE(s.uasc, ''), {team}, {worker}, {snapshot_id} "
                f"FROM {joined} WHERE NOT s.existed"
            )
            if is_latest and total > created:
                changed = " OR ".join(
                    f"(s.{name} IS NOT NULL AND (c.{name} IS NULL OR s.{name} <> c.{name}))"
                    for name in ATTRIBUTES
                )
                cursor.execute(
                    f"SELECT COUNT(*) FROM {_REGISTER} s JOIN {child} c ON c.id = s.id "  # noqa: S608
                    f"WHERE s.existed AND ({changed})"
                )
                updated = cursor.fetchone()[0]
                keep = ", ".join(
                    f"{name} = COALESCE(s.{name}, {child}.{name})" for name in ATTRIBUTES
                )
                cursor.execute(
                    f"UPDATE {child} SET {keep}, allocated_team_id = a.team_id, "  # noqa: S608
                    f"allocated_worker_id = a.worker_id, last_snapshot_id = {snapshot_id} "
                    f"FROM {joined} WHERE {child}.id = s.id AND s.existed"
                )
            if is_latest:
                # Children in no list any more are no longer allocated to anyone.
                cursor.execute(
                    f"UPDATE {child} SET allocated_team_id = NULL, allocated_worker_id = NULL "  # noqa: S608
                    f"WHERE council_id = {council_id} AND (last_snapshot_id IS NULL OR "
                    f"last_snapshot_id <> {snapshot_id}) AND (allocated_team_id IS NOT NULL "
                    "OR allocated_worker_id IS NOT NULL)"
                )
                cursor.execute(f"DROP TABLE {_ALLOCATION}")
        return ChildCounts(created=created, updated=updated, unchanged=total - created - updated)

    def duplicates(self, table: str, key_column: str | None, limit: int) -> tuple[int, list]:
        """Rows that repeat an earlier row's child (and key date) in one list: how many, and
        the first ``limit`` of them as (row, child ID, first row)."""
        partition = "child_id" if key_column is None else f"child_id, {key_column}"
        repeated = (
            f"SELECT row_number, child_id, MIN(row_number) OVER (PARTITION BY {partition}) "  # noqa: S608
            f"AS first_row FROM {table} WHERE snapshot_id = {int(self.snapshot.pk)}"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT r.row_number, s.la_child_id, r.first_row FROM ({repeated}) r "  # noqa: S608
                f"JOIN {_REGISTER} s ON s.id = r.child_id WHERE r.row_number > r.first_row "
                f"ORDER BY r.row_number LIMIT {int(limit)}"
            )
            shown = cursor.fetchall()
            if len(shown) < limit:
                return len(shown), shown
            cursor.execute(
                f"SELECT COUNT(*) FROM ({repeated}) r WHERE r.row_number > r.first_row"  # noqa: S608
            )
            return cursor.fetchone()[0], shown

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {_REGISTER}")


def allocation_sql(allocating: Sequence[AllocatingList]) -> str:
    """Each child's current team and worker from this snapshot's list rows (one ``%s`` per
    list for the snapshot): the highest-priority list that allocates them wins, an ended
    episode only if nothing open does, and the first such row in the file within a list."""
    ended_rank = len(allocating)

    def priority(source: AllocatingList) -> str:
        if source.ended_column is None:
            return str(source.rank)
        ended = f"CASE WHEN {source.ended_column} IS NOT NULL THEN {ended_rank} ELSE 0 END"
        return f"{source.rank} + {ended}"

    candidates = " UNION ALL ".join(
        f"SELECT child_id, allocated_team_id AS team_id, allocated_worker_id AS worker_id, "  # noqa: S608 (our own tables)
        f"{priority(source)} AS priority, row_number FROM {source.table} "
        "WHERE snapshot_id = %s "
        "AND (allocated_team_id IS NOT NULL OR allocated_worker_id IS NOT NULL)"
        for source in allocating
    )
    return (
        "SELECT child_id, team_id, worker_id FROM (SELECT child_id, team_id, worker_id, "  # noqa: S608
        "ROW_NUMBER() OVER (PARTITION BY child_id ORDER BY priority, row_number) AS position "
        f"FROM ({candidates}) candidates) ranked WHERE position = 1"
    )


def _select_in(prefix: str, values: list[str]) -> list[tuple]:
    """``prefix IN (values)``: one array parameter on PostgreSQL, a list of them on SQLite."""
    if not values:
        return []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"{prefix} = ANY(%s)", [values])
        else:
            cursor.execute(f"{prefix} IN ({', '.join(['%s'] * len(values))})", values)
        return cursor.fetchall()


def _shown(value) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else str(value)
