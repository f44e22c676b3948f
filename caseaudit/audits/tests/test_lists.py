"""Your audits and the moderation queue as long lists (core.listing): newest first, every
column sorted both ways, each filter, bad values in the address, the to-do/done tabs, the CSV
(its content, its scope, its log) and who is refused, at a cost that does not grow."""

import datetime

import pytest
from django.urls import reverse

from caseaudit.accounts.choices import AccessAction
from caseaudit.accounts.models import AccessLog
from caseaudit.audits.actions.moderation import select_for_moderation
from caseaudit.audits.choices import AuditStatus
from caseaudit.audits.models import Audit, Moderation
from caseaudit.audits.tests.test_moderation import submitted_audits
from caseaudit.audits.tests.test_workflow import import_children, make_audit
from caseaudit.core.grades import ORDER
from caseaudit.testing.lists import csv_rows, order_on_page, sorted_as_listed
from caseaudit.testing.queries import page_queries

pytestmark = pytest.mark.django_db

YOURS = reverse("audits:your_audits")
YOURS_CSV = reverse("audits:your_audits_csv")
QUEUE = reverse("audits:moderation")
QUEUE_CSV = reverse("audits:moderation_csv")
AWARE = datetime.UTC


def at(day: int) -> datetime.datetime:
    return datetime.datetime(2026, 1, day, 9, tzinfo=AWARE)


@pytest.fixture
def children(people, council, tmp_path):
    return import_children(people, council, tmp_path)


@pytest.fixture
def yours(children, people):
    """The south manager's audits: three to do (allocated on different days, due in different
    months, two teams), one done; and one of the north manager's."""
    made = {
        "N1": make_audit(
            children["N1"],
            people.south_manager,
            due=datetime.date(2026, 3, 10),
            allocated_at=at(2),
        ),
        "N2": make_audit(
            children["N2"],
            people.south_manager,
            due=datetime.date(2026, 1, 20),
            allocated_at=at(9),
            status=AuditStatus.IN_PROGRESS,
        ),
        "S1": make_audit(
            children["S1"],
            people.south_manager,
            due=datetime.date(2026, 2, 5),
            allocated_at=at(5),
        ),
    }
    made["done"] = make_audit(
        children["S1"],
        people.south_manager,
        due=datetime.date(2025, 12, 1),
        allocated_at=at(1),
        status=AuditStatus.SUBMITTED,
        submitted_at=at(3),
    )
    made["theirs"] = make_audit(children["N2"], people.north_manager, allocated_at=at(4))
    return made


def ids(audits) -> list[str]:
    return [audit.child.la_child_id for audit in audits]


def shown(client, url, **params) -> list[str]:
    html = client.get(url, params).content.decode()
    return order_on_page(html, ["N1", "N2", "S1"])


# Your audits ------------------------------------------------------------------------------------


def test_your_audits_to_do_newest_first(client_for, people, yours):
    client = client_for(people.south_manager)
    html = client.get(YOURS).content.decode()
    assert order_on_page(html, ["N1", "N2", "S1"]) == ["N2", "S1", "N1"]
    assert 'aria-sort="descending"' in html and html.count('aria-sort="none"') == 4
    assert "To do (3)" in html and "Done (1)" in html
    assert reverse("audits:audit", args=[yours["theirs"].pk]) not in html
    assert "{#" not in html and "core.listing" not in html  # the includes' comments stay hidden


SORTS = {
    "child": lambda audit: audit.child.la_child_id,
    "team": lambda audit: audit.team.name,
    "allocated": lambda audit: audit.allocated_at,
    "due": lambda audit: audit.due_date,
    "status": lambda audit: AuditStatus.values.index(audit.status),
}


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("column", list(SORTS))
def test_your_audits_sort_by_each_column_both_ways(client_for, people, yours, column, order):
    to_do = [yours["N1"], yours["N2"], yours["S1"]]
    expected = ids(sorted_as_listed(to_do, SORTS[column], descending=order == "desc"))
    client = client_for(people.south_manager)
    html = client.get(YOURS, {"sort": column, "order": order}).content.decode()
    assert order_on_page(html, ["N1", "N2", "S1"]) == expected
    sorted_by = "ascending" if order == "asc" else "descending"
    assert html.count(f'aria-sort="{sorted_by}"') == 1
    # The sorted column's link turns it round; the filters and tab are kept in it.
    turned = "desc" if order == "asc" else "asc"
    assert f"sort={column}&amp;order={turned}" in html


def test_your_audits_filters(client_for, people, yours):
    client = client_for(people.south_manager)
    assert shown(client, YOURS, status="in_progress") == ["N2"]
    counted = client.get(YOURS, {"team": people.south_team.pk}).content.decode()
    assert "To do (1)" in counted and "Done (1)" in counted  # the tabs count what is filtered
    assert shown(client, YOURS, team=people.south_team.pk) == ["S1"]
    assert shown(client, YOURS, area=people.north_team.area_id) == ["N2", "N1"]
    assert shown(client, YOURS, month="2026-02") == ["S1"]  # a re-audit-free month: by due date
    html = client.get(YOURS, {"team": people.north_team.pk, "sort": "child"}).content.decode()
    assert "2 audits match the filters" in html
    assert order_on_page(html, ["N1", "N2"]) == ["N1", "N2"]
    # The pages and the head keep the filters; "Clear filters" keeps only the tab.
    assert f"team={people.north_team.pk}" in html.split("<thead", 1)[1].split("</thead>", 1)[0]
    assert "Clear filters" in html


def test_your_audits_filters_offer_only_what_is_yours(client_for, people, yours):
    html = client_for(people.north_manager).get(YOURS).content.decode()
    # The north manager's one audit is of a north child: no south team to choose.
    assert f'value="{people.south_team.pk}"' not in html
    assert f'value="{people.north_team.pk}"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"status": "lost"}, "Select a status in the list"),
        ({"team": "99999999"}, "Select a team in the list"),
        ({"team": "x" * 30}, "Select a team in the list"),
        ({"area": "-1"}, "Select an area in the list"),
        ({"month": "2026-13"}, "Select a month in the list"),
        ({"month": "1999-01"}, "Select a month in the list"),
    ],
)
def test_your_audits_bad_filters_are_reported_and_ignored(
    client_for, people, yours, params, message
):
    response = client_for(people.south_manager).get(YOURS, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html and message in html
    assert html.startswith("<!DOCTYPE html>") and "<title>Error: Your audits" in html
    assert order_on_page(html, ["N1", "N2", "S1"]) == ["N2", "S1", "N1"]  # as if unfiltered


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "password"},
        {"sort": "child__council__name"},
        {"sort": "due", "order": "sideways"},
        {"order": "asc"},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999"},
        {"tab": "everything"},
    ],
)
def test_your_audits_bad_sort_page_or_tab_fall_back(client_for, people, yours, params):
    response = client_for(people.south_manager).get(YOURS, params)
    assert response.status_code == 200
    html = response.content.decode()
    # Newest first (and, for "due" in its first direction, soonest due: the same here).
    assert order_on_page(html, ["N1", "N2", "S1"]) == ["N2", "S1", "N1"]
    assert "There is a problem" not in html


def test_your_audits_done_tab(client_for, people, yours):
    client = client_for(people.south_manager)
    html = client.get(YOURS, {"tab": "done"}).content.decode()
    assert reverse("audits:audit", args=[yours["done"].pk]) in html
    for key in ("N1", "N2", "S1"):
        assert reverse("audits:audit", args=[yours[key].pk]) not in html
    assert 'aria-current="page">Done (1)' in html


def test_your_audits_pages_keep_the_sort_and_filters(client_for, people, children):
    for day in range(1, 56):
        make_audit(
            children["N1"], people.south_manager, allocated_at=at(1) + datetime.timedelta(days=day)
        )
    client = client_for(people.south_manager)
    html = client.get(YOURS, {"team": people.north_team.pk, "sort": "due"}).content.decode()
    assert 'aria-label="Page 2"' in html
    assert f"team={people.north_team.pk}&amp;sort=due&amp;page=2" in html
    second = client.get(YOURS, {"team": people.north_team.pk, "page": 2}).content.decode()
    assert second.count('class="govuk-table__row"') == 1 + 5  # the head, and 55 - 50


def test_your_audits_csv(client_for, people, yours):
    people.south_team.name = '=HYPERLINK("http://evil.example")'
    people.south_team.save()
    client = client_for(people.south_manager)
    rows = csv_rows(client.get(YOURS_CSV))
    assert rows[0][:3] == ["LA child ID", "Kind", "Month"]
    assert [row[0] for row in rows[1:]] == ["N2", "S1", "N1"]  # the to-do tab, newest first
    s1 = rows[2]
    assert s1[4].startswith("'=HYPERLINK")  # neutralised
    assert s1[7] == "2026-02-05" and s1[8] == "Not started"
    assert [row[0] for row in csv_rows(client.get(YOURS_CSV, {"tab": "done"}))[1:]] == ["S1"]
    filtered = csv_rows(client.get(YOURS_CSV, {"status": "in_progress"}))
    assert [row[0] for row in filtered[1:]] == ["N2"]
    logged = AccessLog.objects.filter(action=AccessAction.EXPORTED).order_by("-sequence").first()
    assert logged.record_type == "audits.audit" and logged.record_ids == str(yours["N2"].pk)


def test_your_audits_csv_is_only_yours(client_for, people, yours):
    rows = csv_rows(client_for(people.north_manager).get(YOURS_CSV))
    assert [row[0] for row in rows[1:]] == ["N2"]  # the north manager's one
    assert csv_rows(client_for(people.outsider).get(YOURS_CSV))[1:] == []


@pytest.mark.parametrize("persona", ["councillor"])
def test_your_audits_refused(client_for, people, yours, persona):
    client = client_for(getattr(people, persona))
    assert client.get(YOURS).status_code == 403
    assert client.get(YOURS_CSV).status_code == 403


def test_your_audits_cost_does_not_grow_with_rows_or_page(
    client_for, people, children, django_assert_max_num_queries
):
    client = client_for(people.south_manager)
    make_audit(children["N1"], people.south_manager)
    page_queries(client, YOURS)  # a session's first request does more
    filtered = {"team": people.north_team.pk, "month": "", "status": "allocated"}
    few = page_queries(client, YOURS, filtered)
    for day in range(120):
        make_audit(children[("N1", "N2", "S1")[day % 3]], people.south_manager)
    with django_assert_max_num_queries(few):
        client.get(YOURS, filtered)
    with django_assert_max_num_queries(few):
        client.get(YOURS, {**filtered, "page": 2})
    with django_assert_max_num_queries(few):
        client.get(YOURS_CSV, filtered)


# The moderation queue ---------------------------------------------------------------------------


@pytest.fixture
def queue(council, people):
    """Twelve submitted audits of the north team, submitted on different days; the first
    selected for moderation, the second moderated."""
    audits = submitted_audits(council, people, 12)
    for number, audit in enumerate(audits):
        audit.submitted_at = at(number + 1)
        audit.overall_grade = ("good", "outstanding", "requires_improvement")[number % 3]
    Audit.objects.bulk_update(audits, ["submitted_at", "overall_grade"])
    select_for_moderation(council.council, audits=audits[:2], by=people.qa_lead)
    Moderation.objects.filter(audit=audits[1]).update(completed_at=at(20))
    Audit.objects.filter(pk=audits[1].pk).update(status=AuditStatus.MODERATED)
    return [Audit.objects.select_related("child", "team", "auditor").get(pk=a.pk) for a in audits]


def test_the_queue_tabs(client_for, people, queue):
    client = client_for(people.qa_lead)
    labels = ids(queue)
    to_do = client.get(QUEUE).content.decode()
    assert order_on_page(to_do, labels) == [labels[0]]
    assert "To moderate (1)" in to_do and "Not yet selected (10)" in to_do
    assert "Moderated (1)" in to_do
    waiting = client.get(QUEUE, {"tab": "waiting"}).content.decode()
    assert order_on_page(waiting, labels) == labels[2:][::-1]  # newest submission first
    done = client.get(QUEUE, {"tab": "moderated"}).content.decode()
    assert order_on_page(done, labels) == [labels[1]]
    assert "See the moderation" in done


QUEUE_SORTS = {
    "child": lambda audit: audit.child.la_child_id,
    "team": lambda audit: audit.team.name,
    "auditor": lambda audit: (audit.auditor.first_name, audit.auditor.last_name),
    "grade": lambda audit: ORDER.index(audit.overall_grade),
    "submitted": lambda audit: audit.submitted_at,
}


@pytest.mark.parametrize("order", ["asc", "desc"])
@pytest.mark.parametrize("column", list(QUEUE_SORTS))
def test_the_queue_sorts_by_each_column_both_ways(client_for, people, queue, column, order):
    waiting = queue[2:]
    expected = ids(sorted_as_listed(waiting, QUEUE_SORTS[column], descending=order == "desc"))
    html = (
        client_for(people.qa_lead)
        .get(QUEUE, {"tab": "waiting", "sort": column, "order": order})
        .content.decode()
    )
    assert order_on_page(html, ids(queue)) == expected


def test_the_queue_filters(client_for, people, queue):
    Audit.objects.filter(pk__in=[queue[2].pk, queue[3].pk]).update(team=people.south_team)
    client = client_for(people.qa_lead)
    labels = ids(queue)

    def waiting(**params):
        html = client.get(QUEUE, {"tab": "waiting", **params}).content.decode()
        assert "There is a problem" not in html
        return order_on_page(html, labels)

    assert len(waiting(month="2024-01")) == 10
    assert waiting(team=people.south_team.pk) == [labels[3], labels[2]]
    assert len(waiting(area=people.north_team.area_id)) == 8
    assert waiting(area=people.south_team.area_id, sort="child") == [labels[2], labels[3]]
    bad = client.get(QUEUE, {"tab": "waiting", "month": "2024-02", "sort": "x", "page": "x"})
    assert bad.status_code == 200
    assert "Select a month in the list" in bad.content.decode()
    assert len(order_on_page(bad.content.decode(), labels)) == 10


def test_the_queue_pages_are_numbered(client_for, people, council):
    submitted_audits(council, people, 60)
    html = (
        client_for(people.qa_lead).get(QUEUE, {"tab": "waiting", "sort": "child"}).content.decode()
    )
    assert 'aria-label="Page 3"' in html and 'aria-current="page"' in html
    assert "tab=waiting&amp;sort=child&amp;page=2#queue" in html
    last = client_for(people.qa_lead).get(QUEUE, {"tab": "waiting", "page": 3}).content.decode()
    assert last.count("moderation/choose/") == 10  # 60 - 2 × 25


def test_the_queue_csv(client_for, people, queue):
    client = client_for(people.qa_lead)
    rows = csv_rows(client.get(QUEUE_CSV, {"tab": "moderated"}))
    assert rows[0][-1] == "Moderated grade"
    assert [row[0] for row in rows[1:]] == [queue[1].child.la_child_id]
    waiting = csv_rows(client.get(QUEUE_CSV, {"tab": "waiting", "sort": "child"}))
    assert [row[0] for row in waiting[1:]] == sorted(ids(queue[2:]))
    logged = AccessLog.objects.filter(action=AccessAction.EXPORTED).order_by("-sequence").first()
    assert sorted(map(int, logged.record_ids.split(","))) == sorted(a.pk for a in queue[2:])


def test_the_queue_csv_scope_and_refusals(client_for, people, queue):
    assert csv_rows(client_for(people.outsider).get(QUEUE_CSV, {"tab": "waiting"}))[1:] == []
    for persona in ("director", "north_manager", "social_worker", "councillor", "administrator"):
        assert client_for(getattr(people, persona)).get(QUEUE_CSV).status_code == 403


def test_the_queue_cost_does_not_grow(client_for, people, council, django_assert_max_num_queries):
    client = client_for(people.qa_lead)
    submitted_audits(council, people, 3)
    page_queries(client, QUEUE)
    params = {"tab": "waiting", "month": "2024-01", "team": people.north_team.pk}
    few = page_queries(client, QUEUE, params)
    submitted_audits(council, people, 70)
    for page in (1, 3):
        with django_assert_max_num_queries(few):
            client.get(QUEUE, {**params, "page": page})
