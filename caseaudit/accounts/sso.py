"""Single sign-on through the council's identity provider (OpenID Connect; Entra ID).

The flow is mozilla-django-oidc's (views.py and backends.py subclass it): caseaudit sends the
person to the provider, the provider sends them back with a code, and caseaudit exchanges the
code for an ID token at the provider's token endpoint. Here: where the endpoints are (the
provider's discovery document), the checks every ID token must pass, and the record of each
refusal.

A token is believed only if its signature verifies against the provider's published keys
(JWKS), its issuer is the configured one, its audience is our client id, it has not expired
and was not issued in the future (each with ``OIDC_LEEWAY_SECONDS``), its nonce is the one
this browser's session sent, and (for Entra) its tenant is one of ``OIDC_ALLOWED_TENANTS``.
"""

import logging
import threading

import jwt
import requests
from django.conf import settings
from django.http import HttpRequest

from caseaudit.accounts.access import client_ip
from caseaudit.accounts.choices import AccessAction
from caseaudit.accounts.models import AccessLog

logger = logging.getLogger(__name__)

# What the access log calls a sign-in through the provider, in record_type.
RECORD_TYPE = "single sign-on"

# Why a sign-in was refused: the access log's record_id, and the page's wording.
WRONG_AUDIENCE = "wrong-audience"
EXPIRED = "expired"
NOT_YET_VALID = "issued-in-future"
WRONG_ISSUER = "wrong-issuer"
WRONG_TENANT = "wrong-tenant"
BAD_SIGNATURE = "bad-signature"
BAD_NONCE = "bad-nonce"
BAD_TOKEN = "bad-token"  # noqa: S105 (a reason, not a secret) # nosec B105
MISSING_CLAIMS = "missing-claims"
UNKNOWN_PERSON = "unknown-person"
AMBIGUOUS_PERSON = "ambiguous-person"
CLOSED_ACCOUNT = "closed-account"
PROVIDER_UNAVAILABLE = "provider-unavailable"
PROVIDER_ERROR = "provider-error"
BAD_STATE = "bad-state"


class Refused(Exception):
    """A sign-in through the provider that must not go ahead, and why (one of the above)."""

    def __init__(self, reason: str, detail: str = "", *, who: str = ""):
        self.reason = reason
        self.who = who
        super().__init__(f"{reason}: {detail}" if detail else reason)


def enabled() -> bool:
    return bool(settings.SSO_ENABLED)


def entra() -> bool:
    """Entra ID: people are keyed on oid + tid, and only the listed tenants may sign in."""
    return bool(settings.OIDC_ALLOWED_TENANTS)


def discovery_url() -> str:
    if settings.OIDC_DISCOVERY_URL:
        return settings.OIDC_DISCOVERY_URL
    issuer = settings.OIDC_ISSUER
    if "{tenantid}" in issuer:
        # A multi-tenant Entra issuer: the first allowed tenant's document has the endpoints
        # (the same for every tenant of the same cloud).
        issuer = issuer.replace("{tenantid}", settings.OIDC_ALLOWED_TENANTS[0])
    return issuer.rstrip("/") + "/.well-known/openid-configuration"


_discovered: dict[str, dict] = {}
_discovered_lock = threading.Lock()


def endpoints() -> dict:
    """The provider's discovery document, fetched once per process."""
    url = discovery_url()
    with _discovered_lock:
        if url not in _discovered:
            try:
                response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
                response.raise_for_status()
                document = response.json()
                for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                    if not isinstance(document.get(key), str):
                        raise ValueError(f"the discovery document has no {key}")
            except (requests.RequestException, ValueError) as error:
                raise Refused(PROVIDER_UNAVAILABLE, f"discovery at {url}: {error}") from error
            _discovered[url] = document
        return _discovered[url]


def expected_issuer(claims: dict) -> str:
    issuer = settings.OIDC_ISSUER
    if "{tenantid}" in issuer:
        return issuer.replace("{tenantid}", str(claims.get("tid", "")))
    return issuer


def identity(claims: dict) -> tuple[str, str]:
    """(tenant, subject): the key caseaudit stores for a person, from a checked token."""
    if entra():
        tenant, subject = claims.get("tid"), claims.get("oid")
    else:
        tenant, subject = claims.get("iss"), claims.get("sub")
    if not (isinstance(tenant, str) and tenant and isinstance(subject, str) and subject):
        needed = "oid and tid" if entra() else "sub and iss"
        raise Refused(MISSING_CLAIMS, f"the token has no {needed}")
    return tenant, subject


def emails(claims: dict) -> list[str]:
    """The addresses a first sign-in may be linked by. Another provider's email only when it
    says it has verified it; Entra's email or preferred_username within an allowed tenant
    (the tenant vouches for its own accounts)."""
    if entra():
        found = [claims.get("email"), claims.get("preferred_username")]
    else:
        found = [claims.get("email")] if claims.get("email_verified") is True else []
    return [value for value in found if isinstance(value, str) and "@" in value]


def who(claims: dict) -> str:
    """Who the token says the person is, for the access log."""
    for key in ("preferred_username", "email", "oid", "sub"):
        if isinstance(claims.get(key), str) and claims[key]:
            return claims[key][:150]
    return ""


def check_claims(token: str, key, *, nonce: str | None) -> dict:
    """The token's claims if every check passes; otherwise ``Refused`` with the reason."""
    unverified = _unverified_claims(token)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=[settings.OIDC_RP_SIGN_ALGO],
            audience=settings.OIDC_RP_CLIENT_ID,
            leeway=settings.OIDC_LEEWAY_SECONDS,
            options={"require": ["iss", "aud", "exp", "iat"], "verify_iss": False},
        )
    except jwt.InvalidSignatureError as error:
        raise Refused(BAD_SIGNATURE, str(error), who=who(unverified)) from error
    except jwt.InvalidAudienceError as error:
        raise Refused(WRONG_AUDIENCE, str(error), who=who(unverified)) from error
    except jwt.ExpiredSignatureError as error:
        raise Refused(EXPIRED, str(error), who=who(unverified)) from error
    except (jwt.ImmatureSignatureError, jwt.InvalidIssuedAtError) as error:
        raise Refused(NOT_YET_VALID, str(error), who=who(unverified)) from error
    except jwt.MissingRequiredClaimError as error:
        raise Refused(MISSING_CLAIMS, str(error), who=who(unverified)) from error
    except jwt.InvalidTokenError as error:
        raise Refused(BAD_TOKEN, str(error), who=who(unverified)) from error
    person = who(claims)
    # With more than one audience, the party it was issued to must be us (OIDC Core 3.1.3.7).
    audience = claims["aud"]
    if isinstance(audience, list) and len(audience) > 1:
        if claims.get("azp") != settings.OIDC_RP_CLIENT_ID:
            raise Refused(WRONG_AUDIENCE, "issued to another party", who=person)
    if entra() and claims.get("tid") not in settings.OIDC_ALLOWED_TENANTS:
        raise Refused(WRONG_TENANT, f"tenant {claims.get('tid')!r}", who=person)
    if claims["iss"] != expected_issuer(claims):
        raise Refused(WRONG_ISSUER, f"issuer {claims['iss']!r}", who=person)
    if nonce is None or claims.get("nonce") != nonce:
        raise Refused(BAD_NONCE, "the nonce is not this session's", who=person)
    return claims


def _unverified_claims(token: str) -> dict:
    try:
        return jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError:
        return {}


def record_refusal(request: HttpRequest, refusal: Refused) -> None:
    """A refused sign-in goes in the access log (who the provider said it was, and why), the
    same log every other refusal is in, and in the server's log with the detail."""
    logger.warning("Single sign-on refused: %s (%s)", refusal, refusal.who or "unknown")
    match = getattr(request, "resolver_match", None)
    route = request.path[:450]
    if match and match.view_name:
        route = f"{route} ({match.view_name})"
    AccessLog.append(
        user=None,
        username=refusal.who,
        action=AccessAction.DENIED,
        record_type=RECORD_TYPE,
        record_id=refusal.reason,
        route=route,
        ip_address=client_ip(request),
    )
    # The refusal page answers 403: RefusalLogMiddleware need not log it a second time.
    request.refusal_logged = True
    request.sso_refusal = refusal.reason


def record_sign_in(request: HttpRequest, user) -> None:
    match = getattr(request, "resolver_match", None)
    route = request.path[:450]
    if match and match.view_name:
        route = f"{route} ({match.view_name})"
    AccessLog.append(
        user=user,
        username=user.get_username(),
        action=AccessAction.SIGNED_IN,
        record_type=RECORD_TYPE,
        record_id=str(user.pk),
        route=route,
        ip_address=client_ip(request),
    )
