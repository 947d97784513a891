"""Walk 23 #18: the patient cycle sheet printed "Constipation (hard or infrequent stools;
vinorelbine, opioids)" to a woman on fulvestrant and palbociclib. A side effect's plain words
(her page's "Side effects to tell us about") describe the effect only: they name no drug, so
her words never name a medicine she does not take."""

from __future__ import annotations

import re

from planner.domain.instruments.ctcae_terms import ctcae_terms
from planner.rules.loader import load_rules


def test_no_side_effect_plain_words_name_a_drug():
    ruleset = load_rules()
    names = {n.lower() for d in ruleset.drugs.values() for n in (d.name, *d.synonyms)}
    names |= {"opioids", "opioid"}
    found = []
    for term in ctcae_terms(ruleset.instruments):
        words = set(re.findall(r"[a-z][a-z-]+", term.plain.lower()))
        found += [(term.term, name) for name in names if name in words]
    assert found == []
