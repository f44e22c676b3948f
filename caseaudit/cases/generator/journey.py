"""A child's journey through children's services, as the records the Annex A lists hold.

A journey is built whole for one child (or one adoptive family) and then asked for the records
of a single list; records are plain dicts keyed by the schema's field names, holding canonical
codes and real dates. Presentation (code forms, date formats, headers) happens when written.
"""

from __future__ import annotations

from .people import Child

__all__ = ["Journey", "Record"]

Record = dict[str, object]


class Journey:
    __slots__ = ("child", "records")

    def __init__(self, child: Child | None) -> None:
        self.child = child
        self.records: dict[int, list[Record]] = {}

    def add(self, list_number: int, record: Record) -> Record:
        self.records.setdefault(list_number, []).append(record)
        return record

    def rows(self, list_number: int) -> list[Record]:
        """This journey's rows for one list: the child's shared columns, then the record's."""
        records = self.records.get(list_number)
        if not records:
            return []
        if self.child is None:
            return records
        return [self.child | record for record in records]
