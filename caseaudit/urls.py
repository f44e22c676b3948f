from django.contrib import admin
from django.urls import include, path

from caseaudit.site import views as site_views

urlpatterns = [
    path("", site_views.home, name="home"),
    path("account/", include("caseaudit.accounts.urls")),
    path("organisation/", include("caseaudit.site.urls_organisation")),
    path("case-data/", include("caseaudit.cases.urls")),
    path("audits/tools/", include("caseaudit.tools.urls")),
    path("audits/", include("caseaudit.audits.urls")),
    path("thematic/", include("caseaudit.thematic.urls")),
    path("inspection/", include("caseaudit.inspection.urls")),
    path("reports/", include("caseaudit.reports.urls")),
    path("performance/", include("caseaudit.performance.urls")),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page says, signed in or not.
    path("favicon.ico", site_views.favicon, name="favicon"),
]

handler400 = "caseaudit.core.views.bad_request"
handler403 = "caseaudit.core.views.permission_denied"
handler404 = "caseaudit.core.views.page_not_found"
handler500 = "caseaudit.core.views.server_error"
