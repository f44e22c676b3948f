"""What every test needs, the browser tests included.

The access log and change history refuse DELETE (and, on PostgreSQL, TRUNCATE) at the
database, but a transactional test's teardown empties every table with exactly those. So the
suite lifts the protection around Django's flush, and only there: the service itself never
gets a way to empty its logs. After a flush, the chains' empty heads are put back.
"""

import os

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests check the same examples on every run, so a failing build can be repeated;
# HYPOTHESIS_PROFILE=explore searches afresh (and found nothing in the runs tried so far).
hypothesis_settings.register_profile("repeatable", derandomize=True)
hypothesis_settings.register_profile("explore")
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture(scope="session", autouse=True)
def flush_may_empty_the_logs():
    from django.core.management.commands import flush
    from django.db import connections

    from caseaudit.core.chain import ChainHead, chained_models, protection_lifted

    handle = flush.Command.handle

    def handle_with_logs_unprotected(self, **options):
        tables = [model._meta.db_table for model in chained_models().values()]
        with protection_lifted(connections[options["database"]], tables):
            result = handle(self, **options)
        # Each chain's empty head, as the migrations leave it, so the next test's writes to the
        # logs have a chain to join.
        for chain in chained_models():
            ChainHead.objects.using(options["database"]).get_or_create(chain=chain)
        return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush.Command, "handle", handle_with_logs_unprotected)
        yield


@pytest.fixture(autouse=True)
def log_anchors_of_their_own(settings, tmp_path):
    # Each test's logs start empty, so each keeps its own anchored heads.
    settings.LOG_ANCHOR_FILE = tmp_path / "log-anchors.jsonl"
