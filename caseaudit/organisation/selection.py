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
    codes = list(councils.values_list("code", flat=True))
    if not codes:
        # A fresh installation: say how to make one rather than ask which of none.
        raise CommandError(
            "There is no council yet. Create it with its first Annex A return: caseaudit "
            "import FILE --council CODE --council-name NAME (CODE is its DfE local-authority "
            "code), or sign in as the administrator and choose 'Set up your council'."
        )
    if len(codes) != 1:
        raise CommandError(f"Say which council with --council CODE (councils: {', '.join(codes)}).")
    return councils.get()
