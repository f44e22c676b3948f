import pytest
from django.urls import reverse

from caseaudit.accounts.models import LoginAttempt
from caseaudit.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_sign_in_with_the_right_password(client, people):
    response = _sign_in(client, "qa.lead", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_empty_form_gets_govuk_error_messages(client, people):
    page = client.post(reverse("accounts:login"), {}).content.decode()
    assert "There is a problem" in page
    assert "Enter your username" in page
    assert "Enter your password" in page
    assert "<title>Error: Sign in" in page


def test_wrong_password_is_refused_without_saying_which_part_was_wrong(client, people):
    page = _sign_in(client, "qa.lead", "not-the-password").content.decode()
    assert "The username or password is not correct" in page


def test_repeated_failures_lock_the_account_even_for_the_right_password(client, people, settings):
    for _ in range(settings.LOGIN_FAILURES_PER_ACCOUNT):
        _sign_in(client, "qa.lead", "guess")
    page = _sign_in(client, "qa.lead", PASSWORD).content.decode()
    assert "too many failed attempts" in page
    assert "_auth_user_id" not in client.session
    # Another account is not locked by someone guessing at this one.
    assert _sign_in(client, "director", PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_earlier_failures(client, people):
    _sign_in(client, "qa.lead", "guess")
    _sign_in(client, "qa.lead", PASSWORD)
    assert not LoginAttempt.objects.filter(username="qa.lead").exists()


def test_sign_out_is_a_post(client_for, people):
    client = client_for(people.qa_lead)
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_sessions_time_out_and_passwords_are_validated(settings):
    assert settings.SESSION_COOKIE_AGE <= 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    names = {v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {"MinimumLengthValidator", "CommonPasswordValidator"} <= names


def test_changing_password_checks_the_new_one(client_for, people):
    client = client_for(people.social_worker)
    page = client.post(
        reverse("accounts:change_password"),
        {"old_password": PASSWORD, "new_password1": "password", "new_password2": "password"},
    ).content.decode()
    assert "There is a problem" in page
    assert "too common" in page
