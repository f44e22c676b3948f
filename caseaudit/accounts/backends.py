"""The two ways in: a local password (when turned on) and the council's identity provider."""

import operator
from functools import reduce

import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import Q
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from caseaudit.accounts import actions, sso
from caseaudit.accounts.models import User


class LocalPasswordBackend(ModelBackend):
    """Django's username and password, only while ``LOCAL_PASSWORDS`` is on: with it off no
    password signs anyone in, whichever form it is typed into."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.LOCAL_PASSWORDS:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's code flow, with caseaudit's checks of the ID token (sso.py) and
    its rule for who may sign in: an existing, active caseaudit account, matched by the
    provider's subject and tenant, or at its first sign-in linked by email.

    A refusal is recorded (sso.record_refusal) and the view shows why; ``authenticate``
    answers None for it, like any backend that does not recognise the person.
    """

    def __init__(self, *args, **kwargs):
        # The endpoints are read when someone signs in, not here: this backend is loaded for
        # every password sign-in too, and must not reach the provider then.
        self.UserModel = User

    def authenticate(self, request, **kwargs):
        # Only the callback view passes a nonce: a password sign-in (or anything else that
        # calls authenticate) never reaches the provider, whatever its query string says.
        if request is None or not sso.enabled() or "nonce" not in kwargs:
            return None
        if not (request.GET.get("code") and request.GET.get("state")):
            return None
        try:
            document = sso.endpoints()
            self.OIDC_OP_TOKEN_ENDPOINT = document["token_endpoint"]
            self.OIDC_OP_JWKS_ENDPOINT = document["jwks_uri"]
            self.OIDC_OP_USER_ENDPOINT = document.get("userinfo_endpoint")
            self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
            self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
            self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
            self.OIDC_RP_IDP_SIGN_KEY = None
            return super().authenticate(request, **kwargs)
        except sso.Refused as refusal:
            sso.record_refusal(request, refusal)
        except SuspiciousOperation as error:
            # mozilla-django-oidc's own refusals: no key in the provider's JWKS matches the
            # token's, or the token's algorithm is not ours.
            sso.record_refusal(request, sso.Refused(sso.BAD_SIGNATURE, str(error)))
        except requests.RequestException as error:
            sso.record_refusal(request, sso.Refused(sso.PROVIDER_ERROR, str(error)))
        return None

    def verify_token(self, token, **kwargs):
        if not isinstance(token, str) or not token:
            raise sso.Refused(sso.BAD_TOKEN, "the provider sent no ID token")
        key = self.retrieve_matching_jwk(token)
        return sso.check_claims(token, key, nonce=kwargs.get("nonce"))

    def get_userinfo(self, access_token, id_token, payload):
        # The checked ID token says all caseaudit needs (Entra's userinfo has no oid or tid).
        return payload

    def verify_claims(self, claims):
        sso.identity(claims)  # refuses a token without the claims that key a person
        return True

    def get_or_create_user(self, access_token, id_token, payload):
        claims = self.get_userinfo(access_token, id_token, payload)
        self.verify_claims(claims)
        tenant, subject = sso.identity(claims)
        person = sso.who(claims)
        with transaction.atomic():
            user = (
                User.objects.select_for_update()
                .filter(sso_tenant=tenant, sso_subject=subject)
                .first()
            )
            if user is None:
                user = self._link(claims, tenant, subject, person)
        if not user.is_active:
            raise sso.Refused(sso.CLOSED_ACCOUNT, f"user {user.pk}", who=person)
        return user

    def _link(self, claims, tenant: str, subject: str, person: str) -> User:
        """A first sign-in: the one active, not yet linked account with the token's email."""
        addresses = sso.emails(claims)
        if not addresses:
            raise sso.Refused(sso.UNKNOWN_PERSON, "no verified email to link by", who=person)
        matches = list(
            User.objects.select_for_update()
            .filter(is_active=True, sso_subject__isnull=True)
            .filter(reduce(operator.or_, (Q(email__iexact=a) for a in addresses)))
        )
        if not matches:
            raise sso.Refused(sso.UNKNOWN_PERSON, f"no account for {addresses}", who=person)
        if len({user.pk for user in matches}) > 1:
            raise sso.Refused(sso.AMBIGUOUS_PERSON, f"several accounts for {addresses}", who=person)
        user = matches[0]
        actions.link_single_sign_on(user, tenant=tenant, subject=subject)
        return user

    def get_user(self, user_id):
        # Django's, which refuses a closed account's session (mozilla-django-oidc's does not).
        return ModelBackend.get_user(self, user_id)

    def store_tokens(self, access_token, id_token):
        """caseaudit keeps no tokens: it asks the provider nothing after sign-in."""
