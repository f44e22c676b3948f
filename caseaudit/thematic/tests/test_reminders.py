"""Reminders of actions due and overdue: on the home page, and by email once a day."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from caseaudit.core import clock
from caseaudit.core.working_days import add_working_days
from caseaudit.thematic import actions
from caseaudit.thematic.choices import ActionStatus
from caseaudit.thematic.models import ActionReminder

pytestmark = pytest.mark.django_db


@pytest.fixture
def addressed(people, thematic):
    for person, address in (
        (people.north_manager, "north.manager@example.org"),
        (thematic.lead, "inspection.lead@example.org"),
    ):
        person.email = address
        person.save(update_fields=["email"])


@pytest.fixture
def due_soon(thematic, people, running):
    """A third action, owned by the north team manager and due in two working days."""
    return actions.add_action(
        running[0],
        action="Audit five more plans",
        intended_outcome="The change holds",
        owner=people.north_manager,
        due_date=add_working_days(clock.today(), 2),
        by=thematic.lead,
    )


def _remind(capture, *args):
    out = StringIO()
    with capture(execute=True):
        call_command("remind", *args, stdout=out)
    return out.getvalue()


def test_owners_and_the_lead_are_emailed_once_a_day(
    addressed, people, thematic, running, due_soon, django_capture_on_commit_callbacks
):
    _, _, _, overdue, own = running
    mail.outbox.clear()
    said = _remind(django_capture_on_commit_callbacks)
    # The north manager owns one overdue and one due; the lead is told of the overdue one
    # (their own action is due in 30 days: not yet).
    assert said.strip() == "Reminded 2 people of 3 actions."
    to = {m.to[0]: m.body for m in mail.outbox}
    assert set(to) == {"north.manager@example.org", "inspection.lead@example.org"}
    owner_mail = to["north.manager@example.org"]
    assert overdue.action in owner_mail and due_soon.action in owner_mail
    assert "overdue" in owner_mail and own.action not in owner_mail
    assert overdue.action in to["inspection.lead@example.org"]
    assert "Child" not in owner_mail and "child" not in owner_mail.lower().replace("children", "")

    # The same day again: no one is emailed twice about the same action.
    mail.outbox.clear()
    assert _remind(django_capture_on_commit_callbacks).strip() == (
        "Reminded 0 people of 0 actions."
    )
    assert not mail.outbox
    assert ActionReminder.objects.filter(recipient=people.north_manager).count() == 2

    # The next day they are reminded again, of what is still open.
    actions.update_action(overdue, status=ActionStatus.DONE, evidence="Done", by=thematic.lead)
    tomorrow = clock.today() + datetime.timedelta(days=1)
    said = _remind(django_capture_on_commit_callbacks, "--date", tomorrow.isoformat())
    assert said.strip() == "Reminded 1 person of 1 action."
    assert [m.to[0] for m in mail.outbox] == ["north.manager@example.org"]


def test_nothing_is_sent_before_the_commit(
    addressed, running, due_soon, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        actions.send_reminders()
    assert waiting and not mail.outbox


def test_the_home_page_shows_due_and_overdue(client_for, people, thematic, running, due_soon):
    home = client_for(people.north_manager).get(reverse("home")).content.decode()
    assert (
        "You own 2 open actions from thematic audits: 1 overdue and 1 due within 5 working "
        "days." in home
    )
    lead_home = client_for(thematic.lead).get(reverse("home")).content.decode()
    assert (
        "Actions others own in the thematic audits you lead: 1 overdue and 1 due within 5 "
        "working days." in lead_home
    )
    # Someone who owns none and leads none is told nothing of them.
    south = client_for(people.south_manager).get(reverse("home")).content.decode()
    assert "from thematic audits" not in south


def test_a_bad_date_is_refused(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind", "--date", "27/3/2026")
