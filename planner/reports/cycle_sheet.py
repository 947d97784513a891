"""The cycle sheet (contract §5, issue 19): one signed cycle review, printed.

Why one module: it prints one signed review in two parts that read the same review and the
same `dose_lines`; kept together, no part can print a dose the decision does not give, nor a
dose the other part words differently.

Two parts on the plan's page templates:

- for the doctor and the pharmacist (clinician template): the decision as signed — confirmed,
  or overridden with the reason — each drug's dose with its arithmetic (mg/m² × BSA = mg,
  percent of the starting dose), the reasons with their rule and numbered source, the lab
  grades, what to wait for, the trend charts with the CTCAE grade bands, the references;
- for the patient (booklet template, large type): this cycle's dates, her medicines in plain
  words, and what to watch for. No rule ids.

Safety: a dose is printed only where the decision gives it (`dose_lines`: a discontinued drug
has none; an overridden suggestion's dose is never shown beside the decided one); a review
that decided nothing cannot be signed (`treatment_course.confirm`), so it never reaches print.

`source` is the typed `CycleSheetSource` (planner/domain/cycle_sheet_source.py) that
`services.cycle_sheets.cycle_sheet_source` reads from the record once.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import HRFlowable

from planner.domain.cycle_sheet_source import CycleSheetSource
from planner.domain.dose_tables import ROUTE_WORDS
from planner.domain.plan_document import Alert, GradedTerm, NextCycle, RegimenOption
from planner.domain.plan_words import clinician_words
from planner.domain.stored import CourseReview
from planner.domain.treatment_course import DoseLine
from planner.reports import booklet, booklet_medicines, charts, styles
from planner.reports.citations import References, cite
from planner.reports.formatting import (
    date,
    date_format_of,
    drug_title,
    moment,
    number,
    patient_name,
    text,
    words,
)
from planner.reports.tables import boxed, grid, key_values, para
from planner.reports.templates import PAPER, CarePlanDocument, PageHeading, PlanCanvas

ACTION_WORDS = {
    "continue": "give, same dose",
    # a given drug's action is what its dose did against the last cycle given (`dose_lines`)
    "reduce": "give, lower dose",
    "increase": "give, higher dose",
    "hold": "hold (delay)",
    "discontinue": "discontinue",
    "insufficient_data": "not decided (results missing)",
}
DECISION_WORDS = {
    "give": "GIVE this cycle",
    "delay": "DELAY this cycle",
    "stop": "STOP the course",
    "insufficient_data": "NOT DECIDED: results missing",
}
DAY_DECISION_WORDS = {
    **DECISION_WORDS,
    "give": "GIVE this day's dose",
    "delay": "HOLD this day's dose",
}


def _amount(dose: Mapping[str, Any] | None) -> str:
    if not dose:
        return "no dose"
    return f"{number(dose['value'], 2)} {text(str(dose['unit']).replace('m2', 'm²'))}"


#: who a cycle sheet is printed for: the doctor's and pharmacist's pages, the patient's, or both
SHEET_AUDIENCES = ("both", "clinician", "patient")


def render_cycle_sheet(
    source: CycleSheetSource, *, invariant: bool = False, audience: str = "both"
) -> bytes:
    paper = str(source.paper or "a4")
    if paper not in PAPER:
        raise ValueError(f"paper {paper!r} is not one of {', '.join(PAPER)}")
    if audience not in SHEET_AUDIENCES:
        raise ValueError(f"audience {audience!r} is not one of {', '.join(SHEET_AUDIENCES)}")
    patient, clinic, review = source.patient, source.clinic, source.review
    name = patient_name(patient)
    mrn = str(patient.get("mrn") or "–")
    shown = date_format_of(clinic)
    born = patient.get("birth_date")
    heading = PageHeading(
        patient_name=name,
        mrn=mrn,
        date=date(review.reviewed_on, shown),
        # the dose of the day is on this sheet: every page tells her apart from a namesake
        # (walk 21 H5: four "Patel, Priya" in one record)
        birth_date=date(born, shown) if born else "",
        rules_version=str(source.rules_version or "unknown"),
        clinic_name=str(clinic.get("name") or ""),
        clinic_phone=str(clinic.get("phone") or ""),
    )
    buffer = io.BytesIO()
    doc = CarePlanDocument(
        buffer,
        heading=heading,
        paper=paper,
        first_part="booklet" if audience == "patient" else "clinician",
        invariant=invariant,
        title=f"Cycle sheet — {name} ({mrn}) — cycle {review.cycle}",
        author=str(clinic.get("name") or "Supportive-care planner"),
        subject="Cycle review: the decision and doses, and the patient's sheet",
        titles=sheet_titles(review.cycle),
    )
    width = doc.frame_width
    story: list[Flowable] = []
    if audience != "patient":
        story += clinician_part(source, width)
    if audience == "both":
        story += [NextPageTemplate("booklet"), PageBreak()]
    if audience != "clinician":
        story += patient_part(source, width)
    doc.build(story, canvasmaker=PlanCanvas)
    return buffer.getvalue()


def sheet_titles(cycle: object) -> dict[str, str]:
    """The page headers of the cycle sheet: what it is, which cycle, and who reads each part."""
    return {
        "clinician": f"Cycle sheet · cycle {cycle} · for the doctor and pharmacist",
        "booklet": f"Cycle sheet · cycle {cycle} · for the patient",
    }


# ---- for the doctor and the pharmacist -------------------------------------------------------


def clinician_part(source: CycleSheetSource, width: float) -> list[Flowable]:
    st = styles.clinician_styles()
    review, course = source.review, source.course
    suggested, decided = source.suggested, source.decided
    refs = References(source.sources)
    shown = date_format_of(source.clinic)
    story: list[Flowable] = [
        para(
            f"Cycle review — {text(source.course_name)}, cycle {review.cycle}, day {review.day}",
            st.title,
        )
    ]
    body = source.body
    story.append(
        key_values(
            [
                ("Reviewed on", text(date(review.reviewed_on, shown))),
                ("Course started", text(date(course.started_on, shown))),
                ("Cycle length", f"{course.cycle_days} days"),
                (
                    "Cycle given on" if review.day == 1 else f"Day {review.day} dose given on",
                    text(date(source.given_on, shown)) if source.given_on else "not given",
                ),
                (
                    "BSA",
                    f"{number(body.bsa_m2, 2)} m² (Mosteller)" if body.bsa_m2 else "not recorded",
                ),
                (
                    "Weight / height",
                    f"{number(body.weight_kg, 1)} kg / {number(body.height_cm, 0)} cm"
                    + (f" ({text(body.weight_note)})" if body.weight_note else ""),
                ),
            ],
            width,
            st,
        )
    )
    story += _visits(source, st, shown)
    story += _decision_box(review, decided, suggested, width, st, shown)
    story += _doses(source, width, st)
    story += _reasons(suggested, decided, review.outcome, refs, st)
    story += _graded(suggested, refs, width, st)
    story += _alerts(source.alerts, refs, width, st)
    story += _trends(source, width, st)
    story += _signature(review, width, st, shown)
    story += _references(refs)
    return story


def _headline(cycle: NextCycle) -> str:
    """The decision as printed: drug by drug where some are given and some held; a day inside
    the cycle (day 8) decides that day's dose, not a cycle (walk 24 HARM 1)."""
    words = DECISION_WORDS if (cycle.day or 1) == 1 else DAY_DECISION_WORDS
    return cycle.drug_by_drug() or words.get(cycle.decision, cycle.decision)


def _decision_box(
    review: CourseReview,
    decided: NextCycle,
    suggested: NextCycle,
    width: float,
    st: Any,
    date_format: str,
) -> list[Flowable]:
    lines = [f"<b>Decision: {text(_headline(decided))}</b>"]
    # the clinic's date format and local time: the record keeps UTC (walk 21 F15)
    when = text(moment(review.signed_at, date_format))
    if review.outcome == "confirmed":
        lines.append(
            f"The program's suggestion, confirmed by <b>{text(review.signed_by)}</b> ({when})."
        )
    else:
        lines.append(
            f"<b>Overridden</b> by <b>{text(review.signed_by)}</b> ({when}). "
            f"The program suggested: {text(_headline(suggested).lower())}"
            " (its doses are not printed: they are not the decision)."
        )
        lines.append(f"<b>Reason for the override:</b> {text(review.reason or '')}")
    if decided.decision == "delay":
        if decided.resume_when:
            lines.append("<b>Give when:</b> " + text("; ".join(decided.resume_when)))
        if decided.recheck_in_days:
            lines.append(f"<b>Repeat the blood tests in {decided.recheck_in_days} days.</b>")
    critical = decided.decision in ("delay", "stop") or review.outcome == "overridden"
    return [
        Spacer(1, 6),
        boxed(
            [para(line, st.body) for line in lines],
            width,
            border=styles.CRITICAL if critical else styles.RULE,
            background=styles.WARNING_BG if critical else styles.INFO_BG,
        ),
    ]


def _doses(source: CycleSheetSource, width: float, st: Any) -> list[Flowable]:
    rows: list[list[Any]] = [
        ["Drug", "Decision", "Dose", "% of starting", "Dose in mg (arithmetic)"]
    ]
    for line in source.doses:
        dose = line.dose
        shown = _amount(dose)
        if line.action == "hold" and dose:
            shown = f"{shown} once it may be given"
        elif line.action == "hold":  # the restart dose needs what is missing (contract doc)
            shown = "restart dose not decided"
        rows.append(
            [
                text(drug_title(line.drug)),
                text(ACTION_WORDS.get(line.action, line.action)),
                shown,
                "–"
                if line.percent_of_starting is None
                else f"{number(line.percent_of_starting, 1)} %",
                _mg_cell(line),
            ]
        )
    starting = "; ".join(
        f"{drug_title(d['drug'])} {_amount(d['starting_dose'])}" for d in source.course.drugs
    )
    return [
        para(
            "Doses for this cycle"
            if source.review.day == 1
            else f"Doses for day {source.review.day} of this cycle (that day only)",
            st.h1,
        ),
        grid(rows, [width * w for w in (0.17, 0.15, 0.17, 0.11, 0.40)], st),
        para(f"Starting doses of the course (100 %): {starting}.", st.note),
    ]


def _mg_cell(line: DoseLine) -> str:
    """The mg arithmetic; for tablets, first what she takes (the whole tablets) in bold."""
    arithmetic = text((line.arithmetic or "–").replace("m2", "m²"))
    tablets = line.tablets
    if not tablets:
        return arithmetic
    return f"<b>{text(tablets['text'])}</b> each time<br/>{arithmetic}; {text(tablets['rounding'])}"


def _reasons(
    suggested: NextCycle,
    decided: NextCycle,
    outcome: str,
    refs: References,
    st: Any,
) -> list[Flowable]:
    """Each drug's reasons as suggested; `outcome` the review's ("confirmed", "overridden")."""
    out: list[Flowable] = [
        para("Why: what was found, what it means, the rule and its source", st.h1)
    ]
    if outcome == "overridden":
        out.append(
            para(
                "These are the program's reasons for its suggestion; the decision above "
                "overrides it for the reason given.",
                st.note,
            )
        )
    decided_dose = {d.drug: d.dose for d in decided.drugs}
    for drug in suggested.drugs:
        out.append(para(f"<b>{text(drug_title(drug.drug))}</b>", st.h2))
        reasons = list(drug.reasons)
        if decided_dose.get(drug.drug) != drug.dose:
            # the suggestion's dose is not the decision's: a reason naming it is left out
            kept = [r for r in reasons if not booklet_medicines.DOSE_PATTERN.search(r)]
            if len(kept) < len(reasons):
                kept.append(
                    "(the program's suggested dose is left out: the decision above sets the dose)"
                )
            reasons = kept
        for reason in reasons:
            out.append(para(text(clinician_words(reason)), st.bullet, bulletText="•"))
        out.append(para("Rules: " + cite(drug.basis, refs), st.small))
    for note in suggested.notes:
        out.append(para(text(clinician_words(note)), st.note))
    return out


def _graded(suggested: NextCycle, refs: References, width: float, st: Any) -> list[Flowable]:
    graded = suggested.graded
    if not graded:
        return []
    rows: list[list[Any]] = [["Result (CTCAE v5)", "Grade (by which rule)", "Found"]]
    for g in graded:
        rows.append(
            [
                text(words(g.term)),
                text(grade_cell(g)),
                text(g.finding or "") + (f" — {text(g.note)}" if g.note else ""),
            ]
        )
    basis = [b for g in graded for b in g.basis]
    return [
        CondPageBreak(80),
        para("Today's results, graded", st.h1),
        grid(rows, [width * 0.25, width * 0.2, width * 0.55], st),
        *([para(BOTH_GRADINGS, st.note)] if any(g.against_baseline for g in graded) else []),
        para("Grades: " + cite(basis, refs), st.small),
    ]


# walk 23 #17: the table graded ALT 2.67 × ULN grade 0 against her baseline while palbociclib's
# reason said its label grades in × ULN; a pharmacist could not tell which grade decided
BOTH_GRADINGS = (
    "Where a result was above the ULN before treatment, it has two grades: CTCAE v5 against her "
    "baseline, and in × ULN as some labels write their grades. Both are shown; each drug's "
    "reason above says which one its label reads."
)


def grade_cell(g: GradedTerm) -> str:
    """A result's grade and the rule that gave it (both, where her baseline was raised)."""
    shown = str(g.grade_shown or g.grade)
    if not g.against_baseline:
        return shown
    x_uln = "not known (no ULN today)" if g.grade_x_uln is None else str(g.grade_x_uln)
    return f"{shown} against her baseline (CTCAE v5); {x_uln} in × ULN"


def _alerts(alerts: Sequence[Alert], refs: References, width: float, st: Any) -> list[Flowable]:
    if not alerts:
        return []
    items = [
        para(
            f"<b>{text(words(str(a.level)).upper())}</b> {text(a.message)} — {cite(a.basis, refs)}",
            st.body,
        )
        for a in alerts
    ]
    return [
        Spacer(1, 4),
        boxed(items, width, border=styles.CRITICAL, background=styles.CRITICAL_BG),
    ]


def _trends(source: CycleSheetSource, width: float, st: Any) -> list[Flowable]:
    trends = source.trends or []
    drawn, skipped = charts.cycle_charts(trends, (width - 8) / 2, 120, source.bands or {})
    out: list[Flowable] = []
    if drawn:
        cells = [*drawn, *[""] * (-len(drawn) % 2)]
        rows = [cells[i : i + 2] for i in range(0, len(cells), 2)]
        table = Table(rows, colWidths=[width / 2] * 2, hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONTNAME", (0, 0), (-1, -1), styles.FONT),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        out += [
            CondPageBreak(260),
            para("Across the course (shaded: CTCAE v5 grades)", st.h1),
            table,
        ]
    if skipped:
        out.append(
            para(f"Not charted (fewer than two results): {text(', '.join(skipped))}.", st.note)
        )
    return out


def _signature(review: CourseReview, width: float, st: Any, date_format: str) -> list[Flowable]:
    rows = [
        ["Decided and signed by", "Signature", "Date and time"],
        [text(review.signed_by), "", text(moment(review.signed_at, date_format))],
        ["Pharmacist: doses checked by", "Signature", "Date and time"],
        ["", "", ""],
    ]
    table = grid(
        rows, [width * 0.45, width * 0.3, width * 0.25], st, row_heights=[None, 28, None, 28]
    )
    return [
        KeepTogether(
            [
                para("Signatures", st.h1),
                HRFlowable(width="100%", thickness=0.5, color=styles.RULE),
                Spacer(1, 4),
                table,
            ]
        )
    ]


def _references(refs: References) -> list[Flowable]:
    if not len(refs):
        return []
    style = styles.reference_style()
    return [
        CondPageBreak(120),
        para("References", styles.clinician_styles().h1),
        *(para(f"[{n}] {markup}", style) for n, markup in refs.entries()),
    ]


# ---- for the patient --------------------------------------------------------------------------


def patient_part(source: CycleSheetSource, width: float) -> list[Flowable]:
    st = styles.booklet_styles()
    decided = source.decided
    day = source.review.day
    cycle = source.review.cycle
    title = f"Your treatment: round {cycle}" + (f", day {day}" if day > 1 else "")
    story: list[Flowable] = [para(title, st.title)]
    lines: list[str] = []
    if decided.decision == "give" and day > 1:
        # a day inside the round (walk 24 HARM 1): this day's dose, on this day — never told
        # as the next round, its date or its dose
        if source.given_on:
            when = booklet.plain_date(source.given_on)
            lines.append(
                f"This treatment day (day {day} of round {cycle}) was on <b>{text(when)}</b>."
            )
        elif source.planned_on:
            when = booklet.plain_date(source.planned_on)
            lines.append(f"This treatment day (day {day} of round {cycle}) is <b>{text(when)}</b>.")
        lines += _come_in(source, after_day=day)
        if source.next_due:
            lines.append(
                f"Your next round is planned for <b>{text(booklet.plain_date(source.next_due))}</b>."
            )
    elif decided.decision == "give":
        # the cycle's own date: given, else planned; never the day the blood was drawn, which
        # told a family the round had started on the day of the tests (walk 21 H4)
        if source.given_on:
            when = booklet.plain_date(source.given_on)
            lines.append(f"This round starts on <b>{text(when)}</b>.")
        elif source.planned_on:
            when = booklet.plain_date(source.planned_on)
            lines.append(f"This round is planned for <b>{text(when)}</b>.")
        else:
            lines.append("The date of this round: your team will tell you.")
        lines += _come_in(source)
        if source.next_due:
            lines.append(
                f"Your next check-up and blood test: <b>{text(booklet.plain_date(source.next_due))}</b>."
            )
    elif decided.split_delay():
        # some medicines go ahead: "do not take your cancer medicine" would stop them too
        lines.append(
            "<b>Part of your treatment waits this time.</b> Your blood tests or side effects "
            "need time to get better first. The medicines below marked “not this round” wait; "
            "the others go ahead as planned."
        )
        if source.recheck_on:
            lines.append(
                f"Come back for a blood test on <b>{text(booklet.plain_date(source.recheck_on))}</b>."
            )
    elif decided.decision == "delay":
        lines.append(
            "<b>Your treatment waits this time.</b> Your blood tests or side effects need time to get better first."
        )
        if source.recheck_on:
            lines.append(
                f"Come back for a blood test on <b>{text(booklet.plain_date(source.recheck_on))}</b>."
            )
        lines.append("Do not take your cancer medicine until we tell you to start again.")
    else:
        lines.append(
            "<b>This treatment has stopped.</b> Do not take any more of it. Your doctor will "
            "talk with you about what comes next."
        )
    story += [para(line, st.body) for line in lines]
    if decided.decision == "give" or decided.split_delay():
        story.append(
            para("Your medicines this round" if day == 1 else "Your medicine on this day", st.h1)
        )
        for line in source.doses:
            if line.action not in ("continue", "reduce", "increase"):
                # a stopped medicine is stopped for good, not "until we tell you" (review 19d)
                later = (
                    "stopped — do not take any more of it. Your doctor will talk with you about it."
                    if line.action == "discontinue"
                    else "not this round — do not take it until we tell you to start again."
                )
                story.append(para(f"<b>{text(drug_title(line.drug))}</b>: {later}", st.body))
                continue
            how = _how_often(source, line.drug) if day == 1 else f"on day {day} only"
            tablets = line.tablets
            each = " each time" if day == 1 else ""
            if tablets:  # whole tablets, never a calculated 1565.6 mg she cannot take
                dose = f"{tablets['text']}{each}"
            elif line.mg:
                dose = f"{number(line.mg, 1)} mg{each}"
            else:
                dose = "the dose on your prescription"
            changed = {
                "reduce": " Your dose is lower than before: this is planned and safe.",
                "increase": " Your dose is higher than last time: your doctor decided this "
                "after checking your tests.",
            }.get(line.action, "")
            story.append(
                para(
                    f"<b>{text(drug_title(line.drug))}</b>: {text(dose)}"
                    + (f", {text(how)}" if how else "")
                    + "."
                    + changed,
                    st.body,
                )
            )
    watch = source.watch
    if watch:
        story.append(para("Side effects to tell us about", st.h1))
        story += [para(text(item), st.bullet, bulletText="•") for item in watch]
    # whom to call and when: the same words as her booklet (the course's decided plan)
    call = booklet.watch_for(source.course_plan, source.clinic, _course_drugs(source))
    head = para(call.title, st.h1)
    flowables = [f for b in call.blocks for f in booklet.block_flowables(b, width)]
    story.append(KeepTogether([head, *flowables]))
    return story


def _visits(source: CycleSheetSource, st: Any, shown: str) -> list[Flowable]:
    """This cycle's days she comes in, with dates and sources (walk 23 HARM 4)."""
    visits = source.visits
    if not any(v.day > 1 for v in visits):
        return []
    lines = [
        f"<b>Day {v.day}</b>"
        + (f", {text(date(v.on.isoformat(), shown))}" if v.on else "")
        + f": {text('; '.join(v.what))}"
        + (
            f" — {text('; '.join(source.citations.get(s, s) for s in v.sources))}"
            if v.sources
            else ""
        )
        + ("" if v.verified else " (UNVERIFIED)")
        for v in visits
    ]
    return [para("Days of this cycle", st.h2), *(para(line, st.body) for line in lines)]


def _come_in(source: CycleSheetSource, after_day: int = 1) -> list[str]:
    """The patient's words for the days of this round after `after_day` (its first, or the day
    of a review inside it): her own medicines only (walk 23 HARM 4: nothing told her to come
    back on day 15)."""
    lines = []
    for v in source.visits:
        if v.day <= after_day or not v.on:
            continue
        items = [
            f"your {drug_title(drug)}, {ROUTE_WORDS.get(route, 'as planned')},"
            for drug, route in v.doses
        ]
        if v.tested_for:
            items.append("a blood test")
        if items:
            lines.append(
                f"Come in on <b>{text(booklet.plain_date(v.on.isoformat()))}</b> (day {v.day} of this "
                f"round) for {text(' and '.join(items)).rstrip(',')}."
            )
    return lines


def _course_option(source: CycleSheetSource) -> RegimenOption | None:
    """The course's regimen's option in its decided plan."""
    return source.course_plan.option(source.course.regimen)


def _course_drugs(source: CycleSheetSource) -> set[str]:
    """The course's drugs: its regimen's option in the decided plan, and this review's lines."""
    drugs = {str(line.drug) for line in source.doses if line.drug}
    option = _course_option(source)
    return drugs | {row.drug for row in (option.drugs if option else ())}


def _how_often(source: CycleSheetSource, drug: str) -> str:
    """How and when she takes `drug`, in the booklet's plain words (never an amount)."""
    option = _course_option(source)
    row = option.drug(drug) if option else None
    return "" if row is None else booklet_medicines.how_often(row, source.review.cycle)
