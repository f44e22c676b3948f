"""The audit programme (QA lead): included under audits/programme/ in the "audits" namespace."""

from django.urls import path

from caseaudit.audits.views import programme as views

urlpatterns = [
    path("", views.overview, name="programme"),
    path("months/new/", views.month_create, name="programme_month_create"),
    path("months/<int:pk>/", views.month_detail, name="programme_month"),
    path("months/<int:pk>/status/<slug:move>/", views.month_move, name="programme_month_move"),
    path("months/<int:pk>/draw/", views.sample_draw, name="programme_draw"),
    path("samples/<int:pk>/confirm/", views.sample_confirm, name="programme_confirm"),
    path("samples/cases/<int:pk>/swap/", views.case_swap, name="programme_swap"),
    path(
        "samples/<int:pk>/allocation/",
        views.allocation_preview,
        name="programme_allocation_preview",
    ),
    path("samples/<int:pk>/allocate/", views.sample_allocate, name="programme_allocate"),
    path("audits/<int:pk>/reallocate/", views.reallocate, name="programme_reallocate"),
]
