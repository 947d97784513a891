"""One sweep over every dose table row: units, sources, percentages, bands ascending without
gaps or overlaps per scale; plus metamorphic and property tests over every drug."""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain import hepatic, kidney
from planner.domain.dose_tables import STATUSES, Condition
from planner.domain.dosing import dose_inputs, drug_dose
from planner.rules import RulesError, load_rules
from planner.services.case_commands import check_case

SYSTEMIC_CLASSES = {
    "chemotherapy",
    "her2_antibody",
    "her2_adc",
    "her2_tki",
    "trop2_adc",
    "cdk46_inhibitor",
    "pi3k_inhibitor",
    "akt_inhibitor",
    "mtor_inhibitor",
    "parp_inhibitor",
    "checkpoint_inhibitor",
    "aromatase_inhibitor",
    "serd",
    "serm",
}
# Drugs of those classes that the dosing reference (dosing.md) does not cover: no table, so
# drug_dose prints no dose for them. Adding a table removes a name from this list.
NOT_IN_DOSING_REFERENCE = {
    "fluorouracil",
    "cyclophosphamide",
    "methotrexate",
    "ixabepilone",
    "utidelone",
    "toremifene",
    "imlunestrant",
    "camizestrant",
    "pyrotinib",
    "datopotamab deruxtecan",
    "cabazitaxel",  # no breast regimen: in the catalogue so an allergy to it is read (rx21 F3)
}


def test_every_systemic_drug_has_a_table_or_is_named_as_missing(rules):
    for name, drug in rules.drugs.items():
        if drug.classes & SYSTEMIC_CLASSES and name not in NOT_IN_DOSING_REFERENCE:
            assert name in rules.doses.drugs, f"{name} has no dose table"
    assert not NOT_IN_DOSING_REFERENCE & set(rules.doses.drugs)


def test_regimen_drugs_have_tables(rules):
    used = {d for regimen in rules.regimens.regimens.values() for d in regimen.drugs}
    assert len(used) > 20  # the walk reaches the regimens (it once iterated ids and saw none)
    missing = sorted(d for d in used if d not in rules.doses.drugs)
    assert set(missing) <= NOT_IN_DOSING_REFERENCE, missing


def test_rows_are_sound(rules):
    """What the loader does not check row by row: a band cites dose sources, and an absolute
    band dose is never above its schedule's standard dose. (Units, statuses, percentages, a
    value or a reason, and resolvable sources are the loader's; the test below holds it to
    them.)"""
    for table in rules.doses.drugs.values():
        for band in table.bands:
            assert all(s.startswith("dose.") for s in band.sources), band.id
            for schedule in table.schedules:
                if band.dose is not None and (not band.schedules or schedule.id in band.schedules):
                    assert schedule.value is not None, (band.id, schedule.id)
                    assert band.dose <= schedule.value, (band.id, schedule.id)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('value = 60\nunit = "mg/m2"', 'value = 60\nunit = "mg/kg/h"', "unit"),
        ("value = 60\n", "value = 0\n", "value"),
        ("value = 60\n", 'value = 60\nno_dose_because = "none"\n', "no_dose_because"),
        ('status = "standard"', 'status = "maybe"', "status"),
        ("percent = ", "percent = 1", "percent"),
        ('sources = ["dose.doxorubicin.mims"]', 'sources = ["dose.nowhere"]', "dose.nowhere"),
    ],
    ids=["unit", "dose not positive", "value and reason", "status", "percent", "source"],
)
def test_the_loader_refuses_an_unsound_row(rules_copy, old, new, message):
    """A dose row the sweep above no longer checks is refused when the tables are read."""
    path = rules_copy / "doses" / "anthracyclines.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RulesError, match=message):
        load_rules(rules_copy)


def _edges(c: Condition) -> tuple[float, bool, float, bool]:
    return (c.lower(), c.low_inclusive, c.upper(), c.high_inclusive)


def test_bands_ascend_without_gaps_or_overlaps_per_scale(rules):
    """Within one drug, label set, schedule and scale (the other conditions equal), numeric
    bands must not overlap and must meet exactly where they touch (one edge inclusive, the other
    exclusive); categorical bands must not list a category twice."""
    for name, table in rules.doses.drugs.items():
        for label in ("us", "eu"):
            for schedule in table.schedules_for(label):
                groups: dict[Any, list[Condition]] = defaultdict(list)
                for band in table.bands:
                    if not band.applies_to(label, schedule.id):
                        continue
                    for c in band.when:
                        others = frozenset(repr(o) for o in band.when if o is not c)
                        groups[(c.measure, others, band.alternative, c.numeric)].append(c)
                for (measure, _, _, numeric), conditions in groups.items():
                    where = f"{name}/{label}/{schedule.id}/{measure}"
                    if not numeric:
                        seen: list[str] = []
                        for c in conditions:
                            assert c.values is not None
                            assert not set(seen) & c.values, where
                            seen.extend(c.values)
                        continue
                    ordered = sorted(conditions, key=lambda c: (c.lower(), not c.low_inclusive))
                    for a, b in itertools.pairwise(ordered):
                        _, _, a_high, a_incl = _edges(a)
                        b_low, b_incl, _, _ = _edges(b)
                        assert a.lower() < a.upper(), where
                        assert a_high == b_low, f"{where}: gap or overlap at {a_high} / {b_low}"
                        assert a_incl != b_incl, f"{where}: edge {a_high} in both or neither band"


def test_sources_used_by_the_assessments_resolve(rules):
    cited = set(hepatic.SOURCES.values()) | {kidney.SOURCE_CRCL, "dose.ref.bsa", "dose.ref.calvert"}
    assert cited <= set(rules.sources)


# ---- metamorphic and property tests over every drug ---------------------------------------


def _dose_all(rules: Any, raw: dict[str, Any]) -> dict[tuple[str, str], tuple[str, float | None]]:
    checked = check_case(raw, rules)
    inputs = dose_inputs(
        checked.case, rules.limits, None, checked.doubts, instruments=rules.instruments
    )
    out = {}
    for drug in rules.doses.drugs:
        for label in ("us", "eu"):
            result = drug_dose(drug, inputs, rules.doses, label)
            out[(drug, label)] = (result.status, result.dose.value if result.dose else None)
    return out


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    tenths=st.integers(min_value=2, max_value=150),
    uln_tenths=st.integers(min_value=8, max_value=14),
    albumin_tenths=st.integers(min_value=15, max_value=50),
    creatinine_hundredths=st.integers(min_value=40, max_value=300),
)
def test_same_case_in_conventional_and_si_units_gives_same_doses(
    rules, example_raw, tenths, uln_tenths, albumin_tenths, creatinine_hundredths
):
    raw = example_raw
    bili, uln = tenths / 10, uln_tenths / 10
    albumin, creatinine = albumin_tenths / 10, creatinine_hundredths / 100
    raw["labs"]["bilirubin"] = {"value": bili, "unit": "mg/dL", "uln": uln}
    raw["labs"]["albumin"] = {"value": albumin, "unit": "g/dL"}
    raw["labs"]["creatinine"] = {"value": creatinine, "unit": "mg/dL"}
    conventional = _dose_all(rules, raw)
    raw["labs"]["bilirubin"] = {"value": bili * 17.1, "unit": "umol/L", "uln": uln * 17.1}
    raw["labs"]["albumin"] = {"value": albumin * 10, "unit": "g/L"}
    raw["labs"]["creatinine"] = {"value": creatinine * 88.4, "unit": "umol/L"}
    si = _dose_all(rules, raw)
    for key, (status, dose) in conventional.items():
        other_status, other_dose = si[key]
        assert status == other_status, key
        assert (dose is None) == (other_dose is None), key
        if dose is not None:
            assert math.isclose(dose, other_dose or 0.0), key


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    low=st.floats(min_value=3, max_value=590, allow_nan=False),
    extra=st.floats(min_value=0, max_value=300, allow_nan=False),
)
def test_worse_bilirubin_never_gives_a_higher_dose(rules, example_raw, low, extra):
    high = min(low + extra, 600.0)
    example_raw["labs"]["bilirubin"] = {"value": low, "unit": "umol/L", "uln": 21}
    better = _dose_all(rules, example_raw)
    example_raw["labs"]["bilirubin"] = {"value": high, "unit": "umol/L", "uln": 21}
    worse = _dose_all(rules, example_raw)
    for key, (_, dose) in better.items():
        worse_dose = worse[key][1]
        assert (worse_dose or 0.0) <= (dose or 0.0) + 1e-9, (key, low, high, dose, worse_dose)


@pytest.mark.parametrize("label", ["us", "eu"])
def test_every_drug_doses_the_contract_example(rules, example_raw, label):
    checked = check_case(example_raw, rules)
    inputs = dose_inputs(
        checked.case, rules.limits, None, checked.doubts, instruments=rules.instruments
    )
    for drug in rules.doses.drugs:
        result = drug_dose(drug, inputs, rules.doses, label).to_json()
        assert result["status"] in STATUSES
        if result["status"] in ("not_recommended", "contraindicated", "insufficient_data"):
            assert result["dose"] is None
        else:
            assert result["dose"] is not None
