"""Chromium, the live server and the demo council, for the end-to-end tests.

The demo council takes seconds to build, and every live-server test is transactional: the
database is emptied after each one. So the council is built once per run, inside a
transaction that is rolled back, and kept in memory; each test gets it back with one bulk
insert per table (a fraction of a second) and the usual flush removes it afterwards.
"""

import datetime
import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.test.utils import override_settings

from caseaudit.audits.actions import allocation, programme, sampling
from caseaudit.audits.tests.test_programme_helpers import Case, import_cases, practice_tool

# The small council's people, for journeys that need children and audits of their own.
from caseaudit.conftest import make_council, people  # noqa: E402, F401
from caseaudit.core import clock

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium keeps calling home, which floods a closed network.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000
# Real password hashing is deliberately slow, and every test signs someone in.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# What base.html loads from caseaudit's own static folder.
OWN_STATIC_FILES = (
    "govuk-frontend/govuk/govuk-frontend.min.css",
    "govuk-frontend/govuk/govuk-frontend.min.js",
    "caseaudit/caseaudit.css",
    "caseaudit/init.js",
    "caseaudit/wide-tables.js",
    "htmx/htmx.min.js",
)


@contextmanager
def django_beside_playwright():
    """Playwright's sync API keeps an asyncio event loop running in this thread from start to
    stop, and Django refuses database calls from a thread with a running loop unless told it
    is safe. It is here: the test and the browser take turns, never run at once."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="module")
def chromium():
    """One Chromium per test module, skipped when there is none unless CI requires it.

    Module scope, not session: Playwright's event loop, and the setting that lets Django run
    beside it, end with the browser tests instead of leaking into the tests that follow (a
    subprocess would inherit DJANGO_ALLOW_ASYNC_UNSAFE, and `check --deploy` rejects it).
    """
    path = Path(os.environ.get("CASEAUDIT_CHROMIUM") or DEFAULT_CHROMIUM)
    if not path.is_file():
        message = f"Chromium not found at {path}: install it with apt-get install -y chromium"
        if os.environ.get("CASEAUDIT_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{message} (CASEAUDIT_REQUIRE_BROWSER=1 requires it)", pytrace=False)
        pytest.skip(message)

    from playwright.sync_api import sync_playwright

    with django_beside_playwright(), sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# Chromium logs every Content-Security-Policy violation to the console; the DOM event also
# reports ones it does not log. Playwright's init scripts are not subject to the page's policy.
REPORT_POLICY_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`Content-Security-Policy violation: ${event.violatedDirective} blocked `
    + `${event.blockedURI || "inline"} at ${event.sourceFile || location.href}`
    + `:${event.lineNumber}`);
});
"""


def watch_content_security_policy(context, page) -> list[str]:
    """The policy violations ``page`` meets, as they happen."""
    violations = []
    context.add_init_script(REPORT_POLICY_VIOLATIONS)

    def on_console(message):
        if message.type == "error" and re.search(r"Content[- ]Security[- ]Policy", message.text):
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    return violations


def static_files_found() -> bool:
    from django.contrib.staticfiles import finders

    return all(finders.find(path) for path in OWN_STATIC_FILES)


@pytest.fixture
def page(chromium, live_server, settings):
    """A new browser context (no cookies) whose relative URLs go to the live server.

    Fails the test if the browser saw a server error, a missing stylesheet, script or image,
    a JavaScript error, or anything the Content-Security-Policy blocked.
    """
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS

    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    problems = []
    policy_violations = watch_content_security_policy(context, page)

    def on_response(response):
        asset = response.request.resource_type != "document"
        if response.status >= 500 or (
            asset and response.status >= 400 and not response.url.endswith("/favicon.ico")
        ):
            problems.append(f"{response.status} {response.url}")

    page.on("response", on_response)
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))
    yield page
    context.close()
    problems.extend(policy_violations)
    assert not problems, "The browser saw problems:\n" + "\n".join(problems)


class Snapshot:
    """Every row of every table, held in memory, to put back into an emptied database."""

    def __init__(self):
        tables = (
            model
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        )
        rows = {model: list(model._base_manager.order_by("pk")) for model in tables}
        self.rows = {model: model_rows for model, model_rows in rows.items() if model_rows}

    def restore(self):
        with transaction.atomic():
            # A flushed database still has the content types and permissions that post_migrate
            # recreated, under new ids: replace them with the ones the snapshot refers to.
            # An earlier test may have left rows that protect others (a serialized rollback
            # puts back the shipped audit tools and their versions): delete what can be
            # deleted, then what that freed, until nothing is left.
            remaining = [model for model in self.rows if model._base_manager.exists()]
            while remaining:
                protected = []
                for model in remaining:
                    try:
                        with transaction.atomic():
                            model._base_manager.all().delete()
                    except ProtectedError:
                        protected.append(model)
                if len(protected) == len(remaining):
                    raise RuntimeError(f"cannot empty {protected} to restore the snapshot")
                remaining = protected
            # Foreign keys are checked at commit (deferred on PostgreSQL and SQLite alike), so
            # the order of the inserts does not matter.
            for model, rows in self.rows.items():
                model._base_manager.bulk_create(rows, batch_size=500)
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(self.rows)):
                    cursor.execute(sql)
        ContentType.objects.clear_cache()


def restore_shipped_tools() -> None:
    """The default audit tools come from a data migration, which a flush also empties."""
    import importlib

    from django.db.migrations.loader import MigrationLoader

    from caseaudit.tools.models import AuditTool

    if not AuditTool.objects.filter(council__isnull=True).exists():
        name = "0002_default_audit_tools"
        shipped = importlib.import_module(f"caseaudit.audits.migrations.{name}")
        # The migration names the models by their app then ("audits"); its own state has them.
        state = MigrationLoader(connection).project_state(("audits", name))
        shipped.create_tools(state.apps, None)


@pytest.fixture
def council(transactional_db):
    """The small test council (caseaudit/conftest.py), in a database the live server shares,
    with the reference data migrations made and an earlier test's flush removed (the log
    chains' heads are put back by every flush: the root conftest)."""
    restore_shipped_tools()
    return make_council("Testshire County Council", "901")


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker):
    """The demo council as ``caseaudit demo`` builds it (seed 1), logins and all."""
    from caseaudit.accounts.demo import ensure_demo_logins
    from caseaudit.organisation.demo import load_council, move_some_staff
    from caseaudit.organisation.generator import build_council

    with (
        django_db_blocker.unblock(),
        django_beside_playwright(),
        override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS),
        transaction.atomic(),
    ):
        spec = build_council(seed=1)
        council = load_council(spec)
        move_some_staff(council, spec)
        ensure_demo_logins(council)
        snapshot = Snapshot()
        # Leave the database as it was for whichever test comes next.
        transaction.set_rollback(True)
    return snapshot


@pytest.fixture
def demo_council(live_server, demo_snapshot):
    """The demo council, in the database for this test; its logins are ``DEMO_LOGINS``."""
    from caseaudit.organisation.models import Council

    demo_snapshot.restore()
    return Council.objects.get()


# A month of the small council's programme, for journeys through it ------------------------


@pytest.fixture
def publishing_at_once(settings):
    """Background work (publishing a report) runs as the request that asks for it commits:
    the journey has no worker beside its live server."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def month_to_run(publishing_at_once, people, council, tmp_path):  # noqa: F811 (people is a fixture)
    """Two children, one in each team, imported; this month, to be run."""
    north, south = people.north_team, people.south_team
    cases = [
        Case("N1", north, people.social_worker.worker),
        Case("S1", south, council.practitioners[south.pk][0]),
    ]
    import_cases(council.council, tmp_path, cases)
    return clock.today().replace(day=1)


@pytest.fixture
def allocated_audits(people, council, month_to_run):  # noqa: F811
    """The month's sample drawn, confirmed and allocated, through the actions."""
    qa = people.qa_lead
    month = programme.create_month(
        council.council,
        month=month_to_run,
        tool_version=practice_tool(),
        due_date=clock.today() + datetime.timedelta(days=20),
        by=qa,
    )
    sample = sampling.confirm_sample(sampling.draw_sample(month, seed=3, by=qa), by=qa)
    return list(allocation.allocate_sample(sample, by=qa))
