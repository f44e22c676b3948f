"""The compliance trend: each month's compliance rate for audits and re-audits, as a small line
chart drawn with matplotlib (Agg, no display) the way the reports' and the indicators' charts
are, and shown as an ``<img>`` with its alt text above the table by month, which keeps every
figure beneath it.

A month with nothing due has no rate, so no point: a line at 0% would say the work was not done.
"""

import base64
import io

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot  # noqa: E402  (the backend must be chosen first)

from caseaudit.core.months import month_label, parse_month  # noqa: E402

FONT = "DejaVu Sans"
INK = "#0b0c0c"
# GOV.UK blue, solid with circles, and black, dashed with squares: apart without colour.
LINES = (
    ("audits", "Audits", "#1d70b8", "-", "o"),
    ("reaudits", "Re-audits", INK, "--", "s"),
)


def points(table) -> dict[str, list[tuple[str, int]]]:
    """Each kind's (month key, rate) for the months of ``table`` (the report's by month) that
    have a rate."""
    return {
        kind: [
            (row.key, getattr(row, kind).rate)
            for row in table.rows
            if getattr(row, kind).rate is not None
        ]
        for kind, *_ in LINES
    }


def alt_text(table) -> str:
    """What a screen reader says for the chart: what it shows and where the figures are."""
    if not table.rows:
        return ""
    first, last = (month_label(parse_month(row.key)) for row in (table.rows[0], table.rows[-1]))
    span = f"in {first}" if first == last else f"from {first} to {last}"
    return (
        f"Line chart of the compliance rate for audits and re-audits by month {span}. "
        "A month with nothing due has no point. The figures are in the table compliance by month."
    )


def image(table) -> bytes:
    """The chart as SVG bytes, the same for the same figures."""
    keys = [row.key for row in table.rows]
    buffer = io.BytesIO()
    with pyplot.rc_context({"svg.hashsalt": "caseaudit", "font.family": FONT}):
        figure, axes = pyplot.subplots(figsize=(7.0, 3.0), dpi=100)
        try:
            for kind, label, colour, style, marker in LINES:
                kind_points = points(table)[kind]
                axes.plot(
                    [keys.index(key) for key, _ in kind_points],
                    [rate for _, rate in kind_points],
                    color=colour,
                    linestyle=style,
                    marker=marker,
                    linewidth=2,
                    markersize=5,
                    label=label,
                )
            axes.set_ylim(0, 105)
            axes.set_ylabel("Compliance rate (%)", fontsize=9, color=INK)
            axes.set_xticks(range(len(keys)))
            axes.set_xticklabels(
                [f"{parse_month(key):%b %Y}" for key in keys], rotation=45, ha="right", fontsize=8
            )
            axes.tick_params(axis="y", labelsize=8)
            axes.spines[["top", "right"]].set_visible(False)
            axes.grid(axis="y", color="#b1b4b6", linewidth=0.5)
            axes.legend(fontsize=8, frameon=False, loc="lower left")
            figure.tight_layout()
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        finally:
            pyplot.close(figure)
    return buffer.getvalue()


def trend_src(table) -> str:
    """The chart as a ``data:`` URI for an ``<img>`` (the page's policy allows them), or ""
    when no month has a rate."""
    if not any(points(table).values()):
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(image(table)).decode("ascii")
