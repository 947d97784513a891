"""A side effect the nurse entered that no row of a drug's label names (misc22, walk 21 F14).

Constipation grade 3 on vinorelbine, or fatigue grade 3: the label's dose changes speak of the
counts, the liver and the nerves, not of these, and the review said "give, the same dose" with
no reason at all — the label's silence read as a decision (rule 2). Now the drug row says so:
at a grade CTCAE calls severe (the instrument table's `instr.ctcae.severe` bands) the review does
not decide this drug (no dose; the clinician decides), below it the dose stands and the row says
that the label names no change for it. A stop the label does give stands; a side effect the
nurse attributed to another drug of the course is that drug's. A hold another row makes stands
too (the stricter decision): the entry is said, and the dose the drug restarts at is the
clinician's (no dose is printed).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from planner.domain.cycle_drug import DrugDecision, undecided
from planner.domain.cycle_findings import LAB_TERMS, Event
from planner.domain.cycle_tables import CycleRule
from planner.domain.evidence import Basis, Gap
from planner.domain.instruments.liver_scores import CTCAE_SEVERE
from planner.domain.instruments.tables import BandSet, InstrumentRules

_LAB_GRADED = frozenset(LAB_TERMS.values())


#: terms the rows read off a measured value, not by name (the LVEF on the scan, fasting glucose)
MEASURED_TERMS = {
    "ejection_fraction_decreased": frozenset({"lvef_percent", "lvef_drop_points"}),
    "hyperglycemia": frozenset({"glucose_fasting"}),
}


def named_by(rules: Iterable[CycleRule]) -> frozenset[str]:
    """The terms rows speak of: by name, or by the measured value that grades them."""
    rules = tuple(rules)
    measures = {t.measure for r in rules for t in r.when}
    return frozenset(
        {
            *(t for r in rules for t in r.terms),
            *(term for term, read in MEASURED_TERMS.items() if read & measures),
        }
    )


def with_silent_label(
    decision: DrugDecision,
    events: Iterable[Event],
    named: frozenset[str],
    course_named: frozenset[str],
    instruments: InstrumentRules,
) -> DrugDecision:
    """`decision` with the entered side effects its label names no row for said (`named`: what
    the drug's rows in force speak of), and undecided where one is severe. A side effect put down
    to no drug is the course's: silent only where no drug's label of the course speaks of it
    (`course_named`; stomatitis on everolimus + exemestane is everolimus's)."""
    if decision.action in ("discontinue", "insufficient_data"):
        return decision
    drug = decision.drug
    silent = [
        e
        for e in events
        if e.field.startswith("treatment.toxicities")
        and e.term not in _LAB_GRADED  # the counts and liver tests are read from the results
        and (
            (e.drug == drug and e.term not in named)
            or (e.drug is None and e.term not in course_named)
        )
    ]
    if not silent:
        return decision
    bands = instruments.get(CTCAE_SEVERE, BandSet)
    basis = tuple(Basis(bands.id, s, bands.verified) for s in bands.sources)
    severe = [e for e in silent if (bands.find(e.worst).value or 0) >= 1]
    if severe and decision.action == "hold":
        # the stricter decision stands (rx23 F5: immune colitis grade 3 holds pembrolizumab; its
        # diarrhoea entered as its own line no row names does not turn the hold into "not
        # decided"): held today whatever it is, the restart dose the clinician's
        said = [
            f"{drug}: {e.words} — severe ({bands.find(e.worst).label}), and no row of "
            f"{drug}'s label dose changes names it: held today by the row above; the dose it "
            "restarts at is the clinician's decision — no dose is printed"
            for e in severe
        ]
        return dataclasses.replace(
            decision,
            dose=None,
            percent_of_starting=None,
            dose_level=None,
            reasons=(*decision.reasons, *said),
            basis=tuple(dict.fromkeys((*decision.basis, *basis))),
            gaps=(
                *decision.gaps,
                *(
                    Gap(
                        e.field,
                        f"restart dose: {drug} — {e.words} is named by no row of the label; "
                        "the clinician decides it — held today whatever it is",
                    )
                    for e in severe
                ),
            ),
        )
    if severe:
        said = [
            f"{drug}: {e.words} — severe ({bands.find(e.worst).label}), and no row of "
            f"{drug}'s label dose changes names it: the clinician decides this cycle — no dose "
            "is printed"
            for e in severe
        ]
        return undecided(
            drug,
            [*decision.reasons, *said],
            tuple(dict.fromkeys((*decision.basis, *basis))),
            (),
            severe[0].field,
        )
    said = [
        f"{drug}: {e.words} — no row of {drug}'s label dose changes names it: the dose is not "
        "changed for it; the clinician judges it"
        for e in silent
    ]
    return dataclasses.replace(
        decision,
        reasons=(*decision.reasons, *said),
        basis=tuple(dict.fromkeys((*decision.basis, *basis))),
    )
