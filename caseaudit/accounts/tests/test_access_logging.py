"""The access log says which records each list showed, names the children in the home
page's safeguarding banner, and records every refusal."""

import pytest
from django.db import DatabaseError
from django.urls import reverse

from caseaudit.accounts.choices import AccessAction
from caseaudit.accounts.models import AccessLog
from caseaudit.audits.actions import safeguarding
from caseaudit.audits.tests.test_workflow import import_children, make_audit
from caseaudit.core.chain import verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def children(people, council, tmp_path):
    return import_children(people, council, tmp_path)


def _latest(**filters) -> AccessLog:
    return AccessLog.objects.filter(**filters).order_by("-sequence").first()


def _ids(entry: AccessLog) -> set[int]:
    return {int(pk) for pk in entry.listed_ids}


def test_a_list_page_logs_exactly_the_children_on_it(client_for, people, children):
    client = client_for(people.north_manager)
    assert client.get(reverse("cases:children")).status_code == 200
    listed = _latest(action=AccessAction.LISTED, record_type="cases.child")
    assert _ids(listed) == {children["N1"].pk, children["N2"].pk}  # S1 is another team's

    client = client_for(people.qa_lead)
    client.get(reverse("cases:children"), {"id": "S"})
    assert _ids(_latest(action=AccessAction.LISTED)) == {children["S1"].pk}
    client.get(reverse("cases:children"), {"id": "nobody"})
    empty = _latest(action=AccessAction.LISTED)
    assert (empty.record_ids, empty.listed_ids) == ("", [])
    assert list(verify_chain(AccessLog)) == []


def test_the_access_log_page_shows_which_records_a_list_showed(client_for, people, children):
    client_for(people.north_manager).get(reverse("cases:children"))
    page = client_for(people.administrator).get(reverse("accounts:access_log")).content.decode()
    assert "2 records shown" in page
    first, second = children["N1"].pk, children["N2"].pk
    assert f"{first}, {second}" in page or f"{second}, {first}" in page


def test_the_child_ids_in_the_home_page_banner_are_logged(client_for, people, children):
    audit = make_audit(children["N1"], people.south_manager)
    safeguarding.raise_alert(audit, concern="Worried", by=people.south_manager)
    page = client_for(people.north_manager).get(reverse("home")).content.decode()
    assert "Child N1" in page
    listed = _latest(action=AccessAction.LISTED, record_type="cases.child")
    assert listed.username == "north.manager"
    assert _ids(listed) == {children["N1"].pk}
    assert "(home)" in listed.route


def test_a_home_page_without_alerts_logs_no_list(client_for, people):
    client_for(people.north_manager).get(reverse("home"))
    assert not AccessLog.objects.filter(action=AccessAction.LISTED).exists()


def test_a_refusal_is_logged(client_for, people):
    assert client_for(people.councillor).get(reverse("cases:children")).status_code == 403
    denied = _latest(action=AccessAction.DENIED)
    assert denied.username == "councillor"
    assert "/case-data/children/" in denied.route


def test_an_admin_refusal_is_logged_with_its_record(client_for, people):
    client = client_for(people.administrator)
    council = people.administrator.council
    url = reverse("admin:organisation_council_delete", args=[council.pk])
    assert client.get(url).status_code == 403
    denied = _latest(action=AccessAction.DENIED)
    assert (denied.username, denied.record_type, denied.record_id) == (
        "administrator",
        "organisation.council",
        str(council.pk),
    )
    # Someone who is not an administrator at all is refused the admin, and that is logged too.
    refused = client_for(people.qa_lead).get(reverse("admin:index"), follow=True)
    assert refused.status_code == 403
    assert _latest(action=AccessAction.DENIED).username == "qa.lead"


def test_a_refusal_that_cannot_be_logged_is_still_a_refusal(client_for, people, monkeypatch):
    def broken(**fields):
        raise DatabaseError("the log is unavailable")

    monkeypatch.setattr(AccessLog, "append", broken)
    assert client_for(people.councillor).get(reverse("cases:children")).status_code == 403
