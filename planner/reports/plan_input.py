"""What a printed section takes: the plan document as read (planner.domain.plan_document) or as
the JSON it is kept as, read here with the one parser.

A print reads the plan once (`story.build_story`) and hands every part the `PlanDocument`; the
parts' entry points still take the JSON too (`document_of`), for a caller that prints one part
on its own. A part that needs only the review before a cycle reads only that (`next_cycle_of`),
so a print does not read the whole document for it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planner.domain.plan_document import NextCycle, PlanDocument, read_next_cycle, read_plan

#: a plan document, read or as JSON
Plan = PlanDocument | Mapping[str, Any]


def document_of(plan: Plan) -> PlanDocument:
    return plan if isinstance(plan, PlanDocument) else read_plan(plan)


def next_cycle_of(plan: Plan) -> NextCycle | None:
    """The review before the next cycle (contract §5); None for a first plan."""
    if isinstance(plan, PlanDocument):
        return plan.next_cycle
    found = plan.get("next_cycle")
    return read_next_cycle(found) if found else None
