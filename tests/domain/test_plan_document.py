"""The plan document's typed read model (planner.domain.plan_document): every plan the engine
makes from the cases in tests/data reads, decided or not; a plan kept by an older version (no
newer keys, older shapes) reads; the model holds what the JSON holds for every field it exposes;
a document it cannot read is refused naming the field."""

from __future__ import annotations

import copy
import dataclasses
import json
from collections.abc import Iterator, Mapping
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from planner.domain.decision import Decision, DoseChange, HeldDrug, decided_plan, plan_course
from planner.domain.evidence import Basis, Gap
from planner.domain.plan_document import (
    PlanDocument,
    PlanDocumentError,
    read_plan,
)
from planner.domain.plan_words import option_title
from planner.domain.vocabulary import DoseStatus, Service
from planner.services.case_commands import make_plan

DATA = Path(__file__).resolve().parents[1] / "data"
# cases written to be refused (exit 2 naming the field): they make no plan to read
REFUSED_BY_DESIGN = {"cycle_review_independent4/12_vinorelbine_anc_unit_error.json"}
CASES = sorted(
    p.relative_to(DATA).as_posix()
    for p in DATA.rglob("*.json")
    if json.loads(p.read_text(encoding="utf-8")).get("schema") == "planner.case/1"
    and p.relative_to(DATA).as_posix() not in REFUSED_BY_DESIGN
)
OLD_PLAN = DATA / "plans" / "example_plan.json"

# model field -> JSON key, where Python cannot use the key's own name
KEYS = {
    "child_class": "class",
    "with_drugs": "with",
    "for_": "for",
    "from_field": "from",
    "from_value": "from",
    "to_value": "to",
}


@cache
def _plan(case: str) -> dict[str, Any]:
    return make_plan(json.loads((DATA / case).read_text(encoding="utf-8")))


def _decided(plan: Mapping[str, Any]) -> dict[str, Any] | None:
    """The plan as decided on its first option with a dose: the first dosed drug changed, any
    other dosed drug held (both kinds of `decided` row)."""
    for option in plan["options"]:
        dosed = [d for d in option["drugs"] if d.get("dose")]
        if not dosed:
            continue
        first, *rest = dosed
        decision = Decision(
            "option",
            option["regimen"],
            "team decision",
            "Dr T",
            "2026-12-07T04:00",
            dose_changes=(
                DoseChange(
                    first["drug"],
                    first["dose"]["value"] * 0.8,
                    first["dose"]["unit"],
                    "frail",
                ),
            ),
            held=tuple(HeldDrug(d["drug"], "wait") for d in rest[:1]),
        )
        return decided_plan({**plan, "decision": decision.to_json()})
    return None


def _same(model: Any, data: Any, path: str) -> Iterator[str]:
    """Where the model and the JSON disagree (nothing: they hold the same)."""
    if isinstance(model, Basis | Gap | Decision):
        expected = model.to_json()
        got = {k: data.get(k) for k in expected} if isinstance(data, Mapping) else data
        if isinstance(model, Basis) and "verified" not in (data or {}):
            got["verified"] = True  # absent: verified, as the engine writes it
        if isinstance(model, Gap) and not model.for_drugs:
            expected.pop("for_drugs", None)
            got.pop("for_drugs", None)
        if isinstance(model, Decision):  # Decision.to_json writes every key; compare its own
            got = {k: data.get(k, expected[k]) for k in expected}
        if expected != got:
            yield f"{path}: {expected!r} != {got!r}"
    elif dataclasses.is_dataclass(model):
        if not isinstance(data, Mapping):
            yield f"{path}: {type(model).__name__} from {data!r}"
            return
        for f in dataclasses.fields(model):
            if f.name in ("albi_score", "albi_grade"):
                value = (data.get("albi") or {}).get(f.name.removeprefix("albi_"))
            else:
                value = data.get(KEYS.get(f.name, f.name))
            yield from _same(getattr(model, f.name), value, f"{path}.{f.name}")
    elif isinstance(model, tuple):
        found = list(data or ())
        if len(model) != len(found):
            yield f"{path}: {len(model)} entries, the JSON has {len(found)}"
        for i, (m, d) in enumerate(zip(model, found, strict=False)):
            yield from _same(m, d, f"{path}[{i}]")
    elif isinstance(model, Mapping):
        found = dict(data or {})
        if set(model) != set(found):
            yield f"{path}: keys {sorted(model)} != {sorted(found)}"
        for key in model:
            yield from _same(model[key], found.get(key), f"{path}.{key}")
    elif isinstance(model, bool) and data is None:
        if model:  # a flag the document leaves out reads as false
            yield f"{path}: True from an absent flag"
    elif isinstance(model, StrEnum):
        if model.value != data:
            yield f"{path}: {model!r} != {data!r}"
    elif (model != data or type(model) is not type(data)) and not (
        isinstance(data, float) and type(model) is int and model == data  # a count as 14.0
    ):
        yield f"{path}: {model!r} != {data!r}"


def _disagreements(document: Mapping[str, Any]) -> list[str]:
    return list(_same(read_plan(document), document, "plan"))


@pytest.mark.parametrize("case", CASES)
def test_every_plan_of_the_test_cases_reads_whole(case):
    plan = _plan(case)
    assert _disagreements(plan) == []


@pytest.mark.parametrize("case", CASES[::6])
def test_a_decided_plan_reads_whole(case):
    decided = _decided(_plan(case))
    if decided is None:  # nothing to decide on: no option gives a dose
        assert not any(d.get("dose") for o in _plan(case)["options"] for d in o["drugs"])
        return
    assert _disagreements(decided) == []
    document = read_plan(decided)
    assert document.as_decided
    assert document.decision is not None
    chosen = [o for o in document.options if o.chosen]
    assert len(chosen) == 1
    assert any(d.decided is not None for d in chosen[0].drugs)


def test_best_supportive_care_decided_reads():
    plan = _plan("cases/example.json")
    decision = Decision("supportive_care", None, "her wish", "Dr T", "2026-12-07T04:00")
    document = read_plan(decided_plan({**plan, "decision": decision.to_json()}))
    assert document.decision is not None
    assert document.decision.course == "supportive_care"
    assert not any(o.chosen for o in document.options)


def test_doses_are_the_documents_own():
    """No re-computation: the value object is the document's number, int stays int."""
    plan = copy.deepcopy(_plan("cases/example.json"))
    drug = next(d for o in plan["options"] for d in o["drugs"] if d.get("dose"))
    drug["dose"] = {"value": 333, "unit": "mg"}
    drug["absolute_dose"]["value"] = 517.3333333
    row = read_plan(plan).options[0].drug(drug["drug"])
    assert row is not None
    assert row.dose is not None
    assert (row.dose.value, type(row.dose.value), row.dose.unit) == (333, int, "mg")
    assert row.absolute_dose is not None
    assert row.absolute_dose.value == 517.3333333


def test_closed_codes_are_the_vocabulary_members():
    document = read_plan(_plan("cases/example.json"))
    assert all(isinstance(d.status, DoseStatus) for o in document.options for d in o.drugs)
    assert all(isinstance(r.service, Service) for r in document.referrals)


def test_the_option_title_is_the_one_the_words_table_gives():
    for case in CASES[::4]:
        plan = _plan(case)
        for raw, option in zip(plan["options"], read_plan(plan).options, strict=True):
            assert option.title == option_title(raw)


# ---- plans kept by older versions -------------------------------------------------------------


def test_the_kept_older_plan_reads():
    """tests/data/plans/example_plan.json was kept before `sources`, `medications`,
    `lab_confirmations`, `given`, ...: those read as empty; its older shapes (interventions as
    {text, patient_text}, `patient_text` as one text, `overrides`, `assessed_on`) read too."""
    raw = json.loads(OLD_PLAN.read_text(encoding="utf-8"))
    document = read_plan(raw)
    assert isinstance(document, PlanDocument)
    assert document.sources == {}
    assert document.medications == ()
    assert document.medications_recorded is None
    assert document.lab_confirmations == ()
    assert document.next_cycle is None
    assert document.decision is None
    assert document.assessed_on == raw["assessed_on"]
    assert [o.to_value for o in document.overrides] == [o["to"] for o in raw["overrides"]]
    itch = document.supportive[1]
    old = raw["supportive"][1]
    assert itch.interventions == tuple(i["text"] for i in old["interventions"])
    assert [i.patient_text for i in itch.intervention_details] == [
        i["patient_text"] for i in old["interventions"]
    ]
    first = document.supportive[0]
    assert first.patient_text == (raw["supportive"][0]["patient_text"],)
    # everything else it holds, the model holds
    for option, kept in zip(document.options, raw["options"], strict=True):
        assert not list(_same(option, kept, "option"))
    assert not list(_same(document.alerts, raw["alerts"], "alerts"))
    assert not list(_same(document.hepatic, raw["hepatic"], "hepatic"))


def _paths(node: Any, path: str = "") -> Iterator[tuple[str, tuple[Any, ...]]]:
    """(pattern, route) of every key in the document: `options[].drugs[].given`."""
    if isinstance(node, Mapping):
        for key, value in node.items():
            here = f"{path}.{key}" if path else str(key)
            if path == "sources" or path == "settings":
                continue  # ids and settings are data, not the document's keys
            yield here, (key,)
            for sub, route in _paths(value, here):
                yield sub, (key, *route)
    elif isinstance(node, list):
        for item in node:
            for sub, route in _paths(item, f"{path}[]"):
                yield sub, (None, *route)


def _without(node: Any, route: tuple[Any, ...]) -> Any:
    """`node` with the key at `route` left out everywhere (None: every list entry); only the
    containers on the way are copied."""
    head, *rest = route
    if head is None and isinstance(node, list):
        return [_without(item, tuple(rest)) for item in node]
    if not isinstance(node, Mapping) or head not in node:
        return node
    if not rest:
        return {k: v for k, v in node.items() if k != head}
    return {**node, head: _without(node[head], tuple(rest))}


def _required(pattern: str) -> bool:
    """What no version ever left out, and without which the entry is not one: a dose's value,
    and the parts of a clinician's decision (its course; a change's or hold's drug and reason)."""
    if pattern.endswith(".value") and not pattern.startswith("decision."):
        return True
    if pattern.endswith(".counts.cycles"):  # the first cycles a label's counts hold for
        return True
    return pattern == "decision.course" or pattern in {
        f"decision.{part}[].{key}"
        for part, keys in (
            ("dose_changes", ("drug", "value", "unit", "reason")),
            ("held", ("drug", "reason")),
        )
        for key in keys
    }


def test_any_key_left_out_reads():
    """A plan from before any one key existed reads (absent: None or empty), whichever key, but
    a dose without its value: that is refused naming it, never read as some dose."""
    first = _plan("cases/example.json")
    decided = _decided(first)
    assert decided is not None
    # the first plan whole; of the others what the first plan does not have
    plans = [
        (first, lambda pattern: True),
        (_plan("cases/on_treatment_capecitabine.json"), lambda p: p.startswith("next_cycle")),
        (decided, lambda p: "decid" in p or "chosen" in p or "suggested" in p),
    ]
    for plan, wanted in plans:
        routes = {p: r for p, r in _paths(plan) if wanted(p)}
        assert routes
        for pattern, route in routes.items():
            older = _without(plan, route)
            if _required(pattern):
                with pytest.raises(PlanDocumentError) as refused:
                    read_plan(older)
                assert refused.value.path.startswith(pattern.split("[")[0].split(".")[0])
                continue
            try:
                read_plan(older)
            except PlanDocumentError as error:  # the failure says which key
                pytest.fail(f"without {pattern}: {error}")


def test_a_kept_review_suggestion_reads_on_its_own():
    from planner.domain.plan_document import read_next_cycle

    plan = _plan("cases/on_treatment_capecitabine.json")
    review = read_next_cycle(plan["next_cycle"])
    assert not list(_same(review, plan["next_cycle"], "next_cycle"))


# ---- what it refuses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (
            lambda p: p["options"][0]["drugs"][0].update(status="maybe"),
            "options[0].drugs[0].status",
        ),
        (
            lambda p: p["options"][0]["drugs"][0].update(dose={"unit": "mg"}),
            "options[0].drugs[0].dose.value",
        ),
        (lambda p: p["options"][0].update(rank="first"), "options[0].rank"),
        (lambda p: p["alerts"][0].update(level="urgent"), "alerts[0].level"),
        (lambda p: p["referrals"][0].update(urgency="soon"), "referrals[0].urgency"),
        (lambda p: p.update(gaps={"field": "x"}), "gaps"),
        (lambda p: p["follow_up"].update(monitoring=[1]), "follow_up.monitoring[0]"),
        (lambda p: p.update(decision={"course": "maybe"}), "decision.course"),
    ],
)
def test_a_document_it_cannot_read_is_refused_naming_the_field(change, path):
    plan = copy.deepcopy(_plan("cases/example.json"))
    change(plan)
    with pytest.raises(PlanDocumentError) as refused:
        read_plan(plan)
    assert refused.value.path == path


def test_label_counts_without_their_cycles_are_refused():
    """A label's blood-count days (palbociclib, ribociclib: days 1 and 15 of the first 2 cycles)
    without how many first cycles they hold for are refused naming the field, never read as the
    first cycle only (walk 23 HARM 4)."""
    plan = copy.deepcopy(_plan("cases/review/13_elderly_45kg_crcl25_pain7_depressed.json"))
    found = [
        (f"options[{i}].drugs[{j}].given.counts", drug["given"]["counts"])
        for i, option in enumerate(plan["options"])
        for j, drug in enumerate(option["drugs"])
        if (drug.get("given") or {}).get("counts")
    ]
    assert found, "no option of the case has label counts"
    path, counts = found[0]
    assert counts["cycles"] == 2
    counts.pop("cycles")
    with pytest.raises(PlanDocumentError) as refused:
        read_plan(plan)
    assert refused.value.path == path + ".cycles"


@pytest.mark.parametrize("case", CASES[::3])
def test_the_course_is_the_one_plan_course_gives(case):
    """`PlanDocument.course` answers as planner.domain.decision.plan_course does, for the plan
    as suggested, decided on an option and decided as best supportive care."""
    plan = _plan(case)
    bsc = Decision("supportive_care", None, "her wish", "Dr T", "2026-12-07T04:00")
    plans = [plan, decided_plan({**plan, "decision": bsc.to_json()})]
    plans += [p for p in (_decided(plan),) if p is not None]
    for document in plans:
        expected, got = plan_course(document), read_plan(document).course
        assert got.leads == expected.leads
        assert got.decision == expected.decision
        assert (got.option and got.option.regimen) == (expected.option or {}).get("regimen")


def test_the_course_is_named_as_the_print_names_it():
    """`Course.title` is the leading option's title; a decided regimen the options no longer
    list is named by its code in words (the decision page and the appendix said so from a
    `{"regimen": …}` dictionary); supportive care has no option title."""
    plan = _plan("cases/example.json")
    document = read_plan(plan)
    leading = document.course
    assert leading.option is not None
    assert leading.title == leading.option.title == option_title(plan["options"][0])
    gone = Decision("option", "weekly_paclitaxel_gone", "as discussed", "Dr T", "2026-12-07T04:00")
    decided = read_plan({**plan, "decision": gone.to_json()}).course
    assert (decided.option, decided.title) == (None, "Weekly paclitaxel gone")
    bsc = Decision("supportive_care", None, "her wish", "Dr T", "2026-12-07T04:00")
    assert read_plan({**plan, "decision": bsc.to_json()}).course.title == ""
