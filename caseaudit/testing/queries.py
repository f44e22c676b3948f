"""Query counts for tests: "the cost does not grow with the size of the data".

A literal ceiling ("at most 14 queries") says nothing about growth and breaks whenever a
section is added; comparing the same action on small and large data says what matters: a page
or a build that reads per row shows up as a difference, whatever its constant cost.
"""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def query_count(action: Callable[[], object]) -> int:
    """How many queries ``action()`` runs on the default database."""
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def assert_cost_does_not_grow(small: Callable[[], object], large: Callable[[], object]) -> int:
    """``small()`` and ``large()`` do the same thing to data of different sizes: they must run
    the same number of queries. Returns that number, for a test that also wants a ceiling."""
    small_count, large_count = query_count(small), query_count(large)
    assert small_count == large_count, (
        f"{small_count} queries for the small data but {large_count} for the large: "
        "something reads once per row"
    )
    return small_count


def page_queries(client, url: str, params: dict | None = None) -> int:
    """How many queries one GET of ``url`` runs; the page must answer 200."""

    def get():
        response = client.get(url, params or {})
        assert response.status_code == 200, f"{url} answered {response.status_code}"

    return query_count(get)
