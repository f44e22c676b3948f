"""Caseloads as an elected member reads them: counts of workers from 1 to 5 hidden, with what
would give one back, and the two breakdowns of the same workers agreeing on the total."""

from caseaudit.core.suppression import SUPPRESSED, Published, disclosures, unsuppressed
from caseaudit.performance.caseloads import Caseloads, published

BANDS = ["1 to 10", "11 to 15", "16 to 20", "21 to 25", "26 to 30", "31 to 40", "41 or more"]


def held(bands, services, loads) -> Caseloads:
    return Caseloads(
        children=4_800,
        workers=sum(bands),
        mean=16.0,
        median=15.0,
        distribution=list(zip(BANDS, bands, strict=True)),
        by_service=services,
        service_loads=loads,
    )


SEEDS_COUNCIL = held(
    [40, 120, 90, 30, 12, 8, 0],
    [
        ("Assessment", 25, 60, 20),
        ("Family Safeguarding", 15, 150, 30),
        ("Children Looked After", 15, 87, 3),
        ("Care Leavers", 20, 3, 0),
    ],
    [
        ("Assessment", 30.5, 25, 40),
        ("Family Safeguarding", 15.0, 8, 22),
        ("Children Looked After", 13.0, 6, 18),
        ("Care Leavers", 18.0, 17, 19),
    ],
)


def test_big_counts_are_shown_and_small_ones_hidden_with_what_gives_them_away():
    seen = published(SEEDS_COUNCIL)
    assert (seen.workers, seen.mean, seen.median) == (300, 16.0, 15.0)
    assert seen.distribution[0] == ("1 to 10", 40)
    rows = {row[0]: row for row in seen.by_service}
    # Seed 002's "assessment workers at 25-40": sixty workers' average and range name no one,
    # even where their count is hidden so the care leavers' three cannot be worked out.
    assert rows["Assessment"][:2] + rows["Assessment"][4:] == ("Assessment", 25, 30.5, "25 to 40")
    assert rows["Family Safeguarding"] == ("Family Safeguarding", 15, 150, 30, 15.0, "8 to 22")
    # Three looked-after workers above 15, and a care leavers' service of three advisers: the
    # advisers' average and range would describe each of them.
    assert rows["Children Looked After"][3] == SUPPRESSED
    assert rows["Care Leavers"][2:] == (SUPPRESSED, 0, SUPPRESSED, SUPPRESSED)
    # Nothing hidden can be worked out from the totals.
    for cells, totals in (
        ([[n] for _b, n in seen.distribution], [seen.workers]),
        ([[row[2], row[3]] for row in seen.by_service], [seen.workers, seen.over_threshold]),
    ):
        assert not disclosures(Published(cells, None, totals, None))


def test_the_internal_figures_are_exact():
    with unsuppressed():
        seen = published(SEEDS_COUNCIL)
    assert {row[0]: row[2:4] for row in seen.by_service}["Care Leavers"] == (3, 0)


def test_a_council_with_few_workers_shows_no_averages():
    few = held(
        [2, 1, 0, 0, 0, 0, 0],
        [("Assessment", 25, 3, 0)],
        [("Assessment", 8.0, 5, 12)],
    )
    seen = published(few)
    assert (seen.workers, seen.mean, seen.median) == (SUPPRESSED, SUPPRESSED, SUPPRESSED)
    assert seen.by_service[0][4:] == (SUPPRESSED, SUPPRESSED)
