"""Who may and who may not see each page of the organisation browser."""

import pytest
from django.urls import reverse

from caseaudit.accounts.models import AccessLog

pytestmark = pytest.mark.django_db


def test_signed_out_people_are_sent_to_sign_in(client, people):
    response = client.get(reverse("organisation:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("qa_lead", 200),
        ("north_manager", 200),
        ("area_lead", 200),
        ("director", 200),
        ("administrator", 200),
        ("social_worker", 403),
        ("councillor", 403),
    ],
)
def test_organisation_index_by_role(client_for, people, persona, status):
    response = client_for(getattr(people, persona)).get(reverse("organisation:index"))
    assert response.status_code == status


def test_team_manager_sees_only_their_team(client_for, people):
    client = client_for(people.north_manager)
    index = client.get(reverse("organisation:index")).content.decode()
    assert people.north_team.name in index
    assert people.south_team.name not in index
    assert client.get(people.north_team.get_absolute_url()).status_code == 200
    assert client.get(people.south_team.get_absolute_url()).status_code == 404


def test_changing_the_url_to_another_teams_worker_is_refused_and_logged(
    client_for, people, council
):
    stranger = council.practitioners[people.south_team.pk][0]
    response = client_for(people.north_manager).get(stranger.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    denial = AccessLog.objects.order_by("-sequence").first()
    assert (denial.username, denial.action) == ("north.manager", "denied")
    assert (denial.record_type, denial.record_id) == ("organisation.worker", str(stranger.pk))
    assert "organisation:worker" in denial.route


def test_viewing_a_worker_is_logged(client_for, people, council):
    colleague = council.practitioners[people.north_team.pk][1]
    response = client_for(people.north_manager).get(colleague.get_absolute_url())
    assert response.status_code == 200
    assert colleague.name in response.content.decode()
    entry = AccessLog.objects.order_by("-sequence").first()
    assert (entry.action, entry.record_id) == ("viewed", str(colleague.pk))


def test_area_scope_sees_its_area_only(client_for, people):
    client = client_for(people.area_lead)
    assert client.get(people.north_team.get_absolute_url()).status_code == 200
    assert client.get(people.south_team.get_absolute_url()).status_code == 404
    assert client.get(people.north_team.area.get_absolute_url()).status_code == 200
    assert client.get(people.south_team.area.get_absolute_url()).status_code == 404


def test_another_councils_qa_lead_sees_nothing_of_this_council(client_for, people):
    client = client_for(people.outsider)
    assert client.get(people.north_team.get_absolute_url()).status_code == 404
    index = client.get(reverse("organisation:index")).content.decode()
    assert people.north_team.get_absolute_url() not in index
    assert people.other.teams[0].get_absolute_url() in index


def test_a_worker_who_moved_appears_in_their_new_team_and_the_old_teams_history(
    client_for, people, council
):
    import datetime

    from caseaudit.organisation import actions

    mover = council.practitioners[people.north_team.pk][2]
    actions.move_worker(
        mover,
        team=people.south_team,
        job_role="social_worker",
        on=datetime.date(2024, 9, 2),
        by=people.administrator,
    )
    north = client_for(people.north_manager)
    assert north.get(mover.get_absolute_url()).status_code == 404
    old_team = north.get(people.north_team.get_absolute_url()).content.decode()
    assert "Who has left the team" in old_team and mover.name in old_team
    south = client_for(people.south_manager)
    assert south.get(mover.get_absolute_url()).status_code == 200


def test_if_the_access_log_cannot_be_written_the_page_is_refused(
    client, people, council, monkeypatch
):
    from caseaudit.accounts import access

    def broken(**fields):
        raise RuntimeError("log unavailable")

    monkeypatch.setattr(access.AccessLog, "append", broken)
    client.raise_request_exception = False
    client.force_login(people.north_manager)
    colleague = council.practitioners[people.north_team.pk][1]
    response = client.get(colleague.get_absolute_url())
    assert response.status_code == 500
    assert colleague.name not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    # Not mistaken for the database being away: that page says to try again shortly.
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_organisation_pages_cost_the_same_whatever_the_number_of_teams(client, db):
    from caseaudit.accounts.choices import Role, Scope
    from caseaudit.conftest import make_council, make_user
    from caseaudit.testing.queries import page_queries

    def costs(code: str, teams_per_area: int) -> list[int]:
        built = make_council(f"Sizeshire {code}", code, teams_per_area=teams_per_area)
        qa = make_user(built.council, f"qa.{code}", Role.QA_LEAD, Scope.COUNCIL)
        client.force_login(qa)
        team = built.teams[0]
        worker = built.practitioners[team.pk][0]
        urls = [
            reverse("organisation:index"),
            team.area.get_absolute_url(),
            team.service.get_absolute_url(),
            team.get_absolute_url(),
            worker.get_absolute_url(),
            reverse("home"),
        ]
        return [page_queries(client, url) for url in urls]

    # Two teams and twelve: what grows with the number of teams or staff shows as a difference.
    assert costs("903", teams_per_area=1) == costs("904", teams_per_area=6)
