from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from caseaudit.accounts.access import log_list_access
from caseaudit.audits.models import Audit
from caseaudit.cases.models import Child
from caseaudit.core import guards
from caseaudit.site.home import home_context


@guards.open_to_signed_in
def home(request):
    context = home_context(request.user)
    if context["alerts"]:
        # The safeguarding banner names children by their IDs: a list like any other.
        log_list_access(request, Child, ids=[alert.audit.child_id for alert in context["alerts"]])
    # The queues name children by their audits: the audits on screen are logged as a list.
    shown = {item.audit_id for queue in context["queues"] for item in queue.items}
    shown.discard(None)
    if shown:
        log_list_access(request, Audit, ids=sorted(shown))
    return render(request, "site/home.html", context)


@login_not_required
@require_GET
def favicon(request):
    """Browsers ask for /favicon.ico whatever a page links, signed in or not: the icon's
    static file (its hashed name, in production), looked up when asked for."""
    return redirect(static("caseaudit/favicon.ico"), permanent=True)
