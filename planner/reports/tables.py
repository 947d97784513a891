"""Small table and paragraph helpers shared by the clinician section, booklet and slips."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from planner.reports import styles
from planner.reports.styles import Styles
from planner.reports.words import text

Cell = str | Flowable


def para(markup: str, style: Any, bulletText: str | None = None) -> Paragraph:
    """A paragraph from markup that is already escaped (use `words.text` on values)."""
    return Paragraph(markup, style, bulletText=bulletText)


def grid(
    rows: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    st: Styles,
    *,
    header: bool = True,
    extra: Iterable[tuple] = (),
    row_heights: Sequence[float | None] | None = None,
    split_in_row: int = 0,
) -> Table:
    """A ruled table; strings become wrapped paragraphs, the first row is the header."""
    cells = [
        [
            c
            if isinstance(c, Flowable)
            else para(c, st.cell_bold if header and i == 0 else st.cell)
            for c in row
        ]
        for i, row in enumerate(rows)
    ]
    table = Table(
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
        ("GRID", (0, 0), (-1, -1), 0.4, styles.RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), styles.SHADE))
    commands.extend(extra)
    table.setStyle(TableStyle(commands))
    return table


def key_values(
    pairs: Sequence[tuple[str, str]], width: float, st: Styles, columns: int = 2
) -> Table:
    """Label/value pairs laid out in `columns` pairs per row (values already escaped)."""
    rows: list[list[Cell]] = []
    for start in range(0, len(pairs), columns):
        row: list[Cell] = []
        for label, value in pairs[start : start + columns]:
            row += [para(text(label), st.cell_bold), para(value, st.cell)]
        while len(row) < 2 * columns:
            row.append(para("", st.cell))
        rows.append(row)
    label_w = width * 0.13 if columns > 1 else width * 0.3
    value_w = (width - columns * label_w) / columns
    widths = [label_w, value_w] * columns
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("FONTNAME", (0, 0), (-1, -1), styles.FONT),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, styles.RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


def basis_markup(basis: Iterable[Mapping[str, Any]] | None) -> str:
    """`rule · source, source`, grouped by rule; each unverified source flagged for local confirmation."""
    by_rule: dict[str, list[str]] = {}
    for b in basis or ():
        source = text(b.get("source") or "source not given")
        if b.get("verified") is False:
            source += ' <font color="#b00020"><b>(unverified — confirm locally)</b></font>'
        sources = by_rule.setdefault(str(b.get("rule") or "?"), [])
        if source not in sources:
            sources.append(source)
    parts = [f"<b>{text(rule)}</b> · {', '.join(sources)}" for rule, sources in by_rule.items()]
    return "; ".join(parts) if parts else "no rule cited"


def boxed(
    flowables: list[Flowable], width: float, *, border: Any, background: Any, padding: float = 6
) -> Table:
    """A shaded, outlined box around some flowables (alerts, the call-us panel)."""
    table = Table([[flowables]], colWidths=[width], hAlign="LEFT")
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
    table = Table(rows, colWidths=[width], rowHeights=[height] * count, hAlign="LEFT")
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
