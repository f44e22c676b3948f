"""Building audit tools (QA lead). Mounted at audits/tools/, where these pages have always been
(the tools were part of the audits app), so every address stays as it was."""

from django.urls import path

from caseaudit.tools import views

app_name = "tools"

urlpatterns = [
    path("", views.tool_list, name="tools"),
    path("new/", views.tool_create, name="tool_create"),
    path("<int:pk>/", views.tool_detail, name="tool"),
    path("<int:pk>/copy/", views.tool_copy, name="tool_copy"),
    path("<int:pk>/draft/", views.draft_start, name="tool_start_draft"),
    path("versions/<int:pk>/", views.version_detail, name="tool_version"),
    path("versions/<int:pk>/preview/", views.version_preview, name="tool_preview"),
    path("versions/<int:pk>/details/", views.version_details, name="tool_details"),
    path("versions/<int:pk>/order/", views.version_order, name="tool_order"),
    path("versions/<int:pk>/domains/new/", views.domain_add, name="tool_domain_add"),
    path("versions/<int:pk>/publish/", views.version_publish, name="tool_publish"),
    path("domains/<int:pk>/", views.domain_edit, name="tool_domain"),
    path("domains/<int:pk>/remove/", views.domain_remove, name="tool_domain_remove"),
    path("domains/<int:pk>/move/<slug:direction>/", views.domain_move, name="tool_domain_move"),
    path("domains/<int:pk>/descriptors/", views.descriptors_edit, name="tool_descriptors"),
    path("domains/<int:pk>/questions/new/", views.question_add, name="tool_question_add"),
    path("questions/<int:pk>/", views.question_edit, name="tool_question"),
    path("questions/<int:pk>/remove/", views.question_remove, name="tool_question_remove"),
    path(
        "questions/<int:pk>/move/<slug:direction>/", views.question_move, name="tool_question_move"
    ),
]
