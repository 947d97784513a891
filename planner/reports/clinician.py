"""The clinician section: the decision on one page, the evidence behind it as an appendix.

Why one module: it is page 1, the whole decision, and little more than 500 lines: its parts are
each used once, in `decision_section`'s order (most critical first), and are changed together when
the page changes. What the appendix shares with it (the dose words, symptom care) and the appendix
itself are their own modules.

Issue 20 item 6: a first visit printed 14–17 pages. The clinician's part is now two parts:

- the **decision** (`decision_section` here, page template `clinician`): page 1 is the whole
  decision — who (name, MRN, age), the liver and kidney classes in words, the decided option (or
  "not yet decided — the program's suggestion") with each drug's dose and its arithmetic on one
  line, every alert (critical first, whole), what must not be given, referrals one line each, the
  next review and the signature. What is less critical (cautions of the decided drugs, current
  medicines, what the program could not decide, symptom care problem by problem, monitoring)
  follows and may run onto page 2: a dose, a stop or an alert is never cut or moved out;
- the **evidence appendix** (`clinician_evidence.evidence_section`, template `evidence`, then
  `references`): printed when asked. The decided option's full dose table with its basis, the
  ranking of the other options (`clinician_options`), subtype and biomarkers, the quality-of-life
  table with every intervention in full (`clinician_supportive`), monitoring, overrides, trends and
  the numbered references. The decision part says that it exists and how many pages it has.

Both parts say a dose in the same words (`clinician_words`). Every suggestion shows its numbered
sources (`citations.py`); no rule id is printed (issue 16: rule ids on screen, on demand). Every
code of the plan document is printed in words (planner/domain/plan_words.py): no field path,
setting name or alert code reaches the page. Clinical advice (interventions, warnings, alerts) is
never cut mid-sentence (nurse16).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from planner.domain.decision import PRIOR_THERAPY, HeldDrug, signed_parts
from planner.domain.plan_document import Body, Course, Hepatic, PlanDocument
from planner.domain.plan_words import (
    LEVELS,
    SERVICES,
    URGENCY,
    clinician_words,
    field_words,
    method_words,
    say,
    units_in_words,
)
from planner.domain.regimens import OFFERED_WHEN_STOPPED
from planner.domain.vocabulary import Urgency
from planner.reports import styles
from planner.reports.alert_pairs import PAIR_ALERTS, alert_words
from planner.reports.allergies import allergies_line
from planner.reports.citations import UNVERIFIED, References
from planner.reports.clinician_supportive import referrals_for
from planner.reports.clinician_words import (
    FULL_TEXT,
    ST,
    child_pugh_not_scored,
    child_pugh_points,
    decided_lines,
    dose_line,
    h1,
    warnings_as_printed,
)
from planner.reports.formatting import (
    DOMAIN_ORDER,
    date,
    date_format_of,
    drug_title,
    moment,
    number,
    parse_date,
    patient_name,
    regimen_title,
    severity_words,
    text,
    words,
)
from planner.reports.medicines import current_medicines_section
from planner.reports.next_cycle import avoid_this_cycle, next_cycle_section, on_treatment
from planner.reports.plan_input import Plan as PlanInput
from planner.reports.plan_input import document_of
from planner.reports.tables import (
    LateParagraph,
    balanced,
    boxed,
    columns,
    grid,
    key_values,
    para,
)

NOT_RECORDED = "not recorded"  # a blank is said, never printed as "–" or left empty (rule 2)


def decision_section(
    plan: PlanInput,
    patient: Mapping[str, Any],
    clinic: Mapping[str, Any],
    width: float,
    refs: References,
    symptoms: Mapping[str, Any] | None = None,
    evidence_pages: int | Callable[[], int] = 0,
    marks: Mapping[str, int] | None = None,
) -> list[Flowable]:
    """The whole decision, most critical first, on page 1 (what does not fit runs onto page 2,
    never cut): `evidence_pages` is the length of the evidence appendix, said at the foot, or
    what gives it once the appendix is laid out (read when the page is laid out); `marks` the
    appendix's pages of its rows (`tables.PageMark`), read as the page is laid out too."""
    st = ST()
    document = document_of(plan)
    course = document.course
    date_format = date_format_of(clinic)
    story: list[Flowable] = [
        _who(document, patient, clinic, width),
        *allergies_line(document, width),  # every recorded allergy, matched or not (walk 16d)
        _organs(document.hepatic, document.body, width),
        # A decision and its signature together, on page 1: with many alerts the signature
        # block fell onto page 2 of 4, away from what it signs (nurse walk). An undecided plan's
        # blank form (the decision written by hand) sits under the suggestion too: after the
        # alerts it fell onto page 2 in 49 of the 231 prints of tests/data (print24).
        KeepTogether(
            [
                *_decision_box(document, course, width, refs, date_format),
                *_signature(width, course, date_format),
            ]
        ),
        *_alerts(document, width, {} if marks is None else marks),
        *_do_not_give(document),
        *_referral_lines(document, width),
        *_next_review(document, patient, date_format),
        (
            LateParagraph(lambda: _evidence_words(evidence_pages()), st.note)
            if callable(evidence_pages)
            else para(_evidence_words(evidence_pages), st.note)
        ),
        # less critical: may run onto page 2
        *_drug_cautions(document, course),
        *current_medicines_section(document, width, refs),  # what she takes: continue/change/stop
        *_gaps(document, course),
        *_symptom_lines(document, symptoms),
        *_monitoring(document),
    ]
    return story


@functools.cache
def _page_1_h1() -> ParagraphStyle:
    """The headings of page 1's decision (alerts, do not give, referrals): a little less room
    above them than the section's others, so that page 1 holds the decision and its signature
    (print24)."""
    return ParagraphStyle("c-h1-page-1", parent=ST().h1, spaceBefore=4)


def _evidence_words(pages: int) -> str:
    """What the decision page says of the appendix: that it exists, its length, where."""
    what = "why each suggestion, the other options, symptom care in full, trends, references [1]"
    if pages <= 0:  # not counted (a story built without laying the appendix out)
        return f"<b>Evidence appendix</b> ({what}): {FULL_TEXT}."
    # one line: page 1 must hold the decision and its signature (print24)
    return (
        f"<b>Evidence appendix: {pages} page{'s' if pages != 1 else ''}</b>, printed when "
        f"asked; {FULL_TEXT}."
    )


def _age(patient: Mapping[str, Any], plan: PlanDocument) -> int | None:
    born = parse_date(patient.get("birth_date"))
    when = parse_date(patient.get("assessed_on") or plan.assessed_on)
    if not (born and when):
        return None
    return when.year - born.year - ((when.month, when.day) < (born.month, born.day))


def _who(
    plan: PlanDocument, patient: Mapping[str, Any], clinic: Mapping[str, Any], width: float
) -> Flowable:
    """Who, in one table: name, MRN, age and sex, when assessed, where."""
    st = ST()
    date_format = date_format_of(clinic)
    age = _age(patient, plan)
    born = date(patient.get("birth_date"), date_format) if patient.get("birth_date") else ""
    pairs = [
        ("Patient", f"<b>{text(patient_name(patient) or NOT_RECORDED)}</b>"),
        ("MRN", f"<b>{text(patient.get('mrn') or NOT_RECORDED)}</b>"),
        (
            "Age, sex",
            text(
                (f"{age} y" if age is not None else f"age {NOT_RECORDED}")
                + (f" (born {born})" if born else "")
                + f" · {words(patient.get('sex')) or 'sex ' + NOT_RECORDED}"
            ),
        ),
        (
            "Assessed",
            text(date(patient.get("assessed_on") or plan.assessed_on, date_format) or NOT_RECORDED),
        ),
        ("Clinic", text(clinic.get("name") or NOT_RECORDED)),
        ("Labels", text((plan.labels or NOT_RECORDED).upper())),
    ]
    return key_values(pairs, width, st, columns=2)


def _organs(hepatic: Hepatic | None, body: Body | None, width: float) -> Flowable:
    """The liver and kidney classes in words, each on one line."""
    st = ST()
    cp = hepatic.child_pugh if hepatic else None
    odwg = hepatic.odwg if hepatic else None
    liver = [
        (
            f"Child–Pugh <b>class {text(cp.child_class)}</b> ({child_pugh_points(hepatic, cp)})"
            if cp and hepatic
            # the INR was recorded, and not scored: it measures her anticoagulant (rx21 W4)
            else (
                f"Child–Pugh {not_scored} (see below)"
                if hepatic and (not_scored := child_pugh_not_scored(hepatic))
                else f"Child–Pugh {NOT_RECORDED} (a result is missing: see below)"
            )
        ),
        (
            f"ODWG <b>{text(words(odwg))}</b> impairment"
            if odwg and odwg not in ("normal", "unknown")
            else (f"ODWG <b>{text(words(odwg))}</b>" if odwg else f"ODWG {NOT_RECORDED}")
        ),
    ]
    if hepatic and hepatic.bilirubin_x_uln is not None:
        liver.append(f"bilirubin {number(hepatic.bilirubin_x_uln)} × ULN")
    if hepatic and hepatic.visceral_crisis:
        liver.append(f"visceral crisis: <b>{text(words(hepatic.visceral_crisis))}</b>")
    crcl = body.crcl_ml_min if body else None
    kidney = [
        (
            f"creatinine clearance <b>{number(crcl, 0)} mL/min</b> "
            f"({text(method_words((body.crcl_formula if body else None) or 'cockcroft_gault'))})"
            if crcl is not None
            else f"creatinine clearance {NOT_RECORDED} (not calculated: see below)"
        )
    ]
    bsa = body.bsa_m2 if body else None
    kidney.append(f"BSA {number(bsa)} m²" if bsa is not None else f"BSA {NOT_RECORDED}")
    change = body.weight_change_6_months_percent if body else None
    if body and change is not None:  # with the period it was measured over (not always 6 months)
        kidney.append(
            f"weight change {number(change, 1)} % "
            f"({text(body.weight_change_words or 'over 6 months')})"
        )
    pairs = [("Liver", " · ".join(liver)), ("Kidney, body", " · ".join(kidney))]
    return key_values(pairs, width, st, columns=1, label_share=0.14)


def _decision_box(
    plan: PlanDocument, course: Course, width: float, refs: References, date_format: str
) -> list[Flowable]:
    """What was decided (or that nothing is decided yet), by whom, and each drug's dose. On
    treatment, the review before this cycle is the decision: a first plan's starting doses
    would read as "give this" (rule 3)."""
    if on_treatment(plan):
        return next_cycle_section(plan, refs)
    st = ST()
    decision = course.decision
    lines: list[str] = []
    option = course.option
    if decision is not None and decision.course == "supportive_care":
        lines.append("<b>Plan as decided: best supportive care — no systemic therapy now.</b>")
    elif decision is not None:
        title = text(course.title)
        rank = f" (the program's option {text(option.rank)})" if option else ""
        lines.append(f"<b>Plan as decided: {title}</b>{rank}")
    elif course.supportive_care_first:
        lines.append(
            "<b>Suggested: best supportive care. Not yet decided</b> — systemic therapy is "
            "judged not appropriate now; discuss goals of care. The options are in the evidence "
            "appendix, for the clinician only, marked not advised and without doses."
        )
        stops = plan.systemic_therapy.not_appropriate_because if plan.systemic_therapy else ()
        for stop in stops:
            lines.append(f"• {text(clinician_words(stop.reason))}")
    elif course.leads == "suggested_option" and option is not None:
        lines.append(
            f"<b>Not yet decided — suggestion: {text(regimen_title(option))}</b> "
            f"(option {text(option.rank)} of {len(plan.options)}). The "
            "clinician decides (plan window, Decide); the doses below are the suggestion's."
        )
    else:
        lines.append(
            "<b>Not yet decided: no systemic option could be suggested</b> (see what the "
            "program could not decide). A missing result is not a decision: record it and make "
            "the plan again."
        )
    if option is not None and (decision is None or decision.course != "supportive_care"):
        # an option offered only because every option of her line is stopped says why here,
        # not only in the appendix (misc22: chemotherapy alone for HER2+ disease)
        for note in option.notes:
            if note.startswith(OFFERED_WHEN_STOPPED):
                lines.append(f"<i>Why this option:</i> {text(clinician_words(note))}")
        for drug in option.drugs:
            lines.append(f"• {dose_line(drug)}")
        held = [d.drug for d in option.drugs if d.decided and d.decided.action == "hold"]
        given = [d.drug for d in option.drugs if d.dose is not None and d.drug not in held]
        if decision is not None and held and given:
            # the schedule and label notes are the combination's: with abemaciclib given
            # while letrozole was held the page said "with endocrine therapy" (walk 16d)
            lines.append(
                f"<b>Note:</b> {text(', '.join(map(drug_title, held)))} held — "
                f"{text(', '.join(map(drug_title, given)))} is given without it for now; the "
                "schedule and label dose above are written for the combination."
            )
    if decision is not None:
        lines += decided_lines(decision, date_format)
    box = boxed(
        [para(line, st.body) for line in lines],
        width,
        border=styles.RULE,
        background=styles.INFO_BG,
        padding=4,
    )
    return [box]


def _do_not_give(plan: PlanDocument) -> list[Flowable]:
    """What must not be given, one line each (a label's "do not give" is a stop, rule 3); the
    decided option's held or undosed drugs say so on their own dose line. On treatment, the
    drugs of her course and of the options of its kind (`avoid_this_cycle`); the others are
    counted and left to the evidence appendix."""
    st = ST()
    shown, left = avoid_this_cycle(plan)
    lines = [
        f"<b>{text(drug_title(a.drug or '?'))}</b> — {text(clinician_words(a.reason))}"
        for a in shown
    ]
    if not lines:
        return []
    out = [
        para("Do not give", _page_1_h1()),
        *[para(line, st.bullet, bulletText="•") for line in lines],
    ]
    if left:
        out.append(
            para(
                (
                    "One more drug, of an option of another kind of treatment than her course, is"
                    if left == 1
                    else f"{left} more drugs, of options of another kind of treatment than her "
                    "course, are"
                )
                + " listed under Drugs to avoid in the evidence appendix.",
                st.note,
            )
        )
    return out


def _referral_lines(plan: PlanDocument, width: float) -> list[Flowable]:
    st = ST()
    referrals = plan.referrals
    if not referrals:
        return [para("<b>Referrals:</b> none in this plan.", st.body)]
    order = {urgency: i for i, urgency in enumerate(Urgency)}
    lines = []
    for r in sorted(referrals, key=lambda r: order.get(r.urgency, 3) if r.urgency else 3):
        problems = ", ".join(say("problem", p) for p in r.problems)
        service, urgency = str(r.service or ""), str(r.urgency or "")
        lines.append(
            para(
                f"<b>{text(SERVICES.get(service, words(service)))}</b> — "
                f"{text(URGENCY.get(urgency, words(urgency)).lower())}"
                + (f" — for {text(problems)}" if problems else ""),
                st.bullet,
                bulletText="•",
            )
        )
    # two columns, read down the first then the second: seven referrals took seven lines of
    # page 1, which must hold the signature too (print24)
    # the heading never sits alone at the foot of page 1 (rx22 A03: its referrals on page 2)
    return [
        KeepTogether([para("Referrals", _page_1_h1()), columns(*balanced(lines, width / 2), width)])
    ]


def _next_review(
    plan: PlanDocument, patient: Mapping[str, Any], date_format: str
) -> list[Flowable]:
    st = ST()
    follow = plan.follow_up
    days = follow.next_review_days if follow else None
    assessed = parse_date(patient.get("assessed_on") or plan.assessed_on)
    if days is None:
        review = "<b>Next review: not set by the program</b> — the clinician sets the date."
    elif int(days) == 0:
        review = "<b>Next review today.</b>"  # never "in 0 days"
    else:
        due = date(assessed + dt.timedelta(days=int(days)), date_format) if assessed else ""
        review = f"<b>Next review in {text(days)} days</b>" + (
            f" (by {text(due)})." if due else "."
        )
    reasons = [text(clinician_words(r)) for r in (follow.review_reasons if follow else ())]
    if reasons:
        review += " Why: " + "; ".join(reasons)
    return [para(review, st.body)]


def _drug_cautions(plan: PlanDocument, course: Course) -> list[Flowable]:
    """The decided (or suggested) option's warnings, whole: what to check before each dose.
    On treatment, none: the first plan's option is not what she is given (rule 3)."""
    st = ST()
    option = course.option
    if option is None or on_treatment(plan):
        return []
    if course.decision is not None and course.decision.course != "option":
        return []
    lines = [
        f"<b>{text(drug_title(d.drug or '?'))}</b>: {text(clinician_words(w))}"
        for d in option.drugs
        for w in warnings_as_printed(d, option)
    ]
    if not lines:
        return []
    shown = [para(line, st.bullet, bulletText="⚠") for line in lines]
    # the heading never sits alone at the foot of a page
    return [KeepTogether([para("Before each dose", st.h1), shown[0]]), *shown[1:]]


def _symptom_lines(plan: PlanDocument, symptoms: Mapping[str, Any] | None) -> list[Flowable]:
    """Symptom care, one line per problem: how bad, the medicines its advice names, who takes
    it on; the advice in full is in the evidence appendix and on screen."""
    st = ST()
    supportive = plan.supportive
    if not supportive:
        return []
    referrals = plan.referrals
    rank = {d: i for i, d in enumerate(DOMAIN_ORDER)}
    out: list[Flowable] = [
        CondPageBreak(60),
        para("Symptom care (the advice in full: evidence appendix)", st.h1),
    ]
    for item in sorted(supportive, key=lambda s: rank.get(s.domain or "", 99)):
        medicines = sorted({drug for detail in item.intervention_details for drug in detail.drugs})
        services = referrals_for(item, referrals)
        line = f"<b>{text(say('problem', item.problem))}</b> {severity_words(item, symptoms)}"
        if medicines:
            line += f" — medicines in the advice: {text(', '.join(medicines))}"
        if services:
            line += " — " + text(", ".join(SERVICES.get(s, words(s)) for s in services))
        if item.unverified or any(d.verified is False for d in item.intervention_details):
            line += UNVERIFIED
        out.append(para(line, st.bullet, bulletText="•"))
    return out


def _monitoring(plan: PlanDocument) -> list[Flowable]:
    st = ST()
    items = plan.follow_up.monitoring if plan.follow_up else ()
    if not items:
        return []
    return [
        CondPageBreak(60),
        para("Monitoring", st.h1),
        *[para(text(clinician_words(item)), st.bullet, bulletText="•") for item in items],
    ]


def _alerts(plan: PlanDocument, width: float, marks: Mapping[str, int]) -> list[Flowable]:
    alerts = plan.alerts
    if not alerts:
        return []
    st = ST()
    order = {"critical": 0, "warning": 1, "info": 2}
    rows: list[list[Any]] = []
    extra = []
    for i, alert in enumerate(sorted(alerts, key=lambda a: order.get(str(a.level), 3))):
        level = str(alert.level or "info")
        rows.append(
            [
                f"<b>{text(LEVELS.get(level, level))}</b>",
                # the alert's code is for the plan JSON: the message says it in words, whole
                # (advice is never cut mid-sentence) or, for an interaction alert, one line a
                # pair with where it is in full (alert_pairs); the appendix's pages are known
                # once it is laid out, so the words are made as the page is
                LateParagraph(functools.partial(alert_words, alert, plan, marks), st.cell)
                if alert.code in PAIR_ALERTS
                else text(clinician_words(alert.message)),
            ]
        )
        bg = {"critical": styles.CRITICAL_BG, "warning": styles.WARNING_BG}.get(
            level, styles.INFO_BG
        )
        extra.append(("BACKGROUND", (0, i), (-1, i), bg))
    # a point less above and below each alert: six alerts give page 1 a line back (print24)
    extra += [("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]
    return [
        para("Alerts", _page_1_h1()),
        grid(rows, [width * 0.13, width * 0.87], st, header=False, extra=extra),
    ]


def _decision_words(course: Course) -> str:
    """The decision in one line: what was decided, with each drug change."""
    decision = course.decision
    if decision is None:
        return ""
    if decision.course == "supportive_care":
        return "best supportive care; no systemic therapy now."
    said = text(course.title)
    changes = [
        f"{text(drug_title(c.drug))} {text(number(c.value))} {text(units_in_words(c.unit))}"
        for c in decision.dose_changes
    ] + [
        f"{text(drug_title(h.drug))} held"
        for h in decision.held
        # a held drug is named in the decided option's title already ("Gemcitabine (carboplatin
        # held)"): said again it printed "(carboplatin held) (Carboplatin held)" (review 16c)
        if not (course.option and course.option.suggested_name)
    ]
    return said + (f" ({'; '.join(changes)})" if changes else "") + "."


def _gaps(plan: PlanDocument, course: Course) -> list[Flowable]:
    gaps = list(plan.gaps)
    decision = course.decision
    if decision is not None and decision.prior_therapy_confirmed_none:
        # the decider confirmed "no previous cancer treatment": the gap is closed by that
        # decision, not printed as still open beside it (walk 16d)
        gaps = [g for g in gaps if g.field != PRIOR_THERAPY]
    if not gaps:
        return []
    st = ST()
    out: list[Flowable] = [h1("What the program could not decide")]
    for gap in gaps:
        out.append(
            para(
                f"<b>Could not decide:</b> {text(field_words(gap.field))} — "
                f"{text(clinician_words(gap.effect))}",
                st.bullet,
                bulletText="•",
            )
        )
    return out


def _signature(width: float, course: Course, date_format: str = "iso") -> list[Flowable]:
    """The decision is signed by the person who made it; an undecided plan leaves it to be
    filled in by hand."""
    st = ST()
    decision = course.decision
    rows = [["Reviewed and decided by (name, role)", "Signature", "Date and time"], ["", "", ""]]
    if decision is not None:
        rows[1] = [text(decision.decided_by), "", text(moment(decision.decided_at, date_format))]
        # a drug change kept from an earlier decision is signed by the person who made it
        for part, by, at in signed_parts(decision):
            if by != decision.decided_by:
                what = "hold" if isinstance(part, HeldDrug) else "dose change"
                rows.append(
                    [
                        f"{text(by)} ({text(drug_title(part.drug))} {what})",
                        "",
                        text(moment(at, date_format)),
                    ]
                )
    table = grid(
        rows,
        [width * 0.45, width * 0.3, width * 0.25],
        st,
        row_heights=[None] + [22] * (len(rows) - 1),
    )
    # Compact (no heading of its own): it sits on page 1 with the decision it signs, and page 1
    # must still hold the alerts, referrals and next review.
    said = (
        "<b>Signed:</b> I have checked this plan against the patient and today's results. "
        "Treatment chosen and doses prescribed:"
    )
    if decision is not None:
        said += f" <b>{_decision_words(course)}</b>"
    else:  # nothing decided yet: a line to write the decision by hand
        said += " " + "_" * 60
    return [Spacer(1, 4), para(said, st.body), table]  # kept with the decision
