import datetime

import pytest

from caseaudit.cases.cohorts import COHORTS, children_in
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.tests.test_annex_a_reader import make_workbook

pytestmark = pytest.mark.django_db
AS_AT = datetime.date(2024, 1, 31)

COMMON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age"]
CIN = [*COMMON, "CIN Start Date", "CIN Closure Date", "CSE Risk Category"]
CP = [*COMMON, "Child Protection Plan Start Date", "Latest Category of Abuse",
      "Child Protection Plan End Date", "CSE Risk Category"]  # fmt: skip
CLA = [*COMMON, "Date Started to be Looked After",
       "Number of Episodes the Child has been ‘Missing’ from their Placement in the last 12 months",
       "CSE Risk Category"]  # fmt: skip


@pytest.fixture
def cohort_data(council, tmp_path):
    def child(child_id, born):
        return [child_id, "F", "WBRI", born, "1"]

    sheets = {
        "List 6": [
            CIN,
            [*child("A", "01/01/2015"), "01/06/2023", None, None],  # open CIN
            [*child("B", "01/01/2015"), "01/06/2023", "01/12/2023", None],  # closed CIN
        ],
        "List 7": [
            CP,
            [*child("C", "01/06/2021"), "01/06/2023", "NEG", None, None],  # under 5
            [*child("D", "01/06/2012"), "01/06/2023", "SAB", None, "Emerging"],  # sexual abuse
            [*child("E", "01/06/2022"), "01/06/2023", "NEG", "01/01/2024", None],  # ended
        ],
        "List 8": [
            CLA,
            [*child("F", "01/06/2008"), "01/06/2022", "3", "Significant"],  # missing and CSE
            [*child("G", "01/06/2008"), "01/06/2022", "2", None],  # missing
            [*child("H", "01/06/2008"), "01/06/2022", "0", None],
        ],
    }
    path = make_workbook(tmp_path / "c.xlsx", sheets)
    assert import_annex_a(path, council=council.council, as_at=AS_AT).errors == 0
    return council.council


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("children_in_need", {"A"}),
        ("under_5_cp", {"C"}),
        ("cp_sexual_abuse", {"D"}),
        ("cse_risk", {"D", "F"}),
        ("missing", {"F", "G"}),
        ("missing_and_cse", {"F"}),
    ],
)
def test_each_shipped_cohort_finds_its_children(cohort_data, key, expected):
    found = set(children_in(cohort_data, key).values_list("la_child_id", flat=True))
    assert found == expected


def test_cohorts_take_parameters(cohort_data):
    found = children_in(cohort_data, "missing", {"episodes": 3}).values_list(
        "la_child_id", flat=True
    )
    assert set(found) == {"F"}
    assert set(COHORTS) >= {"children_in_need", "under_5_cp", "missing_and_cse"}


def test_a_council_with_no_case_data_has_empty_cohorts(people):
    assert not children_in(people.outsider.council, "children_in_need").exists()
