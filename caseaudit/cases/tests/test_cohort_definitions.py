"""Cohorts as data: conditions built on a page, evaluated as at a date, with a profile."""

import csv
import datetime

import pytest
from django.core.exceptions import ValidationError

from caseaudit.cases.actions import save_cohort
from caseaudit.cases.cohorts import (
    AGE_BANDS,
    EXAMPLES,
    Condition,
    clean_condition,
    evaluate,
    profile,
)
from caseaudit.cases.generator import DEFAULT_AS_AT, generate_council
from caseaudit.cases.importer import import_annex_a
from caseaudit.core.history import history_of
from caseaudit.testing.queries import assert_cost_does_not_grow

pytestmark = pytest.mark.django_db
SCALE = 0.1


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    return generate_council(tmp_path_factory.mktemp("cohorts"), scale=SCALE, fmt="csv")


@pytest.fixture
def imported(council, generated):
    summary = import_annex_a(generated.path, council=council.council, as_at=DEFAULT_AS_AT)
    assert not summary.refused
    return council.council


def three_plus_placements_by_reading_the_file(path) -> set[str]:
    """The generator's own List 8, read a second way: plain csv, no importer."""
    with (path / "List_8.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["Child Unique ID"]
        for row in rows
        if int(row["Number of Placements in the Last 12 months"] or 0) >= 3
        and not row["Date Ceased to be Looked After"]
    }


def test_three_plus_placements_is_exactly_the_generators_children(imported, generated):
    _, conditions = EXAMPLES["placement_stability"]
    evaluation = evaluate(imported, conditions)
    found = set(evaluation.children.values_list("la_child_id", flat=True))
    expected = three_plus_placements_by_reading_the_file(generated.path)
    assert expected, "the generated council should have some unstable placements"
    assert found == expected

    tables = {table.title: table for table in profile(evaluation)}
    size = len(found)
    assert [label for label, _ in tables["Age band"].rows][:4] == [b for b, _ in AGE_BANDS]
    for table in tables.values():
        assert table.total == size, table.title


def test_cohort_evaluation_is_one_query_whatever_its_size(imported):
    small = [Condition("cla.placements_last_12_months", "gte", 5)]
    large = [Condition("cla.placements_last_12_months", "gte", 0)]
    assert (
        assert_cost_does_not_grow(
            lambda: list(evaluate(imported, small).children),
            lambda: list(evaluate(imported, large).children),
        )
        <= 2
    )
    assert_cost_does_not_grow(
        lambda: profile(evaluate(imported, small)), lambda: profile(evaluate(imported, large))
    )


def test_each_example_cohort_evaluates(imported):
    for _title, conditions in EXAMPLES.values():
        evaluation = evaluate(imported, conditions)
        assert evaluation.children.count() >= 0


def test_age_is_counted_on_the_as_at_date(imported):
    as_at = DEFAULT_AS_AT
    conditions = [
        Condition("cla.looked_after_start_date", "not_blank"),
        Condition("child.age", "between", 13, 17),
    ]
    for child in evaluate(imported, conditions).children:
        born = child.date_of_birth
        age = as_at.year - born.year - ((as_at.month, as_at.day) < (born.month, born.day))
        assert 13 <= age <= 17


def test_conditions_are_cleaned_from_what_a_person_types():
    assert clean_condition("cla.legal_status", "is", "Full care order").value == "C2"
    assert clean_condition("cla.legal_status", "is_one_of", "C1, fco").value == ["C1", "C2"]
    assert clean_condition("referrals.referral_date", "between", "1/4/2024", "31/12/2024") == (
        Condition("referrals.referral_date", "between", "2024-04-01", "2024-12-31")
    )
    with pytest.raises(ValidationError, match="real date"):
        clean_condition("referrals.referral_date", "on_or_after", "31/2/2024")
    with pytest.raises(ValidationError, match="whole number"):
        clean_condition("cla.placements_last_12_months", "gte", "three")
    with pytest.raises(ValidationError, match="not a value"):
        clean_condition("cla.legal_status", "is", "Z9")
    with pytest.raises(ValidationError, match="Select a comparison"):
        clean_condition("cla.placements_last_12_months", "contains", "3")


def test_a_saved_cohort_keeps_history_and_needs_a_list_condition(council, people):
    with pytest.raises(ValidationError, match="Annex A list"):
        save_cohort(
            council.council,
            name="Teenagers",
            conditions=[Condition("child.age", "gte", 13)],
            by=people.qa_lead,
        )
    cohort = save_cohort(
        council.council, name="Missing", conditions=EXAMPLES["missing"][1], by=people.qa_lead
    )
    save_cohort(
        council.council,
        name="Missing often",
        conditions=[Condition("cla.missing_episodes_last_12_months", "gte", 3)],
        by=people.qa_lead,
        cohort=cohort,
    )
    assert [h.action for h in history_of(cohort)] == ["changed", "created"]
    with pytest.raises(ValidationError):
        save_cohort(
            council.council,
            name="missing often",
            conditions=EXAMPLES["missing"][1],
            by=people.qa_lead,
        )


def test_as_at_uses_the_case_data_current_on_that_date(imported):
    conditions = EXAMPLES["missing"][1]
    before = evaluate(imported, conditions, as_at=DEFAULT_AS_AT - datetime.timedelta(days=1))
    assert before.snapshot is None and not before.children.exists()
    assert evaluate(imported, conditions, as_at=DEFAULT_AS_AT).snapshot is not None


def test_the_profile_evaluates_the_cohort_once_and_agrees_with_the_children(imported):
    """One query for all six tables; each table's counts are what reading the children one by
    one gives."""
    from collections import Counter

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from caseaudit.cases.annex_a.codes import label_for
    from caseaudit.cases.cohorts import NOT_RECORDED

    evaluation = evaluate(imported, [Condition("cla.ceased_looked_after_date", "blank")])
    with CaptureQueriesContext(connection) as captured:
        tables = {table.title: dict(table.rows) for table in profile(evaluation)}
    # One SELECT (besides the transaction's savepoint and, on PostgreSQL, its JIT setting).
    selects = [q for q in captured if q["sql"].lstrip().upper().startswith("SELECT")]
    assert len(selects) == 1
    children = list(evaluation.children.select_related("allocated_team__area"))
    assert children
    by_gender = Counter(
        label_for("gender", c.gender) if c.gender else NOT_RECORDED for c in children
    )
    by_area = Counter(
        c.allocated_team.area.name if c.allocated_team and c.allocated_team.area else NOT_RECORDED
        for c in children
    )
    assert tables["Gender"] == dict(by_gender)
    assert tables["Area"] == dict(by_area)
    assert sum(tables["Legal status"].values()) == len(children)
