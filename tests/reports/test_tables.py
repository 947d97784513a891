"""Paragraph fragments made without reportlab's HTML parser are the ones its parser makes."""

from __future__ import annotations

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

from planner.reports import styles, tables

EDGE_CASES = [
    "",
    "plain words · 1.67 × ULN ≥ 1.5, Каримова",
    "a &amp; b &lt;c&gt; &amp;&amp;",
    "&amp;",
    "<b>bold</b> plain <i>italic</i>",
    "x<br/>y",
    "<b>x<br/>y</b><br/>",
    "<br/>",
    "<font size=7 color='#555555'>small <b>bold &amp; more</b></font> tail",
    '<font color="#b00020"><b>(unverified)</b></font>',
    "<b>a</b><b>b</b>",
    "  spaced\n  over   lines  ",
]
# Markup beyond what the story makes: left to reportlab's parser.
PARSER_ONLY = [
    "a < b",
    "<u>under</u>",
    "<b>unclosed",
    "</b>",
    "<b><i>crossed</b></i>",
    "&nbsp;",
    "&#169;",
    "& alone",
    "<font>no attributes</font>",
    "<font face='Helvetica'>another face</font>",
    "<br />",
    "<B>upper</B>",
    "<para alignment='center'>x</para>",
]


def _parsed(cleaned: str, style) -> list[dict]:
    parser = ParaParser()
    parser.caseSensitive = 1
    _, frags, _ = parser.parse(cleaned, style)
    return [dict(vars(f)) for f in frags]


def _made(cleaned: str, style) -> list[dict] | None:
    frags = tables._fragments(cleaned, style)
    return None if frags is None else [dict(vars(f)) for f in frags]


@pytest.mark.parametrize("markup", EDGE_CASES)
def test_fragments_match_the_parser(markup):
    for style in (styles.clinician_styles().cell, styles.booklet_styles().bullet):
        cleaned = cleanBlockQuotedText(markup)
        assert _made(cleaned, style) == _parsed(cleaned, style)


@pytest.mark.parametrize("markup", PARSER_ONLY)
def test_other_markup_is_left_to_the_parser(markup):
    assert tables._fragments(cleanBlockQuotedText(markup), styles.clinician_styles().cell) is None


def _family(bold: str) -> None:
    pdfmetrics.registerFontFamily(
        styles.FONT, normal=styles.FONT, bold=bold, italic=styles.FONT, boldItalic=bold
    )


def test_a_remapped_font_family_is_followed_not_remembered():
    """Registering a font again makes it its own family (reportlab's registry is global): the
    fragments made afterwards follow the registry as the parser does."""
    style = styles.clinician_styles().cell
    markup = "plain <b>bold</b> <i>italic</i>"

    def bold_font() -> str:
        made = _made(markup, style)
        assert made == _parsed(markup, style)
        return next(f["fontName"] for f in made if f["text"] == "bold")

    try:
        _family(styles.FONT_BOLD)  # as styles.register_fonts leaves it
        assert bold_font() == styles.FONT_BOLD
        _family(styles.FONT)
        assert bold_font() == styles.FONT
    finally:
        _family(styles.FONT_BOLD)
    assert bold_font() == styles.FONT_BOLD


def test_every_paragraph_of_the_plan_matches_the_parser(render, monkeypatch):
    seen = []
    made = tables._fragments

    def record(cleaned, style):
        seen.append((cleaned, style))
        return made(cleaned, style)

    monkeypatch.setattr(tables, "_fragments", record)
    for audience in ("both", "clinician", "patient"):
        render(audience=audience)
    monkeypatch.undo()
    assert len(seen) > 200
    for cleaned, style in seen:
        assert _made(cleaned, style) == _parsed(cleaned, style), cleaned


def test_made_fragments_do_not_change_a_byte(render, monkeypatch):
    made = render()
    monkeypatch.setattr(tables, "_fragments", lambda cleaned, style: None)
    assert render() == made
