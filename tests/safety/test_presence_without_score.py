"""Rule 2 (nurse walkthrough): itch recorded "yes" with no score printed as "pruritus
moderate" — a blank became a default band. A symptom present with no score is shown and printed
as "present, severity not recorded"; advice that depends on its severity says it needs the
score, and only advice that holds at every severity is given."""

from __future__ import annotations

from planner.reports.formatting import severity_words
from planner.services import case_commands


def _itch_present_unscored(example_raw: dict) -> dict:
    example_raw["symptoms"]["pruritus"] = True
    example_raw["symptoms"]["esas"].pop("other", None)
    return case_commands.make_plan(example_raw)


def test_itch_present_without_a_score_has_no_default_severity(example_raw):
    plan = _itch_present_unscored(example_raw)
    itch = next(s for s in plan["supportive"] if s["problem"] == "pruritus")
    assert itch["severity"] is None
    assert "moderate" not in " ".join(itch.get("reasons") or [])
    assert severity_words(itch, example_raw["symptoms"]) == "present, severity not recorded"
    gap = next(g for g in plan["gaps"] if g["field"] == "symptoms.esas.other")
    assert "needs the ESAS-r itch score" in gap["effect"]
    assert "moderate" not in gap["effect"]
    assert itch["interventions"]  # advice that holds at every severity is still given


def test_itch_with_a_score_keeps_its_band(example_raw):
    plan = case_commands.make_plan(example_raw)  # ESAS-r other: itch 6
    itch = next(s for s in plan["supportive"] if s["problem"] == "pruritus")
    assert itch["severity"] in ("mild", "moderate", "severe")
