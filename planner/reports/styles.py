"""Fonts and paragraph styles of the printed plan.

DejaVu Sans (regular and bold) ships in resources/fonts with its licence and is embedded in every
PDF, so Cyrillic (Каримова), Uzbek Latin (Oʻzbekiston), diacritics (Şahin, Müller) and the
symbols of clinical text (µ, ×, ≥, –) print as typed. The patient booklet never goes below 12 pt.
"""

from __future__ import annotations

import hashlib
import io
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO
from weakref import WeakKeyDictionary

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from planner import cache as disk_cache
from planner.domain.frozen_value import frozen_value

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FILES = {FONT: "DejaVuSans.ttf", FONT_BOLD: "DejaVuSans-Bold.ttf"}  # in resources/fonts
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
WARNING = colors.HexColor("#8a5a00")
WARNING_BG = colors.HexColor("#fff4d6")
INFO_BG = colors.HexColor("#e8f0fb")


def fonts_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "resources" / "fonts"


class MeasuredTTFont(TTFont):
    """A TrueType font that remembers the widths it has measured.

    Line breaking measures every word of every paragraph, and a plan repeats its words (labels,
    units, drug names): four measurements in five are of a string measured before. A width
    depends only on the text, the size and the font's metrics, which never change once loaded.
    """

    def __init__(self, name: str, filename: str | BinaryIO) -> None:
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
    """Register DejaVu Sans once per process (reportlab keeps a global font registry)."""
    for font in load_fonts():
        pdfmetrics.registerFont(font)
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )


# ---- the cache of the parsed fonts -----------------------------------------------------------
#
# reportlab parses a TrueType file in pure Python (TTFontFile.extractInfo): for the two DejaVu
# faces that is ~190 M instructions in every process that prints, nearly a tenth of a whole
# `planner plan --pdf`. From the cache it is ~130 M: about 50 M unpickling the tables (~60,000
# objects; packing them into arrays rebuilds no faster) and about 55 M SHA-256 of the font files
# and of the payload (counted without the CPU's SHA instructions, which valgrind does not model; on
# the machine itself that part is about a millisecond). So the parsed fonts are kept in one file
# (planner.cache: digest-checked, written atomically, silent on any error). One file for both
# faces, because they are only ever loaded together: one read and one check per process, and the
# pair in the file always comes from one parse of one pair of files. The key covers everything a
# parse depends on: the SHA-256 of each font file's bytes, reportlab's version and the settings a
# parse reads, the Python version, and the source of this module (it decides what is kept and how a
# font is put back together). The font files are read in full on every start anyway (reportlab
# embeds a subset of them in every PDF), so hashing them costs no extra reading, and their bytes
# are not stored twice: the cache holds the parsed tables and a restored face gets the bytes just
# read and hashed.

FONT_CACHE_FORMAT = "planner.fonts-cache/1"
FONT_CACHE_FILE = "fonts-parsed.pickle"

# Not stored: the file's bytes (read anyway), the face's scale function (a closure; rebuilt),
# reportlab's per-document subset state and this class's width memo (both start empty).
_FACE_NOT_STORED = frozenset({"_ttf_data", "_pdfScale"})
_FONT_NOT_STORED = frozenset({"face", "state", "_widths"})

FontState = tuple[dict[str, Any], dict[str, Any]]  # (font attributes, face attributes)


def load_fonts() -> list[MeasuredTTFont]:
    """The DejaVu fonts, regular then bold: from the cache when it holds these very files."""
    folder = fonts_dir()
    files = {name: folder / file for name, file in FONT_FILES.items()}
    data = {name: path.read_bytes() for name, path in files.items()}
    path = disk_cache.cache_path(FONT_CACHE_FILE)
    key = _font_cache_key(data) if path is not None else ""
    fonts = _restore_fonts(disk_cache.read(path, FONT_CACHE_FORMAT, key), data, files)
    if fonts is None:
        fonts = [MeasuredTTFont(name, _named_bytes(data[name], files[name])) for name in files]
        disk_cache.write(path, FONT_CACHE_FORMAT, key, [_font_state(font) for font in fonts])
    return fonts


def _named_bytes(data: bytes, path: Path) -> BinaryIO:
    """The bytes just hashed, as a file reportlab reads (so a miss parses exactly what the key
    covers) under the file's own name (reportlab records it, as when it opens the file itself)."""
    stream = io.BytesIO(data)
    stream.name = str(path)
    return stream


def _font_cache_key(data: Mapping[str, bytes]) -> str:
    from reportlab import Version, rl_config
    from reportlab.pdfbase import ttfonts

    digest = hashlib.sha256(f"{FONT_CACHE_FORMAT}\0{sys.version}\0reportlab {Version}".encode())
    settings = (  # what TTFont and its parser read from reportlab's configuration
        rl_config.ttfAsciiReadable,
        rl_config.allowTTFSubsetting,
        getattr(rl_config, "autoGenerateTTFMissingTTFName", None),
        ttfonts.unShapedFontGlob,
        ttfonts.uharfbuzz is not None,
    )
    digest.update(repr(settings).encode())
    try:
        digest.update(Path(__file__).read_bytes())
    except OSError:  # the source cannot be read (a frozen build): never trust a cache
        return ""
    for name, blob in data.items():
        digest.update(f"\0{name}\0{len(blob)}\0".encode())
        digest.update(hashlib.sha256(blob).digest())
    return digest.hexdigest()


def _font_state(font: MeasuredTTFont) -> FontState:
    """What a freshly parsed font holds, without what is not stored (see _FONT_NOT_STORED)."""
    attributes = {k: v for k, v in vars(font).items() if k not in _FONT_NOT_STORED}
    face = {k: v for k, v in vars(font.face).items() if k not in _FACE_NOT_STORED}
    return attributes, face


def _restore_fonts(
    states: Any, data: Mapping[str, bytes], files: Mapping[str, Path]
) -> list[MeasuredTTFont] | None:
    """The fonts put back together from the stored states; None when these are not them."""
    if type(states) is not list or len(states) != len(files):
        return None
    try:
        fonts = [
            _restore_font(state, data[name], files[name])
            for state, name in zip(states, files, strict=True)
        ]
    except Exception:  # not the shape this module stores: parse afresh
        return None
    if [font.fontName for font in fonts] != list(files):
        return None
    return fonts


def _restore_font(state: FontState, data: bytes, path: Path) -> MeasuredTTFont:
    attributes, face_attributes = state
    face = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(face_attributes)
    face._ttf_data = data
    face.filename = str(path)  # where the file is now (the key covers its bytes, not its path)
    face._pdfScale = _pdf_scale(face.unitsPerEm)
    font = MeasuredTTFont.__new__(MeasuredTTFont)
    font.__dict__.update(attributes)
    font.face = face
    font.state = WeakKeyDictionary()
    font._widths = {}
    return font


def _pdf_scale(units_per_em: int) -> Callable[[float], float]:
    """Font units to PDF units (1000 per em), as reportlab's parser defines it."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


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
    register_fonts()
    return Styles(
        title=_style("s-title", 15, bold=True, spaceAfter=6),
        h1=_style("s-h1", 11.5, bold=True, spaceBefore=8, spaceAfter=3),
        h2=_style("s-h2", 10.5, bold=True, spaceBefore=4, spaceAfter=2),
        body=_style("s-body", 10.5, spaceAfter=3),
        small=_style("s-small", CLINICIAN_MIN_PT, textColor=MUTED),
        cell=_style("s-cell", 10, lead=1.25),
        cell_bold=_style("s-cell-b", 10, bold=True, lead=1.25),
        bullet=_style("s-bullet", 10.5, leftIndent=12, bulletIndent=2, spaceAfter=2),
        note=_style("s-note", 9, textColor=MUTED, spaceAfter=2),
    )
