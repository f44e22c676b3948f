"""Cell value parsers: dates, identifiers, numbers, codes and text."""

import datetime as dt
from decimal import Decimal

import pytest

from caseaudit.cases.annex_a.values import (
    ValueProblem,
    column_parser,
    parse_cell,
    parse_date,
    parse_decimal,
    parse_id,
    parse_int,
    parse_text,
    parse_yesno,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (dt.date(2020, 9, 16), dt.date(2020, 9, 16)),
        (dt.datetime(2020, 9, 16, 13, 45), dt.date(2020, 9, 16)),  # noqa: DTZ001 - as calamine gives
        (44090.0, dt.date(2020, 9, 16)),
        (44090, dt.date(2020, 9, 16)),
        ("44090", dt.date(2020, 9, 16)),
        ("16/09/2020", dt.date(2020, 9, 16)),
        (" 16/09/2020 ", dt.date(2020, 9, 16)),
        ("16/09/2020 00:00:00", dt.date(2020, 9, 16)),
        ("6/9/20", dt.date(2020, 9, 6)),
        ("6/9/98", dt.date(1998, 9, 6)),
        ("16-09-2020", dt.date(2020, 9, 16)),
        ("16.09.2020", dt.date(2020, 9, 16)),
        ("2020-09-16", dt.date(2020, 9, 16)),
        ("2020-09-16T00:00:00", dt.date(2020, 9, 16)),
        ("16 Sep 2020", dt.date(2020, 9, 16)),
        ("16-Sep-20", dt.date(2020, 9, 16)),
        ("29/02/2020", dt.date(2020, 2, 29)),
        ("03/04/2020", dt.date(2020, 4, 3)),  # ambiguous: always read day first
    ],
)
def test_dates_in_every_form_real_files_use(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_blank_date_is_none(raw):
    assert parse_date(raw) is None


def test_impossible_date_is_refused():
    with pytest.raises(ValueProblem, match="not a real date: February 2020 has no day 31"):
        parse_date("31/02/2020")


def test_29_february_in_a_non_leap_year_is_refused():
    with pytest.raises(ValueProblem, match="February 2021 has no day 29"):
        parse_date("29/02/2021")


@pytest.mark.parametrize("raw", ["02/31/2020", "12/25/2020", "9/16/20"])
def test_us_style_dates_are_named_as_such(raw):
    with pytest.raises(ValueProblem, match=r"looks like a US-style date \(month first\)"):
        parse_date(raw)


def test_month_above_twelve_on_both_sides_is_not_a_date():
    with pytest.raises(ValueProblem, match="month 13"):
        parse_date("13/13/2020")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (dt.time(9, 30), "time of day"),
        (True, "TRUE/FALSE"),
        (-5.0, "is a number, not a date"),
        ("20200916", "not a date Annex A can read"),
        ("next Tuesday", "not a date Annex A can read"),
        ("16/09/1820", "year 1820"),
    ],
)
def test_non_dates_are_refused_with_a_reason(raw, words):
    with pytest.raises(ValueProblem, match=words):
        parse_date(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("123", "123"),
        ("123.0", "123"),
        (123.0, "123"),
        (123, "123"),
        (" 123 ", "123"),
        ("AB-123", "AB-123"),
        ("\u00a0C123\u00a0", "C123"),
        ("007", "007"),
    ],
)
def test_child_ids_as_text_or_numbers(raw, expected):
    assert parse_id(raw) == expected


def test_id_123_point_0_and_123_are_the_same_child():
    assert parse_id("123.0") == parse_id("123") == parse_id(123.0)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (123.5, "fraction"),
        ("1.23457E+15", "scientific notation"),
        (1e17, "too long"),
        (dt.date(2020, 1, 1), "not an identifier"),
    ],
)
def test_bad_ids_are_refused(raw, words):
    with pytest.raises(ValueProblem, match=words):
        parse_id(raw)


@pytest.mark.parametrize(("raw", "expected"), [("3", 3), (3.0, 3), (3, 3), ("0", 0), ("2.0", 2)])
def test_counts(raw, expected):
    assert parse_int(raw) == expected


@pytest.mark.parametrize(
    ("raw", "words"),
    [("2.5", "whole number"), ("two", "not a number"), (-1.0, "negative"), (True, "not a number")],
)
def test_bad_counts(raw, words):
    with pytest.raises(ValueProblem, match=words):
        parse_int(raw)


def test_fractional_ages_keep_their_digits():
    assert parse_decimal(6.138261464750171) == Decimal("6.138261464750171")
    assert parse_decimal("0.85") == Decimal("0.85")
    assert parse_decimal(20.0) == Decimal("20.0")
    with pytest.raises(ValueProblem):
        parse_decimal("six")


def test_text_is_tidied_but_never_evaluated():
    assert parse_text("Dustin\u00a0Hazlett") == "Dustin Hazlett"
    assert parse_text("=SUM(A1:A3)") == "=SUM(A1:A3)"
    assert parse_text("=cmd|' /C calc'!A0") == "=cmd|' /C calc'!A0"
    assert parse_text(1.0) == "1"
    assert parse_text("  ") is None


def test_yes_no_values():
    assert parse_yesno("a) Yes") == "Y"
    assert parse_yesno("No") == "N"
    assert parse_yesno("c) Unknown", "yes_no_unknown") == "U"
    with pytest.raises(ValueProblem, match="not a recognised Yes/No value"):
        parse_yesno("CS Assessment Updated")


def test_parse_cell_dispatches_on_kind():
    assert parse_cell("code", "k) APKN", "ethnicity") == "APKN"
    assert parse_cell("yesno", "b) No", "yes_no") == "N"
    assert parse_cell("date", "01/02/2021") == dt.date(2021, 2, 1)
    assert parse_cell("id", 9212044.0) == "9212044"
    with pytest.raises(ValueError, match="unknown column kind"):
        parse_cell("colour", "red")


@pytest.mark.parametrize("raw", ["#N/A", " #DIV/0! ", "#REF!"])
def test_excel_error_text_is_named(raw):
    with pytest.raises(ValueProblem, match="is an Excel error from a formula"):
        parse_cell("text", raw)


@pytest.mark.parametrize(
    ("kind", "code_list", "cells"),
    [
        ("date", None, ["16/09/2020", " 16/09/2020 ", "2020-09-16", 44090.0, "", None, "6/9/98"]),
        ("id", None, ["123", "123.0", 123.0, "DK-001", "0012", "", None, " 77 "]),
        ("code", "gender", ["a) Male", "M", "b) Female", "", None]),
        ("decimal", None, ["6.138", 6.5, "", None]),
        ("int", None, ["3", 3.0, "3.0", "", None]),
        ("text", None, ["Ann\xa0Lee", " North  Team ", 12.0, "", None]),
        ("yesno", "yes_no", ["a) Yes", "N", "", None]),
    ],
)
def test_a_column_parser_reads_every_cell_as_parse_cell_does(kind, code_list, cells):
    from caseaudit.cases.annex_a.values import column_parser

    parse = column_parser(kind, code_list)
    for raw in cells * 2:  # the second time, from what the parser remembers
        assert parse(raw) == parse_cell(kind, raw, code_list), raw


def test_a_column_parser_reports_a_bad_value_every_time():
    from caseaudit.cases.annex_a.values import column_parser

    parse = column_parser("date", None)
    for _ in range(3):
        with pytest.raises(ValueProblem, match="February 2020 has no day 31"):
            parse("31/02/2020")


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("<script>", "not an identifier"),
        ("12<b>3", "not an identifier"),
        ("123\x00", "not an identifier"),
        ("\x07123", "not an identifier"),
        ("'; DROP TABLE x", "not an identifier"),
        ("-123-", "not an identifier"),
        ("1" * 51, "at most 50"),
        ("A" * 51, "at most 50"),
    ],
)
def test_ids_a_system_could_not_have_issued_are_refused(raw, words):
    with pytest.raises(ValueProblem, match=words):
        parse_id(raw)
    # The per-sheet parser too, including its shortcut for plain digits.
    with pytest.raises(ValueProblem, match=words):
        column_parser("id")(raw)


def test_a_refused_id_is_shown_without_its_control_characters():
    with pytest.raises(ValueProblem) as refused:
        parse_id("12\x003")
    assert "\x00" not in str(refused.value) and "\\x00" in str(refused.value)


@pytest.mark.parametrize("raw", ["C/0042", "AB-123", "ab_12.3", "CHI 123", "1" * 50])
def test_ids_with_letters_and_separators_are_accepted(raw):
    assert parse_id(raw) == raw
