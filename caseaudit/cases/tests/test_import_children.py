"""The children an import writes: attributes across lists, current allocation, later files."""

import datetime
import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseaudit.cases import importer
from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import LIST_MODELS, Child, CINEpisode, Snapshot
from caseaudit.cases.tests.test_annex_a_reader import CONTACT_HEADERS, make_workbook

pytestmark = pytest.mark.django_db
JANUARY = datetime.date(2024, 1, 31)
FEBRUARY = datetime.date(2024, 2, 29)

CIN_HEADERS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Does the Child have a Disability",
    "CIN Start Date",
    "CIN Closure Date",
    "Allocated Team",
    "Allocated Worker",
]
CP_HEADERS = [
    "Child Unique ID",
    "Gender",
    "Child Protection Plan Start Date",
    "Child Protection Plan End Date",
    "Allocated Team",
    "Allocated Worker",
]
CLA_HEADERS = [
    "Child Unique ID",
    "Gender",
    "Date Started to be Looked After",
    "Date Ceased to be Looked After",
    "Allocated Team",
    "Allocated Worker",
]
REFERRAL_HEADERS = ["Child Unique ID", "Gender", "Date of referral", "Allocated Team"]


def contact(child, gender="a) Male", born="01/02/2015"):
    return [child, gender, "a) WBRI", born, "8.9", "05/01/2024", "q) 6: Police"]


def cin(child, team, *, gender="a) Male", disability=None, closed=None, worker=None):
    return [child, gender, "a) WBRI", "01/02/2015", disability, "01/06/2023", closed, team, worker]


def load(council, path, as_at=JANUARY):
    summary = import_annex_a(path, council=council.council, as_at=as_at)
    assert summary.status == ImportStatus.LOADED, summary.problems
    return summary


def test_a_later_list_fills_in_what_an_earlier_one_did_not_say(council, tmp_path):
    team = council.teams[0].name
    path = make_workbook(
        tmp_path / "r.xlsx",
        {
            # Contacts carry no disability column; children in need do.
            "List 1": [CONTACT_HEADERS, contact("2001"), contact("2002")],
            "List 6": [CIN_HEADERS, cin("2001", team, disability="a) Yes")],
        },
    )
    summary = load(council, path)
    assert summary.children_created == 2
    assert Child.objects.get(la_child_id="2001").disability == "Y"
    assert Child.objects.get(la_child_id="2002").disability == ""


def test_a_different_value_later_in_the_file_is_reported_and_the_first_kept(council, tmp_path):
    team = council.teams[0].name
    path = make_workbook(
        tmp_path / "r.xlsx",
        {
            "List 1": [CONTACT_HEADERS, contact("2001", gender="a) Male")],
            "List 6": [CIN_HEADERS, cin("2001", team, gender="b) Female")],
        },
    )
    summary = load(council, path)
    assert Child.objects.get(la_child_id="2001").gender == "M"
    problem = next(p for p in summary.problems if "different gender" in p.message)
    assert (problem.sheet, problem.row, problem.severity) == ("List 6", 2, "warning")
    assert "the first is kept" in problem.message


def test_within_a_list_the_first_row_giving_a_value_decides(council, tmp_path):
    team = council.teams[0].name
    path = make_workbook(
        tmp_path / "r.xlsx",
        {
            "List 1": [CONTACT_HEADERS, contact("2001")],
            "List 6": [
                CIN_HEADERS,
                cin("2002", team),
                cin("2002", team, disability="a) Yes"),
                cin("2002", team, disability="b) No"),
                # Known from contacts without a disability: filled in from its first CIN row.
                cin("2001", team, disability="b) No"),
                cin("2001", team, disability="a) Yes"),
            ],
        },
    )
    summary = load(council, path)
    children = {c.la_child_id: c for c in Child.objects.all()}
    assert (children["2001"].disability, children["2002"].disability) == ("N", "Y")
    reported = [p for p in summary.problems if "different disability" in p.message]
    assert [(p.row, p.value) for p in reported] == [(4, "N"), (6, "Y")]


def test_the_current_allocation_follows_the_lists_priority(council, tmp_path):
    first, second = (team.name for team in council.teams)
    worker = council.practitioners[council.teams[1].pk][0].name
    path = make_workbook(
        tmp_path / "r.xlsx",
        {
            "List 3": [REFERRAL_HEADERS, ["3001", "a) Male", "05/01/2024", first]],
            "List 6": [
                CIN_HEADERS,
                # An open CIN episode beats an ended period of care.
                cin("3002", second, worker=worker),
                # Within one list, the first row in the file decides.
                cin("3003", first),
                cin("3003", second),
            ],
            "List 7": [CP_HEADERS, ["3001", "Male", "01/09/2023", None, second, None]],
            "List 8": [CLA_HEADERS, ["3002", "Male", "01/01/2020", "01/01/2022", first, None]],
        },
    )
    load(council, path)
    allocated = {c.la_child_id: c for c in Child.objects.select_related("allocated_team")}
    assert allocated["3001"].allocated_team.name == second  # CP plan beats the referral
    assert allocated["3002"].allocated_team.name == second
    assert allocated["3002"].allocated_worker.name == worker
    assert allocated["3003"].allocated_team.name == first


def test_a_later_return_updates_children_and_ends_allocations(council, tmp_path):
    first, second = (team.name for team in council.teams)
    january = make_workbook(
        tmp_path / "january.xlsx",
        {"List 6": [CIN_HEADERS, cin("4001", first), cin("4002", first), cin("4003", first)]},
    )
    load(council, january)
    february = make_workbook(
        tmp_path / "february.xlsx",
        {
            "List 6": [
                CIN_HEADERS,
                cin("4001", first),  # unchanged
                cin("4002", second, disability="a) Yes"),  # moved team, disability now known
                cin("4004", second),  # new; 4003 has left the lists
            ]
        },
    )
    summary = load(council, february, as_at=FEBRUARY)
    assert (summary.children_created, summary.children_updated) == (1, 1)
    assert summary.children_unchanged == 1
    latest = Snapshot.objects.get(as_at=FEBRUARY)
    children = {c.la_child_id: c for c in Child.objects.select_related("allocated_team")}
    assert children["4002"].allocated_team.name == second
    assert children["4002"].disability == "Y"
    assert children["4003"].allocated_team is None
    assert children["4003"].last_snapshot.as_at == JANUARY
    assert {children[i].last_snapshot_id for i in ("4001", "4002", "4004")} == {latest.pk}


def test_an_older_return_loaded_late_leaves_the_current_allocation_alone(council, tmp_path):
    first, second = (team.name for team in council.teams)
    current = make_workbook(tmp_path / "now.xlsx", {"List 6": [CIN_HEADERS, cin("5001", second)]})
    load(council, current, as_at=FEBRUARY)
    older = make_workbook(
        tmp_path / "old.xlsx",
        {"List 6": [CIN_HEADERS, cin("5001", first), cin("5002", first)]},
    )
    summary = load(council, older, as_at=JANUARY)
    assert summary.children_created == 1
    child = Child.objects.select_related("allocated_team", "last_snapshot").get(la_child_id="5001")
    assert (child.allocated_team.name, child.last_snapshot.as_at) == (second, FEBRUARY)
    # The child only the older return mentions has no current team, but its records show.
    only_older = Child.objects.get(la_child_id="5002")
    assert only_older.allocated_team is None
    assert only_older.last_snapshot.as_at == JANUARY
    assert CINEpisode.objects.filter(child=only_older).count() == 1


def organisation() -> list:
    """The council's organisation, every team, worker and assignment with its attributes."""
    from caseaudit.organisation.models import Assignment, Service, Team, Worker

    return [
        list(model.objects.order_by("pk").values()) for model in (Service, Team, Worker, Assignment)
    ]


def test_an_older_return_leaves_the_organisation_as_it_is(council, tmp_path):
    """A back-filled month adds no team or worker and changes none: the names it shares with
    today's organisation are linked, the others stay on its rows as written."""
    first, second = (team.name for team in council.teams)
    known_worker = council.practitioners[council.teams[0].pk][0].name
    current = make_workbook(tmp_path / "now.xlsx", {"List 6": [CIN_HEADERS, cin("5101", second)]})
    load(council, current, as_at=FEBRUARY)
    before = organisation()
    older = make_workbook(
        tmp_path / "old.xlsx",
        {
            "List 6": [
                CIN_HEADERS,
                cin("5101", first, worker=known_worker),
                cin("5102", "A Team Long Gone", worker="Someone Who Left"),
            ]
        },
    )
    summary = load(council, older, as_at=JANUARY)
    assert organisation() == before
    assert (summary.teams_added, summary.workers_added) == ([], [])
    assert summary.teams_unknown == ["A Team Long Gone"]
    assert summary.workers_unknown == ["Someone Who Left"]
    assert any(
        "'A Team Long Gone' is not known and was not added" in p.message for p in summary.problems
    )
    # The snapshot's own rows: linked where the name is known, the name kept where it is not.
    rows = {
        r.child.la_child_id: r
        for r in CINEpisode.objects.filter(snapshot__as_at=JANUARY).select_related(
            "child", "allocated_team", "allocated_worker"
        )
    }
    assert rows["5101"].allocated_team.name == first
    assert rows["5101"].allocated_worker.name == known_worker
    assert rows["5102"].allocated_team is None
    assert rows["5102"].allocated_team_name == "A Team Long Gone"
    assert rows["5102"].allocated_worker is None
    assert rows["5102"].allocated_worker_name == "Someone Who Left"
    # Today's allocation is February's.
    assert Child.objects.get(la_child_id="5101").allocated_team.name == second
    # The older snapshot's data-quality report names what it did not add.
    from caseaudit.cases.models import ImportRun
    from caseaudit.cases.quality import quality_report

    run = ImportRun.objects.get(pk=summary.run_id)
    report = {c.code: c for c in quality_report(council.council, run=run).checks}
    assert [(r.list_label, r.detail) for r in report["unknown_staff"].rows] == [
        ("Team, not added: an older return", "A Team Long Gone"),
        ("Worker, not added: an older return", "Someone Who Left"),
    ]


def test_the_latest_return_still_adds_what_it_names(council, tmp_path):
    first = council.teams[0].name
    older = make_workbook(tmp_path / "old.xlsx", {"List 6": [CIN_HEADERS, cin("5201", first)]})
    load(council, older, as_at=JANUARY)
    newer = make_workbook(
        tmp_path / "new.xlsx", {"List 6": [CIN_HEADERS, cin("5201", "A Brand New Team")]}
    )
    summary = load(council, newer, as_at=FEBRUARY)
    assert summary.teams_added == ["A Brand New Team"]
    assert summary.teams_unknown == []
    assert Child.objects.get(la_child_id="5201").allocated_team.name == "A Brand New Team"


def test_a_return_overtaken_while_it_is_read_adds_nothing(council, tmp_path):
    """(SQLite reads the file before it takes the write lock.) A newer return imported
    meanwhile makes this one older: the names it would have added are not."""
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL decides in the import's transaction, before the file is read")
    before = organisation()
    path = make_workbook(tmp_path / "r.xlsx", {"List 6": [CIN_HEADERS, cin("5301", "Gone Team")]})

    def overtaken(rows):
        Snapshot.objects.create(council=council.council, as_at=FEBRUARY, rows={})

    summary = import_annex_a(path, council=council.council, as_at=JANUARY, progress=overtaken)
    assert summary.status == ImportStatus.LOADED, summary.problems
    assert organisation() == before
    assert summary.teams_unknown == ["Gone Team"]
    row = CINEpisode.objects.get(snapshot__as_at=JANUARY)
    assert (row.allocated_team_id, row.allocated_team_name) == (None, "Gone Team")


def test_duplicates_beyond_what_is_stored_are_still_counted(council, tmp_path, monkeypatch):
    team = council.teams[0].name
    rows = [cin("6001", team) for _ in range(6)]
    path = make_workbook(tmp_path / "r.xlsx", {"List 6": [CIN_HEADERS, *rows]})
    every = load(council, path)
    duplicates = [p for p in every.problems if "appears more than once" in p.message]
    assert [p.row for p in duplicates] == [3, 4, 5, 6, 7]
    assert "first at row 2" in duplicates[0].message

    others = len(every.problems) - len(duplicates)
    monkeypatch.setattr(importer, "MAX_STORED_PROBLEMS", others + 2)
    capped = load(council, path, as_at=FEBRUARY)
    assert len([p for p in capped.problems if "appears more than once" in p.message]) == 2
    assert capped.warnings == every.warnings


def test_the_queries_an_import_makes_do_not_grow_with_its_rows(council, tmp_path):
    team = council.teams[0].name

    def queries(children: int) -> int:
        rows = [cin(str(7000 + i), team) for i in range(children)]
        path = make_workbook(tmp_path / f"{children}.xlsx", {"List 6": [CIN_HEADERS, *rows]})
        Child.objects.all().delete()
        for model in LIST_MODELS.values():
            model.objects.all().delete()
        Snapshot.objects.all().delete()
        with CaptureQueriesContext(connection) as captured:
            load(council, path)
        return len(captured)

    assert queries(200) == queries(5)


# --- lists settled while the next is read (PostgreSQL; SQLite once the file is read) -----


def staging_tables() -> int:
    """Tables holding lists' rows on their way in, left in the database. (Counted before and
    after: a test's own transaction is rolled back at its end, and with it the import's
    dropping of the tables another connection made and committed.)"""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT COUNT(*) FROM pg_tables WHERE tablename LIKE 'import\\_rows%'")
        else:
            cursor.execute(
                "SELECT COUNT(*) FROM sqlite_temp_master WHERE type = 'table' "
                "AND name LIKE 'import\\_rows%' ESCAPE '\\'"
            )
        return cursor.fetchone()[0]


def two_lists(tmp_path, team):
    return make_workbook(
        tmp_path / "r.xlsx",
        {
            "List 1": [CONTACT_HEADERS, contact("8001"), contact("8002")],
            "List 6": [CIN_HEADERS, cin("8001", team, worker="Priya Unheardof")],
        },
    )


def test_a_team_named_while_a_list_is_settling_waits_for_it(council, tmp_path, monkeypatch):
    """Adding a team needs the import's connection: it waits for the list before to settle,
    however long that takes, rather than slip its statements in between."""
    from caseaudit.cases.organisation_index import OrganisationIndex

    happened = []
    settle, add_team = importer.ChildRegister.settle, OrganisationIndex._add_team

    def slow_settle(*args, **kwargs):
        happened.append("settling")
        time.sleep(0.3)
        settled = settle(*args, **kwargs)
        happened.append("settled")
        return settled

    def recorded_add_team(*args, **kwargs):
        team = add_team(*args, **kwargs)
        happened.append("team added")
        return team

    monkeypatch.setattr(importer.ChildRegister, "settle", slow_settle)
    monkeypatch.setattr(OrganisationIndex, "_add_team", recorded_add_team)
    staged = staging_tables()
    summary = load(council, two_lists(tmp_path, "A Team Nobody Mentioned"))
    if connection.vendor == "postgresql":
        assert happened == ["settling", "settled", "team added", "settling", "settled"]
    else:
        # SQLite settles the lists once the file has been read, before it takes the write
        # lock; the team is added under the lock, and the settled rows then get its real id.
        assert happened == ["settling", "settled", "settling", "settled", "team added"]
    assert summary.teams_added == ["A Team Nobody Mentioned"]
    assert summary.workers_added == ["Priya Unheardof"]
    child = Child.objects.get(la_child_id="8001")
    assert child.allocated_team.name == "A Team Nobody Mentioned"
    assert child.allocated_worker.name == "Priya Unheardof"
    assert Child.objects.filter(la_child_id="8002", allocated_team=None).exists()
    assert staging_tables() == staged


def test_a_fault_while_settling_a_list_writes_nothing_and_leaves_nothing(
    council, tmp_path, monkeypatch
):
    from caseaudit.cases.tests.test_import import counts

    settle, calls = importer.ChildRegister.settle, []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk on fire")
        return settle(*args, **kwargs)

    monkeypatch.setattr(importer.ChildRegister, "settle", failing)
    before, threads, staged = counts(), threading.active_count(), staging_tables()
    summary = import_annex_a(
        two_lists(tmp_path, council.teams[0].name), council=council.council, as_at=JANUARY
    )
    assert summary.status == ImportStatus.FAILED
    assert "Nothing was saved" in summary.problems[-1].message
    assert counts() == before
    assert staging_tables() == staged
    assert threading.active_count() == threads


def test_a_refused_file_leaves_no_staged_rows(council, tmp_path):
    team = council.teams[0].name
    path = make_workbook(
        tmp_path / "r.xlsx",
        {
            "List 1": [CONTACT_HEADERS, contact("8101")],
            "List 6": [CIN_HEADERS, cin("8101", team), ["8102", *cin("x", team)[1:5], "x"]],
        },
    )
    staged = staging_tables()
    summary = import_annex_a(path, council=council.council, as_at=JANUARY)
    assert summary.status == ImportStatus.REFUSED
    assert not Child.objects.filter(la_child_id__in=["8101", "8102"]).exists()
    assert staging_tables() == staged
