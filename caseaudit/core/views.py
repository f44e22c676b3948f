"""Error pages in the GOV.UK style. Never a stack trace, whatever DEBUG says in production."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


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
}


def _page(status: int, title: str) -> dict:
    return {"status": status, "title": title, "message": MESSAGES[status]}
