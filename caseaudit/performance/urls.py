from django.urls import path

from caseaudit.performance import views

app_name = "performance"

urlpatterns = [
    path("", views.index, name="index"),
    # Before the indicators' <code>: "trackers" and "disproportionality" are not indicators.
    path("trackers/", views.trackers_overview, name="trackers"),
    path("disproportionality/", views.disproportionality_page, name="disproportionality"),
    path("trackers/import/", views.import_tracker_events, name="tracker_import"),
    path("trackers/<slug:code>/", views.tracker, name="tracker"),
    path("teams/<int:team_id>/", views.team, name="team"),
    path("<slug:code>/", views.indicator, name="indicator"),
    path("<slug:code>/teams/<int:team_id>/", views.team_children, name="team_children"),
]
