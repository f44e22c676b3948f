"""A fresh installation from the web: the administrator creates the council and imports its
first Annex A return, as `caseaudit import FILE --council CODE --council-name NAME` does."""

from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from caseaudit.accounts.models import User
from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.models import Child, ImportRun
from caseaudit.cases.tests.test_import import small_return
from caseaudit.core.models import ChangeRecord
from caseaudit.core.roles import Role, Scope
from caseaudit.organisation.models import Council

pytestmark = pytest.mark.django_db
URL = reverse("cases:start")


def first_return(tmp_path):
    team = SimpleNamespace(pk=1, name="Northshire Assessment Team 1")
    spec = SimpleNamespace(teams=[team], practitioners={1: [SimpleNamespace(name="Ann Example")]})
    return small_return(tmp_path / "first.xlsx", spec)


def installer(**fields) -> User:
    """The first account on a fresh installation: no council yet."""
    return User.objects.create_user(username="installer", password="x", **fields)  # noqa: S106


def post(client, path, **data):
    with open(path, "rb") as handle:
        file = SimpleUploadedFile(path.name, handle.read())
    return client.post(URL, {"file": file, **data})


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({"role": Role.ADMINISTRATOR, "scope": Scope.COUNCIL}, 200),
        ({"is_superuser": True, "is_staff": True}, 200),
        ({"role": Role.QA_LEAD, "scope": Scope.COUNCIL}, 403),
        ({"role": Role.SOCIAL_WORKER}, 403),
        ({"role": Role.ADMINISTRATOR, "scope": Scope.COUNCIL, "is_active": False}, 302),
    ],
)
def test_only_an_administrator_without_a_council_may_start_one(client, fields, status):
    client.force_login(installer(**fields))
    assert client.get(URL).status_code == status


def test_people_of_an_existing_council_are_refused(client_for, people):
    for persona in ("administrator", "qa_lead", "social_worker", "councillor"):
        assert client_for(getattr(people, persona)).get(URL).status_code == 403


def test_the_home_page_offers_the_way_on(client):
    user = installer(role=Role.ADMINISTRATOR, scope=Scope.COUNCIL)
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert "This installation has no council yet." in page
    assert f'href="{URL}">Set up your council</a>' in page


def test_the_administrator_creates_the_council_and_imports_its_first_return(
    client, tmp_path, django_capture_on_commit_callbacks
):
    user = installer(is_superuser=True, is_staff=True)
    client.force_login(user)
    path = first_return(tmp_path)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            path,
            code=" 977 ",
            name="Northshire  County Council",
            **{"as_at_0": "31", "as_at_1": "1", "as_at_2": "2024"},
        )
    council = Council.objects.get()
    # The one rule for a new council (organisation.actions.start_council) tidied both.
    assert (council.code, council.name) == ("977", "Northshire County Council")
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:import", args=[run.pk])
    run.refresh_from_db()
    assert (run.council, run.status, run.requested_by) == (council, ImportStatus.LOADED, user)
    assert Child.objects.filter(council=council).count() == 12
    user.refresh_from_db()
    assert (user.council, user.role, user.scope) == (council, Role.ADMINISTRATOR, Scope.COUNCIL)
    assert ChangeRecord.objects.filter(action="created", after__code="977").exists()
    assert ChangeRecord.objects.filter(
        action="changed", reason="Started the council on a fresh installation"
    ).exists()
    # Now an administrator of the council: the import's page is theirs, and no second start.
    page = client.get(response.url).content.decode()
    assert "Northshire County Council is created, and you are its administrator." in page
    assert client.get(URL).status_code == 403
    assert "Set up your council" not in client.get(reverse("home")).content.decode()


def test_the_form_explains_its_errors_and_creates_nothing(client, tmp_path):
    client.force_login(installer(role=Role.ADMINISTRATOR, scope=Scope.COUNCIL))
    empty = client.post(URL, {})
    page = empty.content.decode()
    assert "Enter the council&#x27;s three-digit code" in page
    assert "Enter the council&#x27;s name" in page
    assert "Select the Annex A file to import" in page
    assert "<title>Error: " in page

    path = first_return(tmp_path)
    wrong_code = post(client, path, code="NS", name="Northshire").content.decode()
    assert "the DfE&#x27;s three-digit local-authority code, like 936, not &#x27;NS&#x27;" in (
        wrong_code
    )
    assert 'href="#id_code"' in wrong_code
    text = tmp_path / "notes.txt"
    text.write_text("not a return")
    wrong_file = post(client, text, code="977", name="Northshire").content.decode()
    assert "The selected file must be an .xlsx workbook, a .csv or a .zip" in wrong_file
    assert 'href="#id_file"' in wrong_file
    assert not Council.objects.exists()
    assert not ImportRun.objects.exists()
    assert User.objects.get().council is None


def test_a_second_council_is_not_started_from_the_web(client, council, tmp_path):
    """A superuser with no council, on an installation that has one, is told what to do."""
    client.force_login(installer(is_superuser=True, is_staff=True))
    response = post(client, first_return(tmp_path), code="977", name="Northshire")
    page = response.content.decode()
    assert response.status_code == 200
    assert "This installation already has a council." in page
    assert Council.objects.count() == 1
