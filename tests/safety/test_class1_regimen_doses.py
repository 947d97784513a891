"""Issue #15, defect class 1: a drug inside a regimen printed its single-agent dose and schedule.

What must hold (contract §3a):
- every drug of every regimen takes the regimen's own dose and schedule, with its source
  (pembrolizumab + nab-paclitaxel: 100 mg/m2 days 1, 8, 15 every 28 days, not 260 every 3 weeks);
- `loading_dose` is the first cycle's dose (trastuzumab 8 then 6 mg/kg, pertuzumab 840 then
  420 mg), `dose` the maintenance dose;
- a schedule names only the dose its row gives (after a reduction, the reduced dose), and a row
  with no dose names none; the regimen line beside the option is composed from the rows;
- a dose that is not established (cisplatin's old "placeholder") is never printed, and the rule
  loader refuses tables that would break these rules.
The invariant is checked over the demo patients and a generated grid of cases, not only the
cases written here.
"""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from planner.domain.demo_cases import demo_patients
from planner.domain.dose_tables import doses_named
from planner.domain.dosing import dose_inputs, drug_dose
from planner.domain.engine import build_plan, regimen_drug_dose, regimen_schedule
from planner.domain.settings import ClinicSettings
from planner.rules import load_rules
from planner.rules.loader import RulesError
from planner.services import case_commands

NO_DOSE = ("not_recommended", "contraindicated", "insufficient_data")


# ---- cases -----------------------------------------------------------------------------------


def normal_organs(raw: dict[str, Any]) -> dict[str, Any]:
    """The contract example with normal liver, kidney and heart: every band at its first row."""
    labs = raw["labs"]
    labs["bilirubin"] = {"value": 10, "unit": "umol/L", "uln": 21}
    labs["ast"] = {"value": 25, "unit": "U/L", "uln": 40}
    labs["alt"] = {"value": 25, "unit": "U/L", "uln": 45}
    labs["alp"] = {"value": 90, "unit": "U/L", "uln": 130}
    labs["albumin"] = {"value": 42, "unit": "g/L"}
    labs["inr"] = {"value": 1.0}
    labs["creatinine"] = {"value": 60, "unit": "umol/L"}
    raw["previous_labs"] = []
    raw["clinical"].update(ascites="none", encephalopathy="none", lvef_percent=62, dpyd="normal")
    raw["clinical"]["ugt1a1"] = "normal"
    raw["disease"]["cumulative_anthracycline_mg_m2"] = 0
    return raw


TNBC = {"er_percent": 0, "pr_percent": 0, "her2_ihc": "0", "her2_ish": None, "pdl1_cps": 12}
HER2_POSITIVE = {"er_percent": 0, "pr_percent": 0, "her2_ihc": "3+", "her2_ish": None}


def plan_of(rules: Any, raw: dict[str, Any], labels: str = "us") -> dict[str, Any]:
    checked = case_commands.check_case(raw, rules)
    return build_plan(checked.case, checked.doubts, rules, ClinicSettings(labels=labels)).to_json()


def option(plan: dict[str, Any], regimen: str) -> dict[str, Any]:
    found = [o for o in plan["options"] if o["regimen"] == regimen]
    assert found, f"{regimen} not offered: {[o['regimen'] for o in plan['options']]}"
    return found[0]


def drug_row(opt: dict[str, Any], drug: str) -> dict[str, Any]:
    return next(d for d in opt["drugs"] if d["drug"] == drug)


def inputs_of(rules: Any, raw: dict[str, Any]) -> Any:
    checked = case_commands.check_case(raw, rules)
    return dose_inputs(
        checked.case, rules.limits, None, checked.doubts, instruments=rules.instruments
    )


@pytest.fixture
def normal(example_raw):
    return normal_organs(example_raw)


# ---- the examples, through the whole engine -----------------------------------------


def test_pembrolizumab_nab_paclitaxel_gives_the_keynote_355_dose(rules, normal):
    normal["biology"].update(TNBC)
    normal["disease"]["prior_therapy"] = []
    opt = option(plan_of(rules, normal), "pembrolizumab_nab_paclitaxel")
    nab = drug_row(opt, "nab-paclitaxel")
    assert nab["status"] == "standard"
    assert nab["dose"] == {"value": 100.0, "unit": "mg/m2"}
    assert nab["standard_dose"] == {"value": 100.0, "unit": "mg/m2"}
    assert nab["percent_of_standard"] == 100.0
    assert nab["schedule"] == "100 mg/m2 IV over 30 min on days 1, 8 and 15 every 28 days"
    assert "dose.kn355" in {b["source"] for b in nab["basis"]}
    assert "260" not in json.dumps(opt)  # the single-agent dose is nowhere in the option
    pembro = drug_row(opt, "pembrolizumab")
    assert pembro["schedule"] == "200 mg IV every 3 weeks"
    assert opt["schedule"] == (
        "pembrolizumab 200 mg IV every 3 weeks; "
        "nab-paclitaxel 100 mg/m2 IV over 30 min on days 1, 8 and 15 every 28 days"
    )


def test_gemcitabine_carboplatin_gives_1000_with_auc_2_on_days_1_and_8(rules, normal):
    normal["biology"].update(TNBC)
    normal["disease"]["prior_therapy"] = []
    plan = plan_of(rules, normal)
    for regimen in ("gemcitabine_carboplatin", "pembrolizumab_gemcitabine_carboplatin"):
        opt = option(plan, regimen)
        gem, carbo = drug_row(opt, "gemcitabine"), drug_row(opt, "carboplatin")
        assert gem["dose"] == {"value": 1000.0, "unit": "mg/m2"}, regimen
        assert "days 1 and 8 every 21 days" in gem["schedule"]
        assert "paclitaxel" not in gem["schedule"]
        assert "1250" not in json.dumps(opt)
        assert carbo["dose"] == {"value": 2.0, "unit": "AUC"}
        assert carbo["schedule"].startswith("AUC 2 IV on days 1 and 8 every 21 days")
        assert carbo["absolute_dose"]["text"].startswith("AUC 2 ×")


def test_thp_prints_the_loading_doses_and_the_maintenance_doses(rules, normal):
    normal["biology"].update(HER2_POSITIVE)
    normal["disease"]["prior_therapy"] = []
    opt = option(plan_of(rules, normal), "pertuzumab_trastuzumab_docetaxel")
    trastuzumab = drug_row(opt, "trastuzumab")
    assert trastuzumab["dose"] == {"value": 6.0, "unit": "mg/kg"}
    assert trastuzumab["loading_dose"] == {"value": 8.0, "unit": "mg/kg"}
    assert trastuzumab["loading_absolute_dose"]["value"] == pytest.approx(8 * 54.0)
    assert trastuzumab["absolute_dose"]["value"] == pytest.approx(6 * 54.0)
    assert trastuzumab["schedule"].startswith("first cycle 8 mg/kg, then 6 mg/kg IV every 3 weeks")
    pertuzumab = drug_row(opt, "pertuzumab")
    assert pertuzumab["dose"] == {"value": 420.0, "unit": "mg"}
    assert pertuzumab["loading_dose"] == {"value": 840.0, "unit": "mg"}
    assert pertuzumab["schedule"].startswith("first cycle 840 mg, then 420 mg IV every 3 weeks")
    docetaxel = drug_row(opt, "docetaxel")
    assert docetaxel["dose"] == {"value": 75.0, "unit": "mg/m2"}
    assert docetaxel["loading_dose"] is None
    assert docetaxel["schedule"] == "75 mg/m2 IV over 1 h every 3 weeks"


# ---- every regimen's partner doses, straight from the regimen table --------------------------

# (regimen, drug) -> (dose, unit, words the schedule must contain, verified schedule?)
EXPECTED = {
    ("pembrolizumab_nab_paclitaxel", "nab-paclitaxel"): (100, "mg/m2", "days 1, 8 and 15 every 28 days", True),
    ("atezolizumab_nab_paclitaxel", "nab-paclitaxel"): (100, "mg/m2", "days 1, 8 and 15 every 28 days", True),
    ("atezolizumab_nab_paclitaxel", "atezolizumab"): (840, "mg", "every 2 weeks", True),
    ("pembrolizumab_paclitaxel", "paclitaxel"): (90, "mg/m2", "days 1, 8 and 15 every 28 days", True),
    ("pembrolizumab_gemcitabine_carboplatin", "gemcitabine"): (1000, "mg/m2", "days 1 and 8 every 21 days", True),
    ("pembrolizumab_gemcitabine_carboplatin", "carboplatin"): (2, "AUC", "days 1 and 8 every 21 days", True),
    ("gemcitabine_carboplatin", "gemcitabine"): (1000, "mg/m2", "days 1 and 8 every 21 days", True),
    ("paclitaxel_bevacizumab", "paclitaxel"): (90, "mg/m2", "days 1, 8 and 15 every 28 days", True),
    ("pertuzumab_trastuzumab_docetaxel", "docetaxel"): (75, "mg/m2", "every 3 weeks", True),
    ("pertuzumab_trastuzumab_docetaxel", "pertuzumab"): (420, "mg", "every 3 weeks", True),
    ("pertuzumab_trastuzumab_paclitaxel", "paclitaxel"): (80, "mg/m2", "days 1, 8 and 15", True),
    ("tucatinib_trastuzumab_capecitabine", "capecitabine"): (1000, "mg/m2", "twice daily, days 1-14 of a 21-day cycle", True),
    ("tucatinib_trastuzumab_capecitabine", "tucatinib"): (300, "mg", "twice daily", True),
    ("lapatinib_capecitabine", "capecitabine"): (1000, "mg/m2", "twice daily, days 1-14 of a 21-day cycle", True),
    ("lapatinib_capecitabine", "lapatinib"): (1250, "mg", "once daily", True),
    ("neratinib_capecitabine", "capecitabine"): (750, "mg/m2", "twice daily, days 1-14 of a 21-day cycle", True),
    ("neratinib_capecitabine", "neratinib"): (240, "mg", "once daily", True),
    ("margetuximab_chemotherapy", "capecitabine"): (1000, "mg/m2", "twice daily, days 1-14 of a 21-day cycle", False),
    ("margetuximab_chemotherapy", "margetuximab"): (15, "mg/kg", "every 3 weeks", True),
    ("capecitabine", "capecitabine"): (1250, "mg/m2", "twice daily, days 1-14 of a 21-day cycle", True),
}  # fmt: skip


@pytest.mark.parametrize(("regimen_id", "drug"), sorted(EXPECTED))
def test_each_partner_takes_the_regimen_dose(rules, normal, regimen_id, drug):
    value, unit, words, verified = EXPECTED[(regimen_id, drug)]
    regimen = rules.regimens.regimens[regimen_id]
    result = regimen_drug_dose(
        regimen, drug, inputs_of(rules, normal), rules.doses, ClinicSettings(labels="us")
    )
    assert result.status in ("standard", "caution"), result.warnings
    assert (result.dose.value, result.dose.unit) == (value, unit)
    assert (result.standard_dose.value, result.percent_of_standard) == (value, 100.0)
    assert words in result.schedule
    assert doses_named(result.schedule)[-1] == (value, unit)
    schedule_basis = [b for b in result.basis if b.rule == f"{drug}:{result.schedule_id}"]
    assert schedule_basis, "the regimen dose cites its source"
    assert all(b.verified is verified for b in schedule_basis)
    unverified_shown = any(
        w.startswith("UNVERIFIED: the standard schedule") for w in result.warnings
    )
    assert unverified_shown is (not verified)


def test_bevacizumab_with_weekly_paclitaxel_follows_the_label_set(rules, normal):
    regimen = rules.regimens.regimens["paclitaxel_bevacizumab"]
    inputs = inputs_of(rules, normal)
    eu = regimen_drug_dose(regimen, "bevacizumab", inputs, rules.doses, ClinicSettings(labels="eu"))
    assert (eu.dose.value, eu.dose.unit) == (10.0, "mg/kg")
    assert eu.schedule.startswith("10 mg/kg IV every 2 weeks")
    us = regimen_drug_dose(regimen, "bevacizumab", inputs, rules.doses, ClinicSettings(labels="us"))
    assert us.status == "not_recommended"  # no US breast-cancer indication
    assert us.dose is None
    assert not doses_named(us.schedule)


def test_every_regimen_drug_is_dosed_on_the_regimen_schedule(rules, normal):
    """No drug of any regimen falls back to another schedule, under either label set."""
    inputs = inputs_of(rules, normal)
    for regimen in rules.regimens.regimens.values():
        for drug in regimen.drugs:
            for labels in ("us", "eu"):
                settings = ClinicSettings(labels=labels)
                wanted = regimen_schedule(regimen, drug, rules.doses, labels)
                assert wanted in regimen.dose_schedules[drug], (regimen.id, drug, labels)
                result = regimen_drug_dose(regimen, drug, inputs, rules.doses, settings)
                assert result.schedule_id == wanted, (regimen.id, drug, labels)
                assert not any("single-agent dose does not apply" in w for w in result.warnings)


def test_a_regimen_without_the_drug_schedule_gives_no_dose_with_the_reason(rules, normal):
    import dataclasses

    regimen = rules.regimens.regimens["pembrolizumab_nab_paclitaxel"]
    broken = dataclasses.replace(regimen, dose_schedules={"pembrolizumab": ("q3w",)})
    result = regimen_drug_dose(
        broken, "nab-paclitaxel", inputs_of(rules, normal), rules.doses, ClinicSettings()
    )
    assert result.status == "insufficient_data"
    assert result.dose is None
    assert result.schedule is None
    assert any("names no nab-paclitaxel dose" in w for w in result.warnings)


# ---- schedules name only the dose given ------------------------------------------------------


def test_a_reduced_dose_is_the_dose_its_schedule_names(rules, normal):
    normal["clinical"]["dpyd"] = "intermediate"
    inputs = inputs_of(rules, normal)
    capecitabine = drug_dose("capecitabine", inputs, rules.doses, "us")
    assert capecitabine.dose.value == 625.0
    assert capecitabine.schedule == "625 mg/m2 orally twice daily, days 1-14 of a 21-day cycle"

    normal["labs"]["creatinine"] = {"value": 140, "unit": "umol/L"}  # CrCl about 34 mL/min
    inputs = inputs_of(rules, normal)
    talazoparib = drug_dose("talazoparib", inputs, rules.doses, "us")
    assert talazoparib.dose.value == 0.75
    assert doses_named(talazoparib.schedule) == [(0.75, "mg")]


def test_eribulin_reduced_for_child_pugh_a_names_1_1_not_1_4(rules, normal):
    normal["labs"]["bilirubin"] = {"value": 30, "unit": "umol/L", "uln": 21}
    normal["labs"]["albumin"] = {"value": 36, "unit": "g/L"}
    inputs = inputs_of(rules, normal)
    result = drug_dose("eribulin", inputs, rules.doses, "us")
    assert result.status == "reduced", result.warnings
    assert doses_named(result.schedule) == [(result.dose.value, "mg/m2")]
    assert "1.4" not in result.schedule


def test_a_row_without_a_dose_names_no_dose(rules, normal):
    normal["labs"]["bilirubin"] = {"value": 50, "unit": "umol/L", "uln": 21}
    inputs = inputs_of(rules, normal)
    docetaxel = drug_dose("docetaxel", inputs, rules.doses, "us")
    assert docetaxel.status == "not_recommended"
    assert docetaxel.to_json()["schedule"] is None  # no dose, no schedule (contract §3a)


def test_a_later_pass_that_removes_the_dose_removes_it_from_the_schedule(rules, normal):
    """The schedule is composed from the row's dose, so a pass that withholds a dose (a hard
    limit) cannot leave the old dose in the schedule text, nor a loading dose in the JSON."""
    import dataclasses

    regimen = rules.regimens.regimens["pertuzumab_trastuzumab_docetaxel"]
    row = regimen_drug_dose(
        regimen, "trastuzumab", inputs_of(rules, normal), rules.doses, ClinicSettings()
    )
    stopped = dataclasses.replace(row, status="not_recommended", dose=None, absolute_dose=None)
    out = stopped.to_json()
    assert out["loading_dose"] is None
    assert out["loading_absolute_dose"] is None
    assert not doses_named(out["schedule"])


def test_cisplatin_placeholder_is_never_printed_as_a_dose(rules, normal):
    result = drug_dose("cisplatin", inputs_of(rules, normal), rules.doses, "us")
    assert result.status == "insufficient_data"
    assert result.dose is None
    assert result.standard_dose is None
    assert result.absolute_dose is None
    assert not doses_named(result.schedule)
    assert any("no standard cisplatin dose" in w for w in result.warnings)
    for schedule in rules.doses.drugs["cisplatin"].schedules:
        assert "placeholder" not in schedule.timing.lower()


# ---- the loader refuses tables that would print a dose the plan does not give ---------------


def edit(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "regimens.toml",
            'dose_schedules = { pembrolizumab = "q3w", nab-paclitaxel = "d1_8_15_q28" }',
            'dose_schedules = { pembrolizumab = "q3w" }',
            "names no dose schedule for nab-paclitaxel",
        ),
        (
            "regimens.toml",
            'nab-paclitaxel = "d1_8_15_q28" }',
            'nab-paclitaxel = "weekly_100" }',
            "'weekly_100' is not a schedule of nab-paclitaxel",
        ),
        (
            "regimens.toml",
            'eribulin = ["us_mesylate", "eu_base"]',
            'eribulin = "us_mesylate"',
            "0 of \\['us_mesylate'\\] apply to labels 'eu'",
        ),
        (
            "doses/taxanes.toml",
            'timing = "over 30 min on days 1, 8 and 15 every 28 days"',
            'timing = "over 30 min on days 1, 8 and 15 every 28 days (KEYNOTE-355: 100 mg/m2)"',
            "names a dose",
        ),
        (
            "doses/cytotoxics.toml",
            'timing = "every 3 weeks"\npatient_words = "once every 3 weeks"\ndays = [1]\n'
            'cycle_days = 21\nlabels = ["us", "eu"]\nsources = ["dose.cisplatin.schedule"]',
            'timing = "every 3 weeks (placeholder)"\npatient_words = "once every 3 weeks"\n'
            'days = [1]\ncycle_days = 21\nlabels = ["us", "eu"]\n'
            'sources = ["dose.cisplatin.schedule"]',
            "placeholder",
        ),
        (
            "doses/taxanes.toml",
            'schedules = ["q3w"]\nwhen = [{ measure = "bilirubin_x_uln", above = 1.5, upto = 3.0 }',
            'when = [{ measure = "bilirubin_x_uln", above = 1.5, upto = 3.0 }',
            "different standard doses",
        ),
    ],
)
def test_loader_refuses_tables_that_could_print_a_wrong_dose(rules_copy, name, old, new, message):
    edit(rules_copy, name, old, new)
    with pytest.raises(RulesError, match=message):
        load_rules(rules_copy)


# ---- the invariant, over the demo patients and a generated grid ------------------------------


def assert_schedules_name_only_given_doses(plan: dict[str, Any], where: str) -> None:
    for opt in plan["options"]:
        named_in_rows: set[tuple[float, str]] = set()
        for drug in opt["drugs"]:
            at = f"{where}: {opt['regimen']} / {drug['drug']} ({drug['status']})"
            named = doses_named(drug["schedule"])
            dose, loading = drug["dose"], drug["loading_dose"]
            if dose is None:
                assert drug["status"] in NO_DOSE, at
                assert not named, f"{at}: schedule {drug['schedule']!r} names a dose"
                assert loading is None, at
                assert drug["absolute_dose"] is None, at
                continue
            allowed = {(dose["value"], dose["unit"])}
            if loading is not None:
                allowed.add((loading["value"], loading["unit"]))
            assert set(named) <= allowed, f"{at}: {drug['schedule']!r} vs dose {allowed}"
            assert (dose["value"], dose["unit"]) in named, f"{at}: the schedule omits the dose"
            named_in_rows |= allowed
            assert not any("standard schedule is shown" in w for w in drug["warnings"]), at
            assert not any("single-agent dose does not apply" in w for w in drug["warnings"]), at
        # the regimen line printed beside the option names only what its rows give
        assert set(doses_named(opt["schedule"])) <= named_in_rows, f"{where}: {opt['schedule']!r}"


def test_demo_patients_print_only_the_doses_their_rows_give(rules):
    for patient in itertools.islice(demo_patients(40, seed=15), 40):
        for raw in patient:
            for labels in ("us", "eu"):
                plan = plan_of(rules, copy.deepcopy(raw), labels)
                assert_schedules_name_only_given_doses(plan, f"{raw['patient']['mrn']} {labels}")


GRID_BIOLOGY = {
    "hr_low": {"er_percent": 85, "pr_percent": 10, "her2_ihc": "1+", "her2_ish": None},
    "her2_pos": HER2_POSITIVE,
    "tnbc": TNBC,
}
GRID_LINES = {
    "first": [],
    "after_cdk": [
        {"drugs": ["letrozole", "palbociclib"], "setting": "metastatic", "started_on": "2024-01-01",
         "ended_on": "2025-06-01", "reason_stopped": "progression"},
    ],
    "after_her2": [
        {"drugs": ["pertuzumab", "trastuzumab", "docetaxel"], "setting": "metastatic",
         "started_on": "2023-01-01", "ended_on": "2024-01-01", "reason_stopped": "progression"},
        {"drugs": ["trastuzumab deruxtecan"], "setting": "metastatic", "started_on": "2024-02-01",
         "ended_on": "2025-03-01", "reason_stopped": "progression"},
    ],
}  # fmt: skip
GRID_BILIRUBIN = (8, 25, 40, 70, 130)  # umol/L, ULN 21: normal to > 5 x ULN
GRID_AST = (30, 70, 130, 450)  # U/L, ULN 40
GRID_CREATININE = (60, 110, 180, 400)  # umol/L: CrCl from normal to < 15 mL/min


@pytest.mark.parametrize(("biology", "lines"), list(itertools.product(GRID_BIOLOGY, GRID_LINES)))
def test_generated_grid_prints_only_the_doses_its_rows_give(rules, example_raw, biology, lines):
    base = normal_organs(example_raw)
    base["biology"].update(GRID_BIOLOGY[biology])
    base["disease"]["prior_therapy"] = GRID_LINES[lines]
    for bili, ast, creatinine in itertools.product(GRID_BILIRUBIN, GRID_AST, GRID_CREATININE):
        dpyd = "intermediate" if creatinine == 110 else "normal"  # a reduced capecitabine too
        raw = copy.deepcopy(base)
        raw["labs"]["bilirubin"]["value"] = bili
        raw["labs"]["ast"]["value"] = ast
        raw["labs"]["alt"]["value"] = ast
        raw["labs"]["creatinine"]["value"] = creatinine
        raw["clinical"]["dpyd"] = dpyd
        labels = "eu" if (bili + ast) % 2 else "us"
        where = f"{biology}/{lines} bili {bili} ast {ast} creat {creatinine} {dpyd} {labels}"
        assert_schedules_name_only_given_doses(plan_of(rules, raw, labels), where)


def test_a_decided_dose_change_recomposes_the_regimen_line(rules, normal):
    """The clinician's decided dose replaces the suggested one in the regimen line too."""
    from planner.domain.decision import Decision, DoseChange, decided_plan

    normal["biology"].update(TNBC)
    normal["disease"]["prior_therapy"] = []
    plan = plan_of(rules, normal)
    change = DoseChange("nab-paclitaxel", 75.0, "mg/m2", "grade 2 neuropathy")
    decision = Decision(
        course="option",
        regimen="pembrolizumab_nab_paclitaxel",
        reason="first line, PD-L1 CPS 12",
        decided_by="Dr A",
        decided_at="2026-11-20T10:00",
        dose_changes=(change,),
    )
    out = decided_plan({**plan, "decision": decision.to_json()})
    opt = option(out, "pembrolizumab_nab_paclitaxel")
    assert "75 mg/m2" in opt["schedule"]
    assert "100 mg/m2" not in opt["schedule"]
    assert set(doses_named(opt["schedule"])) == {(200.0, "mg"), (75.0, "mg/m2")}
