"""Child records: each person sees the children their scope allows, and every look is logged."""

import datetime

import pytest
from django.urls import reverse

from caseaudit.accounts.models import AccessLog
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import Child
from caseaudit.cases.tests.test_annex_a_reader import make_workbook
from caseaudit.cases.tests.test_import import REFERRAL_HEADERS, referral

pytestmark = pytest.mark.django_db
AS_AT = datetime.date(2024, 1, 31)


@pytest.fixture
def children(people, council, tmp_path):
    """Three children in the north team (one allocated to our social worker), two in the south."""
    north, south = people.north_team, people.south_team
    mine = people.social_worker.worker.name
    colleague = council.practitioners[north.pk][1].name
    southerner = council.practitioners[south.pk][0].name
    rows = [
        referral(child="N1", team=north.name, worker=mine),
        referral(child="N2", team=north.name, worker=colleague),
        referral(child="N3", team=north.name, worker=colleague),
        referral(child="S1", team=south.name, worker=southerner),
        referral(child="S2", team=south.name, worker=southerner),
    ]
    path = make_workbook(tmp_path / "r.xlsx", {"List 3": [REFERRAL_HEADERS, *rows]})
    assert import_annex_a(path, council=council.council, as_at=AS_AT).errors == 0
    return {c.la_child_id: c for c in Child.objects.all()}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("qa_lead", {"N1", "N2", "N3", "S1", "S2"}),
        ("north_manager", {"N1", "N2", "N3"}),
        ("south_manager", {"S1", "S2"}),
        ("area_lead", {"N1", "N2", "N3"}),
        ("social_worker", {"N1"}),
        ("outsider", set()),
    ],
)
def test_each_person_sees_the_children_in_their_scope(
    client_for, people, children, persona, expected
):
    user = getattr(people, persona)
    assert set(Child.objects.visible_to(user).values_list("la_child_id", flat=True)) == expected
    page = client_for(user).get(reverse("cases:children")).content.decode()
    for child_id, child in children.items():
        assert (child.get_absolute_url() in page) == (child_id in expected)


def test_an_auditor_also_sees_the_children_of_the_audits_allocated_to_them(
    client_for, people, children
):
    # The audits app grants this through cases.querysets.grant_child_visibility.
    from caseaudit.audits.tests.test_workflow import make_audit

    def seen(user):
        return set(Child.objects.visible_to(user).values_list("la_child_id", flat=True))

    assert seen(people.north_manager) == {"N1", "N2", "N3"}
    audit = make_audit(children["S1"], people.north_manager)
    assert seen(people.north_manager) == {"N1", "N2", "N3", "S1"}
    assert (
        client_for(people.north_manager).get(children["S1"].get_absolute_url()).status_code == 200
    )
    # Only the auditor's own audits grant anything, and only to an auditor.
    assert seen(people.south_manager) == {"S1", "S2"}
    audit.auditor = people.social_worker
    audit.save(update_fields=["auditor"])
    assert seen(people.social_worker) == {"N1"}
    assert seen(people.north_manager) == {"N1", "N2", "N3"}


def test_elected_members_see_no_child_level_page(client_for, people, children):
    client = client_for(people.councillor)
    assert client.get(reverse("cases:children")).status_code == 403
    assert client.get(children["N1"].get_absolute_url()).status_code == 403


def test_opening_a_child_is_logged_and_another_teams_child_is_refused_and_logged(
    client_for, people, children
):
    client = client_for(people.north_manager)
    own = client.get(children["N2"].get_absolute_url())
    assert own.status_code == 200
    assert "List 3 (Referrals)" in own.content.decode()
    assert "Schools" in own.content.decode()  # the source code 2A, shown by its label
    viewed = AccessLog.objects.order_by("-sequence").first()
    assert (viewed.action, viewed.record_type, viewed.record_id) == (
        "viewed",
        "cases.child",
        str(children["N2"].pk),
    )
    other = client.get(children["S1"].get_absolute_url())
    assert other.status_code == 404
    denied = AccessLog.objects.order_by("-sequence").first()
    assert (denied.action, denied.record_id) == ("denied", str(children["S1"].pk))


def test_the_social_worker_cannot_open_a_colleagues_child(client_for, people, children):
    client = client_for(people.social_worker)
    assert client.get(children["N1"].get_absolute_url()).status_code == 200
    assert client.get(children["N2"].get_absolute_url()).status_code == 404


def test_listing_children_is_logged_and_searchable(client_for, people, children):
    client = client_for(people.qa_lead)
    page = client.get(reverse("cases:children"), {"id": "S"}).content.decode()
    assert children["S1"].get_absolute_url() in page
    assert children["N1"].get_absolute_url() not in page
    assert AccessLog.objects.filter(action="listed", record_type="cases.child").exists()


@pytest.mark.parametrize("extra", [0, 120])
def test_child_pages_cost_the_same_whatever_the_numbers(
    client_for, people, council, tmp_path, extra
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    team = people.north_team.name
    rows = [referral(child="C1", when=f"{d + 1:02d}/01/2024", team=team) for d in range(2)]
    rows += [referral(child=f"X{i}", team=team) for i in range(extra)]
    path = make_workbook(tmp_path / "r.xlsx", {"List 3": [REFERRAL_HEADERS, *rows]})
    import_annex_a(path, council=council.council, as_at=AS_AT)
    client = client_for(people.north_manager)
    child = Child.objects.get(la_child_id="C1")
    with CaptureQueriesContext(connection) as listing:
        client.get(reverse("cases:children"))
    with CaptureQueriesContext(connection) as record:
        client.get(child.get_absolute_url())
    assert (len(listing), len(record)) == (15, 24)  # the list: 13, and its area and team filters


def test_home_pages_say_what_to_do_next(client_for, people, children):
    qa = client_for(people.qa_lead).get(reverse("home")).content.decode()
    assert "The latest case data is as at 31 January 2024" in qa
    assert reverse("cases:quality") in qa
    manager = client_for(people.north_manager).get(reverse("home")).content.decode()
    assert "3 children are allocated within what you can see." in manager
    worker = client_for(people.social_worker).get(reverse("home")).content.decode()
    assert "1 child is allocated within what you can see." in worker


def test_before_any_import_the_administrator_is_asked_to_import(client_for, people):
    page = client_for(people.administrator).get(reverse("home")).content.decode()
    assert "Annex A return) so that samples" in page
