"""`caseaudit backup` and `caseaudit restore`: a backup restored into an empty database gives the
same highlight report, byte for byte, and logs that verify the same; a damaged backup, another
kind of database's backup, or a database already in use is refused with nothing changed."""

import io
import json
import os
import subprocess
import sys
import tarfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from caseaudit.accounts.models import AccessLog
from caseaudit.audits.models import Audit
from caseaudit.core import backup

# pg_dump reads what is committed, and SQLite's backup waits for the connection's own
# transaction to end: the tests that take a backup commit. The tools the migrations made are
# put back after each, for the tests that follow.
committing = pytest.mark.django_db(transaction=True, serialized_rollback=True)
pytestmark = pytest.mark.django_db

LOG_KEY = "a log key for the backup tests, long enough"


@pytest.fixture
def log_key(settings):
    settings.LOG_CHAIN_KEY = LOG_KEY


@pytest.fixture
def empty_database(tmp_path):
    """The address of an empty database of the test database's kind, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    import psycopg

    settings = connection.settings_dict
    name = f"{settings['NAME']}_restored"
    server = f"postgresql://{settings['USER']}@{settings['HOST']}:{settings['PORT']}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"{server}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def caseaudit(database_url: str, tmp_path, *args: str) -> subprocess.CompletedProcess:
    """caseaudit as an operator runs it, on another database, with the same log key."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CASEAUDIT_LOG_KEY": LOG_KEY,
        "CASEAUDIT_DATA_DIR": str(tmp_path / "restored-data"),
        "CASEAUDIT_LOG_ANCHOR_FILE": str(tmp_path / "restored-anchors.jsonl"),
    }
    return subprocess.run(  # noqa: S603 (this project's own command)
        [sys.executable, "-m", "caseaudit", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def verified_chains(report: dict) -> dict:
    return {c["chain"]: (c["entries"], c["head"], c["first_break"]) for c in report["chains"]}


def verify_log_here() -> dict:
    out = io.StringIO()
    call_command("verify-log", "--json", stdout=out)
    return json.loads(out.getvalue())


def report_command(council) -> tuple[str, ...]:
    return (
        *("report", "highlight", "--from", "2024-01", "--month", "2024-03"),
        *("--format", "html", "--council", council.council.code),
    )


@committing
def test_a_backup_restored_into_an_empty_database_gives_the_same_report_and_logs(
    log_key, council, programme, empty_database, tmp_path
):
    for number in range(3):
        AccessLog.append(
            username="qa.lead", action="viewed", record_type="cases.child", record_id=str(number)
        )
    before = tmp_path / "before.html"
    call_command(*report_command(council), "--out", str(before), stdout=io.StringIO())
    logs_before = verify_log_here()
    assert logs_before["sound"]
    assert verified_chains(logs_before)["access"][0] == 3

    out = io.StringIO()
    call_command("backup", "--out", str(tmp_path / "caseaudit.backup"), stdout=out)
    assert "SHA-256 of the file:" in out.getvalue()

    restored = caseaudit(empty_database, tmp_path, "restore", str(tmp_path / "caseaudit.backup"))
    assert restored.returncode == 0, restored.stderr
    assert "Restored the backup" in restored.stdout
    # The backup is of this version's schema: nothing to migrate.
    assert "migrate" not in restored.stdout

    after = tmp_path / "after.html"
    built = caseaudit(empty_database, tmp_path, *report_command(council), "--out", str(after))
    assert built.returncode == 0, built.stderr
    assert after.read_bytes() == before.read_bytes()

    checked = caseaudit(empty_database, tmp_path, "verify-log", "--json")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert verified_chains(json.loads(checked.stdout)) == verified_chains(logs_before)

    # Restoring again over what is now there is refused without --replace.
    again = caseaudit(empty_database, tmp_path, "restore", str(tmp_path / "caseaudit.backup"))
    assert again.returncode != 0
    assert "already has" in again.stderr
    assert "Traceback" not in again.stderr


def _rewrite(path, *, dump=None, manifest=None):
    """The backup at ``path`` with its dump or manifest changed (as damage or a mix-up would)."""
    with tarfile.open(path) as archive:
        members = {m.name: archive.extractfile(m).read() for m in archive.getmembers()}
    name = next(n for n in members if n != backup.MANIFEST)
    if dump is not None:
        members[name] = dump(members[name])
    if manifest is not None:
        members[backup.MANIFEST] = json.dumps(
            manifest(json.loads(members[backup.MANIFEST]))
        ).encode()
    with tarfile.open(path, "w") as archive:
        for member, content in members.items():
            info = tarfile.TarInfo(member)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))


@committing
def test_a_damaged_backup_is_refused_and_nothing_is_changed(programme, tmp_path):
    path = tmp_path / "caseaudit.backup"
    backup.backup(path)
    audits = Audit.objects.count()
    # One byte of the dump altered, its checksum as taken.
    _rewrite(path, dump=lambda content: content[:-100] + bytes([content[-100] ^ 1]) + content[-99:])
    with pytest.raises(CommandError, match="damaged"):
        call_command("restore", str(path), "--replace")
    assert Audit.objects.count() == audits


@committing
def test_a_backup_of_the_other_kind_of_database_is_refused(programme, tmp_path):
    path = tmp_path / "caseaudit.backup"
    backup.backup(path)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    _rewrite(path, manifest=lambda data: {**data, "vendor": other, "dump": backup.DUMPS[other]})
    with pytest.raises(CommandError, match=f"restore it into {backup.VENDOR_NAMES[other]}"):
        call_command("restore", str(path), "--replace")


@committing
def test_a_database_in_use_is_not_overwritten_unless_asked(programme, tmp_path):
    path = tmp_path / "caseaudit.backup"
    backup.backup(path)
    with pytest.raises(CommandError, match="Restore into an empty database, or give --replace"):
        call_command("restore", str(path))
    assert Audit.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is not a caseaudit backup"), (b"PK\x03\x04 a zip", "is not a caseaudit backup")],
)
def test_a_file_that_is_not_a_backup_is_refused(tmp_path, content, message):
    path = tmp_path / "something.backup"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "missing.backup"))


def test_a_backup_to_a_folder_that_does_not_exist_says_so(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("backup", "--out", str(tmp_path / "no-such-folder" / "caseaudit.backup"))
    assert not (tmp_path / "no-such-folder").exists()
