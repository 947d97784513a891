"""The systemic-therapy options in the evidence appendix: the decided (or first) option's dose
table with its basis, the other options ranked (a few one line each, the rest counted), the
options listed not advised where supportive care leads, and what to avoid.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether

from planner.domain.plan_document import Course, DrugRow, PlanDocument, RegimenOption
from planner.domain.plan_words import (
    STATUS,
    allergy_flag,
    clinician_words,
    field_words,
    units_in_words,
)
from planner.reports import styles
from planner.reports.citations import References, cite
from planner.reports.clinician_words import (
    ST,
    compact_dose,
    decided_note,
    dose_cells,
    h1,
    notes_without_other_doses,
    warnings_as_printed,
)
from planner.reports.formatting import drug_title, regimen_title, text, words
from planner.reports.tables import grid, para

OTHER_OPTIONS_SHOWN = 2  # ranks 2–3, one line each; the rest are counted


def _rank(option: RegimenOption) -> str:
    return text("?" if option.rank is None else option.rank)


def _status(drug: DrugRow) -> str:
    return STATUS.get(drug.status or "", words(drug.status))


def _option_flags(option: RegimenOption) -> str:
    flags = []
    if option.not_appropriate:
        flags.append("systemic therapy may not be appropriate")
    if option.mdt_decision:
        flags.append("MDT decision")
    if option.declined_by_patient:
        flags.append("patient has declined this kind of treatment")
    return (
        f" <font color='{styles.CRITICAL_MARKUP}'>({text('; '.join(flags))})</font>"
        if flags
        else ""
    )


def options_not_advised_section(
    plan: PlanDocument, course: Course, width: float, refs: References
) -> list[Flowable]:
    """Where supportive care leads: the engine's options for the clinician's information, each
    marked not advised, with no dose (the plan gives none)."""
    st = ST()
    options = plan.ranked_options
    if not options:
        return []
    listed = [_undosed_option(o, "Not advised", refs) for o in options[: 1 + OTHER_OPTIONS_SHOWN]]
    out: list[Flowable] = [
        KeepTogether(  # the heading never sits alone at the foot of a page
            [
                h1("Systemic therapy options — not advised now (for the clinician)"),
                para(
                    "Listed for discussion only: no dose is given while best supportive care "
                    "leads this plan. Doses and their basis: on screen and in the plan document "
                    "(JSON).",
                    st.note,
                ),
                listed[0],
            ]
        ),
        *listed[1:],
    ]
    out += _more_options(plan, options[1 + OTHER_OPTIONS_SHOWN :])
    return out


def _undosed_option(option: RegimenOption, label: str, refs: References) -> Flowable:
    """An option the plan does not give, named with its rank and each drug's status: no dose."""
    statuses = ", ".join(
        f"{text(drug_title(d.drug or '?'))} {text(_status(d).lower())}" for d in option.drugs
    )
    return para(
        f"<b>{text(label)} {_rank(option)}:</b> {text(regimen_title(option))}"
        f"{_option_flags(option)} <font color='{styles.MUTED_MARKUP}'>({statuses})</font> — "
        f"{cite(option.basis, refs, limit=2)}",
        ST().bullet,
        bulletText="•",
    )


def _first_option(
    option: RegimenOption, width: float, refs: References, *, decided: bool = False
) -> list[Flowable]:
    """Rank 1 (or the decided option) in full: every drug's dose arithmetic, warnings, gaps and
    basis."""
    st = ST()
    if decided:
        title = (
            f"Decided: {text(regimen_title(option))} "
            f"<font color='{styles.MUTED_MARKUP}'>(suggested as option {_rank(option)})</font>"
        )
    else:
        title = f"1. {text(regimen_title(option))}"
    if option.line is not None:
        title += f" <font color='{styles.MUTED_MARKUP}'>· line {text(option.line)}</font>"
    title += _option_flags(option)
    head = [para(title, st.h2)]
    if option.schedule:
        head.append(para(f"Schedule: {text(units_in_words(option.schedule))}", st.body))
    widths = [width * f for f in (0.16, 0.12, 0.15, 0.31, 0.26)]
    rows: list[list[Any]] = [
        ["Drug", "Standard", "Adapted", "Absolute dose (arithmetic)", "Schedule"]
    ]
    extra: list[tuple[Any, ...]] = []
    for drug in option.drugs:
        standard, adapted, absolute = dose_cells(drug)
        undosed = drug.dose is None
        held = drug.decided is not None and drug.decided.action == "hold"
        rows.append(
            [
                f"<b>{text(drug_title(drug.drug or '?'))}</b><br/>{text(_status(drug))}"
                + _allergy_mark(drug, "<br/>"),
                standard,
                adapted,
                "" if undosed else absolute,
                "held: not given now"  # a held drug is never in the schedule
                if held
                else text(units_in_words(drug.schedule or "–")),
            ]
        )
        if undosed:  # "no dose: contraindicated" across both dose columns: never split mid-word
            r = len(rows) - 1
            extra.append(("SPAN", (2, r), (3, r)))

        notes = [f"Basis: {cite(drug.basis, refs)}"]
        notes += decided_note(drug)
        notes += [f"⚠ {text(clinician_words(w))}" for w in warnings_as_printed(drug, option)]
        notes += [
            f"Could not decide: {text(field_words(g.field))} — {text(clinician_words(g.effect))}"
            for g in drug.gaps
        ]
        rows.append([para("<br/>".join(notes), st.small), "", "", "", ""])
        r = len(rows) - 1
        extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), styles.SHADE)]
    table = grid(rows, widths, st, extra=extra)
    why = f"<b>Why this option:</b> {cite(option.basis, refs)}"
    if option.rank_reason:
        why += f". {text(clinician_words(option.rank_reason))}"
    tail = [para(why, st.note)]
    tail += [
        para(f"Note: {text(clinician_words(n))}", st.note)
        for n in notes_without_other_doses(option.notes, option.drugs)
    ]
    return [KeepTogether([*head, table]), *tail]


def _allergy_mark(drug: DrugRow, before: str) -> str:
    """A dosed drug beside an allergy note says so on its printed line (walk23 #6)."""
    flag = allergy_flag(drug.warnings, drug.dose is not None)
    return f"{before}<b>{text(flag.removeprefix(' — '))}</b>" if flag else ""


def _other_option(option: RegimenOption, refs: References) -> Flowable:
    st = ST()
    doses = "; ".join(compact_dose(d) for d in option.drugs) or "no drugs listed"
    line = (
        f"<b>{_rank(option)}. {text(regimen_title(option))}</b>"
        + (f" (line {text(option.line)})" if option.line is not None else "")
        + _option_flags(option)
        + f" — {doses} — {cite(option.basis, refs, limit=2)}"
    )
    return para(line, st.body)


def options_section(
    plan: PlanDocument, course: Course, width: float, refs: References
) -> list[Flowable]:
    st = ST()
    options = plan.ranked_options
    first = course.option if course.leads == "decided_option" else None
    decided = first is not None
    out: list[Flowable] = [
        CondPageBreak(160),  # the heading never sits alone at the foot of a page
        h1(
            "Systemic therapy: the decided option, then the program's suggestions"
            if decided
            else "Systemic therapy options (ranked)"
        ),
    ]
    if not options:
        out.append(para("No systemic option is suggested (see gaps and alerts).", st.body))
        return out
    out.append(
        para(
            "Dose: standard → adapted for liver/kidney (% of standard) → absolute (BSA or weight).",
            st.note,
        )
    )
    if first is not None:
        options = tuple(o for o in options if o is not first)
        out += _first_option(first, width, refs, decided=True)
        out.append(
            para(
                "<b>The program suggested</b> (ranked; not chosen, so no dose is printed):",
                st.body,
            )
        )
        out += [_undosed_option(o, "Suggested", refs) for o in options[:OTHER_OPTIONS_SHOWN]]
        rest = options[OTHER_OPTIONS_SHOWN:]
    else:
        out += _first_option(options[0], width, refs)
        out += [_other_option(o, refs) for o in options[1 : 1 + OTHER_OPTIONS_SHOWN]]
        rest = options[1 + OTHER_OPTIONS_SHOWN :]
    out += _more_options(plan, rest)
    return out


def _more_options(plan: PlanDocument, rest: Sequence[RegimenOption]) -> list[Flowable]:
    st = ST()
    out: list[Flowable] = []
    if rest:
        names = ", ".join(text(regimen_title(o)) for o in rest)
        out.append(
            para(
                f"<b>{len(rest)} more option{'s' if len(rest) > 1 else ''}</b> on screen / in the "
                f"record (plan JSON, with doses and basis): {names}.",
                st.note,
            )
        )
    hidden = plan.hidden_options
    if hidden:
        out.append(
            para(
                f"{len(hidden)} option{'s' if len(hidden) > 1 else ''} hidden by clinic settings "
                "(e.g. formulary): listed on screen / plan JSON.",
                st.note,
            )
        )
    return out


def avoid_section(plan: PlanDocument, width: float, refs: References) -> list[Flowable]:
    avoid = plan.avoid
    if not avoid:
        return []
    st = ST()
    out: list[Flowable] = [h1("Drugs to avoid")]
    for a in avoid:
        out.append(
            para(
                f"<b>{text(drug_title(a.drug or '?'))}</b> — "
                f"{text(clinician_words(a.reason))} — "
                f"{cite(a.basis, refs)}",
                st.bullet,
                bulletText="•",
            )
        )
    return out
