from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.cache import add_never_cache_headers

from caseaudit.core import sessions


class HtmxMiddleware:
    """Sets ``request.htmx`` so one view can answer a full page or an htmx partial."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.htmx = request.headers.get("HX-Request") == "true"
        response = self.get_response(request)
        if request.htmx:
            response.headers.setdefault("Vary", "HX-Request")
        return response


class ContentSecurityPolicyMiddleware:
    """``CONTENT_SECURITY_POLICY`` on every response that does not set its own, and
    ``PERMISSIONS_POLICY`` (the browser features no page may use) on every response.

    The policy allows no inline script, so markup injected into a page cannot run. A view may
    send a stricter policy of its own (a report's downloadable HTML runs no script at all).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NoStoreForSignedInMiddleware:
    """Nothing served to a signed-in person is kept by the browser or a proxy.

    Child data can appear on almost any page, and in every download, so the rule is simply
    "signed in": a shared computer's back button or disk cache must not show a child's record
    after its user has gone. Static files never reach here (WhiteNoise serves them first) and
    keep their long caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class AbsoluteSessionLifetimeMiddleware:
    """Signs a person out once their session is older than ``SESSION_ABSOLUTE_HOURS``.

    Placed before ``LoginRequiredMiddleware``, which then sends them to sign in again and back
    to the page they asked for.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and sessions.has_expired(request.session):
            logout(request)
            hours = settings.SESSION_ABSOLUTE_HOURS
            lifetime = f"{hours} hour" if hours == 1 else f"{hours} hours"
            messages.info(
                request,
                f"You have been signed out because you signed in more than {lifetime} ago. "
                "Sign in again to carry on.",
            )
        return self.get_response(request)
