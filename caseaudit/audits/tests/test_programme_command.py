"""`caseaudit programme`: list months, draw and confirm a sample, allocate it, end to end."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from caseaudit.audits.actions import programme
from caseaudit.audits.models import Audit, Sample
from caseaudit.audits.tests.test_programme_helpers import import_cases, make_month, team_cases

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("programme", *args, "--council", "901", stdout=out)
    return out.getvalue()


@pytest.fixture
def month(council, people, tmp_path):
    north, south = people.north_team, people.south_team
    import_cases(
        council.council,
        tmp_path,
        team_cases(north, council.practitioners[north.pk], 4, "N")
        + team_cases(south, council.practitioners[south.pk], 4, "S"),
    )
    return make_month(council.council)


def test_sample_confirm_and_allocate_from_the_command_line(month, people):
    assert "2024-03  Planned        0          0          0" in run("months")
    preview = run("sample", "--month", "2024-03", "--per-team", "2", "--seed", "11")
    assert "Sample for March 2024 (preview), seed 11: 4 cases." in preview
    assert "Repeat this draw with --seed 11" in preview
    assert preview.count("2 of 4 eligible open cases in") == 4
    again = run("sample", "--month", "2024-03", "--per-team", "2", "--seed", "11", "--confirm")
    assert again.replace("confirmed", "preview").splitlines()[:5] == preview.splitlines()[:5]
    assert Sample.objects.get().status == "confirmed"

    allocated = run("allocate", "--month", "2024-03")
    assert "4 audits allocated for March 2024:" in allocated
    assert "→ North, due 28 March 2024" in allocated and "→ South" in allocated
    assert Audit.objects.count() == 4
    assert "2024-03  Planned        4          4          0" in run("months")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sample", "--month", "March"], "Give the month as YYYY-MM, for example 2024-03"),
        (["sample", "--month", "2024-13"], "Give the month as YYYY-MM"),
        (["sample", "--month", "2025-01"], "has no programme month for January 2025"),
        (["sample", "--month", "2024-03", "--per-team", "0"], "between 1 and 20"),
        (["allocate", "--month", "2024-03"], "March 2024 has no confirmed sample"),
    ],
)
def test_bad_input_gets_a_clear_message(month, args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_a_paused_month_and_a_confirmed_sample_are_refused(month):
    run("sample", "--month", "2024-03", "--confirm")
    with pytest.raises(CommandError, match="confirmed and cannot be drawn again"):
        run("sample", "--month", "2024-03")
    run("allocate", "--month", "2024-03")
    with pytest.raises(CommandError, match="already been allocated"):
        run("allocate", "--month", "2024-03")
    programme.pause_month(month, by=None)
    with pytest.raises(CommandError, match="March 2024 is paused"):
        run("sample", "--month", "2024-03")


def test_no_case_data_and_no_council_are_explained(people):
    make_month(people.qa_lead.council, month=datetime.date(2024, 5, 1))
    with pytest.raises(CommandError, match="no case data for Testshire County Council yet"):
        run("sample", "--month", "2024-05")
    with pytest.raises(CommandError, match="Say which council with --council"):
        call_command("programme", "months", stdout=StringIO())
    with pytest.raises(CommandError, match="No council has the code"):
        call_command("programme", "months", "--council", "999", stdout=StringIO())
    assert "Elsewhere Borough Council has no programme months yet." in (_months_of("902"))


def _months_of(code: str) -> str:
    out = StringIO()
    call_command("programme", "months", "--council", code, stdout=out)
    return out.getvalue()
