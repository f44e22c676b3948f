"""What every test needs, the browser tests included.

The access log and change history refuse DELETE (and, on PostgreSQL, TRUNCATE) at the
database, but a transactional test's teardown empties every table with exactly those. So the
suite lifts the protection around Django's flush, and only there: the service itself never
gets a way to empty its logs. After a flush, the chains' empty heads and the reference data
the migrations write (the national judgement areas and their cohorts' services) are put back.
"""

import importlib
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
    from django.apps import apps as django_apps
    from django.core.management.commands import flush
    from django.db import connections
    from django.db.backends.base.creation import BaseDatabaseCreation

    from caseaudit.core.chain import ChainHead, chained_models, protection_lifted

    national_areas = importlib.import_module(
        "caseaudit.inspection.migrations.0002_national_judgement_areas"
    )
    national_cohorts = importlib.import_module(
        "caseaudit.inspection.migrations.0004_judgement_area_cohort_services"
    )

    handle = flush.Command.handle
    deserialize = BaseDatabaseCreation.deserialize_db_from_string

    def flush_unprotected(command, options) -> None:
        tables = [model._meta.db_table for model in chained_models().values()]
        with protection_lifted(connections[options["database"]], tables):
            handle(command, **options)

    def handle_with_logs_unprotected(self, **options):
        flush_unprotected(self, options)
        # Each chain's empty head, as the migrations leave it, so the next test's writes to the
        # logs have a chain to join.
        for chain in chained_models():
            ChainHead.objects.using(options["database"]).get_or_create(chain=chain)
        # Ofsted's judgement areas are reference data every council has from its migration:
        # the demo and the inspection pages assume them, as a real database always has them.
        # With the services whose audits count for each, as the later migration gives them.
        national_areas.create_areas(django_apps, None)
        national_cohorts.give_national_areas_their_services(django_apps, None)

    def deserialize_into_an_empty_database(self, data):
        """A serialized_rollback test puts back the database as the migrations left it. Django
        assumes the database is empty then; it is not when a transactional test without it
        ran before on this worker: its flush re-created content types and permissions under
        new ids (sequences are not reset), and putting back the old ids collides with them.
        So empty it first, without the post-migrate handlers and without new chain heads:
        everything, heads included, comes back from the serialized copy."""
        command = flush.Command()
        flush_unprotected(
            command,
            {
                "database": self.connection.alias,
                "interactive": False,
                "verbosity": 0,
                "inhibit_post_migrate": True,
                "reset_sequences": False,
                "allow_cascade": False,
            },
        )
        return deserialize(self, data)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush.Command, "handle", handle_with_logs_unprotected)
        patch.setattr(
            BaseDatabaseCreation, "deserialize_db_from_string", deserialize_into_an_empty_database
        )
        yield


@pytest.fixture(autouse=True)
def log_anchors_of_their_own(settings, tmp_path):
    # Each test's logs start empty, so each keeps its own anchored heads.
    settings.LOG_ANCHOR_FILE = tmp_path / "log-anchors.jsonl"


def pytest_collection_modifyitems(config, items):
    """End-to-end journeys in Chromium run once, on SQLite, unless CASEAUDIT_BROWSER_EVERYWHERE=1.

    They check what a person sees and can do: pages, links, forms, axe. The rules and
    queries beneath them are tested on both databases by the rest of the suite. Run on both,
    the two suites (which share CI's two cores) took 26 minutes instead of under 20.
    """
    from django.db import connection

    if connection.vendor == "sqlite" or os.environ.get("CASEAUDIT_BROWSER_EVERYWHERE") == "1":
        return
    once = pytest.mark.skip(
        reason="browser journeys run on SQLite (CASEAUDIT_BROWSER_EVERYWHERE=1 runs them here too)"
    )
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(once)
