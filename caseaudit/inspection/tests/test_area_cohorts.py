"""Whose audits speak for a judgement area is data (``JudgementArea.cohort_services``), not
words matched in its name: the national areas get theirs by migration, exactly what the rule
it replaced gave, and again after the test suite empties the database; a council's QA lead
chooses its own areas' on a GOV.UK page (or an administrator in the admin), validated, with
history."""

import importlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from caseaudit.core.history import history_of
from caseaudit.inspection import actions
from caseaudit.inspection.models import JudgementArea
from caseaudit.organisation.choices import ServiceKind

AREAS = importlib.import_module("caseaudit.inspection.migrations.0002_national_judgement_areas")
COHORTS = importlib.import_module(
    "caseaudit.inspection.migrations.0004_judgement_area_cohort_services"
)
BEFORE = [("inspection", "0003_mock_inspections")]
HELP_AND_PROTECTION = "The experiences and progress of children who need help and protection"


def national() -> dict[str, list[str]]:
    return dict(JudgementArea.objects.filter(council=None).values_list("name", "cohort_services"))


# --- the migration's frozen data agrees with the app and with the rule it replaced ----------


def test_every_national_area_has_its_services_written_out():
    assert set(COHORTS.NATIONAL_AREA_SERVICES) == {name for name, *_ in AREAS.AREAS}


def test_the_frozen_kinds_are_still_kinds_of_service():
    for kinds in COHORTS.NATIONAL_AREA_SERVICES.values():
        assert set(kinds) <= set(ServiceKind.values)
        assert len(set(kinds)) == len(kinds)


def test_each_national_area_has_what_the_former_rule_found_from_its_name():
    for name, kinds in COHORTS.NATIONAL_AREA_SERVICES.items():
        assert COHORTS.by_former_rule(name) == kinds, name
    # What the self-evaluation has always read for help and protection.
    assert COHORTS.NATIONAL_AREA_SERVICES[HELP_AND_PROTECTION] == [
        ServiceKind.FRONT_DOOR,
        ServiceKind.ASSESSMENT,
        ServiceKind.FAMILY_SAFEGUARDING,
        ServiceKind.EARLY_HELP,
        ServiceKind.DISABILITIES,
    ]
    assert COHORTS.NATIONAL_AREA_SERVICES["Overall effectiveness"] == []


@pytest.mark.django_db
def test_the_database_holds_the_national_areas_services():
    assert national() == COHORTS.NATIONAL_AREA_SERVICES


# --- the migration itself, and the suite putting the data back after a flush ----------------


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


# A real transaction: SQLite's schema editor refuses to run inside the test's own.
@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_national_areas_and_a_councils_own_by_the_former_rule():
    executor = _migrate(BEFORE)
    old = executor.loader.project_state(BEFORE[0]).apps
    council = old.get_model("organisation", "Council").objects.create(name="Old", code="951")
    Area = old.get_model("inspection", "JudgementArea")
    Area.objects.create(council=council, name="Our help and protection work", order=1)
    Area.objects.create(council=council, name="Local leadership", order=2)

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert national() == COHORTS.NATIONAL_AREA_SERVICES
    own = dict(
        JudgementArea.objects.filter(council_id=council.pk).values_list("name", "cohort_services")
    )
    assert own == {
        "Our help and protection work": COHORTS.HELP_AND_PROTECTION,
        "Local leadership": [],
    }

    # Unapplying drops the field and nothing else; applying again writes the same.
    _migrate(BEFORE)
    assert Area.objects.filter(council=None).count() == len(AREAS.AREAS)
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert national() == COHORTS.NATIONAL_AREA_SERVICES


@pytest.mark.django_db(transaction=True)
def test_after_the_suite_empties_the_database_the_national_areas_have_their_services():
    JudgementArea.objects.filter(council=None, name=HELP_AND_PROTECTION).update(cohort_services=[])
    call_command("flush", interactive=False, verbosity=0)
    assert national() == COHORTS.NATIONAL_AREA_SERVICES


# --- the action ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_qa_lead_chooses_a_council_areas_services_with_history(council, people):
    own = JudgementArea.objects.create(council=council.council, name="Children we look after")
    done = actions.set_area_cohort(
        own, services=[ServiceKind.LOOKED_AFTER, ServiceKind.FOSTERING], by=people.qa_lead
    )
    assert JudgementArea.objects.get(pk=own.pk).cohort_services == ["looked_after", "fostering"]
    change = history_of(done).get()
    assert change.before == {"cohort_services": []}
    assert change.after == {"cohort_services": ["looked_after", "fostering"]}
    assert change.username == people.qa_lead.username
    # The same again changes nothing and writes no history.
    actions.set_area_cohort(own, services=["looked_after", "fostering"], by=people.qa_lead)
    assert history_of(done).count() == 1


@pytest.mark.django_db
def test_the_action_refuses_an_unknown_service_a_national_area_and_other_people(council, people):
    own = JudgementArea.objects.create(council=council.council, name="Local heading")
    with pytest.raises(ValidationError) as refused:
        actions.set_area_cohort(own, services=["astrology"], by=people.qa_lead)
    assert refused.value.message_dict == {"cohort_services": ["Select services from the list"]}
    with pytest.raises(ValidationError):
        actions.set_area_cohort(own, services=["adoption", "adoption"], by=people.qa_lead)
    national_area = JudgementArea.objects.get(council=None, name=HELP_AND_PROTECTION)
    with pytest.raises(ValidationError):
        actions.set_area_cohort(national_area, services=[], by=people.qa_lead)
    for who in (people.director, people.outsider):
        with pytest.raises(PermissionDenied):
            actions.set_area_cohort(own, services=["adoption"], by=who)
    assert JudgementArea.objects.get(pk=own.pk).cohort_services == []
    assert not history_of(own).exists()
    assert national()[HELP_AND_PROTECTION] == COHORTS.HELP_AND_PROTECTION


@pytest.mark.django_db
def test_the_model_refuses_what_is_not_a_list_of_kinds(council):
    area = JudgementArea(council=council.council, name="Local", cohort_services="adoption")
    with pytest.raises(ValidationError) as refused:
        area.full_clean()
    assert "cohort_services" in refused.value.message_dict


# --- the page -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_qa_lead_reaches_the_page_from_the_self_evaluation_and_saves(
    client_for, people, council
):
    own = JudgementArea.objects.create(council=council.council, name="Children we look after")
    client = client_for(people.qa_lead)
    know = reverse("inspection:know_ourselves", args=[own.pk])
    url = reverse("inspection:area_cohort", args=[own.pk])
    page = client.get(know).content.decode()
    assert url in page and "The cohort: Every service&#x27;s audits." in page
    form = client.get(url).content.decode()
    assert 'type="checkbox"' in form and 'value="looked_after"' in form
    response = client.post(url, {"cohort_services": ["looked_after", "care_leavers"]})
    assert response.status_code == 302 and response.url == know
    assert JudgementArea.objects.get(pk=own.pk).cohort_services == [
        "looked_after",
        "care_leavers",
    ]
    assert history_of(own).count() == 1
    page = client.get(know).content.decode()
    # The council has no such services yet: the page names the kinds chosen.
    assert "Looked After Children, Care Leavers (the council has no such service)" in page
    # None chosen: every service's audits again.
    assert client.post(url, {}).status_code == 302
    assert JudgementArea.objects.get(pk=own.pk).cohort_services == []


@pytest.mark.django_db
def test_the_page_refuses_an_unknown_service_with_a_govuk_error(client_for, people, council):
    own = JudgementArea.objects.create(
        council=council.council, name="Local heading", cohort_services=["adoption"]
    )
    url = reverse("inspection:area_cohort", args=[own.pk])
    response = client_for(people.qa_lead).post(url, {"cohort_services": ["adoption", "astrology"]})
    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and "Select services from the list" in text
    assert "<title>Error:" in text
    assert JudgementArea.objects.get(pk=own.pk).cohort_services == ["adoption"]
    assert not history_of(own).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("qa_lead", 200),
        ("director", 403),
        ("north_manager", 403),
        ("social_worker", 403),
        ("councillor", 403),
        ("outsider", 404),
    ],
)
def test_who_may_choose_whose_audits_count(client_for, people, council, who, status):
    own = JudgementArea.objects.create(council=council.council, name="Local heading")
    url = reverse("inspection:area_cohort", args=[own.pk])
    client = client_for(getattr(people, who))
    assert client.get(url).status_code == status
    assert client.post(url, {"cohort_services": ["adoption"]}).status_code in {status, 302}
    expected = ["adoption"] if who == "qa_lead" else []
    assert JudgementArea.objects.get(pk=own.pk).cohort_services == expected


@pytest.mark.django_db
def test_a_national_areas_services_are_shown_not_offered_for_change(client_for, people):
    national_area = JudgementArea.objects.get(council=None, name=HELP_AND_PROTECTION)
    client = client_for(people.qa_lead)
    page = client.get(reverse("inspection:know_ourselves", args=[national_area.pk]))
    url = reverse("inspection:area_cohort", args=[national_area.pk])
    assert url not in page.content.decode()
    assert client.get(url).status_code == 404
    # The director reads the page but is not offered the change.
    own = JudgementArea.objects.create(council=people.qa_lead.council, name="Local heading")
    shown = client_for(people.director).get(reverse("inspection:know_ourselves", args=[own.pk]))
    assert reverse("inspection:area_cohort", args=[own.pk]) not in shown.content.decode()


@pytest.mark.django_db
def test_an_administrator_chooses_them_in_the_admin_with_checkboxes(client_for, people):
    own = JudgementArea.objects.create(council=people.administrator.council, name="Local")
    url = reverse("admin:inspection_judgementarea_change", args=[own.pk])
    client = client_for(people.administrator)
    assert 'value="care_leavers"' in client.get(url).content.decode()
    data = {"name": "Local", "framework": "", "order": 0, "cohort_services": ["care_leavers"]}
    assert client.post(url, data).status_code == 302
    assert JudgementArea.objects.get(pk=own.pk).cohort_services == ["care_leavers"]
    refused = client.post(url, {**data, "cohort_services": ["astrology"]})
    assert refused.status_code == 200
    assert JudgementArea.objects.get(pk=own.pk).cohort_services == ["care_leavers"]
    assert history_of(own).exists()
