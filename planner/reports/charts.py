"""Trend charts drawn with reportlab.graphics: bilirubin × ULN, weight, ESAS total; and across a
treatment course, neutrophils, platelets, bilirubin and ALT with their CTCAE grade bands.

Input is the optional `trends` list of `{date, bilirubin_x_uln, weight_kg, esas_total}`. A chart
needs at least two dated points of its measure; with fewer it is left out (and the caller says
so), never drawn from one point or from guessed dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from planner.domain.frozen_value import frozen_value
from planner.domain.plan_document import ReferenceLine
from planner.reports import styles
from planner.reports.formatting import number, parse_date

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

# reportlab.graphics (and the chart modules) are imported only when a chart is drawn: a case
# without a series to chart does not pay for them.


@frozen_value
class TrendSpec:
    key: str
    title: str
    unit: str
    reference_lines: tuple[tuple[float, str], ...] = ()
    floor_zero: bool = False
    short: str = ""  # the title of a small chart
    # shaded value ranges (low, high, label): CTCAE grade bands of the rule tables, never numbers
    # written here (`cycle_charts` takes them from its caller)
    bands: tuple[tuple[float, float, str], ...] = ()

    @property
    def short_title(self) -> str:
        return self.short or self.title


TRENDS = (
    # Its reference lines come from the plan (hepatic.bilirubin_reference_lines: the ODWG edges
    # of the rule tables), never from numbers written here.
    TrendSpec("bilirubin_x_uln", "Bilirubin", "× ULN", (), True),
    TrendSpec("weight_kg", "Weight", "kg"),
    TrendSpec("esas_total", "ESAS-r total symptom distress", "0–90", (), True, "ESAS-r total"),
)
MIN_POINTS = 2
LINE = colors.HexColor("#1f4e79")


def points(trends: Iterable[Mapping[str, Any]] | None, key: str) -> list[tuple[dt.date, float]]:
    """Dated, numeric points of one measure, oldest first (one per date: the last one given)."""
    by_date: dict[dt.date, float] = {}
    for row in trends or ():
        when, value = parse_date(row.get("date")), row.get(key)
        if when is None or isinstance(value, bool) or not isinstance(value, int | float):
            continue
        by_date[when] = float(value)
    return sorted(by_date.items())


def spaced_steps(days: list[int], per_day: float, min_gap: float) -> list[int]:
    """The dates (ordinals) to label, at least `min_gap` points apart: the last is always
    kept (the newest result), an earlier one only where it fits before the one kept after it."""
    kept: list[int] = []
    for day in reversed(sorted(set(days))):
        if not kept or (kept[-1] - day) * per_day >= min_gap:
            kept.append(day)
    return sorted(kept)


def _nice_step(span: float) -> float:
    for step in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100):
        if span / step <= 6:
            return step
    return 200.0


def trend_chart(
    spec: TrendSpec, series: list[tuple[dt.date, float]], width: float, height: float = 120
) -> Drawing | None:
    """One line chart, or None when there are fewer than two points."""
    if len(series) < MIN_POINTS:
        return None
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.shapes import Drawing, Line, String
    from reportlab.graphics.widgets.markers import makeMarker

    styles.register_fonts()  # the chart's labels are measured in the printed font
    xs = [d.toordinal() for d, _ in series]
    ys = [v for _, v in series]
    refs = [y for y, _ in spec.reference_lines]
    low = 0.0 if spec.floor_zero else min(ys)
    high = max([*ys, *refs])
    if not spec.floor_zero:
        pad = max((high - low) * 0.15, 1.0)
        low, high = low - pad, high + pad
    else:
        high = high * 1.15 if high > 0 else 1.0
    step = _nice_step(high - low)
    low = step * int(low // step)
    high = step * (int(high // step) + 1)

    compact = width < 260  # a third of the page: fewer labels, shorter dates, room kept
    drawing = Drawing(width, height, initialFontName=styles.FONT)
    plot = LinePlot()
    plot.x, plot.y = (32, 20) if compact else (42, 26)
    right = (46 if spec.reference_lines or spec.bands else 10) if compact else 110
    plot.width, plot.height = width - plot.x - right, height - plot.y - (18 if compact else 20)
    plot.data = [list(zip(xs, ys, strict=True))]
    plot.lines[0].strokeColor = LINE
    plot.lines[0].strokeWidth = 1.4
    plot.lines[0].symbol = makeMarker("FilledCircle", size=4, fillColor=LINE, strokeColor=LINE)
    # At 9 pt (the clinician's smallest type) a third-of-a-page chart has no room for a value
    # over every point: the y axis and its grid carry the values there.
    plot.lineLabelFormat = None if compact else (lambda v: number(v, 1))
    plot.lineLabels.fontName = styles.FONT
    plot.lineLabels.fontSize = styles.CLINICIAN_MIN_PT
    plot.lineLabels.dy = 5
    x_axis, y_axis = plot.xValueAxis, plot.yValueAxis
    pad_days = max(1, (max(xs) - min(xs)) // 25)  # room for the end labels
    x_axis.valueMin, x_axis.valueMax = min(xs) - pad_days, max(xs) + pad_days
    wanted = [xs[0], xs[-1]] if compact else (xs if len(xs) <= 8 else xs[:: max(1, len(xs) // 6)])
    # Dates never overprint: two results a day apart on a narrow chart printed
    # "06 Dec07 26Dec 26" (nurse16 re-walk); a date too close to the one before is left out.
    label_width = stringWidth("00 Mmm 00", styles.FONT, styles.CLINICIAN_MIN_PT)
    per_day = plot.width / max(1, x_axis.valueMax - x_axis.valueMin)
    x_axis.valueSteps = spaced_steps(wanted, per_day, label_width + 4)
    x_axis.labelTextFormat = lambda v: dt.date.fromordinal(int(v)).strftime("%d %b %y")
    y_axis.valueMin, y_axis.valueMax, y_axis.valueStep = low, high, step
    y_axis.labelTextFormat = lambda v: number(v, 2)
    for axis in (x_axis, y_axis):
        axis.labels.fontName = styles.FONT
        axis.labels.fontSize = styles.CLINICIAN_MIN_PT
        axis.strokeColor = styles.MUTED
    x_axis.labels.angle = 0
    y_axis.visibleGrid = True
    y_axis.gridStrokeColor = colors.HexColor("#dde3e8")
    y_axis.gridStrokeWidth = 0.4

    def y_of(value: float) -> float:
        return plot.y + (value - low) / (high - low) * plot.height

    _shade_bands(drawing, spec.bands, low, high, plot.x, plot.width, y_of)
    drawing.add(plot)

    for value, label in spec.reference_lines:
        y = y_of(value)
        drawing.add(
            Line(
                plot.x,
                y,
                plot.x + plot.width,
                y,
                strokeColor=styles.CRITICAL,
                strokeWidth=0.8,
                strokeDashArray=[3, 2],
            )
        )
        drawing.add(
            String(
                plot.x + plot.width + 4,
                y - 2.5,
                label,
                fontName=styles.FONT,
                fontSize=styles.CLINICIAN_MIN_PT,
                fillColor=styles.CRITICAL,
            )
        )
    title = f"{spec.short_title if compact else spec.title} ({spec.unit})"
    drawing.add(
        String(
            plot.x,
            height - 11,
            title,
            fontName=styles.FONT_BOLD,
            fontSize=styles.CLINICIAN_MIN_PT,
            fillColor=styles.INK,
        )
    )
    return drawing


BAND_FILL = (
    colors.HexColor("#fff4d6"),
    colors.HexColor("#fde3c4"),
    colors.HexColor("#f9c9c4"),
    colors.HexColor("#f3a9a9"),
)


def _shade_bands(
    drawing: Drawing,
    bands: tuple[tuple[float, float, str], ...],
    low: float,
    high: float,
    x: float,
    width: float,
    y_of: Any,
) -> None:
    """Shade each band's part of the plot (clipped to the axis), its label at the right."""
    from reportlab.graphics.shapes import Rect, String

    for index, (lo, hi, label) in enumerate(bands):
        top, bottom = min(hi, high), max(lo, low)
        if top <= bottom:
            continue
        fill = BAND_FILL[min(index, len(BAND_FILL) - 1)]
        y0, y1 = y_of(bottom), y_of(top)
        drawing.add(Rect(x, y0, width, y1 - y0, fillColor=fill, strokeColor=None))
        if y1 - y0 >= styles.CLINICIAN_MIN_PT:
            drawing.add(
                String(
                    x + width + 3,
                    (y0 + y1) / 2 - 3,
                    label,
                    fontName=styles.FONT,
                    fontSize=styles.CLINICIAN_MIN_PT,
                    fillColor=styles.MUTED,
                )
            )


CYCLE_TRENDS = (
    TrendSpec("anc", "Neutrophils", "× 10⁹/L", (), True),
    TrendSpec("platelets", "Platelets", "× 10⁹/L", (), True),
    TrendSpec("bilirubin_x_uln", "Bilirubin", "× ULN", (), True),
    TrendSpec("alt_x_uln", "ALT", "× ULN", (), True),
)


def cycle_charts(
    trends: Iterable[Mapping[str, Any]] | None,
    width: float,
    height: float,
    bands: Mapping[str, Iterable[tuple[float, float, str]]],
) -> tuple[list[Drawing], list[str]]:
    """The course's blood counts and liver tests, one chart each, shaded by CTCAE grade
    (`bands`: measure -> (low, high, label), from the rule tables); the titles of those with
    fewer than two results."""
    rows = list(trends or ())
    drawn, skipped = [], []
    for spec in CYCLE_TRENDS:
        spec = replace(spec, bands=tuple(bands.get(spec.key) or ()))
        chart = trend_chart(spec, points(rows, spec.key), width, height)
        if chart is None:
            skipped.append(spec.title)
        else:
            drawn.append(chart)
    return drawn, skipped


def trend_charts(
    trends: Iterable[Mapping[str, Any]] | None,
    width: float,
    height: float = 120,
    bilirubin_lines: Iterable[ReferenceLine] = (),
) -> tuple[list[Drawing], list[str]]:
    """The charts that can be drawn, and the titles of those skipped (fewer than two points);
    `bilirubin_lines` are the plan's (`hepatic.bilirubin_reference_lines`)."""
    rows = list(trends or ())
    lines = tuple((float(line.x_uln), line.label) for line in bilirubin_lines)
    drawn, skipped = [], []
    for spec in TRENDS:
        if spec.key == "bilirubin_x_uln":
            spec = replace(spec, reference_lines=lines)
        chart = trend_chart(spec, points(rows, spec.key), width, height)
        if chart is None:
            skipped.append(spec.title)
        else:
            drawn.append(chart)
    return drawn, skipped
