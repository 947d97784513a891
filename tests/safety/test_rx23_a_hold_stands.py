"""rx23 F5: an entered side effect that no row of the label names does not undo a hold another
row makes. Pembrolizumab with immune colitis grade 3 (KEYTRUDA §2.3 Table 1: grade 2 or 3,
withhold) and its diarrhoea entered as its own grade-3 line: the hold stands, the diarrhoea is
said, and the dose it restarts at is the clinician's (no dose printed); paclitaxel, to which no
entry is put down, is given. The unnamed entry alone still leaves the drug undecided."""

from __future__ import annotations

import copy
from typing import Any

from tests.independent_review import case_in, plan_json

from .test_independent_rx23 import CASES


def _p01(keep: tuple[str, ...] = ("colitis", "diarrhea")) -> dict[str, Any]:
    raw = copy.deepcopy(case_in(CASES, "P01"))
    raw["treatment"]["toxicities"] = [
        t for t in raw["treatment"]["toxicities"] if t["term"] in keep
    ]
    return raw


def _rows(plan: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {d["drug"]: d for d in plan["next_cycle"]["drugs"]}


def test_colitis_with_its_diarrhoea_holds_pembrolizumab_and_gives_paclitaxel(rules):
    plan = plan_json(_p01(), rules)
    rows = _rows(plan)
    pembro, paclitaxel = rows["pembrolizumab"], rows["paclitaxel"]
    assert (pembro["action"], pembro["dose"]) == ("hold", None)
    said = " ".join(pembro["reasons"])
    assert "withhold" in said
    assert "diarrhoea grade 3" in said
    assert "restarts at is the clinician's decision" in said
    assert (paclitaxel["action"], paclitaxel["dose"]["value"]) == ("continue", 90)
    assert not any("another drug's rule" in r for r in paclitaxel["reasons"])
    assert plan["next_cycle"]["decision"] == "delay"
    assert any(
        g["field"] == "treatment.toxicities[1]" and g["effect"].startswith("restart dose")
        for g in plan["gaps"]
    )


def test_colitis_alone_holds_with_the_label_s_restart_dose(rules):
    pembro = _rows(plan_json(_p01(("colitis",)), rules))["pembrolizumab"]
    assert pembro["action"] == "hold"
    assert pembro["dose"]["value"] == 200


def test_the_unnamed_severe_entry_alone_is_still_the_clinician_s(rules):
    plan = plan_json(_p01(("diarrhea",)), rules)
    assert _rows(plan)["pembrolizumab"]["action"] == "insufficient_data"
    assert _rows(plan)["pembrolizumab"]["dose"] is None
