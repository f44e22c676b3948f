"""The shape of a highlight report's data: what ``build.build_highlight`` returns, every format
renders, and a published report freezes as JSON (``HighlightReport.data``).

Plain JSON types only (str, int, lists, dicts), so a frozen report reads back exactly as it
was built. A cell is a count, a label or ``core.suppression.SUPPRESSED`` ("c"). Keys that
are not Python names ("from", "to") make these the functional form of ``TypedDict``.
"""

from typing import NotRequired, TypedDict

Cell = int | str | None


class Table(TypedDict):
    """A table as every format shows it: a title, the Excel sheet's name, column headings and
    rows whose first cell names the row; ``total`` is a last row set apart."""

    title: str
    sheet: str
    columns: list[str]
    rows: list[list[Cell]]
    total: NotRequired[list[Cell]]
    # Small numbers in it are shown as "c".
    suppressed: NotRequired[bool]
    # No data at all: the formats say so instead of drawing an empty table.
    empty: NotRequired[bool]
    empty_text: NotRequired[str]


class Figures(TypedDict):
    """``compliance.Figures.as_json``: one line of the compliance report."""

    allocated: int
    completed: int
    rate: int | None
    in_progress: int
    overdue: int
    exempted: int
    # Open and due after the day the report was built (counted apart from the rate); reports
    # frozen before it was counted do not have it.
    not_yet_due: NotRequired[int]


class Compliance(TypedDict):
    headline: list[str]
    # The figures as counted: the internal edition only.
    audits: NotRequired[Figures]
    reaudits: NotRequired[Figures]


class MonthJudgements(TypedDict):
    """One month of the judgements chart and table; ``counts`` in grade order, suppressed as
    the table shows them."""

    key: str
    label: str
    name: str
    paused: bool
    counts: list[Cell]
    total: Cell
    # A light-touch month: red, amber and green counts (suppressed) and their total.
    rag: NotRequired[list[Cell]]
    rag_total: NotRequired[Cell]


class Grade(TypedDict):
    value: str
    label: str
    colour: str


class Judgements(TypedDict):
    months: list[MonthJudgements]
    # As the breakdowns by area, service and cohort show the council's figures.
    period_counts: list[Cell]
    period_total: Cell
    period_percent: list[str]
    # "Of the 23 audits judged in …: 4% Outstanding, 26% Good, …"
    period_sentence: NotRequired[str]
    inadequate: str
    grades: list[Grade]


class ThemeGrade(TypedDict):
    label: str
    value: str
    count: Cell


class Descriptors(TypedDict):
    grade: str
    value: str
    texts: list[str]


class Theme(TypedDict):
    """One practice-theme cohort: its grades (suppressed) and the descriptors chosen for it."""

    key: str
    title: str
    grades: list[ThemeGrade]
    total: Cell
    descriptors: list[Descriptors]


class Domain(TypedDict):
    """One domain's grades, suppressed; a share is ``c`` where it would give a count away."""

    title: str
    counts: list[Cell]
    total: Cell
    good_or_better: int | str | None
    # The share good or better in each trend month; None where nothing was graded.
    trend: list[int | str | None]
    direction: str


class Domains(TypedDict):
    weakest: list[Domain]
    strongest: list[Domain]
    all: list[Domain]


Quote = TypedDict("Quote", {"text": str, "from": str})


class Feedback(TypedDict):
    received: Cell
    strengths: list[Quote]
    improvements: list[Quote]


class ReflectionQuotes(TypedDict):
    key: str
    label: str
    quotes: list[str]


class Moderation(TypedDict):
    moderated: Cell
    agreed: Cell
    rate: str
    kappa: float | str
    sentence: str


class Author(TypedDict):
    name: str
    email: str


class NarrativeMonth(TypedDict):
    """A month of a longer report with something written in a section: its name and text."""

    name: str
    text: str


class Definition(TypedDict):
    term: str
    meaning: str


class Reflection(TypedDict):
    sheets: Cell
    questions: list[ReflectionQuotes]


HighlightData = TypedDict(
    "HighlightData",
    {
        "kind": str,
        # ``choices.Edition``: "public" (suppressed) or "internal" (every figure as counted).
        "edition": NotRequired[str],
        "title": str,
        "council": str,
        "from": str,
        "to": str,
        "period": str,
        "month": str,
        "built_at": str,
        "today": str,
        # Reports published before these were added lack them: formats read them with .get.
        "as_at": NotRequired[str],
        "author": NotRequired[Author],
        # By section (recommendations, standards).
        "narrative_months": NotRequired[dict[str, list[NarrativeMonth]]],
        "moderation": NotRequired[Moderation],
        "definitions": NotRequired[list[Definition]],
        # The QA lead's text, by ``reports.choices.Section`` value.
        "narrative": dict[str, str],
        "compliance": dict[str, Compliance],
        "judgements": Judgements,
        "themes": list[Theme],
        "domains": Domains,
        "feedback": Feedback,
        "reflection": Reflection,
        # By name; ``build.TABLE_ORDER`` gives the order.
        "tables": dict[str, Table],
    },
)
