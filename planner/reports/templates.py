"""Page templates: the fixed parts of every page (header, footer, page X of Y), A4 or Letter.

Five templates, one per part of the printed plan: `clinician` (the decision: page 1 is the whole
of it), `evidence` (the appendix printed when asked: why each suggestion, the other options,
symptom care in full), `references` (the appendix's list of primary sources, in words with
their addresses), `booklet` (large type, the clinic's phone in the footer) and `slip` (two
referrals per page, one on each half, a cut line between: reports/slips.py). Pages are numbered within
their part ("Booklet · page 2 of 4"), so the booklet handed to the family reads as a whole; the
numbers are drawn when the document is saved, once the size of every part is known.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from planner.domain.frozen_value import frozen_value
from planner.reports import styles

PAPER = {"a4": A4, "letter": LETTER}
MARGIN_X = 18 * mm
HEADER_H = 17 * mm
FOOTER_H = {
    "clinician": 17 * mm,
    "evidence": 17 * mm,
    "references": 17 * mm,
    "booklet": 22 * mm,
    "slip": 17 * mm,
}
PART_LABEL = {
    "clinician": "Clinician section",
    "evidence": "Evidence appendix",
    "references": "References",
    "booklet": "Booklet",
    "slip": "Referral slip",
}
PARTS = tuple(PART_LABEL)
# the header's title of each part; a document other than the care plan (the cycle sheet) names
# its own parts through CarePlanDocument(titles=...)
PART_TITLE = {
    "clinician": "Care plan · for the clinician",
    "evidence": "Care plan · evidence for the clinician",
    "references": "Care plan · references",
    "booklet": "Your care plan",
    "slip": "Referral slip",
}


@frozen_value
class PageHeading:
    """What the header and footer of every page print."""

    patient_name: str
    mrn: str
    date: str
    rules_version: str
    clinic_name: str
    clinic_phone: str
    # her birth date as the clinic shows dates ("" where the document does not print it)
    birth_date: str = ""


@frozen_value
class _PageNumber:
    part: str
    x: float
    y: float
    font: str
    size: float


class PlanCanvas(Canvas):
    """A canvas that numbers each page within its part ("Family booklet · page 2 of 3").

    A part's length is known only when the document is done, so each page draws a named form
    where its number goes (`doForm`), and `save()` defines every form once the totals are
    known: reportlab's public forms, which may be used before they are defined. (It used to
    hold every page's state back and replay it through the private `Canvas._startPage`.)"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page_number: _PageNumber | None = None  # set by the page template's footer
        self._numbered: list[tuple[str, _PageNumber]] = []

    def showPage(self) -> None:
        spec = self.page_number
        if spec is not None:
            name = f"PlanPageNumber{len(self._numbered)}"
            self.doForm(name)  # drawn last, over the page, as the number always was
            self._numbered.append((name, spec))
        self.page_number = None
        super().showPage()

    def save(self) -> None:
        totals = Counter(spec.part for _, spec in self._numbered)
        seen: Counter[str] = Counter()
        for name, spec in self._numbered:
            seen[spec.part] += 1
            label = f"{PART_LABEL[spec.part]} · page {seen[spec.part]} of {totals[spec.part]}"
            self.beginForm(name)
            self.setFont(spec.font, spec.size)
            self.setFillColor(styles.INK)
            self.drawRightString(spec.x, spec.y, label)
            self.endForm()
        super().save()


class LayoutCanvas(Canvas):
    """A canvas for a document laid out only to learn its length (render.py: the evidence
    appendix's pages, said on the decision page). Layout — line breaking, splitting across
    pages — is the same as on any canvas; the planner's own paragraphs draw nothing on this one
    (`tables.PlanParagraph.draw`), the page furniture is not drawn, and nothing is written:
    about half the cost of a render, for a number."""

    lays_out_only = True

    def save(self) -> None:
        """Nothing to write: the caller reads the document's page count."""


def laid_out_only(canv: Canvas) -> bool:
    """Whether `canv` only lays a document out (LayoutCanvas): drawing on it is wasted."""
    return getattr(canv, "lays_out_only", False)


def _fit(canv: Canvas, text: str, font: str, size: float, width: float) -> str:
    """Shorten text with an ellipsis so it never runs into its neighbour."""
    if canv.stringWidth(text, font, size) <= width:
        return text
    while text and canv.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


def _who(canv: Canvas, h: PageHeading, size: float, width: float) -> str:
    """Name · MRN · born · date for the header, within `width`: the MRN and birth date are
    never shortened; the date goes first, then the name is cut."""
    ids = f"MRN {h.mrn}" + (f" · born {h.birth_date}" if h.birth_date else "")
    full = f"{h.patient_name} · {ids} · {h.date}"
    if canv.stringWidth(full, styles.FONT, size) <= width:
        return full
    tail = f" · {ids}"
    room = width - canv.stringWidth(tail, styles.FONT, size)
    return _fit(canv, h.patient_name, styles.FONT, size, max(room, 0)) + tail


def _draw_page(canv: Canvas, doc: CarePlanDocument, part: str) -> None:
    if laid_out_only(canv):
        return
    h = doc.heading
    width, height = doc.pagesize
    left, right = MARGIN_X, width - MARGIN_X
    big = part == "booklet"
    size = styles.BOOKLET_MIN_PT if big else styles.CLINICIAN_MIN_PT
    title_size = 14 if big else 11
    canv.saveState()
    canv.setFillColor(styles.INK)
    # header: part title on the left, who and when on the right, a rule beneath
    top = height - 11 * mm
    titles = {**PART_TITLE, **doc.titles}
    title_w = canv.stringWidth(titles[part], styles.FONT_BOLD, title_size) + 8 * mm
    who = _who(canv, h, size, right - left)
    if title_w + canv.stringWidth(who, styles.FONT, size) <= right - left:
        title_y = who_y = top - 2
    else:
        # no room beside the title: the title a line higher and who she is on a line of its
        # own, whole — a cut MRN could not tell her from a namesake (walk 21 H5)
        title_y, who_y = top - 2 + size + 2, top - 2
    canv.setFont(styles.FONT_BOLD, title_size)
    canv.drawString(left, title_y, titles[part])
    canv.setFont(styles.FONT, size)
    canv.drawRightString(right, who_y, who)
    canv.setStrokeColor(styles.RULE)
    canv.setLineWidth(0.6)
    canv.line(left, top - 6 * mm + 2, right, top - 6 * mm + 2)
    # footer: a rule, then two lines; the page number (right, first line) is drawn at save()
    base = 8 * mm
    line2 = base
    line1 = base + size + 3
    canv.line(left, line1 + size + 3, right, line1 + size + 3)
    number_y = line1
    if big:
        call = (
            f"Questions? Call the clinic: {h.clinic_phone}"
            if h.clinic_phone
            # no number set: a line to write it on, never "call" without a number
            else "Questions? Clinic phone: ______________________"
        )
        canv.setFont(styles.FONT_BOLD, size)
        canv.drawString(
            left, line1, _fit(canv, call, styles.FONT_BOLD, size, (right - left) * 0.64)
        )
        canv.setFont(styles.FONT, size)
        canv.drawString(
            left,
            line2,
            _fit(
                canv, f"MRN {h.mrn} · plan rules {h.rules_version}", styles.FONT, size, right - left
            ),
        )
    else:
        canv.setFont(styles.FONT, size)
        canv.drawString(
            left,
            line1,
            _fit(canv, f"Rules {h.rules_version}", styles.FONT, size, (right - left) * 0.62),
        )
        canv.drawString(
            left,
            line2,
            _fit(
                canv,
                f"{h.clinic_name} · The program suggests; the clinician decides.",
                styles.FONT,
                size,
                right - left,
            ),
        )
    canv.restoreState()
    if isinstance(canv, PlanCanvas):
        canv.page_number = _PageNumber(part, right, number_y, styles.FONT, size)


def frame_height(part: str, frame_width: float) -> float:
    """The height of a part's frame on the paper whose frame is `frame_width` wide (A4 and
    Letter differ in width): the slips lay out two to a page from it before the page exists."""
    for width, height in PAPER.values():
        if abs(width - 2 * MARGIN_X - frame_width) < 1:
            return height - (HEADER_H + 4 * mm) - (FOOTER_H[part] + 3 * mm)
    raise ValueError(f"no paper has a frame {frame_width:.0f} pt wide")


class CarePlanDocument(BaseDocTemplate):
    """The printed plan: fixed page templates, so callers pass only the story."""

    _invalidInitArgs = ("pageTemplates",)

    def __init__(
        self,
        buffer: Any,
        *,
        heading: PageHeading,
        paper: str,
        first_part: str,
        invariant: bool,
        title: str,
        author: str,
        subject: str,
        titles: Mapping[str, str] | None = None,
    ) -> None:
        styles.register_fonts()
        self.heading = heading
        unknown = set(titles or {}) - set(PARTS)
        if unknown:
            raise ValueError(f"titles for parts that do not exist: {', '.join(sorted(unknown))}")
        self.titles: Mapping[str, str] = dict(titles or {})
        super().__init__(
            buffer,
            pagesize=PAPER[paper],
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=HEADER_H + 4 * mm,
            bottomMargin=FOOTER_H["clinician"],
            title=title,
            author=author,
            subject=subject,
            creator="Supportive-care planner",
            producer="Supportive-care planner (reportlab)",
            keywords=f"care plan; rules {heading.rules_version}",
            invariant=1 if invariant else 0,
            initialFontName=styles.FONT,
        )
        order = [first_part, *(p for p in PARTS if p != first_part)]
        self.addPageTemplates([self._template(part) for part in order])

    def _template(self, part: str) -> PageTemplate:
        width, height = self.pagesize
        top = HEADER_H + 4 * mm
        bottom = FOOTER_H[part] + 3 * mm
        frame = Frame(
            MARGIN_X,
            bottom,
            width - 2 * MARGIN_X,
            height - top - bottom,
            id=f"{part}-body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

        def on_page(canv: Canvas, doc: CarePlanDocument, part: str = part) -> None:
            _draw_page(canv, doc, part)

        return PageTemplate(id=part, frames=[frame], onPage=on_page, pagesize=self.pagesize)

    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - 2 * MARGIN_X
