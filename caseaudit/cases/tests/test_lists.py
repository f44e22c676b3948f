"""The children and the imports as long lists (core.listing): youngest / newest first, every
column sorted both ways, filters, bad values, pages, the children's CSV (scope and log) and who
is refused, at a cost that does not grow."""

import datetime

import pytest
from django.urls import reverse

from caseaudit.accounts.choices import AccessAction
from caseaudit.accounts.models import AccessLog
from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import Child, ImportRun
from caseaudit.cases.tests.test_annex_a_reader import make_workbook
from caseaudit.cases.tests.test_import import REFERRAL_HEADERS, referral
from caseaudit.testing.lists import csv_rows, order_on_page, sorted_as_listed
from caseaudit.testing.queries import page_queries

pytestmark = pytest.mark.django_db
AS_AT = datetime.date(2024, 1, 31)
CHILDREN = reverse("cases:children")
CHILDREN_CSV = reverse("cases:children_csv")
IMPORTS = reverse("cases:imports")
LABELS = ["N1", "N2", "N3", "S1", "=S2"]


@pytest.fixture
def children(people, council, tmp_path):
    """Three north children, two south, born on different days; one ID starts like a formula."""
    north, south = people.north_team, people.south_team
    mine = people.social_worker.worker.name
    colleague = council.practitioners[north.pk][1].name
    southerner = council.practitioners[south.pk][0].name
    rows = [
        referral(child="N1", born="03/05/2012", team=north.name, worker=mine),
        referral(child="N2", born="01/02/2019", team=north.name, worker=colleague),
        referral(child="N3", born="10/10/2015", team=north.name, worker=colleague),
        referral(child="S1", born="07/07/2010", team=south.name, worker=southerner),
        referral(child="S2", born="20/12/2020", team=south.name, worker=southerner),
    ]
    path = make_workbook(tmp_path / "r.xlsx", {"List 3": [REFERRAL_HEADERS, *rows]})
    assert import_annex_a(path, council=council.council, as_at=AS_AT).errors == 0
    # What a spreadsheet would run, if a case-management system ever exported it.
    Child.objects.filter(la_child_id="S2").update(la_child_id="=S2")
    return {
        c.la_child_id: c for c in Child.objects.select_related("allocated_team", "allocated_worker")
    }


def listed(client, **params) -> list[str]:
    response = client.get(CHILDREN, params)
    assert response.status_code == 200
    return order_on_page(response.content.decode(), LABELS)


def test_children_youngest_first(client_for, people, children):
    assert listed(client_for(people.qa_lead)) == ["=S2", "N2", "N3", "N1", "S1"]
    assert listed(client_for(people.north_manager)) == ["N2", "N3", "N1"]


SORTS = {
    "id": lambda child: child.la_child_id,
    "born": lambda child: child.date_of_birth,
    "team": lambda child: child.allocated_team.name,
    "worker": lambda child: child.allocated_worker.name,
}


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("column", list(SORTS))
def test_children_sort_by_each_column_both_ways(client_for, people, children, column, order):
    expected = sorted_as_listed(children.values(), SORTS[column], descending=order == "desc")
    got = listed(client_for(people.qa_lead), sort=column, order=order)
    assert got == [child.la_child_id for child in expected]


def test_children_filters(client_for, people, children):
    client = client_for(people.qa_lead)
    assert listed(client, id="N") == ["N2", "N3", "N1"]
    assert listed(client, id="=") == ["=S2"]
    assert listed(client, team=people.south_team.pk, sort="id") == ["=S2", "S1"]
    assert listed(client, area=people.north_team.area_id, sort="id") == ["N1", "N2", "N3"]
    # The north manager is offered their own team only, and may not ask for another.
    north = client_for(people.north_manager)
    assert f'value="{people.south_team.pk}"' not in north.get(CHILDREN).content.decode()
    refused = north.get(CHILDREN, {"team": people.south_team.pk}).content.decode()
    assert "Select a team in the list" in refused
    assert order_on_page(refused, LABELS) == ["N2", "N3", "N1"]


@pytest.mark.parametrize(
    "params",
    [{"sort": "gender"}, {"sort": "born", "order": "up"}, {"page": "zz"}, {"page": "400"}],
)
def test_children_bad_sort_or_page_falls_back(client_for, people, children, params):
    assert listed(client_for(people.qa_lead), **params) == ["=S2", "N2", "N3", "N1", "S1"]


def test_children_long_id_search_is_an_error_not_a_crash(client_for, people, children):
    html = client_for(people.qa_lead).get(CHILDREN, {"id": "x" * 500}).content.decode()
    assert "LA child ID must be 50 characters or fewer" in html


def test_children_csv_in_scope_filtered_neutralised_and_logged(client_for, people, children):
    rows = csv_rows(client_for(people.qa_lead).get(CHILDREN_CSV, {"sort": "id"}))
    assert rows[0] == ["LA child ID", "Date of birth", "Gender", "Ethnicity", "Area", "Team",
                       "Worker"]  # fmt: skip
    assert [row[0] for row in rows[1:]] == ["'=S2", "N1", "N2", "N3", "S1"]
    assert rows[2][1] == "2012-05-03" and rows[2][4] == "North"
    exported = AccessLog.objects.get(action=AccessAction.EXPORTED, record_type="cases.child")
    assert set(map(int, exported.record_ids.split(","))) == {c.pk for c in children.values()}
    north = csv_rows(client_for(people.north_manager).get(CHILDREN_CSV))
    assert [row[0] for row in north[1:]] == ["N2", "N3", "N1"]
    mine = csv_rows(client_for(people.social_worker).get(CHILDREN_CSV))
    assert [row[0] for row in mine[1:]] == ["N1"]
    assert csv_rows(client_for(people.outsider).get(CHILDREN_CSV))[1:] == []
    filtered = csv_rows(client_for(people.qa_lead).get(CHILDREN_CSV, {"id": "S"}))
    assert [row[0] for row in filtered[1:]] == ["S1"]


def test_children_list_and_csv_refused_to_aggregate_readers(client_for, people, children):
    client = client_for(people.councillor)
    assert client.get(CHILDREN).status_code == 403
    assert client.get(CHILDREN_CSV).status_code == 403


def test_children_list_logs_the_page_it_shows(client_for, people, children):
    client_for(people.north_manager).get(CHILDREN, {"sort": "id", "order": "desc"})
    listed_entry = AccessLog.objects.filter(action=AccessAction.LISTED).latest("sequence")
    assert listed_entry.record_ids == ",".join(str(children[key].pk) for key in ("N3", "N2", "N1"))


def test_children_cost_does_not_grow(
    client_for, people, council, tmp_path, django_assert_max_num_queries
):
    def load(count: int, name: str):
        rows = [referral(child=f"{name}{i}", team=people.north_team.name) for i in range(count)]
        path = make_workbook(tmp_path / f"{name}.xlsx", {"List 3": [REFERRAL_HEADERS, *rows]})
        import_annex_a(path, council=council.council, as_at=AS_AT)

    load(2, "A")
    client = client_for(people.qa_lead)
    page_queries(client, CHILDREN)
    params = {"team": people.north_team.pk, "area": people.north_team.area_id, "id": "A"}
    few = page_queries(client, CHILDREN, params)
    load(130, "A")
    for page in (1, 3):
        with django_assert_max_num_queries(few):
            client.get(CHILDREN, {**params, "page": page})


# Imports ----------------------------------------------------------------------------------------


@pytest.fixture
def runs(council, people):
    made = []
    for number, (name, status, rows) in enumerate(
        [
            ("b.xlsx", ImportStatus.LOADED, 300),
            ("a.xlsx", ImportStatus.REFUSED, 10),
            ("c.xlsx", ImportStatus.UNCHANGED, 120),
        ]
    ):
        run = ImportRun.objects.create(
            council=council.council, source_name=name, status=status, rows_read=rows
        )
        ImportRun.objects.filter(pk=run.pk).update(
            requested_at=datetime.datetime(2026, 1, 1 + number, tzinfo=datetime.UTC)
        )
        made.append(run)
    ImportRun.objects.create(council=people.other.council, source_name="theirs.xlsx")
    return made


NAMES = ["a.xlsx", "b.xlsx", "c.xlsx", "theirs.xlsx"]


def imports_listed(client, **params) -> list[str]:
    response = client.get(IMPORTS, params)
    assert response.status_code == 200
    return order_on_page(response.content.decode(), NAMES)


def test_imports_newest_first_sorted_and_filtered(client_for, people, runs):
    client = client_for(people.administrator)
    assert imports_listed(client) == ["c.xlsx", "a.xlsx", "b.xlsx"]
    assert imports_listed(client, sort="file", order="asc") == ["a.xlsx", "b.xlsx", "c.xlsx"]
    assert imports_listed(client, sort="file", order="desc") == ["c.xlsx", "b.xlsx", "a.xlsx"]
    assert imports_listed(client, sort="rows", order="desc") == ["b.xlsx", "c.xlsx", "a.xlsx"]
    assert imports_listed(client, sort="rows", order="asc") == ["a.xlsx", "c.xlsx", "b.xlsx"]
    # Statuses in the order an import goes through them: loaded, unchanged, refused.
    assert imports_listed(client, sort="status", order="asc") == ["b.xlsx", "c.xlsx", "a.xlsx"]
    assert imports_listed(client, sort="status", order="desc") == ["a.xlsx", "c.xlsx", "b.xlsx"]
    assert imports_listed(client, sort="requested", order="asc") == ["b.xlsx", "a.xlsx", "c.xlsx"]
    assert imports_listed(client, status="refused") == ["a.xlsx"]
    bad = client.get(IMPORTS, {"status": "exploded", "sort": "stored_path", "page": "0"})
    assert bad.status_code == 200 and "Select a status in the list" in bad.content.decode()
    assert order_on_page(bad.content.decode(), NAMES) == ["c.xlsx", "a.xlsx", "b.xlsx"]


def test_imports_refused_to_others(client_for, people, runs):
    for persona in ("north_manager", "councillor", "social_worker"):
        assert client_for(getattr(people, persona)).get(IMPORTS).status_code == 403


def test_imports_are_paged(client_for, people, council, django_assert_max_num_queries):
    ImportRun.objects.bulk_create(
        ImportRun(council=council.council, source_name=f"r{n:02d}.xlsx", status="loaded")
        for n in range(3)
    )
    client = client_for(people.administrator)
    page_queries(client, IMPORTS)
    few = page_queries(client, IMPORTS, {"status": "loaded"})
    ImportRun.objects.bulk_create(
        ImportRun(council=council.council, source_name=f"s{n:02d}.xlsx", status="loaded")
        for n in range(60)
    )
    with django_assert_max_num_queries(few):
        html = client.get(IMPORTS, {"status": "loaded", "page": 2}).content.decode()
    assert 'aria-label="Page 3"' in html and "status=loaded&amp;page=3#imports" in html
