"""The label's cycle rows matched against one drug's findings: which rows apply today, with what
action and level, which missing input leaves a row undecided, and whether the drug is
withheld whatever the toxicities' unrecorded counts and durations are.
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from collections.abc import Mapping

from planner.domain.cycle_findings import Event, finding_words
from planner.domain.cycle_tables import Companion, CycleRule, CycleSetting, Ladder, LiverGrading
from planner.domain.evidence import UNVERIFIED, Basis, Gap
from planner.domain.frozen_value import frozen_value


@frozen_value
class Outcome:
    action: str  # give / hold / discontinue
    level: int | None
    reason: str
    rule: CycleRule
    resume_when: str = ""
    recheck_in_days: int | None = None


def cite(
    rule: CycleRule | Ladder | Companion | CycleSetting | LiverGrading, rule_id: str
) -> tuple[Basis, ...]:
    return tuple(Basis(rule_id, s, rule.verified) for s in rule.sources)


def match_rule(
    rule: CycleRule,
    drug: str,
    day: int,
    current_level: int,
    events: list[Event],
    values: Mapping[str, float],
    unknown: Mapping[str, Gap],
    ceiling: int | None = None,
) -> tuple[list[Outcome], list[Gap]]:
    if rule.days is not None and day not in rule.days:
        return [], []
    if rule.at_levels is not None and not rule.at_levels[0] <= current_level <= rule.at_levels[1]:
        return [], []
    gaps: list[Gap] = []
    found_text: list[str] = []
    # a known value that fails decides (the row does not apply); only then is a missing one a gap
    for threshold in rule.when:
        value = values.get(threshold.measure)
        if value is not None and not threshold.holds(value):
            return [], []
    for threshold in rule.when:
        value = values.get(threshold.measure)
        if value is None and threshold.unknown_skips:
            return [], []
        if value is None and threshold.unknown_applies:
            missing = unknown[threshold.measure]
            found_text.append(
                f"whether {threshold.describe()} is not known ({missing.field}: {missing.effect}): "
                "the row is applied, the stricter reading"
            )
            continue
        if value is None:
            missing = unknown[threshold.measure]
            gaps.append(
                Gap(
                    missing.field,
                    f"{missing.effect}: {drug} — whether {threshold.describe()} (label: "
                    f"{rule.reason}) cannot be told; no dose is printed",
                )
            )
            return [], gaps
        found_text.append(f"{finding_words(threshold, value)} ({threshold.describe()})")
    level = _target(rule, current_level, ceiling)
    unverified = "" if rule.verified else UNVERIFIED
    if not rule.terms:
        return [
            Outcome(
                rule.action,
                level,
                f"{'; '.join(found_text)}: {rule.reason}{unverified}",
                rule,
                rule.resume_when,
                rule.recheck_in_days,
            )
        ], []
    outcomes: list[Outcome] = []
    assert rule.grades is not None
    for event in events:
        if event.term not in rule.terms or (event.drug is not None and event.drug != drug):
            continue
        if not rule.grades[0] <= event.worst <= rule.grades[1]:
            continue
        if rule.occurrences is not None:
            if event.occurrence is None:
                gaps.append(
                    Gap(
                        event.detail_field("occurrence"),
                        f"not recorded: {drug}'s label sets the dose by how many times "
                        f"{event.term.replace('_', ' ')} has reached grade {event.worst} in the "
                        "course (first, second, third time) — record it with the toxicity "
                        "(occurrence); no dose is printed",
                    )
                )
                continue
            if not rule.occurrences[0] <= event.occurrence <= rule.occurrences[1]:
                continue
        if rule.min_days is not None:
            if event.days is None:
                gaps.append(
                    Gap(
                        event.detail_field("days"),
                        f"not recorded: {drug}'s label acts on {event.term.replace('_', ' ')} "
                        f"grade {event.worst} lasting {rule.min_days} days or more — record how "
                        "long it lasted with the toxicity (days); no dose is printed",
                    )
                )
                continue
            if event.days < rule.min_days:
                continue
        finding = "; ".join([event.words, *found_text])
        if event.occurrence is not None and rule.occurrences is not None:
            finding += f", occurrence {event.occurrence}"
        if event.days is not None and rule.min_days is not None:
            finding += f", lasting {event.days} days"
        action, resume = rule.action, rule.resume_when
        if rule.resolve_to is not None and action == "give":
            if event.current is None:
                gaps.append(
                    Gap(
                        f"{event.field}.current_grade",
                        f"not reassessed: {drug} is given only once {event.term.replace('_', ' ')} "
                        f"is back to grade {rule.resolve_to} or better; no dose is printed",
                    )
                )
                continue
            if event.current > rule.resolve_to:
                action = "hold"
                finding += f", now grade {event.current}"
            else:
                finding += f", now grade {event.current} (resolved)"
        outcomes.append(
            Outcome(
                action,
                level,
                f"{finding}: {rule.reason}{unverified}",
                rule,
                resume if action == "hold" else "",
                rule.recheck_in_days if action == "hold" else None,
            )
        )
    return outcomes, gaps


# The most ways of filling in unrecorded counts and durations tried before giving up.
_MOST_TRIALS = 4096


def withheld_whatever_missing(
    drug: str,
    day: int,
    level: int,
    events: list[Event],
    values: Mapping[str, float],
    unknown: Mapping[str, Gap],
    rules: tuple[CycleRule, ...],
) -> tuple[Outcome, ...] | None:
    """The rows that would withhold the drug today, when it is withheld whatever the
    toxicities' unrecorded occurrence counts and durations are (every way of filling them in
    matches a hold or a discontinue and leaves no other gap); else None. The labels' rows by
    occurrence and duration set the restart dose, not the interruption: capecitabine at
    neutrophils 0.8 × 10⁹/L, T-DXd with grade 1 ILD."""
    # Only the toxicities a row counts or times are filled in: a review holds several graded
    # terms at once (every lab), and trying every count for each of them multiplies out
    # (8 open terms were 10⁷ trials and 10 GB: the planner hung on an LVEF drop).
    counted_terms = {
        t for r in rules if r.occurrences is not None or r.min_days is not None for t in r.terms
    }
    open_events = [
        i
        for i, e in enumerate(events)
        if (e.occurrence is None or e.days is None) and e.term in counted_terms
    ]
    if not open_events:
        return None
    counted = [r.occurrences for r in rules if r.occurrences is not None]
    # one past every row's lower bound reaches each row's range
    occurrences = tuple(range(1, 2 + max((lo for lo, _hi in counted), default=0)))
    lasting = tuple(sorted({0, *(r.min_days for r in rules if r.min_days is not None)}))
    choices = [
        [
            dataclasses.replace(event, occurrence=n, days=d)
            for n in (occurrences if event.occurrence is None else (event.occurrence,))
            for d in (lasting if event.days is None else (event.days,))
        ]
        for event in (events[i] for i in open_events)
    ]
    if math.prod(len(c) for c in choices) > _MOST_TRIALS:
        return None  # undecided stays undecided (no dose printed), never a long wait
    withholding: list[Outcome] = []
    for filled in itertools.product(*choices):
        trial = list(events)
        for i, event in zip(open_events, filled, strict=True):
            trial[i] = event
        found: list[Outcome] = []
        for rule in rules:
            matched, missing = match_rule(rule, drug, day, level, trial, values, unknown)
            if missing:
                return None
            found.extend(o for o in matched if o.action in ("hold", "discontinue"))
        if not found:
            return None
        withholding.extend(found)
    return tuple(withholding)


def _target(rule: CycleRule, current_level: int, ceiling: int | None = None) -> int | None:
    """The level a row gives: a `level` row no higher than `ceiling` (the level the dose may
    return to today, else the current one), a `down` row steps below the current level."""
    if rule.level is not None:
        return min(current_level if ceiling is None else ceiling, rule.level)
    if rule.down is not None:
        return current_level - rule.down
    return None
