"""The children an import's file mentions, kept in the database while the file is read.

A return names each child on several lists. Every list row needs the child's id, but a child's
record (first-seen attributes, current team and worker) is only settled once the whole file
has been read. Rather than a dictionary in memory that grows with every child in the file, the
register is a temporary table of the import's own transaction, one row per child, and each
list goes through it in a few set-based statements:

- ``StagingArea.stage(...)`` gives a list a table of its own. Its rows are written there as
  they are read, with the child's ID as the file gives it and the child's attributes.
- ``settle(list_rows)`` (through ``settle_later``, in the background on PostgreSQL, while the
  next list is read), once the list has been read, in a few set-based statements: a
  summary per child in the list (rows, first row, first value of each attribute, what the
  register knew) is made; children the file had not mentioned before join the register, with
  their existing id or a new one from the database's own sequence and their first values;
  an attribute the register lacks is filled in from this list (contacts carry no disability,
  for instance); rows that repeat an earlier row, or give a different value from the one
  kept, are counted and the first returned to be reported; and the rows move into the list's
  own table with their children's ids, in one ``INSERT … SELECT``; the staging table goes.
- ``write_children(...)`` writes each child once, at the end: new children with their team,
  worker and snapshot in one ``INSERT … SELECT``, children the council already had in one
  ``UPDATE … FROM``. Their current allocation is worked out in SQL from the list rows, by
  ``allocation_sql``.

The importer therefore holds one batch of rows, whatever the size of the file (measured:
bench/import_bench.py), and the database does the work per child in hash joins and
aggregates, once per list, rather than in a lookup per batch.
"""

import datetime
import uuid
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

from caseaudit.cases.models import Child
from caseaudit.core.bulk import insert_rows

# The attributes said once, on the child, rather than on every list row.
ATTRIBUTES = ("gender", "ethnicity", "date_of_birth", "disability", "uasc")
_ATTRIBUTE_TYPES = {
    "gender": "varchar(20)",
    "ethnicity": "varchar(20)",
    "date_of_birth": "date",
    "disability": "varchar(1)",
    "uasc": "varchar(1)",
}

_REGISTER = "import_children"
_IN_LIST = "import_list_children"
# PostgreSQL's own byte order: the database's collation (C.UTF-8 here) orders IDs the same way
# but through the C library, several times slower.
_BYTE_ORDER = ' COLLATE "C"'
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


@dataclass(frozen=True)
class Difference:
    """A row giving a child an attribute different from the one earlier in the file."""

    row_number: int
    child_id: str
    attribute: str
    value: object
    first: object


@dataclass(frozen=True)
class Settled:
    """What settling a list found: rows repeating an earlier row (how many, and the first
    few as (row, child ID, first row)), and rows giving a different attribute."""

    duplicates: int
    duplicates_shown: list[tuple]
    differences: int
    differences_shown: list[Difference]


@dataclass(frozen=True)
class ListRows:
    """One list's rows on their way in: ``table`` (in the staging area) takes ``columns`` in
    order, which are the list table's own (but the child's id), then the child's ID, then
    ``attributes``."""

    table: str
    list_table: str
    list_columns: tuple[str, ...]
    attributes: tuple[str, ...]

    @property
    def columns(self) -> list[str]:
        return [*self.list_columns, "la_child_id", *self.attributes]


class StagingArea:
    """Where each list's rows wait, as they are read, until the list is settled.

    On PostgreSQL the rows go into an unlogged table through a second connection of their own,
    committed as they are written: they are scratch, not the council's data, and the import's
    transaction reads them when it settles the list. So the import's connection can settle one
    list (``ChildRegister.settle_later``) while the next is read and written, on the other
    core, rather than the reading wait for the database and the database for the reading. The
    import's transaction drops each table it has settled; ``staging_area()`` drops what is
    left when the import fails.

    SQLite has one writer for the whole database, and every page a person opens writes (their
    session, the access log): an import holding the write lock while it reads a file stalls
    the service. So there the import is ``deferred``: every list (adopters too) waits in a
    temporary table of the import's own connection, which is private to that connection and
    takes no lock on the database, until the whole file has been read; only then does one
    short transaction settle the lists and write the children (see ``importer._load``).
    """

    def __init__(self, db):
        self.db = db
        self.separate = db.vendor == "postgresql"
        self.deferred = db.vendor == "sqlite"
        self.writer = connections.create_connection(db.alias) if self.separate else db
        self.tables: list[str] = []

    def stage(self, list_table: str, list_columns: Sequence[str], attributes: Sequence[str]):
        """A table for one list's rows; write them with ``write``."""
        rows = ListRows(
            self._create(list_table, list_columns, ("la_child_id", *attributes)),
            list_table,
            tuple(list_columns),
            tuple(attributes),
        )
        return rows

    def stage_plain(self, list_table: str, columns: Sequence[str]) -> str:
        """A table for a list not about a child (adopters), written with ``write`` and moved
        with ``move_plain``; deferred staging only (elsewhere they go straight in)."""
        return self._create(list_table, columns, ())

    def _create(self, list_table: str, list_columns: Sequence[str], added: Sequence[str]) -> str:
        if self.separate:
            table, kind = f"import_rows_{uuid.uuid4().hex}", "UNLOGGED"
            # Read once and dropped within minutes: not worth autovacuum's analysing.
            options = " WITH (autovacuum_enabled = false)"
        else:
            # Several at once when deferred: each list waits until the file has been read.
            table, kind, options = f"import_rows_{uuid.uuid4().hex}", "TEMPORARY", ""
        quote = self.writer.ops.quote_name
        with self.writer.cursor() as cursor:
            names = ", ".join(quote(column) for column in list_columns)
            cursor.execute(
                f"CREATE {kind} TABLE {table}{options} AS SELECT {names} "  # noqa: S608 (our own tables) # nosec B608
                f"FROM {quote(list_table)} WHERE 1 = 0"
            )
            for name in added:
                column_type = _ATTRIBUTE_TYPES.get(name, "varchar(50)")
                cursor.execute(f"ALTER TABLE {table} ADD COLUMN {name} {column_type}")
        self.tables.append(table)
        return table

    def write(self, table: str, columns: Sequence[str], values: list[tuple]) -> None:
        """One batch of staged rows."""
        if not (self.deferred and self.writer.get_autocommit()):
            insert_rows(table, columns, values, using=self.writer)
            return
        # SQLite outside the import's transaction: a transaction per batch rather than one per
        # row (half the time). It writes only the connection's temporary tables, so it takes
        # no lock on the database and other connections write on meanwhile.
        with self.writer.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                insert_rows(table, columns, values, using=self.writer)
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def renumber(self, table: str, id_columns: Sequence[str], real: dict[int, int | None]) -> None:
        """Give a staged table's rows the real ids of the teams and workers that had
        provisional ones while the file was read (``OrganisationIndex`` when deferred); None
        where nothing was added (the rows keep the name only)."""
        if not real or not id_columns:
            return
        cases = " ".join(
            f"WHEN {int(old)} THEN {'NULL' if new is None else int(new)}"
            for old, new in real.items()
        )
        with self.writer.cursor() as cursor:
            for column in id_columns:
                quoted = self.writer.ops.quote_name(column)
                cursor.execute(
                    f"UPDATE {table} SET {quoted} = CASE {quoted} {cases} END "  # noqa: S608 # nosec B608
                    f"WHERE {quoted} < 0"
                )

    def move_plain(self, table: str, list_table: str, columns: Sequence[str], snapshot_id: int):
        """A plain staged table's rows into their list's table, in the import's transaction."""
        quote = self.db.ops.quote_name
        names = ", ".join(quote(column) for column in columns)
        moved = _with_snapshot(columns, snapshot_id, quote)
        with self.db.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(list_table)} ({names}) SELECT {moved} FROM {table}"  # noqa: S608 # nosec B608
            )
            cursor.execute(f"DROP TABLE {table}")

    def discard(self) -> None:
        """After the import's transaction has rolled back: drop the tables it had not."""
        with self.writer.cursor() as cursor:
            for table in self.tables:
                cursor.execute(f"DROP TABLE IF EXISTS {table}")

    def close(self) -> None:
        if self.separate:
            self.writer.close()


@contextmanager
def staging_area(db=None):
    """A staging area for one import, around (outside) the import's transaction."""
    # The connection itself, not django.db.connection: that finds each thread its own.
    area = StagingArea(connections[DEFAULT_DB_ALIAS] if db is None else db)
    try:
        yield area
    except BaseException:
        area.discard()
        raise
    finally:
        area.close()


class ChildRegister:
    def __init__(self, council, snapshot, staging: StagingArea):
        self.council = council
        self.snapshot = snapshot
        self.db = staging.db
        # A council's first import finds no children to match: skip looking for them.
        self.council_had_children = Child.objects.filter(council=council).exists()
        self._next_id: int | None = None
        # Deferred staging settles the lists before the import takes the write lock, so new
        # children get provisional ids (-1, -2, …) and lists wait, settled, for their snapshot
        # (``move_in``).
        self._provisional = 0
        self._settled: list[ListRows] = []
        # Lists are settled one after another, in the order read, by one thread of the
        # import's connection while the importer reads on (see StagingArea).
        self._settling: list[Future] = []
        self._settler = None
        # Lists read but not yet settled, in order (deferred staging: until the file is read).
        self.deferred = staging.deferred
        self._deferred: list[tuple[Future, ListRows, str | None | bool, int]] = []
        with self.db.cursor() as cursor:
            if self.db.vendor == "postgresql":
                # The joins, sorts and summaries over a county's lists spill to disk within
                # the default 4 MB. PostgreSQL keeps no statistics on temporary tables unless
                # asked (ANALYZE would cost more than it saves here), so it takes a list's
                # summary for 200 children rather than 200,000, and picks a lookup per child
                # or sort-and-merge joins over one hash join, and compiles each statement
                # (JIT), which costs more than it saves on statements that run once. Hash
                # joins while the lists are settled (write_children restores the planner's
                # choice); no JIT. LOCAL: for this import's transaction only.
                for setting in (
                    "work_mem = '64MB'",
                    "enable_mergejoin = off",
                    "enable_nestloop = off",
                    "jit = off",
                ):
                    cursor.execute(f"SET LOCAL {setting}")
            cursor.execute(f"DROP TABLE IF EXISTS {_REGISTER}")
            columns = ", ".join(f"{name} {_ATTRIBUTE_TYPES[name]}" for name in ATTRIBUTES)
            # Unique by construction (a child joins it once). SQLite joins through the key's
            # index; PostgreSQL hashes, so there the index would only be written, never read.
            key = "PRIMARY KEY" if self.db.vendor == "sqlite" else "NOT NULL"
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_REGISTER} (la_child_id varchar(50) {key}, "
                f"id bigint NOT NULL, existed boolean NOT NULL, {columns})"
            )
        if staging.separate:
            self._settler = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-settle")
            self.db.inc_thread_sharing()

    # --- one list at a time -------------------------------------------------------------

    def settle_later(self, rows: ListRows, *, duplicate_key: str | None | bool, limit: int):
        """``settle`` the list in the background where the database allows it, after the
        lists before it, or (deferred staging) once the file has been read, in the import's
        transaction (``settle_deferred``); the future gives what ``settle`` found."""
        if self._settler is not None:
            future = self._settler.submit(
                self.settle, rows, duplicate_key=duplicate_key, limit=limit
            )
        else:
            future = Future()
            self._deferred.append((future, rows, duplicate_key, limit))
            if not self.deferred:
                self.settle_deferred()
        self._settling.append(future)
        return future

    def settle_deferred(self) -> None:
        """Settle the lists waiting, in the order they were read."""
        waiting, self._deferred = self._deferred, []
        for future, rows, duplicate_key, limit in waiting:
            try:
                future.set_result(self.settle(rows, duplicate_key=duplicate_key, limit=limit))
            except Exception as error:  # noqa: BLE001 - given to whoever asks the future
                future.set_exception(error)

    def wait(self) -> None:
        """Until every list handed over has been settled: the connection is the caller's. A
        list that could not be settled raises its error here (the transaction is lost)."""
        self.settle_deferred()
        wait(self._settling)
        for future in self._settling:
            if future.exception() is not None:
                raise future.exception()

    def stop(self) -> None:
        """Wait for the background work and end it (whether or not the import succeeded).
        Lists still waiting to be settled are not: the import is being abandoned."""
        for future, *_rest in self._deferred:
            future.cancel()
            future.set_running_or_notify_cancel()  # so that waiting for it ends
        self._deferred = []
        wait(self._settling)
        if self._settler is not None:
            self._settler.shutdown()
            self._settler = None
            self.db.dec_thread_sharing()

    def settle(self, rows: ListRows, *, duplicate_key: str | None | bool, limit: int) -> Settled:
        """Once a list has been read: register its new children, fill in what the register
        lacked, find duplicate rows and rows giving a different attribute (how many, and the
        first ``limit`` of each), and move the rows into the list's table with their
        children's ids. ``duplicate_key`` is the column that, with the child, makes a row a
        duplicate (None: the child alone; False: the list has none)."""
        given = rows.attributes
        self._summarise(rows)
        with self.db.cursor() as cursor:
            # What the summary says needs doing, in one pass over it.
            fills = " OR ".join(f"(known_{n} IS NULL AND {n} IS NOT NULL)" for n in given)
            cursor.execute(
                "SELECT SUM(CASE WHEN rows > 1 THEN 1 ELSE 0 END), "  # noqa: S608 # nosec B608
                f"SUM(CASE WHEN NOT is_new AND ({fills or 'FALSE'}) THEN 1 ELSE 0 END), "
                f"SUM(CASE WHEN {_disagreeing(given)} THEN 1 ELSE 0 END) FROM {_IN_LIST}"
            )
            repeated, lacking, disagreeing = (count or 0 for count in cursor.fetchone())
            values = ", ".join(f"f.{n}" if n in given else "NULL" for n in ATTRIBUTES)
            cursor.execute(
                f"INSERT INTO {_REGISTER} (la_child_id, id, existed, {', '.join(ATTRIBUTES)}) "  # noqa: S608 # nosec B608
                f"SELECT f.la_child_id, f.id, f.existed, {values} FROM {_IN_LIST} f "
                "WHERE f.is_new"
            )
            if lacking:
                kept = ", ".join(f"{n} = COALESCE({_REGISTER}.{n}, f.{n})" for n in given)
                lacks = " OR ".join(f"(f.known_{n} IS NULL AND f.{n} IS NOT NULL)" for n in given)
                cursor.execute(
                    f"UPDATE {_REGISTER} SET {kept} FROM {_IN_LIST} f "  # noqa: S608 # nosec B608
                    f"WHERE {_REGISTER}.la_child_id = f.la_child_id AND NOT f.is_new "
                    f"AND ({lacks})"
                )
        differences = self._differences(rows, limit) if disagreeing else (0, [])
        duplicates = (
            self._duplicates(rows, duplicate_key, limit)
            if repeated and duplicate_key is not False
            else (0, [])
        )
        if self.deferred:
            self._hold_settled(rows)
            return Settled(*duplicates, *differences)
        quote = self.db.ops.quote_name
        names = ", ".join(quote(column) for column in rows.list_columns)
        moved = _with_snapshot(rows.list_columns, self.snapshot.pk, quote, prefix="s.")
        with self.db.cursor() as cursor:
            # In the children's order: a child's rows sit together, as the child's page reads
            # them, and the (snapshot, child) index is filled from one end.
            cursor.execute(
                f"INSERT INTO {quote(rows.list_table)} ({names}, child_id) "  # noqa: S608 # nosec B608
                f"SELECT {moved}, f.id FROM {rows.table} s "
                f"JOIN {_IN_LIST} f ON f.la_child_id = s.la_child_id ORDER BY f.id"
            )
            cursor.execute(f"DROP TABLE {rows.table}")
            cursor.execute(f"DROP TABLE {_IN_LIST}")
        return Settled(*duplicates, *differences)

    def _hold_settled(self, rows: ListRows) -> None:
        """Deferred staging: the list's rows keep waiting in their staged table, now with
        their children's ids (provisional for new children), until ``move_in``."""
        with self.db.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {rows.table} ADD COLUMN child_id bigint")
            cursor.execute(
                f"UPDATE {rows.table} SET child_id = f.id FROM {_IN_LIST} f "  # noqa: S608 # nosec B608
                f"WHERE f.la_child_id = {rows.table}.la_child_id"
            )
            cursor.execute(f"DROP TABLE {_IN_LIST}")
        self._settled.append(rows)

    def move_in(self, snapshot) -> None:
        """Deferred staging, in the import's transaction (which holds SQLite's write lock):
        give new children their real ids and move the settled lists into their tables for
        ``snapshot``. The lists' team and worker ids must already be real (``renumber``)."""
        self.snapshot = snapshot
        quote = self.db.ops.quote_name
        table = Child._meta.db_table
        with self.db.cursor() as cursor:
            # Under the write lock, counting on from the highest id ever used (AUTOINCREMENT
            # never reuses one) is safe: provisional -n becomes that highest id + n.
            cursor.execute(
                f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608 # nosec B608
                f"COALESCE((SELECT MAX(id) FROM {table}), 0))",
                [table],
            )
            base = int(cursor.fetchone()[0])
            cursor.execute(f"UPDATE {_REGISTER} SET id = {base} - id WHERE id < 0")  # noqa: S608 # nosec B608
            real = f"CASE WHEN s.child_id < 0 THEN {base} - s.child_id ELSE s.child_id END"
            for rows in self._settled:
                names = ", ".join(quote(column) for column in rows.list_columns)
                moved = _with_snapshot(rows.list_columns, snapshot.pk, quote, prefix="s.")
                # In the children's order, as ``settle`` writes them.
                cursor.execute(
                    f"INSERT INTO {quote(rows.list_table)} ({names}, child_id) "  # noqa: S608 # nosec B608
                    f"SELECT {moved}, {real} AS real_child_id FROM {rows.table} s "
                    "ORDER BY real_child_id"
                )
                cursor.execute(f"DROP TABLE {rows.table}")
        self._settled = []

    def _summarise(self, rows: ListRows) -> None:
        """One row per child in the list, with what the register knew of them: their id (new
        children take theirs here), how many rows and the first, and per attribute the first
        value given, the lowest and the highest (equal unless the list disagrees with itself),
        and the register's value."""
        given = rows.attributes
        aggregates = "".join(
            f", MIN({name}) AS {name}, MIN({name}) AS {name}_low, MAX({name}) AS {name}_high"
            for name in given
        )
        per_child = (
            f"SELECT la_child_id, COUNT(*) AS rows, MIN(row_number) AS first_row{aggregates} "  # noqa: S608 # nosec B608
            f"FROM {rows.table} GROUP BY la_child_id"
        )
        if self.council_had_children:
            stored = (
                f"LEFT JOIN {Child._meta.db_table} c ON c.council_id = {int(self.council.pk)} "
                "AND c.la_child_id = g.la_child_id"
            )
            existed, stored_id = "c.id IS NOT NULL", "c.id, "
        else:
            stored, existed, stored_id = "", "FALSE", ""
        known = "".join(f", r.{name} AS known_{name}" for name in given)
        with self.db.cursor() as cursor:
            new_id = self._new_id_sql(cursor)
            cursor.execute(f"DROP TABLE IF EXISTS {_IN_LIST}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {_IN_LIST} AS SELECT g.*, "  # noqa: S608 # nosec B608
                f"COALESCE(r.id, {stored_id}{new_id}) AS id, r.id IS NULL AS is_new, "
                f"COALESCE(r.existed, {existed}) AS existed{known} FROM ({per_child}) g "
                f"LEFT JOIN {_REGISTER} r ON r.la_child_id = g.la_child_id {stored} "
                # New children are numbered in the order of their IDs, so the register and
                # the council's index of IDs (written at the end in the children's order) fill
                # from one end rather than all over: at a county's 400,000 children, seconds.
                f"ORDER BY g.la_child_id{_BYTE_ORDER if self.db.vendor == 'postgresql' else ''}"
            )
            if self._next_id is not None or self.deferred:
                cursor.execute(f"SELECT COUNT(*) FROM {_IN_LIST}")  # noqa: S608 # nosec B608
                counted = cursor.fetchone()[0]
                if self.deferred:
                    self._provisional += counted
                else:
                    self._next_id += counted
            if self.db.vendor == "sqlite":
                # SQLite joins through indexes; PostgreSQL hashes.
                cursor.execute(f"CREATE UNIQUE INDEX {_IN_LIST}_child ON {_IN_LIST} (la_child_id)")
            if not given:
                return
            disagree = ", ".join(
                f"SUM(CASE WHEN {name}_low <> {name}_high THEN 1 ELSE 0 END)" for name in given
            )
            cursor.execute(f"SELECT {disagree} FROM {_IN_LIST}")  # noqa: S608 # nosec B608
            counts = cursor.fetchone()
            for name, count in zip(given, counts, strict=True):
                if not count:
                    continue
                # Where a child's rows disagree, the first row giving a value is the one kept.
                firsts = (
                    f"SELECT s.la_child_id, s.{name}, ROW_NUMBER() OVER (PARTITION BY "  # noqa: S608 # nosec B608
                    f"s.la_child_id ORDER BY s.row_number) AS position FROM {rows.table} s "
                    f"WHERE s.{name} IS NOT NULL AND s.la_child_id IN (SELECT la_child_id "
                    f"FROM {_IN_LIST} WHERE {name}_low <> {name}_high)"
                )
                cursor.execute(
                    f"UPDATE {_IN_LIST} SET {name} = f.{name} FROM ({firsts}) f "  # noqa: S608 # nosec B608
                    f"WHERE f.position = 1 AND {_IN_LIST}.la_child_id = f.la_child_id"
                )

    def _new_id_sql(self, cursor) -> str:
        """An expression giving each new child an id no other child has or will have."""
        table = Child._meta.db_table
        if self.db.vendor == "postgresql":
            # The sequence hands out ids no other import can take, even concurrently.
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            return f"nextval('{cursor.fetchone()[0]}'::regclass)"
        if self.deferred:
            # Before the write lock: provisional ids, made real by ``move_in``.
            return f"-({int(self._provisional)} + ROW_NUMBER() OVER (ORDER BY g.la_child_id))"
        if self._next_id is None:
            # SQLite: the import's transaction holds the database's only write lock, so
            # counting on from the highest id ever used (AUTOINCREMENT never reuses one) is safe.
            cursor.execute(
                f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608 # nosec B608
                f"COALESCE((SELECT MAX(id) FROM {table}), 0))",
                [table],
            )
            self._next_id = cursor.fetchone()[0]
        return f"{int(self._next_id)} + ROW_NUMBER() OVER (ORDER BY g.la_child_id)"

    def _differences(self, rows: ListRows, limit: int) -> tuple[int, list[Difference]]:
        """Rows giving a value other than the one the register keeps, for children whose
        summary shows one: how many, and the first ``limit``."""
        given = rows.attributes
        differs = " OR ".join(
            f"(s.{name} IS NOT NULL AND r.{name} IS NOT NULL AND s.{name} <> r.{name})"
            for name in given
        )
        pairs = ", ".join(f"s.{name}, r.{name}" for name in given)
        total, shown = self._count_and_show(
            f"FROM {rows.table} s JOIN {_REGISTER} r ON r.la_child_id = s.la_child_id "  # noqa: S608 # nosec B608
            f"WHERE s.la_child_id IN (SELECT la_child_id FROM {_IN_LIST} "
            f"WHERE {_disagreeing(given)}) AND ({differs})",
            f"s.row_number, s.la_child_id, {pairs}",
            "s.row_number",
            limit,
        )
        return total, [_first_difference(given, *row) for row in shown]

    def _duplicates(self, rows: ListRows, key_column: str | None, limit: int) -> tuple[int, list]:
        """Rows that repeat an earlier row's child (and key date) in the list."""
        partition = "la_child_id" if key_column is None else f"la_child_id, {key_column}"
        repeated = (
            f"SELECT row_number, la_child_id, MIN(row_number) OVER (PARTITION BY {partition}) "  # noqa: S608 # nosec B608
            f"AS first_row FROM {rows.table} "
            f"WHERE la_child_id IN (SELECT la_child_id FROM {_IN_LIST} WHERE rows > 1)"
        )
        return self._count_and_show(
            f"FROM ({repeated}) r WHERE r.row_number > r.first_row",
            "r.row_number, r.la_child_id, r.first_row",
            "r.row_number",
            limit,
        )

    def _count_and_show(self, source: str, columns: str, order: str, limit: int):
        with self.db.cursor() as cursor:
            cursor.execute(f"SELECT {columns} {source} ORDER BY {order} LIMIT {int(limit)}")  # noqa: S608
            shown = cursor.fetchall()
            if len(shown) < limit:
                return len(shown), shown
            cursor.execute(f"SELECT COUNT(*) {source}")  # noqa: S608
            return cursor.fetchone()[0], shown

    # --- at the end -------------------------------------------------------------------------

    def write_children(
        self, allocating: Sequence[AllocatingList], *, is_latest: bool
    ) -> ChildCounts:
        """Write every child the file mentions, and set the current allocation when this
        snapshot is the latest; children no longer in any list lose theirs."""
        quote = self.db.ops.quote_name
        child = quote(Child._meta.db_table)
        snapshot_id, council_id = int(self.snapshot.pk), int(self.council.pk)
        with self.db.cursor() as cursor:
            if self.db.vendor == "postgresql":
                # Children the council already had are found through their index.
                cursor.execute("SET LOCAL enable_nestloop = on")
            cursor.execute(
                f"SELECT COUNT(*), SUM(CASE WHEN existed THEN 0 ELSE 1 END) FROM {_REGISTER}"  # noqa: S608 # nosec B608
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
                f"INSERT INTO {child} (id, council_id, la_child_id, gender, ethnicity, "  # noqa: S608 # nosec B608
                "date_of_birth, disability, uasc, allocated_team_id, allocated_worker_id, "
                "last_snapshot_id) "
                f"SELECT s.id, {council_id}, s.la_child_id, COALESCE(s.gender, ''), "
                "COALESCE(s.ethnicity, ''), s.date_of_birth, COALESCE(s.disability, ''), "
                f"COALESCE(s.uasc, ''), {team}, {worker}, {snapshot_id} "
                f"FROM {joined} WHERE NOT s.existed ORDER BY s.id"
            )
            if is_latest and total > created:
                changed = " OR ".join(
                    f"(s.{name} IS NOT NULL AND (c.{name} IS NULL OR s.{name} <> c.{name}))"
                    for name in ATTRIBUTES
                )
                cursor.execute(
                    f"SELECT COUNT(*) FROM {_REGISTER} s JOIN {child} c ON c.id = s.id "  # noqa: S608 # nosec B608
                    f"WHERE s.existed AND ({changed})"
                )
                updated = cursor.fetchone()[0]
                keep = ", ".join(
                    f"{name} = COALESCE(s.{name}, {child}.{name})" for name in ATTRIBUTES
                )
                cursor.execute(
                    f"UPDATE {child} SET {keep}, allocated_team_id = a.team_id, "  # noqa: S608 # nosec B608
                    f"allocated_worker_id = a.worker_id, last_snapshot_id = {snapshot_id} "
                    f"FROM {joined} WHERE {child}.id = s.id AND s.existed"
                )
            if is_latest:
                # Children in no list any more are no longer allocated to anyone.
                cursor.execute(
                    f"UPDATE {child} SET allocated_team_id = NULL, allocated_worker_id = NULL "  # noqa: S608 # nosec B608
                    f"WHERE council_id = {council_id} AND (last_snapshot_id IS NULL OR "
                    f"last_snapshot_id <> {snapshot_id}) AND (allocated_team_id IS NOT NULL "
                    "OR allocated_worker_id IS NOT NULL)"
                )
                cursor.execute(f"DROP TABLE {_ALLOCATION}")
        return ChildCounts(created=created, updated=updated, unchanged=total - created - updated)

    def close(self) -> None:
        with self.db.cursor() as cursor:
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
        f"SELECT child_id, allocated_team_id AS team_id, allocated_worker_id AS worker_id, "  # noqa: S608 (our own tables) # nosec B608
        f"{priority(source)} AS priority, row_number FROM {source.table} "
        "WHERE snapshot_id = %s "
        "AND (allocated_team_id IS NOT NULL OR allocated_worker_id IS NOT NULL)"
        for source in allocating
    )
    return (
        "SELECT child_id, team_id, worker_id FROM (SELECT child_id, team_id, worker_id, "  # noqa: S608 # nosec B608
        "ROW_NUMBER() OVER (PARTITION BY child_id ORDER BY priority, row_number) AS position "
        f"FROM ({candidates}) candidates) ranked WHERE position = 1"
    )


def _with_snapshot(columns: Sequence[str], snapshot_id: int, quote, prefix: str = "") -> str:
    """A staged table's columns to select, but the snapshot's id for its column: rows can be
    staged before their snapshot exists (deferred staging)."""
    return ", ".join(
        str(int(snapshot_id)) if column == "snapshot_id" else f"{prefix}{quote(column)}"
        for column in columns
    )


def _disagreeing(given: Sequence[str]) -> str:
    """A child whose rows in a list hold two values of an attribute, or one other than the
    register's (after this list has filled in what it lacked)."""
    if not given:
        return "FALSE"
    return " OR ".join(
        f"({name}_low <> {name}_high OR (known_{name} IS NOT NULL AND {name}_low <> known_{name}))"
        for name in given
    )


def _first_difference(given: Sequence[str], row_number, child_id, *pairs) -> Difference:
    """The row's first attribute that differs from the register's (the query chose rows with
    at least one)."""
    both = [
        (name, _shown(pairs[2 * i]), _shown(pairs[2 * i + 1]))
        for i, name in enumerate(given)
        if pairs[2 * i] is not None and pairs[2 * i + 1] is not None
    ]
    name, value, first = next(((n, v, f) for n, v, f in both if v != f), both[0])
    return Difference(row_number, child_id, name, value, first)


def _shown(value) -> str:
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    # Dates that SQLite gives back as the text they were stored as.
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return f"{value[8:]}/{value[5:7]}/{value[:4]}"
    return str(value)
