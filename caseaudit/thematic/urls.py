from django.urls import path

from caseaudit.thematic import views

app_name = "thematic"

urlpatterns = [
    path("", views.index, name="index"),
    path("forward-plan/", views.forward_plan, name="forward_plan"),
    path("new/", views.create, name="create"),
    path("your-actions/", views.your_actions, name="your_actions"),
    path("actions/<int:action_pk>/", views.update_action, name="update_action"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/change/", views.edit, name="edit"),
    path("<int:pk>/sample/", views.draw, name="draw"),
    path("<int:pk>/sample/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/allocate/", views.allocate, name="allocate"),
    path("<int:pk>/move-on/", views.move_on, name="move_on"),
    path("<int:pk>/consultations/new/", views.add_consultation, name="add_consultation"),
    path("<int:pk>/findings/new/", views.add_finding, name="add_finding"),
    path("<int:pk>/findings/<int:finding_pk>/move/", views.move_finding, name="move_finding"),
    path(
        "<int:pk>/findings/<int:finding_pk>/dismiss/", views.dismiss_finding, name="dismiss_finding"
    ),
    path("<int:pk>/findings/<int:finding_pk>/assign/", views.assign_finding, name="assign_finding"),
    path("<int:pk>/findings/<int:finding_pk>/theme/", views.finding_theme, name="finding_theme"),
    path("<int:pk>/recommendations/new/", views.add_recommendation, name="add_recommendation"),
    path("<int:pk>/actions/new/", views.add_action, name="add_action"),
    path("<int:pk>/action-plan.<str:fmt>", views.export_plan, name="export_plan"),
]
