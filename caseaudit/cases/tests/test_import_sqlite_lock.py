"""On SQLite an import reads, stages and settles its file without holding the database's one
write lock: every page a person opens writes (their session, the access log), and they went on
waiting for the whole import. Councils run on PostgreSQL, which never had this problem."""

import datetime
import os
import sqlite3
import subprocess
import sys
import time

import pytest
from django.db import connection

from caseaudit.cases.tests.test_import import small_return

# The import, in a process of its own against a database file, waits part-way through until
# told to go on: after its first list is read ("reading"), or as it starts settling the lists
# once the whole file has been read ("settling").
HELD_IMPORT = """
import datetime, sys, time
from pathlib import Path
import django
django.setup()
from caseaudit.cases import child_register
from caseaudit.cases.importer import import_annex_a
from caseaudit.organisation.models import Council

file, held, release, point = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]

def hold(*_):
    if held.exists():
        return
    held.write_text("held")
    waited = 0.0
    while not release.exists() and waited < 60:
        time.sleep(0.02)
        waited += 0.02

settle = child_register.ChildRegister.settle

def held_settle(self, *args, **kwargs):
    hold()
    return settle(self, *args, **kwargs)

if point == "settling":
    child_register.ChildRegister.settle = held_settle
summary = import_annex_a(
    file,
    council=Council.objects.get(),
    as_at=datetime.date(2024, 1, 31),
    progress=hold if point == "reading" else None,
)
print(summary.status, summary.rows_read, summary.problems[:3])
"""


def _wait_for(path, process, seconds=60.0):
    deadline = time.monotonic() + seconds
    while not path.exists():
        if process.poll() is not None:
            pytest.fail(f"the import ended early: {process.communicate()}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the import never reached the point it holds at")
        time.sleep(0.02)


@pytest.mark.parametrize("point", ["reading", "settling"])
@pytest.mark.django_db(transaction=True)
def test_another_connection_writes_while_an_import_reads_and_settles_its_file(
    council, tmp_path, point
):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's one write lock; PostgreSQL's writers never wait on a reader")
    from caseaudit.organisation.models import Council

    Council.objects.exclude(pk=council.council.pk).delete()
    workbook = small_return(tmp_path / "r.xlsx", council)
    # The test database (in memory, organisation made) as a file both processes can open.
    database = tmp_path / "caseaudit.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(database) as copy:
        connection.connection.backup(copy)
    copy.close()
    held, release = tmp_path / "held", tmp_path / "release"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "CASEAUDIT_DATA_DIR": str(tmp_path / "data"),
        "DJANGO_SETTINGS_MODULE": "caseaudit.settings",
    }
    process = subprocess.Popen(  # noqa: S603 - this interpreter, our own script
        [sys.executable, "-c", HELD_IMPORT, str(workbook), str(held), str(release), point],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(held, process)
        # What every page does: a write of its own, which must not wait for the import.
        other = sqlite3.connect(database, timeout=1, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES ('while-importing', 'x', ?)",
            [datetime.datetime(2099, 1, 1).isoformat()],  # noqa: DTZ001 - stored as text
        )
        other.execute("COMMIT")
        # Nothing of the import is visible while it reads and settles.
        assert other.execute("SELECT COUNT(*) FROM cases_snapshot").fetchone() == (0,)
        other.close()
    finally:
        release.write_text("go")
        out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    assert out.startswith("loaded 13"), out
    with sqlite3.connect(database) as check:
        assert check.execute("SELECT COUNT(*) FROM cases_referral").fetchone() == (12,)
        assert check.execute("SELECT COUNT(*) FROM django_session").fetchone() == (1,)
    check.close()
