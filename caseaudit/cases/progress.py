"""How far a background import has got, for its page to show while it runs.

An import writes everything in one transaction, so nothing it writes to the database, the
run's own row included, can be seen by the page until it has finished. (And on SQLite a write
of the run's row would contend for the one write lock with every page.) So the worker keeps the rows
read so far in a small file beside the uploaded one, replaced whole each time, and the page
reads it while the run is in progress. At the end the run's row has the final count and the
file goes with the upload.
"""

import os
from pathlib import Path

from caseaudit.cases.choices import ImportStatus

IN_PROGRESS = (ImportStatus.QUEUED, ImportStatus.RUNNING)


def _path(run) -> Path | None:
    return Path(f"{run.stored_path}.progress") if run.stored_path else None


def record(run, rows: int) -> None:
    path = _path(run)
    if path is None:
        return
    partial = path.with_name(f"{path.name}.partial")
    partial.write_text(str(rows))
    # A reader sees the old count or the new one, never half a number.
    os.replace(partial, path)


def rows_read(run) -> int:
    """The rows the run has read: so far, while it is in progress; in all, once finished."""
    path = _path(run)
    if run.status not in IN_PROGRESS or path is None:
        return run.rows_read
    try:
        return max(int(path.read_text()), run.rows_read)
    except (OSError, ValueError):
        return run.rows_read


def clear(run) -> None:
    path = _path(run)
    if path is not None:
        path.unlink(missing_ok=True)
