"""Uploaded returns waiting for their import: private to caseaudit, and gone once used.

A return lists children in care by name of council, with dates of birth: the file is kept
only until its import has run (whatever became of it), readable by caseaudit's own user
alone (0600, in a folder of 0700), under a name of caseaudit's own.
"""

import os
import uuid
from pathlib import Path

from django.conf import settings

from caseaudit.cases import heartbeat, progress


def folder() -> Path:
    path = Path(settings.UPLOAD_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    # mkdir's mode is only for a folder it makes, and the umask trims it.
    path.chmod(0o700)
    return path


def store(uploaded, suffix: str) -> Path:
    """Write the uploaded file to a new private file; the uploaded name is never a path."""
    stored = folder() / f"{uuid.uuid4().hex}{suffix}"
    descriptor = os.open(stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in uploaded.chunks():
                handle.write(chunk)
    except BaseException:
        stored.unlink(missing_ok=True)
        raise
    return stored


def discard(run) -> None:
    """The run's upload and the files beside it: the run has finished, failed or stopped."""
    if run.stored_path:
        Path(run.stored_path).unlink(missing_ok=True)
    progress.clear(run)
    heartbeat.clear(run)
