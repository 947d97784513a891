"""What the cycle sheet of a signed review prints, read once (contract §5, issue 19), as typed
values (issue 18 §3: the plan read through `planner.domain.plan_document`, the course and its
review as the record keeps them, `planner.domain.stored`).

`services.cycle_sheets.cycle_sheet_source` makes it on the record's thread; the sheet
(`reports.cycle_sheet`) renders it on any thread and reads nothing else. Before print24 it was a
plain mapping of mappings, each part read with `.get` where the typed document existed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from planner.domain.cycle_visits import CycleVisit
from planner.domain.frozen_value import frozen_value
from planner.domain.plan_document import Alert, NextCycle, PlanDocument, SourceEntry
from planner.domain.stored import CourseReview, StoredCourse
from planner.domain.treatment_course import DoseLine


@frozen_value
class SheetBody:
    """Her body size the doses were worked out with: the review plan's BSA, the review's
    weight (or the course assessment's, `weight_note` saying so) and height."""

    bsa_m2: float | None
    weight_kg: float | None
    height_cm: float | None
    weight_note: str = ""


@frozen_value
class CycleSheetSource:
    """Everything one cycle sheet prints. `patient` and `clinic` are the mappings every printed
    part takes (the case's patient section with `assessed_on`; the clinic's name, phones and
    date format); `trends` and `bands` what the charts draw."""

    patient: Mapping[str, Any]
    clinic: Mapping[str, Any]
    paper: str
    rules_version: str | None
    sources: Mapping[str, SourceEntry]  # the review plan's, numbered as cited
    course: StoredCourse
    course_name: str  # the decided option's name (the regimen's, where the plan has none)
    course_plan: PlanDocument  # the plan the course was started from, as decided
    review: CourseReview
    suggested: NextCycle  # the program's suggestion, as signed
    decided: NextCycle  # the decision (the suggestion confirmed, or overridden)
    given_on: str | None  # ISO dates
    planned_on: str | None
    next_due: str | None
    recheck_on: str | None
    visits: tuple[CycleVisit, ...]  # a cycle given only: a delayed one has no dates yet
    citations: Mapping[str, str]  # a visit's source id -> its citation in words
    body: SheetBody
    doses: tuple[DoseLine, ...]
    alerts: tuple[Alert, ...]
    watch: tuple[str, ...]  # side effects to tell the team about, in her words
    trends: Sequence[Mapping[str, Any]]
    bands: Mapping[str, Any]
