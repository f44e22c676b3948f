"""Backing up the whole service and restoring it: ``caseaudit backup`` and ``caseaudit restore``.

Everything caseaudit keeps is in its database: case data, audits, published report files
(``ReportFile`` holds their bytes), the access log and the change history. So a backup is the
database, taken online by the database's own tool — SQLite's backup API, PostgreSQL's
``pg_dump`` — while the service keeps running, and a restore is the same tool the other way.

A backup file is a tar archive of two members: ``manifest.json`` (what it is, when it was
taken, the schema it was taken at, and the SHA-256 of the dump) and the dump itself. A restore
checks the checksum and the database kind before it touches anything, and then restores all
or nothing (a single transaction on PostgreSQL; one backup step on SQLite).

What is not in a backup, on purpose: the key that seals the logs (``CASEAUDIT_LOG_KEY`` or
its file) — a backup that carried it would let whoever holds the backup rewrite the logs and
reseal them. Keep it apart, as the operations notes say (docs/operations.md).
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connection as default_connection
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "caseaudit-backup"
VERSION = 1
MANIFEST = "manifest.json"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that could not be done; nothing was changed. The message says why
    in words an operator can act on."""


@dataclass(frozen=True)
class Manifest:
    vendor: str
    taken_at: str
    sha256: str
    size: int
    migrations: dict[str, str]

    def as_json(self) -> dict:
        return {
            "format": FORMAT,
            "version": VERSION,
            "vendor": self.vendor,
            "taken_at": self.taken_at,
            "dump": DUMPS[self.vendor],
            "sha256": self.sha256,
            "size": self.size,
            "migrations": self.migrations,
        }

    @property
    def vendor_name(self) -> str:
        return VENDOR_NAMES[self.vendor]


# Backing up ------------------------------------------------------------------------------------


def backup(out: Path, *, connection=default_connection) -> Manifest:
    """Write a backup of the database behind ``connection`` to ``out``. The archive is written
    beside ``out`` and renamed into place, so a failed backup never leaves a partial file under
    the name a schedule would keep."""
    vendor = _vendor(connection)
    out = Path(out)
    if out.is_dir():
        raise BackupError(f"{out} is a folder: give the name of the file to write.")
    if not out.parent.is_dir():
        raise BackupError(f"The folder {out.parent} does not exist.")
    with tempfile.TemporaryDirectory(prefix="caseaudit-backup-", dir=out.parent) as work:
        dump = Path(work) / DUMPS[vendor]
        if vendor == "sqlite":
            _dump_sqlite(connection, dump)
        else:
            _dump_postgresql(connection, dump)
        manifest = Manifest(
            vendor=vendor,
            taken_at=datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            sha256=_sha256(dump),
            size=dump.stat().st_size,
            migrations=_migrations(connection),
        )
        partial = Path(work) / "backup.tar"
        with tarfile.open(partial, "w") as archive:
            _add_bytes(archive, MANIFEST, json.dumps(manifest.as_json(), indent=2).encode())
            archive.add(dump, arcname=dump.name)
        os.replace(partial, out)
    return manifest


def file_sha256(path: Path) -> str:
    """The whole backup file's checksum, for the operator's record of where it was kept."""
    return _sha256(Path(path))


def _dump_sqlite(connection, dump: Path) -> None:
    # The backup API copies a consistent snapshot while others go on writing (WAL mode). Not
    # from inside a transaction of the same connection: it would wait for itself for ever.
    if connection.in_atomic_block:
        raise BackupError("A backup cannot be taken inside a transaction.")
    connection.ensure_connection()
    target = sqlite3.connect(dump)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


def _dump_postgresql(connection, dump: Path) -> None:
    _run_postgres_tool(
        connection,
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"],
        doing="pg_dump",
    )


# Restoring -------------------------------------------------------------------------------------


def read_manifest(path: Path) -> Manifest:
    """The backup's manifest, checked to be caseaudit's; the dump is checked by ``restore``."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist.")
    try:
        with tarfile.open(path, "r") as archive:
            member = archive.extractfile(MANIFEST)
            data = json.loads(member.read()) if member else None
    except (tarfile.TarError, KeyError, json.JSONDecodeError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not a caseaudit backup.")
    if data.get("version") != VERSION or data.get("vendor") not in DUMPS:
        raise BackupError(
            f"{path} is a caseaudit backup of a kind this version cannot read "
            f"(format version {data.get('version')})."
        )
    return Manifest(
        vendor=data["vendor"],
        taken_at=data["taken_at"],
        sha256=data["sha256"],
        size=data["size"],
        migrations=data.get("migrations", {}),
    )


def restore(path: Path, *, replace: bool = False, connection=default_connection) -> Manifest:
    """Restore the backup at ``path`` into the database behind ``connection``: an empty one,
    or with ``replace`` one whose contents it replaces. Refuses, changing nothing, a file
    that is not a caseaudit backup, one whose dump does not match its checksum, one of the
    other kind of database, and a database with tables in it unless ``replace``."""
    path = Path(path)
    manifest = read_manifest(path)
    vendor = _vendor(connection)
    if manifest.vendor != vendor:
        raise BackupError(
            f"This is a backup of a {manifest.vendor_name} database, and DATABASE_URL names "
            f"{VENDOR_NAMES[vendor]}: restore it into {manifest.vendor_name}."
        )
    tables = connection.introspection.table_names()
    if tables and not replace:
        raise BackupError(
            f"The database already has {len(tables)} tables in it. Restore into an empty "
            "database, or give --replace to replace everything in this one."
        )
    with tempfile.TemporaryDirectory(prefix="caseaudit-restore-") as work:
        dump = Path(work) / DUMPS[vendor]
        _extract_dump(path, manifest, dump)
        if _sha256(dump) != manifest.sha256 or dump.stat().st_size != manifest.size:
            raise BackupError(
                f"{path} is damaged: its database does not match the checksum taken with it. "
                "Nothing was restored; use another copy."
            )
        if vendor == "sqlite":
            _load_sqlite(connection, dump)
        else:
            _load_postgresql(connection, dump, replace=bool(tables))
    connection.close()
    return manifest


def schema_advice(manifest: Manifest, *, connection=default_connection) -> str | None:
    """What to do when the backup's schema is not this version's: run the migrations for an
    older backup; for a newer one, this version is too old to run on it."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(connection, ignore_no_migrations=True)
    known = {key for key in loader.disk_migrations}
    applied = {(app, name) for app, name in manifest.migrations.items()}
    unknown = sorted(f"{app}.{name}" for app, name in applied if (app, name) not in known)
    if unknown:
        return (
            "The backup was taken by a newer version of caseaudit (it has migrations this "
            f"version does not: {', '.join(unknown[:3])}). Run that version on it."
        )
    leaves = {app: name for app, name in loader.graph.leaf_nodes()}
    if any(manifest.migrations.get(app) != name for app, name in leaves.items()):
        return "The backup is of an older version: run `caseaudit migrate` before serving it."
    return None


def _extract_dump(path: Path, manifest: Manifest, dump: Path) -> None:
    # Read the one member by name into a file of our naming: nothing in the archive chooses a
    # path on this machine.
    try:
        with tarfile.open(path, "r") as archive:
            source = archive.extractfile(DUMPS[manifest.vendor])
            if source is None:
                raise KeyError(DUMPS[manifest.vendor])
            with source, dump.open("wb") as target:
                shutil.copyfileobj(source, target, CHUNK)
    except (tarfile.TarError, KeyError) as error:
        raise BackupError(f"{path} is damaged: its database could not be read.") from error


def _load_sqlite(connection, dump: Path) -> None:
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("A restore cannot run inside a transaction.")
    source = sqlite3.connect(dump)
    try:
        # One step: the destination is written in a single transaction, so a failure part way
        # leaves it as it was.
        source.backup(connection.connection)
    except sqlite3.Error as error:
        raise BackupError(f"SQLite could not restore the backup: {error}.") from error
    finally:
        source.close()


def _load_postgresql(connection, dump: Path, *, replace: bool) -> None:
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
    # All or nothing: a restore that fails part way leaves the database as it was.
    command.append("--single-transaction")
    if replace:
        command += ["--clean", "--if-exists"]
    connection.close()
    _run_postgres_tool(connection, [*command, str(dump)], doing="pg_restore", database_flag="-d")


# Shared ----------------------------------------------------------------------------------------


def _vendor(connection) -> str:
    if connection.vendor not in DUMPS:
        raise BackupError(f"caseaudit cannot back up a {connection.vendor} database.")
    return connection.vendor


def _migrations(connection) -> dict[str, str]:
    """The newest migration applied per app: the schema the backup was taken at."""
    newest: dict[str, str] = {}
    recorder = MigrationRecorder(connection)
    if recorder.has_table():
        for app, name in recorder.applied_migrations():
            newest[app] = max(newest.get(app, name), name)
    return newest


def _run_postgres_tool(connection, command: list[str], *, doing: str, database_flag=None):
    settings = connection.settings_dict
    # The connection details go in the environment, so the password is never on a command line
    # that `ps` would show.
    env = {**os.environ, "PGDATABASE": settings["NAME"]}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    if database_flag:
        command = [*command[:-1], database_flag, settings["NAME"], command[-1]]
    if shutil.which(command[0]) is None:
        raise BackupError(
            f"{command[0]} was not found: install PostgreSQL's client tools "
            "(Debian: postgresql-client) on this machine."
        )
    completed = subprocess.run(  # noqa: S603 (a fixed tool, arguments built here) # nosec B603
        command, env=env, capture_output=True, text=True, check=False
    )
    if completed.returncode != 0:
        detail = completed.stderr.strip().splitlines()
        raise BackupError(f"{doing} failed: {detail[-1] if detail else 'no message'}")


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(datetime.datetime.now(datetime.UTC).timestamp())
    archive.addfile(info, io.BytesIO(content))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()
