"""Choosing the council a command-line job works on."""

from django.core.management import CommandError

from caseaudit.organisation.models import Council


def council_for(code: str | None) -> Council:
    """The council with ``code``, or the only council there is."""
    councils = Council.objects.all()
    if code:
        council = councils.filter(code=code).first()
        if council is None:
            raise CommandError(f"No council has the code {code!r}.")
        return council
    if councils.count() != 1:
        codes = ", ".join(councils.values_list("code", flat=True)) or "none yet"
        raise CommandError(f"Say which council with --council CODE (councils: {codes}).")
    return councils.get()
