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


@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    from caseaudit.cases.generator import generate_council

    return generate_council(tmp_path_factory.mktemp("mock"), scale=0.1, fmt="csv")


@pytest.fixture
def case_data(council, generated):
    """The generated return imported, its teams placed in the council's two areas (as the
    thematic tests do), so a cohort has children to sample in each area."""
    from caseaudit.cases.generator import DEFAULT_AS_AT
    from caseaudit.cases.importer import import_annex_a
    from caseaudit.organisation.models import Team

    assert not import_annex_a(generated.path, council=council.council, as_at=DEFAULT_AS_AT).refused
    teams = list(Team.objects.filter(area__isnull=True).order_by("pk"))
    for index, team in enumerate(teams):
        team.area = (council.north, council.south)[index % 2]
    Team.objects.bulk_update(teams, ["area"])
    return DEFAULT_AS_AT
