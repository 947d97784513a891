"""Sweeps: every output item carries basis and source; every table row is sound; plain words."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from planner.domain.supportive import PlannedTherapy
from planner.domain.supportive_tables import (
    ALERT_CODES,
    PROBLEM_DOMAINS,
    SERVICES,
    URGENCIES,
    SupportiveSettings,
)
from planner.rules import RulesError, load_rules
from planner.rules.loader import default_rules_dir

MAX_GRADE = 8


def _battery(example):
    """Variants of the example case that switch on most triggers."""
    cases = []

    def variant(**changes):
        raw = copy.deepcopy(example)
        for path, value in changes.items():
            target = raw
            *head, last = path.split("__")
            for key in head:
                target = target[key]
            target[last] = value
        cases.append(raw)

    variant()
    variant(symptoms__esas__pain=9, symptoms__esas__nausea=8, symptoms__constipation=True)
    variant(symptoms__esas__shortness_of_breath=8, symptoms__esas__drowsiness=7)
    variant(
        psychosocial__phq9=[3, 3, 3, 3, 3, 0, 0, 0, 2], psychosocial__gad7=[3, 3, 3, 3, 3, 0, 0]
    )
    variant(psychosocial__phq9=[3, 3, 3, 3, 3, 2, 1, 1, None], clinical__ugt1a1="homozygous_28")
    variant(
        medications=[
            {"drug": "ibuprofen", "route": "oral"},
            {"drug": "lorazepam", "route": "oral"},
        ],
        clinical__encephalopathy="grade_1_2",
    )
    variant(
        psychosocial__phq9=None,
        psychosocial__gad7=None,
        symptoms__esas__depression=8,
        symptoms__esas__anxiety=8,
    )
    variant(clinical__ascites="moderate_severe", clinical__encephalopathy="grade_3_4")
    variant(
        clinical__encephalopathy="grade_1_2",
        disease__biliary_obstruction=True,
        symptoms__jaundice=True,
    )
    variant(labs__bilirubin={"value": 80, "unit": "umol/L", "uln": 21}, symptoms__esas__nausea=5)
    variant(labs__bilirubin={"value": 35, "unit": "mg/dL", "uln": 1.2})
    variant(
        previous_labs=[
            {"drawn_on": "2026-11-09", "bilirubin": {"value": 25, "unit": "umol/L", "uln": 21}}
        ],
        clinical__ecog=2,
    )
    variant(
        function__pps_percent=30, clinical__surprise_question_no=True, nutrition__intake="minimal"
    )
    variant(
        function__pps_percent=40,
        clinical__ecog=3,
        function__mobility="bed_bound",
        function__falls_past_3_months=3,
    )
    variant(
        psychosocial__problems=["spiritual", "practical", "family", "emotional", "physical"],
        psychosocial__lives_alone=True,
        psychosocial__caregiver_strain=True,
    )
    variant(
        body__weight_kg=45.0,
        body__weight_6_months_ago_kg=58.0,
        nutrition__must={
            "weight_3_to_6_months_ago_kg": 58.0,
            "acutely_ill_no_intake_5_days": False,
        },
    )
    variant(
        disease__liver_lesions="single",
        disease__other_sites=[],
        clinical__ecog=0,
        labs__bilirubin={"value": 10, "unit": "umol/L", "uln": 21},
        labs__albumin={"value": 40, "unit": "g/L"},
    )
    variant(
        labs__inr={"value": 2.5},
        labs__platelets={"value": 30, "unit": "10^9/L"},
        symptoms__esas__pain=3,
    )
    variant(
        symptoms=None,
        psychosocial=None,
        nutrition=None,
        function=None,
        labs__bilirubin={"value": 20, "unit": "umol/L"},
    )
    return cases


OPTIONS = [
    (),
    (PlannedTherapy("a", ("ribociclib", "letrozole")),),
    (PlannedTherapy("b", ("tamoxifen",)), PlannedTherapy("c", ("trastuzumab deruxtecan",), 2)),
    (PlannedTherapy("d", ("capivasertib", "fulvestrant")),),
    (PlannedTherapy("e", ("sacituzumab govitecan",)),),
    (PlannedTherapy("f", ("capecitabine",)),),
]


def _results(run, example_raw):
    out = []
    for raw in _battery(example_raw):
        for options in OPTIONS:
            for ladder in ("etg", "bsg"):
                out.append(
                    run.json(
                        copy.deepcopy(raw), options=options, supportive={"itch_ladder": ladder}
                    )
                )
    return out


def _check_basis(basis, rules, where):
    assert basis, f"{where}: no basis"
    for entry in basis:
        assert set(entry) == {"rule", "source", "verified"}, where
        assert entry["rule"], where
        assert entry["source"] in rules.sources, (
            f"{where}: source {entry['source']} does not resolve"
        )
        assert isinstance(entry["verified"], bool)


def test_every_item_referral_alert_and_monitoring_line_carries_basis_and_source(
    run, rules, example_raw
):
    results = _results(run, example_raw)
    seen_problems, seen_services, seen_codes = set(), set(), set()
    for result in results:
        json.dumps(result)  # plain JSON
        for item in result["supportive"]:
            where = f"supportive {item['problem']}"
            assert item["domain"] == PROBLEM_DOMAINS[item["problem"]]
            # null: recorded as present with no score ("present, severity not recorded")
            assert item["severity"] in ("mild", "moderate", "severe", None)
            assert item["interventions"], f"{where}: no intervention"
            assert all(isinstance(t, str) and t for t in item["interventions"])
            _check_basis(item["basis"], rules, where)
            assert item["reasons"]
            for detail in item["intervention_details"]:
                _check_basis(detail["basis"], rules, detail["id"])
                assert detail["patient_text"].strip()
                if not detail["verified"]:
                    assert detail["text"].endswith("(unverified — confirm locally)")
                for position in detail.get("disagreement", {}).get("positions", []):
                    assert all(s in rules.sources for s in position["sources"])
            seen_problems.add(item["problem"])
        for referral in result["referrals"]:
            assert referral["service"] in SERVICES
            assert referral["urgency"] in URGENCIES
            assert referral["reasons"]
            _check_basis(referral["basis"], rules, f"referral {referral['service']}")
            seen_services.add(referral["service"])
        services = [r["service"] for r in result["referrals"]]
        assert len(services) == len(set(services))
        for alert in result["alerts"]:
            assert alert["code"] in ALERT_CODES
            assert alert["level"] in (
                "critical",
                "warning",
                "info",
            )
            _check_basis(alert["basis"], rules, f"alert {alert['code']}")
            seen_codes.add(alert["code"])
        codes = [a["code"] for a in result["alerts"] if a["code"] != "unit_or_range_doubt"]
        assert len(codes) == len(set(codes)), "one alert per code"
        follow_up = result["follow_up"]
        assert isinstance(follow_up["next_review_days"], int)
        assert follow_up["next_review_days"] >= 0
        for line in follow_up["monitoring_basis"]:
            _check_basis(line["basis"], rules, line["item"])
        _check_basis(follow_up["review_basis"], rules, "review")
        for flag in result["interactions"]:
            _check_basis(flag["basis"], rules, "interaction")
    # the battery reaches (nearly) everything
    assert seen_problems == set(PROBLEM_DOMAINS)
    assert seen_services == set(SERVICES)
    assert seen_codes == set(ALERT_CODES)


# ------------------------------------------------------------------ plain words


@pytest.fixture
def reading_grade(monkeypatch):
    """Flesch–Kincaid grade from textstat, counting syllables with pyphen (no network dictionary)."""
    textstat = pytest.importorskip("textstat")
    from textstat.backend.counts import _count_syllables

    monkeypatch.setattr(_count_syllables, "get_cmudict", lambda lang: {})
    return textstat.flesch_kincaid_grade


def test_every_intervention_and_referral_has_plain_words_at_grade_8_or_below(rules, reading_grade):
    tables = rules.supportive
    for row in tables.interventions:
        assert row.patient_text.strip(), row.id
        grade = reading_grade(row.patient_text)
        assert grade <= MAX_GRADE, f"{row.id}: grade {grade}: {row.patient_text}"
    for row in tables.referrals:
        assert row.patient_text.strip(), row.id
        grade = reading_grade(row.patient_text)
        assert grade <= MAX_GRADE, f"{row.id}: grade {grade}: {row.patient_text}"


# ------------------------------------------------------------------ tables


def test_table_ids_unique_and_sources_resolve(rules):
    tables = rules.supportive
    ids = [row.id for row in tables.rows()]
    assert len(ids) == len(set(ids))
    assert all(i.startswith("sup.") for i in ids)
    for row in tables.rows():
        assert row.sources, row.id
        assert all(s in rules.sources for s in row.sources), row.id
    for disagreement in tables.disagreements.values():
        assert len(disagreement.positions) >= 2
        for position in disagreement.positions:
            assert all(s in rules.sources for s in position.sources)
    sup_sources = [s for s in rules.sources if s.startswith("sup.")]
    assert "sup.design_default" in sup_sources


def test_design_defaults_are_never_verified(rules):
    for row in rules.supportive.rows():
        if "sup.design_default" in row.sources:
            assert row.verified is False, row.id


def test_every_setting_default_is_inside_its_range(rules):
    for setting in rules.supportive.settings.values():
        if setting.kind == "number":
            assert setting.low <= setting.default <= setting.high, setting.name
        else:
            assert setting.default in setting.options
    resolved = SupportiveSettings.resolve(rules.supportive)
    assert resolved.chosen == frozenset()
    assert resolved.number("phq9_moderate_min") == 10
    assert resolved.number("esas_act_min") == 4
    assert resolved.number("weight_loss_percent_above") == 5


@pytest.mark.parametrize(
    ("overrides", "words"),
    [
        ({"no_such_setting": 1}, "unknown supportive settings"),
        ({"phq9_moderate_min": 40}, "outside"),
        ({"phq9_item9_min": 2}, "outside"),
        ({"itch_ladder": "random"}, "not one of"),
        ({"esas_act_min": "four"}, "not a number"),
    ],
)
def test_bad_settings_are_refused(rules, overrides, words):
    with pytest.raises(ValueError, match=words):
        SupportiveSettings.resolve(rules.supportive, overrides)


# Problems the rules raise only from "moderate" up (ESAS-r items at or above the act cut-off,
# PHQ-9/GAD-7 bands, encephalopathy grades): they never come out "mild".
NEVER_MILD = {
    "anxiety",
    "breathlessness",
    "depression",
    "drowsiness",
    "encephalopathy",
    "fatigue",
    "nausea",
}


def test_every_problem_has_an_unconditional_row_for_each_severity_it_can_take(rules):
    rows = rules.supportive.interventions
    for problem in PROBLEM_DOMAINS:
        unconditional = {
            s
            for r in rows
            if r.problem == problem and not (r.requires or r.any_of or r.choice)
            for s in r.severities
        }
        expected = {"moderate", "severe"} | (set() if problem in NEVER_MILD else {"mild"})
        assert expected <= unconditional, (
            f"{problem}: no unconditional row for {expected - unconditional}"
        )


def _copy_rules(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target)
    return target


@pytest.mark.parametrize(
    ("file", "old", "new", "words"),
    [
        (
            "supportive_interventions.toml",
            'problem = "pain"\n',
            'problem = "pain"\nsurprise = 1\n',
            "unknown keys",
        ),
        (
            "supportive_interventions.toml",
            'requires = ["hepatic_modifier"]',
            'requires = ["liver_bad"]',
            "unknown facts",
        ),
        (
            "supportive_interventions.toml",
            "values = { label_max_g = 4, weight_kg = 50 }",
            "values = { label_max_g = 4, weight_kg = 50, extra = 1 }",
            "never used",
        ),
        (
            "supportive_interventions.toml",
            "values = { cap_mg = 8 }",
            "values = { cap = 8 }",
            "no value",
        ),
        (
            "supportive_referrals.toml",
            'service = "dietitian"',
            'service = "nutritionist"',
            "not one of",
        ),
        ("supportive_referrals.toml", 'urgency = "routine"', 'urgency = "soon"', "not one of"),
        ("supportive_referrals.toml", 'code = "weight_loss"', 'code = "weight"', "not one of"),
        (
            "supportive_referrals.toml",
            'sources = ["sup.contract"]',
            'sources = ["sup.nowhere"]',
            "not defined",
        ),
        (
            "supportive_referrals.toml",
            'with_classes = ["cdk46_inhibitor", "mtor_inhibitor"]',
            'with_classes = ["cdk_thing"]',
            "not a drug class",
        ),
        ("supportive.toml", 'name = "falls_min"', 'name = "falls_minimum"', "not a number setting"),
        (
            "supportive.toml",
            'default = "etg"\noptions = ["etg", "bsg"]',
            'default = "eg"\noptions = ["etg", "bsg"]',
            "not one of its options",
        ),
    ],
)
def test_loader_is_strict(tmp_path, file, old, new, words):
    root = _copy_rules(tmp_path)
    path = root / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(RulesError, match=words):
        load_rules(root)


def test_duplicate_ids_are_refused(tmp_path):
    root = _copy_rules(tmp_path)
    path = root / "supportive_referrals.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('id = "sup.ref.spiritual"', 'id = "sup.ref.palliative.early"'),
        encoding="utf-8",
    )
    with pytest.raises(RulesError, match="defined twice"):
        load_rules(root)
