"""Guarded state changes (core.transitions), through the programme month's map: one
conditional UPDATE, one history row, and a refusal a person can read."""

from unittest import mock

import pytest
from django.core.exceptions import ValidationError

from caseaudit.audits.choices import MonthStatus
from caseaudit.audits.models import ProgrammeMonth
from caseaudit.audits.tests.test_programme_helpers import make_month
from caseaudit.audits.transitions import AUDIT, MONTH, OPEN
from caseaudit.core import transitions
from caseaudit.core.history import history_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(council):
    return make_month(council.council)


def test_a_move_the_map_allows_is_written_with_its_history(month, people):
    moved = transitions.move(
        month, MonthStatus.OPEN, transitions=MONTH, by=people.qa_lead, reason="Started"
    )
    assert moved.status == ProgrammeMonth.objects.get(pk=month.pk).status == MonthStatus.OPEN
    entry = history_of(month).first()
    assert (entry.before, entry.after, entry.reason) == (
        {"status": "planned"},
        {"status": "open"},
        "Started",
    )


def test_a_move_the_map_refuses_says_why_and_writes_nothing(month, people):
    with pytest.raises(ValidationError, match=r"^\['March 2024 is planned, so it cannot be closed"):
        transitions.move(month, MonthStatus.CLOSED, transitions=MONTH, by=people.qa_lead)
    transitions.move(month, MonthStatus.OPEN, transitions=MONTH, by=people.qa_lead)
    with pytest.raises(ValidationError, match="March 2024 is already open."):
        transitions.move(month, MonthStatus.OPEN, transitions=MONTH, by=people.qa_lead)
    assert history_of(month).count() == 2  # created, opened


def _read_as(stale_status: str):
    """``objects.get`` answering, the first time, with the month as it was before someone
    else moved it; then as it is."""
    real_get = ProgrammeMonth.objects.get
    calls = []

    def get(**kwargs):
        found = real_get(**kwargs)
        if not calls:
            found.status = stale_status
        calls.append(kwargs)
        return found

    return mock.patch.object(ProgrammeMonth.objects, "get", side_effect=get)


def test_of_two_people_moving_at_once_the_second_is_refused(month, people):
    # Someone paused the month after we read it as planned: our "open" finds nothing to update.
    ProgrammeMonth.objects.filter(pk=month.pk).update(status=MonthStatus.PAUSED)
    with _read_as(MonthStatus.PLANNED), pytest.raises(ValidationError, match="changed this"):
        transitions.move(month, MonthStatus.OPEN, transitions=MONTH, by=people.qa_lead)
    # Someone closed it: the refusal says so.
    ProgrammeMonth.objects.filter(pk=month.pk).update(status=MonthStatus.CLOSED)
    with _read_as(MonthStatus.OPEN), pytest.raises(ValidationError, match="is closed, so it"):
        transitions.move(month, MonthStatus.PAUSED, transitions=MONTH, by=people.qa_lead)
    assert ProgrammeMonth.objects.get(pk=month.pk).status == MonthStatus.CLOSED
    assert history_of(month).count() == 1  # created only


def test_every_audit_status_is_reached_only_from_where_the_map_says():
    # Submitted and moderated audits are finished: nothing moves them back to open.
    for to, sources in AUDIT.allowed_from.items():
        assert to not in sources
    assert not any(AUDIT.may("moderated", to) for to in AUDIT.allowed_from)
    assert all(AUDIT.may(status, "cancelled") for status in OPEN)
    assert not AUDIT.may("submitted", "cancelled")
