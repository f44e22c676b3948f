"""Signing in with the council's identity provider, through the real flow against a local
provider (oidc_provider.py): caseaudit → /authorize → back with a code → /token → ID token."""

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse

from caseaudit.accounts import actions, sso
from caseaudit.accounts.choices import AccessAction
from caseaudit.accounts.models import AccessLog, User
from caseaudit.accounts.tests import oidc_provider
from caseaudit.accounts.tests.oidc_provider import CLIENT_ID, TENANT
from caseaudit.conftest import PASSWORD
from caseaudit.core.models import ChangeRecord
from caseaudit.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

OID = "3f2504e0-4f89-11d3-9a0c-0305e82c3301"


@pytest.fixture
def provider(settings):
    running = oidc_provider.Provider()
    settings.OIDC_ISSUER = running.issuer
    settings.OIDC_DISCOVERY_URL = None
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider.CLIENT_SECRET
    settings.OIDC_ALLOWED_TENANTS = [TENANT]
    settings.SSO_ENABLED = True
    yield running
    running.stop()


@pytest.fixture
def qa_lead():
    return UserFactory(username="asha.patel", email="Asha.Patel@council.example.gov.uk")


def _entra_claims(**changes) -> dict:
    return {
        "oid": OID,
        "tid": TENANT,
        "sub": "pairwise-subject",
        "preferred_username": "asha.patel@council.example.gov.uk",
        "name": "Asha Patel",
        **changes,
    }


def _sign_in(client, provider, claims: dict, *, next_url: str = ""):
    """The browser's journey: our start page → the provider's /authorize → our callback."""
    provider.next_claims = claims
    start = reverse("accounts:sso_start") + (f"?next={next_url}" if next_url else "")
    to_provider = client.get(start)
    assert to_provider.status_code == 302
    authorize = to_provider["Location"]
    assert authorize.startswith(f"{provider.issuer}/authorize?")
    asked = parse_qs(urlsplit(authorize).query)
    assert asked["client_id"] == [CLIENT_ID]
    assert asked["state"][0] and asked["nonce"][0]
    back = requests.get(authorize, allow_redirects=False, timeout=10)
    assert back.status_code == 302
    callback = urlsplit(back.headers["Location"])
    assert callback.path == reverse("accounts:sso_callback")
    assert parse_qs(callback.query)["state"] == asked["state"]
    return client.get(callback.path, parse_qs(callback.query), REMOTE_ADDR="203.0.113.9")


def _signed_in_as(client):
    return client.session.get("_auth_user_id")


def _refusals():
    return list(AccessLog.objects.filter(action=AccessAction.DENIED, record_type=sso.RECORD_TYPE))


def test_a_linked_person_signs_in_and_it_is_logged(client, provider, qa_lead):
    qa_lead.sso_tenant, qa_lead.sso_subject = TENANT, OID
    qa_lead.email = "someone.else@council.example.gov.uk"  # matched by oid + tid alone
    qa_lead.save()
    response = _sign_in(client, provider, _entra_claims(), next_url="/audits/")
    assert response.status_code == 302
    assert response["Location"] == "/audits/"
    assert _signed_in_as(client) == str(qa_lead.pk)
    assert client.get(reverse("home")).status_code == 200
    entry = AccessLog.objects.get(action=AccessAction.SIGNED_IN)
    assert (entry.user, entry.record_type, entry.ip_address) == (
        qa_lead,
        sso.RECORD_TYPE,
        "203.0.113.9",
    )
    # The code went to the provider's token endpoint with our secret, once.
    assert len(provider.token_requests) == 1
    assert provider.token_requests[0]["client_secret"] == oidc_provider.CLIENT_SECRET
    assert _refusals() == []


def test_the_first_sign_in_links_the_account_by_email(client, provider, qa_lead):
    assert _sign_in(client, provider, _entra_claims()).status_code == 302
    assert _signed_in_as(client) == str(qa_lead.pk)
    qa_lead.refresh_from_db()
    assert (qa_lead.sso_tenant, qa_lead.sso_subject) == (TENANT, OID)
    # Afterwards the oid and tid are what count, not the email.
    client.logout()
    moved = _entra_claims(preferred_username="a.patel@newname.example.gov.uk")
    assert _sign_in(client, provider, moved).status_code == 302
    assert _signed_in_as(client) == str(qa_lead.pk)


def test_an_email_cannot_take_over_an_account_already_linked(client, provider, qa_lead):
    qa_lead.sso_tenant, qa_lead.sso_subject = TENANT, OID
    qa_lead.save()
    other = _entra_claims(oid="another-object-id")
    response = _sign_in(client, provider, other)
    assert response.status_code == 403
    assert _signed_in_as(client) is None
    assert [entry.record_id for entry in _refusals()] == [sso.UNKNOWN_PERSON]


def _assert_refused(client, response, reason: str, who: str = "", *, signed_in_before: int = 0):
    assert response.status_code == 403
    assert _signed_in_as(client) is None
    assert client.get(reverse("home")).status_code == 302  # back to sign in
    [entry] = _refusals()
    assert entry.record_id == reason
    assert entry.route.startswith(reverse("accounts:sso_callback"))
    assert entry.ip_address == "203.0.113.9"
    if who:
        assert entry.username == who
    assert AccessLog.objects.filter(action=AccessAction.SIGNED_IN).count() == signed_in_before
    # Logged once: the middleware that logs every 403 leaves this one to the view.
    assert AccessLog.objects.filter(action=AccessAction.DENIED).count() == 1


def test_a_token_for_another_application_is_refused(client, provider, qa_lead):
    response = _sign_in(client, provider, _entra_claims(aud="someone-elses-client"))
    _assert_refused(client, response, sso.WRONG_AUDIENCE, "asha.patel@council.example.gov.uk")
    assert "You could not be signed in" in response.content.decode()


def test_an_expired_token_is_refused(client, provider, qa_lead):
    long_ago = int(time.time()) - 3600
    claims = _entra_claims(iat=long_ago, nbf=long_ago, exp=long_ago + 300)
    _assert_refused(client, _sign_in(client, provider, claims), sso.EXPIRED)


def test_a_token_issued_in_the_future_is_refused(client, provider, qa_lead):
    later = int(time.time()) + 3600
    claims = _entra_claims(iat=later, nbf=None, exp=later + 300)
    _assert_refused(client, _sign_in(client, provider, claims), sso.NOT_YET_VALID)


def test_a_token_from_another_tenant_is_refused(client, provider, qa_lead):
    claims = _entra_claims(tid="a-tenant-we-do-not-trust")
    _assert_refused(client, _sign_in(client, provider, claims), sso.WRONG_TENANT)
    qa_lead.refresh_from_db()
    assert qa_lead.sso_subject is None


def test_a_token_from_another_issuer_is_refused(client, provider, qa_lead):
    claims = _entra_claims(iss="https://login.example.net/elsewhere/v2.0")
    _assert_refused(client, _sign_in(client, provider, claims), sso.WRONG_ISSUER)


def test_a_token_signed_with_another_key_is_refused(client, provider, qa_lead):
    provider.sign_with = oidc_provider.new_key()  # same key id, not the published key
    _assert_refused(client, _sign_in(client, provider, _entra_claims()), sso.BAD_SIGNATURE)


def test_a_token_for_another_sign_in_is_refused(client, provider, qa_lead):
    claims = _entra_claims(nonce="a-nonce-from-someone-elses-session")
    _assert_refused(client, _sign_in(client, provider, claims), sso.BAD_NONCE)


def test_someone_without_an_account_is_refused_and_told_who_to_ask(client, provider, qa_lead):
    claims = _entra_claims(oid="a-stranger", preferred_username="stranger@council.example.gov.uk")
    response = _sign_in(client, provider, claims)
    _assert_refused(client, response, sso.UNKNOWN_PERSON, "stranger@council.example.gov.uk")
    page = response.content.decode()
    assert "You do not have a caseaudit account" in page
    assert "ask your QA lead or administrator for an account" in page
    assert User.objects.count() == 1  # nobody was created


def test_a_closed_account_is_refused(client, provider, qa_lead):
    qa_lead.is_active = False
    qa_lead.sso_tenant, qa_lead.sso_subject = TENANT, OID
    qa_lead.save()
    response = _sign_in(client, provider, _entra_claims())
    _assert_refused(client, response, sso.CLOSED_ACCOUNT)
    assert "has been closed" in response.content.decode()


def test_a_callback_with_a_state_this_session_never_sent_is_refused(client, provider, qa_lead):
    client.get(reverse("accounts:sso_start"))  # a sign-in under way, with its own state
    response = client.get(
        reverse("accounts:sso_callback"),
        {"code": "stolen", "state": "forged"},
        REMOTE_ADDR="203.0.113.9",
    )
    _assert_refused(client, response, sso.BAD_STATE)


def test_another_provider_links_only_a_verified_email_and_keys_on_sub_and_issuer(
    client, provider, qa_lead, settings
):
    settings.OIDC_ALLOWED_TENANTS = []
    claims = {"sub": "generic-subject", "email": "asha.patel@council.example.gov.uk"}
    _assert_refused(client, _sign_in(client, provider, claims), sso.UNKNOWN_PERSON)
    verified = {**claims, "email_verified": True}
    assert _sign_in(client, provider, verified).status_code == 302
    qa_lead.refresh_from_db()
    assert (qa_lead.sso_tenant, qa_lead.sso_subject) == (provider.issuer, "generic-subject")


def test_an_entra_issuer_is_its_own_tenants(client, provider, qa_lead, settings):
    settings.OIDC_DISCOVERY_URL = f"{provider.issuer}/.well-known/openid-configuration"
    settings.OIDC_ISSUER = f"{provider.issuer}/{{tenantid}}/v2.0"
    ours = _entra_claims(iss=f"{provider.issuer}/{TENANT}/v2.0")
    assert _sign_in(client, provider, ours).status_code == 302
    client.logout()
    other_tenants = _entra_claims(iss=f"{provider.issuer}/another-tenant/v2.0")
    response = _sign_in(client, provider, other_tenants)
    _assert_refused(client, response, sso.WRONG_ISSUER, signed_in_before=1)


def test_the_sign_in_page_offers_the_council_account_when_configured(client, provider):
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with your council account" in page
    assert reverse("accounts:sso_start") in page
    assert 'name="password"' in page  # local passwords are on in development


def test_without_single_sign_on_nothing_changes(client, settings, qa_lead):
    settings.SSO_ENABLED = False
    page = client.get(reverse("accounts:login")).content.decode()
    assert "council account" not in page
    assert 'name="password"' in page
    assert client.get(reverse("accounts:sso_start")).status_code == 404
    assert client.get(reverse("accounts:sso_callback")).status_code == 404


def test_with_local_passwords_off_the_password_form_is_refused(client, provider, qa_lead, settings):
    settings.LOCAL_PASSWORDS = False
    page = client.get(reverse("accounts:login")).content.decode()
    assert "Sign in with your council account" in page
    assert 'name="password"' not in page
    response = client.post(
        reverse("accounts:login"), {"username": qa_lead.username, "password": PASSWORD}
    )
    assert response.status_code == 403
    assert _signed_in_as(client) is None
    entry = AccessLog.objects.get(action=AccessAction.DENIED)
    assert entry.route.startswith(reverse("accounts:login"))
    # Nor does a password work anywhere else (the admin's sign-in uses the same backends).
    assert not client.login(username=qa_lead.username, password=PASSWORD)


def test_a_provider_that_cannot_be_reached_is_a_refusal_not_an_error(
    client, provider, qa_lead, settings
):
    settings.OIDC_DISCOVERY_URL = "http://127.0.0.1:9/.well-known/openid-configuration"
    response = client.get(reverse("accounts:sso_start"))
    assert response.status_code == 503
    assert "cannot be reached" in response.content.decode()
    assert [entry.record_id for entry in _refusals()] == [sso.PROVIDER_UNAVAILABLE]


def test_linking_and_unlinking_keep_history(client, provider, qa_lead):
    administrator = UserFactory(username="admin.person", is_superuser=True, is_staff=True)
    _sign_in(client, provider, _entra_claims())
    linked = ChangeRecord.objects.filter(record_type="accounts.user", record_id=str(qa_lead.pk))
    assert [(entry.reason, entry.after) for entry in linked] == [
        ("Linked at their first single sign-on", {"single_sign_on": f"{TENANT} {OID}"})
    ]
    qa_lead.refresh_from_db()
    assert actions.unlink_single_sign_on(qa_lead, by=administrator)
    qa_lead.refresh_from_db()
    assert (qa_lead.sso_tenant, qa_lead.sso_subject) == (None, None)
    assert linked.all().count() == 2
    assert linked.all().latest("sequence").username == "admin.person"
    assert not actions.unlink_single_sign_on(qa_lead, by=administrator)


def test_the_admin_shows_the_link_and_can_undo_it(client, provider, qa_lead):
    administrator = UserFactory(username="admin.person", is_superuser=True, is_staff=True)
    qa_lead.sso_tenant, qa_lead.sso_subject = TENANT, OID
    qa_lead.save()
    client.force_login(administrator)
    change = reverse("admin:accounts_user_change", args=[qa_lead.pk])
    assert OID in client.get(change).content.decode()
    client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlink_single_sign_on", "_selected_action": [qa_lead.pk]},
    )
    qa_lead.refresh_from_db()
    assert qa_lead.sso_subject is None


def test_with_local_passwords_off_no_page_offers_a_password_or_code(client, qa_lead, settings):
    settings.LOCAL_PASSWORDS = False
    client.force_login(qa_lead)
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Change your password" not in page
    assert "Two-step sign-in" not in page
    for name in ("change_password", "two_step_on", "two_step_off"):
        assert client.get(reverse(f"accounts:{name}")).status_code == 403, name
    settings.LOCAL_PASSWORDS = True
    page = client.get(reverse("accounts:account")).content.decode()
    assert "Change your password" in page


def test_a_password_sign_in_never_reaches_the_provider(client, provider, qa_lead):
    # A code and state in the sign-in page's address are not a callback: the password decides.
    response = client.post(
        reverse("accounts:login") + "?code=some-code&state=some-state",
        {"username": qa_lead.username, "password": "not-the-password"},
    )
    assert response.status_code == 200
    assert provider.token_requests == []
    assert _refusals() == []
