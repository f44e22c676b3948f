"""An id in a query string that no table could hold is "no such record", never a 500."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from caseaudit.audits.tests.test_workflow import import_children
from caseaudit.core.forms import MAX_ID, id_param

pytestmark = pytest.mark.django_db

NOT_IDS = ["99999999999999999999", str(MAX_ID + 1), "-5", "0", "1e9", "²", "١٢", " ", "abc"]


@pytest.mark.parametrize("value", NOT_IDS)
def test_what_cannot_be_an_id_is_none(value):
    assert id_param(RequestFactory().get("/", {"team": value}), "team") is None


def test_an_id_is_read():
    assert id_param(RequestFactory().get("/", {"team": " 42 "}), "team") == 42
    assert id_param(RequestFactory().get("/", {"team": str(MAX_ID)}), "team") == MAX_ID
    assert id_param(RequestFactory().get("/"), "team") is None


def test_the_children_page_ignores_a_team_that_cannot_exist(client_for, people, council, tmp_path):
    children = import_children(people, council, tmp_path)
    client = client_for(people.qa_lead)
    for value in NOT_IDS:
        page = client.get(reverse("cases:children"), {"team": value})
        assert page.status_code == 200, value
        assert {child.la_child_id for child in page.context["page"]} == set(children), value


def test_the_children_page_filters_by_a_real_team(client_for, people, council, tmp_path):
    import_children(people, council, tmp_path)
    page = client_for(people.qa_lead).get(reverse("cases:children"), {"team": people.south_team.pk})
    assert {child.la_child_id for child in page.context["page"]} == {"S1"}


@pytest.mark.parametrize("value", ["99999999999999999999", "-99999999999999999999"])
def test_admin_list_filters_with_a_huge_id_are_not_a_500(client_for, people, value):
    client = client_for(people.administrator)
    for url, lookup in [
        (reverse("admin:organisation_team_changelist"), "area__id__exact"),
        (reverse("admin:organisation_assignment_changelist"), "team__id__exact"),
        (reverse("admin:accounts_user_changelist"), "id"),
    ]:
        assert client.get(url, {lookup: value}).status_code in (200, 302)
