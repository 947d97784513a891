"""Fonts and paragraph styles of the printed plan.

DejaVu Sans (regular and bold) ships in resources/fonts with its licence and is embedded in every
PDF, so Cyrillic (Каримова), Uzbek Latin (Oʻzbekiston), diacritics (Şahin, Müller) and the
symbols of clinical text (µ, ×, ≥, –) print as typed. The patient booklet never goes below 12 pt.

The shipped faces are DejaVu Sans cut down to the scripts and symbols in PRINTED_RANGES
(tools/subset_fonts.py makes them from the faces as distributed, kept in tools/fonts): reportlab
parses a face in pure Python in every process that prints, and half the glyphs parse in half the
time. tests/reports/test_fonts.py checks that every character of those ranges, and every one the
program's own words and rule tables use, is in both faces.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from planner.domain.frozen_value import frozen_value

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}  # in resources/fonts
#: what a printed plan can show, as inclusive Unicode ranges: every alphabet of DejaVu Sans that
#: is written left to right without shaping (so a patient's or clinician's name prints as
#: typed: Latin with Turkish and Uzbek letters, Azerbaijani ə, Vietnamese, Greek, Cyrillic with
#: Uzbek and Kazakh letters, Armenian, Georgian), combining accents, and the punctuation and
#: symbols of clinical text and of notes typed by hand (× ≥ ≤ µ ± ° → ✓ ☐ ⚠ …). Left out:
#: Arabic (it needs shaping and right-to-left layout, which these PDFs do not do: it never
#: printed readably), Hebrew (right to left too), and DejaVu's other symbol sets (box drawing,
#: Braille, mathematical alphanumerics, ...).
PRINTED_RANGES: tuple[tuple[int, int], ...] = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x0250, 0x02FF),  # IPA extensions (ə), spacing modifier letters (ʻ ʼ)
    (0x0300, 0x036F),  # combining diacritical marks
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x052F),  # Cyrillic and its supplement
    (0x0530, 0x058F),  # Armenian
    (0x10A0, 0x10FF),  # Georgian
    (0x1E00, 0x1EFF),  # Latin Extended Additional
    (0x2000, 0x20CF),  # general punctuation, superscripts and subscripts, currency
    (0x2100, 0x23FF),  # letterlike, number forms, arrows, mathematical operators, technical
    (0x25A0, 0x27BF),  # geometric shapes, miscellaneous symbols, dingbats
    (0x2C60, 0x2C7F),  # Latin Extended-C
    (0xA720, 0xA7FF),  # Latin Extended-D
    (0xFB00, 0xFB06),  # Latin ligatures
    (0xFFFD, 0xFFFD),  # the replacement character
)
BOOKLET_MIN_PT = 12.0
# Issue 16: the clinician section printed at 7.5–8.5 pt was hard to read; nothing a clinician
# reads (clinician section, slips) is smaller than this.
CLINICIAN_MIN_PT = 9.0

INK = colors.HexColor("#1a1a1a")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#eef2f5")
CRITICAL = colors.HexColor("#b00020")
CRITICAL_BG = colors.HexColor("#fde8ea")
WARNING_BG = colors.HexColor("#fff4d6")
INFO_BG = colors.HexColor("#e8f0fb")


def markup_color(color: colors.Color) -> str:
    """`color` as paragraph markup names it (`<font color="…">`): "rgb(r,g,b)". reportlab's
    colour parser reads that form first; a "#rrggbb" string is tried as two Python expressions
    (ast parses, a namespace of ~200 names copied) before it is read as hex, ~0.1 ms a tag and
    ~200 tags a print. The same colour either way (tests/reports/test_styles.py)."""
    red, green, blue = (round(part * 255) for part in color.rgb())
    return f"rgb({red},{green},{blue})"


#: the markup colours of the printed words: muted notes and critical flags
MUTED_MARKUP = markup_color(MUTED)
CRITICAL_MARKUP = markup_color(CRITICAL)


def fonts_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "resources" / "fonts"


class MeasuredTTFont(TTFont):
    """A TrueType font that remembers the widths it has measured.

    Line breaking measures every word of every paragraph, and a plan repeats its words (labels,
    units, drug names): four measurements in five are of a string measured before. A width
    depends only on the text, the size and the font's metrics, which never change once loaded.
    """

    def __init__(self, name: str, filename: str) -> None:
        super().__init__(name, filename)
        self._widths: dict[tuple[str | bytes, float, str], float] = {}

    def stringWidth(self, text: str | bytes, size: float, encoding: str = "utf8") -> float:
        key = (text, size, encoding)
        try:
            return self._widths[key]
        except KeyError:
            width = self._widths[key] = super().stringWidth(text, size, encoding)
            return width


@cache
def register_fonts() -> None:
    """Register DejaVu Sans once per process (reportlab keeps a global font registry).

    Each face is parsed by reportlab's public `TTFont`, in pure Python, in every process that
    prints. A cache of the parsed faces saved 53 M of ~2,280 M instructions of a `planner plan
    --pdf` (2 %), but it rebuilt reportlab's private face state (`_ttf_data`, `_pdfScale`);
    reportlab offers no public way to keep a parsed font, so it was retired (issue 18)."""
    folder = fonts_dir()
    for name, file in FONT_FILES.items():
        pdfmetrics.registerFont(MeasuredTTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


def _style(
    name: str, size: float, *, bold: bool = False, lead: float = 1.25, **kw
) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=FONT_BOLD if bold else FONT,
        bulletFontName=FONT,
        bulletFontSize=size,
        fontSize=size,
        leading=round(size * lead, 1),
        textColor=kw.pop("textColor", INK),
        alignment=TA_LEFT,
        **kw,
    )


@frozen_value
class Styles:
    """One set of paragraph styles per audience: compact for clinicians, large for families."""

    title: ParagraphStyle
    h1: ParagraphStyle
    h2: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    bullet: ParagraphStyle
    note: ParagraphStyle


@cache
def clinician_styles() -> Styles:
    register_fonts()
    return Styles(
        title=_style("c-title", 15, bold=True, spaceAfter=4),
        h1=_style("c-h1", 11, bold=True, spaceBefore=7, spaceAfter=2),
        h2=_style("c-h2", 10, bold=True, spaceBefore=5, spaceAfter=2),
        body=_style("c-body", 9, spaceAfter=2),
        small=_style("c-small", CLINICIAN_MIN_PT, textColor=MUTED),
        cell=_style("c-cell", CLINICIAN_MIN_PT, lead=1.2),
        cell_bold=_style("c-cell-b", CLINICIAN_MIN_PT, bold=True, lead=1.2),
        bullet=_style("c-bullet", 9, leftIndent=10, bulletIndent=2, spaceAfter=1),
        note=_style("c-note", CLINICIAN_MIN_PT, textColor=MUTED, spaceAfter=2),
    )


@cache
def clinician_dense_styles() -> Styles:
    """The clinician styles with smaller table cells, for the long quality-of-life table."""
    st = clinician_styles()
    return replace(
        st,
        cell=_style("c-cell-d", CLINICIAN_MIN_PT, lead=1.15),
        cell_bold=_style("c-cell-d-b", CLINICIAN_MIN_PT, bold=True, lead=1.15),
    )


@cache
def reference_style() -> ParagraphStyle:
    """The numbered references at the end of the clinician section: small, hanging numbers."""
    register_fonts()
    return _style(
        "c-ref", CLINICIAN_MIN_PT, lead=1.15, textColor=MUTED, leftIndent=12, firstLineIndent=-12
    )


@cache
def booklet_styles() -> Styles:
    register_fonts()
    return Styles(
        title=_style("b-title", 22, bold=True, spaceAfter=8),
        h1=_style("b-h1", 17, bold=True, spaceBefore=12, spaceAfter=5),
        h2=_style("b-h2", 14, bold=True, spaceBefore=6, spaceAfter=3),
        body=_style("b-body", 13, lead=1.3, spaceAfter=4),
        small=_style("b-small", 12, textColor=MUTED),
        cell=_style("b-cell", 13, lead=1.3),
        cell_bold=_style("b-cell-b", 13, bold=True, lead=1.3),
        bullet=_style("b-bullet", 13, lead=1.3, leftIndent=16, bulletIndent=4, spaceAfter=2),
        note=_style("b-note", 12, textColor=MUTED, spaceAfter=4),
    )


@cache
def slip_styles() -> Styles:
    """Half a page per slip (two to a sheet): compact, never below the clinician minimum."""
    register_fonts()
    return Styles(
        title=_style("s-title", 13, bold=True, spaceAfter=2),
        h1=_style("s-h1", 10.5, bold=True, spaceBefore=2.5, spaceAfter=0.5),
        h2=_style("s-h2", 10, bold=True, spaceBefore=3, spaceAfter=1),
        body=_style("s-body", 9.5, lead=1.2, spaceAfter=1),
        small=_style("s-small", CLINICIAN_MIN_PT, textColor=MUTED),
        cell=_style("s-cell", 9.5, lead=1.2),
        cell_bold=_style("s-cell-b", 9.5, bold=True, lead=1.2),
        bullet=_style("s-bullet", 9.5, lead=1.2, leftIndent=10, bulletIndent=1, spaceAfter=0.5),
        note=_style("s-note", CLINICIAN_MIN_PT, textColor=MUTED, spaceAfter=1),
    )
