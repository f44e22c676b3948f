"""The admin keeps each administrator to their own council: lists, pages, choices,
autocomplete answers and what a crafted POST can set. Superusers keep everything."""

import pytest
from django.urls import reverse

from caseaudit.accounts.choices import Role, Scope
from caseaudit.accounts.models import User
from caseaudit.conftest import PASSWORD
from caseaudit.organisation.models import Area, Assignment, Council, Service, Team, Worker

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.invalid", PASSWORD)


def _url(model, view, *args):
    meta = model._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=args)


def _objects(people, council_side):
    """One record of each configured model, from the given council."""
    council = people.other if council_side == "other" else None
    if council is None:
        c = people.qa_lead.council
        return {
            Council: c,
            Area: people.north_team.area,
            Service: people.north_team.service,
            Team: people.north_team,
            Worker: people.north_manager.worker,
            Assignment: people.north_manager.worker.assignments.first(),
            User: people.qa_lead,
        }
    return {
        Council: council.council,
        Area: council.north,
        Service: council.service,
        Team: council.teams[0],
        Worker: council.managers[council.teams[0].pk],
        Assignment: council.managers[council.teams[0].pk].assignments.first(),
        User: people.outsider,
    }


def test_administrator_sees_and_changes_only_their_own_councils_records(client_for, people):
    client = client_for(people.administrator)
    own, other = _objects(people, "own"), _objects(people, "other")
    for model in own:
        listing = client.get(_url(model, "changelist"))
        assert listing.status_code == 200, model
        shown = set(listing.context["cl"].result_list)
        assert own[model] in shown, model
        assert other[model] not in shown, model
        assert client.get(_url(model, "change", own[model].pk)).status_code == 200, model
        refused = client.get(_url(model, "change", other[model].pk))
        # The admin answers a record it cannot find with a redirect to its index.
        assert refused.status_code == 302, model
        assert refused.url == reverse("admin:index"), model


def test_only_superusers_add_or_delete_councils(client_for, people, superuser):
    client = client_for(people.administrator)
    assert client.get(_url(Council, "add")).status_code == 403
    own = people.administrator.council
    assert client.post(_url(Council, "delete", own.pk), {"post": "yes"}).status_code == 403
    assert client.post(_url(Council, "add"), {"name": "New", "code": "999"}).status_code == 403
    assert not Council.objects.filter(code="999").exists()
    assert Council.objects.filter(pk=own.pk).exists()

    client = client_for(superuser)
    assert client.get(_url(Council, "changelist")).status_code == 200
    assert client.post(_url(Council, "add"), {"name": "New", "code": "999"}).status_code == 302
    assert Council.objects.filter(code="999").exists()


def test_every_choice_in_an_administrators_forms_is_from_their_council(client_for, people):
    client = client_for(people.administrator)
    council_id = people.administrator.council_id
    for model in (Team, Assignment, User, Area, Service, Worker):
        page = client.get(_url(model, "add"))
        assert page.status_code == 200, model
        for name, field in page.context["adminform"].form.fields.items():
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            for choice in queryset:
                owner_id = choice.pk if isinstance(choice, Council) else choice.council_id
                assert owner_id == council_id, (model, name, choice)


def _user_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "council": user.council_id,
        "worker": user.worker_id or "",
        "role": user.role,
        "scope": user.scope,
        "scope_area": user.scope_area_id or "",
        "scope_service": user.scope_service_id or "",
        "scope_team": user.scope_team_id or "",
        "is_active": "on",
    }
    data.update(changes)
    return data


def test_an_administrator_cannot_move_a_user_into_another_council(client_for, people):
    client = client_for(people.administrator)
    # The escalation from the issue: a council-wide QA lead moved to another council would
    # read its children. The council field is not the administrator's to set.
    lead = people.qa_lead
    client.post(_url(User, "change", lead.pk), _user_form(lead, council=people.other.council.pk))
    lead.refresh_from_db()
    assert lead.council_id == people.administrator.council_id
    target = people.north_manager
    url = _url(User, "change", target.pk)
    # Nor can they point the account at another council's team, area, service or worker.
    other = people.other
    for field, record in [
        ("scope_team", other.teams[0]),
        ("scope_area", other.north),
        ("scope_service", other.service),
        ("worker", other.managers[other.teams[0].pk]),
    ]:
        response = client.post(url, _user_form(target, **{field: record.pk}))
        assert response.status_code == 200, field
        assert field in response.context["adminform"].form.errors, field
        target.refresh_from_db()
        assert getattr(target, f"{field}_id") != record.pk, field
    assert target.council_id == people.administrator.council_id
    assert target.scope_team_id == people.north_team.pk


def test_an_administrator_cannot_attach_another_councils_team_to_their_area(client_for, people):
    client = client_for(people.administrator)
    team = people.north_team
    data = {"name": team.name, "area": people.other.north.pk, "service": team.service_id}
    response = client.post(_url(Team, "change", team.pk), data)
    assert response.status_code == 200
    assert "area" in response.context["adminform"].form.errors
    team.refresh_from_db()
    assert team.area_id == people.north_team.area_id


def test_a_user_an_administrator_adds_belongs_to_their_council(client_for, people):
    client = client_for(people.administrator)
    response = client.post(
        _url(User, "add"),
        {
            "username": "new.manager",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "first_name": "New",
            "last_name": "Manager",
            "council": people.other.council.pk,  # ignored: not theirs to choose
            "role": Role.AUDITOR,
            "scope": Scope.TEAM,
            "scope_team": people.south_team.pk,
        },
    )
    assert response.status_code == 302
    created = User.objects.get(username="new.manager")
    assert created.council_id == people.administrator.council_id
    assert (created.role, created.scope, created.scope_team) == (
        Role.AUDITOR,
        Scope.TEAM,
        people.south_team,
    )
    listing = client.get(_url(User, "changelist"))
    assert created in listing.context["cl"].result_list
    assert client.get(_url(User, "change", created.pk)).status_code == 200


def test_autocomplete_answers_only_from_the_administrators_council(client_for, people):
    client = client_for(people.administrator)
    other_worker = people.other.managers[people.other.teams[0].pk]

    def answers(model_name, field_name, term):
        response = client.get(
            reverse("admin:autocomplete"),
            {
                "app_label": "organisation" if model_name == "assignment" else "accounts",
                "model_name": model_name,
                "field_name": field_name,
                "term": term,
            },
        )
        assert response.status_code == 200
        return {int(row["id"]) for row in response.json()["results"]}

    own_workers = set(
        Worker.objects.filter(council=people.administrator.council).values_list("pk", flat=True)
    )
    found = answers("user", "worker", "Worker")
    assert found and found <= own_workers
    assert answers("user", "worker", other_worker.staff_id) == set()
    assert other_worker.pk not in answers("assignment", "manager", "Worker")
    teams = answers("assignment", "team", "Safeguarding")
    assert teams == {t.pk for t in Team.objects.filter(council=people.administrator.council)}


def test_superusers_still_manage_every_council(client_for, people, superuser):
    client = client_for(superuser)
    listing = client.get(_url(User, "changelist"))
    assert {people.qa_lead, people.outsider} <= set(listing.context["cl"].result_list)
    target = people.outsider
    other = people.other
    response = client.post(
        _url(User, "change", target.pk),
        _user_form(target, role=Role.AUDITOR, scope=Scope.TEAM, scope_team=other.teams[1].pk),
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.scope_team_id == other.teams[1].pk


def test_list_filters_offer_only_the_administrators_own_records(client_for, people):
    listing = client_for(people.administrator).get(_url(Team, "changelist"))
    own = people.administrator.council
    offered = {
        spec.field.related_model: {pk for pk, _label in spec.lookup_choices}
        for spec in listing.context["cl"].filter_specs
    }
    assert offered[Area] == set(own.areas.values_list("pk", flat=True))
    # A filter with a single choice is not shown; when shown, it is the council's own.
    assert offered.get(Service, set()) <= set(own.services.values_list("pk", flat=True))
