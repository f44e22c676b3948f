"""Two-step sign-in: turning it on, signing in with a code, replays, throttling, turning it
off, and an administrator's reset. People without it sign in as before."""

import re

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from caseaudit.accounts import two_step
from caseaudit.accounts.models import LoginAttempt, User
from caseaudit.conftest import PASSWORD
from caseaudit.core.history import history_of

pytestmark = pytest.mark.django_db


def _password(client, username="qa.lead", password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _enrolled(user, wall_clock) -> str:
    secret = pyotp.random_base32()
    two_step.enable(user, secret=secret, code=pyotp.TOTP(secret).at(wall_clock.now))
    wall_clock.advance(seconds=30)  # the enrolment code is spent: move on to the next one
    return secret


def test_turning_it_on_shows_the_secret_once_and_needs_a_right_code(client_for, people, wall_clock):
    client = client_for(people.qa_lead)
    assert "Two-step sign-in" in client.get(reverse("accounts:account")).content.decode()
    page = client.get(reverse("accounts:two_step_on")).content.decode()
    assert 'src="data:image/svg+xml' in page and 'alt="QR code for setting up' in page
    grouped = re.search(r'id="setup-key">([A-Z2-7 ]+)<', page).group(1)
    assert re.fullmatch(r"([A-Z2-7]{4} )+[A-Z2-7]{4}", grouped)
    secret = grouped.replace(" ", "")

    wrong = client.post(reverse("accounts:two_step_on"), {"code": "000000"}).content.decode()
    assert "There is a problem" in wrong and "The code is not correct" in wrong
    malformed = client.post(reverse("accounts:two_step_on"), {"code": "12ab"}).content.decode()
    assert "Enter the code as 6 digits" in malformed
    people.qa_lead.refresh_from_db()
    assert not two_step.is_enabled(people.qa_lead)

    code = pyotp.TOTP(secret).at(wall_clock.now)
    assert client.post(reverse("accounts:two_step_on"), {"code": code}).status_code == 302
    people.qa_lead.refresh_from_db()
    assert people.qa_lead.totp_secret == secret
    # Never shown again: the enrolment page now leads to turning it off.
    assert client.get(reverse("accounts:two_step_on")).url == reverse("accounts:two_step_off")
    for url in ("accounts:account", "accounts:two_step_off"):
        assert secret[:8] not in client.get(reverse(url)).content.decode()
    assert "two_step" in str(history_of(people.qa_lead).first().after)
    assert secret not in str(list(history_of(people.qa_lead).values("before", "after")))


def test_sign_in_asks_for_the_code_and_is_not_signed_in_until_it_is_right(
    client, people, wall_clock
):
    secret = _enrolled(people.qa_lead, wall_clock)
    response = _password(client)
    assert response.url == reverse("accounts:sign_in_code")
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302  # still signed out

    page = client.post(reverse("accounts:sign_in_code"), {"code": "000000"}).content.decode()
    assert "The code is not correct" in page and "<title>Error:" in page
    assert "_auth_user_id" not in client.session
    assert LoginAttempt.objects.filter(username="qa.lead").count() == 1

    code = pyotp.TOTP(secret).at(wall_clock.now)
    response = client.post(reverse("accounts:sign_in_code"), {"code": code})
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.session["_auth_user_id"] == str(people.qa_lead.pk)
    assert not LoginAttempt.objects.exists()


def test_a_used_code_cannot_be_used_again(client, people, wall_clock):
    secret = _enrolled(people.qa_lead, wall_clock)
    code = pyotp.TOTP(secret).at(wall_clock.now)
    _password(client)
    assert client.post(reverse("accounts:sign_in_code"), {"code": code}).status_code == 302

    # Someone who saw it, in another browser, within the same 30 seconds.
    other = Client()
    _password(other)
    page = other.post(reverse("accounts:sign_in_code"), {"code": code}).content.decode()
    assert "The code is not correct, or it has already been used" in page
    assert "_auth_user_id" not in other.session
    wall_clock.advance(seconds=30)
    fresh = pyotp.TOTP(secret).at(wall_clock.now)
    assert other.post(reverse("accounts:sign_in_code"), {"code": fresh}).status_code == 302


def test_the_code_that_turned_it_on_cannot_sign_in(client, people, wall_clock):
    secret = pyotp.random_base32()
    code = pyotp.TOTP(secret).at(wall_clock.now)
    two_step.enable(people.qa_lead, secret=secret, code=code)
    _password(client)
    assert (
        "already been used"
        in client.post(reverse("accounts:sign_in_code"), {"code": code}).content.decode()
    )


def test_wrong_codes_are_throttled_like_passwords(client, people, wall_clock, settings):
    settings.LOGIN_FREE_FAILURES, settings.LOGIN_DELAY_SECONDS = 3, 1
    secret = _enrolled(people.qa_lead, wall_clock)
    _password(client)
    for _ in range(3):
        client.post(reverse("accounts:sign_in_code"), {"code": "000000"})
    code = pyotp.TOTP(secret).at(wall_clock.now)
    page = client.post(reverse("accounts:sign_in_code"), {"code": code}).content.decode()
    assert "Wait 1 second" in page and "_auth_user_id" not in client.session
    # Giving the password again does not wipe the count of wrong codes.
    _password(client)
    assert LoginAttempt.objects.filter(username="qa.lead").count() == 3
    wall_clock.advance(seconds=1)
    assert client.post(reverse("accounts:sign_in_code"), {"code": code}).status_code == 302


def test_the_second_step_expires_and_needs_the_password_first(client, people, wall_clock):
    secret = _enrolled(people.qa_lead, wall_clock)
    code_page = reverse("accounts:sign_in_code")
    assert client.get(code_page).url == reverse("accounts:login")  # no password given
    _password(client)
    wall_clock.advance(seconds=6 * 60)
    code = pyotp.TOTP(secret).at(wall_clock.now)
    assert client.post(code_page, {"code": code}).url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_turning_it_off_needs_a_current_code(client_for, people, wall_clock):
    secret = _enrolled(people.qa_lead, wall_clock)
    client = client_for(people.qa_lead)
    page = client.post(reverse("accounts:two_step_off"), {"code": "000000"}).content.decode()
    assert "The code is not correct" in page
    assert LoginAttempt.objects.filter(username="qa.lead").count() == 1  # guesses are throttled
    people.qa_lead.refresh_from_db()
    assert two_step.is_enabled(people.qa_lead)
    code = pyotp.TOTP(secret).at(wall_clock.now)
    assert client.post(reverse("accounts:two_step_off"), {"code": code}).status_code == 302
    people.qa_lead.refresh_from_db()
    assert not two_step.is_enabled(people.qa_lead)
    client.post(reverse("accounts:logout"))
    assert _password(client).url == reverse("home")


def test_an_administrator_can_reset_it(client_for, people, wall_clock):
    _enrolled(people.qa_lead, wall_clock)
    client = client_for(people.administrator)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_two_step", "_selected_action": [people.qa_lead.pk]},
    )
    assert response.status_code == 302
    assert not two_step.is_enabled(User.objects.get(pk=people.qa_lead.pk))


def test_people_without_it_sign_in_with_their_password_alone(client, people):
    assert _password(client, "director").url == reverse("home")
    assert client.session["_auth_user_id"] == str(people.director.pk)
