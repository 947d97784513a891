"""Recheck 21 (F2 row): with fluconazole, letrozole + ribociclib ranked 15 of 15, below every
chemotherapy, in first-line endocrine-sensitive HR+ disease. An option whose label says avoid
with a medicine she takes comes right after the options of its own kind that need no change of
her medicines — not below a different kind of treatment the guideline puts after endocrine
therapy. Where every option of its kind is so avoided (rifampicin: capivasertib, alpelisib,
everolimus; rx21 F5) the kind waits for a change of her medicine and follows the options that
need none (T-DXd first, as the F5 reviewer accepted)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from planner.domain.engine import build_plan
from planner.domain.validation import validate_case

CASES = Path(__file__).parents[1] / "data" / "independent_rx21"


def _plan(rules: Any, prefix: str, **changes: Any) -> dict[str, Any]:
    (path,) = CASES.glob(f"{prefix}_*.json")
    raw = {**json.loads(path.read_text(encoding="utf-8")), **changes}
    case, doubts = validate_case(raw, rules.limits)
    return build_plan(case, doubts, rules).to_json()


def _ranked(plan: dict[str, Any]) -> list[dict[str, Any]]:
    return sorted(plan["options"], key=lambda o: o["rank"])


def test_r01_ribociclib_beside_fluconazole_follows_the_other_ai_cdk46_options(rules):
    options = _ranked(_plan(rules, "R01"))
    order = [o["regimen"] for o in options]
    ribociclib = order.index("letrozole_ribociclib")
    others = [i for i, o in enumerate(options) if o["kind"] == "endocrine_targeted"]
    assert ribociclib == max(others)
    assert order[:2] == ["letrozole_abemaciclib", "letrozole_palbociclib"]
    chemotherapy = [i for i, o in enumerate(options) if o["chemotherapy"]]
    assert chemotherapy
    assert ribociclib < min(chemotherapy)
    (note,) = [n for n in options[ribociclib]["notes"] if "avoid" in n]
    assert "fluconazole" in note
    assert "right after the other endocrine targeted options" in note
    assert "not below a later kind of treatment" in note


def test_r01_without_fluconazole_ribociclib_keeps_its_own_place(rules):
    plan = _plan(rules, "R01", medications=[])
    ribociclib = next(o for o in plan["options"] if o["regimen"] == "letrozole_ribociclib")
    assert not any("avoid" in n for n in ribociclib["notes"])
    assert ribociclib["rank"] <= 3


def test_r02_rifampicin_every_pi3k_akt_mtor_option_after_those_that_need_no_change(rules):
    options = _ranked(_plan(rules, "R02"))
    avoided = [o for o in options if any("the label says avoid" in n for n in o["notes"])]
    assert {o["regimen"] for o in avoided} >= {
        "capivasertib_fulvestrant",
        "alpelisib_fulvestrant",
        "everolimus_exemestane",
    }
    assert options[0]["regimen"] == "trastuzumab_deruxtecan_chemo_naive"
    usable = [
        o
        for o in options
        if o not in avoided and not any(n.startswith("not recommended") for n in o["notes"])
    ]
    assert max(o["rank"] for o in usable) < min(o["rank"] for o in avoided)
    for option in avoided:
        (note,) = [n for n in option["notes"] if "the label says avoid" in n]
        assert "every endocrine targeted option is one whose label says avoid" in note
