from django.urls import path

from caseaudit.inspection import views

app_name = "inspection"

urlpatterns = [
    path("", views.index, name="index"),
    path("your-actions/", views.your_actions, name="your_actions"),
    path("actions/<int:action_pk>/", views.update_action, name="update_action"),
    path("new/", views.create, name="create"),
    path("mock/new/", views.create_mock, name="create_mock"),
    path("<int:pk>/mock/change/", views.edit_mock, name="edit_mock"),
    path("know-ourselves/<int:pk>/", views.know_ourselves, name="know_ourselves"),
    path("know-ourselves/<int:pk>/cohort/", views.area_cohort, name="area_cohort"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/judgements/", views.judgements, name="judgements"),
    path("<int:pk>/recommendations/new/", views.add_recommendation, name="add_recommendation"),
    path("<int:pk>/recommendations/", views.recommendations, name="recommendations"),
    path("recommendations/<int:pk>/", views.recommendation, name="recommendation"),
    path("recommendations/<int:pk>/actions/new/", views.add_action, name="add_action"),
    path("recommendations/<int:pk>/area/", views.map_recommendation, name="map_recommendation"),
    path(
        "recommendations/<int:pk>/evidence/<slug:kind>/", views.link_evidence, name="link_evidence"
    ),
]
