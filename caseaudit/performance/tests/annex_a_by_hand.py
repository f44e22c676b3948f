"""Every indicator worked out a second way: from the CSV files the generator wrote, with the
csv module and plain Python, sharing nothing with the importer or the indicator library except
the working-day calendar's counting function (the day-by-day loop, not the library's deadline).

Each function takes the lists and the date and returns (numerator, denominator): for a count
the count and None, for a percentage the two counts, for a rate the count and the population.
"""

import csv
import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from dateutil.relativedelta import relativedelta

from caseaudit.core.working_days import working_days_between

POPULATION = 26_000
# The child population by ethnic group the test enters, and Annex A's codes in each group,
# written out again here rather than read from the library.
ETHNIC_POPULATION = {
    "white_british": 18_000,
    "white_other": 2_000,
    "mixed": 2_100,
    "asian": 2_400,
    "black": 900,
    "other": 600,
}
ETHNIC_GROUPS = {
    "wbri": "white_british",
    **dict.fromkeys(("wiri", "wirt", "woth", "wrom"), "white_other"),
    **dict.fromkeys(("mwbc", "mwba", "mwas", "moth"), "mixed"),
    **dict.fromkeys(("aind", "apkn", "aban", "aoth"), "asian"),
    **dict.fromkeys(("bcrb", "bafr", "both"), "black"),
    **dict.fromkeys(("chne", "ooth"), "other"),
}


def read_lists(folder: Path) -> dict[int, list[dict]]:
    lists = {}
    for number in range(1, 12):
        with open(folder / f"List_{number}.csv", newline="", encoding="utf-8-sig") as file:
            lists[number] = list(csv.DictReader(file))
    return lists


def day(text: str | None) -> datetime.date | None:
    if not text:
        return None
    d, m, y = text.split("/")
    return datetime.date(int(y), int(m), int(d))


def code(text: str | None) -> str:
    """The value without the template's letter ('c) Sexual abuse' -> 'sexual abuse') or a
    code's label ('V2: Single period…' -> 'v2'), lower case."""
    text = (text or "").strip()
    if len(text) > 3 and text[1] == ")" and text[2] == " ":
        text = text[3:]
    return text.split(":")[0].split(" - ")[0].strip().lower()


def yes(text: str | None) -> bool:
    return code(text) in {"yes", "y"}


def age(born: datetime.date, on: datetime.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


class ByHand:
    def __init__(self, lists: dict[int, list[dict]], as_at: datetime.date):
        self.lists = lists
        self.as_at = as_at
        self.six_start = as_at - relativedelta(months=6) + datetime.timedelta(days=1)
        self.twelve_start = as_at - relativedelta(months=12) + datetime.timedelta(days=1)

    def in_six_months(self, when):
        return when is not None and self.six_start <= when <= self.as_at

    def open_at(self, start, end):
        return start is not None and start <= self.as_at and (end is None or end > self.as_at)

    # --- the lists' rows that indicators start from -------------------------------------------
    def cp_open(self):
        return [
            r
            for r in self.lists[7]
            if self.open_at(
                day(r["Child Protection Plan Start Date"]),
                day(r["Child Protection Plan End Date"]),
            )
        ]

    @staticmethod
    def children(rows):
        return len({r["Child Unique ID"] for r in rows})

    def pct(self, rows, test, *, per_child=True):
        if per_child:
            return (
                len({r["Child Unique ID"] for r in rows if test(r)}),
                self.children(rows),
            )
        return sum(1 for r in rows if test(r)), len(rows)

    def seen_within(self, when, days):
        # A visit recorded after the date counts 0 days ago, as the library's cut-off has it.
        return when is not None and working_days_between(when, self.as_at) <= days

    # --- the indicators -----------------------------------------------------------------------
    def contacts(self):
        return sum(1 for r in self.lists[1] if self.in_six_months(day(r["Date of Contact"]))), None

    def _referrals(self):
        return [r for r in self.lists[3] if self.in_six_months(day(r["Date of referral"]))]

    def referrals(self):
        return len(self._referrals()), None

    def re_referrals_12m_pct(self):
        return self.pct(
            self._referrals(),
            lambda r: int(r["Number of Referrals in Last 12 Months"] or 0) > 1,
            per_child=False,
        )

    def _authorised(self):
        column = "Continuous Assessment Date of Authorisation"
        return [r for r in self.lists[4] if self.in_six_months(day(r[column]))]

    def assessments_completed(self):
        return len(self._authorised()), None

    def assessments_45wd_pct(self):
        def within(r):
            start = day(r["Continuous Assessment Start Date"])
            end = day(r["Continuous Assessment Date of Authorisation"])
            return working_days_between(start, end) <= 45

        return self.pct(self._authorised(), within, per_child=False)

    def assessments_open(self):
        return sum(
            1
            for r in self.lists[4]
            if self.open_at(
                day(r["Continuous Assessment Start Date"]),
                day(r["Continuous Assessment Date of Authorisation"]),
            )
        ), None

    def section47_enquiries(self):
        column = "Strategy discussion initiating Section 47 Enquiry Start Date"
        return sum(1 for r in self.lists[5] if self.in_six_months(day(r[column]))), None

    def _icpcs(self):
        column = "Date of Initial Child Protection Conference"
        return [r for r in self.lists[5] if self.in_six_months(day(r[column]))]

    def icpcs(self):
        return len(self._icpcs()), None

    def icpc_15wd_pct(self):
        def within(r):
            strategy = day(r["Strategy discussion initiating Section 47 Enquiry Start Date"])
            conference = day(r["Date of Initial Child Protection Conference"])
            return working_days_between(strategy, conference) <= 15

        return self.pct(self._icpcs(), within, per_child=False)

    def cin_open(self):
        return self.children(self._cin_open_rows()), None

    def _cin_open_rows(self):
        return [
            r
            for r in self.lists[6]
            if self.open_at(day(r["CIN Start Date"]), day(r["CIN Closure Date"]))
        ]

    def cin_rate_per_10k(self):
        return self.children(self._cin_open_rows()), POPULATION

    def cin_visits_20wd_pct(self):
        on_plan = [
            r for r in self._cin_open_rows() if code(r["Case Status"]) == "child in need plan"
        ]
        return self.pct(on_plan, lambda r: self.seen_within(day(r["Date Child Was Last Seen"]), 20))

    def cp_plans_open(self):
        return self.children(self.cp_open()), None

    def cp_rate_per_10k(self):
        return self.children(self.cp_open()), POPULATION

    def _category(self, words):
        return self.children(
            [r for r in self.cp_open() if code(r["Latest Category of Abuse"]) == words]
        ), None

    def cp_plans_open_neglect(self):
        return self._category("neglect")

    def cp_plans_open_physical_abuse(self):
        return self._category("physical abuse")

    def cp_plans_open_emotional_abuse(self):
        return self._category("emotional abuse")

    def cp_plans_open_sexual_abuse(self):
        return self._category("sexual abuse")

    def cp_plans_open_multiple(self):
        return self._category("multiple/not recommended")

    def _aged(self, low, high):
        def fits(r):
            years = age(day(r["Date of Birth"]), self.as_at)
            return years >= low and (high is None or years < high)

        return self.children([r for r in self.cp_open() if fits(r)]), None

    def cp_plans_open_age_under_1(self):
        return self._aged(0, 1)

    def cp_plans_open_age_1_to_4(self):
        return self._aged(1, 5)

    def cp_plans_open_age_5_to_9(self):
        return self._aged(5, 10)

    def cp_plans_open_age_10_to_15(self):
        return self._aged(10, 16)

    def cp_plans_open_age_16_plus(self):
        return self._aged(16, None)

    def cp_second_or_subsequent_pct(self):
        started = [
            r
            for r in self.lists[7]
            if self.in_six_months(day(r["Child Protection Plan Start Date"]))
        ]
        return self.pct(
            started,
            lambda r: int(r["Number of Previous Child Protection Plans"] or 0) >= 1,
            per_child=False,
        )

    def cp_plans_open_2_years_plus(self):
        two_years = self.as_at - relativedelta(years=2)
        return self.children(
            [r for r in self.cp_open() if day(r["Child Protection Plan Start Date"]) <= two_years]
        ), None

    def cp_visits_10wd_pct(self):
        return self.pct(
            self.cp_open(),
            lambda r: self.seen_within(day(r["Date of the Last Statutory Visit"]), 10),
        )

    def cla_open(self):
        return self.children(self._cla_open_rows()), None

    def _cla_open_rows(self):
        return [
            r
            for r in self.lists[8]
            if self.open_at(
                day(r["Date Started to be Looked After"]), day(r["Date Ceased to be Looked After"])
            )
        ]

    def cla_rate_per_10k(self):
        return self.children(self._cla_open_rows()), POPULATION

    def _started(self):
        return [
            r
            for r in self.lists[8]
            if self.in_six_months(day(r["Date Started to be Looked After"]))
        ]

    def cla_starts(self):
        return self.children(self._started()), None

    def cla_starts_s20_pct(self):
        return self.pct(self._started(), lambda r: code(r["Child's Legal Status"]) == "v2")

    def cla_uasc(self):
        column = "Unaccompanied Asylum Seeking Child (UASC) within the Last 12 Months (Y/N)"
        return self.children([r for r in self._cla_open_rows() if yes(r[column])]), None

    def _placements(self, r):
        return int(r["Number of Placements in the Last 12 months"] or 0) >= 3

    def cla_3plus_placements_12m(self):
        return self.children([r for r in self._cla_open_rows() if self._placements(r)]), None

    def cla_3plus_placements_12m_pct(self):
        return self.pct(self._cla_open_rows(), self._placements)

    def cla_visits_pct(self):
        def visited(r):
            visit = day(r["Date of Last Social Work Visit"])
            if visit is None:
                return False
            if (self.as_at - visit).days <= 42:
                return True
            placed = day(r["Start Date of Most Recent Placement"])
            settled = (
                code(r["What is the permanence plan for this child?"]) == "long-term fostering"
                and placed is not None
                and placed <= self.as_at - relativedelta(months=12)
            )
            return settled and visit >= self.as_at - relativedelta(months=3)

        return self.pct(self._cla_open_rows(), visited)

    def cla_health_assessment_pct(self):
        def assessed(r):
            last = day(r["Date of Last Health Assessment"])
            if last is None:
                return False
            under_five = age(day(r["Date of Birth"]), self.as_at) < 5
            return last >= (self.six_start if under_five else self.twelve_start)

        return self.pct(self._cla_open_rows(), assessed)

    def cla_dental_check_pct(self):
        def checked(r):
            last = day(r["Date of Last Dental Check"])
            return last is not None and last >= self.twelve_start

        return self.pct(self._cla_open_rows(), checked)

    # --- drift: each row's wait from the child's latest earlier event (a list of days) ---------
    def _waits(self, rows, to_column, earlier_rows, from_column):
        earlier: dict[str, list[datetime.date]] = {}
        for r in earlier_rows:
            if when := day(r[from_column]):
                earlier.setdefault(r["Child Unique ID"], []).append(when)
        days = []
        for r in rows:
            end = day(r[to_column])
            before = [when for when in earlier.get(r["Child Unique ID"], []) if when <= end]
            if before:
                days.append((end - max(before)).days)
        return days

    def referral_to_cp_plan_days(self):
        column = "Child Protection Plan Start Date"
        started = [r for r in self.lists[7] if self.in_six_months(day(r[column]))]
        return self._waits(started, column, self.lists[3], "Date of referral")

    def referral_to_cla_days(self):
        column = "Date Started to be Looked After"
        return self._waits(self._started(), column, self.lists[3], "Date of referral")

    def cp_plan_to_cla_days(self):
        column = "Date Started to be Looked After"
        return self._waits(
            self._started(), column, self.lists[7], "Child Protection Plan Start Date"
        )

    def care_leavers_in_touch_pct(self):
        return self.pct(self.lists[9], lambda r: code(r["LA in Touch"]) == "yes")

    def care_leavers_suitable_accommodation_pct(self):
        return self.pct(
            self.lists[9], lambda r: code(r["Suitability of Accommodation"]) == "suitable"
        )

    def care_leavers_eet_pct(self):
        return self.pct(
            self.lists[9],
            lambda r: code(r["Activity Status"]).upper() in {"F1", "P1", "F2", "P2", "F3", "P3"},
        )


def by_ethnicity_by_hand(by_hand: ByHand) -> dict[str, dict[str, tuple]]:
    """{population: {group: (children, rate, rri)}}: distinct children of each group among
    those in need, on a plan and looked after at the date, their rate per 10,000 of the
    group's population and that rate over the White British rate."""
    found = {}
    for key, rows in (
        ("cin", by_hand._cin_open_rows()),
        ("cp", by_hand.cp_open()),
        ("cla", by_hand._cla_open_rows()),
    ):
        children: dict[str, set] = {group: set() for group in ETHNIC_POPULATION}
        for r in rows:
            group = ETHNIC_GROUPS.get(code(r["Ethnicity"]))
            if group:
                children[group].add(r["Child Unique ID"])
        exact = {
            group: Decimal(len(ids)) * 10_000 / ETHNIC_POPULATION[group]
            for group, ids in children.items()
        }
        found[key] = {
            group: (
                len(ids),
                float(exact[group].quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)),
                float(
                    (exact[group] / exact["white_british"]).quantize(
                        Decimal("0.01"), rounding=ROUND_HALF_UP
                    )
                ),
            )
            for group, ids in children.items()
        }
    return found


def caseloads_by_hand(by_hand: ByHand) -> list[int]:
    """Children per worker: each child held once, by the first list in the importer's order
    (looked after, CP, CIN, care leaver's personal adviser or worker, open assessment) where
    their case is open and a worker is named. Sorted, as only the numbers can be compared."""
    held: dict[str, str] = {}

    def hold(rows, worker_of):
        for r in rows:
            worker = worker_of(r)
            if r["Child Unique ID"] not in held and worker:
                held[r["Child Unique ID"]] = worker

    def worker(r):
        return r["Allocated Worker"]

    hold(by_hand._cla_open_rows(), worker)
    hold(by_hand.cp_open(), worker)
    hold(by_hand._cin_open_rows(), worker)
    hold(
        by_hand.lists[9],
        lambda r: r.get("Allocated Personal Advisor") or r["Allocated Worker"],
    )
    hold(
        [
            r
            for r in by_hand.lists[4]
            if by_hand.open_at(
                day(r["Continuous Assessment Start Date"]),
                day(r["Continuous Assessment Date of Authorisation"]),
            )
        ],
        worker,
    )
    per_worker: dict[str, int] = {}
    for name in held.values():
        per_worker[name] = per_worker.get(name, 0) + 1
    return sorted(per_worker.values())


def median_of(days: list[int]) -> float | None:
    """The middle wait (the mean of the middle two for an even count), to one decimal."""
    if not days:
        return None
    ordered = sorted(days)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return float((ordered[middle - 1] + ordered[middle]) / 2)


def value_of(kind: str, numerator: int, denominator: int | None):
    """The figure from its parts, rounded half up to one decimal as published."""
    if kind == "count":
        return numerator
    if not denominator:
        return None
    times = 100 if kind == "percent" else 10_000
    exact = Decimal(numerator) * times / Decimal(denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
