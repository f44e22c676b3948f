"""An indicator's trend as a small line chart, drawn with matplotlib (Agg, no display) as the
reports' charts are, and shown as an ``<img>`` with its alt text above the trend table, which
stays beneath it with every figure.

The chart is drawn from the figures as the person is shown them (``published.history``): a
hidden figure (``c``) has no point, since a point's height would give it away, and neither
has a date with no figure.
"""

import base64
import datetime
import io

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot  # noqa: E402  (the backend must be chosen first)

from caseaudit.performance.indicators import DAYS, PERCENT, RATE, Indicator  # noqa: E402

FONT = "DejaVu Sans"
LINE = "#1d70b8"  # GOV.UK blue
INK = "#0b0c0c"
AXIS_LABELS = {PERCENT: "Percent", RATE: "Per 10,000 children", DAYS: "Median days"}


def plotted(history) -> list[tuple[datetime.date, float]]:
    """The dates and figures the chart can show: those with a figure that is not hidden."""
    return [
        (as_at, float(seen.value))
        for as_at, seen in history
        if isinstance(seen.value, int | float) and not isinstance(seen.value, bool)
    ]


def alt_text(indicator: Indicator, history) -> str:
    points = plotted(history)
    if not points:
        return ""
    first, last = history[0][0], history[-1][0]
    span = (
        f"from {first:%-d %B %Y} to {last:%-d %B %Y}" if first != last else f"at {first:%-d %B %Y}"
    )
    missing = len(history) - len(points)
    gaps = (
        f" {missing} date{'s' if missing != 1 else ''} with a hidden or no figure "
        f"{'have' if missing != 1 else 'has'} no point."
        if missing
        else ""
    )
    return (
        f"Line chart of {indicator.name.lower()} in each month's case data {span}.{gaps} "
        "The figures are in the table below."
    )


def _figure(indicator: Indicator, points):
    figure, axes = pyplot.subplots(figsize=(7.0, 3.0), dpi=100)
    dates = [as_at for as_at, _ in points]
    values = [value for _, value in points]
    axes.plot(dates, values, color=LINE, marker="o", linewidth=2, markersize=5)
    axes.set_ylabel(AXIS_LABELS.get(indicator.kind, "Count"), fontsize=9, color=INK)
    top = max(values, default=0)
    axes.set_ylim(0, 100 if indicator.kind == PERCENT else max(top * 1.15, 1))
    axes.set_xticks(dates)
    axes.set_xticklabels([f"{as_at:%b %Y}" for as_at in dates], rotation=45, ha="right", fontsize=8)
    axes.tick_params(axis="y", labelsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#b1b4b6", linewidth=0.5)
    figure.tight_layout()
    return figure


def image(indicator: Indicator, points, fmt: str = "svg") -> bytes:
    """The chart of ``points`` ((date, figure), from ``plotted``) as SVG or PNG bytes: the page
    and a report's HTML and PDF show the SVG, a Word document the PNG."""
    buffer = io.BytesIO()
    with pyplot.rc_context({"svg.hashsalt": "caseaudit", "font.family": FONT}):
        figure = _figure(indicator, points)
        try:
            figure.savefig(buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
        finally:
            pyplot.close(figure)
    return buffer.getvalue()


def trend_src(indicator: Indicator, history) -> str:
    """The chart as a ``data:`` URI for an ``<img>`` (the page's policy allows them), or ""
    when there is nothing to plot."""
    points = plotted(history)
    if not points:
        return ""
    return "data:image/svg+xml;base64," + base64.b64encode(image(indicator, points)).decode("ascii")
