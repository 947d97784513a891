"""Strict reader of resources/rules/cycle/*.toml into the domain's CycleTables (contract §5).

Each file may hold `[meta]`, `[[source]]` (merged by the main loader), `[[ladder]]`, `[[rule]]`
and `[[alert]]`:

    [[ladder]]  drug, unit, percents = [100, 75, 50] | doses = [100, 75, 55], re_escalate,
                below_last, text, sources, verified  (optional match_within_percent, default 5;
                days: the days of a cycle the label's table covers; label_set: "us" or "eu",
                a label set's own ladder beside the common one)
    [[rule]]    id, drug, action, reason, sources, verified; terms + grades = [lo, hi] and/or
                when = [{measure, above|from, below|upto}]; optional occurrences = [lo, hi],
                min_days, days = [1, 8], at_levels = [lo, hi] (the current dose level), level,
                down, resolve_to, resume_when, recheck_in_days
    [[alert]]   id, code, level, message, sources, verified; terms + grades and/or when; drugs

Unknown keys, drugs outside the catalogue, terms outside the case's enumeration, levels beyond a
drug's ladder and rules for a drug without a ladder are errors.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from planner.domain.case import TOXICITY_TERMS
from planner.domain.cycle_tables import (
    ACTIONS,
    BELOW_LAST,
    MEASURES,
    AlertRule,
    CycleRule,
    CycleTables,
    Ladder,
    Threshold,
)
from planner.domain.settings import LABEL_SETS
from planner.domain.supportive_tables import ALERT_LEVELS
from planner.rules.strict import RulesError, flag, keys, number, rows, sources_resolve, text, texts

FOLDER = "cycle/"
_LADDER_UNITS = ("mg/m2", "mg/kg", "mg", "AUC")


def load_cycle_tables(
    documents: Mapping[str, dict[str, Any]], sources: Mapping[str, Any], drugs: Mapping[str, Any]
) -> CycleTables:
    ladders: dict[str, Ladder] = {}
    label_ladders: dict[tuple[str, str], Ladder] = {}
    rules: dict[str, list[CycleRule]] = {}
    alerts: list[AlertRule] = []
    ids: set[str] = set()
    for name in sorted(documents):
        if not name.startswith(FOLDER):
            continue
        document = documents[name]
        keys(document, {"meta"}, {"source", "ladder", "rule", "alert"}, name)
        meta = document["meta"]
        keys(meta, {"table", "version", "reviewed_on"}, set(), f"{name} [meta]")
        if meta["table"] != "cycle":
            raise RulesError(f'{name} [meta]: table must be "cycle"')
        for i, row in enumerate(rows(document, "source", name)):
            if not str(row.get("id", "")).startswith("cycle."):
                raise RulesError(f"{name} source[{i}]: ids in cycle tables start with 'cycle.'")
        for i, row in enumerate(rows(document, "ladder", name)):
            ladder = _ladder(row, f"{name} ladder[{i}]", sources, drugs)
            key = ladder.drug if ladder.label_set is None else (ladder.drug, ladder.label_set)
            if key in ladders or key in label_ladders:
                raise RulesError(f"{name} ladder[{i}]: {key!r} has a ladder already")
            if ladder.label_set is None:
                ladders[ladder.drug] = ladder
            else:
                label_ladders[(ladder.drug, ladder.label_set)] = ladder
        for i, row in enumerate(rows(document, "rule", name)):
            rule = _rule(row, f"{name} rule[{i}]", sources)
            if rule.id in ids:
                raise RulesError(f"{name} rule[{i}]: id {rule.id!r} is defined twice")
            ids.add(rule.id)
            rules.setdefault(rule.drug, []).append(rule)
        for i, row in enumerate(rows(document, "alert", name)):
            alert = _alert(row, f"{name} alert[{i}]", sources, drugs)
            if alert.id in ids:
                raise RulesError(f"{name} alert[{i}]: id {alert.id!r} is defined twice")
            ids.add(alert.id)
            alerts.append(alert)
    for drug, label_set in label_ladders:
        if drug not in ladders:
            raise RulesError(f"cycle tables: {drug!r} has a {label_set} ladder but no common one")
    for drug, found in rules.items():
        drug_ladder = ladders.get(drug)
        if drug_ladder is None:
            raise RulesError(f"cycle tables: rules for {drug!r}, which has no [[ladder]]")
        shortest = min(
            len(each.percents or each.doses or ())
            for each in (drug_ladder, *(v for (d, _), v in label_ladders.items() if d == drug))
        )
        lowest = -(shortest - 1)
        for rule in found:
            if rule.level is not None and rule.level < lowest:
                raise RulesError(f"{rule.id}: level {rule.level} is below {drug}'s last level")
            if rule.at_levels is not None and rule.at_levels[0] < lowest:
                raise RulesError(
                    f"{rule.id}: at_levels {rule.at_levels} reach below {drug}'s last level"
                )
    return CycleTables(
        ladders=MappingProxyType(ladders),
        rules=MappingProxyType({d: tuple(r) for d, r in rules.items()}),
        alerts=tuple(alerts),
        label_ladders=MappingProxyType(label_ladders),
    )


def _cited(row: Mapping[str, Any], where: str, sources: Mapping[str, Any]) -> tuple[str, ...]:
    cited = texts(row, "sources", where)
    sources_resolve(cited, sources, where)
    return cited


def _numbers(row: Mapping[str, Any], key: str, where: str) -> tuple[float, ...]:
    value = row[key]
    if not isinstance(value, list) or not value:
        raise RulesError(f"{where}.{key}: must be a non-empty list of numbers")
    return tuple(number({key: v}, key, where) for v in value)


def _whole(row: Mapping[str, Any], key: str, where: str) -> int | None:
    if key not in row:
        return None
    value = number(row, key, where)
    if not value.is_integer():
        raise RulesError(f"{where}.{key}: {value:g} is not a whole number")
    return int(value)


def _range(row: Mapping[str, Any], key: str, where: str, low: int, high: int) -> tuple[int, int]:
    value = row[key]
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or not low <= value[0] <= value[1] <= high
    ):
        raise RulesError(f"{where}.{key}: {value!r} is not an ascending pair within {low}–{high}")
    return value[0], value[1]


def _ladder(
    row: Mapping[str, Any], where: str, sources: Mapping[str, Any], drugs: Mapping[str, Any]
) -> Ladder:
    keys(
        row,
        {"drug", "unit", "re_escalate", "below_last", "text", "sources", "verified"},
        {"percents", "doses", "match_within_percent", "days", "label_set"},
        where,
    )
    drug = text(row, "drug", where)
    label_set = text(row, "label_set", where) if "label_set" in row else None
    if label_set is not None and label_set not in LABEL_SETS:
        raise RulesError(f"{where}.label_set: {label_set!r} is not one of {LABEL_SETS}")
    if drug not in drugs:
        raise RulesError(f"{where}.drug: {drug!r} is not in drugs.toml")
    unit = text(row, "unit", where)
    if unit not in _LADDER_UNITS:
        raise RulesError(f"{where}.unit: {unit!r} is not one of {_LADDER_UNITS}")
    if ("percents" in row) == ("doses" in row):
        raise RulesError(f"{where}: give either percents or doses")
    percents = _numbers(row, "percents", where) if "percents" in row else None
    doses = _numbers(row, "doses", where) if "doses" in row else None
    steps = percents or doses or ()
    if any(a <= b for a, b in itertools.pairwise(steps)) or steps[-1] <= 0:
        raise RulesError(f"{where}: levels must be positive and strictly descending")
    if percents is not None and percents[0] != 100:
        raise RulesError(f"{where}.percents: level 0 must be 100")
    below_last = text(row, "below_last", where)
    if below_last not in BELOW_LAST:
        raise RulesError(f"{where}.below_last: {below_last!r} is not one of {BELOW_LAST}")
    within = number(row, "match_within_percent", where) if "match_within_percent" in row else 5.0
    if not 0 <= within < 20:
        raise RulesError(f"{where}.match_within_percent: {within:g} is outside 0–20")
    return Ladder(
        drug=drug,
        unit=unit,
        percents=percents,
        doses=doses,
        match_within_percent=within,
        re_escalate=flag(row, "re_escalate", where),
        below_last=below_last,
        days=tuple(int(d) for d in _numbers(row, "days", where)) if "days" in row else None,
        text=text(row, "text", where),
        sources=_cited(row, where, sources),
        verified=flag(row, "verified", where),
        label_set=label_set,
    )


def _threshold(row: Mapping[str, Any], where: str) -> Threshold:
    if not isinstance(row, dict):
        raise RulesError(f"{where}: must be a table")
    keys(row, {"measure"}, {"above", "from", "below", "upto"}, where)
    measure = row["measure"]
    if measure not in MEASURES:
        raise RulesError(f"{where}.measure: {measure!r} is not one of {sorted(MEASURES)}")
    if ("above" in row and "from" in row) or ("below" in row and "upto" in row):
        raise RulesError(f"{where}: give one lower and one upper edge at most")
    low_key = "above" if "above" in row else "from" if "from" in row else None
    high_key = "below" if "below" in row else "upto" if "upto" in row else None
    if low_key is None and high_key is None:
        raise RulesError(f"{where}: needs a lower or an upper edge")
    low = number(row, low_key, where) if low_key else None
    high = number(row, high_key, where) if high_key else None
    if low is not None and high is not None and not low < high:
        raise RulesError(f"{where}: lower edge {low:g} is not below upper edge {high:g}")
    return Threshold(measure, low, low_key == "from", high, high_key == "upto")


def _when(row: Mapping[str, Any], where: str) -> tuple[Threshold, ...]:
    listed = row.get("when", [])
    if not isinstance(listed, list):
        raise RulesError(f"{where}.when: must be a list of conditions")
    return tuple(_threshold(c, f"{where}.when[{j}]") for j, c in enumerate(listed))


def _terms(row: Mapping[str, Any], where: str) -> tuple[tuple[str, ...], tuple[int, int] | None]:
    terms = texts(row, "terms", where) if "terms" in row else ()
    for term in terms:
        if term not in TOXICITY_TERMS:
            raise RulesError(f"{where}.terms: {term!r} is not a CTCAE term of the case")
    grades = _range(row, "grades", where, 0, 5) if "grades" in row else None
    if bool(terms) != (grades is not None):
        raise RulesError(f"{where}: terms and grades go together")
    return terms, grades


def _rule(row: Mapping[str, Any], where: str, sources: Mapping[str, Any]) -> CycleRule:
    keys(
        row,
        {"id", "drug", "action", "reason", "sources", "verified"},
        {
            "terms",
            "grades",
            "occurrences",
            "min_days",
            "days",
            "at_levels",
            "when",
            "level",
            "down",
            "resolve_to",
            "resume_when",
            "recheck_in_days",
        },
        where,
    )
    rule_id = text(row, "id", where)
    if not rule_id.startswith("cycle."):
        raise RulesError(f"{where}.id: {rule_id!r} must start with 'cycle.'")
    terms, grades = _terms(row, where)
    when = _when(row, where)
    if not terms and not when:
        raise RulesError(f"{where}: a rule needs terms and grades, or when")
    action = text(row, "action", where)
    if action not in ACTIONS:
        raise RulesError(f"{where}.action: {action!r} is not one of {ACTIONS}")
    level, down = _whole(row, "level", where), _whole(row, "down", where)
    if level is not None and down is not None:
        raise RulesError(f"{where}: give level or down, not both")
    if (level is not None and level > 0) or (down is not None and down < 1):
        raise RulesError(f"{where}: level must be 0 or below, down 1 or more")
    if action == "discontinue" and (level is not None or down is not None):
        raise RulesError(f"{where}: a discontinue row names no dose level")
    days = tuple(int(d) for d in _numbers(row, "days", where)) if "days" in row else None
    resume_when = text(row, "resume_when", where) if "resume_when" in row else ""
    resolve_to = _whole(row, "resolve_to", where)
    if (action == "hold" or resolve_to is not None) and not resume_when:
        raise RulesError(f"{where}: a hold says when to resume (resume_when)")
    return CycleRule(
        id=rule_id,
        drug=text(row, "drug", where),
        terms=terms,
        grades=grades,
        occurrences=_range(row, "occurrences", where, 1, 50) if "occurrences" in row else None,
        min_days=_whole(row, "min_days", where),
        days=days,
        when=when,
        action=action,
        level=level,
        down=down,
        resolve_to=resolve_to,
        resume_when=resume_when,
        recheck_in_days=_whole(row, "recheck_in_days", where),
        reason=text(row, "reason", where),
        sources=_cited(row, where, sources),
        verified=flag(row, "verified", where),
        at_levels=_range(row, "at_levels", where, -50, 0) if "at_levels" in row else None,
    )


def _alert(
    row: Mapping[str, Any], where: str, sources: Mapping[str, Any], drugs: Mapping[str, Any]
) -> AlertRule:
    keys(
        row,
        {"id", "code", "level", "message", "sources", "verified"},
        {"terms", "grades", "when", "drugs"},
        where,
    )
    terms, grades = _terms(row, where)
    when = _when(row, where)
    if not terms and not when:
        raise RulesError(f"{where}: an alert needs terms and grades, or when")
    level = text(row, "level", where)
    if level not in ALERT_LEVELS:
        raise RulesError(f"{where}.level: {level!r} is not one of {ALERT_LEVELS}")
    named = texts(row, "drugs", where) if "drugs" in row else ()
    for drug in named:
        if drug not in drugs:
            raise RulesError(f"{where}.drugs: {drug!r} is not in drugs.toml")
    return AlertRule(
        id=text(row, "id", where),
        code=text(row, "code", where),
        level=level,
        terms=terms,
        grades=grades,
        drugs=frozenset(named),
        when=when,
        message=text(row, "message", where),
        sources=_cited(row, where, sources),
        verified=flag(row, "verified", where),
    )
