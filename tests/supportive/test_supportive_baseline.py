"""The quiet baseline has no problems; the contract example gives the expected picture."""

from __future__ import annotations


def test_quiet_case_has_no_problems_and_only_early_palliative_referral(run, quiet_raw, look):
    result = run.json(quiet_raw)
    assert result["supportive"] == []
    assert list(look.services(result)) == ["palliative_care"]
    assert look.services(result)["palliative_care"]["urgency"] == "routine"
    assert result["alerts"] == []
    assert result["follow_up"]["next_review_days"] == 28


def test_example_case(run, example_raw, look):
    result = run.json(example_raw)
    found = {p: i["severity"] for p, i in look.problems(result).items()}
    assert found == {
        "pain": "moderate",
        "fatigue": "moderate",
        "pruritus": "moderate",
        "jaundice": "moderate",
        "distress": "severe",
        "falls": "moderate",
        "reduced_mobility": "mild",
        "caregiver_strain": "moderate",
        "practical_needs": "moderate",
        "anorexia": "severe",
        "weight_loss": "moderate",
        # issue #15 (class 4): bone metastases now bring bone-health advice
        "bone_health": "moderate",
    }
    domains = {i["problem"]: i["domain"] for i in result["supportive"]}
    assert domains["anorexia"] == "nutritional"
    assert domains["falls"] == "functional"
    assert domains["caregiver_strain"] == "social"
    assert domains["distress"] == "psychological"
    assert set(look.services(result)) == {
        "physiotherapy",
        "palliative_care",
        "oncology",
        "pharmacist",
        "dietitian",
        "psychology",
        "social_work",
    }
    assert set(look.alerts(result)) == {
        "weight_loss",
        "hepatic_visceral_crisis_watch",
        "drug_interaction",
    }


def test_referrals_name_the_problems_they_serve(run, example_raw, look):
    services = look.services(run.json(example_raw))
    assert services["dietitian"]["problems"] == ["weight_loss", "anorexia"]
    assert services["physiotherapy"]["problems"][0] == "falls"
    assert "pain" in services["pharmacist"]["problems"]
    assert services["palliative_care"]["problems"]  # severe appetite loss, caregiver strain
