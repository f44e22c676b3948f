from django.urls import path

from caseaudit.site import organisation as views

app_name = "organisation"

urlpatterns = [
    path("", views.index, name="index"),
    path("areas/<int:pk>/", views.area_detail, name="area"),
    path("services/<int:pk>/", views.service_detail, name="service"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("workers/<int:pk>/", views.worker_detail, name="worker"),
]
