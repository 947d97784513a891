"""The story of the printed plan: which parts, in which order, on which page template.

`build_story` is a plain function over plain values (the plan document of contract §3 and the
patient and clinic details): no I/O, no canvas. The documents:

- `clinician`: the clinician section, then a referral slip per referral;
- `patient`: the booklet, then its referral slips (contract §1, `--audience patient`);
- `both`: clinician section, booklet, slips;
- `booklet`: the booklet alone, and `slips`: the referral slips alone (the plan window's
  "Patient booklet only" and "Referral slips": a booklet handed to the family is not followed
  by pages addressed to other services).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from planner.reports.booklet import booklet_section
from planner.reports.clinician import clinician_section
from planner.reports.slips import referral_slips

AUDIENCES = ("both", "clinician", "patient", "booklet", "slips")


def first_part(audience: str) -> str:
    if audience in ("patient", "booklet"):
        return "booklet"
    return "slip" if audience == "slips" else "clinician"


def build_story(
    plan: Mapping[str, Any],
    *,
    patient: Mapping[str, Any],
    clinic: Mapping[str, Any],
    audience: str,
    width: float,
    trends: Sequence[Mapping[str, Any]] | None = None,
    biology: Mapping[str, Any] | None = None,
    symptoms: Mapping[str, Any] | None = None,
) -> list[Flowable]:
    if audience not in AUDIENCES:
        raise ValueError(f"audience {audience!r} is not one of {', '.join(AUDIENCES)}")
    story: list[Flowable] = []
    if audience in ("both", "clinician"):
        story += clinician_section(plan, patient, clinic, trends, width, biology, symptoms)
    if audience in ("both", "patient", "booklet"):
        if story:
            story += [NextPageTemplate("booklet"), PageBreak()]
        story += booklet_section(plan, patient, clinic, width, symptoms)
    if audience != "booklet":
        story += referral_slips(
            plan, patient, clinic, width, first=audience == "slips", symptoms=symptoms
        )
    return story
