import logging

from caseaudit.accounts.access import record_refusal

logger = logging.getLogger(__name__)


class RefusalLogMiddleware:
    """Every 403 goes in the access log, whoever refused it: a view's or the admin's
    PermissionDenied, a 403 a view answers itself, a failed CSRF check.

    Listed before the CSRF middleware so that its refusals pass through here too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # A refusal its view logged itself, with more to say (a refused single sign-on).
        if response.status_code == 403 and not getattr(request, "refusal_logged", False):
            try:
                record_refusal(request)
            except Exception:
                # The refusal stands whether or not it could be logged: never a 500 instead.
                logger.exception("Could not log a refusal of %s", request.path)
        return response
