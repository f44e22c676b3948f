"""Two-step sign-in for local accounts: a code from an authenticator app (TOTP, RFC 6238)
after the password. Optional: each person turns it on from their account page.

The secret lives on the user (``totp_secret``; empty means off). While a person enrols, the
new secret waits in their session and only reaches the database once they have typed a code
it produced, so a half-finished enrolment cannot lock them out. After that it is never shown
again: turning it off and on makes a new one.

Each code is good for its 30-second step and one step either side (clocks on phones drift),
and only once: ``totp_last_step`` records the newest step used, and a conditional UPDATE
claims a step, so a code seen over someone's shoulder or replayed by two requests at once is
refused.
"""

import datetime

import pyotp
import segno
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from caseaudit.accounts import throttle
from caseaudit.accounts.models import User
from caseaudit.core.history import record_change

# One step either side of now.
DRIFT_STEPS = 1
WRONG_CODE = "The code is not correct, or it has already been used. Enter the current code."


def is_enabled(user) -> bool:
    return bool(getattr(user, "totp_secret", ""))


def new_secret() -> str:
    return pyotp.random_base32()


def grouped(secret: str) -> str:
    """The secret in groups of four, as authenticator apps show it, for typing in by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _issuer() -> str:
    return settings.COUNCIL_NAME or settings.SERVICE_NAME


def qr_code_data_uri(user, secret: str) -> str:
    """The setup link as a QR code: an SVG data URI, which an <img> can show under a strict
    Content-Security-Policy (images from 'self' and data:)."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.get_username(), issuer_name=_issuer())
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _matching_step(secret: str, code: str) -> int | None:
    code = "".join(code.split())
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = timezone.now()
    current = totp.timecode(now)
    for offset in range(-DRIFT_STEPS, DRIFT_STEPS + 1):
        step = current + offset
        moment = now + datetime.timedelta(seconds=offset * totp.interval)
        if pyotp.utils.strings_equal(totp.at(moment), code):
            return step
    return None


def use_code(user: User, code: str) -> bool:
    """True if ``code`` is right for ``user`` and no code from that step or a later one has
    been used; the step is then spent."""
    if not is_enabled(user):
        return False
    step = _matching_step(user.totp_secret, code)
    if step is None:
        return False
    claimed = (
        User.objects.filter(pk=user.pk, totp_secret=user.totp_secret)
        .filter(Q(totp_last_step__isnull=True) | Q(totp_last_step__lt=step))
        .update(totp_last_step=step)
    )
    return bool(claimed)


def _check_code(user: User, code: str, address: str | None) -> None:
    """Wrong codes are throttled exactly like wrong passwords, as failures of the same
    account (a session left open must not be a way to guess them); the right one clears
    them."""
    try:
        throttle.begin_attempt(user.get_username(), address)
    except throttle.Throttled as refusal:
        raise ValidationError({"code": str(refusal)}, code="throttled") from None
    if not use_code(user, code):
        raise ValidationError({"code": WRONG_CODE})  # the attempt stands as a failure
    throttle.clear_failures(user.get_username())


def sign_in_with_code(user: User, code: str, *, address: str | None) -> None:
    """The second step of signing in."""
    _check_code(user, code, address)


@transaction.atomic
def enable(user: User, *, secret: str, code: str) -> None:
    """Turn two-step sign-in on with ``secret``, once the person shows their app has it."""
    if is_enabled(User.objects.get(pk=user.pk)):
        raise ValidationError("Two-step sign-in is already on.")
    step = _matching_step(secret, code)
    if step is None:
        raise ValidationError({"code": WRONG_CODE})
    User.objects.filter(pk=user.pk).update(totp_secret=secret, totp_last_step=step)
    user.totp_secret, user.totp_last_step = secret, step
    record_change(user, by=user, action="changed", after={"two_step": "on"})


def disable(user: User, *, code: str, address: str | None) -> None:
    """Turn it off: only with a current code, so a session left open is not enough."""
    _check_code(user, code, address)  # outside the transaction: a wrong code stays counted
    with transaction.atomic():
        _clear(user)
        record_change(user, by=user, action="changed", before={"two_step": "on"}, after={})


@transaction.atomic
def reset(user: User, *, by) -> None:
    """An administrator turns it off for someone who has lost their phone."""
    _clear(user)
    record_change(
        user, by=by, action="changed", before={"two_step": "on"}, after={}, reason="Reset"
    )


def _clear(user: User) -> None:
    User.objects.filter(pk=user.pk).update(totp_secret="", totp_last_step=None)  # nosec B106 # clearing the secret
    user.totp_secret, user.totp_last_step = "", None
