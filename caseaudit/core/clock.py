"""The time the programme's actions act at.

Normally "now". The demo council replays years of audit programme through the real actions,
so it sets the clock to each day of that history in turn: every date an action stamps
(allocated, submitted, decided, raised…) then falls when it would have happened. The
hash-chained history keeps the real time it was written, so the audit trail never lies.
"""

import contextlib
import contextvars
import datetime

from django.utils import timezone

_set_to: contextvars.ContextVar[datetime.datetime | None] = contextvars.ContextVar(
    "caseaudit_clock", default=None
)


def now() -> datetime.datetime:
    return _set_to.get() or timezone.now()


def today() -> datetime.date:
    return timezone.localdate(now())


@contextlib.contextmanager
def set_to(moment: datetime.datetime | datetime.date):
    """Act as if it were ``moment`` (a date means 10 in the morning, local time)."""
    if not isinstance(moment, datetime.datetime):
        moment = timezone.make_aware(datetime.datetime.combine(moment, datetime.time(10)))
    token = _set_to.set(moment)
    try:
        yield moment
    finally:
        _set_to.reset(token)
