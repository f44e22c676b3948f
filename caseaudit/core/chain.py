"""Append-only, tamper-evident logs.

Each entry stores the digest of the entry before it and a digest over its own content and
that previous digest, so editing, reordering or deleting any entry breaks every digest after
it (``verify_chain`` finds where). The digests are HMAC-SHA256 under a key kept outside the
database (``core/log_key.py``): someone who can write to the database but has not the key
cannot recompute a chain that verifies. Heads anchored outside the database
(``core/anchors.py``) catch a truncated tail, or a chain recomputed by someone who has the key.

Appends take a row lock on the chain's head, which serialises writers across processes on
PostgreSQL; SQLite serialises writers anyway.
"""

import hashlib
import hmac
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.apps import apps as global_apps
from django.db import models, transaction
from django.utils import timezone

from caseaudit.core.log_key import entry_key

GENESIS = "0" * 64
# Rows read per query when a whole chain is checked or sealed again: a million-row log is
# read a page at a time along the sequence index, never held in memory.
PAGE_SIZE = 5000


class ChainHead(models.Model):
    """The newest digest of each chain. One row per chain, created by migration."""

    chain = models.CharField(max_length=50, primary_key=True)
    digest = models.CharField(max_length=64, default=GENESIS)
    length = models.PositiveBigIntegerField(default=0)

    class Meta:
        app_label = "core"

    def __str__(self) -> str:
        return f"{self.chain} ({self.length} entries)"


class AppendOnlyError(Exception):
    pass


class ChainedEntry(models.Model):
    """Base for log models. Subclasses set ``chain_name`` and list ``chained_fields``."""

    chain_name: str = ""
    chained_fields: tuple[str, ...] = ()
    # Fields added after entries were first sealed: left out of an entry's content while they
    # are null, so the older entries keep their digests.
    optional_fields: tuple[str, ...] = ()

    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    previous_digest = models.CharField(max_length=64, editable=False)
    digest = models.CharField(max_length=64, editable=False)

    class Meta:
        abstract = True
        ordering = ["sequence"]

    def save(self, *args, **kwargs):
        if self.pk is not None or not self.digest:
            raise AppendOnlyError(f"{type(self).__name__} entries are written with append().")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} entries cannot be deleted.")

    def content(self) -> dict:
        values = {name: getattr(self, name) for name in sealed_fields(type(self))}
        return content_of(values, optional=self.optional_fields)

    def compute_digest(self) -> str:
        return seal(self.sequence, self.previous_digest, self.content())

    @classmethod
    def append(cls, **fields) -> "ChainedEntry":
        entry = cls(**fields)
        with transaction.atomic():
            head = ChainHead.objects.select_for_update().get(chain=cls.chain_name)
            entry.sequence = head.length + 1
            entry.previous_digest = head.digest
            entry.digest = entry.compute_digest()
            super(ChainedEntry, entry).save(force_insert=True)
            head.digest = entry.digest
            head.length = entry.sequence
            head.save(update_fields=["digest", "length"])
        return entry


def sealed_fields(model) -> tuple[str, ...]:
    return ("at", *model.chained_fields)


def content_of(values: dict, optional: Iterable[str] = ()) -> dict:
    """What an entry's digest covers: its sealed fields, but an optional field only when set."""
    return {
        key: _canonical(value)
        for key, value in values.items()
        if value is not None or key not in optional
    }


def _payload(sequence: int, previous: str, content: dict) -> bytes:
    return json.dumps(
        {"sequence": sequence, "previous": previous, **content},
        sort_keys=True,
        separators=(",", ":"),
    ).encode()


def seal(sequence: int, previous: str, content: dict, key: bytes | None = None) -> str:
    """An entry's digest: HMAC-SHA256 over its sequence, the previous digest and its content."""
    return hmac.digest(key or entry_key(), _payload(sequence, previous, content), "sha256").hex()


def unkeyed_seal(sequence: int, previous: str, content: dict) -> str:
    """The digest entries had before the chains were keyed: plain SHA-256, which anyone can
    recompute. Kept only so the migration that keyed the chains can check what it re-sealed."""
    return hashlib.sha256(_payload(sequence, previous, content)).hexdigest()


def chained_models() -> dict[str, type[ChainedEntry]]:
    """Every log model, by chain name."""
    return {
        model.chain_name: model
        for model in global_apps.get_models()
        if issubclass(model, ChainedEntry)
    }


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str


@dataclass(frozen=True)
class Entry:
    """What verifying needs of an entry: a stored row, without building a model instance."""

    sequence: int
    previous_digest: str
    digest: str
    content: dict


@dataclass(frozen=True)
class AnchoredHead:
    """A chain's head as once recorded outside the database."""

    length: int
    digest: str
    at: str


def stored_entries(
    model,
    *,
    up_to: int,
    fields: Iterable[str] | None = None,
    optional: Iterable[str] | None = None,
) -> Iterator[Entry]:
    """The stored entries up to sequence ``up_to``, oldest first, a page at a time.

    ``model`` may be a historical model in a migration, which is why ``fields`` and
    ``optional`` can be given.
    """
    fields = tuple(fields or sealed_fields(model))
    optional = frozenset(model.optional_fields if optional is None else optional)
    columns = ("sequence", "previous_digest", "digest", *fields)
    last = 0
    while last < up_to:
        page = list(
            model._base_manager.filter(sequence__gt=last, sequence__lte=up_to)
            .order_by("sequence")
            .values_list(*columns)[:PAGE_SIZE]
        )
        if not page:
            return
        for sequence, previous, digest, *values in page:
            yield Entry(
                sequence,
                previous,
                digest,
                content_of(dict(zip(fields, values, strict=True)), optional),
            )
        last = page[-1][0]


def verify_chain(
    model: type[ChainedEntry],
    entries: Iterable[ChainedEntry] | None = None,
    *,
    anchored: Iterable[AnchoredHead] = (),
    head: ChainHead | None = None,
) -> Iterator[ChainBreak]:
    """Yield every place where the log no longer matches its digests, oldest first.

    ``entries`` defaults to the whole stored log. ``anchored`` are heads recorded outside the
    database: the log must still hold each of them, or it has been cut short or rewritten.
    ``head`` is the chain's head as read before the entries, so appends made while the check
    runs are left for the next one.
    """
    head = head or ChainHead.objects.get(chain=model.chain_name)
    if entries is None:
        rows = stored_entries(model, up_to=head.length)
    else:
        rows = (Entry(e.sequence, e.previous_digest, e.digest, e.content()) for e in entries)
    anchors = defaultdict(list)
    for anchor in anchored:
        anchors[anchor.length].append(anchor)
    key = entry_key()
    expected_previous = GENESIS
    expected_sequence = 1
    for entry in rows:
        if entry.sequence > expected_sequence:
            yield ChainBreak(expected_sequence, _missing(expected_sequence, entry.sequence - 1))
        if entry.previous_digest != expected_previous:
            yield ChainBreak(entry.sequence, "does not follow the entry before it")
        if seal(entry.sequence, entry.previous_digest, entry.content, key) != entry.digest:
            yield ChainBreak(
                entry.sequence,
                "does not match its digest: altered since it was written, or sealed without "
                "the log key",
            )
        for anchor in anchors.get(entry.sequence, ()):
            if anchor.digest != entry.digest:
                yield ChainBreak(
                    entry.sequence, f"is not the entry anchored outside the database at {anchor.at}"
                )
        expected_previous = entry.digest
        expected_sequence = entry.sequence + 1
    length = expected_sequence - 1
    if head.length > length:
        yield ChainBreak(length + 1, _missing(length + 1, head.length))
    elif head.digest != expected_previous:
        yield ChainBreak(length, "is not the chain's recorded head")
    longest = max((a for a in anchors if a > length), default=None)
    if longest is not None:
        at = anchors[longest][-1].at
        yield ChainBreak(
            length + 1,
            f"the log ends at entry {length:,} but had {longest:,} entries when anchored at {at}",
        )


def _missing(first: int, last: int) -> str:
    return (
        f"entry {first:,} is missing"
        if first == last
        else f"entries {first:,}–{last:,} are missing"
    )


def _canonical(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def protect_table_sql(vendor: str, table: str) -> tuple[list[str], list[str]]:
    """SQL that makes the database itself refuse edits to a log table, and SQL to undo it.

    Both databases refuse UPDATE and DELETE, and PostgreSQL TRUNCATE too. Test teardown
    empties every table with DELETE (SQLite) or TRUNCATE (PostgreSQL), so the test suite lifts
    this protection around that flush and nowhere else (conftest.py).
    """
    if vendor == "postgresql":
        function = f"{table}_append_only"
        return (
            [
                f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION USING MESSAGE = '{table} is append-only: ' || TG_OP
                || ' refused'; END;
                $$ LANGUAGE plpgsql""",
                f"""CREATE TRIGGER {function} BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {function}()""",
                f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION {function}()""",
            ],
            [
                f"DROP TRIGGER IF EXISTS {function} ON {table}",
                f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
                f"DROP FUNCTION IF EXISTS {function}()",
            ],
        )
    if vendor == "sqlite":
        return (
            [
                f"""CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only: {verb} refused'); END"""
                for verb in ("UPDATE", "DELETE")
            ],
            [f"DROP TRIGGER IF EXISTS {table}_no_{verb}" for verb in ("update", "delete")],
        )
    return [], []


@contextmanager
def protection_lifted(connection, tables: Iterable[str]):
    """The log tables without their triggers, for as long as the block runs.

    For migrations that must rewrite the logs, and for the test suite's flush; never for
    anything the service does while running.
    """
    tables = list(tables)
    with connection.cursor() as cursor:
        for table in tables:
            for statement in protect_table_sql(connection.vendor, table)[1]:
                cursor.execute(statement)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for table in tables:
                for statement in protect_table_sql(connection.vendor, table)[0]:
                    cursor.execute(statement)


def protect_table(table: str):
    """A pair of RunPython functions for a migration, for whichever database it runs on."""

    def forwards(apps, schema_editor):
        for statement in protect_table_sql(schema_editor.connection.vendor, table)[0]:
            schema_editor.execute(statement)

    def backwards(apps, schema_editor):
        for statement in protect_table_sql(schema_editor.connection.vendor, table)[1]:
            schema_editor.execute(statement)

    return forwards, backwards


def create_head(chain: str):
    def forwards(apps, schema_editor):
        apps.get_model("core", "ChainHead").objects.get_or_create(chain=chain)

    def backwards(apps, schema_editor):
        apps.get_model("core", "ChainHead").objects.filter(chain=chain).delete()

    return forwards, backwards
