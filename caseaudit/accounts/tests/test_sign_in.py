import pytest
from django.urls import reverse

from caseaudit.accounts import throttle
from caseaudit.accounts.models import LoginAttempt
from caseaudit.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client, username, password, address="127.0.0.1"):
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


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


def test_after_a_few_failures_each_attempt_waits_a_doubling_delay(
    client, people, wall_clock, settings
):
    settings.LOGIN_FREE_FAILURES, settings.LOGIN_DELAY_SECONDS = 3, 1
    for _ in range(3):
        assert "not correct" in _sign_in(client, "qa.lead", "guess").content.decode()
    # During the delay even the right password is refused unchecked, and the refusal is not
    # counted as another failure.
    page = _sign_in(client, "qa.lead", PASSWORD).content.decode()
    assert "too many failed attempts to sign in. Wait 1 second, then try again" in page
    assert "_auth_user_id" not in client.session
    assert LoginAttempt.objects.count() == 3
    wall_clock.advance(seconds=1)
    assert "not correct" in _sign_in(client, "qa.lead", "guess").content.decode()
    assert "Wait 2 seconds" in _sign_in(client, "qa.lead", "guess").content.decode()
    wall_clock.advance(seconds=1)
    assert "Wait 1 second" in _sign_in(client, "qa.lead", PASSWORD).content.decode()
    assert LoginAttempt.objects.count() == 4
    # Once the delay has passed the right password signs in: there is no lock to wait out.
    wall_clock.advance(seconds=1)
    assert _sign_in(client, "qa.lead", PASSWORD).status_code == 302
    assert not LoginAttempt.objects.exists()


def test_the_delay_stops_growing_at_the_cap(client, people, wall_clock, settings):
    settings.LOGIN_MAX_DELAY_SECONDS = 300
    for _ in range(40):
        LoginAttempt.objects.create(username="qa.lead", ip_address="127.0.0.1")
    assert "Wait 5 minutes" in _sign_in(client, "qa.lead", PASSWORD).content.decode()
    wall_clock.advance(seconds=299)
    assert "Wait 1 second" in _sign_in(client, "qa.lead", PASSWORD).content.decode()
    wall_clock.advance(seconds=1)
    assert _sign_in(client, "qa.lead", PASSWORD).status_code == 302


def test_failures_from_another_address_do_not_delay_the_account_owner(client, people, settings):
    settings.LOGIN_FREE_FAILURES, settings.LOGIN_FREE_FAILURES_PER_ACCOUNT = 3, 20
    for _ in range(10):
        _sign_in(client, "qa.lead", "guess", address="203.0.113.9")
    assert (
        "too many failed" in _sign_in(client, "qa.lead", PASSWORD, "203.0.113.9").content.decode()
    )
    # The owner, at their own desk, signs straight in.
    assert _sign_in(client, "qa.lead", PASSWORD, address="198.51.100.4").status_code == 302
    # And another account is not slowed by someone guessing at this one.
    client.post(reverse("accounts:logout"))
    for _ in range(10):
        _sign_in(client, "qa.lead", "guess", address="203.0.113.9")
    assert _sign_in(client, "director", PASSWORD, address="198.51.100.4").status_code == 302


def test_guesses_spread_over_many_addresses_slow_the_account_only_after_a_looser_limit(
    client, people, wall_clock, settings
):
    settings.LOGIN_FREE_FAILURES, settings.LOGIN_FREE_FAILURES_PER_ACCOUNT = 3, 20
    for n in range(20):
        _sign_in(client, "qa.lead", "guess", address=f"203.0.113.{n + 1}")
    page = _sign_in(client, "qa.lead", PASSWORD, address="198.51.100.4").content.decode()
    assert "Wait 1 second" in page
    wall_clock.advance(seconds=1)
    assert _sign_in(client, "qa.lead", PASSWORD, address="198.51.100.4").status_code == 302


def test_one_address_trying_many_accounts_is_slowed(client, people, settings):
    settings.LOGIN_FREE_FAILURES_PER_ADDRESS = 20
    for n in range(20):
        _sign_in(client, f"nobody.{n}", "guess", address="203.0.113.9")
    assert (
        "too many failed" in _sign_in(client, "director", PASSWORD, "203.0.113.9").content.decode()
    )
    assert _sign_in(client, "director", PASSWORD, address="198.51.100.4").status_code == 302


def test_failures_behind_a_trusted_proxy_count_against_the_browser_not_the_proxy(
    client, people, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.LOGIN_FREE_FAILURES = 3
    for _ in range(3):
        client.post(
            reverse("accounts:login"),
            {"username": "qa.lead", "password": "guess"},
            REMOTE_ADDR="10.0.0.5",
            HTTP_X_FORWARDED_FOR="203.0.113.9",
        )
    assert set(LoginAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    # Someone else behind the same proxy signs in at once.
    response = client.post(
        reverse("accounts:login"),
        {"username": "qa.lead", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )
    assert response.status_code == 302


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


@pytest.mark.parametrize(
    "password",
    [
        "aaaaaaaaaaaa",
        "abababababab",
        "111111111111",
        "abcdefghijkl",
        "123456789012",
        "password1234",
    ],
)
def test_a_new_password_cannot_be_a_repeat_a_run_or_a_common_one(client_for, people, password):
    client = client_for(people.social_worker)
    page = client.post(
        reverse("accounts:change_password"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    ).content.decode()
    assert "There is a problem" in page
    assert "govuk-error-message" in page
    assert "too easy to guess" in page or "too common" in page
    people.social_worker.refresh_from_db()
    assert people.social_worker.check_password(PASSWORD)


def test_a_strong_new_password_is_accepted(client_for, people):
    client = client_for(people.social_worker)
    response = client.post(
        reverse("accounts:change_password"),
        {
            "old_password": PASSWORD,
            "new_password1": "Kettle-Orbit-93",
            "new_password2": "Kettle-Orbit-93",
        },
    )
    assert response.status_code == 302


def test_a_blank_password_neither_counts_nor_clears_failures(client, people):
    for _ in range(2):
        _sign_in(client, "qa.lead", "guess")
    page = _sign_in(client, "qa.lead", "").content.decode()
    assert "Enter your password" in page
    assert LoginAttempt.objects.filter(username="qa.lead").count() == 2


def test_simultaneous_attempts_when_a_delay_ends_are_let_through_one_at_a_time(
    people, wall_clock, settings
):
    settings.LOGIN_FREE_FAILURES, settings.LOGIN_DELAY_SECONDS = 3, 1
    for _ in range(3):
        throttle.begin_attempt("qa.lead", "203.0.113.9")  # three wrong passwords
    wall_clock.advance(seconds=1)
    # A burst: the first is being checked when the second arrives, which must wait for it.
    throttle.begin_attempt("qa.lead", "203.0.113.9")
    with pytest.raises(throttle.Throttled) as refused:
        throttle.begin_attempt("qa.lead", "203.0.113.9")
    assert refused.value.seconds == 2
    assert LoginAttempt.objects.count() == 4  # the refusal is not recorded


def test_failures_are_forgotten_after_a_day(client, people, wall_clock, settings):
    settings.LOGIN_FAILURE_MEMORY_HOURS = 24
    for _ in range(10):
        _sign_in(client, "qa.lead", "guess")
    wall_clock.advance(seconds=24 * 3600 + 1)
    assert "not correct" in _sign_in(client, "director", "guess").content.decode()
    assert list(LoginAttempt.objects.values_list("username", flat=True)) == ["director"]
    assert _sign_in(client, "qa.lead", PASSWORD).status_code == 302
