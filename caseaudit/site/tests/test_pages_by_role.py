"""Every page, every persona: who may and who may not."""

import pytest
from django.urls import reverse

from caseaudit.accounts import permissions
from caseaudit.site.navigation import navigation_for

pytestmark = pytest.mark.django_db

ALL = [
    "qa_lead",
    "north_manager",
    "social_worker",
    "area_lead",
    "director",
    "councillor",
    "administrator",
    "outsider",
]


@pytest.mark.parametrize("persona", ALL)
def test_everyone_has_a_home_page_and_an_account_page(client_for, people, persona):
    client = client_for(getattr(people, persona))
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("accounts:account")).status_code == 200


@pytest.mark.parametrize("persona", ALL)
def test_every_navigation_link_opens_for_the_person_it_is_shown_to(client_for, people, persona):
    user = getattr(people, persona)
    client = client_for(user)
    for item in navigation_for(user):
        assert client.get(item.url).status_code == 200, item


@pytest.mark.parametrize(
    ("persona", "may"),
    [
        ("administrator", True),
        ("qa_lead", False),
        ("director", False),
        ("north_manager", False),
        ("councillor", False),
    ],
)
def test_access_log_and_administration_are_for_administrators(client_for, people, persona, may):
    client = client_for(getattr(people, persona))
    assert client.get(reverse("accounts:access_log")).status_code == (200 if may else 403)
    admin = client.get(reverse("admin:index"), follow=True)
    assert admin.status_code == (200 if may else 403)


def test_administrators_see_only_their_own_councils_accounts(client_for, people):
    page = client_for(people.administrator).get(reverse("admin:accounts_user_changelist"))
    assert "qa.lead" in page.content.decode()
    assert "outsider" not in page.content.decode()


def test_elected_members_see_aggregates_only(client_for, people):
    user = people.councillor
    assert not permissions.can_see_child_records(user)
    assert not permissions.can_browse_organisation(user)
    page = client_for(user).get(reverse("home")).content.decode()
    assert "The council at a glance" in page
    assert "Worker " not in page  # no member of staff by name


def test_team_managers_home_lists_their_team(client_for, people, council):
    page = client_for(people.north_manager).get(reverse("home")).content.decode()
    assert f"People in {people.north_team}" in page
    for worker in council.practitioners[people.north_team.pk]:
        assert worker.name in page


def test_scope_must_fit_the_role(people):
    from django.core.exceptions import ValidationError

    from caseaudit.accounts.choices import Scope

    user = people.social_worker
    user.scope = Scope.COUNCIL
    with pytest.raises(ValidationError, match="can only have scope"):
        user.full_clean()
