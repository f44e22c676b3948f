"""Compliance and moderation: included under audits/compliance/ in the "audits" namespace."""

from django.urls import path

from caseaudit.audits.views import compliance as views

urlpatterns = [
    path("", views.compliance, name="compliance"),
    path("compliance.csv", views.compliance_csv, name="compliance_csv"),
    path("moderation/", views.moderation, name="moderation"),
    path("moderation/moderation.csv", views.moderation_csv, name="moderation_csv"),
    path("moderation/choose/", views.moderation_choose, name="moderation_choose"),
    path("moderation/agreement/", views.agreement, name="moderation_agreement"),
    path("moderation/audits/<int:pk>/", views.moderation_audit, name="moderation_audit"),
]
