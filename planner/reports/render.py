"""Render the plan document (contract §3) to PDF bytes.

    pdf = render_plan_pdf(plan, patient=case["patient"], clinic={"name": …, "phone": …},
                          audience="both", paper="a4", trends=None, invariant=False,
                          evidence=False, slips=False)

The parts printed follow from `audience`, `evidence` and `slips` (planner/reports/story.py:
`both` is the decision and the booklet; the evidence appendix and the slips only when asked).

`patient` is the case's patient section (`mrn`, `family_name`, `given_name`, `birth_date`,
`sex`), optionally with `assessed_on` and `plan_made_on` (the booklet says both); `clinic` has
`name`, `phone` and optionally `out_of_hours_phone`. `trends` is an optional list of `{date, bilirubin_x_uln, weight_kg,
esas_total}`. With `invariant=True` the same inputs give the same bytes (no timestamps, a fixed
document id), so tests can compare renders. `biology` is the case's biology section (biomarkers
for the clinician section, when the plan itself does not carry them); `symptoms` is the case's
symptoms section (a symptom the nurse recorded "no" is never printed as present); `function` is
its function section (the booklet's advice on moving follows the mobility recorded).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab import rl_config
from reportlab.platypus import Flowable

from planner.domain.plan_document import read_plan
from planner.reports.allergies import without_allergic_advice
from planner.reports.formatting import date, date_format_of, patient_name
from planner.reports.story import build_story, first_part, parts_of
from planner.reports.templates import (
    PAPER,
    CarePlanDocument,
    LayoutCanvas,
    PageHeading,
    PlanCanvas,
)

# Streams are zlib-compressed binary, without reportlab's default ASCII85 layer on top: the
# pure-Python base-85 encoder was a tenth of the render time, and the file is a fifth smaller.
# (A process-wide reportlab setting; this program is its only user.)
rl_config.useA85 = 0

PART_WORDS = {
    "decision": "clinician's decision",
    "evidence": "evidence appendix",
    "booklet": "patient and family booklet",
    "slips": "referral slips",
}


def _subject(parts: tuple[str, ...]) -> str:
    return "Supportive-care plan: " + ", ".join(PART_WORDS[p] for p in parts)


def render_plan_pdf(
    plan: Mapping[str, Any],
    *,
    patient: Mapping[str, Any],
    clinic: Mapping[str, Any],
    audience: str = "both",
    paper: str = "a4",
    trends: Sequence[Mapping[str, Any]] | None = None,
    invariant: bool = False,
    biology: Mapping[str, Any] | None = None,
    symptoms: Mapping[str, Any] | None = None,
    function: Mapping[str, Any] | None = None,
    evidence: bool = False,
    slips: bool = False,
) -> bytes:
    parts = parts_of(audience, evidence=evidence, slips=slips)  # ValueError names what is wrong
    if paper not in PAPER:
        raise ValueError(f"paper {paper!r} is not one of {', '.join(PAPER)}")
    # read once for every part; no advice naming a drug she is allergic to is printed
    printed = without_allergic_advice(read_plan(plan))
    name = patient_name(patient)
    mrn = str(patient.get("mrn") or "–")
    heading = PageHeading(
        patient_name=name,
        mrn=mrn,
        date=date(patient.get("assessed_on") or printed.assessed_on, date_format_of(clinic)),
        rules_version=printed.rules_version or "unknown",
        clinic_name=str(clinic.get("name") or ""),
        clinic_phone=str(clinic.get("phone") or ""),
    )

    def document(chosen: tuple[str, ...], buffer: io.BytesIO) -> CarePlanDocument:
        return CarePlanDocument(
            buffer,
            heading=heading,
            paper=paper,
            first_part=first_part(chosen),
            invariant=invariant,
            title=f"Care plan — {name} ({mrn})",
            author=str(clinic.get("name") or "Supportive-care planner"),
            subject=_subject(chosen),
        )

    def count_appendix(flowables: list[Flowable]) -> int:
        """The evidence appendix's pages, laid out alone and only laid out: counted, not drawn
        (templates.LayoutCanvas)."""
        doc = document(("evidence",), io.BytesIO())
        doc.build(flowables, canvasmaker=LayoutCanvas)
        return int(doc.page)

    buffer = io.BytesIO()
    doc = document(parts, buffer)
    # The decision page says how long the evidence appendix is, printed or not (build_story
    # counts it with count_appendix before the document is laid out).
    story = build_story(
        printed,
        patient=patient,
        clinic=clinic,
        trends=trends,
        biology=biology,
        symptoms=symptoms,
        function=function,
        parts=parts,
        width=doc.frame_width,
        count_appendix=count_appendix,
    )
    doc.build(story, canvasmaker=PlanCanvas)
    return buffer.getvalue()
