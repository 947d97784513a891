"""The cycle rows' citations for the clinic's label set (cycle24, walk 23 #16).

The cycle tables were written from the US labels; an EU clinic's cycle sheet cited the US
labels for every row. For a clinic on the EU labels (safety rules 1, 5 and 6):
- a row that cites an EU SmPC section cites it, and not the US label beside it;
- a row that cites a US label only is the US label's row: its citations are shown unverified
  for the EU label set, and the drug's reasons say so once ("confirm locally").
A US clinic's row that cites both cites the US label; one written from the SmPC alone
(capecitabine's day-1 counts, the stricter reading kept on purpose) is cited as it is.
Where the EU table differs from the US one, the tables hold it as data already: a label set's
own ladder (`Ladder.label_set`, eribulin's SmPC doses) or a clinic setting (`[[setting]]`).
Only the cycle tables' own rows (ids "cycle.…") are read here; the dose tables' rows carry
their label sets themselves.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from planner.domain.cycle_drug import DrugDecision
from planner.domain.evidence import Basis


def for_label_set(
    decision: DrugDecision, label_set: str, source_labels: Mapping[str, str]
) -> DrugDecision:
    """`decision` citing the clinic's label set: each cycle row's sources of that set in place
    of the other's, and on the EU labels a row with US sources only shown unverified, said once
    in the reasons. `source_labels`: source id -> "us" or "eu" (the label it cites)."""
    if label_set not in ("us", "eu"):
        return decision
    other = "us" if label_set == "eu" else "eu"
    rows: dict[str, list[Basis]] = {}
    for basis in decision.basis:
        rows.setdefault(basis.rule, []).append(basis)
    kept: list[Basis] = []
    us_only: list[str] = []
    for rule, cited in rows.items():
        labels = {source_labels.get(b.source) for b in cited}
        if not rule.startswith("cycle.") or other not in labels:
            kept.extend(cited)
        elif label_set in labels:
            kept.extend(b for b in cited if source_labels.get(b.source) != other)
        elif label_set == "eu":
            kept.extend(Basis(b.rule, b.source, False) for b in cited)
            us_only.append(rule)
        else:
            # a US clinic's row written from the SmPC alone (capecitabine's day-1 counts, the
            # stricter reading on purpose): cited as it is, its own flag saying what was checked
            kept.extend(cited)
    if not us_only:
        return dataclasses.replace(decision, basis=tuple(kept))
    said = (
        f"{decision.drug}: the clinic follows the EU labels, and the cycle rows used here cite "
        "the US label only (no EU SmPC section is cited for them): unverified for the EU label "
        "— confirm locally"
    )
    return dataclasses.replace(decision, basis=tuple(kept), reasons=(*decision.reasons, said))
