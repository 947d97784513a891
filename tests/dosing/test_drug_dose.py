"""Known answers of `drug_dose` at and around band edges, evidence, gaps and doubts."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from planner import cli
from planner.domain.dosing import DoseInputs, dose_inputs, drug_dose
from planner.domain.settings import ClinicSettings
from planner.services.case_commands import check_case


def _inputs(rules: Any, raw: dict[str, Any], settings: ClinicSettings | None = None) -> DoseInputs:
    checked = check_case(raw, rules)
    return dose_inputs(
        checked.case, rules.limits, settings, checked.doubts, instruments=rules.instruments
    )


def _with_crcl(inputs: DoseInputs, crcl: float | None) -> DoseInputs:
    return dataclasses.replace(inputs, kidney=dataclasses.replace(inputs.kidney, crcl_ml_min=crcl))


def _bili(raw: dict[str, Any], value: float, unit: str = "umol/L", uln: float = 21) -> None:
    raw["labs"]["bilirubin"] = {"value": value, "unit": unit, "uln": uln}


def test_contract_shape(rules, example_raw):
    out = drug_dose("capivasertib", _inputs(rules, example_raw), rules.doses, "us").to_json()
    assert out["drug"] == "capivasertib"
    assert out["status"] == "caution"
    assert out["standard_dose"] == {"value": 400.0, "unit": "mg"}
    assert out["dose"] == {"value": 400.0, "unit": "mg"}
    assert out["percent_of_standard"] == 100
    assert out["schedule"].startswith("400 mg orally twice daily, 4 days on / 3 days off")
    assert all(set(b) == {"rule", "source", "verified"} for b in out["basis"])
    json.dumps(out)  # plain JSON


@pytest.mark.parametrize(
    ("crcl", "status", "percent"),
    [
        (80.0, "caution", 100),
        (50.01, "caution", 100),
        (50.0, "reduced", 75),
        (30.0, "reduced", 75),
        (29.99, "contraindicated", None),
    ],
)
def test_capecitabine_renal_edges(rules, example_raw, crcl, status, percent):
    inputs = _with_crcl(_inputs(rules, example_raw), crcl)
    result = drug_dose("capecitabine", inputs, rules.doses, "us")
    assert result.status == status
    assert result.percent_of_standard == percent


def test_capecitabine_absolute_dose_text(rules, example_raw):
    inputs = _with_crcl(_inputs(rules, example_raw), 40.0)
    result = drug_dose("capecitabine", inputs, rules.doses, "us")
    assert result.dose is not None
    assert result.dose.value == pytest.approx(937.5)
    assert result.absolute_dose is not None
    assert result.absolute_dose.text == (
        "1250 mg/m2 × 75 % = 937.5 mg/m2 × 1.55 m2 (Mosteller) = 1453.1 mg"
    )


def test_no_crcl_means_no_capecitabine_dose(rules, example_raw):
    del example_raw["labs"]["creatinine"]
    result = drug_dose("capecitabine", _inputs(rules, example_raw), rules.doses, "us")
    assert result.status == "insufficient_data"
    assert result.dose is None
    assert any(g.field == "labs.creatinine" for g in result.gaps)


@pytest.mark.parametrize(
    ("bilirubin_umol", "status", "dose"),
    [
        (26.25, "standard", 175),  # exactly 1.25 x ULN
        (26.3, "reduced", 135),
        (42.0, "reduced", 135),  # exactly 2.0 x ULN
        (42.1, "reduced", 90),
        (105.0, "reduced", 90),  # exactly 5.0 x ULN
        (105.1, "not_recommended", None),
    ],
)
def test_paclitaxel_3h_bilirubin_edges(rules, example_raw, bilirubin_umol, status, dose):
    _bili(example_raw, bilirubin_umol)
    result = drug_dose("paclitaxel", _inputs(rules, example_raw), rules.doses, "us")
    assert result.status == status
    assert (result.dose.value if result.dose else None) == dose
    assert not result.basis[1].verified  # the 3-h table is recalled, flagged unverified


def test_paclitaxel_alternative_is_shown_not_applied(rules, example_raw):
    result = drug_dose("paclitaxel", _inputs(rules, example_raw), rules.doses, "us")
    assert result.dose is not None
    assert result.dose.value == 135
    assert any(w.startswith("alternative (paclitaxel.3h.joerger_1.25_2") for w in result.warnings)
    assert any(b.source == "dose.paclitaxel.joerger" for b in result.basis)


@pytest.mark.parametrize(
    ("value", "unit", "percent"),
    [
        (1.19, "mg/dL", None),
        (1.2, "mg/dL", 50),
        (20.52, "umol/L", 50),
        (3.0, "mg/dL", 50),
        (3.01, "mg/dL", 25),
        (51.3, "umol/L", 50),
    ],
)
def test_us_pld_bilirubin_mg_dl_edges_in_both_units(rules, example_raw, value, unit, percent):
    example_raw["labs"]["bilirubin"] = {"value": value, "unit": unit}
    result = drug_dose(
        "pegylated liposomal doxorubicin", _inputs(rules, example_raw), rules.doses, "us"
    )
    assert result.percent_of_standard == (100 if percent is None else percent)


def test_pld_us_and_eu_differ(rules, example_raw):
    inputs = _inputs(rules, example_raw)  # bilirubin 35 umol/L = 2.05 mg/dL
    us = drug_dose("pegylated liposomal doxorubicin", inputs, rules.doses, "us")
    eu = drug_dose("pegylated liposomal doxorubicin", inputs, rules.doses, "eu")
    assert (us.percent_of_standard, eu.percent_of_standard) == (50, 75)


def test_docetaxel_us_avoid_vs_eu_75(rules, example_raw):
    _bili(example_raw, 15)
    example_raw["labs"]["alp"] = {"value": 400, "unit": "U/L", "uln": 130}  # 3.08 x ULN
    inputs = _inputs(rules, example_raw)  # AST 2.2 x ULN
    assert drug_dose("docetaxel", inputs, rules.doses, "us").status == "not_recommended"
    eu = drug_dose("docetaxel", inputs, rules.doses, "eu", schedule="q3w_100")
    assert eu.status == "reduced"
    assert eu.dose is not None
    assert eu.dose.value == 75
    eu75 = drug_dose("docetaxel", inputs, rules.doses, "eu")
    assert eu75.status == "caution"  # 75 mg/m2 is already the standard of that schedule


@pytest.mark.parametrize(
    ("crcl", "dose"),
    [(60.0, 1.0), (59.99, 0.75), (30.0, 0.75), (29.99, 0.5), (15.0, 0.5), (14.99, None)],
)
def test_talazoparib_renal_edges(rules, example_raw, crcl, dose):
    inputs = _with_crcl(_inputs(rules, example_raw), crcl)
    result = drug_dose("talazoparib", inputs, rules.doses, "us")
    assert (result.dose.value if result.dose else None) == dose


@pytest.mark.parametrize(
    ("crcl", "status"),
    [(50.01, "standard"), (50.0, "reduced"), (30.01, "reduced"), (30.0, "not_recommended")],
)
def test_olaparib_renal_edges(rules, example_raw, crcl, status):
    inputs = _with_crcl(_inputs(rules, example_raw), crcl)
    assert drug_dose("olaparib", inputs, rules.doses, "us").status == status


@pytest.mark.parametrize(
    ("bilirubin_umol", "status"),
    [(31.5, "standard"), (31.6, "caution"), (63.0, "caution"), (63.1, "insufficient_data")],
)
def test_trastuzumab_deruxtecan_odwg_edges(rules, example_raw, bilirubin_umol, status):
    _bili(example_raw, bilirubin_umol)
    assert (
        drug_dose("trastuzumab deruxtecan", _inputs(rules, example_raw), rules.doses, "us").status
        == status
    )


def test_weight_based_absolute_dose(rules, example_raw):
    result = drug_dose("trastuzumab deruxtecan", _inputs(rules, example_raw), rules.doses, "us")
    assert result.absolute_dose is not None
    assert result.absolute_dose.text == "5.4 mg/kg × 54 kg (actual weight) = 291.6 mg"


def test_carboplatin_calvert_with_cap(rules, example_raw):
    inputs = _with_crcl(_inputs(rules, example_raw), 140.0)
    result = drug_dose("carboplatin", inputs, rules.doses, "us", schedule="auc6_q3w")
    assert result.absolute_dose is not None
    assert result.absolute_dose.value == 900
    assert "capped at 125" in result.absolute_dose.text


def test_eribulin_child_pugh_b_us_and_eu(rules, example_raw):
    inputs = _inputs(rules, example_raw)
    assert drug_dose("eribulin", inputs, rules.doses, "us").dose.value == 0.7  # type: ignore[union-attr]
    assert drug_dose("eribulin", inputs, rules.doses, "eu").dose.value == 0.62  # type: ignore[union-attr]


def test_dpyd_unknown_warns_but_poor_contraindicates(rules, example_raw):
    example_raw["clinical"]["dpyd"] = "unknown"
    result = drug_dose("capecitabine", _inputs(rules, example_raw), rules.doses, "us")
    assert result.dose is not None
    assert any(g.field == "clinical.dpyd" for g in result.gaps)
    example_raw["clinical"]["dpyd"] = "poor"
    assert (
        drug_dose("capecitabine", _inputs(rules, example_raw), rules.doses, "us").status
        == "contraindicated"
    )
    example_raw["clinical"]["dpyd"] = "intermediate"
    assert (
        drug_dose(
            "capecitabine", _inputs(rules, example_raw), rules.doses, "us"
        ).percent_of_standard
        == 50
    )


def test_missing_bilirubin_gives_no_dose_and_names_the_field(rules, example_raw):
    del example_raw["labs"]["bilirubin"]
    result = drug_dose("paclitaxel", _inputs(rules, example_raw), rules.doses, "us")
    assert result.status == "insufficient_data"
    assert result.dose is None
    assert result.absolute_dose is None
    assert any(g.field == "labs.bilirubin" for g in result.gaps)


def test_unit_doubt_blocks_dependent_doses(rules, example_raw):
    example_raw["labs"]["bilirubin"] = {"value": 35, "unit": "mg/dL", "uln": 1.2}  # likely umol/L
    checked = check_case(example_raw, rules)
    assert any(p.path.startswith("labs.bilirubin") for p in checked.doubts)
    inputs = dose_inputs(
        checked.case, rules.limits, None, checked.doubts, instruments=rules.instruments
    )
    result = drug_dose("paclitaxel", inputs, rules.doses, "us")
    assert result.status == "insufficient_data"
    assert any(g.field == "labs.bilirubin.value" for g in result.gaps)


def test_drug_without_table_prints_no_dose(rules, example_raw):
    result = drug_dose("cyclophosphamide", _inputs(rules, example_raw), rules.doses, "us")
    assert result.status == "insufficient_data"
    assert result.dose is None


def test_formulary_warning(rules, example_raw):
    settings = ClinicSettings(formulary=frozenset({"letrozole"}))
    result = drug_dose("paclitaxel", _inputs(rules, example_raw), rules.doses, "us", settings)
    assert any("formulary" in w for w in result.warnings)


def test_most_restrictive_wins_and_others_stay_in_basis(rules, example_raw):
    _bili(example_raw, 70)  # > 3 x ULN -> severe; CP C needs more; bilirubin 4.1 mg/dL
    inputs = _with_crcl(_inputs(rules, example_raw), 40.0)
    result = drug_dose("capecitabine", inputs, rules.doses, "us")
    assert result.status == "insufficient_data"  # severe hepatic: not studied beats 75 % renal
    rules_cited = {b.rule for b in result.basis}
    assert "capecitabine.renal.30_50" in rules_cited
    assert "capecitabine.hepatic.severe" in rules_cited


# ---- CLI ------------------------------------------------------------------------------------


def test_cli_dose(tmp_path, example_raw, capsys):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(example_raw), encoding="utf-8")
    assert cli.main(["dose", str(path), "--drug", "paclitaxel", "--labels", "eu"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["drug"] == "paclitaxel"
    assert out["labels"] == "eu"


def test_cli_dose_unknown_drug(tmp_path, example_raw, capsys):
    path = tmp_path / "case.json"
    path.write_text(json.dumps(example_raw), encoding="utf-8")
    assert cli.main(["dose", str(path), "--drug", "paclitaxl"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("--drug:")
    assert "paclitaxel" in err


def test_cli_dose_invalid_case(tmp_path, example_raw, capsys):
    example_raw["labs"]["bilirubin"]["unit"] = "mmol/L"
    path = tmp_path / "case.json"
    path.write_text(json.dumps(example_raw), encoding="utf-8")
    assert cli.main(["dose", str(path), "--drug", "paclitaxel"]) == 2
    assert "labs.bilirubin.unit" in capsys.readouterr().err


def test_measures_are_shared_by_drugs_but_not_by_replaced_inputs(rules, example_raw):
    """Drugs dosed from one `DoseInputs` share its measure cache; `replace` starts afresh, so a
    changed clearance is never answered from the old inputs' cache."""
    inputs = _inputs(rules, example_raw)
    before = drug_dose("capecitabine", inputs, rules.doses, "us").to_json()
    assert "crcl_ml_min" in inputs.measures
    lower = _with_crcl(inputs, 20.0)
    assert lower.measures == {}
    after = drug_dose("capecitabine", lower, rules.doses, "us").to_json()
    assert after["status"] != before["status"]
    assert drug_dose("capecitabine", inputs, rules.doses, "us").to_json() == before
