"""The story of the printed plan: which parts, in which order, on which page template.

`build_story` is a plain function over plain values (the plan document of contract §3 and the
patient and clinic details): no I/O, no canvas. The parts, always in this order:

- `decision`: the clinician's decision — page 1 is the whole of it (reports/clinician.py);
- `evidence`: the evidence appendix behind it, with its references — printed only when asked;
- `booklet`: the family booklet;
- `slips`: a referral slip per referral — printed only when asked (or with `patient`).

What each audience prints (`parts_of`): `both` the decision and the booklet (a first visit's
print: issue 20 item 6, one to six pages), `clinician` the decision, `patient` the booklet with
its referral slips (contract §1, `--audience patient`), `booklet` the booklet alone and `slips`
the slips alone (the plan window's "Patient booklet only" and "Referral slips": a booklet handed
to the family is not followed by pages addressed to other services). `evidence=True` adds the
appendix after the decision; `slips=True` adds the slips. Slips printed with the booklet and
without the decision are the family's to carry (`for_family`): no mood questionnaire answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from reportlab.platypus import Flowable, NextPageTemplate, PageBreak

from planner.reports.booklet import booklet_section
from planner.reports.citations import References
from planner.reports.clinician import decision_section
from planner.reports.clinician_evidence import evidence_section
from planner.reports.plan_input import Plan, document_of
from planner.reports.slips import referral_slips

AUDIENCES = ("both", "clinician", "patient", "booklet", "slips")
PARTS = ("decision", "evidence", "booklet", "slips")
_AUDIENCE_PARTS = {
    "both": ("decision", "booklet"),
    "clinician": ("decision",),
    "patient": ("booklet", "slips"),
    "booklet": ("booklet",),
    "slips": ("slips",),
}
#: the page template each part starts on (planner/reports/templates.py)
TEMPLATE = {"decision": "clinician", "evidence": "evidence", "booklet": "booklet", "slips": "slip"}


def parts_of(audience: str, *, evidence: bool = False, slips: bool = False) -> tuple[str, ...]:
    """The parts an audience prints, in print order. The evidence appendix belongs to the
    clinician's decision: asked for without it (`patient`, `booklet`, `slips`), ValueError."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience {audience!r} is not one of {', '.join(AUDIENCES)}")
    chosen = set(_AUDIENCE_PARTS[audience])
    if evidence:
        if "decision" not in chosen:
            raise ValueError(
                "the evidence appendix is printed with the clinician's decision "
                "(audience both or clinician)"
            )
        chosen.add("evidence")
    if slips:
        chosen.add("slips")
    return tuple(part for part in PARTS if part in chosen)


def for_family(parts: Sequence[str]) -> bool:
    """True when the document is the patient's and family's: the booklet without the
    clinician's decision (`patient`, or `booklet` with the slips). Its slips print no mood
    questionnaire answers nor the self-harm item (planner/reports/slips.py `mood_details`); the
    slips printed alone or with the decision are the clinician's to send."""
    return "booklet" in parts and "decision" not in parts


def first_part(parts: Sequence[str]) -> str:
    """The page template the document starts on."""
    return TEMPLATE[parts[0]]


def build_story(
    plan: Plan,
    *,
    patient: Mapping[str, Any],
    clinic: Mapping[str, Any],
    parts: Sequence[str],
    width: float,
    trends: Sequence[Mapping[str, Any]] | None = None,
    biology: Mapping[str, Any] | None = None,
    symptoms: Mapping[str, Any] | None = None,
    function: Mapping[str, Any] | None = None,
    evidence_pages: int = 0,
    count_appendix: Callable[[list[Flowable]], int] | None = None,
) -> list[Flowable]:
    """The flowables of `parts` (see `parts_of`); `evidence_pages` is what the decision page
    says of the appendix's length. With `count_appendix` (which lays the appendix's flowables
    out alone and gives its number of pages: render.py), the decision page says the length it
    gives instead: the decision is built once, then the appendix, then counted."""
    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        raise ValueError(f"parts {list(parts)!r}: each one of {', '.join(PARTS)}")
    story: list[Flowable] = []
    document = document_of(plan)  # read once for the parts that read the typed document

    def start(part: str) -> None:
        if story:
            story.extend([NextPageTemplate(TEMPLATE[part]), PageBreak()])

    if "decision" in parts or "evidence" in parts:
        # One numbering of the sources: the decision page's numbers resolve in the appendix's
        # References whether or not the two are printed together.
        refs = References(document.sources)
        counted: list[int] = []
        # the appendix's pages of its rows, noted as it is laid out (the decision page's
        # interaction alert points to them: reports/alert_pairs.py)
        marks: dict[str, int] = {}
        decision = decision_section(
            document,
            patient,
            clinic,
            width,
            refs,
            symptoms,
            evidence_pages=evidence_pages if count_appendix is None else lambda: counted[0],
            marks=marks,
        )

        def appendix() -> list[Flowable]:
            return evidence_section(
                document, patient, clinic, trends, width, refs, biology, symptoms, marks
            )

        if count_appendix is not None and "decision" in parts:
            # laid out alone (it starts on a page of its own, so its length is the same); its
            # flowables are spent by that layout, so a printed appendix is built again below
            counted.append(count_appendix(appendix()))
        if "decision" in parts:
            story += decision
        if "evidence" in parts:
            start("evidence")
            story += appendix()
    if "booklet" in parts:
        start("booklet")
        story += booklet_section(document, patient, clinic, width, symptoms, function)
    if "slips" in parts:
        story += referral_slips(
            document,
            patient,
            clinic,
            width,
            first=not story,
            symptoms=symptoms,
            for_family=for_family(parts),
        )
    return story
