"""Generate synthetic councils' Annex A returns: the files the importer reads.

Council 0 with the default seed is the demo council, Wealdshire County Council (code 990),
whose organisation is ``build_council(seed=1)``; its allocated teams and workers are that
organisation's, so the demo's children match its staff on import. Council ``i`` uses seed
``seed + i`` and LA code ``990 + i``: codes from 990 up are not real local authorities'
(those run from 201 to 941), so a synthetic return can never be mistaken for a real one.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from caseaudit.cases.annex_a import LISTS
from caseaudit.organisation.generator import CouncilSpec, build_council

from .care import Places
from .period import DEFAULT_AS_AT
from .population import Population
from .presentation import CodeForms, columns_for
from .writers import CsvReturnWriter, ReturnWriter, XlsxReturnWriter

__all__ = [
    "FIRST_CODE",
    "Format",
    "GeneratedCouncil",
    "Progress",
    "council_identity",
    "council_spec",
    "generate",
    "generate_council",
]

Format = Literal["xlsx", "csv"]
Progress = Callable[[int], None]  # called with the rows made so far, now and then
PROGRESS_EVERY = 10_000

FIRST_CODE = 990
# Invented place names; index 0 must give the demo council's name.
_STEMS = (
    "Weald Marsh Bramble Clay Dale Elm Fen Glen Hart Holm Lark Mere Pen Rook Sand Thorn Wick "
    "Wold Brook Stone Green Hale Lyn Moor Alder Beck Cole Down Ember Fern Gold Heron Ivy "
    "Juniper Kest Linden Ousel Quarry Rush Sedge"
).split()
_ENDINGS = (
    ("shire", "County Council"),
    ("ford", "Borough Council"),
    ("ham", "City Council"),
    ("bury", "Metropolitan Borough Council"),
    ("ton", "Borough Council"),
    ("field", "Council"),
    ("combe", "Council"),
    ("minster", "City Council"),
)
_POSTCODE_LETTERS = "WABCDEFGHJKLMNPRSTUVX"  # 'ZY' is kept for placements out of the area
_NEIGHBOURS = 6


def _place(index: int) -> tuple[str, str]:
    stems, endings = len(_STEMS), len(_ENDINGS)
    round_, within = divmod(index, stems * endings)
    # Each stem takes each ending once before any name repeats (a stride coprime to 8).
    stem = _STEMS[within % stems]
    ending, kind = _ENDINGS[(within // stems + within) % endings]
    place = f"{stem}{ending}" + (f" {round_ + 1}" if round_ else "")
    return place, kind


def council_identity(index: int) -> tuple[str, str]:
    """(name, LA code) of the ``index``-th synthetic council: 0 is the demo council."""
    place, kind = _place(index)
    return f"{place} {kind}", str(FIRST_CODE + index)


def _places(index: int) -> Places:
    return Places(
        home=_place(index)[0],
        postcode_area="Z" + _POSTCODE_LETTERS[index % len(_POSTCODE_LETTERS)],
        neighbours=tuple(_place(index + step)[0] for step in range(1, _NEIGHBOURS + 1)),
    )


def council_spec(*, seed: int, scale: float, council_index: int) -> CouncilSpec:
    """The organisation of the ``council_index``-th council: ``build_council(seed=1)`` for the
    demo council at scale 1."""
    name, code = council_identity(council_index)
    return build_council(seed=seed + council_index, scale=scale, name=name, code=code)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


@dataclass(frozen=True)
class GeneratedCouncil:
    """One council's return as written: where it is, whose it is, and how many rows it has."""

    path: Path
    council: CouncilSpec
    fmt: Format
    as_at: dt.date
    seed: int
    scale: float
    rows: dict[int, int]  # list number -> rows written

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


def _writer(
    out_dir: Path, council: CouncilSpec, fmt: Format, headers: dict[int, list[str]]
) -> ReturnWriter:
    name = slug(council.name)
    if fmt == "xlsx":
        title = f"{council.name} Annex A (synthetic)"
        return XlsxReturnWriter(out_dir / f"{name}_annex_a.xlsx", headers, title=title)
    if fmt == "csv":
        return CsvReturnWriter(out_dir / name, headers)
    raise ValueError(f"unknown format {fmt!r}: use 'xlsx' or 'csv'")


def generate_council(
    out_dir: Path | str,
    *,
    seed: int = 1,
    scale: float = 1.0,
    as_at: dt.date = DEFAULT_AS_AT,
    fmt: Format = "xlsx",
    council_index: int = 0,
    quirks: bool = False,
    progress: Progress | None = None,
) -> GeneratedCouncil:
    """Write one synthetic council's Annex A return under ``out_dir``.

    xlsx: ``<out_dir>/<council-slug>_annex_a.xlsx`` with sheets 'List 1' to 'List 11'.
    csv: ``<out_dir>/<council-slug>/List_1.csv`` ... ``List_11.csv`` (UTF-8, dd/mm/yyyy).
    The same arguments always give the same file.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    council_seed = seed + council_index
    council = council_spec(seed=seed, scale=scale, council_index=council_index)
    population = Population(
        council,
        seed=council_seed,
        scale=scale,
        as_at=as_at,
        places=_places(council_index),
    )
    forms = CodeForms(council_seed)
    columns = {spec.number: columns_for(spec, forms, quirks=quirks) for spec in LISTS}
    cells = {number: [column.cell for column in listed] for number, listed in columns.items()}
    headers = {number: [column.header for column in listed] for number, listed in columns.items()}
    writer = _writer(out_dir, council, fmt, headers)
    written = 0
    try:
        for journey in population.journeys():
            for number in journey.records:
                list_cells = cells[number]
                for row in journey.rows(number):
                    writer.add(number, [cell(row) for cell in list_cells])
                    written += 1
                    if progress is not None and written % PROGRESS_EVERY == 0:
                        progress(written)
    except BaseException:
        writer.abort()
        raise
    rows = writer.close()
    if progress is not None:
        progress(written)
    return GeneratedCouncil(writer.path, council, fmt, as_at, council_seed, scale, rows)


def generate(
    out_dir: Path | str,
    *,
    councils: int = 1,
    scale: float = 1.0,
    seed: int = 1,
    fmt: Format = "xlsx",
    as_at: dt.date = DEFAULT_AS_AT,
    quirks: bool = False,
    progress: Progress | None = None,
) -> list[GeneratedCouncil]:
    """Write ``councils`` synthetic councils' returns, each with its own name, code and seed."""
    return [
        generate_council(
            out_dir,
            seed=seed,
            scale=scale,
            as_at=as_at,
            fmt=fmt,
            council_index=index,
            quirks=quirks,
            progress=progress,
        )
        for index in range(councils)
    ]
