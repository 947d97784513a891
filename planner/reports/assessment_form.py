"""The paper assessment form (issue 20 item 5): the wizard's fields on paper, in its order.

The patient's pages come first (large type, boxes to tick, plain words), so they can be handed
over at home or in the waiting room; the nurse's pages follow (labs with a unit to tick and the
clinic's ULN, function). Each part names the wizard step it is typed into. A pre-filled form
prints last time's value under each field of the nurse's pages, marked "last time, <date> —
check": a value to check with the patient, never an answer given for her. The patient's own pages
are never pre-filled (her last depression and self-harm answers are hers, not her family's).

Licensed questionnaires (EORTC QLQ-C30, FACT-B) appear by item number only (safety rule 8).
`form` is the typed `planner.domain.paper_form.PaperForm` the service builds.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from planner.domain.paper_form import NURSE, PATIENT, FormField, FormPart, PaperForm
from planner.domain.plan_words import unit_words
from planner.reports import styles
from planner.reports.templates import PAPER

#: smallest type on the form: the patient reads and writes on it (issue 20: ≥ 11 pt)
PATIENT_PT = 12.0
NURSE_PT = 11.0
BOX = "☐"
MARGIN = 15 * mm
ITEMS_PER_ROW = 6
#: the height of a line to write a medicine or an allergy on by hand
WRITE_LINE = 8 * mm


def _style(name: str, size: float, *, bold: bool = False, **kw: object) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=styles.FONT_BOLD if bold else styles.FONT,
        fontSize=size,
        leading=round(size * 1.25, 1),
        **{"textColor": styles.INK, **kw},
    )


class FormStyles:
    def __init__(self, size: float) -> None:
        self.body = _style(f"form-body-{size}", size)
        self.bold = _style(f"form-bold-{size}", size, bold=True)
        self.title = _style(f"form-title-{size}", size + 4, bold=True, spaceAfter=2 * mm)
        self.heading = _style(f"form-heading-{size}", size + 1, bold=True, spaceBefore=3 * mm)
        self.step = _style(f"form-step-{size}", size - 1, textColor=styles.MUTED)
        self.check = _style(f"form-check-{size}", size - 1, textColor=colors.HexColor("#6b3d00"))
        self.credit = _style(f"form-credit-{size}", size - 1, textColor=styles.MUTED)
        self.centre = _style(f"form-centre-{size}", size, alignment=TA_CENTER)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _check_line(form: PaperForm, field: FormField, st: FormStyles) -> Paragraph | None:
    value = (form.last_values or {}).get(field.path)
    if not value:
        return None
    return _p(f"last time, {form.last_on} — check: {value}", st.check)


def _grid(rows: list[list[object]], widths: list[float], *, header: bool = False) -> Table:
    # A header row is repeated on the next page when a table splits.
    table = Table(rows, colWidths=widths, hAlign="LEFT", repeatRows=1 if header else 0)
    commands: list[tuple[object, ...]] = [
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, styles.RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        commands.append(("BACKGROUND", (0, 0), (-1, 0), styles.SHADE))
    table.setStyle(TableStyle(commands))
    return table


def _scale(form: PaperForm, part: FormPart, st: FormStyles, width: float) -> list[Flowable]:
    """Scale fields (0–10): a row of numbered boxes to circle or tick."""
    numbers = list(range(0, 11))
    label_w = width * 0.46
    box_w = (width - label_w) / len(numbers)
    rows: list[list[object]] = [
        ["", *[_p(str(n), st.centre) for n in numbers]],
    ]
    for field in part.fields:
        label: list[Flowable] = [_p(field.label, st.body)]
        if field.path == "symptoms.esas.other":
            label = [_p(f"{field.label}: ____________", st.body)]
        check = _check_line(form, field, st)
        if check is not None:
            label.append(check)
        rows.append([label, *[_p(BOX, st.centre) for _ in numbers]])
    table = Table(rows, colWidths=[label_w] + [box_w] * len(numbers), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, styles.RULE),
                ("BACKGROUND", (0, 0), (-1, 0), styles.SHADE),
                ("LEFTPADDING", (1, 0), (-1, -1), 1),
                ("RIGHTPADDING", (1, 0), (-1, -1), 1),
            ]
        )
    )
    return [table]


def _percent(form: PaperForm, field: FormField, st: FormStyles, width: float) -> list[Flowable]:
    """PPS: 0–100 % in tens, one box each."""
    steps = list(range(field.low, field.high + 1, 10))
    label_w = width * 0.2
    box_w = (width - label_w) / len(steps)
    label: list[Flowable] = [_p(field.label, st.body)]
    check = _check_line(form, field, st)
    if check is not None:
        label.append(check)
    rows = [
        ["", *[_p(str(s), st.centre) for s in steps]],
        [label, *[_p(BOX, st.centre)] * len(steps)],
    ]
    return [_grid(rows, [label_w] + [box_w] * len(steps), header=True)]


def _choices(form: PaperForm, part: FormPart, st: FormStyles, width: float) -> list[Flowable]:
    """Items answered on one shared scale (PHQ-9, GAD-7): the answers head the columns."""
    choices = part.fields[0].choices
    label_w = width * 0.48
    col_w = (width - label_w) / len(choices)
    rows: list[list[object]] = [["", *[_p(c, st.centre) for c in choices]]]
    for field in part.fields:
        label: list[Flowable] = [_p(field.label, st.body)]
        check = _check_line(form, field, st)
        if check is not None:
            label.append(check)
        rows.append([label, *[_p(BOX, st.centre) for _ in choices]])
    return [_grid(rows, [label_w] + [col_w] * len(choices), header=True)]


def _one_choice(form: PaperForm, field: FormField, st: FormStyles) -> list[Flowable]:
    """A field with its own choices, one a line (ECOG)."""
    out: list[Flowable] = [_p(field.label, st.bold)]
    out += [_p(f"{BOX}  {choice}", st.body) for choice in field.choices]
    check = _check_line(form, field, st)
    return out + ([check] if check is not None else [])


def _ticks(form: PaperForm, field: FormField, st: FormStyles) -> list[Flowable]:
    out: list[Flowable] = [
        _p(field.label + ":   " + "    ".join(f"{BOX} {c}" for c in field.choices), st.body)
    ]
    check = _check_line(form, field, st)
    return out + ([check] if check is not None else [])


def _written(form: PaperForm, field: FormField, st: FormStyles, blank: str) -> list[Flowable]:
    """A value written on a line (a date, a number with its unit), last time's under it."""
    out: list[Flowable] = [_p(f"{field.label}:  {blank}", st.body)]
    check = _check_line(form, field, st)
    return out + ([check] if check is not None else [])


def _list(form: PaperForm, field: FormField, st: FormStyles, width: float) -> list[Flowable]:
    """Lines to write a list on (medicines, allergies, remedies) under its column heads; the box
    for an empty list that is an answer; last time's list under the title, to check."""
    out: list[Flowable] = [_p(field.label, st.bold)]
    check = _check_line(form, field, st)
    if check is not None:
        out.append(check)
    if field.stated_empty:
        out.append(_p(f"{BOX}  {field.stated_empty}", st.body))
    columns = len(field.choices)
    # the first column (the name) is the widest; the others share what is left
    first = 0.34 if columns > 1 else 1.0
    widths = [width * first] + [width * (1 - first) / max(columns - 1, 1)] * (columns - 1)
    rows: list[list[object]] = [[_p(c, st.bold) for c in field.choices]]
    rows += [[""] * columns for _ in range(field.rows)]
    # the header sized to its words; each line tall enough to write on by hand
    heights: list[float | None] = [None, *([WRITE_LINE] * field.rows)]
    table = Table(rows, colWidths=widths, rowHeights=heights, hAlign="LEFT", repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, styles.RULE),
                ("BACKGROUND", (0, 0), (-1, 0), styles.SHADE),
            ]
        )
    )
    out += [Spacer(1, 1 * mm), table]
    return out


def _items(form: PaperForm, part: FormPart, st: FormStyles, width: float) -> list[Flowable]:
    """Questionnaire items by number: the number, the answer's range, a box to write in."""
    cells: list[object] = []
    for field in part.fields:
        # The answer's range beside the number, in the patient's type size (never smaller).
        text = f"<b>{escape(field.label)}</b> <font color='{styles.MUTED_MARKUP}'>{field.low}–{field.high}</font> [    ]"
        cell: list[Flowable] = [Paragraph(text, st.body)]
        check = _check_line(form, field, st)
        if check is not None:
            cell.append(check)
        cells.append(cell)
    rows = [cells[i : i + ITEMS_PER_ROW] for i in range(0, len(cells), ITEMS_PER_ROW)]
    rows[-1] = rows[-1] + [""] * (ITEMS_PER_ROW - len(rows[-1]))
    return [_grid(rows, [width / ITEMS_PER_ROW] * ITEMS_PER_ROW)]


def _labs(form: PaperForm, part: FormPart, st: FormStyles, width: float) -> list[Flowable]:
    """The labs sheet: value, a unit to tick, the lab's own ULN, the clinic's ULN."""
    out: list[Flowable] = []
    header = ["Test", "Value", "Unit (tick one)", "Lab's ULN", "Clinic ULN"]
    widths = [0.32, 0.13, 0.29, 0.12, 0.14]
    rows: list[list[object]] = [[_p(h, st.bold) for h in header]]
    for field in part.fields:
        if field.kind == "date":
            out.append(_p(f"{field.label}:  ____ / ____ / ________", st.body))
            check = _check_line(form, field, st)
            if check is not None:
                out.append(check)
            out.append(Spacer(1, 2 * mm))
            continue
        label: list[Flowable] = [_p(field.label, st.body)]
        check = _check_line(form, field, st)
        if check is not None:
            label.append(check)
        units = "   ".join(f"{BOX} {unit_words(u) or '(no unit)'}" for u in field.units)
        has_uln = field.takes_uln
        clinic = (
            f"{field.clinic_uln:g} {unit_words(field.units[0])}"
            if field.clinic_uln is not None
            else ("not set" if has_uln else "—")
        )
        rows.append([label, "", _p(units, st.body), "" if has_uln else "—", _p(clinic, st.body)])
    table = _grid(rows, [width * f for f in widths], header=True)
    return [*out, table]


def _part(form: PaperForm, part: FormPart, st: FormStyles, width: float) -> list[Flowable]:
    head: list[Flowable] = [
        _p(part.title, st.heading),
        _p(f"Typed in at step {part.step}: {part.step_title}", st.step),
    ]
    if part.intro:
        head.append(_p(part.intro, st.body))
    head.append(Spacer(1, 2 * mm))
    kinds = {f.kind for f in part.fields}
    body: list[Flowable] = []
    if kinds <= {"scale"} and all(f.high == 10 for f in part.fields):
        body = _scale(form, part, st, width)
    elif part.fields and all(f.kind == "choice" for f in part.fields) and len(part.fields) > 1:
        body = _choices(form, part, st, width)
    elif kinds <= {"item"}:
        body = _items(form, part, st, width)
    elif "lab" in kinds:
        body = _labs(form, part, st, width)
    else:
        for field in part.fields:
            if field.kind == "scale" and field.high == 10:
                one = FormPart(part.step, part.step_title, "", part.audience, (field,))
                body += _scale(form, one, st, width)
            elif field.kind == "scale":
                body += _percent(form, field, st, width)
            elif field.kind == "ticks":
                body += _ticks(form, field, st)
            elif field.kind == "date":
                body += _written(form, field, st, "____ / ____ / ________")
            elif field.kind == "number":
                body += _written(form, field, st, f"__________ {''.join(field.units[:1])}")
            elif field.kind == "list":
                body += _list(form, field, st, width)
            else:
                body += _one_choice(form, field, st)
            body.append(Spacer(1, 2 * mm))
    tail: list[Flowable] = [_p(part.credit, st.credit)] if part.credit else []
    # A part starts where its heading and the first lines of its table fit (a table split
    # over two pages repeats its column heads); the heading never stands alone at a page foot.
    return [CondPageBreak(60 * mm), *head, *body, *tail, Spacer(1, 3 * mm)]


def _cover(form: PaperForm, audience: str, st: FormStyles) -> list[Flowable]:
    if audience == PATIENT:
        title = "Your questionnaire"
        words = (
            "Please fill this in at home or in the waiting room, and give it to your nurse. "
            "Tick or circle one box on each line. Leave a line blank if you prefer not to answer."
        )
    else:
        title = "For the nurse: body, labs, medicines and function"
        words = "Fill in from the lab report and your examination; type in at the steps shown."
    who = form.patient or "__________________________"
    mrn = form.mrn or "____________"
    out: list[Flowable] = [
        _p(title, st.title),
        _p(f"Name: {who}     MRN: {mrn}     Date: ____ / ____ / ________", st.body),
        Spacer(1, 2 * mm),
        _p(words, st.body),
    ]
    if form.last_on and audience != PATIENT:  # her own pages are never pre-filled (walk 20 H4)
        out.append(
            _p(
                f"Values under a line are from the last assessment ({form.last_on}): "
                "check each one; cross it out and write the new answer if it has changed.",
                st.check,
            )
        )
    return out


def _footer(form: PaperForm) -> Callable[[Canvas, SimpleDocTemplate], None]:
    def draw(canv: Canvas, doc: SimpleDocTemplate) -> None:
        canv.saveState()
        canv.setFont(styles.FONT, 9)
        canv.setFillColor(styles.MUTED)
        left = "Assessment form" + (f" · {form.clinic}" if form.clinic else "")
        if form.mrn:
            left += f" · MRN {form.mrn}"
        canv.drawString(MARGIN, 9 * mm, left)
        canv.drawRightString(doc.pagesize[0] - MARGIN, 9 * mm, f"page {canv.getPageNumber()}")
        canv.restoreState()

    return draw


def render_assessment_form(form: PaperForm, *, paper: str = "a4") -> bytes:
    """The form as PDF bytes on `paper` ("a4" or "letter")."""
    if paper not in PAPER:
        raise ValueError(f"paper {paper!r} is not one of {', '.join(PAPER)}")
    styles.register_fonts()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=PAPER[paper],
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=16 * mm,
        title="Assessment form",
        author=form.clinic or "",
        invariant=True,
    )
    width = doc.width
    story: list[Flowable] = []
    for audience, size in ((PATIENT, PATIENT_PT), (NURSE, NURSE_PT)):
        parts = [p for p in form.parts if p.audience == audience]
        if not parts:
            continue
        if story:
            story.append(PageBreak())
        st = FormStyles(size)
        story.append(KeepTogether(_cover(form, audience, st)))
        for part in parts:
            story += _part(form, part, st, width)
    doc.build(story, onFirstPage=_footer(form), onLaterPages=_footer(form))
    return out.getvalue()
