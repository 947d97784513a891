"""Walk 23 #17 (left open by fixwalk23c): where her baseline liver tests were raised, each graded
term said "graded in × ULN as the label writes its grades" and the drug's own reason said it
again: on the decision page and the cycle sheet the same sentence three times for ALT, AST and
capecitabine. Which grading a drug reads is said once, in that drug's reason; each term keeps
its own numbers (× ULN, and the CTCAE v5 grade against her baseline)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.independent_review import plan_json

CASE = (
    Path(__file__).resolve().parents[1]
    / "data"
    / "cases"
    / "cycle_review"
    / "01_capecitabine_hfs_g2_second_unresolved.json"
)


def test_the_grading_is_said_once_per_drug(rules):
    plan = plan_json(json.loads(CASE.read_text(encoding="utf-8")), rules)
    (capecitabine,) = plan["next_cycle"]["drugs"]
    reasons = " ".join(capecitabine["reasons"])
    assert reasons.count("writes its grades") == 1
    assert "as capecitabine's label writes its grades, not against her raised baseline" in reasons
    # each raised term keeps both of its numbers
    assert "ALT 1.22 × ULN; against her raised baseline of 1.22 × ULN, CTCAE v5 grade 0" in reasons
    assert "AST 1.5 × ULN; against her raised baseline of 1.5 × ULN, CTCAE v5 grade 0" in reasons
    graded = {g["term"]: g for g in plan["next_cycle"]["graded"]}
    alt = graded["alanine_aminotransferase_increased"]
    assert alt["against_baseline"] is True
    assert "writes its grades" not in (alt.get("finding") or "")
