from django.urls import path  # noqa: F401

# The audit pages themselves (your audits, the audit form, requests) arrive with the workflow.
urlpatterns: list = []
