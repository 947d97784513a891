"""Walk 16d: the why panel's "What it means" repeated the headline the nurse had just read.
What the title above the panel says is not said again; what it does not say still is."""

from __future__ import annotations

import html
import re

from planner.domain.evidence import Gap
from planner.domain.plan_document import read_alert
from planner.services import case_commands
from planner.ui.plan_text import plan_text_html
from planner.ui.why import why_html

ALERT = read_alert(
    {
        "level": "warning",
        "code": "weight_loss",
        "message": "Significant weight loss: dietitian assessment. — 8 % in 3 months",
        "reasons": ["weight 58 kg, 63 kg three months ago"],
    },
    "alerts[0]",
)
TITLE = "Warning: Significant weight loss: dietitian assessment."


def _section(shown: str, name: str) -> list[str]:
    after = shown.split(f"<b>{name}</b>", 1)
    if len(after) == 1:
        return []
    body = after[1].split("<p><b>", 1)[0]
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", body)]


def test_the_meaning_the_title_already_says_is_not_repeated():
    assert _section(why_html(ALERT), "What it means") == ["Significant weight loss"]
    titled = why_html(ALERT, title=TITLE)
    assert _section(titled, "What it means") == []
    assert _section(titled, "What was found") == ["weight 58 kg, 63 kg three months ago"]
    assert _section(titled, "What to do") == ["Dietitian assessment."]


def test_a_meaning_the_title_does_not_say_is_kept():
    gap = Gap("clinical.edema", "no PPI score")
    assert _section(why_html(gap, title="Oedema"), "What it means") == ["no PPI score"]
    assert _section(why_html(ALERT, title="Weight"), "What it means") == ["Significant weight loss"]


def test_no_line_of_the_whole_plan_text_repeats_its_title_under_what_it_means(example_raw):
    plan = case_commands.make_plan(example_raw)
    shown = plan_text_html(plan, "dd/mm/yyyy")
    blocks = re.findall(r"<h[34]>(.*?)</h[34]>(.*?)(?=<h[234]>|$)", shown, re.S)
    assert len(blocks) > 10
    repeated = [
        (title, line)
        for title, body in blocks
        for line in _section(body, "What it means")
        if line.strip().casefold() in html.unescape(title).casefold()
    ]
    assert repeated == []
