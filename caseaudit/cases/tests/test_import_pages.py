"""The upload page, the background import and the data-quality report, by role."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from caseaudit.accounts.models import AccessLog
from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import CPPlan, ImportRun, Snapshot
from caseaudit.cases.quality import quality_report
from caseaudit.cases.tests.test_annex_a_reader import make_workbook
from caseaudit.cases.tests.test_import import (
    CLA_HEADERS,
    REFERRAL_HEADERS,
    referral,
    small_return,
)
from caseaudit.testing.queries import page_queries

pytestmark = pytest.mark.django_db
AS_AT = datetime.date(2024, 1, 31)

CP_HEADERS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age",
    "Child Protection Plan Start Date",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Child Protection Plan End Date",
    "Allocated Team",
    "Allocated Worker",
]


def upload(client, path, **data):
    with open(path, "rb") as handle:
        file = SimpleUploadedFile(path.name, handle.read())
    return client.post(reverse("cases:imports"), {"file": file, **data})


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("administrator", 200),
        ("qa_lead", 200),
        ("director", 403),
        ("north_manager", 403),
        ("social_worker", 403),
        ("councillor", 403),
    ],
)
def test_case_data_pages_are_for_administrators_and_qa_leads(client_for, people, persona, status):
    client = client_for(getattr(people, persona))
    assert client.get(reverse("cases:imports")).status_code == status
    assert client.get(reverse("cases:quality")).status_code == status


def test_an_upload_is_imported_in_the_background_and_its_page_shows_the_result(
    client_for, people, council, tmp_path, django_capture_on_commit_callbacks
):
    client = client_for(people.administrator)
    path = small_return(tmp_path / "return.xlsx", council)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, path, **{"as_at_0": "31", "as_at_1": "1", "as_at_2": "2024"})
    run = ImportRun.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:import", args=[run.pk])
    run.refresh_from_db()
    assert run.status == ImportStatus.LOADED
    assert run.as_at == AS_AT
    assert run.requested_by == people.administrator
    assert not any(p.exists() for p in [tmp_path / "uploads"] if p.is_dir() and any(p.iterdir()))
    page = client.get(response.url).content.decode()
    assert "Imported" in page and "12 new" in page
    # The page while it runs polls itself; once finished it stops.
    assert 'hx-trigger="every 2s"' not in page
    assert AccessLog.objects.filter(record_type="cases.importrun", action="viewed").exists()


def test_a_refused_upload_shows_why_and_saves_nothing(
    client_for, people, council, tmp_path, django_capture_on_commit_callbacks
):
    client = client_for(people.qa_lead)
    bad = small_return(
        tmp_path / "bad.xlsx",
        council,
        **{"List 3": [REFERRAL_HEADERS, referral(when="31/02/2020")]},
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, bad)
    page = client.get(response.url).content.decode()
    assert "Refused" in page
    assert "Nothing from this file was saved" in page
    assert "31/02/2020" in page
    assert not Snapshot.objects.exists()


def test_the_upload_form_explains_its_errors(client_for, people, tmp_path):
    client = client_for(people.administrator)
    page = client.post(reverse("cases:imports"), {}).content.decode()
    assert "There is a problem" in page
    assert "Select the Annex A file to import" in page
    text = tmp_path / "notes.txt"
    text.write_text("hello")
    page = upload(client, text).content.decode()
    assert "must be an .xlsx workbook, a .csv or a .zip" in page
    future = upload(
        client, text, **{"as_at_0": "1", "as_at_1": "1", "as_at_2": "2999"}
    ).content.decode()
    assert "must be today or earlier" in future
    assert not ImportRun.objects.exists()


def test_an_upload_over_the_limit_is_refused_before_any_of_it_is_kept(
    client_for, people, tmp_path, settings, monkeypatch
):
    from django.core.files.uploadhandler import TemporaryFileUploadHandler

    settings.IMPORT_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 0  # every file kept would go to a temporary file
    kept = []
    real_new_file = TemporaryFileUploadHandler.new_file

    def new_file(self, *args, **kwargs):
        kept.append(args)
        return real_new_file(self, *args, **kwargs)

    monkeypatch.setattr(TemporaryFileUploadHandler, "new_file", new_file)
    big = tmp_path / "big.csv"
    big.write_bytes(b"Child Unique ID\n" + b"C1\n" * (1024 * 1024 + 10))  # just over 3 MB
    page = upload(client_for(people.administrator), big).content.decode()
    assert "There is a problem" in page
    assert "The selected file must be smaller than 2 MB" in page
    assert "Select the Annex A file" not in page
    assert kept == []
    assert not ImportRun.objects.exists()
    # Under the limit, the same form takes it.
    small = tmp_path / "small.csv"
    small.write_bytes(b"Child Unique ID\nC1\n")
    upload(client_for(people.administrator), small)
    assert len(kept) == 1


def test_an_upload_the_disk_has_no_room_for_is_refused_and_nothing_is_left(
    client_for, people, tmp_path, settings, monkeypatch
):
    import errno
    import os

    settings.UPLOAD_DIR = tmp_path / "uploads"
    real_fdopen = os.fdopen

    def no_room(descriptor, *args, **kwargs):
        handle = real_fdopen(descriptor, *args, **kwargs)

        def write(chunk):
            raise OSError(errno.ENOSPC, "No space left on device")

        handle.write = write
        return handle

    monkeypatch.setattr("caseaudit.cases.uploads.os.fdopen", no_room)
    path = tmp_path / "return.xlsx"
    make_workbook(path, {"List 1": [["Child Unique ID"], ["C1"]]})
    response = upload(client_for(people.administrator), path)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "the server has no room for it" in page
    assert not ImportRun.objects.exists()
    assert list((tmp_path / "uploads").iterdir()) == []


def test_an_in_progress_import_page_polls_with_htmx(client_for, people):
    run = ImportRun.objects.create(
        council=people.administrator.council, source_name="x.xlsx", status=ImportStatus.RUNNING
    )
    client = client_for(people.administrator)
    page = client.get(reverse("cases:import", args=[run.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    partial = client.get(reverse("cases:import", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    assert 'id="import-status"' in partial.content.decode()


def test_an_import_left_running_by_a_stopped_worker_is_marked_failed_not_polled_forever(
    client_for, people
):
    council = people.administrator.council
    stuck, recent = (
        ImportRun.objects.create(council=council, source_name=n, status=ImportStatus.RUNNING)
        for n in ("stuck.xlsx", "recent.xlsx")
    )
    theirs = ImportRun.objects.create(
        council=people.other.council, source_name="theirs.xlsx", status=ImportStatus.RUNNING
    )
    long_ago = stuck.requested_at - datetime.timedelta(hours=2)
    ImportRun.objects.filter(pk__in=[stuck.pk, theirs.pk]).update(requested_at=long_ago)

    page = client_for(people.administrator).get(reverse("cases:import", args=[stuck.pk]))
    text = page.content.decode()
    assert 'hx-trigger="every 2s"' not in text
    assert "stopped unexpectedly" in text and "Nothing from this file was saved" in text
    statuses = dict(ImportRun.objects.values_list("source_name", "status"))
    assert statuses == {
        "stuck.xlsx": ImportStatus.FAILED,
        "recent.xlsx": ImportStatus.RUNNING,  # requested within the minute, not yet beating
        "theirs.xlsx": ImportStatus.RUNNING,  # another council's runs are theirs to sweep
    }


def test_another_councils_import_is_not_found(client_for, people):
    run = ImportRun.objects.create(council=people.other.council, source_name="theirs.xlsx")
    client = client_for(people.administrator)
    assert client.get(reverse("cases:import", args=[run.pk])).status_code == 404


def quality_return(path, council):
    """A return with something for every check of the data-quality report."""
    team = council.teams[0].name
    worker = council.practitioners[council.teams[0].pk][0].name

    def cp(child, start, category, visited, ended, named=True):
        born, named_worker = "01/01/2020", worker if named else None
        return [
            child,
            "F",
            "WBRI",
            born,
            "4",
            start,
            category,
            visited,
            ended,
            team,
            named_worker,
        ]

    sheets = {
        "List 3": [REFERRAL_HEADERS, referral(team=team, worker=worker)],
        "List 7": [
            CP_HEADERS,
            cp(
                "2001", "01/06/2023", "NEG", "01/10/2023", None, named=False
            ),  # old visit, no worker
            cp("2002", "01/06/2023", "NEG", "20/01/2024", "01/05/2023"),  # ended before it started
            cp("2003", "01/06/2023", "PHY", "29/01/2024", None),  # two open plans for one child
            cp("2003", "01/07/2023", "PHY", "29/01/2024", None),
        ],
        "List 8": [
            [*CLA_HEADERS[:6], "Child's Legal Status", "Placement Type", *CLA_HEADERS[-2:]],
            ["3001", "M", "WBRI", "01/01/2015", "9", "01/06/2023", "C2", "Z9", team, worker],
        ],
    }
    return make_workbook(path, sheets)


def test_the_quality_report_finds_what_looks_wrong(client_for, people, council, tmp_path):
    import re

    path = quality_return(tmp_path / "q.xlsx", council)
    summary = import_annex_a(path, council=council.council, as_at=AS_AT)
    assert summary.status == ImportStatus.LOADED, summary.problems
    report = {c.code: c for c in quality_report(council.council).checks}
    assert report["date_order"].count == 1
    assert report["date_order"].rows[0].child == "2002"
    assert report["missing"].count == 2  # 2001 has no worker; 3001's placement type was unreadable
    assert report["duplicates"].count == 1 and report["duplicates"].rows[0].child == "2003"
    assert [r.child for r in report["cp_visits"].rows] == ["2001"]
    assert report["unreadable"].count == 1, [r.detail[:80] for r in report["unreadable"].rows]
    assert "Z9" in report["unreadable"].rows[0].detail
    assert CPPlan.objects.count() == 4

    page = client_for(people.qa_lead).get(reverse("cases:quality")).content.decode()
    assert "Dates in an impossible order (1)" in page
    assert "2002" in page
    total = quality_report(council.council).total
    assert re.search(rf"Total</th>\s*<td[^>]*><strong>{total}</strong>", page)
    assert AccessLog.objects.filter(record_type="cases.child", action="listed").exists()


def test_quality_report_costs_the_same_number_of_queries_whatever_the_rows(
    client_for, people, council, tmp_path
):
    team = council.teams[0].name
    client = client_for(people.qa_lead)

    def quality_report_of(referrals: int) -> int:
        rows = [referral(child=str(5000 + i), team=team) for i in range(referrals)]
        path = small_return(
            tmp_path / f"{referrals}.xlsx", council, **{"List 3": [REFERRAL_HEADERS, *rows]}
        )
        # A different file for the same date replaces the snapshot the report reads.
        summary = import_annex_a(path, council=council.council, as_at=AS_AT)
        assert summary.rows["referrals"] == referrals
        return page_queries(client, reverse("cases:quality"))

    # One count and one page of rows per check, whatever the size of the snapshot.
    assert quality_report_of(1) == quality_report_of(300)


def test_error_summary_links_reach_an_input_that_exists(client_for, people):
    import re

    page = client_for(people.administrator).post(
        reverse("cases:imports"), {"as_at_0": "40", "as_at_1": "1", "as_at_2": "2024"}
    )
    html = page.content.decode()
    targets = re.findall(r"govuk-error-summary__list.*?</ul>", html, re.S)[0]
    for target in re.findall(r'href="#([^"]+)"', targets):
        assert f'id="{target}"' in html, target


def test_the_page_shows_the_rows_read_while_the_import_runs(
    client_for, people, council, tmp_path, monkeypatch, settings, django_capture_on_commit_callbacks
):
    """The import's transaction hides its writes until it ends, the run's row included: the
    page reads how far it has got from beside the upload."""
    from caseaudit.cases import tasks

    client = client_for(people.administrator)
    seen = {}

    def importing(path, *, council, as_at, by, progress, run):
        progress(5000)
        progress(10000)
        seen["rows in the run's row"] = ImportRun.objects.get(pk=run.pk).rows_read
        seen["page"] = client.get(reverse("cases:import", args=[run.pk])).content.decode()
        seen["list"] = client.get(reverse("cases:imports")).content.decode()
        return import_annex_a(path, council=council, as_at=as_at, by=by, run=run)

    monkeypatch.setattr(tasks, "import_annex_a", importing)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, small_return(tmp_path / "return.xlsx", council))
    assert seen["rows in the run's row"] == 0
    assert "10000" in seen["page"].replace(",", "")
    assert "10000" in seen["list"].replace(",", "")
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.LOADED
    assert not list(settings.UPLOAD_DIR.iterdir())
    # Finished, the page gives the run's own count: every row of the file.
    finished = client.get(reverse("cases:import", args=[run.pk])).content.decode()
    assert f'<dd class="govuk-summary-list__value">{run.rows_read}</dd>' in finished
    assert run.rows_read == sum(run.summary["rows"].values())


def _problems(run, count, *, sheet, column, severity="warning", message="Code outside its list."):
    from caseaudit.cases.models import ImportProblem

    ImportProblem.objects.bulk_create(
        ImportProblem(
            run=run,
            severity=severity,
            sheet=sheet,
            row=row,
            column=column,
            value=f"v{row}",
            message=f"{message} (row {row})",
        )
        for row in range(2, count + 2)
    )


def test_an_imports_problems_are_grouped_by_rule_under_the_lists_own_names(client_for, people):
    import re

    run = ImportRun.objects.create(
        council=people.qa_lead.council,
        source_name="return.xlsx",
        status=ImportStatus.LOADED,
        summary={"rows": {"contacts": 3, "cla": 120}, "warnings": 123, "errors": 1},
    )
    _problems(run, 120, sheet="List 8", column="Child's Legal Status")
    _problems(run, 3, sheet="Contacts", column="Contact Source")
    _problems(run, 1, sheet="", column="", severity="error", message="The file is odd.")
    client = client_for(people.qa_lead)
    url = reverse("cases:import", args=[run.pk])
    page = client.get(url).content.decode()
    text = re.sub(r"<[^>]+>", " ", page)
    # A count per rule; errors first; each list named as the Annex A guide names it.
    by_rule = re.findall(r"Problems by rule.*?</table>", page, re.S)[0]
    groups = re.findall(
        r"<tr class=\"govuk-table__row\"><td class=\"govuk-table__cell\">(.*?)</td>", by_rule
    )
    assert groups == ["The whole file", "List 8: Children in care", "List 1: Contacts"]
    assert "Problems by rule (124)" in text
    # No internal keys: the rows per list are named too.
    assert ">cla<" not in page and ">contacts<" not in page
    assert "List 8: Children in care" in re.findall(r"Rows per list.*?</table>", page, re.S)[0]
    # The first rule's problems show at first; another rule is a link away, and is paged.
    assert "The file is odd." in page and "Child&#x27;s Legal Status" in page
    assert "(row 2)" not in page.replace("The file is odd. (row 2)", "")
    rule = client.get(url, {"rule": 2}).content.decode()
    assert "(row 51)" in rule and "(row 52)" not in rule
    assert "govuk-pagination__list" in rule
    assert 'href="?rule=2&amp;page=3#problems"' in rule
    last = client.get(url, {"rule": 2, "page": 3}).content.decode()
    assert "(row 121)" in last and "(row 51)" not in last
    assert 'aria-current="page">3<' in last
    # A rule that does not exist shows the first, never an error.
    assert client.get(url, {"rule": 99}).status_code == 200
    assert client.get(url, {"rule": "x", "page": "y"}).status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [("administrator", 200), ("qa_lead", 200), ("north_manager", 403), ("social_worker", 403)],
)
def test_an_imports_problems_are_for_those_who_import(client_for, people, persona, status):
    run = ImportRun.objects.create(council=people.qa_lead.council, source_name="r.xlsx")
    _problems(run, 3, sheet="List 1", column="Contact Source")
    response = client_for(getattr(people, persona)).get(
        reverse("cases:import", args=[run.pk]), {"rule": 1, "page": 1}
    )
    assert response.status_code == status


def test_each_import_links_to_its_own_data_quality_report(client_for, people, council, tmp_path):
    january = import_annex_a(
        quality_return(tmp_path / "q.xlsx", council), council=council.council, as_at=AS_AT
    )
    february = import_annex_a(
        small_return(tmp_path / "r.xlsx", council),
        council=council.council,
        as_at=datetime.date(2024, 2, 29),
    )
    client = client_for(people.qa_lead)
    own = reverse("cases:import_quality", args=[january.run_id])
    assert own in client.get(reverse("cases:import", args=[january.run_id])).content.decode()
    listed = client.get(reverse("cases:imports")).content.decode()
    assert own in listed
    assert reverse("cases:import_quality", args=[february.run_id]) in listed
    page = client.get(own).content.decode()
    assert "as at 31 January 2024" in page and "Dates in an impossible order (1)" in page
    assert "Import of q.xlsx" in page
    # The latest snapshot's report is February's; each import's is its own.
    assert "as at 29 February 2024" in client.get(reverse("cases:quality")).content.decode()
    later = client.get(reverse("cases:import_quality", args=[february.run_id])).content.decode()
    assert "as at 29 February 2024" in later
    # A refused import saved nothing to report on, and says so.
    refused = ImportRun.objects.create(
        council=council.council, source_name="bad.xlsx", status=ImportStatus.REFUSED
    )
    page = client.get(reverse("cases:import_quality", args=[refused.pk])).content.decode()
    assert "saved no case data" in page
    other = ImportRun.objects.create(council=people.other.council, source_name="theirs.xlsx")
    assert client.get(reverse("cases:import_quality", args=[other.pk])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [("administrator", 200), ("qa_lead", 200), ("director", 403), ("social_worker", 403)],
)
def test_an_imports_quality_report_is_for_those_who_import(client_for, people, persona, status):
    run = ImportRun.objects.create(council=people.qa_lead.council, source_name="r.xlsx")
    url = reverse("cases:import_quality", args=[run.pk])
    assert client_for(getattr(people, persona)).get(url).status_code == status


def test_the_home_pages_warning_count_is_the_quality_reports(client_for, people, council, tmp_path):
    import re

    summary = import_annex_a(
        quality_return(tmp_path / "q.xlsx", council), council=council.council, as_at=AS_AT
    )
    client = client_for(people.qa_lead)
    home = client.get(reverse("home")).content.decode()
    shown = int(re.search(r"with ([\d,]+) data-quality warnings?", home).group(1).replace(",", ""))
    report = quality_report(council.council, user=people.qa_lead)
    assert shown == report.total
    # Not the import's own count of warnings, which counts other things.
    assert shown != summary.warnings
    quality = client.get(reverse("cases:quality")).content.decode()
    assert re.search(rf"Total</th>\s*<td[^>]*><strong>{shown}</strong>", quality)


def test_an_import_says_how_far_it_has_read_every_so_many_rows_not_every_row(
    council, tmp_path, monkeypatch
):
    from caseaudit.cases import importer

    monkeypatch.setattr(importer, "PROGRESS_ROWS", 10)
    team = council.teams[0].name
    referrals = [referral(child=str(4000 + i), team=team) for i in range(35)]
    told = []
    path = small_return(tmp_path / "r.xlsx", council, **{"List 3": [REFERRAL_HEADERS, *referrals]})
    summary = import_annex_a(path, council=council.council, as_at=AS_AT, progress=told.append)
    assert summary.status == ImportStatus.LOADED, summary.problems
    # Every ten rows of a list, and at each list's end (36 rows: 35 referrals, 1 in care).
    assert told == [10, 20, 30, 35, 36]

    # A file refused early on is still read to its end, and is seen to be.
    referrals[3] = referral(child="4003", when="31/02/2020", team=team)
    told.clear()
    path = small_return(
        tmp_path / "bad.xlsx", council, **{"List 3": [REFERRAL_HEADERS, *referrals]}
    )
    summary = import_annex_a(path, council=council.council, as_at=AS_AT, progress=told.append)
    assert summary.status == ImportStatus.REFUSED
    assert told == [10, 20, 30, 35, 36]
