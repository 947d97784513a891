"""Make the printed plan's fonts: DejaVu Sans cut down to what a printed plan can show.

    python -m venv /tmp/fonttools && /tmp/fonttools/bin/pip install fonttools
    /tmp/fonttools/bin/python tools/subset_fonts.py

Reads the faces as distributed (tools/fonts/DejaVuSans.ttf and -Bold.ttf, DejaVu 2.37) and writes
resources/fonts/ with the characters of planner.reports.styles.PRINTED_RANGES that each face has,
everything else of the font kept (outlines, hinting, metrics, names, layout tables). Run it again
after changing PRINTED_RANGES, and commit both faces; tests/reports/test_fonts.py fails while a
character of those ranges, or one the program's words use, is missing from a shipped face.

Why: reportlab parses a TrueType face in pure Python in every process that prints; DejaVu Sans
holds ~6,000 glyphs, of which a plan can show about half (docs/decisions.md, "Speed targets").
fontTools is needed only here, not by the program or its tests.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "tools" / "fonts"
TARGET = ROOT / "resources" / "fonts"
FILES = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


def printed_ranges() -> tuple[tuple[int, int], ...]:
    """PRINTED_RANGES, read from planner/reports/styles.py without importing reportlab."""
    tree = ast.parse((ROOT / "planner" / "reports" / "styles.py").read_text("utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "PRINTED_RANGES":
            return ast.literal_eval(node.value)
    raise SystemExit("PRINTED_RANGES not found in planner/reports/styles.py")


def subset_face(source: Path, target: Path, ranges: tuple[tuple[int, int], ...]) -> str:
    font = TTFont(source)
    mapped = font.getBestCmap()
    wanted = sorted(c for low, high in ranges for c in range(low, high + 1) if c in mapped)
    options = subset.Options()
    options.name_IDs = ["*"]  # names, copyright and licence notice kept whole
    options.name_languages = ["*"]
    options.name_legacy = True
    options.notdef_outline = True
    options.glyph_names = True
    options.layout_features = ["*"]
    options.legacy_kern = True
    options.drop_tables = [*options.drop_tables, "FFTM"]  # FontForge's timestamps
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    font.save(target)
    return (
        f"{target.relative_to(ROOT)}: {len(wanted)} of {len(mapped)} characters, "
        f"{len(font.getGlyphOrder())} glyphs"
    )


def main() -> int:
    ranges = printed_ranges()
    for name in FILES:
        sys.stdout.write(subset_face(SOURCE / name, TARGET / name, ranges) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
