from django.urls import include, path

app_name = "audits"

urlpatterns = [
    path("programme/", include("caseaudit.audits.urls.programme")),
    path("compliance/", include("caseaudit.audits.urls.compliance")),
    path("", include("caseaudit.audits.urls.audit")),
]
