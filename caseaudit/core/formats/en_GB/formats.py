"""British English formats as caseaudit shows them (GOV.UK style), read by Django through
FORMAT_MODULE_PATH: ``{{ day|date }}`` is "3 March 2019"."""

from caseaudit.core.dates import DATE_FORMAT, DATETIME_FORMAT, MONTH_FORMAT

YEAR_MONTH_FORMAT = MONTH_FORMAT
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT

__all__ = [
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "YEAR_MONTH_FORMAT",
]
