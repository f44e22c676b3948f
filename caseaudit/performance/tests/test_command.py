"""`caseaudit indicators`: a clear refusal for a date it cannot read or has no data for."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from caseaudit.performance.tests.test_pages import FEBRUARY, two_months  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command("indicators", *args, stdout=out, **options)
    return out.getvalue()


def test_it_prints_the_figures_for_a_date_it_has(two_months, council):  # noqa: F811
    printed = json.loads(run(as_at=FEBRUARY.isoformat(), council=council.council.code, json=True))
    assert printed["as_at"] == "2024-02-29"
    assert printed["indicators"]["cp_plans_open"]["value"] == 15
    text = run(as_at=FEBRUARY.isoformat(), council=council.council.code)
    assert "Children on a child protection plan: 15  [cp_plans_open]" in text


@pytest.mark.parametrize(
    ("as_at", "message"),
    [
        ("29/02/2024", "--as-at must be a date written YYYY-MM-DD"),
        ("2024-03-31", "There is no case data as at 31 March 2024. Case data is as at 29 February"),
    ],
)
def test_it_refuses_a_date_it_cannot_use(two_months, council, as_at, message):  # noqa: F811
    with pytest.raises(CommandError, match=message):
        run(as_at=as_at, council=council.council.code)
