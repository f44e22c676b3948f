"""Which GOV.UK tag colour each status shows in, wherever a status is shown: one map for every
app's statuses (their stored values), so the same word always looks the same. A status not
listed shows in the default (dark blue) tag."""

COLOURS: dict[str, str] = {
    # Not started yet, or set aside.
    "allocated": "grey",
    "planned": "grey",
    "not_set_up": "grey",
    "queued": "grey",
    "identified": "grey",
    "dismissed": "grey",
    "cancelled": "grey",
    "closed": "grey",
    "superseded": "grey",
    "draft": "blue",
    # Under way.
    "in_progress": "light-blue",
    "running": "light-blue",
    "selected": "light-blue",
    "confirmed": "blue",
    "open": "blue",
    "assigned": "yellow",
    "reporting": "yellow",
    # Waiting for someone.
    "pending": "yellow",
    "waiting": "yellow",
    "paused": "yellow",
    # Done.
    "submitted": "green",
    "loaded": "green",
    "published": "green",
    "complete": "green",
    "done": "green",
    "approved": "green",
    "moderated": "turquoise",
    "unchanged": "blue",
    "exempted": "purple",
    # Something is wrong.
    "open_alert": "red",
    "overdue": "red",
    "refused": "red",
    "failed": "red",
}


def tag_class(status: str) -> str:
    """The tag's classes for ``status``: "govuk-tag govuk-tag--green"."""
    colour = COLOURS.get(str(status))
    return f"govuk-tag govuk-tag--{colour}" if colour else "govuk-tag"
