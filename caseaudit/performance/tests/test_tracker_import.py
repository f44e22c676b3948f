"""Importing tracker events from CSV: all or nothing, idempotent, every problem by row and
column, only for those who import the council's case data, and in a bounded number of queries."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from caseaudit.core.models import ChangeRecord
from caseaudit.performance.actions import import_tracker_events
from caseaudit.performance.events import read_events
from caseaudit.performance.models import PracticeEvent, TrackerImport
from caseaudit.performance.tests.test_trackers import KIDS, load
from caseaudit.testing.queries import assert_cost_does_not_grow, query_count

pytestmark = pytest.mark.django_db
URL = "performance:tracker_import"

GOOD = b"""la_child_id,event,date
N1,ppm,2025-04-20
N2,fgc_referral,01/04/2025
S1,core_group,2025-04-01
S2,missing_episode,2025-03-03
S2,strategy_meeting,2025-03-04
S3,fgc_held,2025-04-02
"""


@pytest.fixture
def children(council, tmp_path):
    """The children of test_trackers, with none of their events."""
    load(
        council,
        tmp_path,
        [type(kid)(kid.id, kid.team, kid.born, kid.cla, kid.cp, s47=kid.s47) for kid in KIDS],
    )
    return council


def state():
    return (
        set(PracticeEvent.objects.values_list("child__la_child_id", "event", "date")),
        TrackerImport.objects.count(),
        ChangeRecord.objects.count(),
    )


def upload(client, data: bytes, name="events.csv"):
    return client.post(reverse(URL), {"file": SimpleUploadedFile(name, data, "text/csv")})


def test_a_good_file_imports_and_importing_it_again_changes_nothing(children, people, client_for):
    client = client_for(people.qa_lead)
    response = upload(client, GOOD)
    assert response.status_code == 302
    events, imports, history = state()
    assert events == {
        ("N1", "ppm", datetime.date(2025, 4, 20)),
        ("N2", "fgc_referral", datetime.date(2025, 4, 1)),
        ("S1", "core_group", datetime.date(2025, 4, 1)),
        ("S2", "missing_episode", datetime.date(2025, 3, 3)),
        ("S2", "strategy_meeting", datetime.date(2025, 3, 4)),
        ("S3", "fgc_held", datetime.date(2025, 4, 2)),
    }
    record = TrackerImport.objects.get()
    assert (record.rows_read, record.events_added, record.imported_by) == (6, 6, people.qa_lead)
    page = client.get(reverse(URL)).content.decode()
    assert "6 new events imported from 6 rows" in page

    before = state()
    assert upload(client, GOOD).status_code == 302
    assert state() == before
    assert "was imported before: nothing changed" in client.get(reverse(URL)).content.decode()

    # The same events in another file (reordered, header in capitals, a row repeated): the
    # same again.
    lines = GOOD.decode().strip().split("\n")
    shuffled = "\n".join(["LA_Child_ID,Event,Date", *reversed(lines[1:]), lines[1]])
    assert upload(client, shuffled.encode(), name="again.csv").status_code == 302
    assert state() == before
    assert "every event in it was already held" in client.get(reverse(URL)).content.decode()


def test_a_bad_row_rejects_the_whole_file_with_every_problem_by_row(children, people, client_for):
    bad = GOOD + b"Z999,ppm,2025-04-20\nN1,ppm,31/02/2025\nN1,coffee,2025-04-20\nN1,ppm,\n"
    before = state()
    response = upload(client_for(people.administrator), bad)
    assert response.status_code == 200
    assert state() == before
    body = response.content.decode()
    assert "There is a problem" in body
    for message in (
        "Row 8, column la_child_id: There is no child with LA child ID &#x27;Z999&#x27;",
        "Row 9, column date: &#x27;31/02/2025&#x27; is not a real date",
        "Row 10, column event: &#x27;coffee&#x27; is not an event: use one of ppm,",
        "Row 11, column date: Enter the date, for example 2024-03-27 or 27/03/2024",
    ):
        assert message in body
    # The layout is shown beside the form.
    assert "la_child_id,event,date" in body


def test_the_file_must_have_the_columns_and_real_events(children):
    today = datetime.date(2025, 5, 2)
    assert [str(p) for p in read_events("child,when\nN1,2025-01-01\n", today=today).problems] == [
        "Row 1, column la_child_id: There is no 'la_child_id' column",
        "Row 1, column event: There is no 'event' column",
        "Row 1, column date: There is no 'date' column",
    ]
    assert [str(p) for p in read_events("la_child_id,event,date\n", today=today).problems] == [
        "Row 2: The file has no events: add a row for each"
    ]
    future = read_events("la_child_id,event,date\nN1,ppm,2025-05-03\n", today=today)
    assert [str(p) for p in future.problems] == [
        "Row 2, column date: The date must be today or in the past"
    ]
    result = import_tracker_events(children.council, b"\xff\xfe\x00", source_name="x.csv")
    assert [p.message for p in result.problems] == ["The file must be a CSV saved as UTF-8"]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("qa_lead", 200),
        ("administrator", 200),
        ("director", 403),
        ("north_manager", 403),
        ("area_lead", 403),
        ("social_worker", 403),
        ("councillor", 403),
    ],
)
def test_only_those_who_import_case_data_import_events(children, people, client_for, who, status):
    client = client_for(getattr(people, who))
    assert client.get(reverse(URL)).status_code == status
    if status == 403:
        assert upload(client, GOOD).status_code == 403
        assert not PracticeEvent.objects.exists()


def test_import_queries_do_not_grow_with_the_rows(children):
    council = children.council
    ids = [kid.id for kid in KIDS]

    def csv_of(count, start):
        rows = [
            f"{ids[n % len(ids)]},missing_episode,{start + datetime.timedelta(days=n)}"
            for n in range(count)
        ]
        return ("la_child_id,event,date\n" + "\n".join(rows)).encode()

    small = csv_of(3, datetime.date(2020, 1, 1))
    large = csv_of(150, datetime.date(2021, 1, 1))
    assert (
        assert_cost_does_not_grow(
            lambda: import_tracker_events(council, small, source_name="small.csv"),
            lambda: import_tracker_events(council, large, source_name="large.csv"),
        )
        <= 15
    )
    assert PracticeEvent.objects.count() == 153
    # Refusing a bad file costs the same however long it is.
    assert query_count(
        lambda: import_tracker_events(council, small + b"\nZ1,ppm,2020-01-01", source_name="b")
    ) == query_count(
        lambda: import_tracker_events(council, large + b"\nZ1,ppm,2020-01-01", source_name="c")
    )


def test_the_same_file_imported_meanwhile_by_someone_else_changes_nothing(
    children, people, monkeypatch
):
    council = children.council
    create = TrackerImport.objects.create

    def create_after_another_import(**fields):
        # The other import of the same file writes its record first: this one's then breaks
        # the one-record-a-file constraint.
        monkeypatch.setattr(TrackerImport.objects, "create", create)
        create(**{**fields, "source_name": "theirs.csv", "imported_by": people.administrator})
        return create(**fields)

    monkeypatch.setattr(TrackerImport.objects, "create", create_after_another_import)
    result = import_tracker_events(council, GOOD, source_name="mine.csv", by=people.qa_lead)
    assert result.same_file and not result.problems and result.added == 0
    # Nothing of this import's is written (the other's record, made here on the same
    # connection, went with the savepoint; in life it is the other connection's).
    assert not TrackerImport.objects.filter(source_name="mine.csv").exists()
    assert not PracticeEvent.objects.exists()
