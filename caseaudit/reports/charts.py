"""The overall-judgements chart: 100% stacked bars by month, drawn with matplotlib (Agg, no
display) from the report's data, so the screen, the PDF and the Word file show one picture.

Each grade has its colour (``core.grades.COLOURS``, apart in lightness) and its own hatch, so
the four grades stay apart in greyscale print and to colour-blind readers; paused months are
shaded and labelled "Paused". The data table always goes beneath the chart.
"""

import base64
import io
from html import escape

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot  # noqa: E402  (the backend must be chosen first)

from caseaudit.audits.compliance import whole_percent  # noqa: E402
from caseaudit.core.grades import ORDER, Grade  # noqa: E402
from caseaudit.core.suppression import SUPPRESSED  # noqa: E402

HATCHES = {
    Grade.OUTSTANDING: "",
    Grade.GOOD: "..",
    Grade.REQUIRES_IMPROVEMENT: "//",
    Grade.INADEQUATE: "xx",
}
# The hatch is drawn in the edge colour: light lines on the dark navy, dark ones elsewhere.
EDGES = {
    Grade.OUTSTANDING: "#ffffff",
    Grade.GOOD: "#0b0c0c",
    Grade.REQUIRES_IMPROVEMENT: "#0b0c0c",
    Grade.INADEQUATE: "#0b0c0c",
}
PAUSED = "#f3f2f1"
FONT = "DejaVu Sans"


# In print, a long programme's chart shows its last 13 months (the month and the same month a
# year before) beside a panel of whole years: 97 months' bars are too thin to read on paper.
PRINT_MONTHS = 13


def alt_text(recent: int = 0) -> str:
    """What a screen reader says for the judgements chart, in every format: ``recent`` is the
    number of months beside the yearly panel of a long printed programme (0: by month)."""
    by = f"by year, and by month for the last {recent} months" if recent else "by month"
    return (
        f"100% stacked bar chart of overall judgements {by}: Outstanding, Good, Requires "
        "Improvement and Inadequate. The figures are in the table below."
    )


def by_year(months: list[dict]) -> list[dict]:
    """Each calendar year's judgements, summed from ``months`` as published: a sum of shown
    figures tells a reader nothing the table does not, and a year with any hidden figure is
    hidden whole, as its sum could give the hidden one away."""
    years: dict[str, list[dict]] = {}
    for month in months:
        years.setdefault(month["key"][:4], []).append(month)
    result = []
    for year, in_year in years.items():
        hidden = any(SUPPRESSED in (*m["counts"], m["total"]) for m in in_year)
        result.append(
            {
                "key": year,
                "label": year,
                "name": year,
                "paused": all(m["paused"] for m in in_year),
                "counts": [
                    SUPPRESSED if hidden else sum(m["counts"][index] for m in in_year)
                    for index in range(len(ORDER))
                ],
                "total": SUPPRESSED if hidden else sum(m["total"] for m in in_year),
            }
        )
    return result


def judgements_figure(months: list[dict], *, recent: int | None = None):
    """The figure for ``data["judgements"]["months"]`` (each: label, paused, counts); with
    ``recent``, a programme longer than that many months is drawn as whole years beside its
    last ``recent`` months."""
    pyplot.rcParams["hatch.linewidth"] = 0.6
    if recent is not None and len(months) > recent:
        return _recent_figure(months, recent)
    count = max(len(months), 1)
    figure, axes = pyplot.subplots(figsize=(min(max(6.0, 0.38 * count + 2), 11.0), 4.2), dpi=150)
    _draw(axes, months)
    axes.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.3 if months else -0.1),
        ncol=4,
        frameon=False,
        fontsize=8,
    )
    # Fixed margins, in inches, rather than tight_layout: that lays the figure out twice, and
    # the labels' room is known (rotated month names below, the legend under them).
    width, height = figure.get_size_inches()
    figure.subplots_adjust(
        left=0.75 / width, right=1 - 0.15 / width, top=1 - 0.15 / height, bottom=1.25 / height
    )
    return figure


def _recent_figure(months: list[dict], recent: int):
    years = by_year(months)
    figure, (by_years, by_months) = pyplot.subplots(
        1,
        2,
        figsize=(11.0, 4.4),
        dpi=150,
        gridspec_kw={"width_ratios": [max(len(years), 4), recent]},
    )
    _draw(by_years, years)
    by_years.set_title("By year", fontsize=9)
    _draw(by_months, months[-recent:])
    by_months.set_ylabel("")
    by_months.set_title(f"The last {recent} months", fontsize=9)
    figure.legend(
        *by_months.get_legend_handles_labels(),
        loc="lower center",
        ncol=4,
        frameon=False,
        fontsize=8,
    )
    width, height = figure.get_size_inches()
    figure.subplots_adjust(
        left=0.75 / width,
        right=1 - 0.15 / width,
        top=1 - 0.35 / height,
        bottom=1.3 / height,
        wspace=0.12,
    )
    return figure


def _draw(axes, months: list[dict]) -> None:
    positions = list(range(len(months)))
    bottoms = [0.0] * len(months)
    # A month with a hidden count has no bar: its shares would give the count away.
    hidden = [SUPPRESSED in (*month["counts"], month["total"]) for month in months]
    for index, grade in enumerate(ORDER):
        shares = [
            100 * month["counts"][index] / month["total"] if month["total"] and not small else 0
            for month, small in zip(months, hidden, strict=True)
        ]
        axes.bar(
            positions,
            shares,
            bottom=bottoms,
            width=0.75,
            color=grade.colour,
            hatch=HATCHES[grade],
            edgecolor=EDGES[grade],
            linewidth=0.4,
            label=grade.label,
        )
        if len(months) <= 12:
            for x, month, share, bottom in zip(positions, months, shares, bottoms, strict=True):
                if share >= 10:
                    # The table's rounding (whole percent, half up), on a white label so the
                    # hatching never runs through the figure.
                    percent = whole_percent(month["counts"][index], month["total"])
                    axes.text(
                        x,
                        bottom + share / 2,
                        f"{percent}%",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="#0b0c0c",
                        bbox={"boxstyle": "round,pad=0.2", "fc": "#ffffff", "ec": "none"},
                    )
        bottoms = [b + s for b, s in zip(bottoms, shares, strict=True)]
    for x, month, small in zip(positions, months, hidden, strict=True):
        if not month["paused"] and (small or not month["total"]):
            axes.text(
                x,
                2,
                "Small numbers" if small else "Light touch" if month.get("rag") else "None judged",
                rotation=90,
                ha="center",
                va="bottom",
                fontsize=7,
                color="#505a5f",
            )
        if month["paused"]:
            axes.axvspan(
                x - 0.45, x + 0.45, facecolor=PAUSED, edgecolor="#b1b4b6", hatch="\\\\", zorder=0
            )
            axes.text(
                x,
                50,
                "Paused",
                rotation=90,
                ha="center",
                va="center",
                fontsize=8,
                color="#0b0c0c",
                bbox={"boxstyle": "round,pad=0.2", "fc": "#ffffff", "ec": "none"},
            )
    axes.set_ylim(0, 100)
    axes.set_xlim(-0.6, max(len(months) - 0.4, 0.4))
    axes.set_ylabel("Share of audits judged (%)")
    axes.set_xticks(positions)
    axes.set_xticklabels([m["label"] for m in months], rotation=60, ha="right", fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)


def _render(
    months: list[dict], fmt: str, dpi: int | None = None, recent: int | None = None
) -> bytes:
    with pyplot.rc_context({"svg.hashsalt": "caseaudit", "font.family": FONT}):
        return _save(judgements_figure(months, recent=recent), fmt, dpi)


def _save(figure, fmt: str, dpi=None) -> bytes:
    buffer = io.BytesIO()
    try:
        metadata = {"Date": None} if fmt == "svg" else None
        figure.savefig(buffer, format=fmt, metadata=metadata, dpi=dpi or "figure")
    finally:
        pyplot.close(figure)
    return buffer.getvalue()


def judgements_svg(months: list[dict]) -> str:
    return _render(months, "svg").decode("utf-8")


def judgements_png(months: list[dict], dpi: int | None = None, recent: int | None = None) -> bytes:
    return _render(months, "png", dpi, recent)


def data_uri(svg: str) -> str:
    """An SVG as an ``<img src>``: WeasyPrint and browsers both read it."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def png_data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


# Practice themes: a small bar chart per cohort -------------------------------------------------
#
# Drawn by hand, not with matplotlib: four bars are a few rectangles, and a report has a chart
# for every cohort (matplotlib took a fifth of a second each). SVG for the page and the PDF;
# PNG (Pillow, which matplotlib already brings) for Word.

THEME_LABEL_WIDTH = 190
THEME_BAR_WIDTH = 260
THEME_ROW = 26
THEME_WIDTH = THEME_LABEL_WIDTH + THEME_BAR_WIDTH + 50
TEXT_COLOUR = "#0b0c0c"


def theme_alt_text(theme: dict) -> str:
    counts = ", ".join(f"{g['label']} {g['count']}" for g in theme["grades"])
    return f"Bar chart of the overall judgements for {theme['title']}: {counts}."


def _theme_bars(theme: dict) -> list[tuple[int, str, str, int]]:
    """(row, label, count as shown, bar length) per grade; a hidden count has no bar and says
    ``c`` (a bar's length would give it away)."""
    counts = [g["count"] if isinstance(g["count"], int) else 0 for g in theme["grades"]]
    widest = max(counts, default=0) or 1
    return [
        (row, grade["label"], str(grade["count"]), round(THEME_BAR_WIDTH * count / widest))
        for row, (grade, count) in enumerate(zip(theme["grades"], counts, strict=True))
    ]


def _theme_height(theme: dict) -> int:
    return THEME_ROW * len(theme["grades"]) + 8


def theme_svg(theme: dict) -> str:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{THEME_WIDTH}" '
        f'height="{_theme_height(theme)}" viewBox="0 0 {THEME_WIDTH} {_theme_height(theme)}" '
        f'font-family="{FONT}, Arial, sans-serif" font-size="13">'
    ]
    for (row, label, shown, length), grade in zip(_theme_bars(theme), ORDER, strict=True):
        top = 4 + row * THEME_ROW
        middle = top + THEME_ROW / 2 + 4
        parts.append(f'<text x="0" y="{middle}" fill="{TEXT_COLOUR}">{escape(label)}</text>')
        if length:
            parts.append(
                f'<rect x="{THEME_LABEL_WIDTH}" y="{top + 3}" width="{length}" '
                f'height="{THEME_ROW - 6}" fill="{grade.colour}" stroke="{TEXT_COLOUR}" '
                'stroke-width="0.5"/>'
            )
        parts.append(
            f'<text x="{THEME_LABEL_WIDTH + length + 6}" y="{middle}" fill="{TEXT_COLOUR}">'
            f"{escape(shown)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def theme_png(theme: dict, scale: int = 2) -> bytes:
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(_font_file(), 13 * scale)
    image = Image.new("RGB", (THEME_WIDTH * scale, _theme_height(theme) * scale), "white")
    draw = ImageDraw.Draw(image)
    for (row, label, shown, length), grade in zip(_theme_bars(theme), ORDER, strict=True):
        top = (4 + row * THEME_ROW) * scale
        middle = top + THEME_ROW * scale // 2
        draw.text((0, middle), label, fill=TEXT_COLOUR, font=font, anchor="lm")
        if length:
            left = THEME_LABEL_WIDTH * scale
            draw.rectangle(
                (left, top + 3 * scale, left + length * scale, top + (THEME_ROW - 3) * scale),
                fill=grade.colour,
                outline=TEXT_COLOUR,
            )
        draw.text(
            ((THEME_LABEL_WIDTH + length + 6) * scale, middle),
            shown,
            fill=TEXT_COLOUR,
            font=font,
            anchor="lm",
        )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _font_file() -> str:
    from matplotlib import font_manager

    return font_manager.findfont(FONT)
