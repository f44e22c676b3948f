"""Proof that a running import's worker is still alive, for the pages that follow the run.

The import's transaction hides everything it writes, the run's own row included (see
progress.py), so the proof is a file: while an import runs, a thread of its own touches
``<UPLOAD_DIR>/import-<run id>.alive`` every few seconds. A worker that is killed stops
touching it, and whoever next looks at the run (its page, the list of imports, the next import
the worker starts) sees it go stale and marks the run failed (``actions.mark_stopped_runs``),
rather than showing "Importing" for as long as anyone waits.

A thread rather than the import's own progress: settling a county's lists or writing its
children can take longer than the limit between two batches, and a thread that only sleeps
and touches a file keeps beating while the database works.
"""

import datetime
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

# Well inside the limit (IMPORT_HEARTBEAT_TIMEOUT_SECONDS, a minute by default).
BEAT_SECONDS = 10.0


def _path(run) -> Path:
    # By the run's id, not beside the upload: imports from the command line have no upload.
    return Path(settings.UPLOAD_DIR) / f"import-{int(run.pk)}.alive"


@contextmanager
def beating(run, *, every: float = BEAT_SECONDS) -> Iterator[None]:
    """Keep the run's heartbeat fresh while the block runs; the first beat is before it."""
    path = _path(run)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.touch(mode=0o600)
    stopped = threading.Event()

    def beat() -> None:
        while not stopped.wait(every):
            try:
                path.touch(mode=0o600)
            except OSError:
                pass  # a folder being tidied away: the next beat tries again

    thread = threading.Thread(target=beat, name=f"import-{run.pk}-heartbeat", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stopped.set()
        thread.join()
        path.unlink(missing_ok=True)


def last_beat(run) -> datetime.datetime | None:
    """When the run's worker last showed it was alive; None if it never has (or has finished)."""
    try:
        seconds = _path(run).stat().st_mtime
    except OSError:
        return None
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


def is_silent(run, *, now: datetime.datetime) -> bool:
    """A running import whose worker has said nothing for longer than the limit. Before its
    first beat (or if it never had one) the run's request is its last sign of life."""
    limit = datetime.timedelta(seconds=settings.IMPORT_HEARTBEAT_TIMEOUT_SECONDS)
    alive = last_beat(run) or run.requested_at
    return alive < now - limit


def clear(run) -> None:
    _path(run).unlink(missing_ok=True)
