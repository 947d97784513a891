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
