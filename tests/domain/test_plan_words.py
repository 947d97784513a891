"""The plan's closed vocabularies (planner.domain.vocabulary) and their one words table."""

from __future__ import annotations

import inspect
import json
from enum import StrEnum

import pytest

from planner.domain import plan_words, vocabulary
from planner.domain.dose_tables import STATUSES
from planner.domain.medicine_tables import ACTIONS
from planner.domain.plan import ALERT_LEVELS
from planner.domain.supportive_tables import DOMAINS, SERVICES, URGENCIES

VOCABULARIES = [
    v
    for _, v in inspect.getmembers(vocabulary, inspect.isclass)
    if issubclass(v, StrEnum) and v is not StrEnum
]


def test_every_vocabulary_has_a_words_table():
    assert VOCABULARIES
    assert set(plan_words.WORDS_OF) == set(VOCABULARIES)


@pytest.mark.parametrize("kind", VOCABULARIES, ids=lambda v: v.__name__)
def test_every_member_has_words_and_a_table_holds_only_members(kind):
    table = plan_words.WORDS_OF[kind]
    missing = [m.value for m in kind if not table.get(m)]
    assert not missing, f"{kind.__name__}: no words for {missing}"
    assert set(table) == set(kind)  # no stale code left in the table either
    # the words are for a reader: never the code itself with its underscores
    assert all("_" not in table[m] for m in kind)


def test_the_patients_urgency_words_cover_every_urgency():
    assert set(plan_words.URGENCY_PLAIN) == set(vocabulary.Urgency)


def test_the_code_tables_are_the_vocabularies_in_order_as_plain_strings():
    for table, kind in [
        (URGENCIES, vocabulary.Urgency),
        (SERVICES, vocabulary.Service),
        (STATUSES, vocabulary.DoseStatus),
        (DOMAINS, vocabulary.ProblemDomain),
        (ALERT_LEVELS, vocabulary.AlertLevel),
        (ACTIONS, vocabulary.MedicineAction),
    ]:
        assert table == tuple(m.value for m in kind)
        assert all(type(code) is str for code in table)  # messages show 'same_day', not reprs


def test_a_member_is_its_code_in_json_and_in_comparisons():
    urgency = vocabulary.Urgency.WITHIN_WEEK
    assert urgency == "within_week"
    assert (
        json.dumps({"urgency": urgency, urgency: 1})
        == '{"urgency": "within_week", "within_week": 1}'
    )
    assert plan_words.say("urgency", "within_week") == "Within a week"
    assert plan_words.URGENCY["within_week"] == "Within a week"  # looked up by the JSON's string


# ---- issue 16: codes reached the clinician; each shape the nurse found, in words -------------


def test_a_setting_trace_reads_as_a_threshold_in_words():
    said = plan_words.clinician_words(
        "weight loss 10.0 % in 6 months > 5 % (weight_loss_percent_above = 5, default)"
    )
    assert said == (
        "weight loss 10.0 % in 6 months > 5 % (weight loss of more than 5 %: the default threshold)"
    )
    chosen = plan_words.clinician_words(
        "PHQ-9 total 12 >= 10 (phq9_moderate_min = 10, clinic setting; unverified — confirm locally)"
    )
    assert chosen == (
        "PHQ-9 total 12 ≥ 10 (PHQ-9 moderate from 10: this clinic's threshold; "
        "unverified — confirm locally)"
    )


def test_rule_ids_and_field_paths_in_engine_sentences_read_as_words():
    words = plan_words.clinician_words
    assert words("falls: balance [PHY-FAT-1; FUN-1]: 2 falls") == "falls: balance: 2 falls"
    assert words("Capivasertib + fulvestrant (HR-10) leads (2.3 % vs 36.6 %; D-5).") == (
        "Capivasertib + fulvestrant leads (2.3 % vs 36.6 %)."
    )
    assert words("UNVERIFIED: exemestane.child_pugh_bc rests on facts") == (
        "UNVERIFIED: this rule rests on facts"
    )
    assert words("found: febrile neutropenia (treatment.toxicities[0])") == (
        "found: febrile neutropenia (side effects recorded, entry 1)"
    )
    assert words("sacituzumab: 'ugt1a1 in homozygous_28' (caution)") == (
        "sacituzumab: 'UGT1A1 genotype: homozygous *28' (caution)"
    )
    assert words("(docetaxel.us.bilirubin: bilirubin_x_uln > 1 × ULN) rests") == (
        "(bilirubin > 1 × ULN) rests"
    )
    # trial and instrument names of the same shape are not ids; prose "in" is not a condition
    assert words("SOLAR-1 (PHQ-9, GAD-7) not studied in the pivotal trial") == (
        "SOLAR-1 (PHQ-9, GAD-7) not studied in the pivotal trial"
    )


def test_every_rule_id_family_of_the_rule_tables_is_known_as_an_id():
    import re
    from pathlib import Path

    rules = Path(__file__).resolve().parents[2] / "resources" / "rules"
    ids = {
        m.group(1)
        for path in rules.rglob("*.toml")
        for m in re.finditer(r'^(?:id|rule) = "([A-Z][A-Z0-9-]*-\d+)"', path.read_text(), re.M)
    }
    assert ids
    unknown = sorted(i for i in ids if plan_words.clinician_words(f"x ({i})") != "x")
    assert not unknown, f"add their family to plan_words.RULE_ID_FAMILIES: {unknown}"


def test_fields_and_methods_read_as_a_clinician_names_them():
    assert plan_words.field_words("biology.esr1") == "ESR1 mutation"
    assert plan_words.field_words("labs.anc") == "neutrophils"
    assert plan_words.field_words("qol") == "quality of life"
    assert plan_words.field_words("medications[0]") == "current medicines, entry 1"
    assert plan_words.field_words("labs.anc.unit") == "neutrophils unit"
    assert "_" not in plan_words.field_words("clinical.some_new_field")
    assert plan_words.method_words("cockcroft_gault_actual_weight") == (
        "Cockcroft–Gault, actual body weight"
    )
    assert plan_words.method_words("mosteller") == "Mosteller"
