"""Small table and paragraph helpers shared by the clinician section, booklet and slips."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeAlias

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from planner.reports import styles
from planner.reports.formatting import text
from planner.reports.styles import Styles
from planner.reports.templates import laid_out_only

Cell: TypeAlias = str | Flowable


class Plain(str):
    """Unmarked text for a table cell, one item a line: drawn by the table itself when every line
    fits its column (no markup to parse, no line breaking), else wrapped like any other cell."""


class PlanParagraph(Paragraph):
    """A Paragraph that remembers its last line breaking: reportlab wraps the same paragraph
    again at the same width (a table measures its cells, then draws them; KeepTogether measures,
    then the frame adds), and line breaking is most of the cost of a page. A paragraph's lines
    depend only on its text, style and the width, so the same width gives the same lines.

    Only the Flowable interface is used (wrap, split: reportlab's user guide, "Writing your own
    Flowable Objects"): the paragraph's line-breaking result itself is not read."""

    _wrapped_at: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth == self._wrapped_at:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        # a width too narrow for any line gives a size that cannot fit, and breaks nothing
        self._wrapped_at = availWidth if size == (self.width, self.height) else None
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts: list[Flowable] = super().split(availWidth, availHeight)
        if not parts:  # it does not fit here: reportlab drops its lines, so break them again
            self._wrapped_at = None
        return parts

    def draw(self) -> None:
        if laid_out_only(self.canv):  # a layout pass: the lines are broken, never drawn
            return
        super().draw()


class PlanTable(Table):
    """A Table that draws nothing on a canvas that only lays out (templates.LayoutCanvas): its
    size and splits are the table's own, its rules, shading and cells are not needed there."""

    def draw(self) -> None:
        if laid_out_only(self.canv):
            return
        super().draw()


class MarkedTable(PlanTable):
    """A PlanTable whose cells hold `PageMark`s: drawn on the canvas that only lays out too, so
    each mark notes its page (its paragraphs still draw nothing there). Its parts split across
    pages are MarkedTables too (reportlab makes them with the table's own class)."""

    def draw(self) -> None:
        Table.draw(self)


class LateParagraph(Flowable):
    """A paragraph whose words are known only once the rest of the story is built — the decision
    page's line on the evidence appendix's length, measured by laying the appendix out after
    the decision is made (render.py): the paragraph is made when first laid out."""

    def __init__(self, words: Callable[[], str], style: Any) -> None:
        super().__init__()
        self._words = words
        self._style = style
        self._made: Paragraph | None = None

    def _paragraph(self) -> Paragraph:
        if self._made is None:
            self._made = para(self._words(), self._style)
        return self._made

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width, self.height = self._paragraph().wrapOn(self.canv, availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return self._paragraph().splitOn(self.canv, availWidth, availHeight)

    def getSpaceBefore(self) -> float:
        return self._paragraph().getSpaceBefore()

    def getSpaceAfter(self) -> float:
        return self._paragraph().getSpaceAfter()

    def draw(self) -> None:
        self._paragraph().drawOn(self.canv, 0, 0)


class PageMark(Flowable):
    """Takes no room; notes in `marks` the page it is drawn on, under `key` (the first page,
    where the same key is drawn twice). The decision page points to the evidence appendix's page
    of a row (print24): the appendix is laid out alone first (render.py), so its marks are known
    before page 1 is laid out. Drawn on any canvas, the layout-only one too."""

    def __init__(self, key: str, marks: dict[str, int]) -> None:
        super().__init__()
        self.key = key
        self.marks = marks

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.marks.setdefault(self.key, int(self.canv.getPageNumber()))


def balanced(items: Sequence[Flowable], width: float) -> tuple[list[Flowable], list[Flowable]]:
    """`items` cut in two, in order, so that the taller of the two columns (each `width` wide)
    is as short as it can be."""
    heights = [item.wrap(width, 10_000)[1] for item in items]
    best = min(
        range(len(items) + 1),
        key=lambda cut: (max(sum(heights[:cut]), sum(heights[cut:])), -cut),
    )
    return list(items[:best]), list(items[best:])


def columns(left: Sequence[Flowable], right: Sequence[Flowable], width: float) -> Table:
    """Two columns of flowables side by side, unruled (a short list in half the lines)."""
    table = PlanTable([[list(left), list(right)]], colWidths=[width / 2, width / 2], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                # the table sets its font even for cells of flowables: the printed font only
                ("FONTNAME", (0, 0), (-1, -1), styles.FONT),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


class IfRoom(Flowable):
    """Flowables drawn only if they all fit in the room left on the page, else nothing at all
    (for what is welcome but never worth a page of its own, such as lines for notes)."""

    def __init__(self, content: list[Flowable]) -> None:
        super().__init__()
        self.content = content
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._sizes = [f.wrapOn(self.canv, availWidth, availHeight) for f in self.content]
        needed = sum(h for _, h in self._sizes) + sum(
            f.getSpaceBefore() + f.getSpaceAfter() for f in self.content
        )
        if needed > availHeight:
            self._sizes = []
            return availWidth, 0
        self.width, self.height = availWidth, needed
        return availWidth, needed

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        return []  # never split: all of it, or none of it

    def draw(self) -> None:
        if not self._sizes:
            return
        y = self.height
        for f, (_, h) in zip(self.content, self._sizes, strict=True):
            y -= f.getSpaceBefore() + h
            f.drawOn(self.canv, 0, y)
            y -= f.getSpaceAfter()


def para(markup: str, style: Any, bulletText: str | None = None) -> Paragraph:
    """A paragraph from markup that is already escaped (use `words.text` on values)."""
    return PlanParagraph(markup, style, bulletText=bulletText)


def grid(
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    st: Styles,
    *,
    header: bool = True,
    extra: Iterable[tuple] = (),
    row_heights: Sequence[float | None] | None = None,
    split_in_row: int = 0,
    marked: bool = False,
) -> Table:
    """A ruled table; strings become wrapped paragraphs, the first row is the header; `marked`:
    its cells hold `PageMark`s (`MarkedTable`).

    Empty cells, and header labels that are plain words and fit their column, stay plain strings
    drawn by the table itself: a Paragraph costs a markup parse and a line-break pass."""
    cells = [
        [
            c
            if isinstance(c, Flowable | list) or c == ""  # a list: a cell's own flowables
            else (
                c
                if (header and i == 0 and _fits(c, st.cell_bold, widths[j]))
                or (isinstance(c, Plain) and _lines_fit(c, st.cell, widths[j]))
                else para(
                    text(c).replace("\n", "<br/>") if isinstance(c, Plain) else c,
                    st.cell_bold if header and i == 0 else st.cell,
                )
            )
            for j, c in enumerate(row)
        ]
        for i, row in enumerate(rows)
    ]
    table = (MarkedTable if marked else PlanTable)(
        cells,
        colWidths=list(widths),
        rowHeights=row_heights,
        repeatRows=1 if header else 0,
        hAlign="LEFT",
        splitInRow=split_in_row,
    )
    commands: list[tuple] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONTNAME", (0, 0), (-1, -1), styles.FONT),
        ("FONTSIZE", (0, 0), (-1, -1), st.cell.fontSize),
        ("LEADING", (0, 0), (-1, -1), st.cell.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), st.cell.textColor),
        ("GRID", (0, 0), (-1, -1), 0.4, styles.RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), styles.SHADE),
            ("FONTNAME", (0, 0), (-1, 0), st.cell_bold.fontName),
        ]
    commands.extend(extra)
    table.setStyle(TableStyle(commands))
    return table


PADDING_X = 8  # left + right padding of a cell, with a little room to spare
BOLD_ONLY = re.compile(r"<b>([^<>&]*)</b>")


def _fits(label: str, style: Any, width: float) -> bool:
    """A plain label (no markup, no escaping needed) that fits on one line of its column."""
    if any(ch in label for ch in "<>&\n"):
        return False
    return stringWidth(label, style.fontName, style.fontSize) <= width - PADDING_X


def _lines_fit(plain: str, style: Any, width: float) -> bool:
    return all(
        stringWidth(line, style.fontName, style.fontSize) <= width - PADDING_X
        for line in plain.split("\n")
    )


def key_values(
    pairs: Sequence[tuple[str, str]],
    width: float,
    st: Styles,
    columns: int = 2,
    label_share: float | None = None,
    tight: bool = False,
) -> Table:
    """Label/value pairs laid out in `columns` pairs per row (values already escaped);
    `tight`: less padding (a referral slip's half sheet)."""
    rows: list[list[Cell]] = []
    label_w = width * (label_share or (0.13 if columns > 1 else 0.3))
    value_w = (width - columns * label_w) / columns
    plain_values: list[tuple[int, int]] = []  # cells drawn as plain strings in the regular font
    for start in range(0, len(pairs), columns):
        row: list[Cell] = []
        for label, value in pairs[start : start + columns]:
            shown = (
                label if _fits(label, st.cell_bold, label_w) else para(text(label), st.cell_bold)
            )
            bold = BOLD_ONLY.fullmatch(value)
            if bold and _fits(bold.group(1), st.cell_bold, value_w):
                row += [shown, bold.group(1)]  # drawn in the table's (bold) font
            elif _fits(value, st.cell, value_w):
                plain_values.append((len(row) + 1, len(rows)))
                row += [shown, value]
            else:
                row += [shown, para(value, st.cell)]
        while len(row) < 2 * columns:
            row.append("")
        rows.append(row)
    widths = [label_w, value_w] * columns
    table = PlanTable(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), st.cell_bold.fontName),  # the plain labels
                ("FONTSIZE", (0, 0), (-1, -1), st.cell_bold.fontSize),
                ("LEADING", (0, 0), (-1, -1), st.cell_bold.leading),
                ("TEXTCOLOR", (0, 0), (-1, -1), st.cell_bold.textColor),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, styles.RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                *(("FONTNAME", cell, cell, st.cell.fontName) for cell in plain_values),
                ("TOPPADDING", (0, 0), (-1, -1), 0.5 if tight else 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 if tight else 2.5),
            ]
        )
    )
    return table


def boxed(
    flowables: list[Flowable], width: float, *, border: Any, background: Any, padding: float = 6
) -> Table:
    """A shaded, outlined box around some flowables (alerts, the call-us panel)."""
    table = PlanTable([[flowables]], colWidths=[width], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, border),
                ("FONTNAME", (0, 0), (-1, -1), styles.FONT),
                ("BACKGROUND", (0, 0), (-1, -1), background),
                ("LEFTPADDING", (0, 0), (-1, -1), padding),
                ("RIGHTPADDING", (0, 0), (-1, -1), padding),
                ("TOPPADDING", (0, 0), (-1, -1), padding),
                ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
            ]
        )
    )
    return table


def write_in_lines(count: int, width: float, height: float, label: str = "") -> Table:
    """Empty ruled lines to write on (notes, signature)."""
    rows = [[label if i == 0 else ""] for i in range(count)]
    table = PlanTable(rows, colWidths=[width], rowHeights=[height] * count, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, colors.HexColor("#8c959f")),
                ("FONTNAME", (0, 0), (-1, -1), styles.FONT),
                ("FONTSIZE", (0, 0), (-1, -1), styles.BOOKLET_MIN_PT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table
