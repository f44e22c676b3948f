"""`caseaudit verify-log` finds a log altered at the database, even by someone who lifted the
triggers and recomputed the chain; the database refuses edits; the heads are anchored outside.
"""

import datetime
import io
import json
import os
import socket

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from caseaudit.accounts.models import AccessLog
from caseaudit.core import anchors
from caseaudit.core.chain import ChainHead, protection_lifted, seal, unkeyed_seal
from caseaudit.core.checks import logs_recently_verified
from caseaudit.core.models import ChangeRecord

pytestmark = pytest.mark.django_db

TABLE = AccessLog._meta.db_table


def _log(n: int) -> None:
    for i in range(n):
        AccessLog.append(
            username="someone", action="viewed", record_type="cases.child", record_id=str(i)
        )


def verify_log(*args: str) -> tuple[int, dict]:
    out = io.StringIO()
    try:
        call_command("verify-log", "--json", *args, stdout=out)
        status = 0
    except SystemExit as exit:
        status = exit.code
    return status, json.loads(out.getvalue())


def first_break(report: dict, chain: str = "access") -> dict:
    return next(c for c in report["chains"] if c["chain"] == chain)["first_break"]


def as_attacker(*statements: str) -> None:
    """Raw SQL with the triggers dropped, as someone with the database but not the key."""
    with protection_lifted(connection, [TABLE]), connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def recompute_chain(sealer) -> None:
    """What the attacker does next: renumber what is left, reseal every entry after the other,
    and point the head at the new end."""
    previous, sequence = "0" * 64, 0
    with protection_lifted(connection, [TABLE]), connection.cursor() as cursor:
        for entry in AccessLog.objects.order_by("sequence"):
            sequence += 1
            entry.sequence, entry.previous_digest = sequence, previous
            digest = sealer(sequence, previous, entry.content())
            cursor.execute(
                f"UPDATE {TABLE} SET sequence = %s, previous_digest = %s, digest = %s "  # noqa: S608
                "WHERE id = %s",
                [sequence, previous, digest, entry.pk],
            )
            previous = digest
    ChainHead.objects.filter(chain="access").update(length=sequence, digest=previous)


def test_an_intact_log_verifies_and_its_heads_are_anchored(settings):
    _log(5)
    ChangeRecord.append(username="x", record_type="t", record_id="1", action="created")
    status, report = verify_log()
    assert status == 0
    assert report["sound"] is True
    assert {c["chain"]: c["entries"] for c in report["chains"]} == {"access": 5, "changes": 1}
    anchored = anchors.read().anchors
    assert [(a.chain, a.length, a.verified) for a in anchored] == [
        ("access", 5, True),
        ("changes", 1, True),
    ]
    assert os.stat(settings.LOG_ANCHOR_FILE).st_mode & 0o777 == 0o600


def test_a_deleted_row_is_named():
    _log(5)
    as_attacker(f"DELETE FROM {TABLE} WHERE sequence = 3")  # noqa: S608
    status, report = verify_log()
    assert status == 1
    assert report["sound"] is False
    assert first_break(report) == {"sequence": 3, "reason": "entry 3 is missing"}
    assert first_break(report, "changes") is None


def test_the_text_report_names_the_first_bad_row():
    _log(5)
    as_attacker(f"DELETE FROM {TABLE} WHERE sequence = 3")  # noqa: S608
    out = io.StringIO()
    with pytest.raises(SystemExit) as exit:
        call_command("verify-log", stdout=out)
    assert exit.value.code == 1
    assert "access: BROKEN at entry 3: entry 3 is missing" in out.getvalue()


def test_a_chain_recomputed_without_the_key_is_refused():
    _log(5)
    as_attacker(f"DELETE FROM {TABLE} WHERE sequence = 3")  # noqa: S608
    recompute_chain(unkeyed_seal)  # the scheme before the chains were keyed
    status, report = verify_log()
    assert status == 1
    assert first_break(report)["sequence"] == 1
    assert "does not match its digest" in first_break(report)["reason"]


def test_a_chain_recomputed_with_the_wrong_key_is_refused():
    _log(5)
    as_attacker(f"DELETE FROM {TABLE} WHERE sequence = 3")  # noqa: S608
    with override_settings(LOG_CHAIN_KEY="a guess at the key, long enough to pass"):
        recompute_chain(seal)
    status, report = verify_log()
    assert status == 1
    assert first_break(report)["sequence"] == 1


def test_a_chain_recomputed_with_the_key_still_differs_from_its_anchor():
    _log(5)
    assert verify_log()[0] == 0
    as_attacker(f"DELETE FROM {TABLE} WHERE sequence = 3")  # noqa: S608
    recompute_chain(seal)
    status, report = verify_log()
    assert status == 1
    assert first_break(report)["sequence"] == 5
    assert "the log ends at entry 4 but had 5 entries" in first_break(report)["reason"]


def test_a_rewritten_entry_under_an_anchored_head_is_found():
    _log(5)
    assert verify_log()[0] == 0
    as_attacker(f"UPDATE {TABLE} SET record_id = 'x' WHERE sequence = 2")  # noqa: S608
    recompute_chain(seal)
    status, report = verify_log()
    assert status == 1
    assert first_break(report)["sequence"] == 5
    assert "is not the entry anchored outside the database" in first_break(report)["reason"]


def test_a_truncated_tail_is_found_against_the_anchor():
    _log(5)
    assert verify_log()[0] == 0
    as_attacker(f"DELETE FROM {TABLE} WHERE sequence > 3")  # noqa: S608
    fourth = AccessLog.objects.get(sequence=3)
    ChainHead.objects.filter(chain="access").update(length=3, digest=fourth.digest)
    status, report = verify_log()
    assert status == 1
    assert first_break(report)["sequence"] == 4
    assert "ends at entry 3 but had 5 entries" in first_break(report)["reason"]


def test_a_truncated_tail_is_found_against_the_head_without_an_anchor():
    _log(5)
    as_attacker(f"DELETE FROM {TABLE} WHERE sequence > 3")  # noqa: S608
    status, report = verify_log("--chain", "access")
    assert status == 1
    assert first_break(report) == {"sequence": 4, "reason": "entries 4–5 are missing"}


def test_an_edited_anchor_file_fails_the_check(settings):
    _log(2)
    assert verify_log()[0] == 0
    text = settings.LOG_ANCHOR_FILE.read_text()
    settings.LOG_ANCHOR_FILE.write_text(text.replace('"length": 2', '"length": 1'))
    status, report = verify_log()
    assert status == 1
    assert "line 1 of" in report["anchor_problems"][0]


@pytest.mark.parametrize("model", [AccessLog, ChangeRecord])
@pytest.mark.parametrize("statement", ["UPDATE {} SET digest = 'x'", "DELETE FROM {}"])
def test_the_database_refuses_updates_and_deletes(model, statement):
    _log(1)
    ChangeRecord.append(username="x", record_type="t", record_id="1", action="created")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(statement.format(model._meta.db_table))
    assert model.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_postgresql_refuses_truncate():
    _log(1)
    # The insert's foreign-key check is deferred, and PostgreSQL will not truncate a table
    # with one pending: settle it, so it is the trigger that refuses.
    connection.cursor().execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(f"TRUNCATE {TABLE}")
    assert AccessLog.objects.count() == 1


def test_anchor_log_anchors_a_sound_head_and_refuses_a_truncated_one():
    _log(3)
    assert verify_log()[0] == 0
    _log(2)
    call_command("anchor-log", stdout=io.StringIO())
    newest = anchors.read().newest("access")
    assert (newest.length, newest.verified) == (5, False)

    as_attacker(f"DELETE FROM {TABLE} WHERE sequence > 2")  # noqa: S608
    ChainHead.objects.filter(chain="access").update(
        length=2, digest=AccessLog.objects.get(sequence=2).digest
    )
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("anchor-log", stdout=out)
    assert "access: the log has 2 entries but had 5" in out.getvalue()
    assert anchors.read().newest("access").length == 5


def test_anchors_go_to_syslog_when_a_server_is_named(settings):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as server:
        server.bind(("127.0.0.1", 0))
        server.settimeout(5)
        settings.LOG_ANCHOR_SYSLOG = f"127.0.0.1:{server.getsockname()[1]}"
        _log(2)
        assert verify_log()[0] == 0
        received = {server.recv(4096).decode() for _ in range(2)}
    lines = [text.split(anchors.SYSLOG_TAG, 1)[1].rstrip("\x00") for text in received]
    assert {json.loads(line)["chain"] for line in lines} == {"access", "changes"}
    assert set(lines) <= set(settings.LOG_ANCHOR_FILE.read_text().splitlines())


def test_the_deployment_check_warns_until_the_logs_are_verified(settings):
    [warning] = logs_recently_verified(None)
    assert warning.id == "caseaudit.W001"
    assert "access and changes logs have not been verified" in warning.msg

    # anchor-log's anchors do not count: they do not check the whole chain.
    call_command("anchor-log", stdout=io.StringIO())
    assert len(logs_recently_verified(None)) == 1

    assert verify_log()[0] == 0
    assert logs_recently_verified(None) == []


def test_the_deployment_check_warns_when_the_last_verification_is_old():
    a_day_ago = timezone.now() - datetime.timedelta(hours=25)
    anchors.write(
        [
            anchors.Anchor("access", 0, "0" * 64, a_day_ago, verified=True),
            anchors.Anchor("changes", 0, "0" * 64, timezone.now(), verified=True),
        ]
    )
    [warning] = logs_recently_verified(None)
    assert "The access log has not been verified in the last 24 hours" in warning.msg
