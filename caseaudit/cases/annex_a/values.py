"""Cell value parsers, one per column kind.

Cells arrive as calamine gives them (str, float, int, bool, date, datetime, time, timedelta) or
as CSV text. Every parser returns None for a blank cell and raises ValueProblem with a message an
analyst can act on when the value cannot be read. Nothing is ever evaluated: text that looks like
a formula is just text.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation

from .codes import CodeError, parse_code
from .problems import short_value

__all__ = [
    "ValueProblem",
    "column_parser",
    "is_blank",
    "parse_cell",
    "parse_code_value",
    "parse_date",
    "parse_decimal",
    "parse_id",
    "parse_int",
    "parse_text",
    "parse_yesno",
]


class ValueProblem(ValueError):
    """A cell that cannot be read as its column's kind; the message is for analysts."""


_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, allowing for Excel's 1900 bug
_MAX_SERIAL = 2958465  # 9999-12-31
_EARLIEST_YEAR = 1900
_LATEST_YEAR = 2100
_FLOAT_EXACT_LIMIT = 2**53  # beyond this, a float ID has already lost digits

_DAY_FIRST = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")
_NAMED_MONTH = re.compile(r"^(\d{1,2})[\s\-/]*([a-z]{3,9})[\s\-/,]*(\d{2}|\d{4})$")
# A trailing midnight (or any time) from exports like "16/09/2020 00:00:00" or ISO "T00:00".
_TIME_SUFFIX = re.compile(
    r"[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[ap]m|z|[+\-]\d{2}:?\d{2})?$"
)
_SERIAL_TEXT = re.compile(r"^\d{1,7}(?:\.\d+)?$")
_INTEGRAL_TEXT = re.compile(r"^[+]?\d+(?:\.0+)?$")
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?e[+\-]?\d+$", re.IGNORECASE)
# What an identifier may hold: case-management systems issue digits, sometimes with letters
# and a separator ("AB-123", "C/0042"). Anything else (markup, control characters, quotes)
# is not an ID a system issued, and would travel into every page and report that shows it.
# The length is what caseaudit stores (Child.la_child_id); a longer one would be cut short.
ID_MAX_LENGTH = 50
_ID_TEXT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 ._/\-]*[A-Za-z0-9])?")
# Error results a CSV export writes out as text (calamine itself gives '' for them).
_EXCEL_ERRORS = frozenset(
    {"#n/a", "#value!", "#ref!", "#div/0!", "#num!", "#name?", "#null!", "#spill!", "#calc!"}
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.replace("\xa0", " ").strip())


def _clean_text(raw: str) -> str:
    # Names in the sample use non-breaking spaces; collapse them so "Ann\xa0Lee" == "Ann Lee".
    return " ".join(raw.replace("\xa0", " ").split())


def _short(raw: object) -> str:
    text = str(raw)
    return text if len(text) <= 40 else text[:37] + "..."


# --- dates --------------------------------------------------------------------------------


def _two_digit_year(year: int, today: dt.date | None = None) -> int:
    # Children's records hold dates of birth and events: a two-digit year up to ten years
    # ahead of now is this century, anything later is last century.
    pivot = ((today or dt.datetime.now(tz=dt.UTC).date()).year + 10) % 100
    return 2000 + year if year <= pivot else 1900 + year


def _checked_date(year: int, month: int, day: int, original: str) -> dt.date:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        if 1 <= month <= 12:
            raise ValueProblem(
                f"'{original}' is not a real date: {dt.date(2000, month, 1):%B} {year} has no "
                f"day {day}."
            ) from None
        raise ValueProblem(f"'{original}' is not a real date (month {month}).") from None
    return _in_range(value, original)


def _in_range(value: dt.date, original: object) -> dt.date:
    if not _EARLIEST_YEAR <= value.year <= _LATEST_YEAR:
        raise ValueProblem(
            f"'{_short(original)}' gives the year {value.year}, which cannot be right for "
            "Annex A; check the date."
        )
    return value


def _from_serial(serial: float, original: object) -> dt.date:
    if not 1 <= serial <= _MAX_SERIAL:
        raise ValueProblem(
            f"'{_short(original)}' is a number, not a date; enter dates as dd/mm/yyyy."
        )
    return _in_range(_EXCEL_EPOCH + dt.timedelta(days=int(serial)), original)


def _day_month_text(text: str, original: str) -> dt.date:
    match = _DAY_FIRST.match(text)
    if match is None:
        raise ValueProblem(f"'{_short(original)}' is not a date Annex A can read; use dd/mm/yyyy.")
    first, second, year_text = (int(part) for part in match.groups())
    year = _two_digit_year(year_text) if len(match.group(3)) == 2 else year_text
    if second > 12 and first <= 12:
        # dd/mm cannot have a month above 12, so the writer put the month first.
        raise ValueProblem(
            f"'{original}' looks like a US-style date (month first); Annex A dates must be "
            "day/month/year (dd/mm/yyyy)."
        )
    return _checked_date(year, second, first, original)


def parse_date(raw: object) -> dt.date | None:
    """A date from a real Excel date, an Excel serial number, or dd/mm/yyyy / ISO text."""
    if is_blank(raw):
        return None
    if isinstance(raw, dt.datetime):
        return _in_range(raw.date(), raw)
    if isinstance(raw, dt.date):
        return _in_range(raw, raw)
    if isinstance(raw, dt.time):
        raise ValueProblem(f"'{raw}' is a time of day, not a date.")
    if isinstance(raw, dt.timedelta):
        raise ValueProblem(f"'{raw}' is a duration, not a date.")
    if isinstance(raw, bool):
        raise ValueProblem(f"'{raw}' is TRUE/FALSE, not a date.")
    if isinstance(raw, int | float):
        return _from_serial(float(raw), raw)
    return _date_from_text(str(raw))


# Dates in a column repeat (a day's contacts share one), so text is parsed once per value.
@functools.lru_cache(maxsize=4096)
def _date_from_text(raw: str) -> dt.date:
    original = _clean_text(raw)
    text = _TIME_SUFFIX.sub("", original.casefold()).strip()
    if _SERIAL_TEXT.match(text):
        return _from_serial(float(text), original)
    iso = _ISO.match(text)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
        return _checked_date(year, month, day, original)
    named = _NAMED_MONTH.match(text)
    if named and named.group(2) in _MONTHS:
        day, year = int(named.group(1)), int(named.group(3))
        if len(named.group(3)) == 2:
            year = _two_digit_year(year)
        return _checked_date(year, _MONTHS[named.group(2)], day, original)
    return _day_month_text(text, original)


# --- identifiers and numbers --------------------------------------------------------------


def parse_id(raw: object) -> str | None:
    """An identifier as text: 12345.0 and '12345.0' both become '12345'."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool | dt.date | dt.time | dt.timedelta):
        raise ValueProblem(f"'{_short(raw)}' is not an identifier.")
    if isinstance(raw, float):
        if not raw.is_integer():
            raise ValueProblem(f"'{raw}' has a fraction; identifiers are whole numbers or text.")
        if abs(raw) >= _FLOAT_EXACT_LIMIT:
            raise ValueProblem(
                f"'{raw:.0f}' is too long to have been stored as a number without losing "
                "digits; format the ID column as text."
            )
        return str(int(raw))
    if isinstance(raw, int):
        return str(raw)
    text = _clean_text(str(raw))
    if _SCIENTIFIC.match(text):
        raise ValueProblem(
            f"'{text}' is in scientific notation, so Excel has already dropped digits of "
            "this ID; re-export with the ID column formatted as text."
        )
    if _INTEGRAL_TEXT.match(text):
        # A number exported as text keeps its ".0"; the ID is the whole number.
        text = text.lstrip("+").split(".")[0]
    if len(text) > ID_MAX_LENGTH:
        raise ValueProblem(
            f"'{_short(text)}' is {len(text)} characters long; identifiers are at most "
            f"{ID_MAX_LENGTH}."
        )
    if not _ID_TEXT.fullmatch(text):
        raise ValueProblem(
            f"'{short_value(text)}' is not an identifier: use only letters, digits, "
            "spaces and the separators - _ / . (starting and ending with a letter or digit)."
        )
    return text


def _number_text(raw: object) -> str:
    if isinstance(raw, bool | dt.date | dt.time | dt.timedelta):
        raise ValueProblem(f"'{_short(raw)}' is not a number.")
    return _clean_text(str(raw)).replace(",", "")


def parse_int(raw: object) -> int | None:
    """A whole, non-negative count: 3, 3.0, '3'."""
    if is_blank(raw):
        return None
    if isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = raw
    else:
        text = _number_text(raw)
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueProblem(f"'{_short(raw)}' is not a number.") from None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueProblem(f"'{_short(raw)}' should be a whole number.")
        value = int(number)
    if value < 0:
        raise ValueProblem(f"'{value}' is negative; counts cannot be below zero.")
    return value


def parse_decimal(raw: object) -> Decimal | None:
    """A non-negative decimal such as a fractional age in years (6.138...)."""
    if is_blank(raw):
        return None
    if isinstance(raw, float | int) and not isinstance(raw, bool):
        # str() of a float is its shortest exact repr, so no binary noise leaks in.
        value = Decimal(str(raw))
    else:
        try:
            value = Decimal(_number_text(raw))
        except InvalidOperation:
            raise ValueProblem(f"'{_short(raw)}' is not a number.") from None
    if not value.is_finite():
        raise ValueProblem(f"'{_short(raw)}' is not a number.")
    if value < 0:
        raise ValueProblem(f"'{_short(raw)}' is negative.")
    return value


# --- text and codes -----------------------------------------------------------------------


def parse_text(raw: object) -> str | None:
    """Free text, tidied; numbers lose a spurious '.0' and dates become ISO text."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.date | dt.time):
        return raw.isoformat()
    return _clean_text(str(raw)) or None


def parse_code_value(raw: object, code_list: str) -> str | None:
    try:
        return parse_code(code_list, raw)
    except CodeError as error:
        raise ValueProblem(str(error)) from None


def parse_yesno(raw: object, code_list: str = "yes_no") -> str | None:
    return parse_code_value(raw, code_list)


def parse_cell(kind: str, raw: object, code_list: str | None = None) -> object:
    """Parse one cell by column kind (see schema.ColumnSpec.kind). A sheet's rows go through
    ``column_parser``, which remembers each distinct text's value."""
    return _parse_cell(kind, raw, code_list)


# Distinct text values remembered per kind of column, shared by every sheet and file: the
# same dates of birth and codes recur on list after list. A kind whose values do not repeat
# (free text) would only fill it, so it is emptied when full rather than allowed to grow.
_MEMO_LIMIT = 50_000
_MEMOS: dict[tuple[str, str | None], dict[str, object]] = {}
_UNSEEN = object()
_KINDS = frozenset({"id", "text", "date", "int", "decimal", "code", "yesno"})


def column_parser(kind: str, code_list: str | None = None) -> Callable[[object], object]:
    """``parse_cell`` for one column, set up once per sheet rather than decided per cell.

    Text cells are remembered with their value (a day's contacts share one date, a team's
    referrals one name), so each distinct text is parsed once. Problems are never remembered:
    a bad value raises ValueProblem every time it appears, so every row is reported. Child
    IDs are nearly all distinct; plain digits, the usual form, are already the ID.
    """
    if kind in ("code", "yesno") and code_list is None:
        raise ValueError(f"a {kind} column needs a code list")
    if kind not in _KINDS:
        raise ValueError(f"unknown column kind {kind!r}")
    memo = _MEMOS.setdefault((kind, code_list), {})

    def parse(raw: object) -> object:
        if type(raw) is not str:
            return None if raw is None else _parse_cell(kind, raw, code_list)
        if kind == "id":
            if raw.isdigit() and raw.isascii() and len(raw) <= ID_MAX_LENGTH:
                return raw
            return _parse_cell(kind, raw, code_list)
        value = memo.get(raw, _UNSEEN)
        if value is _UNSEEN:
            value = _parse_cell(kind, raw, code_list)
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            memo[raw] = value
        return value

    return parse


def _parse_cell(kind: str, raw: object, code_list: str | None = None) -> object:
    if isinstance(raw, str) and raw.strip().casefold() in _EXCEL_ERRORS:
        raise ValueProblem(
            f"'{raw.strip()}' is an Excel error from a formula, not a value; fix the formula "
            "in the source system's export."
        )
    if kind == "id":
        return parse_id(raw)
    if kind == "text":
        return parse_text(raw)
    if kind == "date":
        return parse_date(raw)
    if kind == "int":
        return parse_int(raw)
    if kind == "decimal":
        return parse_decimal(raw)
    if kind in ("code", "yesno"):
        if code_list is None:
            raise ValueError(f"a {kind} column needs a code list")
        return parse_code_value(raw, code_list)
    raise ValueError(f"unknown column kind {kind!r}")
