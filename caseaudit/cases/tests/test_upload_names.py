"""An upload keeps the person's file name: the importer tells a .csv's list by it, and every
message names the file as the person knows it, not a name caseaudit made up."""

import csv
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from caseaudit.cases import uploads
from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.models import ImportRun, Snapshot
from caseaudit.cases.tests.test_import import REFERRAL_HEADERS, referral

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "kept"),
    [
        ("List 3 - Referrals.csv", "List 3 - Referrals.csv"),
        ("Annex A March 2026.XLSX", "Annex A March 2026.xlsx"),
        ("../../etc/passwd.csv", "passwd.csv"),
        ("C:\\Users\\ann\\List 1.csv", "List 1.csv"),
        (".hidden.csv", "hidden.csv"),
        ("line\nbreak\x00.csv", "linebreak.csv"),
        (".csv", "upload.csv"),
        ("", "upload.csv"),
        ("x" * 400 + ".csv", "x" * uploads.NAME_LIMIT + ".csv"),
    ],
)
def test_the_kept_name_is_the_persons_as_a_name_only(name, kept):
    assert uploads.file_name(name, ".csv" if "xlsx" not in name.lower() else ".xlsx") == kept


def test_each_upload_has_a_private_folder_of_its_own_gone_with_it(settings, tmp_path):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    one = uploads.store(SimpleUploadedFile("List 3.csv", b"a"), ".csv")
    two = uploads.store(SimpleUploadedFile("List 3.csv", b"b"), ".csv")
    assert one.name == two.name == "List 3.csv"
    assert one.parent != two.parent
    assert one.parent.parent == tmp_path / "uploads"
    assert (one.stat().st_mode & 0o777, one.parent.stat().st_mode & 0o777) == (0o600, 0o700)
    uploads.discard(SimpleNamespace(stored_path=str(one), pk=1))
    uploads.discard(SimpleNamespace(stored_path=str(one), pk=1))  # twice is harmless
    assert list((tmp_path / "uploads").iterdir()) == [two.parent]


def test_a_csv_is_known_by_its_name_through_the_web(
    client_for, people, council, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.UPLOAD_DIR = tmp_path / "uploads"
    team = council.teams[0]
    worker = council.practitioners[team.pk][0]
    path = tmp_path / "List 3 - Referrals.csv"
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REFERRAL_HEADERS)
        for number in range(3):
            writer.writerow(referral(child=str(2000 + number), team=team.name, worker=worker.name))
    with open(path, "rb") as handle:
        upload = SimpleUploadedFile(path.name, handle.read())
    client = client_for(people.qa_lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("cases:imports"), {"file": upload})
    run = ImportRun.objects.get()
    run.refresh_from_db()
    assert run.status == ImportStatus.LOADED, run.summary
    # Known by its name: no warning that the name does not say which list it is.
    assert not run.problems.filter(message__contains="file name does not say").exists()
    assert run.summary["source"] == "List 3 - Referrals.csv"
    assert Snapshot.objects.get().source_name == "List 3 - Referrals.csv"
    page = client.get(response.url).content.decode()
    assert "List 3 - Referrals.csv" in page
    assert list((tmp_path / "uploads").iterdir()) == []
