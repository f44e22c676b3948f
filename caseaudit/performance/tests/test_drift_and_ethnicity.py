"""Drift (days from referral to plan or care, and from plan to care) and disproportionality by
ethnicity on a return built by hand: the figures, their pages, the population import, and what
an elected member is shown (small numbers suppressed, nothing that gives one back)."""

import datetime
import io
import statistics

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import Snapshot
from caseaudit.cases.tests.test_annex_a_reader import make_workbook
from caseaudit.core.models import ChangeRecord
from caseaudit.core.suppression import SUPPRESSED, Published, disclosures, unsuppressed
from caseaudit.performance.actions import import_ethnic_population
from caseaudit.performance.disproportionality import disproportionality
from caseaudit.performance.indicators import (
    INDICATORS,
    breakdown,
    counted_rows,
    evaluate,
    wait_breakdowns,
    wait_figures,
)
from caseaudit.performance.models import EthnicPopulation
from caseaudit.performance.tests.test_pages import index_url
from caseaudit.testing.queries import page_queries

pytestmark = pytest.mark.django_db
AS_AT = datetime.date(2024, 2, 29)
COMMON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]
HEADERS = {
    "List 3": [*COMMON, "Date of referral", "Allocated Team", "Allocated Worker"],
    "List 6": [*COMMON, "CIN Start Date", "CIN Closure Date", "Allocated Team", "Allocated Worker"],
    "List 7": [
        *COMMON,
        "Child Protection Plan Start Date",
        "Child Protection Plan End Date",
        "Allocated Team",
        "Allocated Worker",
    ],
    "List 8": [
        *COMMON,
        "Date Started to be Looked After",
        "Date Ceased to be Looked After",
        "Allocated Team",
        "Allocated Worker",
    ],
}
POPULATION = """year,ethnic_group,children
2024,white_british,20000
2024,Black or Black British,1000
2024,asian,3000
2024,mixed,2000
"""


def text(day):
    return f"{day:%d/%m/%Y}" if day else None


def build(council, tmp_path, *, small_group=3, name="return", as_at=AS_AT):
    """Twenty White British children looked after since 2023 (ten a team); eight Black
    African children who came into care on 15 January after a referral (100 to 135 days
    before) and a plan (10 to 17 days after the referral), the north team's four first;
    ``small_group`` Pakistani children looked after since 2023. Every child looked after is
    also in need."""
    lists = {number: [headers] for number, headers in HEADERS.items()}
    north, south = council.teams[0], council.teams[-1]

    def add(number, kid, ethnicity, team, *dates):
        worker = council.practitioners[team.pk][0]
        common = [kid, "a) Male", ethnicity, "01/02/2012", "12"]
        lists[number].append([*common, *(text(day) for day in dates), team.name, worker.name])

    for n in range(20):
        kid, team = str(7000 + n), north if n < 10 else south
        add("List 8", kid, "a) WBRI", team, datetime.date(2023, 1, 2), None)
        add("List 6", kid, "a) WBRI", team, datetime.date(2022, 12, 1), None)
    for n in range(8):
        kid, team = str(7100 + n), north if n < 4 else south
        care = datetime.date(2024, 1, 15)
        referral = care - datetime.timedelta(days=100 + 5 * n)
        plan = referral + datetime.timedelta(days=10 + n)
        # An earlier referral: the latest one before the start is the one counted.
        add("List 3", kid, "o) BAFR", team, referral - datetime.timedelta(days=40))
        add("List 3", kid, "o) BAFR", team, referral)
        add("List 7", kid, "o) BAFR", team, plan, care)
        add("List 8", kid, "o) BAFR", team, care, None)
        add("List 6", kid, "o) BAFR", team, plan, None)
    for n in range(small_group):
        kid = str(7200 + n)
        add("List 8", kid, "k) APKN", north, datetime.date(2023, 3, 1), None)
        add("List 6", kid, "k) APKN", north, datetime.date(2023, 2, 1), None)
    path = make_workbook(tmp_path / f"{name}-{as_at}.xlsx", lists)
    summary = import_annex_a(path, council=council.council, as_at=as_at)
    assert not summary.refused, summary.problems[:3]
    return summary


@pytest.fixture
def built(council, tmp_path):
    build(council, tmp_path)
    assert import_ethnic_population(council.council, POPULATION).problems == []
    return Snapshot.objects.get(council=council.council, as_at=AS_AT)


def test_drift_pairs_each_start_with_the_latest_earlier_event(built):
    figures = evaluate(built, [INDICATORS[c] for c in DRIFT])
    # The latest referral before each event is the one counted, not the one 40 days earlier.
    waits = {
        "referral_to_cp_plan_days": [10 + n for n in range(8)],
        "referral_to_cla_days": [100 + 5 * n for n in range(8)],
        "cp_plan_to_cla_days": [90 + 4 * n for n in range(8)],
    }
    for code, days in waits.items():
        assert (figures[code].value, figures[code].denominator) == (statistics.median(days), 8)
    assert [figures[code].value for code in DRIFT] == [13.5, 117.5, 104.0]
    # By team: the north's four waited less long.
    found = breakdown(built, INDICATORS["cp_plan_to_cla_days"], "team").rows
    assert {name: (f.value, f.denominator) for _pk, name, f in found} == {
        "North Safeguarding 1": (96.0, 4),
        "South Safeguarding 1": (112.0, 4),
    }
    # The drill-down lists the starts counted, not the children looked after since 2023.
    rows = counted_rows(built, INDICATORS["referral_to_cla_days"])
    assert sorted(rows.values_list("child__la_child_id", flat=True)) == [
        str(7100 + n) for n in range(8)
    ]


DRIFT = ("referral_to_cp_plan_days", "referral_to_cla_days", "cp_plan_to_cla_days")


def test_rates_and_relative_rate_index_by_ethnic_group(built):
    with unsuppressed():
        found = disproportionality(built)
    cla = {row.group: row for row in found.tables["cla"]}
    assert found.population_year == 2024
    assert (cla["white_british"].children, cla["white_british"].rate) == (20, 10.0)
    assert (cla["black"].children, cla["black"].rate, cla["black"].rri) == (8, 80.0, 8.0)
    assert (cla["asian"].children, cla["asian"].rate, cla["asian"].rri) == (3, 10.0, 1.0)
    assert cla["white_british"].rri == 1.0
    # No population entered for a group: a count, but no rate.
    assert (cla["other"].children, cla["other"].rate, cla["other"].rri) == (0, None, None)
    assert cla["not_known"].rate is None
    assert found.totals["cla"] == 31
    # Children on a plan at the date: none (the plans ended when the children came into care).
    assert sum(row.children for row in found.tables["cp"]) == 0


def test_an_elected_member_cannot_work_out_a_small_group(built):
    found = disproportionality(built)
    cla = {row.group: row for row in found.tables["cla"]}
    # Three Pakistani children: hidden, with the rate and index that would give them back.
    assert (cla["asian"].children, cla["asian"].rate, cla["asian"].rri) == ("c", "c", "c")
    # The council's 31 is on the dashboard, so another group is hidden too.
    assert SUPPRESSED in (cla["black"].children, cla["white_british"].children)
    for key in ("cin", "cla"):
        column = [[row.children] for row in found.tables[key]]
        assert not disclosures(Published(column, None, [found.totals[key]], None)), key
        for row in found.tables[key]:
            if row.children == SUPPRESSED:
                assert row.rate in (SUPPRESSED, None) and row.rri in (SUPPRESSED, None)


def test_the_council_figure_hidden_on_the_dashboard_is_hidden_here(built):
    found = disproportionality(built, hidden_totals=frozenset({"cla"}))
    assert found.totals["cla"] == SUPPRESSED


def test_the_page_for_each_role(built, people, client_for):
    url = reverse("performance:disproportionality") + f"?as_at={AS_AT}"
    exact = client_for(people.qa_lead).get(url)
    assert exact.status_code == 200
    body = exact.content.decode()
    assert "Black or Black British" in body and "80.0" in body and "8.0" in body
    member = client_for(people.councillor).get(url)
    assert member.status_code == 200
    rows = {row.group: row for row in member.context["found"].tables["cla"]}
    assert rows["asian"].children == SUPPRESSED
    assert client_for(people.social_worker).get(url).status_code == 403
    # Linked from the dashboard, where the drift indicators are listed.
    dashboard = client_for(people.councillor).get(index_url(AS_AT)).content.decode()
    assert reverse("performance:disproportionality") in dashboard
    assert "Drift: days from referral to becoming looked after" in dashboard


def test_the_page_says_when_there_is_no_population(council, tmp_path, people, client_for):
    build(council, tmp_path)
    url = reverse("performance:disproportionality") + f"?as_at={AS_AT}"
    body = client_for(people.qa_lead).get(url).content.decode()
    assert "No child population by ethnic group has been entered" in body


@pytest.mark.parametrize("who", ["qa_lead", "councillor"])
def test_the_page_costs_the_same_for_more_children(council, tmp_path, people, client_for, who):
    import_ethnic_population(council.council, POPULATION)
    client = client_for(getattr(people, who))
    url = reverse("performance:disproportionality") + f"?as_at={AS_AT}"
    client.get(url)
    build(council, tmp_path, small_group=2, name="small")
    small = page_queries(client, url)
    build(council, tmp_path, small_group=40, name="large")
    assert page_queries(client, url) == small
    assert small <= 40


def test_the_population_csv_is_imported_all_or_nothing_with_history(council, people):
    result = import_ethnic_population(council.council, POPULATION, by=people.qa_lead)
    assert (result.written, result.problems) == (4, [])
    assert EthnicPopulation.objects.get(group="black").children == 1000
    again = import_ethnic_population(
        council.council, 'Year,Ethnic group,Children\n2024,black,"1,100"\n', by=people.qa_lead
    )
    assert again.problems == []
    assert EthnicPopulation.objects.get(group="black").children == 1100
    changed = ChangeRecord.objects.get(record_type="performance.ethnicpopulation", action="changed")
    assert (changed.before["children"], changed.after["children"]) == (1000, 1100)
    bad = import_ethnic_population(
        council.council,
        "year,ethnic_group,children\n2024,martian,5\n20x4,asian,5\n2024,mixed,none\n2023,asian,9\n",
    )
    assert bad.written == 0
    assert bad.problems == [
        "Row 2, column ethnic_group: 'martian' is not one of white_british, white_other, "
        "mixed, asian, black, other",
        "Row 3, column year: enter a year such as 2024",
        "Row 4, column children: enter the number of children, such as 18500",
    ]
    assert not EthnicPopulation.objects.filter(year=2023).exists()


def test_the_command_imports_the_population_and_refuses_a_bad_file(council, tmp_path):
    good = tmp_path / "population.csv"
    good.write_text(POPULATION, encoding="utf-8")
    out = io.StringIO()
    call_command("ethnic_population", str(good), council=council.council.code, stdout=out)
    assert "Imported 4 population figures" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text("year,children\n2024,5\n", encoding="utf-8")
    with pytest.raises(CommandError, match="there is no 'ethnic_group' column"):
        call_command("ethnic_population", str(bad), council=council.council.code)


def test_the_indicators_command_prints_drift_and_disproportionality(built, council):
    import json

    out = io.StringIO()
    call_command(
        "indicators", as_at=AS_AT.isoformat(), council=council.council.code, json=True, stdout=out
    )
    printed = json.loads(out.getvalue())["indicators"]
    assert printed["referral_to_cla_days"]["value"] == 117.5
    assert printed["referral_to_cla_days"]["denominator"] == 8
    assert printed["cla_rate_per_10k_black"] == {
        "value": 80.0,
        "numerator": 8,
        "denominator": 1000,
        "definition": printed["cla_rate_per_10k_black"]["definition"],
    }
    assert printed["cla_rri_black"]["value"] == 8.0
    assert "White British" in printed["cla_rri_black"]["definition"]
    text = io.StringIO()
    call_command("indicators", as_at=AS_AT.isoformat(), council=council.council.code, stdout=text)
    assert "117.5 days, the median of 8" in text.getvalue()
    assert "Black or Black British 80.0 (RRI 8.0)" in text.getvalue()


def test_a_drift_page_by_team_and_what_an_elected_member_sees(built, people, client_for):
    url = reverse("performance:indicator", args=["cp_plan_to_cla_days"]) + f"?as_at={AS_AT}"
    page = client_for(people.qa_lead).get(url)
    assert page.status_code == 200
    assert page.context["figure"].value == 104.0
    teams = {name: seen.value for _pk, name, seen in page.context["tables"][2][2]}
    assert teams == {"North Safeguarding 1": 96.0, "South Safeguarding 1": 112.0}
    assert "104.0 days" in page.content.decode()
    # A median has no numerator: the page names what it counts, the waits.
    assert "Waits counted" in page.content.decode()
    assert "Numerator" not in page.content.decode()
    # Four waits a team: the median of so few is hidden, the council's eight are not.
    member = client_for(people.councillor).get(url)
    assert member.context["figure"].value == 104.0
    teams = {name: seen.value for _pk, name, seen in member.context["tables"][2][2]}
    assert teams == {"North Safeguarding 1": SUPPRESSED, "South Safeguarding 1": SUPPRESSED}
    assert "96.0" not in member.content.decode()


def test_drift_at_several_dates_in_one_query(council, tmp_path, django_assert_num_queries):
    """A trend's dates in one query an indicator: each date's own six months and pairing."""
    build(council, tmp_path)
    # On 29 February the January starts are in the six months; on 31 August they are not.
    later = datetime.date(2024, 8, 31)
    build(council, tmp_path, as_at=later)
    snapshots = list(Snapshot.objects.filter(council=council.council).order_by("as_at"))
    indicator = INDICATORS["referral_to_cla_days"]
    with django_assert_num_queries(1):
        found = wait_figures(snapshots, indicator)
    for snapshot in snapshots:
        assert found[snapshot.pk] == evaluate(snapshot, [indicator])[indicator.code]
    assert [found[s.pk].denominator for s in snapshots] == [8, 0]
    with django_assert_num_queries(1):
        by_team = wait_breakdowns(snapshots, indicator, "allocated_team_id", "allocated_team__name")
    assert [len(by_team[s.pk]) for s in snapshots] == [2, 0]
