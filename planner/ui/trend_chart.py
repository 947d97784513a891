"""A small line chart drawn with QPainter (QtCharts would add ~100 ms to opening a record).

Points are (date, value); None values leave a gap. Reference lines (e.g. 1.5 and 3 × ULN) are
drawn dashed with their label; bands (e.g. CTCAE grades) shade their value range. Sizes follow the font, so the chart stays readable at 125 %.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from planner.domain.dates import show_date

LINE = QColor("#1f5fa8")
REFERENCE = QColor("#b00020")
GRID = QColor("#d0d0d0")
BAND_FILL = (QColor("#fff4d6"), QColor("#fde3c4"), QColor("#f9c9c4"), QColor("#f3a9a9"))


def nice_ceiling(value: float) -> float:
    """The axis top: `value` rounded up to 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def nice_step(value: float) -> float:
    """A round step for an axis spanning `value` (a power of ten, or half of one)."""
    power = 10 ** math.floor(math.log10(abs(value))) if value else 1.0
    return power / 2 if value / power < 2 else power


def axis_range(
    values: Sequence[float],
    references: Sequence[float] = (),
    *,
    from_zero: bool = True,
    scale: tuple[float, float] | None = None,
) -> tuple[float, float]:
    """(low, high) of the value axis. Scores and multiples of ULN start at 0 (their size is the
    message). A measure like weight fits its data instead: a 4 kg loss on a 0–100 kg axis is a
    flat line (issue 16), so the axis spans the values with a margin of a tenth of their range
    (at least 2 % of their size). A score charts on its instrument's own range (`scale`, e.g.
    distress 0–10): fitted to the data, a change of 1 on a 0–2.5 axis looked dramatic."""
    if scale is not None:
        return min([scale[0], *values]), max([scale[1], *values])
    if from_zero:
        return min([0.0, *values]), nice_ceiling(max([*values, *references]) * 1.05)
    lowest, highest = min(values), max(values)
    margin = max((highest - lowest) * 0.1, abs(highest) * 0.02, 0.5)
    low = lowest - margin
    high = highest + margin
    step = nice_step(high - low) / 2 or 1.0
    return math.floor(low / step) * step, math.ceil(high / step) * step


class TrendChart(QWidget):
    def __init__(
        self,
        title: str,
        unit: str = "",
        references: Sequence[tuple[float, str]] = (),
        parent: QWidget | None = None,
        *,
        from_zero: bool = True,
        scale: tuple[float, float] | None = None,
        bands: Sequence[tuple[float, float, str]] = (),
        date_format: str | None = None,
    ) -> None:
        super().__init__(parent)
        #: the clinic's `date_format` for the dates shown (None: ISO, as before)
        self.date_format = date_format
        #: shaded value ranges (low, high, label), e.g. CTCAE grades from the rule tables
        self.bands = tuple(bands)
        self.from_zero = from_zero
        #: a score's instrument range, the axis whatever the values (None: fit the data)
        self.scale = scale
        self.title = title
        self.unit = unit
        self.references = tuple(references)
        self.points: list[tuple[dt.date, float | None]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName(title)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def _date(self, day: dt.date) -> str:
        return day.isoformat() if self.date_format is None else show_date(day, self.date_format)

    def sizeHint(self) -> QSize:
        line = self.fontMetrics().lineSpacing()
        return QSize(line * 22, line * 12)

    def minimumSizeHint(self) -> QSize:
        line = self.fontMetrics().lineSpacing()
        return QSize(line * 10, line * 7)

    def set_points(self, points: Sequence[tuple[dt.date, float | None]]) -> None:
        self.points = sorted(points, key=lambda p: p[0])
        known = [f"{self._date(d)}: {v:g}" for d, v in self.points if v is not None]
        self.setAccessibleDescription(
            f"{self.title}: " + ("; ".join(known) if known else "no values recorded")
        )
        self.setToolTip("\n".join(known))
        self.update()

    def values(self) -> list[float]:
        return [v for _, v in self.points if v is not None]

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = self.fontMetrics()
        line = metrics.lineSpacing()
        painter.drawText(QRectF(0, 0, self.width(), line), Qt.AlignmentFlag.AlignLeft, self.title)
        left = metrics.horizontalAdvance("00000") + 8
        plot = QRectF(left, line * 1.5, self.width() - left - 8, self.height() - line * 3.2)
        painter.setPen(QPen(GRID))
        painter.drawRect(plot)
        values = self.values()
        if not values:
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(plot, Qt.AlignmentFlag.AlignCenter, "no values recorded")
            return
        refs = [r for r, _ in self.references]
        low, high = axis_range(values, refs, from_zero=self.from_zero, scale=self.scale)
        dates = [d for d, v in self.points if v is not None]
        first, last = dates[0], dates[-1]
        span = max((last - first).days, 1)

        def x_of(day: dt.date) -> float:
            if first == last:
                return plot.center().x()
            return plot.left() + plot.width() * (day - first).days / span

        def y_of(value: float) -> float:
            return plot.bottom() - plot.height() * (value - low) / (high - low)

        for index, (band_low, band_high, label) in enumerate(self.bands):
            top, bottom = min(band_high, high), max(band_low, low)
            if top <= bottom:
                continue
            area = QRectF(plot.left(), y_of(top), plot.width(), y_of(bottom) - y_of(top))
            painter.fillRect(area, BAND_FILL[min(index, len(BAND_FILL) - 1)])
            if area.height() >= line:
                painter.setPen(self.palette().placeholderText().color())
                painter.drawText(
                    area.adjusted(0, 0, -4, 0),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    label,
                )
        painter.setPen(self.palette().text().color())
        for edge in (low, high):
            painter.drawText(
                QRectF(0, y_of(edge) - line / 2, left - 4, line),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                f"{edge:g}",
            )
        first_text, last_text = self._date(first), self._date(last)
        gap = metrics.horizontalAdvance(" ")
        if metrics.horizontalAdvance(first_text + last_text) + 2 * gap > plot.width():
            # Too narrow for two full dates side by side (125 %): month and year only.
            first_text, last_text = first.strftime("%m/%Y"), last.strftime("%m/%Y")
        painter.drawText(
            QRectF(plot.left(), plot.bottom() + 2, plot.width(), line),
            Qt.AlignmentFlag.AlignLeft,
            first_text,
        )
        if last != first:
            painter.drawText(
                QRectF(plot.left(), plot.bottom() + 2, plot.width(), line),
                Qt.AlignmentFlag.AlignRight,
                last_text,
            )
        for level, label in self.references:
            pen = QPen(REFERENCE)
            pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            y = y_of(level)
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.drawText(
                QRectF(plot.left() + 4, y - line, plot.width() - 8, line),
                Qt.AlignmentFlag.AlignHCenter,
                label,
            )
        pen = QPen(LINE)
        pen.setWidthF(max(2.0, line / 8))
        painter.setPen(pen)
        path = QPainterPath()
        started = False
        for day, value in self.points:
            if value is None:
                started = False
                continue
            point = QPointF(x_of(day), y_of(value))
            if started:
                path.lineTo(point)
            else:
                path.moveTo(point)
                started = True
        painter.drawPath(path)
        painter.setBrush(LINE)
        radius = max(3.0, line / 5)
        for day, value in self.points:
            if value is not None:
                painter.drawEllipse(QPointF(x_of(day), y_of(value)), radius, radius)
