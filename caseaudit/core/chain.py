"""Append-only, tamper-evident logs.

Each entry stores the digest of the entry before it and a digest over its own content and
that previous digest, so editing, reordering or deleting any entry breaks every digest after
it (``verify_chain`` finds where). Appends take a row lock on the chain's head, which
serialises writers across processes on PostgreSQL; SQLite serialises writers anyway.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import models, transaction
from django.utils import timezone

GENESIS = "0" * 64


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
        values = {name: getattr(self, name) for name in ("at", *self.chained_fields)}
        return {key: _canonical(value) for key, value in values.items()}

    def compute_digest(self) -> str:
        payload = json.dumps(
            {"sequence": self.sequence, "previous": self.previous_digest, **self.content()},
            sort_keys=True,
            separators=(",", ":"),
        )
        return hashlib.sha256(payload.encode()).hexdigest()

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


@dataclass(frozen=True)
class ChainBreak:
    sequence: int
    reason: str


def verify_chain(
    model: type[ChainedEntry], entries: Iterable[ChainedEntry] | None = None
) -> Iterator[ChainBreak]:
    """Yield every place where the log no longer matches its digests.

    ``entries`` defaults to the whole stored log, oldest first.
    """
    if entries is None:
        entries = model.objects.order_by("sequence").iterator(chunk_size=2000)
    expected_previous = GENESIS
    expected_sequence = 1
    for entry in entries:
        if entry.sequence != expected_sequence:
            yield ChainBreak(entry.sequence, f"entries {expected_sequence}… are missing")
        if entry.previous_digest != expected_previous:
            yield ChainBreak(entry.sequence, "does not follow the entry before it")
        if entry.compute_digest() != entry.digest:
            yield ChainBreak(entry.sequence, "has been altered since it was written")
        expected_previous = entry.digest
        expected_sequence = entry.sequence + 1
    head = ChainHead.objects.get(chain=model.chain_name)
    if head.length != expected_sequence - 1 or head.digest != expected_previous:
        yield ChainBreak(head.length, "the newest entries are missing")


def _canonical(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def protect_table_sql(vendor: str, table: str) -> tuple[list[str], list[str]]:
    """SQL that makes the database itself refuse edits to a log table, and SQL to undo it.

    PostgreSQL refuses UPDATE and DELETE (TRUNCATE, which test teardown uses, is unaffected).
    SQLite refuses UPDATE only: its test teardown deletes rows, and the chain already shows
    a deletion.
    """
    if vendor == "postgresql":
        function = f"{table}_append_only"
        return (
            [
                f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql""",
                f"""CREATE TRIGGER {function} BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION {function}()""",
            ],
            [
                f"DROP TRIGGER IF EXISTS {function} ON {table}",
                f"DROP FUNCTION IF EXISTS {function}()",
            ],
        )
    if vendor == "sqlite":
        trigger = f"{table}_no_update"
        return (
            [
                f"""CREATE TRIGGER {trigger} BEFORE UPDATE ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"""
            ],
            [f"DROP TRIGGER IF EXISTS {trigger}"],
        )
    return [], []


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
