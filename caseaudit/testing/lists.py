"""Helpers for testing long lists (core.listing): the order rows appear in on a page, the
order a sort should give, and a CSV download's rows."""

import csv
import io


def order_on_page(html: str, labels) -> list[str]:
    """``labels`` that appear in ``html``, in the order they first appear."""
    found = [(html.find(f">{label}<"), label) for label in labels]
    return [label for at, label in sorted(found) if at >= 0]


def sorted_as_listed(items, key, *, descending: bool) -> list:
    """``items`` in the order a list sorted by ``key`` shows them: ties by primary key, in the
    same direction, and empty values last either way."""
    filled = [item for item in items if key(item) is not None]
    empty = [item for item in items if key(item) is None]
    ordered = sorted(filled, key=lambda item: (key(item), item.pk), reverse=descending)
    return ordered + sorted(empty, key=lambda item: item.pk, reverse=descending)


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))
