"""Line of therapy, prior classes and endocrine sensitivity (ES-1..5) edges."""

from __future__ import annotations

from planner.domain.subtype import therapy_history


def history_of(checked, rules, raw, entries, assessed_on=None):
    raw["disease"]["prior_therapy"] = entries
    if assessed_on:
        raw["assessed_on"] = assessed_on
    return therapy_history(checked(raw).case, rules.regimens.cutoffs, rules.drugs)


def test_example_is_line_2_secondary_resistance(checked, rules, example_raw):
    history = therapy_history(checked(example_raw).case, rules.regimens.cutoffs, rules.drugs)
    assert history.line == 2
    assert history.endocrine_state == "secondary_resistance"
    assert {"cdk46_inhibitor", "aromatase_inhibitor", "endocrine"} <= history.prior_classes
    assert history.metastatic_chemo_lines == 0


def test_no_prior_therapy_is_line_1_and_sensitive(checked, rules, example_raw):
    history = history_of(checked, rules, example_raw, [])
    assert history.line == 1
    assert history.endocrine_state == "sensitive"
    assert history.dfi_months is None


def test_switch_for_toxicity_does_not_start_a_new_line(checked, rules, example_raw, therapy):
    entries = [
        therapy(
            ["letrozole", "ribociclib"], started="2024-01-01", ended="2024-03-01", reason="toxicity"
        ),
        therapy(["letrozole", "palbociclib"], started="2024-03-15", ended="2025-06-01"),
        therapy(["paclitaxel"], started="2025-06-15", ended="2026-01-01"),
    ]
    history = history_of(checked, rules, example_raw, entries)
    assert history.line == 3
    assert history.metastatic_chemo_lines == 1


def test_ongoing_metastatic_therapy_warns(checked, rules, example_raw, therapy):
    history = history_of(
        checked, rules, example_raw, [therapy(["letrozole"], ended=None, reason="ongoing")]
    )
    assert history.line == 1
    assert any("ongoing" in w for w in history.warnings)


def test_first_line_progression_before_6_months_is_primary_resistance(
    checked, rules, example_raw, therapy
):
    history = history_of(
        checked,
        rules,
        example_raw,
        [therapy(["letrozole"], started="2025-01-01", ended="2025-06-01")],
    )
    assert history.endocrine_state == "primary_resistance"


def test_first_line_progression_after_6_months_is_secondary_resistance(
    checked, rules, example_raw, therapy
):
    history = history_of(
        checked,
        rules,
        example_raw,
        [therapy(["letrozole"], started="2025-01-01", ended="2025-07-15")],
    )
    assert history.endocrine_state == "secondary_resistance"


def adjuvant(therapy, drugs, started, ended, reason="completed"):
    return therapy(drugs, setting="adjuvant", started=started, ended=ended, reason=reason)


def test_relapse_during_first_2_years_of_adjuvant_et_is_primary(
    checked, rules, example_raw, therapy
):
    # relapse taken as the assessment date (no metastatic therapy yet)
    entries = [adjuvant(therapy, ["anastrozole"], "2025-01-01", None, reason="ongoing")]
    history = history_of(checked, rules, example_raw, entries)
    assert history.endocrine_state == "primary_resistance"
    assert {
        "relapse_on_or_soon_after_adjuvant_et",
        "relapse_on_or_soon_after_adjuvant_ai",
    } <= history.endocrine_flags
    # The stand-in date is a named gap, not just a warning.
    assert any(
        g.field == "disease.prior_therapy" and "relapse date not recorded" in g.effect
        for g in history.gaps
    )


def test_relapse_after_2_years_on_adjuvant_et_is_secondary(checked, rules, example_raw, therapy):
    entries = [adjuvant(therapy, ["tamoxifen"], "2023-01-01", None, reason="ongoing")]
    history = history_of(checked, rules, example_raw, entries)
    assert history.endocrine_state == "secondary_resistance"
    assert "relapse_on_or_soon_after_adjuvant_et" in history.endocrine_flags
    assert "relapse_on_or_soon_after_adjuvant_ai" not in history.endocrine_flags


def test_relapse_within_12_months_of_completing_adjuvant_ai(checked, rules, example_raw, therapy):
    entries = [adjuvant(therapy, ["letrozole"], "2020-01-01", "2026-01-01")]
    history = history_of(checked, rules, example_raw, entries)
    assert history.endocrine_state == "secondary_resistance"
    assert "relapse_on_or_soon_after_adjuvant_ai" in history.endocrine_flags


def test_relapse_more_than_12_months_after_adjuvant_et_is_sensitive(
    checked, rules, example_raw, therapy
):
    entries = [adjuvant(therapy, ["letrozole"], "2018-01-01", "2023-01-01")]
    history = history_of(checked, rules, example_raw, entries)
    assert history.endocrine_state == "sensitive"
    assert not history.endocrine_flags
    assert history.dfi_months is not None
    assert history.dfi_months > 12


def test_missing_adjuvant_end_date_leaves_sensitivity_unknown_with_gap(
    checked, rules, example_raw, therapy
):
    entries = [adjuvant(therapy, ["letrozole"], "2018-01-01", None)]
    history = history_of(checked, rules, example_raw, entries)
    assert history.endocrine_state is None
    assert any(g.field.endswith("ended_on") for g in history.gaps)


def test_recent_adjuvant_cdk46_flag(checked, rules, example_raw, therapy):
    entries = [
        adjuvant(therapy, ["letrozole"], "2021-01-01", "2026-06-01"),
        adjuvant(therapy, ["abemaciclib"], "2021-01-01", "2023-01-01"),
    ]
    assert (
        "recent_adjuvant_cdk46"
        not in history_of(checked, rules, example_raw, entries).endocrine_flags
    )
    entries[1]["ended_on"] = "2026-01-01"
    assert (
        "recent_adjuvant_cdk46" in history_of(checked, rules, example_raw, entries).endocrine_flags
    )


def test_relapse_date_is_start_of_first_metastatic_therapy(checked, rules, example_raw, therapy):
    entries = [
        adjuvant(therapy, ["letrozole"], "2018-01-01", "2023-01-01"),
        therapy(["letrozole", "palbociclib"], started="2023-06-01", ended="2026-01-01"),
    ]
    history = history_of(checked, rules, example_raw, entries)
    assert history.relapse_on.isoformat() == "2023-06-01"
    assert round(history.dfi_months, 1) == 5.0
