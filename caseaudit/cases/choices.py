from django.db import models


class ImportStatus(models.TextChoices):
    """What became of one import attempt (from the command line or the upload page)."""

    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Importing"
    LOADED = "loaded", "Imported"
    UNCHANGED = "unchanged", "Already imported: nothing changed"
    REFUSED = "refused", "Refused"
    FAILED = "failed", "Failed"
