"""Previewing a tool version as the person filling it in will see it.

A tool does not know how it is filled in: the monthly programme (``audits``) shows it as its
audit form, and thematic audits may show it their own way. ``audits`` builds on ``tools``, never
the reverse, so the tool pages cannot import that form: the app that fills tools in registers
its preview here from its ``AppConfig.ready`` and the tool pages' preview calls it.
"""

from collections.abc import Callable

from django.http import Http404, HttpRequest, HttpResponse

from caseaudit.tools.models import ToolVersion

Preview = Callable[[HttpRequest, ToolVersion], HttpResponse]

_preview: Preview | None = None


def register_preview(preview: Preview) -> Preview:
    """Register how a version is previewed (from an app's ``ready``); usable as a decorator."""
    global _preview
    _preview = preview
    return preview


def render(request: HttpRequest, version: ToolVersion) -> HttpResponse:
    if _preview is None:
        raise Http404("Nothing here fills in audit tools, so there is nothing to preview.")
    return _preview(request, version)
