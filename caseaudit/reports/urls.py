"""Highlight reports: included under reports/ in the "reports" namespace."""

from django.urls import path

from caseaudit.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("highlight/new/", views.start, name="start"),
    path("highlight/<int:pk>/draft/", views.draft, name="draft"),
    path(
        "highlight/<int:pk>/draft/download/<str:fmt>/", views.draft_download, name="draft_download"
    ),
    path("highlight/<int:pk>/narrative/", views.narrative, name="narrative"),
    path("highlight/<int:pk>/exemplars/", views.exemplars, name="exemplars"),
    path("highlight/<int:pk>/exemplars/choose/", views.exemplar_choose, name="exemplar_choose"),
    path(
        "highlight/<int:pk>/exemplars/<int:exemplar>/remove/",
        views.exemplar_remove,
        name="exemplar_remove",
    ),
    path("highlight/<int:pk>/publish/", views.publish, name="publish"),
    path("highlight/<int:pk>/publishing/", views.publishing, name="publishing"),
    path("highlight/<int:pk>/", views.report, name="report"),
    path("highlight/<int:pk>/download/<str:fmt>/", views.download, name="download"),
    path(
        "highlight/<int:pk>/internal/<str:fmt>/",
        views.download_internal,
        name="download_internal",
    ),
]
