"""The synthetic council generator: its API, repeatability, and files the reader accepts."""

import csv
import hashlib
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from caseaudit.cases.annex_a import LISTS, iter_rows, open_source
from caseaudit.cases.generator import (
    CSE_RISK_COLUMN,
    DEFAULT_AS_AT,
    Population,
    council_identity,
    generate,
    generate_council,
)
from caseaudit.cases.generator.care import Places
from caseaudit.cases.generator.council import council_spec
from caseaudit.cases.generator.identifiers import IdSpace
from caseaudit.organisation.generator import build_council

SMALL = 0.05
ALLOCATION_FIELDS = ("allocated_team", "allocated_worker", "personal_adviser")


def read_return(path: Path) -> tuple[list, dict[int, list]]:
    """(every problem, {list number: rows}) for a generated return, read by the real reader."""
    problems, rows = [], {}
    with open_source(path) as source:
        problems += source.problems
        for sheet in source.sheets():
            problems += sheet.problems
            rows[sheet.spec.number] = list(iter_rows(sheet))
            problems += [problem for row in rows[sheet.spec.number] for problem in row.problems]
            problems += sheet.late_problems
    return problems, rows


def digest(path: Path) -> str:
    files = sorted(path.rglob("*")) if path.is_dir() else [path]
    sha = hashlib.sha256()
    for file in files:
        sha.update(file.name.encode())
        sha.update(file.read_bytes())
    return sha.hexdigest()


@pytest.fixture(scope="module")
def small_returns(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("small")
    return {fmt: generate_council(out, scale=SMALL, fmt=fmt) for fmt in ("xlsx", "csv")}


def test_council_zero_is_the_demo_council():
    assert council_identity(0) == ("Wealdshire County Council", "990")
    assert council_spec(seed=1, scale=1.0, council_index=0) == build_council(seed=1)


def test_every_council_has_its_own_name_code_and_seed():
    identities = [council_identity(index) for index in range(320)]
    assert len({name for name, _code in identities}) == 320
    assert [code for _name, code in identities[:3]] == ["990", "991", "992"]
    other = council_spec(seed=1, scale=1.0, council_index=2)
    assert other.name == council_identity(2)[0]
    assert [w.name for w in other.workers()] == [w.name for w in build_council(seed=3).workers()]


def test_files_are_named_and_shaped_as_the_brief_says(small_returns):
    workbook = small_returns["xlsx"]
    assert workbook.path.name == "wealdshire-county-council_annex_a.xlsx"
    assert CalamineWorkbook.from_path(str(workbook.path)).sheet_names == [
        f"List {number}" for number in range(1, 12)
    ]
    folder = small_returns["csv"]
    assert folder.path.name == "wealdshire-county-council"
    assert sorted(p.name for p in folder.path.iterdir()) == sorted(
        f"List_{number}.csv" for number in range(1, 12)
    )
    with (folder.path / "List_3.csv").open(encoding="utf-8", newline="") as handle:
        header, first = next(csv.reader(handle)), next(csv.reader(handle))
    assert header == [column.header for column in LISTS[2].columns]
    assert first[5].count("/") == 2  # dates as dd/mm/yyyy
    assert workbook.rows == folder.rows
    assert workbook.total_rows == sum(workbook.rows.values()) > 2000
    assert workbook.as_at == DEFAULT_AS_AT


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_reader_accepts_the_return_without_errors(small_returns, fmt):
    generated = small_returns[fmt]
    problems, rows = read_return(generated.path)
    assert [p for p in problems if p.severity == "error"] == []
    # The only remark is the extra CSE column, which the reader keeps aside.
    assert {p.column for p in problems} == {CSE_RISK_COLUMN}
    assert {number: len(listed) for number, listed in rows.items()} == generated.rows


def test_both_formats_say_the_same_thing(small_returns):
    _problems, from_xlsx = read_return(small_returns["xlsx"].path)
    _problems, from_csv = read_return(small_returns["csv"].path)
    for number in from_xlsx:
        assert [row.values for row in from_xlsx[number]] == [
            row.values for row in from_csv[number]
        ], f"List {number}"
        assert [row.extras for row in from_xlsx[number]] == [row.extras for row in from_csv[number]]


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_same_arguments_make_the_same_file(tmp_path, small_returns, fmt):
    again = generate_council(tmp_path, scale=SMALL, fmt=fmt)
    assert digest(again.path) == digest(small_returns[fmt].path)
    other_seed = generate_council(tmp_path / "other", seed=2, scale=SMALL, fmt=fmt)
    assert digest(other_seed.path) != digest(again.path)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # spools removed


def test_allocated_teams_and_workers_are_the_councils_own(small_returns):
    spec = small_returns["csv"].council
    teams = {team.name for team in spec.teams}
    workers = {worker.name: team.name for team in spec.teams for worker in team.practitioners}
    _problems, rows = read_return(small_returns["csv"].path)
    seen = 0
    for listed in rows.values():
        for row in listed:
            values = row.values
            if values.get("allocated_team"):
                assert values["allocated_team"] in teams
                seen += 1
            for field in ("allocated_worker", "personal_adviser"):
                if values.get(field):
                    assert workers[values[field]] == values["allocated_team"]
    assert seen > 1000


def test_children_have_invented_ids_and_no_names(small_returns):
    _problems, rows = read_return(small_returns["csv"].path)
    for number in range(1, 11):
        for row in rows[number]:
            assert row.values["child_id"].isdigit()
            assert 6 <= len(row.values["child_id"]) <= 7
    contacts = [row.values["child_id"] for row in rows[1]]
    assert len(set(contacts)) > 0.8 * len(contacts)
    # Annex A has no names of children; nor has any column here.
    headers = {column.header.casefold() for spec in LISTS for column in spec.columns}
    assert not any("name" in header for header in headers)


def test_quirks_are_real_file_quirks_the_reader_survives(tmp_path):
    for fmt in ("xlsx", "csv"):
        generated = generate_council(tmp_path / fmt, scale=SMALL, fmt=fmt, quirks=True)
        problems, rows = read_return(generated.path)
        assert [p for p in problems if p.severity == "error"] == []
        assert {number: len(listed) for number, listed in rows.items()} == generated.rows
        assert all(row.values["age"] is not None for row in rows[1])
    workbook = CalamineWorkbook.from_path(str(tmp_path / "xlsx" / generated_name("xlsx")))
    contacts = workbook.get_sheet_by_name("List 1").to_python()
    referrals = workbook.get_sheet_by_name("List 3").to_python()
    cla_headers = workbook.get_sheet_by_name("List 8").to_python()[0]
    assert contacts[0][4] == "Age"
    assert isinstance(contacts[1][0], float)  # IDs stored as numbers
    assert isinstance(referrals[1][5], str) and referrals[1][5].count("/") == 2
    assert any("\u2018Missing\u2019" in header for header in cla_headers)
    with (tmp_path / "csv" / generated_name("csv") / "List_1.csv").open(encoding="utf-8") as handle:
        handle.readline()
        assert handle.readline().split(",")[0].endswith(".0")


def generated_name(fmt: str) -> str:
    return "wealdshire-county-council" + ("_annex_a.xlsx" if fmt == "xlsx" else "")


def test_several_councils_each_get_a_return(tmp_path):
    results = generate(tmp_path, councils=2, scale=0.02, fmt="csv")
    assert [r.council.code for r in results] == ["990", "991"]
    assert results[0].path != results[1].path
    assert [r.seed for r in results] == [1, 2]
    firsts = [(r.path / "List_8.csv").read_text(encoding="utf-8").splitlines()[1] for r in results]
    assert firsts[0] != firsts[1]


def test_rows_grow_linearly_with_scale():
    spec, places = build_council(seed=1), Places("Wealdshire", "ZW", ("Fenford",))
    one = Population(spec, seed=1, scale=1.0, as_at=DEFAULT_AS_AT, places=places)
    five = Population(spec, seed=1, scale=5.0, as_at=DEFAULT_AS_AT, places=places)
    for number, size in one.sizes.items():
        assert abs(five.sizes[number] - 5 * size) <= 3


def test_journeys_write_only_the_lists_own_columns():
    places = Places("Wealdshire", "ZW", ("Fenford",))
    population = Population(
        build_council(seed=1, scale=0.3), seed=1, scale=0.3, as_at=DEFAULT_AS_AT, places=places
    )
    # The child's shared attributes ride along on every row; each list writes what it has.
    shared = {"disability", "uasc", CSE_RISK_COLUMN}
    for spec in LISTS:
        fields = {column.field for column in spec.columns}
        written = set().union(*(row.keys() for row in population.rows(spec.number)))
        assert written - fields <= shared, spec.label
        assert len(fields - written) <= 2, spec.label  # nearly every column has values


def test_id_spaces_are_permutations():
    space = IdSpace(seed=7, first=100, size=5000)
    assert sorted(space(index) for index in range(5000)) == list(range(100, 5100))


def test_bad_arguments_are_refused(tmp_path):
    with pytest.raises(ValueError, match="format"):
        generate_council(tmp_path, scale=SMALL, fmt="ods")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="scale"):
        generate_council(tmp_path, scale=0)
