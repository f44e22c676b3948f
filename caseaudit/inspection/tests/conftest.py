"""An inspection shaped like seed 004's: a re-inspection under the single inspection framework
in 2018, its judgements and three of its recommendations, recorded through the actions."""

import datetime
from types import SimpleNamespace

import pytest

from caseaudit.inspection import actions
from caseaudit.inspection.choices import InspectionKind
from caseaudit.inspection.models import JudgementArea

STARTED = datetime.date(2018, 2, 26)


def area(name: str) -> JudgementArea:
    return JudgementArea.objects.get(council=None, name=name)


@pytest.fixture
def inspection(council, people):
    c = council.council
    done = actions.record_inspection(
        c,
        kind=InspectionKind.STANDARD,
        started_on=STARTED,
        ended_on=datetime.date(2018, 3, 22),
        published_on=datetime.date(2018, 5, 16),
        reference="SC-TEST-2018",
        by=people.qa_lead,
    )
    for name, grade in (
        ("Overall effectiveness", "inadequate"),
        ("Children who need help and protection", "inadequate"),
        ("Adoption performance", "good"),
    ):
        actions.record_judgement(done, area=area(name), grade=grade, by=people.qa_lead)
    help_and_protection = area("Children who need help and protection")
    recommendations = [
        actions.add_recommendation(
            done,
            number=number,
            text=text,
            area=help_and_protection,
            by=people.qa_lead,
        )
        for number, text in (
            (4, "Improve the quality of management oversight across all services."),
            (6, "Ensure initial child protection conferences are held promptly."),
            (10, "Improve the quality of assessments and plans for children."),
        )
    ]
    return SimpleNamespace(inspection=done, recommendations=recommendations)
