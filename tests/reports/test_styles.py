"""The markup colours of the printed words are the palette's colours, in the form reportlab's
colour parser reads first (planner/reports/styles.py `markup_color`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib import colors
from reportlab.platypus import Paragraph

from planner.reports import styles


@pytest.mark.parametrize(
    ("markup", "color"),
    [(styles.MUTED_MARKUP, styles.MUTED), (styles.CRITICAL_MARKUP, styles.CRITICAL)],
)
def test_a_markup_colour_is_the_palette_colour(markup: str, color: colors.Color) -> None:
    assert markup.startswith("rgb(")
    parsed = colors.toColor(markup)
    assert (parsed.red, parsed.green, parsed.blue, parsed.alpha) == (
        color.red,
        color.green,
        color.blue,
        color.alpha,
    )
    # and as a paragraph's markup sets it on the words
    styles.register_fonts()
    words = Paragraph(f'a <font color="{markup}">b</font>', styles.clinician_styles().body)
    assert [frag.textColor.rgb() for frag in words.frags][-1] == color.rgb()


def test_the_printed_words_name_no_hex_colour_in_markup() -> None:
    reports = Path(styles.__file__).parent
    offenders = [
        f"{path.name}:{number}"
        for path in sorted(reports.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "<font color='#" in line or '<font color="#' in line
    ]
    assert offenders == []
