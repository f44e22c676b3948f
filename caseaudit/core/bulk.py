"""The fast path for loading many rows: COPY on PostgreSQL, executemany on SQLite.

Callers pass plain tuples in the order of ``columns`` (column names, not field names), which
skips building a model instance per row: at a million rows that is most of the cost.
"""

import datetime
import functools
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import connection
from psycopg.types.json import JsonbDumper


def insert_rows(
    table_name: str, columns: Sequence[str], rows: Iterable[tuple], *, using=None
) -> int:
    """Insert ``rows`` into ``table_name`` (a model's ``_meta.db_table``) in one statement,
    through the connection ``using`` (the default database's when None)."""
    db = connection if using is None else using
    table = db.ops.quote_name(table_name)
    names = ", ".join(db.ops.quote_name(column) for column in columns)
    count = 0
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            raw = cursor.cursor
            # Dicts and lists are JSON here, as _for_sqlite treats them: psycopg converts them
            # as it writes, rather than a Python pass over every value of every row.
            raw.adapters.register_dumper(dict, _JsonForCopy)
            raw.adapters.register_dumper(list, _JsonForCopy)
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608
                write = copy.write_row
                for row in rows:
                    write(row)
                    count += 1
            return count
        placeholders = ", ".join(["%s"] * len(columns))
        prepared = [tuple(_for_sqlite(value) for value in row) for row in rows]
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({placeholders})",  # noqa: S608 # nosec B608
            prepared,
        )
        return len(prepared)


class _JsonForCopy(JsonbDumper):
    """A dict or list in a row is a JSONField's value; dates inside it are written as text."""

    _dumps = staticmethod(functools.partial(json.dumps, default=str))


def _for_sqlite(value):
    if isinstance(value, datetime.date | Decimal):
        return str(value)
    if isinstance(value, dict | list):
        return json.dumps(value, default=str)
    return value
