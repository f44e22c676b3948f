"""Sign-in throttling: progressive delays, never a lock.

After a few failures, each further attempt has to wait a delay that doubles with every
failure (1, 2, 4 … seconds, capped at a few minutes), counted from the last failure. An
attempt made during the delay is refused without checking the password and is not counted,
so hammering gains nothing and costs nothing; once the delay has passed the right password
signs in. At the cap that is a dozen guesses an hour, and nobody can lock a person out.

Three counts, each with its own allowance before delays start:

- this account from this address (``LOGIN_FREE_FAILURES``, small): the person who mistypes,
  or one attacker guessing one account;
- this account from anywhere (``LOGIN_FREE_FAILURES_PER_ACCOUNT``, larger): an attacker
  spreading guesses over many addresses still ends up slowed;
- this address for any account (``LOGIN_FREE_FAILURES_PER_ADDRESS``): one address trying many
  accounts.

Keying the tight delay by account *and* address means someone guessing at a colleague's
account from their own machine delays only themselves; the account-wide count starts late
and is capped at ``LOGIN_MAX_DELAY_SECONDS``, so the most a distributed attacker can do to
the real person is make them wait that long between tries. Failures are kept in the database
so every app process behind the load balancer sees the same counts. Codes for two-step
sign-in count here too, as failures of the same account.
"""

import datetime
import math

from django.conf import settings
from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from caseaudit.accounts.models import LoginAttempt

# 2**20 seconds is far beyond any sensible cap: no need to compute larger powers.
_MAX_DOUBLINGS = 20


def _delay(failures: int, allowed: int) -> int:
    """Seconds to wait after ``failures`` when ``allowed`` are free (0 while within them)."""
    if failures < allowed:
        return 0
    doublings = min(failures - allowed, _MAX_DOUBLINGS)
    return min(settings.LOGIN_DELAY_SECONDS * 2**doublings, settings.LOGIN_MAX_DELAY_SECONDS)


def _forgotten_before() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=settings.LOGIN_FAILURE_MEMORY_HOURS)


def _counts(username: str, address: str | None) -> list[tuple[QuerySet, int]]:
    recent = LoginAttempt.objects.filter(at__gte=_forgotten_before())
    account = recent.filter(username__iexact=username)
    pair = account.filter(ip_address=address) if address else account.filter(ip_address=None)
    counts = [
        (pair, settings.LOGIN_FREE_FAILURES),
        (account, settings.LOGIN_FREE_FAILURES_PER_ACCOUNT),
    ]
    if address:
        counts.append((recent.filter(ip_address=address), settings.LOGIN_FREE_FAILURES_PER_ADDRESS))
    return counts


def seconds_to_wait(username: str, address: str | None, *, before: int | None = None) -> int:
    """How long before another attempt for ``username`` from ``address`` may be checked,
    counting only the attempts recorded before attempt ``before`` (by id), if given."""
    now = timezone.now()
    wait = 0
    for failures, allowed in _counts(username, address):
        if before is not None:
            failures = failures.filter(pk__lt=before)
        seen = failures.aggregate(count=Count("pk"), last=Max("at"))
        delay = _delay(seen["count"], allowed)
        if delay:
            until = seen["last"] + datetime.timedelta(seconds=delay)
            wait = max(wait, math.ceil((until - now).total_seconds()))
    return wait


class Throttled(Exception):
    def __init__(self, seconds: int):
        self.seconds = seconds
        super().__init__(throttled_message(seconds))


def begin_attempt(username: str, address: str | None) -> LoginAttempt:
    """Record this attempt as a failure *before* the password or code is checked, then judge
    it by the attempts recorded before it. Checking first and recording after would let a
    burst of simultaneous requests all pass the check when a delay ends; this way each sees
    the ones ahead of it, so only as many as the delays allow go on to be checked.

    Raises ``Throttled`` while a delay runs, and the attempt is taken back: a refusal is not
    a failure. Otherwise the caller checks the password and, if right, calls
    ``clear_failures`` (or ``withdraw``); if wrong, the record stands as the failure.
    """
    # Failures past remembering are dropped here, so the table stays small under attack.
    LoginAttempt.objects.filter(at__lt=_forgotten_before()).delete()
    attempt = LoginAttempt.objects.create(username=username[:150], ip_address=address)
    wait = seconds_to_wait(username, address, before=attempt.pk)
    if wait:
        attempt.delete()
        raise Throttled(wait)
    return attempt


def withdraw(attempt: LoginAttempt) -> None:
    """Neither failure nor success: the password was right and a code is still owed."""
    attempt.delete()


def clear_failures(username: str) -> None:
    """After a successful sign-in the account's earlier failures stop counting, from every
    address: the person has shown they hold the password, so a mistyping colleague's or
    attacker's tries no longer slow them."""
    LoginAttempt.objects.filter(username__iexact=username).delete()


def throttled_message(seconds: int) -> str:
    if seconds < 60:
        wait = f"{seconds} second{'s' if seconds != 1 else ''}"
    else:
        minutes = math.ceil(seconds / 60)
        wait = f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"There have been too many failed attempts to sign in. Wait {wait}, then try again."
