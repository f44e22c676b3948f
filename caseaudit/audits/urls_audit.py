from django.urls import path

from caseaudit.audits.views import audit

urlpatterns = [
    path("yours/", audit.your_audits, name="your_audits"),
    path("<int:pk>/", audit.audit_page, name="audit"),
    path("<int:pk>/save/", audit.save_audit, name="save"),
    path("<int:pk>/autosave/", audit.autosave, name="autosave"),
    path("<int:pk>/exemption/", audit.request_exemption, name="request_exemption"),
    path("<int:pk>/extension/", audit.request_extension, name="request_extension"),
    path("<int:pk>/cancel/", audit.cancel_audit, name="cancel"),
    path("requests/", audit.pending_requests, name="requests"),
    path("requests/exemptions/<int:pk>/", audit.decide_exemption, name="decide_exemption"),
    path("requests/extensions/<int:pk>/", audit.decide_extension, name="decide_extension"),
]
