"""A drug's cycle decision checked against today's liver and kidney function: the first plan's
organ-function pass (a label stop, a gap, a lower dose that caps the cycle's), and which
grading of raised liver tests its rows read (the label's × ULN or CTCAE v5 against her
baseline).
"""

from __future__ import annotations

import dataclasses

from planner.domain.case import Case, TreatmentDose, TreatmentDrug
from planner.domain.cycle_drug import NO_DOSE_ACTIONS, RAISED, DrugDecision, stop_reasons, undecided
from planner.domain.cycle_findings import Graded
from planner.domain.cycle_rows import cite
from planner.domain.cycle_tables import LiverGrading, shown
from planner.domain.dose_tables import ORGAN_MEASURES
from planner.domain.dosing import DrugDose
from planner.domain.evidence import UNVERIFIED, Basis, Gap
from planner.domain.hepatic import HepaticAssessment

_ORGAN_STOPS = {"contraindicated": "contraindicated", "not_recommended": "not recommended"}


def with_organ_function(
    decision: DrugDecision, on: TreatmentDrug, organ: DrugDose | None, liver: str = ""
) -> tuple[DrugDecision, str]:
    """The cycle's decision through the first plan's organ-function pass at today's findings,
    and what a hold then waits for besides:

    - the label's "do not give" (e.g. capecitabine at CrCl < 30 mL/min) discontinues the drug
      with the reason — or, where the cycle tables already hold it (docetaxel while bilirubin is
      above the ULN), keeps the hold and names the stop among what it waits for;
    - an input that pass needs and lacks is a gap (no dose);
    - a reduced organ-function dose caps the cycle's dose: the lower of the toxicity step's and
      the label's organ-function percentage of the starting dose (the labels say "75 % of the
      starting dose"; a course begun below the standard is never taken back up by it)."""
    if organ is None or decision.action == "discontinue":
        return decision, ""
    drug = decision.drug
    basis = tuple(dict.fromkeys((*decision.basis, *organ.basis)))
    if organ.status in _ORGAN_STOPS:
        when = (
            "under the clinic's label set, whatever today's findings"
            if organ.stop_whatever_found
            else "at today's findings"
        )
        why = (
            f"{drug}: not given — {organ.stop_reason or organ.status.replace('_', ' ')} "
            f"({_ORGAN_STOPS[organ.status]} {when}: the same check as the first plan's dose)"
        )
        # a hold waits for a stop that can clear (docetaxel while bilirubin is above the ULN);
        # a stop no finding can clear (no breast-cancer indication in the label set) is a
        # discontinuation today, not a hold that would turn into one once the hold's own
        # condition clears
        if decision.action == "hold" and not organ.stop_whatever_found:
            held = dataclasses.replace(
                decision,
                reasons=(*decision.reasons, why),
                basis=basis,
            )
            return held, "and only once the first plan's dose check no longer stops it"
        return (
            DrugDecision(
                drug, "discontinue", None, None, None, (why, *stop_reasons(decision)), basis
            ),
            "",
        )
    if organ.dose is None and organ.status == "insufficient_data" and organ.band_reason:
        return _no_organ_dose(decision, organ, basis, liver)
    if organ.dose is None:
        if not organ.gaps:
            # no dose table or schedule for it: no organ-function row to apply; its cycle table
            # decides
            return decision, ""
        return (
            undecided(
                drug,
                (
                    *stop_reasons(decision),
                    f"{drug}: the dose at today's liver and kidney function cannot be told "
                    f"({'; '.join(g.effect for g in organ.gaps)}); no dose is printed",
                ),
                basis,
                tuple(dict.fromkeys((*decision.gaps, *organ.gaps))),
            ),
            "",
        )
    dose, percent = decision.dose, organ.percent_of_standard
    if dose is None or percent is None or percent >= 100:
        return _weighed_caution(decision, organ, basis, liver), ""
    start = on.starting_dose
    standard = organ.standard_dose
    # One rule for every kidney or liver row of every drug (walk 20 H2, walk 21 H7, recheck 21
    # N6): the cap is the row's percentage of the label's starting dose — the regimen's standard
    # (`engine.on_treatment_schedule`), or her start where it is above it (vinorelbine begun at
    # the US label's 30 mg/m2, the table's weekly standard 25) — which is the first plan's dose
    # at today's organ function; a course begun below the standard keeps its start where that
    # is lower. Never a percentage of a start that may already hold a reduction: 75 % of a
    # capecitabine start of 1000 mg/m2 gave 750, the label and the first plan 937.5; 75 % of an
    # everolimus start of 5 mg gave 3.75, a dose no tablet gives. A band that gives a dose of
    # its own (ribociclib 400 mg in Child–Pugh B) is that dose: its percent is rounded
    # (66.67 %). The first plan's dose may be in mg where the course is by body surface: then
    # the band's percentage of the standard.
    of_standard = (
        standard is not None and standard.unit == start.unit and start.value <= standard.value
    )
    if of_standard and standard is not None:
        cap = (
            organ.dose.value
            if organ.dose.unit == start.unit
            else round(standard.value * percent / 100, 2)
        )
    else:
        cap = round(start.value * percent / 100, 2)
    if cap >= dose.value:
        return decision, ""
    # the finding and the band's words, never the drug's unrelated notes (interactions, "renal:
    # no rule captured"): issue 19 review 19c, finding 5
    why = organ.band_reason or ""
    if organ.band_measures == ("child_pugh",) and liver and organ.band_words:
        why = f"{liver}: {organ.band_words}"
    step = (
        # a return up the label's steps that today's liver function takes back (fulvestrant
        # at 250 mg in Child–Pugh B): no toxicity is in it
        f"lower than the {shown(dose.value)} {dose.unit} the label's return step would give"
        if decision.action == "increase"
        else f"lower than the toxicity step's {shown(dose.value)} {dose.unit}"
        if decision.action == "reduce" or dose.value != on.current_dose.value
        else f"lower than the current {shown(dose.value)} {dose.unit}"
    )
    if of_standard and standard is not None and start.value < standard.value:
        of = (
            f"{shown(percent)} % of the label's standard {shown(standard.value)} {standard.unit} "
            f"(the course began at {shown(start.value)} {start.unit}, below it: the organ is "
            f"counted once, not {shown(percent)} % of her start)"
        )
    else:
        of = f"{shown(percent)} % of the starting {shown(start.value)} {start.unit}"
    reason = (
        f"{drug}: today's liver and kidney function calls for {shown(percent)} % of the "
        f"dose ({why or organ.status.replace('_', ' ')}; the same check as the first plan's "
        f"dose): {of} is {shown(cap)} {start.unit}, {step}, so {shown(cap)} {start.unit} is "
        "given"
    )
    now = on.current_dose.value
    action = decision.action
    if action != "hold":
        action = "reduce" if cap < now else "increase" if cap > now else "continue"
    # a rise the cap takes back is not said: only the arithmetic that gives the dose
    kept = (
        n
        for n in decision.dose_notes
        if not n.endswith("the same dose") and (action == "increase" or RAISED not in n)
    )
    return (
        DrugDecision(
            drug,
            action,
            TreatmentDose(cap, dose.unit),
            round(100 * cap / start.value, 1),
            None,
            decision.reasons,
            basis,
            decision.gaps,
            (*kept, reason),
        ),
        "",
    )


def _weighed_caution(
    decision: DrugDecision, organ: DrugDose, basis: tuple[Basis, ...], liver: str
) -> DrugDecision:
    """A given drug whose liver or kidney row today keeps the dose with a caution (rx22 W1:
    T-DXd in moderate hepatic impairment, "no adjustment, monitor closely"): the reason says the
    row was weighed, so a 'continue' is not read as the liver left unseen."""
    if (
        organ.status != "caution"
        or not organ.band_reason
        or decision.dose is None
        or not any(m in ORGAN_MEASURES for m in organ.band_measures)
    ):
        return decision
    found = organ.band_reason
    if organ.band_measures == ("child_pugh",) and liver and organ.band_words:
        found = f"{liver}: {organ.band_words}"
    why = (
        f"{decision.drug}: weighed — {found}: the label keeps the dose at today's liver and "
        "kidney function (the same check as the first plan's dose)"
    )
    return dataclasses.replace(decision, reasons=(*decision.reasons, why), basis=basis)


def _no_organ_dose(
    decision: DrugDecision, organ: DrugDose, basis: tuple[Basis, ...], liver: str
) -> tuple[DrugDecision, str]:
    """A row of the label's liver or kidney table that gives no dose at today's findings (rx22
    F1: eribulin in Child–Pugh C, T-DXd in severe hepatic impairment, weekly paclitaxel at a
    raised bilirubin — "not studied"): the first plan gives no dose, so neither does the course.
    Held today, the row's words and sources said; it goes on once a review finds a liver and
    kidney function the label gives a dose for, or at the dose the prescriber decides. Never the
    course's dose in silence. A hold of the drug's own rows keeps their restart dose, as with a
    stop that can clear: the restart waits for both (capecitabine at bilirubin > 3 × ULN, held
    by XELODA's own row until ≤ 3 × ULN, which is also where the severe-impairment row ends);
    otherwise no dose is printed."""
    drug = decision.drug
    found = organ.band_reason or ""
    if organ.band_measures == ("child_pugh",) and liver and organ.band_words:
        found = f"{liver}: {organ.band_words}"
    why = (
        f"{drug}: not given — {found}: the label gives no dose at today's liver and kidney "
        "function (the same check as the first plan's dose, which gives none)"
    )
    wait = (
        "and only once a review finds a liver and kidney function the label gives a dose for, "
        "or the prescriber decides the dose"
    )
    if decision.action == "hold":
        return dataclasses.replace(decision, reasons=(*decision.reasons, why), basis=basis), wait
    why += "; no dose is printed: the prescriber decides whether and at what dose it goes on"
    held = DrugDecision(
        drug, "hold", None, None, None, (*stop_reasons(decision), why), basis, decision.gaps
    )
    return held, wait


def child_pugh_words(case: Case, hepatic: HepaticAssessment) -> str:
    """Her Child–Pugh score and class today, with the results it is from ("Child–Pugh 8 points,
    class B: bilirubin 40 µmol/L, albumin 30 g/L, INR 1.4, ascites mild, encephalopathy none");
    "" when no class could be told."""
    found = hepatic.child_pugh
    classes = sorted(hepatic.child_pugh_classes)
    if found is None and not classes:
        return ""
    labs, clinical = case.labs, case.clinical
    inr = None if labs is None else labs.result("inr")
    parts = [
        "bilirubin not recorded"
        if hepatic.bilirubin_umol_l is None
        else f"bilirubin {shown(hepatic.bilirubin_umol_l)} µmol/L",
        "albumin not recorded"
        if hepatic.albumin_g_l is None
        else f"albumin {shown(hepatic.albumin_g_l)} g/L",
        "INR not measured" if inr is None else f"INR {shown(inr.value)}",
        f"ascites {(clinical and clinical.ascites) or 'not recorded'}",
        f"encephalopathy {(clinical and clinical.encephalopathy) or 'not recorded'}",
    ]
    if found is not None:
        head = f"Child–Pugh {found.points_words}, class {found.child_class}"
    else:
        head = f"Child–Pugh class {' or '.join(classes)} (the class whatever the missing results)"
    return f"{head}: {', '.join(parts)}"


def with_liver_grading(
    decision: DrugDecision,
    grading: LiverGrading,
    raised: list[Graded],
    not_graded: list[Graded],
) -> DrugDecision:
    """Where her baseline liver tests were raised, which grading the drug's rows read (its label's
    × ULN, or CTCAE v5 against the baseline), with its source; a × ULN grade that cannot be told
    (today's ULN not known) leaves the drug undecided — never the lower baseline grade. Said only
    where the two gradings differ for a term the drug's rows name."""
    drug = decision.drug
    terms = ", ".join(g.term.replace("_", " ") for g in raised)
    if grading.basis == "x_uln":
        how = f"{terms} graded in × ULN, as {drug}'s label writes its grades, not against her raised baseline"
    else:
        how = (
            f"{terms} graded against her raised baseline (CTCAE v5), as {drug}'s label grades them"
        )
    unverified = "" if grading.verified else UNVERIFIED
    why = f"{drug}: {how} — {grading.text}{unverified}"
    basis = tuple(dict.fromkeys((*decision.basis, *cite(grading, f"cycle.{drug}.liver_grading"))))
    if not_graded and decision.action not in NO_DOSE_ACTIONS:
        gaps = tuple(
            Gap(f"{g.field}.uln", f"no ULN: {drug}'s label grades in × ULN; no dose is printed")
            for g in not_graded
        )
        return undecided(drug, (*decision.reasons, why), basis, (*decision.gaps, *gaps))
    return dataclasses.replace(decision, reasons=(*decision.reasons, why), basis=basis)
