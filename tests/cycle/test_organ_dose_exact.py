"""The organ-function cap of a cycle review is the dose the band gives, not its rounded percent
(found driving the course window: ribociclib in Child–Pugh B printed 400.02 mg). KISQALI US PI
§2.2 / §8.6: moderate or severe hepatic impairment (Child–Pugh B or C), 400 mg once daily."""

from __future__ import annotations

from tests.cycle.conftest import drug_of as drug

RIBOCICLIB = {"letrozole": (2.5, 2.5, "mg"), "ribociclib": (600, 600, "mg")}


def test_ribociclib_in_child_pugh_b_is_400_mg_exactly(review, example_raw):
    example_raw["clinical"]["ascites"] = "mild"
    example_raw["clinical"]["encephalopathy"] = "grade_1_2"
    found = review("letrozole_ribociclib", RIBOCICLIB, labs={"inr": {"value": 1.1}})
    ribociclib = drug(found, "ribociclib")
    assert ribociclib["action"] == "reduce"
    assert ribociclib["dose"] == {"value": 400, "unit": "mg"}
    assert ribociclib["percent_of_starting"] == 66.7
