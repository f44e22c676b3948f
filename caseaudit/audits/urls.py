from django.urls import include, path

app_name = "audits"

urlpatterns = [
    path("programme/", include("caseaudit.audits.urls_programme")),
    path("compliance/", include("caseaudit.audits.urls_compliance")),
    path("", include("caseaudit.audits.urls_audit")),
]
