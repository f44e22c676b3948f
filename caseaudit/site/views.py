from django.shortcuts import render

from caseaudit.accounts.access import log_list_access
from caseaudit.cases.models import Child
from caseaudit.core import guards
from caseaudit.site.home import home_context


@guards.open_to_signed_in
def home(request):
    context = home_context(request.user)
    if context["alerts"]:
        # The safeguarding banner names children by their IDs: a list like any other.
        log_list_access(request, Child, ids=[alert.audit.child_id for alert in context["alerts"]])
    return render(request, "site/home.html", context)
