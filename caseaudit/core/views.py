"""Error pages in the GOV.UK style. Never a stack trace, whatever DEBUG says in production."""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

logger = logging.getLogger(__name__)


def bad_request(request, exception=None):
    return render(request, "core/error.html", _page(400, "Sorry, there is a problem"), status=400)


def permission_denied(request, exception=None):
    return render(
        request, "core/error.html", _page(403, "You do not have access to this page"), status=403
    )


def page_not_found(request, exception=None):
    return render(request, "core/error.html", _page(404, "Page not found"), status=404)


def server_error(request):
    # Rendered without the request context: whatever broke may be in it.
    template = loader.get_template("core/500.html")
    # Django calls this while handling the exception, from a view or a middleware (the
    # session's, say, when the database is the first thing to fail): the exception is here.
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        # The database has gone away (restarted, failed over, the network between): a page
        # that says so, and a status that tells a proxy and autosave.js to try again.
        logger.error("The database could not be reached", exc_info=sys.exc_info())
        page = _page(503, "Sorry, the service is unavailable")
        return HttpResponse(template.render(page), status=503, headers={"Retry-After": "30"})
    return HttpResponseServerError(
        template.render(_page(500, "Sorry, there is a problem with the service"))
    )


MESSAGES = {
    400: "The request could not be understood. Go back and try again.",
    403: "If you think you should be able to see this page, contact your QA lead.",
    404: (
        "If you typed the web address, check it is correct. If you followed a link, the page "
        "may have moved or you may not have access to it."
    ),
    500: "Try again later. If the problem continues, contact your system administrator.",
    503: (
        "The service cannot reach its database just now. What you had saved is safe, and "
        "answers typed into an audit are kept in this browser until they are saved. Try again "
        "in a few minutes. If it goes on, contact your system administrator."
    ),
}


def _page(status: int, title: str) -> dict:
    return {"status": status, "title": title, "message": MESSAGES[status]}
