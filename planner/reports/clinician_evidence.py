"""The evidence appendix of the clinician's part (template `evidence`, then `references`):
printed when asked, it says why the decision page says what it says — what this plan leads
with, subtype, biomarkers and organ function in full, the options (`clinician_options`),
symptom care in full (`clinician_supportive`), follow-up, overrides, trends and the numbered
references.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Table,
    TableStyle,
)

from planner.domain.dates import DEFAULT_DATE_FORMAT
from planner.domain.lab_deltas import confirmation_words
from planner.domain.plan_document import Course, PlanDocument, ReferenceLine, Subtype
from planner.domain.plan_words import clinician_words, method_words, value_words
from planner.reports import charts, styles
from planner.reports.citations import References, cite
from planner.reports.clinician_options import (
    avoid_section,
    options_not_advised_section,
    options_section,
)
from planner.reports.clinician_supportive import follow_up_section, quality_of_life_section
from planner.reports.clinician_words import (
    ST,
    child_pugh_not_scored,
    child_pugh_points,
    decided_lines,
    h1,
)
from planner.reports.formatting import date_format_of, number, regimen_title, text, words
from planner.reports.next_cycle import on_treatment
from planner.reports.tables import boxed, grid, key_values, para

REFERENCE = styles.reference_style


def evidence_section(
    plan: PlanDocument,
    patient: Mapping[str, Any],
    clinic: Mapping[str, Any],
    trends: Sequence[Mapping[str, Any]] | None,
    width: float,
    refs: References,
    biology: Mapping[str, Any] | None = None,
    symptoms: Mapping[str, Any] | None = None,
    marks: dict[str, int] | None = None,
) -> list[Flowable]:
    """Why the decision page says what it says: the decided (or first) option's dose table
    with its basis, the other options ranked, subtype and organ function in full, symptom care
    in full, monitoring, overrides, trends, then the numbered references on pages of their
    own. `marks`: where the symptom care rows fall (the decision page points to them)."""
    st = ST()
    course = plan.course
    story: list[Flowable] = [
        para(
            "<b>Evidence behind the decision page</b>: what was found, what it means and the "
            "source of each suggestion. Numbers in brackets [1] are listed under References.",
            st.note,
        ),
        *_course(plan, course, width, refs, date_format_of(clinic)),
        *_biology_and_organs(plan, width, biology, refs, date_format_of(clinic)),
    ]
    if on_treatment(plan):
        pass  # the review before this cycle is on the decision page; no first plan's options
    elif course.supportive_care_first:  # supportive care leads; the options follow, not advised
        story += quality_of_life_section(plan, width, refs, symptoms, marks)
        story += options_not_advised_section(plan, course, width, refs)
    else:
        story += options_section(plan, course, width, refs)
    story += avoid_section(plan, width, refs)
    if not course.supportive_care_first or on_treatment(plan):
        story += quality_of_life_section(plan, width, refs, symptoms, marks)
    story += follow_up_section(plan, patient, width, date_format_of(clinic))
    story += _overrides(plan, width)
    story += _trends(trends, width, plan.hepatic.bilirubin_reference_lines if plan.hepatic else ())
    # on pages of their own: by now every number is known
    story += _references(refs, width)
    return story


def _course(
    plan: PlanDocument, course: Course, width: float, refs: References, date_format: str = "iso"
) -> list[Flowable]:
    """What this plan leads with, said first: the clinician's decision (by whom, when, why), or
    best supportive care where systemic therapy was judged not appropriate, or that no option
    could be suggested yet (a gap, never a decision)."""
    st = ST()
    decision = course.decision
    lines: list[str] = []
    if decision is not None:
        if decision.course == "supportive_care":
            what = "best supportive care — no systemic therapy now"
        else:
            what = text(course.title)
        lines.append(f"<b>Plan as decided: {what}.</b>")
        if course.option is not None and course.option.rank != 1:
            first = next((o for o in plan.options if o.rank == 1), None)
            if first is not None:
                lines.append(
                    f"The program suggested {text(regimen_title(first))} first; the decided option "
                    f"was its option {text(course.option.rank)}."
                )
        lines += decided_lines(decision, date_format, bullet="• ")
        if decision.course == "supportive_care":
            lines.append(
                "Symptom care, referrals and follow-up lead this plan; the program's options are "
                "listed after them for the clinician only, not advised, without doses."
            )
    elif course.supportive_care_first:
        lines.append(
            "<b>Suggested: best supportive care.</b> Systemic therapy is judged not appropriate "
            "now — discuss goals of care. The options are listed after symptom care, for the "
            "clinician only, marked not advised and without doses."
        )
        for reason in (
            plan.systemic_therapy.not_appropriate_because if plan.systemic_therapy else ()
        ):
            lines.append(f"• {text(clinician_words(reason.reason))} — {cite(reason.basis, refs)}")
    elif course.leads == "undecided":
        lines.append(
            "<b>No systemic option could be suggested yet</b> (see what the program could not "
            "decide). A missing result is not a decision: record it and make the plan again."
        )
    else:
        return []
    return [
        boxed(
            [para(line, st.body) for line in lines],
            width,
            border=styles.RULE,
            background=styles.INFO_BG,
            padding=5,
        )
    ]


def _biomarkers(subtype: Subtype | None, biology: Mapping[str, Any] | None) -> str:
    # older plans carried the case's biomarkers in the subtype; else the case's biology section
    found = (subtype.biomarkers if subtype else None) or biology or {}
    labels = {
        "er_percent": "ER",
        "pr_percent": "PR",
        "her2_ihc": "HER2 IHC",
        "her2_ish": "HER2 ISH",
        "ki67_percent": "Ki-67",
        "pik3ca": "PIK3CA",
        "akt1_pten": "AKT1/PTEN",
        "esr1": "ESR1",
        "gbrca": "gBRCA",
        "pdl1_cps": "PD-L1 CPS",
    }
    parts = []
    for key, label in labels.items():
        if key not in found:
            continue
        value = found[key]
        shown = (
            "not recorded"  # a blank is not a negative test (safety rule 2)
            if value is None
            else (f"{number(value)} %" if key.endswith("_percent") else value_words(value))
        )
        parts.append(f"{label} {shown}")
    return text(" · ".join(parts))


def _biology_and_organs(
    plan: PlanDocument,
    width: float,
    biology: Mapping[str, Any] | None,
    refs: References,
    date_format: str = DEFAULT_DATE_FORMAT,
) -> list[Flowable]:
    """Subtype and biomarkers, then one status line each for the liver and the kidney/body."""
    st = ST()
    subtype, hepatic, body = plan.subtype, plan.hepatic, plan.body
    cp = hepatic.child_pugh if hepatic else None
    flags = [f"HER2 {text(subtype.her2 if subtype else 'unknown')}"]
    if subtype and subtype.er_low:
        flags.append("ER-low (1–10 %)")
    biomarkers = _biomarkers(subtype, biology) or "not given in the plan"

    def xuln(label: str, value: float | None) -> str:
        return "" if value is None else f" · {label} {number(value)} × ULN"

    albi = hepatic is not None and (hepatic.albi_grade, hepatic.albi_score) != (None, None)
    liver = (
        f"ODWG <b>{text(hepatic.odwg if hepatic else 'unknown')}</b>"
        + (
            xuln("bilirubin", hepatic.bilirubin_x_uln)
            + xuln("AST", hepatic.ast_x_uln)
            + xuln("ALT", hepatic.alt_x_uln)
            + xuln("ALP", hepatic.alp_x_uln)
            if hepatic
            else ""
        )
        + " · Child–Pugh "
        + (
            ((child_pugh_not_scored(hepatic) if hepatic else None) or "not calculated")
            + " (see gaps)"
            if cp is None or hepatic is None
            else f"<b>class {text(cp.child_class)}</b> ({child_pugh_points(hepatic, cp)}"
            + (
                f"; albumin cut-off {text(hepatic.child_pugh_albumin_variant)} g/dL"
                if hepatic.child_pugh_albumin_variant
                else ""
            )
            + ")"
        )
        + (
            f" · ALBI grade {text(hepatic.albi_grade)} ({number(hepatic.albi_score)})"
            if albi and hepatic
            else " · ALBI not calculated"
        )
        + " · visceral crisis: "
        + f"<b>{text(words(hepatic.visceral_crisis if hepatic else 'unknown'))}</b>"
    )
    weight_change = body.weight_change_6_months_percent if body else None
    kidney = (
        (
            "CrCl not calculated (see gaps)"
            if body is None or body.crcl_ml_min is None
            else f"CrCl <b>{number(body.crcl_ml_min, 0)} mL/min</b> "
            f"({text(method_words(body.crcl_formula or 'cockcroft_gault'))})"
        )
        + " · BSA "
        + (
            "not calculated"
            if body is None or body.bsa_m2 is None
            else f"<b>{number(body.bsa_m2)} m²</b> "
            f"({text(method_words(body.bsa_formula or 'mosteller'))})"
        )
        + (f" · BMI {number(body.bmi, 1)}" if body and body.bmi is not None else "")
        + (
            f" · weight change {number(weight_change, 1)} % "
            f"({text((body.weight_change_words if body else None) or 'over 6 months')})"
            if weight_change is not None
            else ""
        )
    )
    sub = f"<b>{text(subtype.group if subtype else 'unknown')}</b> · " + " · ".join(flags)
    if subtype and subtype.basis:
        sub += f" <font color='{styles.MUTED_MARKUP}'>{cite(subtype.basis, refs, limit=2)}</font>"
    pairs = [
        ("Subtype", sub),
        ("Biomarkers", biomarkers),
        ("Liver", liver),
        ("Kidney, body", kidney),
    ]
    # a result that jumped from her previous one and was confirmed as typed: said with the
    # findings it moved, and who confirmed it (issue 16)
    confirmed = [confirmation_words(c, date_format) for c in plan.lab_confirmations]
    if confirmed:
        pairs.append(("Confirmed results", "<br/>".join(text(line) for line in confirmed)))
    out: list[Flowable] = [key_values(pairs, width, st, columns=1, label_share=0.14)]
    systemic = plan.systemic_therapy
    warnings = systemic.warnings if systemic else ()
    if plan.course.supportive_care_first:  # said first, in the plan's course box
        for warning in warnings:
            out.append(para(text(clinician_words(warning)), st.bullet, bulletText="•"))
        return out
    if systemic is not None and systemic.appropriate is False:
        out.append(
            para(
                "<b>Systemic therapy may not be appropriate now</b> — discuss goals of care.",
                st.body,
            )
        )
    for warning in warnings:
        out.append(para(text(clinician_words(warning)), st.bullet, bulletText="•"))
    for reason in systemic.not_appropriate_because if systemic else ():
        out.append(
            para(
                f"{text(clinician_words(reason.reason))} — {cite(reason.basis, refs)}",
                st.bullet,
                bulletText="•",
            )
        )
    return out


def _overrides(plan: PlanDocument, width: float) -> list[Flowable]:
    overrides = plan.overrides
    if not overrides:
        return []
    rows = [["What", "From → to", "Reason", "By, at"]]
    rows += [
        [
            text(o.what),
            f"{text(o.from_value)} → <b>{text(o.to_value)}</b>",
            text(o.reason),
            f"{text(o.by)}<br/>{text(o.at)}",
        ]
        for o in overrides
    ]
    return [
        h1("Clinician overrides"),
        grid(rows, [width * 0.25, width * 0.17, width * 0.38, width * 0.2], ST()),
    ]


def _trends(
    trends: Sequence[Mapping[str, Any]] | None,
    width: float,
    bilirubin_lines: Sequence[ReferenceLine] = (),
) -> list[Flowable]:
    """Small charts side by side (two or more dated points each); a note for the rest."""
    if trends is None:
        return []
    st = ST()
    columns = 3
    drawn, skipped = charts.trend_charts(
        trends, (width - 8) / columns, height=105, bilirubin_lines=bilirubin_lines
    )
    out: list[Flowable] = []
    if drawn:
        cells = [*drawn, *[""] * (-len(drawn) % columns)]
        rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
        table = Table(rows, colWidths=[width / columns] * columns, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), styles.FONT),  # empty cells too
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        out += [CondPageBreak(130), h1("Trends"), table]
    if skipped:
        out.append(
            para(f"Not charted (fewer than two results): {text(', '.join(skipped))}.", st.note)
        )
    return out


def _references(refs: References, width: float) -> list[Flowable]:
    if not len(refs):
        return []
    style = REFERENCE()
    entries = [para(f"[{n}] {markup}", style) for n, markup in refs.entries()]
    head = [
        h1("References"),
        para(
            "Each number is one primary document: title — issuer, date or version: the sections"
            " cited; then where to find it. A citation not yet checked in its primary says so.",
            style,
        ),
    ]
    # On pages of their own (the References part); the heading keeps its note and the first
    # references with it all the same.
    return [
        NextPageTemplate("references"),
        PageBreak(),
        KeepTogether(head + entries[:2]),
        *entries[2:],
    ]
