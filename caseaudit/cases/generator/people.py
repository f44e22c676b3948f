"""Who the synthetic children are: age, gender, ethnicity, disability, and risk of exploitation.

The mixes follow the national children's social care statistics (Children in need, Children
looked after in England) closely enough for a demo and for benchmarks; they are not a model of
any real council's children. A child is a plain dict of the Annex A columns every list shares,
so a list row is just ``child | episode``.
"""

from __future__ import annotations

import datetime as dt

from .dice import Dice, Table
from .period import age_in_years

__all__ = [
    "AGE_ADOPTED",
    "AGE_ALL",
    "AGE_CARE_LEAVER",
    "AGE_CHILD_PROTECTION",
    "AGE_LOOKED_AFTER",
    "AGE_UASC",
    "CSE_RISK_COLUMN",
    "Child",
    "cse_risk",
    "date_of_birth_for",
    "new_child",
]

Child = dict[str, object]
AgeProfile = Table[tuple[float, float]]

# Age at the return's date, in years: (low, high) bands with their weights.
AGE_ALL: AgeProfile = Table(
    [((0.0, 1.0), 7), ((1.0, 5.0), 19), ((5.0, 10.0), 25), ((10.0, 16.0), 35), ((16.0, 18.0), 14)]
)
AGE_CHILD_PROTECTION: AgeProfile = Table(
    [((0.0, 1.0), 10), ((1.0, 5.0), 27), ((5.0, 10.0), 31), ((10.0, 16.0), 28), ((16.0, 18.0), 4)]
)
AGE_LOOKED_AFTER: AgeProfile = Table(
    [((0.0, 1.0), 5), ((1.0, 5.0), 13), ((5.0, 10.0), 17), ((10.0, 16.0), 39), ((16.0, 18.0), 26)]
)
AGE_UASC: AgeProfile = Table([((14.0, 16.0), 25), ((16.0, 18.0), 75)])
AGE_CARE_LEAVER: AgeProfile = Table(
    [((17.0, 18.0), 8), ((18.0, 19.0), 24), ((19.0, 21.0), 46), ((21.0, 25.0), 22)]
)
AGE_ADOPTED: AgeProfile = Table([((0.5, 2.0), 35), ((2.0, 4.0), 40), ((4.0, 8.0), 25)])

GENDER = Table([("M", 51.0), ("F", 48.2), ("U", 0.7), ("N", 0.1)])
UASC_GENDER = Table([("M", 93.0), ("F", 7.0)])
ETHNICITY = Table(
    [
        ("WBRI", 68.0),
        ("WIRI", 0.5),
        ("WIRT", 0.3),
        ("WOTH", 5.0),
        ("WROM", 0.8),
        ("MWBC", 2.6),
        ("MWBA", 1.2),
        ("MWAS", 1.6),
        ("MOTH", 3.2),
        ("AIND", 1.1),
        ("APKN", 2.1),
        ("ABAN", 1.0),
        ("AOTH", 1.6),
        ("BCRB", 1.1),
        ("BAFR", 3.0),
        ("BOTH", 1.2),
        ("CHNE", 0.3),
        ("OOTH", 2.4),
        ("REFU", 0.5),
        ("NOBT", 1.5),
    ]
)
# Unaccompanied children arrive mostly from Afghanistan, Sudan, Eritrea, Iran, Albania, Vietnam.
UASC_ETHNICITY = Table(
    [("AOTH", 30.0), ("BAFR", 30.0), ("OOTH", 25.0), ("WOTH", 10.0), ("BOTH", 5.0)]
)
DISABILITY = Table([("N", 90.5), ("Y", 8.0), ("U", 1.5)])

# The extra column that records child sexual exploitation risk (not part of Annex A).
CSE_RISK_COLUMN = "CSE Risk Category"
CSE_RISK = Table([("Emerging", 45.0), ("Experiencing", 35.0), ("Significant", 20.0)])


def date_of_birth_for(
    dice: Dice, as_at: dt.date, profile: AgeProfile, min_days: int = 0
) -> dt.date:
    """A date of birth giving an age from ``profile``, at least ``min_days`` old at as-at."""
    for _attempt in range(6):
        low, high = dice.pick(profile)
        days = int((low + (high - low) * dice.random()) * 365.25)
        if days >= min_days:
            return as_at - dt.timedelta(days=days)
    # Only a child old enough for their own history will do; keep them as young as possible.
    return as_at - dt.timedelta(days=min_days + dice.whole(0, 120))


def new_child(
    dice: Dice,
    child_id: int,
    as_at: dt.date,
    profile: AgeProfile,
    *,
    born_before: dt.date | None = None,
    date_of_birth: dt.date | None = None,
    disability: str | None = None,
    uasc: bool = False,
) -> Child:
    """A child's shared columns. ``born_before`` is their earliest event: they must precede it."""
    if date_of_birth is None:
        # A contact can come a few days before the referral it led to: born before both.
        min_days = 0 if born_before is None else (as_at - born_before).days + dice.whole(4, 60)
        date_of_birth = date_of_birth_for(dice, as_at, profile, min_days)
    gender = dice.pick(UASC_GENDER if uasc else GENDER)
    ethnicity = dice.pick(UASC_ETHNICITY if uasc else ETHNICITY)
    return {
        "child_id": str(child_id),
        "gender": gender,
        "ethnicity": ethnicity,
        "date_of_birth": date_of_birth,
        "age": age_in_years(date_of_birth, as_at),
        "disability": disability or dice.pick(DISABILITY),
        "uasc": "Y" if uasc else "N",
    }


def cse_risk(dice: Dice, child: Child, *, missing: bool) -> str | None:
    """Risk of sexual exploitation for some children of 10 and over, more if they go missing."""
    if float(child["age"]) < 10:  # type: ignore[arg-type]
        return None
    if dice.chance(0.3 if missing else 0.025):
        return dice.pick(CSE_RISK)
    return None
