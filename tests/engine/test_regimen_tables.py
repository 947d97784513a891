"""Sweep over the regimen and subtype tables, and the strictness of their loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.domain.regimen_tables import CUTOFF_KEYS, KINDS, STATUSES
from planner.rules import RulesError, load_rules

# Every regimen the reference's sequences name (regimens_supportive.md §4.1-4.4 and VC-7/VC-8).
REFERENCE_REGIMENS = {
    "letrozole_ribociclib", "letrozole_palbociclib", "letrozole_abemaciclib",  # HR-1/2/7
    "fulvestrant_ribociclib", "fulvestrant_palbociclib", "fulvestrant_abemaciclib",  # HR-3
    "inavolisib_palbociclib_fulvestrant",  # HR-4
    "letrozole_alone", "fulvestrant_alone",  # HR-6
    "elacestrant", "capivasertib_fulvestrant", "alpelisib_fulvestrant",  # HR-9..11
    "everolimus_exemestane", "everolimus_fulvestrant", "everolimus_tamoxifen",  # HR-12
    "fulvestrant_ribociclib_after_et", "fulvestrant_palbociclib_after_et", "fulvestrant_abemaciclib_after_et",
    "olaparib_hr", "talazoparib_hr", "olaparib_palb2",  # HR-13, TEST-4
    "trastuzumab_deruxtecan_chemo_naive", "trastuzumab_deruxtecan_after_chemo",  # HR-14/15, LOW-1/2, TN-6
    "sacituzumab_govitecan_hr",  # HR-16
    "paclitaxel_weekly", "nab_paclitaxel", "docetaxel", "capecitabine", "eribulin", "vinorelbine",
    "gemcitabine", "doxorubicin", "pegylated_liposomal_doxorubicin", "carboplatin",  # HR-17, TN-2
    "gemcitabine_carboplatin", "paclitaxel_bevacizumab", "cisplatin",  # GEN-1, VC-5..8
    "pertuzumab_trastuzumab_docetaxel", "pertuzumab_trastuzumab_paclitaxel",  # H2-2
    "endocrine_her2_directed", "trastuzumab_deruxtecan_pertuzumab",  # H2-3, H2-4
    "trastuzumab_deruxtecan_her2_positive",  # H2-5
    "tucatinib_trastuzumab_capecitabine", "ado_trastuzumab_emtansine", "neratinib_capecitabine",
    "lapatinib_capecitabine", "margetuximab_chemotherapy", "abemaciclib_trastuzumab_fulvestrant",  # H2-6
    "pembrolizumab_nab_paclitaxel", "pembrolizumab_paclitaxel", "pembrolizumab_gemcitabine_carboplatin",  # TN-1
    "atezolizumab_nab_paclitaxel",  # TN-3
    "olaparib_tnbc", "talazoparib_tnbc",  # TN-4
    "sacituzumab_govitecan_tnbc", "sacituzumab_govitecan_tnbc_early_relapse",  # TN-5
    "sacituzumab_govitecan_first_line",  # TN-7
}  # fmt: skip


def test_every_reference_regimen_is_in_the_table(rules):
    assert set(rules.regimens.regimens) >= REFERENCE_REGIMENS


def test_every_regimen_row_is_sound(rules):
    table = rules.regimens
    for regimen in table.regimens.values():
        where = regimen.id
        assert regimen.drugs, where
        for drug in regimen.drugs:
            assert drug in rules.drugs, f"{where}: {drug} not in drugs.toml"
        assert set(regimen.key_drugs) <= set(regimen.drugs), where
        for source in regimen.sources:
            assert source in rules.sources, f"{where}: source {source}"
            assert source.startswith("reg."), where
        assert regimen.kind in KINDS, where
        assert regimen.status in STATUSES, where
        # one priority for each subtype it is offered for, brought forward ones too (misc22)
        assert set(regimen.priority) == {*regimen.when.subtypes, *regimen.when.subtypes_if_stopped}
        assert all((regimen.note, regimen.rule)), where
        assert set(regimen.dose_schedules) == set(regimen.drugs), where  # every drug has its dose
        if regimen.when.line_max is not None:
            assert regimen.when.line_min <= regimen.when.line_max, where
        oral_classes = {"cdk46_inhibitor", "pi3k_inhibitor", "akt_inhibitor", "mtor_inhibitor",
                        "parp_inhibitor", "her2_tki", "aromatase_inhibitor", "serm", "fluoropyrimidine"}  # fmt: skip
        if regimen.oral:
            for drug in regimen.drugs:
                assert rules.drugs[drug].classes & oral_classes or drug == "elacestrant", (
                    f"{where}: {drug} not oral"
                )


def test_every_monitoring_item_and_cutoff_cites_a_source(rules):
    table = rules.regimens
    for item in table.monitoring.values():
        assert item.sources, item.id
        assert all(s in rules.sources for s in item.sources), item.id
        assert item.drugs <= set(rules.drugs), item.id
    assert set(table.cutoffs.cutoffs) == set(CUTOFF_KEYS)
    for cut in table.cutoffs.cutoffs.values():
        assert cut.sources, cut.key
        assert all(s in rules.sources for s in cut.sources), cut.key
        if cut.unit == "%":
            assert 0 <= cut.value <= 100


def test_every_regimen_drug_has_a_dose_table(rules):
    """Fails until the dosing tables (resources/rules/doses/) cover every regimen drug."""
    needed = {drug for regimen in rules.regimens.regimens.values() for drug in regimen.drugs}
    missing = sorted(needed - set(rules.doses.drugs))
    assert not missing, f"regimen drugs without a dose table: {missing}"


# ---- loader strictness ---------------------------------------------------------------------


def edit(directory: Path, name: str, old: str, new: str) -> None:
    path = directory / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("regimens.toml", 'rule = "HR-10"\n', 'rule = "HR-10"\ncolour = "blue"\n', "unknown keys"),
        (
            "regimens.toml",
            'drugs = ["capivasertib", "fulvestrant"]',
            'drugs = ["capivasertibb", "fulvestrant"]',
            "capivasertibb",
        ),
        (
            "regimens.toml",
            'sources = ["reg.hr.asco_ace", "reg.hr.capitello"',
            'sources = ["reg.nowhere", "reg.hr.capitello"',
            "reg.nowhere",
        ),
        ("regimens.toml", 'kind = "endocrine_targeted"', 'kind = "magic"', "magic"),
        (
            "regimens.toml",
            'mutated_any = ["pik3ca", "akt1_pten"]',
            'mutated_any = ["kras"]',
            "kras",
        ),
        (
            "regimens.toml",
            'subtypes = ["HR+/HER2-"]\nline_min = 2\nmutated_any',
            'subtypes = ["HR+/HER2-"]\nline_min = 2\nsize = 3\nmutated_any',
            "unknown keys",
        ),
        (
            "regimens.toml",
            'priority = { "HR+/HER2-" = 60, TNBC = 20, "HER2+" = 50 }',
            'priority = { "HR+/HER2-" = 60, TNBC = 20 }',
            "one value for each",
        ),
        ("regimens.toml", 'when = "diabetes"', 'when = "mood"', "mood"),
        ("subtype.toml", "value = 10\n", "value = 110\n", "percentage"),
        ("subtype.toml", 'key = "er_low_max_percent"', 'key = "er_lowest"', "er_lowest"),
    ],
)
def test_loader_refuses_bad_tables(rules_copy, name, old, new, message):
    edit(rules_copy, name, old, new)
    with pytest.raises(RulesError, match=message.replace("+", r"\+")):
        load_rules(rules_copy)


def test_every_regimen_dose_schedule_exists_in_the_dose_tables(rules):
    for regimen in rules.regimens.regimens.values():
        for drug, schedules in regimen.dose_schedules.items():
            table = rules.doses.drugs.get(drug)
            if table is None:
                continue  # reported by test_every_regimen_drug_has_a_dose_table
            for labels in ("us", "eu"):
                known = {s.id for s in table.schedules_for(labels)}
                # exactly one of the row's schedules serves each label set
                assert len(set(schedules) & known) == 1, (
                    f"{regimen.id}: {drug} has no single schedule of {schedules!r} ({labels})"
                )


def test_regimen_schedule_reaches_the_dose(plan_of, example_raw):
    example_raw["previous_labs"] = []
    plan = plan_of(example_raw)
    weekly = next(o for o in plan["options"] if o["regimen"] == "paclitaxel_weekly")
    assert weekly["drugs"][0]["schedule_id"] == "weekly"
