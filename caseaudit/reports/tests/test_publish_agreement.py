"""The draft page offers "Publish this report" exactly when publishing would go through: both
ask ``reports.permissions.PUBLISH_REPORT``."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from caseaudit.reports import actions
from caseaudit.reports.models import HighlightReport
from caseaudit.reports.tests.conftest import MAR

pytestmark = pytest.mark.django_db
PERSONAS = (
    "qa_lead",
    "north_manager",
    "social_worker",
    "area_lead",
    "director",
    "councillor",
    "administrator",
    "outsider",
)


class _RolledBack(Exception):
    pass


def _publishes(report, user) -> bool:
    try:
        with transaction.atomic():
            actions.publish_report(HighlightReport.objects.get(pk=report.pk), by=user)
            raise _RolledBack
    except _RolledBack:
        return True
    except (PermissionDenied, ValidationError):
        return False


@pytest.mark.parametrize("already_published", [False, True])
def test_the_draft_page_offers_publishing_when_publishing_goes_through(
    client_for, council, people, programme, already_published
):
    report = actions.start_report(council.council, from_month=MAR, to_month=MAR, by=people.qa_lead)
    if already_published:
        actions.publish_report(report, by=people.qa_lead)
    publish = reverse("reports:publish", args=[report.pk])
    disagreements = []
    for persona in PERSONAS:
        user = getattr(people, persona)
        response = client_for(user).get(reverse("reports:draft", args=[report.pk]))
        offered = response.status_code == 200 and publish in response.content.decode()
        allowed = _publishes(report, user)
        if offered != allowed:
            disagreements.append(f"{persona}: offered={offered} allowed={allowed}")
    assert disagreements == []
