"""How dates and times read on every page, in GOV.UK style: "3 March 2019", "3 March 2019,
14:05", "March 2019". Set once here: the settings' date formats (through
``caseaudit/core/formats``, so ``{{ day|date }}`` uses them), the ``govuk_date`` template
filter and Python that writes a date into a sentence all read these."""

import datetime

from django.utils import dateformat

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
MONTH_FORMAT = "F Y"


def govuk_date(value: datetime.date | datetime.datetime | None) -> str:
    """A date (or a date and time's date, in the local time zone) as "3 March 2019"."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime.datetime):
        from django.utils import timezone

        if timezone.is_aware(value):
            value = timezone.localtime(value)
    return dateformat.format(value, DATE_FORMAT)


def govuk_datetime(value: datetime.datetime | None) -> str:
    """A moment as "3 March 2019, 14:05", in the local time zone."""
    if value is None or value == "":
        return ""
    from django.utils import timezone

    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dateformat.format(value, DATETIME_FORMAT)
