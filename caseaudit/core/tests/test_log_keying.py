"""The log key: where it comes from, and the migration that sealed the old unkeyed chains."""

import os
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import override_settings

from caseaudit.accounts.models import AccessLog
from caseaudit.core.chain import ChainHead, protection_lifted, unkeyed_seal, verify_chain
from caseaudit.core.log_key import entry_key
from caseaudit.core.resealing import key_the_chain

pytestmark = pytest.mark.django_db

TABLE = AccessLog._meta.db_table
FIELDS = ("username", "action", "record_type", "record_id", "route", "ip_address")
forwards, backwards = key_the_chain("accounts", "AccessLog", "access", FIELDS)


def _log(n: int) -> None:
    for i in range(n):
        AccessLog.append(username="someone", action="viewed", record_type="t", record_id=str(i))


def migrate(direction) -> None:
    # The migration's functions use only the schema editor's connection; SQLite will not open
    # a real schema editor inside the test's transaction.
    direction(apps, SimpleNamespace(connection=connection))


def seal_unkeyed() -> None:
    """The log as an install from before the key would hold it."""
    previous = "0" * 64
    with protection_lifted(connection, [TABLE]), connection.cursor() as cursor:
        for entry in AccessLog.objects.order_by("sequence"):
            digest = unkeyed_seal(entry.sequence, previous, entry.content())
            cursor.execute(
                f"UPDATE {TABLE} SET previous_digest = %s, digest = %s WHERE id = %s",  # noqa: S608
                [previous, digest, entry.pk],
            )
            previous = digest
    ChainHead.objects.filter(chain="access").update(digest=previous)


def test_the_migration_seals_an_unkeyed_log_under_the_key():
    _log(4)
    seal_unkeyed()
    assert [b.sequence for b in verify_chain(AccessLog)][:1] == [1]
    migrate(forwards)
    assert list(verify_chain(AccessLog)) == []


def test_the_migration_leaves_a_break_in_the_unkeyed_log_for_verify_log_to_report():
    _log(5)
    seal_unkeyed()
    with protection_lifted(connection, [TABLE]), connection.cursor() as cursor:
        cursor.execute(f"UPDATE {TABLE} SET record_id = 'x' WHERE sequence = 3")  # noqa: S608
    migrate(forwards)
    assert [b.sequence for b in verify_chain(AccessLog)][:1] == [3]


def test_the_migration_can_be_reversed():
    _log(3)
    seal_unkeyed()
    unkeyed = list(AccessLog.objects.values_list("digest", flat=True))
    migrate(forwards)
    migrate(backwards)
    assert list(AccessLog.objects.values_list("digest", flat=True)) == unkeyed


def test_the_migration_puts_the_triggers_back():
    _log(1)
    migrate(forwards)
    with pytest.raises(Exception, match="append-only"), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608


def test_development_makes_a_key_file_readable_by_its_owner_only(tmp_path):
    key_file = tmp_path / "data" / "log-chain.key"
    with override_settings(LOG_CHAIN_KEY=None, LOG_CHAIN_KEY_FILE=key_file):
        first = entry_key()
        assert os.stat(key_file).st_mode & 0o777 == 0o600
        assert entry_key() == first
    with override_settings(LOG_CHAIN_KEY=None, LOG_CHAIN_KEY_FILE=tmp_path / "another.key"):
        assert entry_key() != first


def test_production_never_makes_a_key_file(tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    key_file = tmp_path / "log-chain.key"
    settings = {"LOG_CHAIN_KEY": None, "LOG_CHAIN_KEY_FILE": key_file, "PRODUCTION": True}
    with override_settings(**settings), pytest.raises(ImproperlyConfigured):
        entry_key()
    assert not key_file.exists()
