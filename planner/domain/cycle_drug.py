"""One drug's decision for the next cycle from its own label rows (step 3 of
`planner.domain.cycle_review`): continue, reduce, increase, hold or discontinue, at which
dose level, or insufficient_data with the gap that leaves it undecided (no dose).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from planner.domain.case import Treatment, TreatmentDose
from planner.domain.cycle_findings import Event
from planner.domain.cycle_ladder import (
    dose_at,
    level_of,
    lowest_level,
    other_day_words,
    return_level,
)
from planner.domain.cycle_organ_band import band_level, band_standard, organ_band_dose
from planner.domain.cycle_rows import (
    Outcome,
    Withholding,
    cite,
    later_doses_level,
    match_rule,
    results_not_graded,
    weighed,
    withheld_whatever_missing,
)
from planner.domain.cycle_tables import CycleTables, shown
from planner.domain.evidence import UNVERIFIED, Basis, Gap
from planner.domain.frozen_value import frozen_value

DRUG_ACTIONS = ("continue", "reduce", "increase", "hold", "discontinue", "insufficient_data")
# said in a dose note that raises the dose (dropped again where today's organ function caps it
# back to the current dose or lower)
RAISED = "back up the label's steps"
_ACTION_RANK = {"give": 0, "hold": 1, "insufficient_data": 2, "discontinue": 3}
NO_DOSE_ACTIONS = frozenset({"discontinue", "insufficient_data"})


@frozen_value
class DrugDecision:
    drug: str
    action: str
    dose: TreatmentDose | None
    percent_of_starting: float | None
    dose_level: int | None
    reasons: tuple[str, ...]
    basis: tuple[Basis, ...]
    gaps: tuple[Gap, ...] = ()
    # what the dose is and how it was reached ("from the starting dose to dose level −1 (75 %): 750 mg/m2", "the same
    # dose"): printed only beside the dose, so a decision overturned into a stop or a gap never
    # shows a dose it does not give (BRIEF rule 3)
    dose_notes: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "action": self.action,
            "dose": None
            if self.dose is None
            else {"value": self.dose.value, "unit": self.dose.unit},
            "percent_of_starting": self.percent_of_starting,
            "dose_level": self.dose_level,
            "reasons": [*self.reasons, *(() if self.dose is None else self.dose_notes)],
            "basis": [b.to_json() for b in self.basis],
        }


def _settings_in_force(
    drug: str, treatment: Treatment, tables: CycleTables, choices: Mapping[str, str]
) -> list[tuple[str, tuple[Basis, ...]]]:
    """Where the labels disagree for this regimen and today's dose (a clinic setting), what the
    clinic chose and what the other sources say, with both sources (never one silently)."""
    out: list[tuple[str, tuple[Basis, ...]]] = []
    names = dict.fromkeys(
        r.setting
        for r in tables.rules.get(drug, ())
        if r.setting is not None and (r.days is None or treatment.day in r.days)
    )
    for name in names:
        assert name is not None
        setting = tables.settings[name]
        if treatment.regimen not in setting.regimens:
            continue
        chosen = tables.chosen(name, choices)
        others = "; ".join(setting.words(o) for o in setting.options if o != chosen)
        how = "the clinic's setting" if name in choices else "the default; a clinic setting"
        unverified = "" if setting.verified else UNVERIFIED
        out.append(
            (
                f"{drug}: {setting.text} — used: {setting.words(chosen)} ({how} "
                f"{name} = {chosen}); the other source: {others}{unverified}",
                cite(setting, setting.id),
            )
        )
    return out


def _held_restart_unknown(
    drug: str,
    reasons: list[str],
    basis: tuple[Basis, ...],
    gaps: list[Gap],
    withholding: tuple[Withholding, ...],
) -> tuple[DrugDecision, tuple[str, ...], int | None]:
    """A hold with no dose: the missing item is named as a gap for the restart dose (contract §5:
    a hold's `dose` is the dose once `resume_when` is met — null while it cannot be told)."""
    restart = tuple(
        dict.fromkeys(
            Gap(
                g.field,
                "restart dose: needs "
                + g.effect.removeprefix("not recorded: ").removesuffix("; no dose is printed")
                + " — held today whatever it is",
            )
            for g in gaps
        )
    )
    rows = tuple(dict.fromkeys(o.rule for o in withholding))
    why = [
        f"{drug}: withheld today — every row of the label that can apply interrupts it "
        f"({'; '.join(dict.fromkeys(r.reason for r in rows))})",
    ]
    basis = tuple(dict.fromkeys((*basis, *(b for r in rows for b in r.cited))))
    recheck = [o.recheck_in_days for o in withholding if o.recheck_in_days is not None]
    return (
        DrugDecision(
            drug,
            "hold",
            None,
            None,
            None,
            tuple(dict.fromkeys((*reasons, *why, *(g.effect for g in restart)))),
            basis,
            restart,
        ),
        tuple(dict.fromkeys(f"{drug}: {o.resume_when}" for o in withholding if o.resume_when)),
        min(recheck) if recheck else None,
    )


def _merged_reasons(outcomes: list[Outcome]) -> list[str]:
    """One line per label wording, with every finding that met it: two rows that say the same
    (bevacizumab's dipstick row and its 24-hour row, both met by 2.6 g/24 h) print it once."""
    by_said: dict[str, list[str]] = {}
    for outcome in outcomes:
        said = outcome.rule.reason + ("" if outcome.rule.verified else UNVERIFIED)
        parts = by_said.setdefault(said, [])
        for part in outcome.reason.removesuffix(f": {said}").split("; "):
            if part not in parts:
                parts.append(part)
    return [f"{'; '.join(parts)}: {said}" for said, parts in by_said.items()]


def _signed(level: int) -> str:
    """A dose level as printed: "−1" with a true minus sign (not a hyphen)."""
    return f"−{-level}" if level < 0 else str(level)


def _level_words(level: int) -> str:
    return "the starting dose" if level == 0 else f"dose level {_signed(level)}"


def review_drug(
    drug: str,
    treatment: Treatment,
    events: list[Event],
    values: Mapping[str, float],
    unknown: Mapping[str, Gap],
    tables: CycleTables,
    label_set: str = "us",
    choices: Mapping[str, str] | None = None,
    standard: TreatmentDose | None = None,
    organ_percents: frozenset[float] = frozenset(),
    ungraded: Mapping[str, Gap] | None = None,
) -> tuple[DrugDecision, tuple[str, ...], int | None]:
    """One drug's action and dose for this cycle, with what to wait for and when to re-check;
    the ladder is the one of the clinic's label set where the labels' doses differ, and where
    labels disagree for the regimen, the rows of the clinic's choice (`choices`). `standard`:
    the label's standard dose as the first plan gave it, which the rows of the label's organ
    dose table take their percentage of where the course began below it; `organ_percents`: the
    percentages of it the dose table's organ rows can give (with the cycle table's own organ
    rows, the only steps a dose off the toxicity ladder is read at); `ungraded`: the laboratory
    terms today's labs leave ungraded, with why (`cycle_findings.ungraded_terms`)."""
    choices = choices or {}
    on = treatment.drug(drug)
    assert on is not None
    start, current = on.starting_dose, on.current_dose
    ladders = tables.ladders_for(drug, label_set, treatment.regimen)
    # the regimen's own levels where the course is on them, else the label's
    ladder = next(
        (x for x in ladders if x.unit == start.unit and level_of(x, current, start) is not None),
        ladders[-1] if ladders else None,
    )
    if ladder is None:
        return (
            undecided(
                drug,
                [
                    f"no cycle-review table for {drug}: review by the prescriber — the program "
                    "does not decide this cycle and prints no dose"
                ],
                (),
                (),
                f"treatment.drugs[{_index(treatment, drug)}].drug",
            ),
            (),
            None,
        )
    ladder_basis = cite(
        ladder, f"cycle.{drug}.{'organ_function_levels' if ladder.organ_doses else 'levels'}"
    )
    if start.unit != ladder.unit:
        return (
            undecided(
                drug,
                [
                    f"{drug}: the dose is recorded in {start.unit}, the label's levels in "
                    f"{ladder.unit}; no dose is printed"
                ],
                ladder_basis,
                (Gap(f"treatment.drugs[{_index(treatment, drug)}].starting_dose.unit", "differs"),),
            ),
            (),
            None,
        )
    level = level_of(ladder, current, start)
    of_standard = band_standard(ladder, start, standard)
    # a dose an organ row of an earlier review gave of the standard (12.5 mg/m2 on a course
    # begun at 20, standard 25) is read at that row's level
    read_by_band = level is None and of_standard is not None
    if level is None and of_standard is not None:
        organ_steps = organ_percents | {
            ladder.percents[-r.level]
            for r in tables.rules.get(drug, ())
            if r.organ_band and r.level is not None and ladder.percents is not None
        }
        level = band_level(ladder, current, start, of_standard, organ_steps)
    if level is None:
        field = f"treatment.drugs[{_index(treatment, drug)}].current_dose"
        return (
            undecided(
                drug,
                [
                    f"{drug}: the current dose is not one of the label's dose levels for this "
                    "regimen (nor of the regimen's own, where the rules hold them), so the next "
                    "step cannot be read off; the clinician decides — no dose is printed"
                ],
                ladder_basis,
                (Gap(field, "not a label dose level: the next step cannot be read off"),),
            ),
            (),
            None,
        )
    if ladder.days is not None and treatment.day not in ladder.days:
        return (
            undecided(
                drug,
                [f"{drug}: {other_day_words(ladder, treatment.day)}"],
                ladder_basis,
                (),
                "treatment.day",
            ),
            (),
            None,
        )
    # where the label sets the dose of the day by that day's results, the level it may return
    # to when no row holds it lower (doxorubicin 50 % → 100 % once bilirubin is below 1.2 mg/dL)
    ceiling = return_level(ladder, level, start)
    in_force = tuple(
        r for r in tables.rules.get(drug, ()) if tables.in_force(r, treatment.regimen, choices)
    )
    # an entry that puts her on a table for all later doses: the dose of the day is read off it,
    # from a lower step too (vinorelbine at 37.5 % after febrile neutropenia: 75 % at a normal
    # count; the count rows below hold it lower where the count is low)
    table_level = later_doses_level(in_force, drug, (treatment.cycle, treatment.day), level, events)
    ceiling = ceiling if table_level is None else max(ceiling, table_level)
    outcomes: list[Outcome] = []
    gaps: list[Gap] = []
    setting_notes: list[str] = []
    setting_basis: list[Basis] = []
    for rule in in_force:
        found, missing = match_rule(
            rule, drug, (treatment.cycle, treatment.day), level, events, values, unknown, ceiling
        )
        outcomes.extend(found)
        gaps.extend(missing)
    needing, count_gaps = results_not_graded(
        drug, in_force, (treatment.cycle, treatment.day), level, ungraded or {}
    )
    gaps.extend(count_gaps)
    for note, cited in _settings_in_force(drug, treatment, tables, choices):
        setting_notes.append(note)
        setting_basis.extend(cited)
    basis = tuple(
        dict.fromkeys(
            (
                *(b for o in outcomes for b in o.rule.cited),
                *setting_basis,
                *(b for r in needing for b in r.cited),
                *ladder_basis,
            )
        )
    )
    # what changes the cycle first: the most severe action, then the lowest level
    reasons = _merged_reasons(
        sorted(
            outcomes,
            key=lambda o: (-_ACTION_RANK[o.action], level if o.level is None else o.level),
        )
    )
    # the rows today's findings came near: all of them where nothing changes, and a stop that was
    # not applied wherever it was not (the ALP that kept Hy's law from applying)
    near = weighed(drug, in_force, (treatment.cycle, treatment.day), level, events, values)
    stopped = any(o.action == "discontinue" for o in outcomes)
    weighed_words = [
        said
        for rule, said in near
        if (not outcomes and not gaps) or (rule.action == "discontinue" and not stopped)
    ]
    reasons.extend(weighed_words)
    basis = tuple(
        dict.fromkeys(
            (
                *basis,
                *(b for rule, said in near if said in weighed_words for b in rule.cited),
            )
        )
    )
    reasons.extend(setting_notes)
    if ladder.clinician_checks:
        reasons.append(f"{drug}: {ladder.clinician_checks}")
    if any(o.action == "discontinue" for o in outcomes):
        return DrugDecision(drug, "discontinue", None, None, None, tuple(reasons), basis), (), None
    withheld = (
        withheld_whatever_missing(
            drug,
            (treatment.cycle, treatment.day),
            level,
            events,
            values,
            unknown,
            in_force,
        )
        if gaps
        else None
    )
    if withheld is not None:
        return _held_restart_unknown(drug, reasons, basis, gaps, withheld)
    if gaps:
        return (
            undecided(drug, [*reasons, *(g.effect for g in gaps)], basis, tuple(gaps)),
            (),
            None,
        )
    hold = any(o.action == "hold" for o in outcomes)
    new_level = min([ceiling, *(o.level for o in outcomes if o.level is not None)])
    if hold:
        # a held drug restarts no higher than it is now: the rise waits for a review that gives it
        new_level = min(new_level, level)
    lowest = lowest_level(ladder, start)
    if new_level < lowest:
        if ladder.below_last == "discontinue":
            reasons.append(f"{drug}: a reduction is due below the label's last level: discontinue")
            return (
                DrugDecision(drug, "discontinue", None, None, None, tuple(reasons), basis),
                (),
                None,
            )
        reasons.append(
            f"{drug}: a reduction is due below the last level the label names; the label gives "
            "no lower dose, so the clinician decides — no dose is printed"
        )
        field = f"treatment.drugs[{_index(treatment, drug)}].current_dose"
        return undecided(drug, reasons, basis, (), field), (), None
    # a dose an organ band gave of the standard stays as it is unless a toxicity row of the
    # label sets the level it stands at, which is a percentage of the start
    lowered_here = any(
        o.level is not None and o.level <= level and not o.rule.organ_band for o in outcomes
    )
    keep = new_level == level and not (read_by_band and lowered_here)
    dose = current if keep else dose_at(ladder, new_level, start)
    organ = [o for o in outcomes if o.rule.organ_band and o.level is not None]
    band_note = ""
    if of_standard is not None and organ:
        dose, band_note = organ_band_dose(
            drug,
            ladder,
            organ,
            outcomes,
            (ceiling, level, hold, read_by_band),
            (start, current, of_standard),
        )
    percent = round(100 * dose.value / start.value, 1)
    notes: list[str] = []
    permanent = not ladder.re_escalate or (
        ladder.return_to is not None and return_level(ladder, new_level, start) == new_level
    )
    if band_note:
        notes.append(band_note)
    elif new_level < level:
        notes.append(
            f"{drug}: from {_level_words(level)} to dose level {_signed(new_level)} "
            f"({shown(percent)} %): {shown(dose.value)} {dose.unit} "
            f"({shown(percent)} % of the starting {shown(start.value)} {start.unit})"
            + ("; the reduction is permanent" if permanent else "")
        )
    if new_level > level:
        why = (
            "none of its conditions for a lower dose is met today"
            if new_level == ceiling
            else "as far as today's results allow (above)"
        )
        notes.append(
            f"{drug}: {RAISED}, from {_level_words(level)} to {_level_words(new_level)} "
            f"({shown(percent)} %): {shown(dose.value)} {dose.unit} "
            f"({shown(percent)} % of the starting {shown(start.value)} {start.unit}) — the "
            f"label sets this dose by the day's results and {why}: {ladder.text}"
        )
    elif not outcomes:
        notes.append(
            f"{drug}: none of the label's conditions for a change is met (weighed above): the "
            "same dose"
            if weighed_words
            else f"{drug}: no finding today meets a row of the label's dose changes: the same dose"
        )
    # at the dose of a table for all later doses the label keeps her there (its row says so):
    # no return is the clinician's to weigh
    kept_by_table = table_level is not None and new_level == table_level
    if (
        ladder.re_escalate
        and new_level < 0
        and not hold
        and new_level == ceiling
        and not kept_by_table
    ):
        if ladder.return_to is None:
            notes.append(
                f"{drug}: the label allows a return to a higher level, which the clinician "
                f"decides (the review does not raise it): {ladder.text}"
            )
        elif permanent:
            notes.append(
                f"{drug}: a return to a higher level from this step is the clinician's decision "
                f"(the review does not raise it): {ladder.text}"
            )
    action = (
        "hold"
        if hold
        else "reduce"
        if (dose.value < current.value if band_note or read_by_band else new_level < level)
        else "increase"
        if (dose.value > current.value if band_note or read_by_band else new_level > level)
        else "continue"
    )
    resume = tuple(dict.fromkeys(o.resume_when for o in outcomes if o.resume_when))
    recheck = [o.recheck_in_days for o in outcomes if o.recheck_in_days is not None]
    return (
        DrugDecision(
            drug, action, dose, percent, new_level, tuple(reasons), basis, dose_notes=tuple(notes)
        ),
        tuple(f"{drug}: {r}" for r in resume),
        min(recheck) if recheck else None,
    )


def stop_reasons(decision: DrugDecision) -> tuple[str, ...]:
    """The reasons of a decision that is being overturned into a stop or a gap (its dose notes,
    "the same dose", "from the starting dose to dose level −1 (75 %)", no longer hold)."""
    return decision.reasons


def _index(treatment: Treatment, drug: str) -> int:
    return next(i for i, d in enumerate(treatment.drugs) if d.drug == drug)


def undecided(
    drug: str,
    reasons: Iterable[str],
    basis: tuple[Basis, ...],
    gaps: tuple[Gap, ...],
    field: str | None = None,
) -> DrugDecision:
    """No decision and no dose; `field` names the input a reason is about, so the plan's gaps
    say why (the decision `insufficient_data` always has its gap)."""
    reasons = tuple(dict.fromkeys(reasons))
    if not gaps and field is not None:
        gaps = (Gap(field, reasons[-1]),)
    return DrugDecision(drug, "insufficient_data", None, None, None, reasons, basis, gaps)
