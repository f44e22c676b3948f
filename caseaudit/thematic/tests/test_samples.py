"""Samples: reproducible from their seed, frozen once confirmed."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from caseaudit.cases.cohorts import conditions_from_data, evaluate
from caseaudit.cases.generator import DEFAULT_AS_AT
from caseaudit.cases.importer import import_annex_a
from caseaudit.thematic import actions
from caseaudit.thematic.choices import SampleMethod

pytestmark = pytest.mark.django_db


def drawn(sample) -> list[int]:
    return sorted(sample.children.values_list("child_id", flat=True))


def test_the_same_seed_draws_the_same_children_and_another_seed_others(thematic, people):
    audit, by = thematic.audit, thematic.lead
    first = drawn(actions.draw_sample(audit, method=SampleMethod.RANDOM_N, size=10, seed=7, by=by))
    again = drawn(actions.draw_sample(audit, method=SampleMethod.RANDOM_N, size=10, seed=7, by=by))
    other = drawn(actions.draw_sample(audit, method=SampleMethod.RANDOM_N, size=10, seed=8, by=by))
    assert len(first) == 10
    assert first == again
    assert first != other
    # A draw replaces the previous preview.
    assert audit.samples.count() == 1


@pytest.mark.parametrize(
    ("method", "size"),
    [
        (SampleMethod.ALL, None),
        (SampleMethod.RANDOM_PERCENT, 10),
        (SampleMethod.PER_AREA, 2),
        (SampleMethod.PER_SERVICE, 2),
        (SampleMethod.PER_TEAM, 1),
        (SampleMethod.PER_WORKER, 1),
    ],
)
def test_each_way_of_drawing(thematic, method, size):
    sample = actions.draw_sample(thematic.audit, method=method, size=size, seed=3, by=thematic.lead)
    rows = list(sample.children.select_related("team__area", "team__service", "worker"))
    assert sample.cohort_size >= sample.eligible_size >= len(rows) > 0
    if method == SampleMethod.ALL:
        assert len(rows) == sample.eligible_size
    if method == SampleMethod.RANDOM_PERCENT:
        assert len(rows) == -(-sample.eligible_size * 10 // 100)
    if method == SampleMethod.PER_AREA:
        per_area = {}
        for row in rows:
            per_area[row.team.area.name] = per_area.get(row.team.area.name, 0) + 1
        assert set(per_area.values()) <= {1, 2}
        assert {row.drawn_within for row in rows} == set(per_area)
    if method == SampleMethod.PER_WORKER:
        workers = [row.worker_id for row in rows]
        assert None not in workers and len(workers) == len(set(workers))
    assert "from a cohort of" in sample.describe()


def test_a_confirmed_sample_never_changes_when_case_data_is_reimported(
    thematic, council, regenerated
):
    audit = thematic.audit
    sample = actions.draw_sample(
        audit, method=SampleMethod.RANDOM_N, size=12, seed=5, by=thematic.lead
    )
    actions.confirm_sample(sample, by=thematic.lead)
    before = list(sample.children.values_list("child_id", "la_child_id", "team_id", "worker_id"))

    summary = import_annex_a(regenerated.path, council=council.council, as_at=regenerated.as_at)
    assert not summary.refused
    conditions = conditions_from_data(thematic.cohort.conditions)
    now = set(evaluate(council.council, conditions).children.values_list("pk", flat=True))
    assert now != {child_id for child_id, *_ in before}, "the cohort itself has moved on"

    after = list(sample.children.values_list("child_id", "la_child_id", "team_id", "worker_id"))
    assert after == before
    with pytest.raises(ValidationError, match="confirmed"):
        actions.draw_sample(audit, method=SampleMethod.RANDOM_N, size=12, seed=5, by=thematic.lead)


def test_the_cohort_is_evaluated_as_at_the_chosen_date(thematic, council, generated):
    later = DEFAULT_AS_AT + datetime.timedelta(days=31)
    assert not import_annex_a(generated.path, council=council.council, as_at=later).refused
    latest = actions.draw_sample(thematic.audit, method=SampleMethod.ALL, by=thematic.lead)
    assert latest.as_at == later
    sample = actions.draw_sample(
        thematic.audit, method=SampleMethod.ALL, as_at=DEFAULT_AS_AT, by=thematic.lead
    )
    assert sample.as_at == DEFAULT_AS_AT


def test_sizes_are_checked(thematic):
    with pytest.raises(ValidationError, match="between 1 and 100"):
        actions.draw_sample(
            thematic.audit, method=SampleMethod.RANDOM_PERCENT, size=150, by=thematic.lead
        )
    with pytest.raises(ValidationError, match="how many"):
        actions.draw_sample(thematic.audit, method=SampleMethod.PER_TEAM, by=thematic.lead)
