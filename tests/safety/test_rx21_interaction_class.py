"""rx21 F2, F4, F5 as classes, beyond the reviewer's examples.

F2: every drug known to prolong QT that the catalogue holds reaches ribociclib (KISQALI §7.4),
and the supportive QT group (the nausea advice) names the same medicines. F4: every strong
P-gp/CYP3A inducer beside apixaban or rivaroxaban, and the azoles that raise them, make the
anticoagulant `review`, never "continue, nothing found" (ELIQUIS §7.2, XARELTO §7). F5: the
labels' "avoid strong CYP3A inducers" (TRUQAP, PIQRAY, AFINITOR, the CDK4/6 inhibitors) reaches
the drug's row and the ranking; AFINITOR's dose increase with an inducer is shown as the label
says it, never given.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from planner.domain.engine import build_plan
from planner.domain.validation import validate_case

CASES = Path(__file__).parents[1] / "data" / "independent_rx21"


def _raw(prefix: str) -> dict[str, Any]:
    (path,) = CASES.glob(f"{prefix}_*.json")
    return json.loads(path.read_text(encoding="utf-8"))


def _plan(raw: dict[str, Any], rules) -> dict[str, Any]:
    case, doubts = validate_case(raw, rules.limits)
    assert not [d for d in doubts if d.field.startswith("medications")], doubts
    return build_plan(case, doubts, rules).to_json()


def _rows(plan: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [d for o in plan["options"] for d in o["drugs"] if d["drug"] == drug]


def _said(row: dict[str, Any]) -> str:
    return " ".join([row.get("stop_reason") or "", *(row.get("warnings") or ())])


def _medicine(plan: dict[str, Any], drug: str) -> dict[str, Any]:
    return next(m for m in plan["medications"] if m["drug"] == drug)


# ---- F2: QT ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "medicine",
    [
        "fluconazole",
        "azithromycin",
        "levofloxacin",
        "moxifloxacin",
        "sotalol",
        "hydroxychloroquine",
    ],
)
def test_each_added_qt_drug_is_accepted_and_reaches_ribociclib(rules, medicine):
    raw = _raw("R01")
    raw["medications"] = [{"drug": medicine, "indication": "as prescribed"}]
    plan = _plan(raw, rules)
    (ribociclib,) = _rows(plan, "ribociclib")
    assert ribociclib["status"] == "caution"
    assert ribociclib["dose"]["value"] == 600.0  # the label gives no other dose for it
    assert medicine in _said(ribociclib)
    assert "QT" in _said(ribociclib)
    assert _medicine(plan, medicine)["action"] != "continue"


def test_fluconazole_beside_ribociclib_names_the_diflucan_contraindication(rules):
    plan = _plan(_raw("R01"), rules)
    found = [
        f
        for f in plan["medication_findings"]
        if f["taken"] == ["fluconazole"] and "ribociclib" in f["suggested"]
    ]
    assert any("DIFLUCAN §4" in f["message"] and f["verified"] for f in found)
    assert _medicine(plan, "fluconazole")["action"] == "change"


def test_the_supportive_qt_group_holds_the_same_medicines_as_the_interaction_group(rules):
    # the antiemetics the nausea advice names itself are left out of the supportive group
    # (supportive_plan.toml); every other QT medicine must steer the advice the same way
    advice_names = {"haloperidol", "levomepromazine", "domperidone", "ondansetron"}
    interaction = set(rules.interactions.groups["qt_prolonging"].drugs) - advice_names
    (group,) = [g for g in rules.supportive.drug_groups if g.id == "sup.group.qt_prolonging"]
    assert set(group.drugs) - {"ribociclib"} == interaction


# ---- F4: direct oral anticoagulants beside her other medicines -----------------------------------


@pytest.mark.parametrize("inducer", ["rifampicin", "carbamazepine", "phenytoin"])
@pytest.mark.parametrize("anticoagulant", ["apixaban", "rivaroxaban"])
def test_a_strong_inducer_beside_apixaban_or_rivaroxaban_is_reviewed(rules, inducer, anticoagulant):
    raw = copy.deepcopy(_raw("R02"))
    raw["medications"] = [{"drug": inducer}, {"drug": anticoagulant}]
    plan = _plan(raw, rules)
    doac = _medicine(plan, anticoagulant)
    assert doac["action"] == "review", doac["reasons"]
    assert any("avoid" in r and "stroke" in r for r in doac["reasons"])
    assert _medicine(plan, inducer)["action"] in {"review", "change"}


def test_st_johns_wort_beside_apixaban_is_reviewed(rules):
    raw = copy.deepcopy(_raw("R02"))
    raw["medications"] = [{"drug": "apixaban"}]
    raw["herbal_or_traditional"] = ["St John's wort tea"]
    plan = _plan(raw, rules)
    assert _medicine(plan, "apixaban")["action"] == "review"


def test_itraconazole_beside_apixaban_says_the_label_halves_it_without_a_dose(rules):
    raw = copy.deepcopy(_raw("R02"))
    raw["medications"] = [{"drug": "itraconazole"}, {"drug": "apixaban"}]
    plan = _plan(raw, rules)
    (reason,) = [r for r in _medicine(plan, "apixaban")["reasons"] if "ELIQUIS" in r]
    assert "halves" in reason
    assert " mg" not in reason


def test_clarithromycin_beside_apixaban_needs_no_change(rules):
    # ELIQUIS §7.1: clarithromycin, though a strong CYP3A4 inhibitor, needs no apixaban change
    raw = copy.deepcopy(_raw("R02"))
    raw["medications"] = [{"drug": "clarithromycin"}, {"drug": "apixaban"}]
    plan = _plan(raw, rules)
    assert not any("ELIQUIS" in r for r in _medicine(plan, "apixaban")["reasons"])


# ---- F5: the label's "avoid" with what she takes reaches the row and the ranking -----------------


def _normal_liver(raw: dict[str, Any]) -> dict[str, Any]:
    raw = copy.deepcopy(raw)
    labs = raw["labs"]
    labs["bilirubin"]["value"] = 10
    labs["ast"]["value"] = 30
    labs["alp"]["value"] = 100
    labs["albumin"]["value"] = 40
    labs["inr"]["value"] = 1.0
    raw["clinical"]["ascites"] = "none"
    raw["medications"] = [m for m in raw["medications"] if m["drug"] != "apixaban"]
    return raw


def test_r02_the_avoided_options_say_why_and_come_after_t_dxd(rules):
    plan = _plan(_raw("R02"), rules)
    by_regimen = {o["regimen"]: o for o in plan["options"]}
    t_dxd = by_regimen["trastuzumab_deruxtecan_chemo_naive"]
    for regimen, drug in [
        ("capivasertib_fulvestrant", "capivasertib"),
        ("alpelisib_fulvestrant", "alpelisib"),
        ("everolimus_exemestane", "everolimus"),
    ]:
        option = by_regimen[regimen]
        assert option["rank"] > t_dxd["rank"], regimen
        assert any("avoid" in n and "rifampicin" in n for n in option["notes"]), option["notes"]
        (row,) = [d for d in option["drugs"] if d["drug"] == drug]
        assert any("avoid" in w and "listed after" in w for w in row["warnings"])
    assert "label says avoid" in plan["options"][0]["rank_reason"]


def test_everolimus_full_dose_with_rifampicin_shows_the_labels_titration_and_gives_10_mg(rules):
    plan = _plan(_normal_liver(_raw("R02")), rules)
    (row,) = [
        d
        for o in plan["options"]
        if o["regimen"] == "everolimus_exemestane"
        for d in o["drugs"]
        if d["drug"] == "everolimus"
    ]
    assert row["dose"]["value"] == 10.0  # the plan's dose; the label's titration is not given
    (said,) = [w for w in row["warnings"] if "titration" in w]
    assert "up to double the usual daily dose" in said
    assert "20 mg" not in said  # rule 3: no dose the plan does not give
    assert "not the plan's dose" in said
    # AROMASIN §2.2: exemestane 50 mg with the same inducer, given (a label dose, not avoided)
    (exemestane,) = [
        d
        for o in plan["options"]
        if o["regimen"] == "everolimus_exemestane"
        for d in o["drugs"]
        if d["drug"] == "exemestane"
    ]
    assert exemestane["dose"]["value"] == 50.0


def test_a_first_line_cdk46_option_beside_rifampicin_ranks_after_endocrine_therapy_alone(rules):
    raw = _normal_liver(_raw("R01"))
    raw["medications"] = [{"drug": "rifampicin", "indication": "tuberculosis"}]
    plan = _plan(raw, rules)
    first = plan["options"][0]
    assert not {d["drug"] for d in first["drugs"]} & {"palbociclib", "ribociclib", "abemaciclib"}


def test_ribociclib_beside_citalopram_ranks_after_the_other_cdk46_inhibitors(rules):
    raw = _raw("R01")
    raw["medications"] = [{"drug": "citalopram", "indication": "depression"}]
    plan = _plan(raw, rules)
    ranks = {
        d["drug"]: o["rank"]
        for o in plan["options"]
        for d in o["drugs"]
        if d["drug"] in {"palbociclib", "ribociclib", "abemaciclib"}
    }
    assert ranks["ribociclib"] > max(ranks["palbociclib"], ranks["abemaciclib"])


def test_cycle_everolimus_10_mg_with_rifampicin_continues_and_shows_the_labels_titration(rules):
    # AFINITOR §2: avoid strong inducers; if needed, the prescriber raises the dose in steps.
    # The cycle row keeps 10 mg (no hold: under-exposure is not toxicity) and shows the label's
    # words; AROMASIN §2.2 gives exemestane 50 mg with the same inducer
    raw = _raw("T05")
    raw["medications"] = [{"drug": "rifampicin", "indication": "tuberculosis"}]
    plan = _plan(raw, rules)
    cycle = {d["drug"]: d for d in plan["next_cycle"]["drugs"]}
    everolimus = cycle["everolimus"]
    assert (everolimus["action"], everolimus["dose"]["value"]) == ("continue", 10.0)
    said = " ".join(everolimus["reasons"])
    assert "avoid strong CYP3A4 inducers" in said
    assert "up to double the usual daily dose" in said
    assert "20 mg" not in said  # rule 3: no dose the plan does not give
    assert "not the plan's dose" in said
    assert cycle["exemestane"]["dose"]["value"] == 50.0


def test_the_medicine_alert_names_fluconazole_once_under_its_strongest_action(rules):
    plan = _plan(_raw("R01"), rules)
    (alert,) = [a for a in plan["alerts"] if a["code"] == "medicine_interaction"]
    head = alert["message"].split(" — ")[0]
    assert head.endswith(": change fluconazole")
