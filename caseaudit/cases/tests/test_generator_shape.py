"""A generated council has the shape of the seeds' council (Surrey, 2020), read back as import
reads it: list sizes, re-referrals, placement stability, missing episodes, caseloads, and
children who are the same child, with dates in order, in every list."""

import collections
import csv
import datetime as dt
from decimal import Decimal

import pytest

from caseaudit.cases.annex_a import iter_rows, open_source
from caseaudit.cases.generator import CSE_RISK_COLUMN, DEFAULT_AS_AT, generate_council
from caseaudit.organisation.choices import ServiceKind

AS_AT = DEFAULT_AS_AT


@pytest.fixture(scope="module")
def council(tmp_path_factory):
    """One Surrey-sized council (scale 1), as the reader sees it."""
    generated = generate_council(tmp_path_factory.mktemp("shape"), scale=1.0, fmt="csv")
    lists, extras = {}, {}
    with open_source(generated.path) as source:
        for sheet in source.sheets():
            rows = list(iter_rows(sheet))
            lists[sheet.spec.number] = [row.values for row in rows]
            extras[sheet.spec.number] = [row.extras for row in rows]
    return generated, lists, extras


def share(items, test) -> float:
    items = list(items)
    return sum(1 for item in items if test(item)) / len(items)


def in_order(*dates) -> bool:
    known = [day for day in dates if day is not None]
    return all(earlier <= later for earlier, later in zip(known, known[1:], strict=False))


def open_looked_after(lists):
    return [r for r in lists[8] if r["ceased_looked_after_date"] is None]


def test_list_sizes_are_those_of_a_council_like_surrey(council):
    generated, lists, _extras = council
    open_plans = [r for r in lists[7] if r["cp_plan_end_date"] is None]
    assert 15_000 <= len(lists[1]) <= 21_000  # contacts in six months
    assert 1_500 <= len(lists[2]) <= 2_600  # early help assessments
    assert 5_000 <= len(lists[3]) <= 7_500  # referrals
    assert 5_000 <= len(lists[4]) <= 7_000  # assessments
    assert 1_200 <= len(lists[5]) <= 2_500  # section 47 enquiries
    assert 700 <= len(open_plans) <= 900  # Surrey: 770 in September 2020
    assert 900 <= len(open_looked_after(lists)) <= 1_100  # Surrey: 972 to 1,004
    assert 500 <= len(lists[9]) <= 800
    assert 50 <= len(lists[10]) <= 120
    assert 30 <= len(lists[11]) <= 100
    assert 38_000 <= generated.total_rows <= 50_000


def test_re_referrals_are_within_surreys_range(council):
    _generated, lists, _extras = council
    assert 0.19 <= share(lists[3], lambda r: r["referrals_last_12_months"] > 1) <= 0.26


def test_placement_stability_is_as_in_the_thematic_audit(council):
    _generated, lists, _extras = council
    looked_after = open_looked_after(lists)
    unstable = [r for r in looked_after if r["placements_last_12_months"] >= 3]
    assert 0.05 <= len(unstable) / len(looked_after) <= 0.10  # seed 000: 75 of 972
    teenagers = share(unstable, lambda r: r["age"] >= 13)
    assert teenagers >= 0.6  # seed 000: 75% aged 13-17


def test_some_children_go_missing_and_are_offered_return_interviews(council):
    _generated, lists, _extras = council
    looked_after = open_looked_after(lists)
    missing = [r for r in looked_after if r["missing_episodes_last_12_months"]]
    assert 0.05 <= len(missing) / len(looked_after) <= 0.2
    assert all(r["return_interview_offered"] in ("Y", "N") for r in missing)
    assert {r["return_interview_accepted"] for r in missing} >= {"Y", "N"}
    never_missing = [r for r in looked_after if not r["missing_episodes_last_12_months"]]
    assert all(r["return_interview_offered"] is None for r in never_missing)


def test_caseloads_average_about_16_with_assessment_workers_at_25_to_40(council):
    generated, lists, _extras = council
    held = collections.defaultdict(set)
    for r in lists[6]:
        if r["cin_closure_date"] is None:
            held[r["allocated_worker"]].add(r["child_id"])
    for r in lists[9]:
        held[r["allocated_worker"]].add(r["child_id"])
    loads = collections.defaultdict(list)
    for team in generated.council.teams:
        for worker in team.practitioners:
            loads[team.service].append(len(held.pop(worker.name, ())))
    assert set(held) <= {None}  # every open case is held by one of the council's practitioners
    everyone = [load for service_loads in loads.values() for load in service_loads]
    assert 14 <= sum(everyone) / len(everyone) <= 18
    assert all(25 <= load <= 40 for load in loads[ServiceKind.ASSESSMENT])
    advisers = loads[ServiceKind.CARE_LEAVERS]
    assert 15 <= sum(advisers) / len(advisers) <= 22 and max(advisers) <= 26


def test_a_child_is_the_same_child_in_every_list(council):
    _generated, lists, _extras = council
    seen = {}
    for number in range(1, 11):
        for r in lists[number]:
            about = (r["gender"], r["ethnicity"], r["date_of_birth"], r.get("disability"))
            first = seen.setdefault(r["child_id"], about)
            assert all(
                a is None or b is None or a == b for a, b in zip(about, first, strict=True)
            ), r["child_id"]


def test_open_plans_and_care_appear_in_the_cin_list_with_their_status(council):
    _generated, lists, _extras = council
    in_need = {(r["child_id"], r["case_status"]): r for r in lists[6]}
    for r in lists[7]:
        if r["cp_plan_end_date"] is None:
            episode = in_need[(r["child_id"], "CP_PLAN")]
            assert episode["allocated_worker"] == r["allocated_worker"]
            assert episode["last_seen_date"] == r["last_statutory_visit_date"]
    for r in open_looked_after(lists):
        assert in_need[(r["child_id"], "LAC")]["allocated_worker"] == r["allocated_worker"]
    # Some children on plans came through the front door in the window.
    on_plans = {r["child_id"] for r in lists[7]}
    assert on_plans & {r["child_id"] for r in lists[3]}
    assert on_plans & {r["child_id"] for r in lists[5]}


def test_dates_are_in_order(council):
    _generated, lists, _extras = council
    for number, rows in lists.items():
        for r in rows:
            dates = [v for v in r.values() if isinstance(v, dt.date)]
            assert all(day <= AS_AT for day in dates), (number, r)
            if r.get("date_of_birth"):
                assert all(r["date_of_birth"] <= day for day in dates), (number, r)
    assert all(
        in_order(r["assessment_start_date"], r["assessment_authorised_date"]) for r in lists[4]
    )
    assert all(in_order(r["s47_start_date"], r["icpc_date"]) for r in lists[5])
    assert all(in_order(r["cin_start_date"], r["cin_closure_date"]) for r in lists[6])
    assert all(in_order(r["cin_start_date"], r["last_seen_date"]) for r in lists[6])
    for r in lists[7]:
        assert in_order(
            r["cp_plan_start_date"], r["last_statutory_visit_date"], r["cp_plan_end_date"]
        )
        assert in_order(r["cp_plan_start_date"], r["latest_review_conference_date"])
    for r in lists[8]:
        start = r["looked_after_start_date"]
        assert in_order(start, r["legal_status_start_date"], r["ceased_looked_after_date"])
        assert in_order(start, r["placement_start_date"])
        assert in_order(start, r["latest_review_date"])
    for r in lists[10]:
        assert in_order(
            r["entered_care_date"],
            r["adoption_decision_date"],
            r["placement_order_date"],
            r["matching_date"],
            r["placed_for_adoption_date"],
            r["adoption_order_date"],
        )


def test_the_front_door_comes_before_what_follows_it(council):
    _generated, lists, _extras = council
    referred = collections.defaultdict(list)
    for r in lists[3]:
        referred[r["child_id"]].append(r["referral_date"])
    for r in lists[4]:
        if r["child_id"] in referred:
            assert min(referred[r["child_id"]]) <= r["assessment_start_date"]
    plan_starts = {r["child_id"]: r["cp_plan_start_date"] for r in lists[7]}
    for r in lists[5]:
        if r["icpc_resulted_in_cp_plan"] == "Y":
            assert r["icpc_date"] == plan_starts[r["child_id"]]


def test_cse_risk_is_an_extra_column_for_a_few_children(council):
    _generated, lists, extras = council
    risk_by_child = {}
    for number in (6, 7, 8):
        values = [e.get(CSE_RISK_COLUMN) for e in extras[number]]
        assert set(values) <= {None, "Emerging", "Experiencing", "Significant"}
        assert 0 < share(values, lambda v: v is not None) < 0.1
        for r, value in zip(lists[number], values, strict=True):
            assert risk_by_child.setdefault(r["child_id"], value) == value
    for number in (1, 2, 3, 4, 5, 9, 10):
        assert not any(extras[number])


def test_ages_are_fractional_and_codes_come_in_several_forms(council):
    generated, lists, _extras = council
    assert share(lists[1], lambda r: r["age"] != r["age"].to_integral_value()) > 0.99
    assert all(isinstance(r["age"], Decimal) for r in lists[8])
    raw = collections.Counter()
    for number in (1, 3, 6, 7, 8):
        with (generated.path / f"List_{number}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                raw[row["Gender"][:3] == "a) " or row["Gender"][:3] == "b) "] += 1
    assert raw[True] and raw[False]  # 'a) Male' and 'Male' both occur
