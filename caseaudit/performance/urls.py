from django.urls import path

from caseaudit.performance import views

app_name = "performance"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:code>/", views.indicator, name="indicator"),
    path("<slug:code>/teams/<int:team_id>/", views.team_children, name="team_children"),
]
