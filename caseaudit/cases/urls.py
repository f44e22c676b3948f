from django.urls import path

from caseaudit.cases import views

app_name = "cases"

urlpatterns = [
    path("start/", views.start, name="start"),
    path("imports/", views.imports, name="imports"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/quality/", views.import_quality, name="import_quality"),
    path("quality/", views.quality, name="quality"),
    path("children/", views.children, name="children"),
    path("children/children.csv", views.children_csv, name="children_csv"),
    path("children/<int:pk>/", views.child_detail, name="child"),
    path("cohorts/", views.cohorts, name="cohorts"),
    path("cohorts/new/", views.cohort_new, name="cohort_new"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
]
