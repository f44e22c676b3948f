import datetime

import pytest
from django.utils import timezone


class WallClock:
    """Real time, stopped: it moves only when a test says, so delays are tested without
    sleeping. Everything that reads ``timezone.now`` sees it (throttling, the time an attempt
    is stamped, authenticator codes, session expiry)."""

    def __init__(self, start: datetime.datetime):
        self.now = start

    def advance(self, *, seconds: float) -> None:
        self.now += datetime.timedelta(seconds=seconds)


@pytest.fixture
def wall_clock(monkeypatch):
    clock = WallClock(timezone.now())
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock
