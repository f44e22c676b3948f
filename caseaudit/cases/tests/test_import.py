"""Importing into the database: real files load, bad files write nothing, twice is once."""

import datetime
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command

from caseaudit.cases.annex_a import LISTS_BY_KEY
from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import (
    LIST_MODELS,
    Child,
    CLAEpisode,
    ImportProblem,
    ImportRun,
    Referral,
    Snapshot,
)
from caseaudit.cases.tests.test_annex_a_reader import (
    SAMPLE_ROW_COUNTS,
    SAMPLES,
    fixture,
    make_workbook,
    write_csv,
)
from caseaudit.organisation.models import Team, Worker

pytestmark = pytest.mark.django_db
AS_AT = datetime.date(2024, 1, 31)

REFERRAL_HEADERS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Date of referral",
    "Referral Source",
    "Referral NFA?",
    "Number of Referrals in Last 12 Months",
    "Allocated Team",
    "Allocated Worker",
]
CLA_HEADERS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age",
    "Date Started to be Looked After",
    "Child's Legal Status",
    "Number of Placements in the Last 12 months",
    "Allocated Team",
    "Allocated Worker",
]


def referral(child="1001", when="05/01/2024", born="01/02/2015", team=None, worker=None):
    return [child, "a) Male", "a) WBRI", born, "8.9", when, "2A", "b) No", "2", team, worker]


def small_return(path: Path, council_spec, **changes) -> Path:
    team = council_spec.teams[0]
    worker = council_spec.practitioners[team.pk][0]
    sheets = {
        "List 3": [REFERRAL_HEADERS]
        + [referral(child=str(1000 + i), team=team.name, worker=worker.name) for i in range(12)],
        "List 8": [
            CLA_HEADERS,
            ["1001", "Male", "WBRI", "01/02/2015", "8.9", "01/06/2023", "C2", "3", team.name, None],
        ],
    }
    sheets.update(changes)
    return make_workbook(path, sheets)


def counts() -> dict:
    tables = {key: model.objects.count() for key, model in LIST_MODELS.items()}
    return {
        "snapshots": Snapshot.objects.count(),
        "children": Child.objects.count(),
        "teams": Team.objects.count(),
        "workers": Worker.objects.count(),
        **tables,
    }


@pytest.mark.parametrize("name", SAMPLES)
def test_the_shared_sample_files_load_with_the_right_counts(council, name):
    summary = import_annex_a(fixture(name), council=council.council, as_at=AS_AT)
    assert summary.status == ImportStatus.LOADED, summary.problems
    assert summary.errors == 0
    assert len(summary.rows) == 11
    for key, count in summary.rows.items():
        assert count == SAMPLE_ROW_COUNTS[LISTS_BY_KEY[key].number]
        assert LIST_MODELS[key].objects.count() == count
    # The real quirks are reported for the data-quality report, not hidden.
    assert any("PSRMEM" in p.message for p in summary.problems)


def test_a_loaded_file_links_children_to_the_organisation(council, tmp_path):
    path = small_return(tmp_path / "return.xlsx", council)
    summary = import_annex_a(path, council=council.council, as_at=AS_AT)
    assert summary.status == ImportStatus.LOADED, summary.problems
    assert summary.children_created == 12
    team = council.teams[0]
    child = Child.objects.get(la_child_id="1001")
    # Looked after beats referral when deciding the child's current team.
    assert child.allocated_team == team
    assert (child.gender, child.ethnicity) == ("M", "WBRI")
    assert CLAEpisode.objects.get().legal_status == "C2"
    assert Referral.objects.filter(allocated_worker__isnull=False).count() == 12


def test_the_same_file_twice_changes_nothing(council, tmp_path):
    path = small_return(tmp_path / "return.xlsx", council)
    first = import_annex_a(path, council=council.council, as_at=AS_AT)
    before = counts()
    second = import_annex_a(path, council=council.council, as_at=AS_AT)
    assert second.status == ImportStatus.UNCHANGED
    assert (second.children_created, second.children_unchanged) == (0, first.children_created)
    assert counts() == before
    # Without --as-at the file is recognised too.
    assert import_annex_a(path, council=council.council).status == ImportStatus.UNCHANGED


def test_a_new_file_for_the_same_date_replaces_that_snapshot(council, tmp_path):
    import_annex_a(small_return(tmp_path / "a.xlsx", council), council=council.council, as_at=AS_AT)
    team = council.teams[0].name
    smaller = small_return(
        tmp_path / "b.xlsx", council, **{"List 3": [REFERRAL_HEADERS, referral(team=team)]}
    )
    summary = import_annex_a(smaller, council=council.council, as_at=AS_AT)
    assert summary.status == ImportStatus.LOADED
    assert Snapshot.objects.count() == 1
    assert Referral.objects.count() == 1


def test_an_older_snapshot_stays_queryable(council, tmp_path):
    import_annex_a(small_return(tmp_path / "a.xlsx", council), council=council.council, as_at=AS_AT)
    later = datetime.date(2024, 7, 31)
    team = council.teams[0].name
    newer = small_return(
        tmp_path / "b.xlsx", council, **{"List 3": [REFERRAL_HEADERS, referral(team=team)]}
    )
    import_annex_a(newer, council=council.council, as_at=later)
    assert Referral.objects.current().count() == 1
    assert Referral.objects.filter(snapshot__as_at=AS_AT).count() == 12


def _refused(council, path, needle: str):
    before = counts()
    summary = import_annex_a(path, council=council.council, as_at=AS_AT)
    assert summary.status == ImportStatus.REFUSED
    text = " | ".join(p.message for p in summary.problems)
    assert needle in text
    assert counts() == before, "a refused import must write nothing"
    run = ImportRun.objects.get(pk=summary.run_id)
    assert run.status == ImportStatus.REFUSED
    assert ImportProblem.objects.filter(run=run, message__contains=needle).exists()
    return summary


def test_an_impossible_required_date_refuses_the_file(council, tmp_path):
    team = council.teams[0].name
    path = small_return(
        tmp_path / "r.xlsx",
        council,
        **{
            "List 3": [REFERRAL_HEADERS]
            + [referral(child=str(i), team=team, worker="Someone New") for i in range(3)]
            + [referral(child="9", when="31/02/2020")]
        },
    )
    summary = _refused(council, path, "31/02/2020")
    problem = next(p for p in summary.problems if "31/02/2020" in (p.value or p.message))
    assert (problem.sheet, problem.row, problem.column) == ("List 3", 5, "Date of referral")


@pytest.mark.parametrize(
    ("bad_id", "shown"),
    [("<script>", "<script>"), ("12\x7f3", "12\\x7f3"), ("9" * 60, "9" * 60)],
)
def test_a_child_id_no_system_could_have_issued_refuses_the_file(council, tmp_path, bad_id, shown):
    team = council.teams[0].name
    path = small_return(
        tmp_path / "r.xlsx",
        council,
        **{"List 3": [REFERRAL_HEADERS, referral(team=team), referral(child=bad_id, team=team)]},
    )
    summary = _refused(council, path, "identifier")
    problem = next(p for p in summary.problems if "identifier" in p.message)
    assert (problem.severity, problem.sheet, problem.row, problem.column) == (
        "error",
        "List 3",
        3,
        "Child Unique ID",
    )
    assert problem.value == shown


def test_a_us_style_date_is_explained(council, tmp_path):
    team = council.teams[0].name
    path = small_return(
        tmp_path / "r.xlsx",
        council,
        **{"List 3": [REFERRAL_HEADERS, referral(when="01/25/2024", team=team)]},
    )
    _refused(council, path, "US-style")


def test_a_header_it_cannot_match_refuses_that_list(council, tmp_path):
    headers = ["Kid", *REFERRAL_HEADERS[1:]]
    path = small_return(tmp_path / "r.xlsx", council, **{"List 3": [headers, referral()]})
    _refused(council, path, "Child Unique ID")


def test_a_future_date_of_birth(council, tmp_path):
    team = council.teams[0].name
    impossible = small_return(
        tmp_path / "a.xlsx", council, **{"List 3": [REFERRAL_HEADERS, referral(born="01/01/2030")]}
    )
    _refused(council, impossible, "even for an unborn child")
    unborn = small_return(
        tmp_path / "b.xlsx",
        council,
        **{"List 3": [REFERRAL_HEADERS, referral(born="01/04/2024", team=team)]},
    )
    summary = import_annex_a(unborn, council=council.council, as_at=AS_AT)
    assert summary.status == ImportStatus.LOADED
    assert any("unborn child?" in p.message for p in summary.problems)


@pytest.mark.parametrize(("born", "loaded"), [("30/11/2024", True), ("01/12/2024", False)])
def test_an_unborn_child_may_be_due_up_to_ten_months_after_the_as_at_date(
    council, tmp_path, born, loaded
):
    # 31 January and ten months is 30 November, the last day of the shorter month (core.months),
    # not the 28th that every date was once cut to.
    team = council.teams[0].name
    path = small_return(
        tmp_path / "r.xlsx",
        council,
        **{"List 3": [REFERRAL_HEADERS, referral(born=born, team=team)]},
    )
    summary = import_annex_a(path, council=council.council, as_at=AS_AT)
    assert (summary.status == ImportStatus.LOADED) is loaded


def test_duplicates_extra_columns_and_id_formats(council, tmp_path):
    team = council.teams[0].name
    cla = [*CLA_HEADERS, "CSE Risk Category"]
    row = ["1001", "Male", "WBRI", "01/02/2015", "8.9", "01/06/2023", "C2", "1", team, None]
    row.append("Emerging")
    number_id = [1001.0, *row[1:]]
    path = small_return(tmp_path / "r.xlsx", council, **{"List 8": [cla, row, number_id]})
    summary = import_annex_a(path, council=council.council, as_at=AS_AT)
    assert summary.status == ImportStatus.LOADED
    assert any("appears more than once in List 8" in p.message for p in summary.problems)
    # 1001 written as a number is the same child as the text "1001".
    assert Child.objects.filter(la_child_id="1001").count() == 1
    assert CLAEpisode.objects.first().extras == {"CSE Risk Category": "Emerging"}


def test_a_missing_sheet_and_an_empty_sheet_are_reported_not_fatal(council, tmp_path):
    path = small_return(tmp_path / "r.xlsx", council, **{"List 6": []})
    summary = import_annex_a(path, council=council.council, as_at=AS_AT)
    assert summary.status == ImportStatus.LOADED
    text = " | ".join(p.message for p in summary.problems)
    assert "List 1" in text  # missing lists are named
    assert "empty" in text.lower()


def test_a_file_too_big_is_refused_before_reading(council, tmp_path):
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)
    _refused(council, path, "over the 150 MB limit")


def test_a_zip_bomb_is_refused(council, tmp_path):
    path = tmp_path / "innocent.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        with bomb.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(20):
                member.write(bytes(1024 * 1024))
    _refused(council, path, "zip bomb")


def test_a_csv_in_another_encoding_loads(council, tmp_path):
    team = council.teams[0].name
    rows = [REFERRAL_HEADERS, [v or "" for v in referral(team=team, worker="Zoë Brontë")]]
    path = write_csv(tmp_path / "List_3.csv", rows, encoding="cp1252")
    summary = import_annex_a(path, council=council.council, as_at=AS_AT)
    assert summary.status == ImportStatus.LOADED, summary.problems
    assert Worker.objects.filter(name="Zoë Brontë").exists()


def test_a_fault_inside_caseaudit_writes_nothing_and_says_so(council, tmp_path, monkeypatch):
    from caseaudit.cases import child_register, importer

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    # Lists are written by the staging area; adopters on PostgreSQL by the importer itself.
    monkeypatch.setattr(importer, "insert_rows", broken)
    monkeypatch.setattr(child_register, "insert_rows", broken)
    before = counts()
    summary = import_annex_a(small_return(tmp_path / "r.xlsx", council), council=council.council)
    assert summary.status == ImportStatus.FAILED
    assert "Nothing was saved" in summary.problems[-1].message
    assert counts() == before


def test_the_command_prints_json_and_exits_1_when_refused(council, tmp_path, capsys):
    good = small_return(tmp_path / "good.xlsx", council)
    call_command("import", str(good), "--as-at", "2024-01-31", "--json", "--council", "901")
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "loaded"
    assert data["rows"]["referrals"] == 12
    assert data["children"]["created"] == 12

    bad = small_return(
        tmp_path / "bad.xlsx", council, **{"List 3": [REFERRAL_HEADERS, referral(when="x")]}
    )
    with pytest.raises(SystemExit) as exit_status:
        call_command("import", str(bad), "--json", "--council", "901")
    assert exit_status.value.code == 1
    assert json.loads(capsys.readouterr().out)["status"] == "refused"


def test_every_reference_from_list_rows_points_at_a_real_record(council, tmp_path):
    """List rows' snapshot, child, team and worker references, and children's council,
    allocation and snapshot, are not checked by the database (see cases.models._LOADED_REFERENCE and
    Child), so the importer must never leave one dangling, whether it adds teams and workers
    or replaces a snapshot."""
    from django.db.models import Exists, OuterRef

    from caseaudit.organisation.models import Council, Team, Worker

    team = council.teams[0].name
    new_names = [referral(child="1050", team="A Team Nobody Knew", worker="Someone New")]
    for path in (
        small_return(tmp_path / "r.xlsx", council),
        small_return(
            tmp_path / "again.xlsx", council, **{"List 3": [REFERRAL_HEADERS, *new_names]}
        ),
        small_return(
            tmp_path / "later.xlsx", council, **{"List 3": [REFERRAL_HEADERS, referral(team=team)]}
        ),
    ):
        as_at = datetime.date(2024, 7, 31) if path.name == "later.xlsx" else AS_AT
        assert import_annex_a(path, council=council.council, as_at=as_at).errors == 0
    references = [(Child, "allocated_team", Team), (Child, "allocated_worker", Worker)]
    references += [(Child, "last_snapshot", Snapshot), (Child, "council", Council)]
    for model in LIST_MODELS.values():
        names = {f.name for f in model._meta.fields}
        checks = [("snapshot", Snapshot), ("allocated_team", Team), ("allocated_worker", Worker)]
        checks += [("child", Child)] if "child" in names else []
        references += [(model, field, target) for field, target in checks if field in names]
    for model, field, target in references:
        dangling = model.objects.filter(**{f"{field}_id__isnull": False}).exclude(
            Exists(target.objects.filter(pk=OuterRef(f"{field}_id")))
        )
        assert not dangling.exists(), (model.__name__, field)
    assert CLAEpisode.objects.filter(child__isnull=False).exists()
    assert Referral.objects.filter(allocated_team__name="A Team Nobody Knew").exists()


def test_a_fresh_install_imports_its_first_return_by_naming_its_council(db, tmp_path, capsys):
    from types import SimpleNamespace

    from django.core.management import CommandError

    from caseaudit.core.models import ChangeRecord
    from caseaudit.organisation.models import Council

    team = SimpleNamespace(pk=1, name="Northshire Assessment Team 1")
    spec = SimpleNamespace(teams=[team], practitioners={1: [SimpleNamespace(name="Ann Example")]})
    path = small_return(tmp_path / "first.xlsx", spec)
    assert not Council.objects.exists()
    with pytest.raises(CommandError, match="There is no council yet.*--council-name"):
        call_command("import", str(path))
    with pytest.raises(CommandError, match="three-digit"):
        call_command("import", str(path), "--council", "NS", "--council-name", "Northshire")
    with pytest.raises(CommandError, match="needs --council"):
        call_command("import", str(path), "--council-name", "Northshire")
    assert not Council.objects.exists()

    call_command(
        "import", str(path), "--as-at", "2024-01-31", "--json",
        "--council", "977", "--council-name", "Northshire  County Council",
    )  # fmt: skip
    council = Council.objects.get()
    assert (council.code, council.name) == ("977", "Northshire County Council")
    assert json.loads(capsys.readouterr().out)["children"]["created"] == 12
    assert ChangeRecord.objects.filter(action="created", record_type="organisation.council")
    # The next return finds the council by its code; the name is not needed again.
    call_command("import", str(path), "--as-at", "2024-01-31", "--json", "--council", "977")
    assert Council.objects.count() == 1
