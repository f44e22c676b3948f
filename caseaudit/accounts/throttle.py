"""Login throttling: too many failures for one account or from one address locks them out
for a while. The wait applies even to the right password, so guessing gains nothing."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from caseaudit.accounts.models import LoginAttempt

THROTTLED_MESSAGE = (
    "There have been too many failed attempts to sign in. Wait {minutes} minutes, then try again."
)


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.LOGIN_THROTTLE_MINUTES)


def is_throttled(username: str, ip_address: str | None) -> bool:
    recent = LoginAttempt.objects.filter(at__gte=_window_start())
    by_account = recent.filter(username__iexact=username).count()
    by_address = recent.filter(ip_address=ip_address).count() if ip_address else 0
    return (
        by_account >= settings.LOGIN_FAILURES_PER_ACCOUNT
        or by_address >= settings.LOGIN_FAILURES_PER_ADDRESS
    )


def record_failure(username: str, ip_address: str | None) -> None:
    LoginAttempt.objects.create(username=username[:150], ip_address=ip_address)


def clear_failures(username: str) -> None:
    """After a successful sign-in, old failures for that account stop counting."""
    LoginAttempt.objects.filter(Q(username__iexact=username)).delete()


def throttled_message() -> str:
    return THROTTLED_MESSAGE.format(minutes=settings.LOGIN_THROTTLE_MINUTES)
