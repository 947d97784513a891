"""The shipped faces (DejaVu Sans cut down by tools/subset_fonts.py) hold every character a printed
plan can show: the ranges of planner.reports.styles.PRINTED_RANGES, the letters of the names and
languages the clinics write, and every character of the program's own words and rule tables."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from reportlab.pdfbase.ttfonts import TTFontFile

from planner.reports import styles

ROOT = Path(__file__).resolve().parents[2]
AS_DISTRIBUTED = ROOT / "tools" / "fonts"

#: letters and signs that must print, whatever the ranges say: Turkish, Azerbaijani, Uzbek Latin
#: (its ʻ and ʼ), Russian, Uzbek and Kazakh Cyrillic, and the symbols of clinical text
MUST_PRINT = (
    "ÇçĞğİıÖöŞşÜü"
    "Əə"
    "OʻoʻGʻgʻʼ"
    "ЁёЙйЩщЪъЫыЭэЮюЯя"
    "ЎўҚқҒғҲҳӘәӨөҮүҰұҢңІі"
    "×≥≤µ±°–—·•…→↔−½¼‰№™©®§¶″′"
    "☐☑☒✓✗⚠✎▸■□●○"
)


@cache
def _characters(path: Path) -> frozenset[int]:
    return frozenset(TTFontFile(str(path)).charToGlyph)


@pytest.mark.parametrize("face", sorted(styles.FONT_FILES.values()))
def test_a_shipped_face_has_every_character_of_the_printed_ranges(face):
    distributed = _characters(AS_DISTRIBUTED / face)
    shipped = _characters(styles.fonts_dir() / face)
    wanted = {
        c for low, high in styles.PRINTED_RANGES for c in range(low, high + 1) if c in distributed
    }
    assert len(wanted) > 2500  # Latin, Greek, Cyrillic, Armenian, Georgian, the symbols
    assert sorted(map(chr, wanted - shipped)) == []
    assert len(shipped) < 0.6 * len(distributed)  # and it is the cut-down face


@pytest.mark.parametrize("face", sorted(styles.FONT_FILES.values()))
def test_the_letters_and_signs_of_the_clinics_print(face):
    shipped = _characters(styles.fonts_dir() / face)
    assert sorted(c for c in MUST_PRINT if ord(c) not in shipped) == []


@cache
def _program_characters() -> frozenset[str]:
    """The characters of the program's modules (its words) and of its rule tables."""
    found: set[str] = set()
    for path in [*(ROOT / "planner").rglob("*.py"), *(ROOT / "resources").rglob("*.toml")]:
        found.update(path.read_text("utf-8"))
    return frozenset(c for c in found if not c.isspace())


@pytest.mark.parametrize("face", sorted(styles.FONT_FILES.values()))
def test_every_character_of_the_programs_words_prints(face):
    distributed = _characters(AS_DISTRIBUTED / face)
    shipped = _characters(styles.fonts_dir() / face)
    used = {ord(c) for c in _program_characters()}
    # Devanagari search words of the rule tables (हल्दी) were never in DejaVu Sans: not printed
    missing = sorted(chr(c) for c in used if c in distributed and c not in shipped)
    assert missing == []
