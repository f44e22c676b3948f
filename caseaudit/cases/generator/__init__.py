"""Synthetic councils' Annex A returns, deterministic from a seed, at any scale.

    from caseaudit.cases.generator import generate_council
    result = generate_council("/tmp/out", seed=1, scale=1.0, fmt="xlsx")
    result.path, result.rows, result.total_rows

The returns are written as real councils write them (one workbook with a sheet per list, or a
folder of CSV files) and go through the real importer. Children are consistent across lists,
dates are in order, and the shape follows the seeds: about 1,000 children looked after, 800 on
CP plans, re-referrals around 22%, 7.5% of children looked after with three or more
placements in a year, caseloads averaging about 16. Memory stays flat at any scale: rows are
written as they are made. No real person is in them: children have only invented IDs.
"""

from .council import (
    FIRST_CODE,
    Format,
    GeneratedCouncil,
    Progress,
    council_identity,
    generate,
    generate_council,
)
from .people import CSE_RISK_COLUMN
from .period import DEFAULT_AS_AT
from .population import Population

# Rows in one council's return at scale 1 (seed 1): for choosing a scale by size of file.
ROWS_AT_SCALE_1 = 45_592

__all__ = [
    "CSE_RISK_COLUMN",
    "DEFAULT_AS_AT",
    "FIRST_CODE",
    "Format",
    "GeneratedCouncil",
    "Population",
    "Progress",
    "ROWS_AT_SCALE_1",
    "council_identity",
    "generate",
    "generate_council",
]
