"""A signed-in session's absolute lifetime.

``SESSION_COOKIE_AGE`` is an idle timeout: every request renews it, so a session kept busy
(or a stolen cookie replayed every few minutes) would never end. This ends every session
``SESSION_ABSOLUTE_HOURS`` after its sign-in, whatever happens in between.
"""

import datetime

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from caseaudit.core import clock

SIGNED_IN_AT = "caseaudit_signed_in_at"


@receiver(user_logged_in, dispatch_uid="caseaudit.core.sessions.record_sign_in")
def record_sign_in(sender, request, user, **kwargs) -> None:
    """Every way in (the sign-in form, the admin's, a test's force_login) sends this signal."""
    if request is not None and hasattr(request, "session"):
        # The programme's clock (real time when serving), so a test can move time on.
        request.session[SIGNED_IN_AT] = clock.now().timestamp()


def has_expired(session) -> bool:
    """A session with no sign-in time began before the rule did: it ends too."""
    signed_in_at = session.get(SIGNED_IN_AT)
    if not isinstance(signed_in_at, int | float):
        return True
    lifetime = datetime.timedelta(hours=settings.SESSION_ABSOLUTE_HOURS)
    return clock.now().timestamp() - signed_in_at >= lifetime.total_seconds()
