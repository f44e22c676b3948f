from django.urls import path

from caseaudit.audits.views import audit, followup

urlpatterns = [
    path("yours/", audit.your_audits, name="your_audits"),
    path("yours/audits.csv", audit.your_audits_csv, name="your_audits_csv"),
    path("<int:pk>/", audit.audit_page, name="audit"),
    path("<int:pk>/part/<int:number>/", audit.part_page, name="part"),
    path("<int:pk>/check/", audit.check_answers, name="check"),
    path("<int:pk>/submitted/", audit.submitted, name="submitted"),
    # The single-page form posted here; its address now leads to the task list.
    path("<int:pk>/save/", audit.old_form, name="save"),
    path("<int:pk>/autosave/", audit.autosave, name="autosave"),
    path("<int:pk>/exemption/", audit.request_exemption, name="request_exemption"),
    path("<int:pk>/extension/", audit.request_extension, name="request_extension"),
    path("<int:pk>/cancel/", audit.cancel_audit, name="cancel"),
    path("<int:pk>/alert/", followup.raise_alert, name="raise_alert"),
    path("<int:pk>/actions/new/", followup.add_action, name="add_action"),
    path("<int:pk>/reflection/", followup.record_reflection, name="reflection"),
    path(
        "<int:pk>/reflection/response/",
        followup.respond_to_reflection,
        name="reflection_response",
    ),
    path("<int:pk>/feedback/new/", followup.add_feedback, name="add_feedback"),
    path("alerts/", followup.alerts, name="alerts"),
    path("alerts/<int:pk>/", followup.alert, name="alert"),
    path("practice-actions/", followup.practice_actions, name="practice_actions"),
    path("practice-actions/<int:pk>/", followup.practice_action, name="practice_action"),
    path("requests/", audit.pending_requests, name="requests"),
    path("requests/exemptions/<int:pk>/", audit.decide_exemption, name="decide_exemption"),
    path("requests/extensions/<int:pk>/", audit.decide_extension, name="decide_extension"),
]
