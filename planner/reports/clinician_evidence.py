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
from planner.domain.decision import PlanCourse, plan_course
from planner.domain.lab_deltas import confirmation_words
from planner.domain.plan_words import clinician_words, method_words, value_words
from planner.reports import charts, styles
from planner.reports.citations import References, cite
from planner.reports.clinician_options import (
    avoid_section,
    options_not_advised_section,
    options_section,
)
from planner.reports.clinician_supportive import follow_up_section, quality_of_life_section
from planner.reports.clinician_words import ST, Plan, child_pugh_not_scored, decided_lines, h1
from planner.reports.formatting import (
    date_format_of,
    number,
    regimen_title,
    text,
    words,
)
from planner.reports.next_cycle import on_treatment
from planner.reports.plan_input import document_of
from planner.reports.tables import boxed, grid, key_values, para

REFERENCE = styles.reference_style


def evidence_section(
    plan: Plan,
    patient: Mapping[str, Any],
    clinic: Mapping[str, Any],
    trends: Sequence[Mapping[str, Any]] | None,
    width: float,
    refs: References,
    biology: Mapping[str, Any] | None = None,
    symptoms: Mapping[str, Any] | None = None,
) -> list[Flowable]:
    """Why the decision page says what it says: the decided (or first) option's dose table
    with its basis, the other options ranked, subtype and organ function in full, symptom care
    in full, monitoring, overrides, trends, then the numbered references on pages of their
    own."""
    st = ST()
    course = plan_course(plan)
    document = document_of(plan)  # the parts moved to the read model read it
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
        story += quality_of_life_section(document, width, refs, symptoms)
        story += options_not_advised_section(document, document.course, width, refs)
    else:
        story += options_section(document, document.course, width, refs)
    story += avoid_section(document, width, refs)
    if not course.supportive_care_first or on_treatment(plan):
        story += quality_of_life_section(document, width, refs, symptoms)
    story += follow_up_section(document, patient, width, date_format_of(clinic))
    story += _overrides(plan, width)
    story += _trends(
        trends, width, (plan.get("hepatic") or {}).get("bilirubin_reference_lines") or ()
    )
    # on pages of their own: by now every number is known
    story += _references(refs, width)
    return story


def _course(
    plan: Plan, course: PlanCourse, width: float, refs: References, date_format: str = "iso"
) -> list[Flowable]:
    """What this plan leads with, said first: the clinician's decision (by whom, when, why), or
    best supportive care where systemic therapy was judged not appropriate, or that no option
    could be suggested yet (a gap, never a decision)."""
    st = ST()
    decision = course.decision
    lines: list[str] = []
    if decision is not None:
        what = (
            "best supportive care — no systemic therapy now"
            if decision.course == "supportive_care"
            else text(regimen_title(course.option or {"regimen": decision.regimen}))
        )
        lines.append(f"<b>Plan as decided: {what}.</b>")
        if course.option is not None and course.option.get("rank") != 1:
            first = next((o for o in plan.get("options") or [] if o.get("rank") == 1), None)
            if first is not None:
                lines.append(
                    f"The program suggested {text(regimen_title(first))} first; the decided option "
                    f"was its option {text(course.option.get('rank'))}."
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
        for reason in (plan.get("systemic_therapy") or {}).get("not_appropriate_because") or []:
            lines.append(
                f"• {text(clinician_words(reason.get('reason')))} — "
                f"{cite(reason.get('basis'), refs)}"
            )
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


def _biomarkers(subtype: Mapping[str, Any], plan: Plan, biology: Mapping[str, Any] | None) -> str:
    found = (
        subtype.get("biomarkers") or plan.get("biomarkers") or plan.get("biology") or biology or {}
    )
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
    plan: Plan,
    width: float,
    biology: Mapping[str, Any] | None,
    refs: References,
    date_format: str = DEFAULT_DATE_FORMAT,
) -> list[Flowable]:
    """Subtype and biomarkers, then one status line each for the liver and the kidney/body."""
    st = ST()
    subtype = plan.get("subtype") or {}
    hepatic = plan.get("hepatic") or {}
    body = plan.get("body") or {}
    cp = hepatic.get("child_pugh")
    albi = hepatic.get("albi")
    flags = [f"HER2 {text(subtype.get('her2', 'unknown'))}"]
    if subtype.get("er_low"):
        flags.append("ER-low (1–10 %)")
    biomarkers = _biomarkers(subtype, plan, biology) or "not given in the plan"

    def xuln(label: str, key: str) -> str:
        value = hepatic.get(key)
        return "" if value is None else f" · {label} {number(value)} × ULN"

    liver = (
        f"ODWG <b>{text(hepatic.get('odwg', 'unknown'))}</b>"
        + xuln("bilirubin", "bilirubin_x_uln")
        + xuln("AST", "ast_x_uln")
        + xuln("ALT", "alt_x_uln")
        + xuln("ALP", "alp_x_uln")
        + " · Child–Pugh "
        + (
            (child_pugh_not_scored(hepatic) or "not calculated") + " (see gaps)"
            if not cp
            else f"<b>class {text(cp.get('class'))}</b> ({text(cp.get('points'))} points"
            + (
                f"; albumin cut-off {text(hepatic.get('child_pugh_albumin_variant'))} g/dL"
                if hepatic.get("child_pugh_albumin_variant")
                else ""
            )
            + ")"
        )
        + (
            f" · ALBI grade {text(albi.get('grade'))} ({number(albi.get('score'))})"
            if albi
            else " · ALBI not calculated"
        )
        + f" · visceral crisis: <b>{text(words(hepatic.get('visceral_crisis', 'unknown')))}</b>"
    )
    weight_change = body.get("weight_change_6_months_percent")
    kidney = (
        (
            "CrCl not calculated (see gaps)"
            if body.get("crcl_ml_min") is None
            else f"CrCl <b>{number(body.get('crcl_ml_min'), 0)} mL/min</b> "
            f"({text(method_words(body.get('crcl_formula') or 'cockcroft_gault'))})"
        )
        + " · BSA "
        + (
            "not calculated"
            if body.get("bsa_m2") is None
            else f"<b>{number(body.get('bsa_m2'))} m²</b> "
            f"({text(method_words(body.get('bsa_formula') or 'mosteller'))})"
        )
        + (f" · BMI {number(body.get('bmi'), 1)}" if body.get("bmi") is not None else "")
        + (
            f" · weight change {number(weight_change, 1)} % "
            f"({text(body.get('weight_change_words') or 'over 6 months')})"
            if weight_change is not None
            else ""
        )
    )
    sub = f"<b>{text(subtype.get('group', 'unknown'))}</b> · " + " · ".join(flags)
    if subtype.get("basis"):
        sub += f" <font color='{styles.MUTED_MARKUP}'>{cite(subtype.get('basis'), refs, limit=2)}</font>"
    pairs = [
        ("Subtype", sub),
        ("Biomarkers", biomarkers),
        ("Liver", liver),
        ("Kidney, body", kidney),
    ]
    # a result that jumped from her previous one and was confirmed as typed: said with the
    # findings it moved, and who confirmed it (issue 16)
    confirmed = [confirmation_words(c, date_format) for c in plan.get("lab_confirmations") or ()]
    if confirmed:
        pairs.append(("Confirmed results", "<br/>".join(text(line) for line in confirmed)))
    out: list[Flowable] = [key_values(pairs, width, st, columns=1, label_share=0.14)]
    systemic = plan.get("systemic_therapy") or {}
    if plan_course(plan).supportive_care_first:  # said first, in the plan's course box
        for warning in systemic.get("warnings") or []:
            out.append(para(text(clinician_words(warning)), st.bullet, bulletText="•"))
        return out
    if systemic.get("appropriate") is False:
        out.append(
            para(
                "<b>Systemic therapy may not be appropriate now</b> — discuss goals of care.",
                st.body,
            )
        )
    for warning in systemic.get("warnings") or []:
        out.append(para(text(clinician_words(warning)), st.bullet, bulletText="•"))
    for reason in systemic.get("not_appropriate_because") or []:
        out.append(
            para(
                f"{text(clinician_words(reason.get('reason')))} — {cite(reason.get('basis'), refs)}",
                st.bullet,
                bulletText="•",
            )
        )
    return out


def _overrides(plan: Plan, width: float) -> list[Flowable]:
    overrides = plan.get("overrides") or []
    if not overrides:
        return []
    rows = [["What", "From → to", "Reason", "By, at"]]
    rows += [
        [
            text(o.get("what")),
            f"{text(o.get('from'))} → <b>{text(o.get('to'))}</b>",
            text(o.get("reason")),
            f"{text(o.get('by'))}<br/>{text(o.get('at'))}",
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
    bilirubin_lines: Sequence[Mapping[str, Any]] = (),
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
