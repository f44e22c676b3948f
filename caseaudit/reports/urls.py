"""Highlight reports: included under reports/ in the "reports" namespace."""

from django.urls import path

from caseaudit.reports import kind_views, views

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
    # Thematic overview reports and select-committee packs (``reports.kinds``).
    path("<str:kind>/new/", kind_views.start, name="kind_start"),
    path("kinds/<int:pk>/draft/", kind_views.draft, name="kind_draft"),
    path(
        "kinds/<int:pk>/draft/download/<str:fmt>/",
        kind_views.draft_download,
        name="kind_draft_download",
    ),
    path("kinds/<int:pk>/publish/", kind_views.publish, name="kind_publish"),
    path("kinds/<int:pk>/publishing/", kind_views.publishing, name="kind_publishing"),
    path("kinds/<int:pk>/", kind_views.report, name="kind_report"),
    path("kinds/<int:pk>/download/<str:fmt>/", kind_views.download, name="kind_download"),
    path(
        "kinds/<int:pk>/internal/<str:fmt>/",
        kind_views.download_internal,
        name="kind_download_internal",
    ),
]
