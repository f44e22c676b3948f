"""The access log and change history are append-only and tamper-evident."""

import pytest
from django.db import DatabaseError, transaction

from caseaudit.accounts.models import AccessLog
from caseaudit.core.chain import AppendOnlyError, verify_chain
from caseaudit.core.models import ChangeRecord

pytestmark = pytest.mark.django_db


def _log(n: int) -> list[AccessLog]:
    return [
        AccessLog.append(
            username="someone",
            action="viewed",
            record_type="cases.child",
            record_id=str(i),
            route="/",
        )
        for i in range(n)
    ]


def test_an_untouched_log_verifies():
    _log(5)
    assert list(verify_chain(AccessLog)) == []


def test_editing_an_entry_is_detected():
    _log(4)
    entries = list(AccessLog.objects.order_by("sequence"))
    entries[1].record_id = "999"  # as if someone had edited the row
    breaks = list(verify_chain(AccessLog, entries))
    assert [(b.sequence, "altered" in b.reason) for b in breaks] == [(2, True)]
    # Re-sealing the edited entry does not help: the next one no longer follows it.
    entries[1].digest = entries[1].compute_digest()
    breaks = list(verify_chain(AccessLog, entries))
    assert [b.sequence for b in breaks][:1] == [3]


def test_removing_an_entry_is_detected():
    _log(4)
    entries = [e for e in AccessLog.objects.order_by("sequence") if e.sequence != 2]
    assert any("missing" in b.reason for b in verify_chain(AccessLog, entries))


def test_entries_cannot_be_saved_again_or_deleted_through_the_orm():
    entry = _log(1)[0]
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()


@pytest.mark.parametrize("model", [AccessLog, ChangeRecord])
def test_the_database_refuses_updates(model):
    if model is AccessLog:
        _log(1)
    else:
        ChangeRecord.append(username="x", record_type="t", record_id="1", action="created")
    with pytest.raises(DatabaseError), transaction.atomic():
        model.objects.update(digest="0" * 64)
