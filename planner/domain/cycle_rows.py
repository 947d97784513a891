"""The label's cycle rows matched against one drug's findings: which rows apply today, with what
action and level, which missing input (a measured value, a detail of a toxicity, a laboratory
result a row grades) leaves a row undecided, and whether the drug is withheld whatever the
toxicities' unrecorded counts and durations are.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import NamedTuple

from planner.domain.cycle_findings import Event, finding_words, lab_words
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


def in_scope(rule: CycleRule, when: tuple[int, int], level: int) -> bool:
    """Whether the row is for this day of this cycle at the drug's current dose level (what a
    row asks before any finding)."""
    cycle, day = when
    if rule.days is not None and day not in rule.days:
        return False
    if rule.cycles is not None and not rule.cycles[0] <= cycle <= rule.cycles[1]:
        return False
    return rule.at_levels is None or rule.at_levels[0] <= level <= rule.at_levels[1]


def measures_met(rule: CycleRule, values: Mapping[str, float]) -> bool | None:
    """Whether the row's measured conditions hold on her values: False where a known value fails
    (that decides first) or a missing one skips the row, None where a missing value leaves the row
    undecided (a gap), True where they hold (a missing value the row applies on, the stricter
    reading, counts as holding)."""
    for threshold in rule.when:
        value = values.get(threshold.measure)
        if value is not None and not threshold.holds(value):
            return False
    for threshold in rule.when:
        if threshold.measure in values:
            continue
        if threshold.unknown_skips:
            return False
        if not threshold.unknown_applies:
            return None
    return True


def later_doses_level(
    rules: Iterable[CycleRule], drug: str, when: tuple[int, int], level: int, events: list[Event]
) -> int | None:
    """The dose of the day of a table the label keeps her on for all later doses, where an entry
    puts her on one (`later_doses_table`: vinorelbine after febrile neutropenia, 75 % at a
    normal count): a lower step returns to it when no row holds the dose lower today."""
    found = [
        rule.level
        for rule in rules
        if rule.later_doses_table
        and rule.level is not None
        and in_scope(rule, when, level)
        and any(m.action for m in event_matches(rule, drug, events))
    ]
    return max(found) if found else None


class EventMatch(NamedTuple):
    """An event a row with terms acts on, and what it comes to: the row's action (a row that gives
    once the toxicity resolves holds while it has not), or, where the row cannot tell, the detail
    of the toxicity it lacks ("occurrence", "days", "current_grade") and no action. A named tuple:
    a few are made for each row a review matches, where a frozen value's shared `__init__` costs
    more than the matching."""

    event: Event
    action: str
    lacking: str = ""


def event_matches(rule: CycleRule, drug: str, events: Iterable[Event]) -> list[EventMatch]:
    """The events a row with terms acts on, unworded: the cycle review's trials ask only whether a
    row withholds, and match_rule words what they find."""
    assert rule.grades is not None
    found: list[EventMatch] = []
    for event in events:
        if event.term not in rule.terms or (event.drug is not None and event.drug != drug):
            continue
        if not rule.grades[0] <= event.worst <= rule.grades[1]:
            continue
        if rule.occurrences is not None:
            if event.occurrence is None:
                found.append(EventMatch(event, "", "occurrence"))
                continue
            if not rule.occurrences[0] <= event.occurrence <= rule.occurrences[1]:
                continue
        if rule.min_days is not None:
            if event.days is None:
                found.append(EventMatch(event, "", "days"))
                continue
            if event.days < rule.min_days:
                continue
        action = rule.action
        if rule.resolve_to is not None and action == "give":
            if event.current is None:
                found.append(EventMatch(event, "", "current_grade"))
                continue
            if event.current > rule.resolve_to:
                action = "hold"
        found.append(EventMatch(event, action))
    return found


def follow_up(rule: CycleRule, action: str, on_event: bool) -> tuple[str, int | None]:
    """What a matched row says of resuming and re-checking (`resume_when`, `recheck_in_days`). A
    row on an event: a row that holds until the toxicity resolves re-checks while it is held; a
    row that gives and asks for a count later (IBRANCE day 15: "repeat on day 22") re-checks
    whenever it applies."""
    if not on_event:
        return rule.resume_when, rule.recheck_in_days
    return (
        rule.resume_when if action == "hold" else "",
        rule.recheck_in_days if action == "hold" or rule.resolve_to is None else None,
    )


def match_rule(
    rule: CycleRule,
    drug: str,
    when: tuple[int, int],
    current_level: int,
    events: list[Event],
    values: Mapping[str, float],
    unknown: Mapping[str, Gap],
    ceiling: int | None = None,
) -> tuple[list[Outcome], list[Gap]]:
    """The rows' outcomes for the drug on `when` (cycle, day of the cycle), and the gaps of a
    matching row that lacks a value."""
    if not in_scope(rule, when, current_level):
        return [], []
    met = measures_met(rule, values)
    if met is False:
        return [], []
    found_text: list[str] = []
    for threshold in rule.when:
        value = values.get(threshold.measure)
        if value is None:
            missing = unknown[threshold.measure]
            if threshold.unknown_applies:
                found_text.append(
                    f"whether {threshold.describe()} is not known ({missing.field}: "
                    f"{missing.effect}): the row is applied, the stricter reading"
                )
                continue
            # the first missing value the row neither applies on nor skips (measures_met: None)
            gap = Gap(
                missing.field,
                f"{missing.effect}: {drug} — whether {threshold.describe()} (label: "
                f"{rule.reason}) cannot be told; no dose is printed",
            )
            return [], [gap]
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
                *follow_up(rule, rule.action, on_event=False),
            )
        ], []
    outcomes: list[Outcome] = []
    gaps: list[Gap] = []
    for match in event_matches(rule, drug, events):
        event = match.event
        if match.lacking == "occurrence":
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
        if match.lacking == "days":
            gaps.append(
                Gap(
                    event.detail_field("days"),
                    f"not recorded: {drug}'s label acts on {event.term.replace('_', ' ')} "
                    f"grade {event.worst} lasting {rule.min_days} days or more — record how "
                    "long it lasted with the toxicity (days); no dose is printed",
                )
            )
            continue
        if match.lacking == "current_grade":
            gaps.append(
                Gap(
                    f"{event.field}.current_grade",
                    f"not reassessed: {drug} is given only once {event.term.replace('_', ' ')} "
                    f"is back to grade {rule.resolve_to} or better; no dose is printed",
                )
            )
            continue
        # the event's words already say its occurrence where one was entered (W1: "occurrence
        # 2, occurrence 2"); a row read by duration adds the days, which they do not
        said = event.words
        if event.days is not None and rule.min_days is not None:
            said = event.words_lasting(event.days)
        finding = "; ".join([said, *found_text])
        if rule.resolve_to is not None and rule.action == "give" and not event.today:
            resolved = " (resolved)" if match.action == "give" else ""
            finding += f", now grade {event.current}{resolved}"
        outcomes.append(
            Outcome(
                match.action,
                level,
                f"{finding}: {rule.reason}{unverified}",
                rule,
                *follow_up(rule, match.action, on_event=True),
            )
        )
    return outcomes, gaps


def results_not_graded(
    drug: str,
    rules: Iterable[CycleRule],
    when: tuple[int, int],
    level: int,
    ungraded: Mapping[str, Gap],
) -> tuple[tuple[CycleRule, ...], list[Gap]]:
    """The drug's rows for today that act on the grade of a laboratory term today's labs leave
    ungraded, and one gap per missing result naming what the rows say (rx23 F1: KADCYLA's
    thrombocytopenia rows with no platelet count gave 3.6 mg/kg). Which results a drug needs
    before a dose is a property of its rows: a term only a day-8 row reads is not asked on
    day 1, nor a row of other cycles or dose levels."""
    needing: dict[str, list[CycleRule]] = {}
    for rule in rules:
        if not in_scope(rule, when, level):
            continue
        for term in rule.terms:
            if term in ungraded:
                needing.setdefault(term, []).append(rule)
    gaps: list[Gap] = []
    for term, rows in needing.items():
        missing = ungraded[term]
        said = "; ".join(dict.fromkeys(r.reason for r in rows))
        unverified = "" if all(r.verified for r in rows) else UNVERIFIED
        gaps.append(
            Gap(
                missing.field,
                f"{missing.effect}: today's {lab_words(term)} — {drug}'s label acts on their "
                f"grade before a dose ({said}{unverified}); no dose is printed",
            )
        )
    return tuple(dict.fromkeys(r for rows in needing.values() for r in rows)), gaps


_WITHHOLDING = ("hold", "discontinue")


@frozen_value
class Withholding:
    """A row that withholds the drug in a trial of the cycle review, with what it says of
    resuming and re-checking (the trials keep these, not the wording of an Outcome)."""

    rule: CycleRule
    action: str  # hold / discontinue
    resume_when: str
    recheck_in_days: int | None


def withheld_whatever_missing(
    drug: str,
    when: tuple[int, int],
    level: int,
    events: list[Event],
    values: Mapping[str, float],
    unknown: Mapping[str, Gap],
    rules: tuple[CycleRule, ...],
) -> tuple[Withholding, ...] | None:
    """The rows that would withhold the drug today, when it is withheld whatever the
    toxicities' unrecorded occurrence counts and durations are (every way of filling them in
    matches a hold or a discontinue, whatever the measured results a row lacks); else None. The
    labels' rows by occurrence and duration set the restart dose, not the interruption:
    capecitabine at neutrophils 0.8 × 10⁹/L, T-DXd with grade 1 ILD (ENHERTU §2.3: interrupt
    now; the duration sets the restart dose — issue 19 review 19d, finding 5)."""
    # Only the toxicities a row counts or times are filled in. A row matches each event on its
    # own, so the events are filled in one at a time, never as a product of all their ways (8
    # open terms were 10⁷ trials and 10 GB: the planner hung on an LVEF drop; 4096 trials still
    # took most of a second): whatever the ways, the drug is withheld when a row withholds it on
    # what is recorded, or when one event withholds it in each of its own ways.
    counted_terms = {
        t for r in rules if r.occurrences is not None or r.min_days is not None for t in r.terms
    }
    open_events = [
        e for e in events if (e.occurrence is None or e.days is None) and e.term in counted_terms
    ]
    counted = [r.occurrences for r in rules if r.occurrences is not None]
    # one past every row's lower bound reaches each row's range
    occurrences = tuple(range(1, 2 + max((lo for lo, _hi in counted), default=0)))
    lasting = tuple(sorted({0, *(r.min_days for r in rules if r.min_days is not None)}))
    # Only a row that holds or stops, or that gives once a toxicity resolves (else holds), can
    # withhold: the other rows are not tried for each way of filling in an event (the trials
    # below try every row once per way; about half the rows of a label give).
    # Rows for another day, cycle or dose level match nothing today: they are left out once
    # here, not asked again for every way of filling in an event.
    can_withhold = tuple(
        r
        for r in rules
        if (r.action in _WITHHOLDING or r.resolve_to is not None) and in_scope(r, when, level)
    )

    # a result missing for another row can only add a stop or set the restart dose: the drug is
    # not given today either way (ENHERTU grade 1 ILD with no baseline LVEF). A row's measures
    # are the same in every trial: asked once, of the rows a trial reaches.
    measured: dict[int, bool] = {}

    def withheld(rule: CycleRule, trial: list[Event]) -> list[Withholding]:
        # matched as match_rule matches, not worded: the trials keep the rows, not the findings
        met = measured.get(id(rule))
        if met is None:
            met = measured[id(rule)] = measures_met(rule, values) is True
        if not met:
            return []
        if not rule.terms:
            actions = [rule.action]
        else:
            actions = [m.action for m in event_matches(rule, drug, trial)]
        return [
            Withholding(rule, a, *follow_up(rule, a, on_event=bool(rule.terms)))
            for a in actions
            if a in _WITHHOLDING
        ]

    trial = [e for e in events if e not in open_events]
    recorded = [o for rule in can_withhold for o in withheld(rule, trial)]
    withholding = list(recorded)
    certain = bool(recorded)
    for event in open_events:
        # a trial holds this one event: only the rows it can match are tried, those of its
        # term and grade, for this drug (match_rule tests these before the count and duration
        # a way fills in). With none, it matches no row in any way (no way withholds): it is
        # not tried at all. The cycle-review bench case has six open events, of which two
        # (hand-foot syndrome and bilirubin, grade 2) are of a grade a counting row acts at:
        # its review matched 199 rows, now 17 (with the count and days test below).
        # A row that neither counts nor times the toxicity reads neither filled-in value
        # (match_rule reads the occurrence only for a row with `occurrences`, the days only for
        # one with `min_days`): its outcomes are the same in every way, so it is matched once.
        if event.drug is not None and event.drug != drug:
            continue
        of_term = [
            r
            for r in can_withhold
            if event.term in r.terms
            and r.grades is not None
            and r.grades[0] <= event.worst <= r.grades[1]
        ]
        if not of_term:
            continue
        same_every_way = {
            id(r): withheld(r, [event])
            for r in of_term
            if r.occurrences is None and r.min_days is None
        }
        ways: list[list[Withholding]] = []
        for n in occurrences if event.occurrence is None else (event.occurrence,):
            for d in lasting if event.days is None else (event.days,):
                # a counting row is tried only at its count, a timing row only from its days:
                # match_rule passes over the event at any other (no outcome), as it does here
                found: list[Withholding] = []
                filled: list[Event] = []
                for r in of_term:
                    if id(r) in same_every_way:
                        found += same_every_way[id(r)]
                    elif (r.occurrences is None or r.occurrences[0] <= n <= r.occurrences[1]) and (
                        r.min_days is None or d >= r.min_days
                    ):
                        filled = filled or [dataclasses.replace(event, occurrence=n, days=d)]
                        found += withheld(r, filled)
                ways.append(found)
        certain = certain or all(ways)
        withholding.extend(o for found in ways for o in found)
    return tuple(withholding) if certain else None


# measures read as the setting of a row (which row applies to her), not as a finding the row acts
# on: a row that misses only on one of these is another row's case, not a near miss
_CONTEXT_MEASURES = frozenset({"liver_metastases", "baseline_transaminases_x_uln"})


def weighed(
    drug: str,
    rules: Iterable[CycleRule],
    when: tuple[int, int],
    level: int,
    events: list[Event],
    values: Mapping[str, float],
) -> list[tuple[CycleRule, str]]:
    """The label rows a finding of today came near without meeting, and why each does not apply
    (issue 19 review 19d, finding 5: "no label condition for a change is met" alone does not say
    what was weighed): a toxicity below the grade a row acts from ("peripheral sensory
    neuropathy grade 2 — the row acts from grade 3: severe peripheral neuropathy: …"), and a
    measured row missed on one abnormal result only (ALT 6 × ULN against a row from 8 × ULN; ALP
    4.6 × ULN against Hy's law "in the absence of cholestasis"). One row per finding, the nearest."""
    by_term: dict[str, tuple[int, CycleRule, Event]] = {}
    by_measure: dict[str, tuple[float, CycleRule, str]] = {}
    for rule in rules:
        if not in_scope(rule, when, level):
            continue
        known = [(t, values[t.measure]) for t in rule.when if t.measure in values]
        failing = [(t, v) for t, v in known if not t.holds(v)]
        if rule.terms:
            assert rule.grades is not None
            if failing:
                continue
            for event in events:
                if event.term not in rule.terms or event.drug not in (None, drug):
                    continue
                if not 1 <= event.worst < rule.grades[0]:
                    continue
                kept = by_term.get(event.term)
                if kept is None or rule.grades[0] < kept[0]:
                    by_term[event.term] = (rule.grades[0], rule, event)
            continue
        if len(known) != len(rule.when) or len(failing) != 1:
            continue
        threshold, value = failing[0]
        if threshold.measure in _CONTEXT_MEASURES or not threshold.measure.endswith("_x_uln"):
            continue
        if value <= 1:
            continue  # a normal result is no near miss
        edges = [e for e in (threshold.low, threshold.high) if e is not None]
        distance = min(abs(value - e) for e in edges)
        met = "; ".join(
            f"{finding_words(t, v)} ({t.describe()})"
            for t, v in known
            if t is not threshold and t.measure not in _CONTEXT_MEASURES
        )
        missed = f"{finding_words(threshold, value)}, not {threshold.describe()}"
        said = f"{met}; but {missed}" if met else missed
        kept_m = by_measure.get(threshold.measure)
        if kept_m is None or distance < kept_m[0]:
            by_measure[threshold.measure] = (distance, rule, said)
    out: list[tuple[CycleRule, str]] = []
    for _lo, rule, event in by_term.values():
        assert rule.grades is not None
        out.append(
            (
                rule,
                f"weighed: {event.words} — below the grade the label's row acts from (grade "
                f"{rule.grades[0]}): {rule.reason}; not applied"
                + ("" if rule.verified else UNVERIFIED),
            )
        )
    for _d, rule, said in by_measure.values():
        out.append(
            (
                rule,
                f"weighed: {said} — the label's row does not apply: {rule.reason}"
                + ("" if rule.verified else UNVERIFIED),
            )
        )
    return out


def _target(rule: CycleRule, current_level: int, ceiling: int | None = None) -> int | None:
    """The level a row gives: a `level` row no higher than `ceiling` (the level the dose may
    return to today, else the current one), a `down` row steps below the current level."""
    if rule.level is not None:
        return min(current_level if ceiling is None else ceiling, rule.level)
    if rule.down is not None:
        return current_level - rule.down
    return None
