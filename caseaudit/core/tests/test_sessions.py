"""A session ends SESSION_ABSOLUTE_HOURS after sign-in, however busy it has been."""

import datetime

import pytest
from django.urls import reverse

from caseaudit.core import clock
from caseaudit.core.sessions import SIGNED_IN_AT

pytestmark = pytest.mark.django_db


def _later(**delta) -> datetime.datetime:
    return clock.now() + datetime.timedelta(**delta)


def test_a_busy_session_ends_after_its_absolute_lifetime(client, people, settings):
    settings.SESSION_ABSOLUTE_HOURS = 10
    client.force_login(people.qa_lead)
    home = reverse("home")
    # Busy all day: never idle long enough for the inactivity timeout.
    for hours in (1, 5, 9.9):
        with clock.set_to(_later(hours=hours)):
            assert client.get(home).status_code == 200

    with clock.set_to(_later(hours=10, minutes=1)):
        response = client.get(home)
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('accounts:login')}?next={home}"
        assert "_auth_user_id" not in client.session
        page = client.get(response["Location"]).content.decode()
        assert "signed out because you signed in more than 10 hours ago" in page

        # Signing in again starts a new lifetime.
        client.force_login(people.qa_lead)
        assert client.get(home).status_code == 200


def test_the_lifetime_is_a_setting(client, people, settings):
    settings.SESSION_ABSOLUTE_HOURS = 2
    client.force_login(people.qa_lead)
    with clock.set_to(_later(hours=2, minutes=1)):
        assert client.get(reverse("home")).status_code == 302


def test_signing_in_through_the_form_records_the_time(client, people):
    from caseaudit.conftest import PASSWORD

    client.post(reverse("accounts:login"), {"username": "qa.lead", "password": PASSWORD})
    assert abs(client.session[SIGNED_IN_AT] - clock.now().timestamp()) < 60


def test_a_session_from_before_the_rule_ends(client, people):
    client.force_login(people.qa_lead)
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    assert client.get(reverse("home")).status_code == 302
