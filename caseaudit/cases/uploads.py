"""Uploaded returns waiting for their import: private to caseaudit, and gone once used.

A return lists children in care by name of council, with dates of birth: the file is kept
only until its import has run (whatever became of it), readable by caseaudit's own user
alone (0600, in a folder of 0700). Each upload has a folder of its own, named by caseaudit, and
keeps the person's file name inside it: the importer tells a .csv's list by its name, and every
message names the file as the person knows it.
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


# Long enough for any real file name; short enough for the run's stored_path (500).
NAME_LIMIT = 150


def file_name(name: str, suffix: str) -> str:
    """The person's file name as a name only: never a path (theirs, or Windows'), no control
    characters, not hidden, not too long; "upload" when nothing is left. Ends in ``suffix``."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(character for character in base if character.isprintable())
    stem = base[: -len(suffix)] if base.lower().endswith(suffix) else base
    stem = stem.strip().lstrip(".").strip()[:NAME_LIMIT].strip()
    return f"{stem or 'upload'}{suffix}"


def store(uploaded, suffix: str) -> Path:
    """Write the uploaded file to a new private file, under its own name in a new folder."""
    where = folder() / uuid.uuid4().hex
    where.mkdir(mode=0o700)
    stored = where / file_name(uploaded.name or "", suffix)
    try:
        descriptor = os.open(stored, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            for chunk in uploaded.chunks():
                handle.write(chunk)
    except BaseException:
        stored.unlink(missing_ok=True)
        where.rmdir()
        raise
    return stored


def discard(run) -> None:
    """The run's upload and the files beside it: the run has finished, failed or stopped."""
    if run.stored_path:
        Path(run.stored_path).unlink(missing_ok=True)
    progress.clear(run)
    heartbeat.clear(run)
    if run.stored_path:
        where = Path(run.stored_path).parent
        # The upload's own folder, never the uploads folder itself (runs stored before each
        # upload had a folder lie directly in it).
        if where.resolve() != folder().resolve():
            try:
                where.rmdir()
            except OSError:
                pass  # gone already (discarded twice), or not ours to empty: harmless
