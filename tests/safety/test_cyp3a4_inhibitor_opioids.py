"""A CYP3A4-inhibiting cancer drug beside a CYP3A4-substrate opioid or sedative (misc23 item 1).

Defect class: the plan offered letrozole + ribociclib as option 1 and, for her severe pain,
oxycodone or transdermal fentanyl, and said nothing of the pair on the option, on the pain line
or anywhere else; with oxycodone among her own medicines it printed "continue, nothing found".
Ribociclib (KISQALI §7), tucatinib (TUKYSA §7.2), lapatinib (TYKERB §7), capivasertib (TRUQAP
§7) and palbociclib (IBRANCE §7.3) inhibit CYP3A4; the oxycodone and fentanyl labels' boxed
warning says every CYP3A4 inhibitor may raise their levels (fatal respiratory depression), the
methadone boxed warning and the midazolam label the same of theirs. The labels' answer: the
opioid is reviewed (another opioid, or a lower dose and close watch), the cancer drug keeps its
dose and its place (no label gives it another dose for the pair).

Read as the clinician reads it: the plan document, the why panel's text on screen and the
printed evidence appendix (pypdf).
"""

from __future__ import annotations

import copy
import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from planner.reports.render import render_plan_pdf
from tests.independent_review import case_in, plan_json

DATA = Path(__file__).parents[1] / "data"
RX21 = DATA / "independent_rx21"
RX22 = DATA / "independent_rx22"

RULE = "ix.cyp3a4_inhibitor.opioid_sedative"
VICTIMS = {"fentanyl", "oxycodone", "methadone", "midazolam"}
# (review folder, case, the option's CYP3A4-inhibiting drug)
OPTIONS = [
    (RX21, "R01", "ribociclib"),
    (RX21, "R01", "palbociclib"),
    (RX22, "R04", "capivasertib"),
    (RX22, "R06", "tucatinib"),
    (RX22, "R06", "lapatinib"),
]


def _in_pain(folder, prefix: str, medications: list[dict[str, Any]] | None = None) -> dict:
    """The review's case with severe pain (strong opioids suggested) and only `medications`."""
    raw = copy.deepcopy(case_in(folder, prefix))
    raw["symptoms"]["esas"]["pain"] = 8
    raw["medications"] = medications or []
    raw["herbal_or_traditional"] = []
    return raw


def _rows(plan: dict[str, Any], drug: str) -> list[dict[str, Any]]:
    return [d for o in plan["options"] for d in o["drugs"] if d["drug"] == drug]


def _pain(plan: dict[str, Any]) -> dict[str, Any]:
    (pain,) = [s for s in plan["supportive"] if s["problem"] == "pain"]
    return pain


def _suggested(item: dict[str, Any]) -> set[str]:
    return {d for i in item["intervention_details"] for d in i["drugs"]}


@pytest.fixture(scope="module")
def planned(rules):
    cache: dict[tuple[str, str], dict[str, Any]] = {}

    def plan(folder, prefix: str) -> dict[str, Any]:
        key = (str(folder), prefix)
        if key not in cache:
            cache[key] = plan_json(_in_pain(folder, prefix), rules)
        return cache[key]

    return plan


def test_the_rule_holds_the_labels_inhibitors_and_victims(rules):
    (rule,) = [r for r in rules.interactions.interactions if r.cited.id == RULE]
    assert set(rule.taken_drugs) == VICTIMS
    assert set(rule.with_drugs) == {d for _, _, d in OPTIONS}
    assert rule.either_way
    assert rule.action == "review"
    # the cancer drugs' labels and the opioid labels, each its own primary
    sources = set(rule.cited.sources)
    for cited in (
        "ix.src.kisqali_cyp3a_substrates",
        "ix.src.tukysa_cyp3a_substrates",
        "ix.src.tykerb_cyp3a_substrates",
        "ix.src.truqap_cyp3a_substrates",
        "ix.src.oxycodone_boxed_cyp3a4",
        "ix.src.fentanyl_boxed_cyp3a4",
    ):
        assert cited in sources
    # only what was read in the primary is verified; the row as a whole is not (rule 6)
    assert not rule.cited.verified
    catalogue = rules.sources
    assert catalogue["ix.src.oxycodone_boxed_cyp3a4"].verified
    assert not catalogue["ix.src.kisqali_cyp3a_substrates"].verified


@pytest.mark.parametrize(("folder", "prefix", "drug"), OPTIONS)
def test_the_pain_line_names_the_option_drug_beside_the_suggested_opioid(
    planned, folder, prefix, drug
):
    plan = planned(folder, prefix)
    assert _rows(plan, drug), f"{drug} is not among the options of {prefix}"
    pain = _pain(plan)
    victims = _suggested(pain) & VICTIMS
    assert victims, _suggested(pain)
    flagged = [i for i in pain["interactions"] if drug in i["with"]]
    assert flagged, pain["interactions"]
    (flag,) = [i for i in flagged if set(i["supportive"]) & VICTIMS]
    assert set(flag["supportive"]) == victims
    assert "CYP3A4" in flag["message"]
    assert "respiratory depression" in flag["message"]
    assert "unverified" in flag["message"]
    assert any(b["rule"] == RULE for b in flag["basis"])
    assert "drug_interaction" in {a["code"] for a in plan["alerts"]}


@pytest.mark.parametrize(("folder", "prefix", "drug"), OPTIONS)
def test_the_option_row_says_so_and_keeps_its_dose(planned, rules, folder, prefix, drug):
    plan = planned(folder, prefix)
    bare = copy.deepcopy(_in_pain(folder, prefix))
    bare["symptoms"]["esas"]["pain"] = 0  # no strong opioid suggested
    without = plan_json(bare, rules)
    for row, before in zip(_rows(plan, drug), _rows(without, drug), strict=True):
        if row["dose"] is None:
            continue  # a drug not given is not given beside anything
        said = [w for w in row["warnings"] if w.startswith("supportive care (pain) suggests")]
        assert said, row["warnings"]
        assert "CYP3A4" in said[0]
        assert any(b["rule"] == RULE for b in row["basis"])
        # the opioid is the one reviewed: the cancer drug keeps its dose, status and place
        assert row["dose"] == before["dose"]
        assert row["status"] == before["status"]
    ranks = [(o["regimen"], o["rank"]) for o in plan["options"]]
    assert ranks == [(o["regimen"], o["rank"]) for o in without["options"]]


@pytest.mark.parametrize("victim", sorted(VICTIMS))
@pytest.mark.parametrize(("folder", "prefix", "drug"), OPTIONS)
def test_a_victim_she_takes_is_reviewed_and_the_option_row_says_why(
    rules, folder, prefix, drug, victim
):
    raw = _in_pain(folder, prefix, [{"drug": victim, "indication": "as prescribed"}])
    raw["symptoms"]["esas"]["pain"] = 2
    plan = plan_json(raw, rules)
    (medicine,) = [m for m in plan["medications"] if m["drug"] == victim]
    assert medicine["action"] in {"review", "change"}, medicine["reasons"]
    assert any("CYP3A4" in r and drug in r for r in medicine["reasons"]), medicine["reasons"]
    assert "medicine_interaction" in {a["code"] for a in plan["alerts"]}
    for row in _rows(plan, drug):
        if row["dose"] is None:
            continue
        assert any(w.startswith(f"she takes {victim}") and "CYP3A4" in w for w in row["warnings"])


def test_she_takes_oxycodone_never_continue_nothing_found(rules):
    raw = _in_pain(RX21, "R01", [{"drug": "oxycodone", "dose": {"value": 10, "unit": "mg"}}])
    plan = plan_json(raw, rules)
    (oxycodone,) = plan["medications"]
    assert oxycodone["action"] == "review"
    assert not any("nothing found" in r for r in oxycodone["reasons"])


def test_morphine_alone_is_not_flagged(rules):
    # morphine is not cleared by CYP3A4: she takes it beside ribociclib, nothing of CYP3A4 said
    raw = _in_pain(RX21, "R01", [{"drug": "morphine", "indication": "pain"}])
    raw["symptoms"]["esas"]["pain"] = 2
    plan = plan_json(raw, rules)
    (morphine,) = plan["medications"]
    assert not any("CYP3A4" in r for r in morphine["reasons"])
    for row in _rows(plan, "ribociclib"):
        assert not any("CYP3A4" in w and "morphine" in w for w in row["warnings"])


def test_screen_and_paper_say_what_the_plan_says(planned):
    from planner.domain.plan_document import read_plan
    from planner.ui.why import why_html

    plan = planned(RX21, "R01")
    pain = _pain(plan)
    (flag,) = [i for i in pain["interactions"] if "ribociclib" in i["with"]]
    (row,) = _rows(plan, "ribociclib")
    (note,) = [w for w in row["warnings"] if w.startswith("supportive care (pain) suggests")]

    document = read_plan(plan)
    (item,) = [s for s in document.supportive if s.problem == "pain"]
    screen_item = " ".join(why_html(item).split())
    assert "ribociclib" in screen_item
    assert "CYP3A4" in screen_item
    (drug_row,) = [d for o in document.options for d in o.drugs if d.drug == "ribociclib"]
    screen_row = " ".join(why_html(drug_row).split())
    assert "supportive care (pain) suggests" in screen_row

    pdf = render_plan_pdf(
        plan,
        patient={"family_name": "Moreau", "given_name": "Claire", "mrn": "RX21-R01"},
        clinic={"name": "Clinic", "phone": "+33 1 00 00 00 00"},
        evidence=True,
        invariant=True,
    )
    text = " ".join(
        " ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages
    )
    flat = " ".join(text.split())
    # the pain line and option 1's ribociclib row, as printed (the words wrap, not change)
    assert "inhibits CYP3A4, which clears fentanyl, oxycodone" in flat
    assert flat.count("inhibits CYP3A4, which clears fentanyl, oxycodone") >= 2
    assert flag["message"].split(":")[0] in flat
    assert "supportive care (pain) suggests" in flat.lower() or "Supportive care (pain)" in flat
    assert note  # the JSON row the screen and the paper both print
