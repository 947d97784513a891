"""Strict reader of resources/rules/cycle/*.toml into the domain's CycleTables (contract §5).

Each file may hold `[meta]`, `[[source]]` (merged by the main loader), `[[ladder]]`, `[[rule]]`
and `[[alert]]`:

    [[ladder]]  drug, unit, percents = [100, 75, 50] | doses = [100, 75, 55], re_escalate,
                below_last, text, sources, verified  (optional match_within_percent, default 5;
                days: the days of a cycle the label's table covers; label_set: "us" or "eu",
                a label set's own ladder beside the common one; regimens: the regimen ids
                whose own dose levels these are, read before the label's; return_to: with
                re_escalate, the step each step returns to; organ_doses = true: a second
                ladder holding the label's liver doses, read after the label's)
    [[rule]]    id, drug, action, reason, sources, verified; terms + grades = [lo, hi] and/or
                when = [{measure, above|from, below|upto}]; optional occurrences = [lo, hi],
                min_days, days = [1, 8], at_levels = [lo, hi] (the current dose level),
                cycles = [lo, hi] (the cycles of the course it applies in), level,
                down, resolve_to, resume_when, recheck_in_days, later_doses_table (with
                terms and level: the row puts her on a table for all later doses)
    [[alert]]   id, code, level, message, sources, verified; terms + grades and/or when; drugs
    [[setting]] id, name, regimens, options, default, text, option_words, sources, verified: where
                the labels disagree for some regimens, a clinic setting; a [[rule]] with
                `setting` + `option` applies there only under that option (`regimens` on a rule:
                only in those regimens)
    [[companion]] id, drug, partner, follows = ["hold", "discontinue"], reason, sources, verified:
                a drug given only with its partner is held or discontinued with it
    [[liver_grading]] drug, basis = "x_uln" | "ctcae_baseline", text, sources, verified: how the
                drug's label grades ALT, AST and bilirubin for its rows by CTCAE term; every drug
                with such a row has one (an unstated basis is an error, never a default)

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
    LIVER_TERMS,
    AlertRule,
    Companion,
    CycleRule,
    CycleSetting,
    CycleTables,
    Ladder,
    LiverGrading,
    Threshold,
)
from planner.rules.errors import RulesError
from planner.rules.reader import Layout, TableReader, band_edges, check_document, rows

FOLDER = "cycle/"
LAYOUT = Layout(
    "cycle/*.toml",
    {
        "ladder": Ladder,
        "rule": CycleRule,
        "alert": AlertRule,
        "companion": Companion,
        "setting": CycleSetting,
        "liver_grading": LiverGrading,
    },
    table="cycle",
    source_prefix="cycle.",
    doc="The cycle review: each drug's dose levels ([[ladder]]), its label's modification rules "
    "([[rule]]), the on-treatment alerts ([[alert]]), the drugs given only with a partner "
    "([[companion]]) and how each label grades the liver tests ([[liver_grading]]).",
)


def load_cycle_tables(
    documents: Mapping[str, dict[str, Any]], sources: Mapping[str, Any], drugs: Mapping[str, Any]
) -> CycleTables:
    reader = TableReader(sources, drugs)
    ladders: dict[str, Ladder] = {}
    label_ladders: dict[tuple[str, str], Ladder] = {}
    regimen_ladders: dict[tuple[str, str], Ladder] = {}
    organ_ladders: dict[str, Ladder] = {}
    rules: dict[str, list[CycleRule]] = {}
    alerts: list[AlertRule] = []
    companions: list[Companion] = []
    settings: dict[str, CycleSetting] = {}
    liver_grading: dict[str, LiverGrading] = {}
    ids: set[str] = set()
    for name in sorted(documents):
        if not name.startswith(FOLDER):
            continue
        document = documents[name]
        check_document(LAYOUT, name, document)
        for i, row in enumerate(rows(document, "ladder", name)):
            ladder = _ladder(reader, row, f"{name} ladder[{i}]")
            if ladder.organ_doses:
                if ladder.regimens or ladder.label_set is not None:
                    raise RulesError(
                        f"{name} ladder[{i}]: an organ-function ladder names no regimens or "
                        "label_set"
                    )
                if ladder.drug in organ_ladders:
                    raise RulesError(
                        f"{name} ladder[{i}]: {ladder.drug!r} has an organ-function ladder already"
                    )
                organ_ladders[ladder.drug] = ladder
                continue
            if ladder.regimens:
                if ladder.label_set is not None:
                    raise RulesError(
                        f"{name} ladder[{i}]: a regimen's own ladder names no label_set"
                    )
                for regimen in ladder.regimens:
                    if (ladder.drug, regimen) in regimen_ladders:
                        raise RulesError(
                            f"{name} ladder[{i}]: {ladder.drug!r} has a ladder for {regimen!r} "
                            "already"
                        )
                    regimen_ladders[(ladder.drug, regimen)] = ladder
                continue
            key = ladder.drug if ladder.label_set is None else (ladder.drug, ladder.label_set)
            if key in ladders or key in label_ladders:
                raise RulesError(f"{name} ladder[{i}]: {key!r} has a ladder already")
            if ladder.label_set is None:
                ladders[ladder.drug] = ladder
            else:
                label_ladders[(ladder.drug, ladder.label_set)] = ladder
        for i, row in enumerate(rows(document, "rule", name)):
            rule = _rule(reader, row, f"{name} rule[{i}]")
            if rule.id in ids:
                raise RulesError(f"{name} rule[{i}]: id {rule.id!r} is defined twice")
            ids.add(rule.id)
            rules.setdefault(rule.drug, []).append(rule)
        for i, row in enumerate(rows(document, "alert", name)):
            alert = _alert(reader, row, f"{name} alert[{i}]")
            if alert.id in ids:
                raise RulesError(f"{name} alert[{i}]: id {alert.id!r} is defined twice")
            ids.add(alert.id)
            alerts.append(alert)
        for i, row in enumerate(rows(document, "setting", name)):
            where = f"{name} setting[{i}]"
            setting = reader.row(CycleSetting, row, where)
            if setting.id in ids or setting.name in settings:
                raise RulesError(f"{where}: {setting.name!r} is defined twice")
            if setting.default not in setting.options:
                raise RulesError(f"{where}.default: {setting.default!r} is not one of the options")
            if len(setting.option_words) != len(setting.options):
                raise RulesError(f"{where}.option_words: one for each option")
            ids.add(setting.id)
            settings[setting.name] = setting
        for i, row in enumerate(rows(document, "companion", name)):
            companion = reader.row(Companion, row, f"{name} companion[{i}]")
            where = f"{name} companion[{i}]"
            if companion.id in ids:
                raise RulesError(f"{where}: id {companion.id!r} is defined twice")
            if not companion.id.startswith("cycle."):
                raise RulesError(f"{where}.id: {companion.id!r} must start with 'cycle.'")
            if companion.drug == companion.partner:
                raise RulesError(f"{where}: a drug is not its own partner")
            ids.add(companion.id)
            companions.append(companion)
        for i, row in enumerate(rows(document, "liver_grading", name)):
            grading = reader.row(LiverGrading, row, f"{name} liver_grading[{i}]")
            if grading.drug in liver_grading:
                raise RulesError(
                    f"{name} liver_grading[{i}]: {grading.drug!r} has a liver grading already"
                )
            liver_grading[grading.drug] = grading
    for drug, label_set in label_ladders:
        if drug not in ladders:
            raise RulesError(f"cycle tables: {drug!r} has a {label_set} ladder but no common one")
    for drug, regimen in regimen_ladders:
        if drug not in ladders:
            raise RulesError(f"cycle tables: {drug!r} has a ladder for {regimen} but no common one")
    for drug in organ_ladders:
        if drug not in ladders:
            raise RulesError(
                f"cycle tables: {drug!r} has an organ-function ladder but no common one"
            )
    for found in rules.values():
        for rule in found:
            if (rule.setting is None) != (rule.option is None):
                raise RulesError(f"{rule.id}: setting and option go together")
            if rule.setting is None:
                continue
            named = settings.get(rule.setting)
            if named is None:
                raise RulesError(f"{rule.id}: no [[setting]] named {rule.setting!r}")
            if rule.option not in named.options:
                raise RulesError(f"{rule.id}: {rule.option!r} is not an option of {named.name}")
    for drug in liver_grading:
        if drug not in ladders:
            raise RulesError(f"cycle tables: liver grading for {drug!r}, which has no [[ladder]]")
    for drug, found in rules.items():
        liver_rows = [r.id for r in found if set(r.terms) & set(LIVER_TERMS)]
        if liver_rows and drug not in liver_grading:
            raise RulesError(
                f"cycle tables: {drug!r} has rows by liver term ({', '.join(liver_rows)}) but no "
                "[[liver_grading]] saying whether its label grades them in × ULN or against her "
                "abnormal baseline"
            )
    for companion in companions:
        for name in (companion.drug, companion.partner):
            if name not in ladders:
                raise RulesError(f"{companion.id}: {name!r} has no [[ladder]]")
    for drug, found in rules.items():
        drug_ladder = ladders.get(drug)
        if drug_ladder is None:
            raise RulesError(f"cycle tables: rules for {drug!r}, which has no [[ladder]]")
        shortest = min(
            len(each.percents or each.doses or ())
            for each in (
                drug_ladder,
                *(v for (d, _), v in label_ladders.items() if d == drug),
                *(v for (d, _), v in regimen_ladders.items() if d == drug),
            )
        )
        lowest = -(shortest - 1)
        organ = organ_ladders.get(drug)
        # a level number means a step of the label ladder; on an organ-function ladder that does
        # not begin with the label's steps the same number is another dose, so such a drug's
        # rows step down (`down`) only
        renumbered = organ is not None and (
            drug_ladder.doses is None
            or organ.doses is None
            or organ.doses[: len(drug_ladder.doses)] != drug_ladder.doses
        )
        for rule in found:
            if renumbered and (rule.level is not None or rule.at_levels is not None):
                raise RulesError(
                    f"{rule.id}: {drug!r} has an organ-function ladder: its rows use down, not "
                    "level or at_levels"
                )
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
        regimen_ladders=MappingProxyType(regimen_ladders),
        organ_ladders=MappingProxyType(organ_ladders),
        companions=tuple(companions),
        settings=MappingProxyType(settings),
        liver_grading=MappingProxyType(liver_grading),
        source_labels=MappingProxyType(_source_labels(sources)),
    )


def _source_labels(sources: Mapping[str, Any]) -> dict[str, str]:
    """Source id -> "us" or "eu" for the sources that cite a US or an EU label (the reference
    ids' own prefixes, `label.us.` and `label.eu.`)."""
    found: dict[str, str] = {}
    for source_id, source in sources.items():
        reference = str(getattr(getattr(source, "ref", None), "id", ""))
        for label_set in ("us", "eu"):
            if reference.startswith(f"label.{label_set}."):
                found[source_id] = label_set
    return found


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


def _ranges(row: Mapping[str, Any], where: str, **bounds: tuple[int, int]) -> dict[str, Any]:
    """The [low, high] pairs of a row (grades, occurrences, at_levels, cycles) that it writes."""
    return {
        key: _range(row, key, where, low, high) if key in row else None
        for key, (low, high) in bounds.items()
    }


def _ladder(reader: TableReader, row: Mapping[str, Any], where: str) -> Ladder:
    ladder = reader.row(Ladder, row, where)
    if (ladder.percents is None) == (ladder.doses is None):
        raise RulesError(f"{where}: give either percents or doses")
    steps = ladder.percents or ladder.doses or ()
    if any(a <= b for a, b in itertools.pairwise(steps)):
        raise RulesError(f"{where}: levels must be positive and strictly descending")
    if ladder.percents is not None and ladder.percents[0] != 100:
        raise RulesError(f"{where}.percents: level 0 must be 100")
    if not ladder.match_within_percent < 20:
        raise RulesError(
            f"{where}.match_within_percent: {ladder.match_within_percent:g} is outside 0–20"
        )
    if ladder.return_to is not None:
        if not ladder.re_escalate:
            raise RulesError(f"{where}.return_to: only where the label allows it (re_escalate)")
        if len(ladder.return_to) != len(steps):
            raise RulesError(f"{where}.return_to: one for each step ({len(steps)})")
        for step, back in zip(steps, ladder.return_to, strict=True):
            if back not in steps or back < step:
                raise RulesError(
                    f"{where}.return_to: {back:g} for step {step:g} is not that step or a "
                    "higher one of the ladder"
                )
    if ladder.organ_doses and ladder.doses is None:
        raise RulesError(f"{where}.organ_doses: the label's organ-function doses are doses")
    return ladder


def _threshold(reader: TableReader, row: Any, where: str) -> Threshold:
    if not isinstance(row, dict):
        raise RulesError(f"{where}: must be a table")
    if ("above" in row and "from" in row) or ("below" in row and "upto" in row):
        raise RulesError(f"{where}: give one lower and one upper edge at most")
    threshold = reader.row(Threshold, row, where, **band_edges(row, where))
    if threshold.unknown_skips and threshold.unknown_applies:
        raise RulesError(f"{where}: unknown_skips and unknown_applies contradict each other")
    return threshold


def _when(reader: TableReader, row: Mapping[str, Any], where: str) -> tuple[Threshold, ...]:
    listed = row.get("when", [])
    if not isinstance(listed, list):
        raise RulesError(f"{where}.when: must be a list of conditions")
    return tuple(_threshold(reader, c, f"{where}.when[{j}]") for j, c in enumerate(listed))


def _terms_and_grades(terms: tuple[str, ...], grades: Any, where: str) -> None:
    for term in terms:
        if term not in TOXICITY_TERMS:
            raise RulesError(f"{where}.terms: {term!r} is not a CTCAE term of the case")
    if bool(terms) != (grades is not None):
        raise RulesError(f"{where}: terms and grades go together")


def _rule(reader: TableReader, row: Mapping[str, Any], where: str) -> CycleRule:
    pairs = _ranges(
        row, where, grades=(0, 5), occurrences=(1, 50), at_levels=(-50, 0), cycles=(1, 999)
    )
    rule = reader.row(CycleRule, row, where, when=_when(reader, row, where), **pairs)
    if not rule.id.startswith("cycle."):
        raise RulesError(f"{where}.id: {rule.id!r} must start with 'cycle.'")
    _terms_and_grades(rule.terms, rule.grades, where)
    if not rule.terms and not rule.when:
        raise RulesError(f"{where}: a rule needs terms and grades, or when")
    if rule.level is not None and rule.down is not None:
        raise RulesError(f"{where}: give level or down, not both")
    if rule.action == "discontinue" and (rule.level is not None or rule.down is not None):
        raise RulesError(f"{where}: a discontinue row names no dose level")
    if rule.later_doses_table and (rule.level is None or not rule.terms):
        raise RulesError(f"{where}: later_doses_table needs terms and a level")
    if (rule.action == "hold" or rule.resolve_to is not None) and not rule.resume_when:
        raise RulesError(f"{where}: a hold says when to resume (resume_when)")
    return rule


def _alert(reader: TableReader, row: Mapping[str, Any], where: str) -> AlertRule:
    pairs = _ranges(row, where, grades=(0, 5))
    alert = reader.row(AlertRule, row, where, when=_when(reader, row, where), **pairs)
    _terms_and_grades(alert.terms, alert.grades, where)
    if not alert.terms and not alert.when:
        raise RulesError(f"{where}: an alert needs terms and grades, or when")
    return alert
