"""What becomes of an import's run and its upload when the worker dies, the queue will not
take it, or it ends: the run says so within a minute, and the upload never lingers."""

import datetime
import os
import stat
import time

import pytest
from django.urls import reverse

from caseaudit.cases import heartbeat, progress
from caseaudit.cases.actions import mark_stopped_runs
from caseaudit.cases.choices import ImportStatus
from caseaudit.cases.importer import import_annex_a
from caseaudit.cases.models import ImportProblem, ImportRun, Snapshot
from caseaudit.cases.tasks import run_import
from caseaudit.cases.tests.test_import import REFERRAL_HEADERS, referral, small_return
from caseaudit.cases.tests.test_import_pages import upload

pytestmark = pytest.mark.django_db


def _running(council, settings, *, beat_seconds_ago: float | None, name="r.xlsx") -> ImportRun:
    """A run a worker had started: its upload and progress beside it, and its heartbeat last
    touched this long ago (None: it never beat)."""
    folder = settings.UPLOAD_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stored = folder / f"{name}.upload"
    stored.write_bytes(b"PK")
    run = ImportRun.objects.create(
        council=council, source_name=name, stored_path=str(stored), status=ImportStatus.RUNNING
    )
    # Requested long ago: only the heartbeat can keep it alive.
    ImportRun.objects.filter(pk=run.pk).update(
        requested_at=run.requested_at - datetime.timedelta(hours=2)
    )
    progress.record(run, 5000)
    if beat_seconds_ago is not None:
        alive = folder / f"import-{run.pk}.alive"
        alive.touch()
        when = time.time() - beat_seconds_ago
        os.utime(alive, (when, when))
    return run


def _files(settings) -> list[str]:
    return sorted(p.name for p in settings.UPLOAD_DIR.iterdir())


def test_a_run_whose_worker_died_is_failed_within_a_minute_and_its_upload_removed(
    client_for, people, settings
):
    council = people.administrator.council
    dead = _running(council, settings, beat_seconds_ago=90, name="dead.xlsx")
    alive = _running(council, settings, beat_seconds_ago=5, name="alive.xlsx")
    client = client_for(people.administrator)

    page = client.get(reverse("cases:import", args=[dead.pk])).content.decode()
    assert "stopped unexpectedly" in page and "Try again" in page
    assert 'hx-trigger="every 2s"' not in page
    dead.refresh_from_db()
    assert dead.status == ImportStatus.FAILED and dead.finished_at is not None
    assert ImportProblem.objects.filter(run=dead, message__contains="stopped").count() == 1
    # Nothing of the dead run is left on disk; the live one keeps its upload and heartbeat.
    assert _files(settings) == sorted(
        ["alive.xlsx.upload", "alive.xlsx.upload.progress", f"import-{alive.pk}.alive"]
    )

    page = client.get(reverse("cases:import", args=[alive.pk])).content.decode()
    assert 'hx-trigger="every 2s"' in page
    alive.refresh_from_db()
    assert alive.status == ImportStatus.RUNNING


def test_the_limit_is_a_setting(people, settings):
    council = people.administrator.council
    run = _running(council, settings, beat_seconds_ago=90)
    settings.IMPORT_HEARTBEAT_TIMEOUT_SECONDS = 120
    assert mark_stopped_runs(council) == 0
    settings.IMPORT_HEARTBEAT_TIMEOUT_SECONDS = 60
    assert mark_stopped_runs(council) == 1
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    # A second look finds nothing more to do.
    assert mark_stopped_runs(council) == 0
    assert ImportProblem.objects.filter(run=run).count() == 1


def test_a_run_that_never_beat_is_failed_once_its_request_is_a_minute_old(people, settings):
    run = _running(people.administrator.council, settings, beat_seconds_ago=None)
    assert mark_stopped_runs() == 1
    run.refresh_from_db()
    assert run.status == ImportStatus.FAILED
    assert _files(settings) == []


def test_a_worker_starting_an_import_fails_any_run_a_dead_worker_left(
    people, council, settings, tmp_path, client_for, django_capture_on_commit_callbacks
):
    # Another council's: the worker serves every council.
    dead = _running(people.other.council, settings, beat_seconds_ago=600)
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(people.administrator), small_return(tmp_path / "r.xlsx", council))
    dead.refresh_from_db()
    assert dead.status == ImportStatus.FAILED
    assert ImportRun.objects.exclude(pk=dead.pk).get().status == ImportStatus.LOADED
    assert _files(settings) == []


def test_an_import_beats_while_it_runs_and_stops_when_it_ends(council, tmp_path, settings):
    seen = []

    def progress_made(rows):
        run = ImportRun.objects.get(source_name="r.xlsx")
        seen.append((run.status, heartbeat.last_beat(run)))

    path = small_return(tmp_path / "r.xlsx", council)
    summary = import_annex_a(path, council=council.council, progress=progress_made)
    assert summary.status == ImportStatus.LOADED
    assert seen and all(status == ImportStatus.RUNNING and beat for status, beat in seen)
    assert heartbeat.last_beat(ImportRun.objects.get()) is None


def test_the_heartbeat_keeps_beating_while_the_import_is_busy(people, settings):
    run = _running(people.administrator.council, settings, beat_seconds_ago=None)
    path = settings.UPLOAD_DIR / f"import-{run.pk}.alive"
    with heartbeat.beating(run, every=0.01):
        long_ago = time.time() - 3600
        os.utime(path, (long_ago, long_ago))
        # No work for the import here: only the heartbeat's thread can freshen the file.
        for _ in range(500):
            if path.stat().st_mtime > long_ago:
                break
            time.sleep(0.01)
        assert not heartbeat.is_silent(run, now=datetime.datetime.now(tz=datetime.UTC))
    assert not path.exists()


def test_uploads_are_private_to_caseaudit(
    client_for, people, council, tmp_path, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # queued, never run
        upload(client_for(people.administrator), small_return(tmp_path / "r.xlsx", council))
    # A folder of its own for each upload, holding it under the person's file name.
    (own,) = settings.UPLOAD_DIR.iterdir()
    (stored,) = own.iterdir()
    assert stored.name == "r.xlsx"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(own.stat().st_mode) == 0o700
    assert stat.S_IMODE(settings.UPLOAD_DIR.stat().st_mode) == 0o700


def test_a_refused_upload_is_removed(
    client_for, people, council, tmp_path, settings, django_capture_on_commit_callbacks
):
    bad = small_return(
        tmp_path / "bad.xlsx", council, **{"List 3": [REFERRAL_HEADERS, referral(child="<b>")]}
    )
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(people.administrator), bad)
    assert ImportRun.objects.get().status == ImportStatus.REFUSED
    assert _files(settings) == []


def test_an_upload_the_queue_will_not_take_is_failed_and_removed(
    client_for, people, council, tmp_path, settings, monkeypatch, django_capture_on_commit_callbacks
):
    from caseaudit.cases import tasks

    class Unqueueable:
        def enqueue(self, *args, **kwargs):
            raise ConnectionError("queue unavailable")

    monkeypatch.setattr(tasks, "run_import", Unqueueable())
    with django_capture_on_commit_callbacks(execute=True):
        upload(client_for(people.administrator), small_return(tmp_path / "r.xlsx", council))
    run = ImportRun.objects.get()
    assert run.status == ImportStatus.FAILED
    assert run.problems.get().message.startswith("The import could not be started")
    assert _files(settings) == []


def test_a_run_failed_while_it_waited_is_not_imported_and_its_upload_goes(
    people, council, tmp_path, settings
):
    run = _running(people.administrator.council, settings, beat_seconds_ago=None)
    ImportRun.objects.filter(pk=run.pk).update(status=ImportStatus.FAILED)
    run_import.call(run.pk)
    assert not Snapshot.objects.exists()
    assert _files(settings) == []
