"""The clinician section: the decision on one page, the evidence behind it as an appendix.

Issue 20 item 6: a first visit printed 14–17 pages. The clinician's part is now two parts:

- the **decision** (`decision_section`, page template `clinician`): page 1 is the whole decision —
  who (name, MRN, age), the liver and kidney classes in words, the decided option (or "not yet
  decided — the program's suggestion") with each drug's dose and its arithmetic on one line,
  every alert (critical first, whole), what must not be given, referrals one line each, the next
  review and the signature. What is less critical (cautions of the decided drugs, current
  medicines, what the program could not decide, symptom care problem by problem, monitoring)
  follows and may run onto page 2: a dose, a stop or an alert is never cut or moved out;
- the **evidence appendix** (`evidence_section`, template `evidence`, then `references`):
  printed when asked. The decided option's full dose table with its basis, the ranking of the
  other options, subtype and biomarkers, the quality-of-life table with every intervention in
  full, monitoring, overrides, trends and the numbered references. The decision part says that
  it exists and how many pages it has.

Every suggestion shows its numbered sources (`citations.py`); no rule id is printed (issue 16:
rule ids on screen, on demand). Every code of the plan document is printed in
words (planner/domain/plan_words.py): no field path, setting name or alert code reaches the page.
Clinical advice (interventions, warnings, alerts) is never cut mid-sentence (nurse16).
"""

from __future__ import annotations

import datetime as dt
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

from planner.domain.dates import DEFAULT_DATE_FORMAT
from planner.domain.decision import HeldDrug, PlanCourse, plan_course, signed_parts
from planner.domain.lab_deltas import confirmation_words
from planner.domain.plan_words import (
    DOMAINS,
    LEVELS,
    SERVICES,
    STATUS,
    URGENCY,
    clinician_words,
    field_words,
    method_words,
    say,
    value_words,
)
from planner.domain.vocabulary import DoseStatus, Urgency
from planner.reports import charts, styles
from planner.reports.citations import UNVERIFIED, References, cite
from planner.reports.formatting import (
    DOMAIN_ORDER,
    PROBLEM_SERVICES,
    amount,
    date,
    date_format_of,
    drug_title,
    moment,
    number,
    parse_date,
    patient_name,
    pretty_units,
    regimen_title,
    severity_words,
    text,
    words,
)
from planner.reports.medicines import current_medicines_section
from planner.reports.next_cycle import next_cycle_section, on_treatment
from planner.reports.tables import Plain, boxed, grid, key_values, para

Plan = Mapping[str, Any]
ST = styles.clinician_styles
REFERENCE = styles.reference_style
NOT_RECORDED = "not recorded"  # a blank is said, never printed as "–" or left empty (rule 2)


def decision_section(
    plan: Plan,
    patient: Mapping[str, Any],
    clinic: Mapping[str, Any],
    width: float,
    refs: References,
    symptoms: Mapping[str, Any] | None = None,
    evidence_pages: int = 0,
) -> list[Flowable]:
    """The whole decision, most critical first, on page 1 (what does not fit runs onto page 2,
    never cut): `evidence_pages` is the length of the evidence appendix, said at the foot."""
    st = ST()
    course = plan_course(plan)
    date_format = date_format_of(clinic)
    story: list[Flowable] = [
        _who(plan, patient, clinic, width),
        _organs(plan, width),
        *_decision_box(plan, course, width, refs, date_format),
        *_alerts(plan, width),
        *_do_not_give(plan),
        *_referral_lines(plan, width),
        *_next_review(plan, patient, date_format),
        para(_evidence_words(evidence_pages), st.note),
        *_signature(width, course, date_format),
        # less critical: may run onto page 2
        *_drug_cautions(plan, course),
        *current_medicines_section(plan, width, refs),  # what she takes: continue/change/stop
        *_gaps(plan, width),
        *_symptom_lines(plan, symptoms),
        *_monitoring(plan),
    ]
    return story


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
        story += _quality_of_life(plan, width, refs, symptoms)
        story += _options_not_advised(plan, course, width, refs)
    else:
        story += _options(plan, course, width, refs)
    story += _avoid(plan, width, refs)
    if not course.supportive_care_first or on_treatment(plan):
        story += _quality_of_life(plan, width, refs, symptoms)
    story += _follow_up(plan, patient, width, date_format_of(clinic))
    story += _overrides(plan, width)
    story += _trends(
        trends, width, (plan.get("hepatic") or {}).get("bilirubin_reference_lines") or ()
    )
    # on pages of their own: by now every number is known
    story += _references(refs, width)
    return story


def _evidence_words(pages: int) -> str:
    """What the decision page says of the appendix: that it exists, its length, where."""
    what = (
        "why each suggestion, the other options ranked, symptom care in full, trends and the "
        "references the bracketed numbers [1] point to"
    )
    if pages <= 0:
        return f"<b>Evidence appendix</b> ({what}): {FULL_TEXT}."
    return (
        f"<b>Evidence appendix: {pages} page{'s' if pages != 1 else ''}</b>, printed when "
        f"asked (plan window: evidence appendix; CLI: --evidence): {what}. Every line in "
        f"full: {FULL_TEXT}."
    )


def _age(patient: Mapping[str, Any], plan: Plan) -> int | None:
    born = parse_date(patient.get("birth_date"))
    when = parse_date(patient.get("assessed_on") or plan.get("assessed_on"))
    if not (born and when):
        return None
    return when.year - born.year - ((when.month, when.day) < (born.month, born.day))


def _who(
    plan: Plan, patient: Mapping[str, Any], clinic: Mapping[str, Any], width: float
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
            text(
                date(patient.get("assessed_on") or plan.get("assessed_on"), date_format)
                or NOT_RECORDED
            ),
        ),
        ("Clinic", text(clinic.get("name") or NOT_RECORDED)),
        ("Labels", text((plan.get("labels") or NOT_RECORDED).upper())),
    ]
    return key_values(pairs, width, st, columns=2)


def _organs(plan: Plan, width: float) -> Flowable:
    """The liver and kidney classes in words, each on one line."""
    st = ST()
    hepatic = plan.get("hepatic") or {}
    body = plan.get("body") or {}
    cp = hepatic.get("child_pugh")
    odwg = hepatic.get("odwg")
    liver = [
        (
            f"Child–Pugh <b>class {text(cp.get('class'))}</b> ({text(cp.get('points'))} points)"
            if cp
            else f"Child–Pugh {NOT_RECORDED} (a result is missing: see below)"
        ),
        (
            f"ODWG <b>{text(words(odwg))}</b> impairment"
            if odwg and odwg not in ("normal", "unknown")
            else (f"ODWG <b>{text(words(odwg))}</b>" if odwg else f"ODWG {NOT_RECORDED}")
        ),
    ]
    if hepatic.get("bilirubin_x_uln") is not None:
        liver.append(f"bilirubin {number(hepatic['bilirubin_x_uln'])} × ULN")
    if hepatic.get("visceral_crisis"):
        liver.append(f"visceral crisis: <b>{text(words(hepatic['visceral_crisis']))}</b>")
    crcl = body.get("crcl_ml_min")
    kidney = [
        (
            f"creatinine clearance <b>{number(crcl, 0)} mL/min</b> "
            f"({text(method_words(body.get('crcl_formula') or 'cockcroft_gault'))})"
            if crcl is not None
            else f"creatinine clearance {NOT_RECORDED} (not calculated: see below)"
        )
    ]
    if body.get("egfr_ml_min") is not None:
        kidney.append(f"eGFR {number(body['egfr_ml_min'], 0)} mL/min/1.73 m²")
    kidney.append(
        f"BSA {number(body['bsa_m2'])} m²"
        if body.get("bsa_m2") is not None
        else f"BSA {NOT_RECORDED}"
    )
    change = body.get("weight_change_6_months_percent")
    if change is not None:  # with the period it was measured over (not always 6 months)
        kidney.append(
            f"weight change {number(change, 1)} % "
            f"({text(body.get('weight_change_words') or 'over 6 months')})"
        )
    pairs = [("Liver", " · ".join(liver)), ("Kidney, body", " · ".join(kidney))]
    return key_values(pairs, width, st, columns=1, label_share=0.14)


def _unverified_drug(drug: Mapping[str, Any]) -> bool:
    """A dose resting on a fact not verified in its primary source (rule 6: said on paper)."""
    return any(b.get("verified") is False for b in drug.get("basis") or ()) or any(
        "UNVERIFIED" in str(w) for w in drug.get("warnings") or ()
    )


def _dose_line(drug: Mapping[str, Any]) -> str:
    """One drug of the decided (or suggested) option on one line: the dose with its
    arithmetic (the clinician's change beside the suggestion it replaced), what she takes, the
    schedule; a stop or a hold says so in the dose's place."""
    name = f"<b>{text(drug_title(drug.get('drug', '?')))}</b>"
    decided = drug.get("decided") or {}
    if drug.get("dose") is None:
        return f"{name}: <b>{text(pretty_units(_no_dose_words(drug, with_reason=True)))}</b>"
    absolute = drug.get("absolute_dose") or {}
    arithmetic = text(pretty_units(absolute.get("text") or ""))
    if decided.get("action") == "change_dose" and decided.get("suggested_dose"):
        by = text(decided.get("decided_by") or "the clinician")
        line = (
            f"{name} Suggested {text(pretty_units(amount(decided['suggested_dose'])))} → "
            f"changed by {by} to <b>{text(pretty_units(amount(drug['dose'])))}</b>"
            + (f" ({arithmetic})" if arithmetic else "")
        )
    elif arithmetic:
        line = f"{name} {arithmetic}"
    else:  # no absolute dose: the compact line (with its status and any loading dose)
        line = _compact_dose(drug, with_gaps=False)
    compact = not arithmetic and decided.get("action") != "change_dose"
    if not compact:
        line += f" · {text(STATUS.get(drug.get('status', ''), words(drug.get('status'))))}"
    tablets = absolute.get("tablets")
    if tablets:  # what she takes: whole tablets, with how the calculated dose was rounded
        line += f" · <b>{text(tablets['text'])}</b> each time ({text(tablets['rounding'])})"
    loading = drug.get("loading_dose")
    if loading and not compact:  # contract §3a: the first cycle differs from the maintenance dose
        line += f" · cycle 1 (loading): <b>{text(pretty_units(amount(loading)))}</b>"
        loading_absolute = drug.get("loading_absolute_dose")
        if loading_absolute:
            line += (
                f" = <b>{text(number(loading_absolute.get('value'), 1))} "
                f"{text(loading_absolute.get('unit', 'mg'))}</b>"
            )
    if drug.get("schedule"):
        line += f" · {text(pretty_units(drug['schedule']))}"
    for gap in drug.get("gaps") or []:
        line += (
            f" (could not decide: {text(field_words(gap.get('field')))} — "
            f"{text(clinician_words(gap.get('effect')))})"
        )
    if _unverified_drug(drug):
        line += UNVERIFIED
    return line


def _decision_box(
    plan: Plan, course: PlanCourse, width: float, refs: References, date_format: str
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
        title = text(regimen_title(option or {"regimen": decision.regimen}))
        rank = f" (the program's option {text(option.get('rank'))})" if option else ""
        lines.append(f"<b>Plan as decided: {title}</b>{rank}")
    elif course.supportive_care_first:
        lines.append(
            "<b>Suggested: best supportive care. Not yet decided</b> — systemic therapy is "
            "judged not appropriate now; discuss goals of care. The options are in the evidence "
            "appendix, for the clinician only, marked not advised and without doses."
        )
        for reason in (plan.get("systemic_therapy") or {}).get("not_appropriate_because") or []:
            lines.append(f"• {text(pretty_units(clinician_words(reason.get('reason'))))}")
    elif course.leads == "suggested_option" and option is not None:
        lines.append(
            f"<b>Not yet decided — suggestion: {text(regimen_title(option))}</b> "
            f"(option {text(option.get('rank'))} of {len(plan.get('options') or [])}). The "
            "clinician decides (plan window, Decide); the doses below are the suggestion's."
        )
    else:
        lines.append(
            "<b>Not yet decided: no systemic option could be suggested</b> (see what the "
            "program could not decide). A missing result is not a decision: record it and make "
            "the plan again."
        )
    if option is not None and (decision is None or decision.course != "supportive_care"):
        for drug in option.get("drugs") or []:
            lines.append(f"• {_dose_line(drug)}")
    if decision is not None:
        lines.append(
            f"Decided by <b>{text(decision.decided_by)}</b>, "
            f"{text(moment(decision.decided_at, date_format))}: {text(decision.reason)}"
        )
        # each drug change signed by the person who made it, when (an earlier change kept by
        # a later decision keeps its own signer)
        for part, by, at in signed_parts(decision):
            what = (
                f"{text(drug_title(part.drug))} held"
                if isinstance(part, HeldDrug)
                else f"{text(drug_title(part.drug))} {text(number(part.value))} "
                f"{text(pretty_units(part.unit))}"
            )
            lines.append(
                f"{what}: decided by <b>{text(by)}</b> on "
                f"{text(moment(at, date_format))}: {text(part.reason)}"
            )
    box = boxed(
        [para(line, st.body) for line in lines],
        width,
        border=styles.RULE,
        background=styles.INFO_BG,
        padding=4,
    )
    return [box]


def _do_not_give(plan: Plan) -> list[Flowable]:
    """What must not be given, one line each (a label's "do not give" is a stop, rule 3); the
    decided option's held or undosed drugs say so on their own dose line."""
    st = ST()
    lines = [
        f"<b>{text(drug_title(a.get('drug', '?')))}</b> — "
        f"{text(pretty_units(clinician_words(a.get('reason'))))}"
        for a in plan.get("avoid") or []
    ]
    if not lines:
        return []
    return [
        para("Do not give", st.h1),
        *[para(line, st.bullet, bulletText="•") for line in lines],
    ]


def _referral_lines(plan: Plan, width: float) -> list[Flowable]:
    st = ST()
    referrals = plan.get("referrals") or []
    if not referrals:
        return [para("<b>Referrals:</b> none in this plan.", st.body)]
    order = {urgency: i for i, urgency in enumerate(Urgency)}
    out: list[Flowable] = [para("Referrals", st.h1)]
    for r in sorted(referrals, key=lambda r: order.get(r.get("urgency"), 3)):
        problems = ", ".join(say("problem", p) for p in r.get("problems") or [])
        out.append(
            para(
                f"<b>{text(SERVICES.get(r.get('service'), words(r.get('service'))))}</b> — "
                f"{text(URGENCY.get(r.get('urgency'), words(r.get('urgency'))).lower())}"
                + (f" — for {text(problems)}" if problems else ""),
                st.bullet,
                bulletText="•",
            )
        )
    return out


def _next_review(plan: Plan, patient: Mapping[str, Any], date_format: str) -> list[Flowable]:
    st = ST()
    follow = plan.get("follow_up") or {}
    days = follow.get("next_review_days")
    assessed = parse_date(patient.get("assessed_on") or plan.get("assessed_on"))
    if days is None:
        review = "<b>Next review: not set by the program</b> — the clinician sets the date."
    elif int(days) == 0:
        review = "<b>Next review today.</b>"  # never "in 0 days"
    else:
        due = date(assessed + dt.timedelta(days=int(days)), date_format) if assessed else ""
        review = f"<b>Next review in {text(days)} days</b>" + (
            f" (by {text(due)})." if due else "."
        )
    reasons = [text(pretty_units(clinician_words(r))) for r in follow.get("review_reasons") or []]
    if reasons:
        review += " Why: " + "; ".join(reasons)
    return [para(review, st.body)]


def _drug_cautions(plan: Plan, course: PlanCourse) -> list[Flowable]:
    """The decided (or suggested) option's warnings, whole: what to check before each dose.
    On treatment, none: the first plan's option is not what she is given (rule 3)."""
    st = ST()
    option = course.option
    if option is None or on_treatment(plan):
        return []
    if course.decision is not None and course.decision.course != "option":
        return []
    lines = [
        f"<b>{text(drug_title(d.get('drug', '?')))}</b>: {text(pretty_units(clinician_words(w)))}"
        for d in option.get("drugs") or []
        for w in d.get("warnings") or []
    ]
    if not lines:
        return []
    shown = [para(line, st.bullet, bulletText="⚠") for line in lines]
    # the heading never sits alone at the foot of a page
    return [KeepTogether([para("Before each dose", st.h1), shown[0]]), *shown[1:]]


def _symptom_lines(plan: Plan, symptoms: Mapping[str, Any] | None) -> list[Flowable]:
    """Symptom care, one line per problem: how bad, the medicines its advice names, who takes
    it on; the advice in full is in the evidence appendix and on screen."""
    st = ST()
    supportive = plan.get("supportive") or []
    if not supportive:
        return []
    referrals = plan.get("referrals") or []
    rank = {d: i for i, d in enumerate(DOMAIN_ORDER)}
    out: list[Flowable] = [
        CondPageBreak(60),
        para("Symptom care (the advice in full: evidence appendix)", st.h1),
    ]
    for item in sorted(supportive, key=lambda s: rank.get(s.get("domain"), 99)):
        medicines = sorted(
            {
                str(drug)
                for detail in item.get("intervention_details") or ()
                if isinstance(detail, Mapping)
                for drug in detail.get("drugs") or ()
            }
        )
        services = referrals_for(item, referrals)
        line = (
            f"<b>{text(say('problem', item.get('problem')))}</b> {severity_words(item, symptoms)}"
        )
        if medicines:
            line += f" — medicines in the advice: {text(', '.join(medicines))}"
        if services:
            line += " — " + text(", ".join(SERVICES.get(s, words(s)) for s in services))
        if item.get("unverified") or any(
            isinstance(d, Mapping) and d.get("verified") is False
            for d in item.get("intervention_details") or ()
        ):
            line += UNVERIFIED
        out.append(para(line, st.bullet, bulletText="•"))
    return out


def _monitoring(plan: Plan) -> list[Flowable]:
    st = ST()
    items = (plan.get("follow_up") or {}).get("monitoring") or []
    if not items:
        return []
    return [
        CondPageBreak(60),
        para("Monitoring", st.h1),
        *[
            para(text(pretty_units(clinician_words(item))), st.bullet, bulletText="•")
            for item in items
        ],
    ]


#: where the full text of what is shortened is: the plan window's tab (planner/ui/plan_text.py)
FULL_TEXT = "full text in the plan window, tab Plan text"
OTHER_OPTIONS_SHOWN = 2  # ranks 2–3, one line each; the rest are counted


def _h1(title: str) -> Flowable:
    return para(text(title), ST().h1)


def _alerts(plan: Plan, width: float) -> list[Flowable]:
    alerts = plan.get("alerts") or []
    if not alerts:
        return []
    st = ST()
    order = {"critical": 0, "warning": 1, "info": 2}
    rows: list[list[Any]] = []
    extra = []
    for i, alert in enumerate(sorted(alerts, key=lambda a: order.get(a.get("level"), 3))):
        level = alert.get("level", "info")
        message = pretty_units(clinician_words(alert.get("message")))
        message = text(message)  # whole: advice is never cut mid-sentence in print
        rows.append(
            [
                f"<b>{text(LEVELS.get(level, level))}</b>",
                message,  # the alert's code is for the plan JSON: the message says it in words
            ]
        )
        bg = {"critical": styles.CRITICAL_BG, "warning": styles.WARNING_BG}.get(
            level, styles.INFO_BG
        )
        extra.append(("BACKGROUND", (0, i), (-1, i), bg))
    return [
        _h1("Alerts"),
        grid(rows, [width * 0.13, width * 0.87], st, header=False, extra=extra),
    ]


def _decision_words(course: PlanCourse) -> str:
    """The decision in one line: what was decided, with each drug change."""
    decision = course.decision
    if decision is None:
        return ""
    if decision.course == "supportive_care":
        return "best supportive care; no systemic therapy now."
    said = text(regimen_title(course.option or {"regimen": decision.regimen}))
    changes = [
        f"{text(drug_title(c.drug))} {text(number(c.value))} {text(pretty_units(c.unit))}"
        for c in decision.dose_changes
    ] + [
        f"{text(drug_title(h.drug))} held"
        for h in decision.held
        # a held drug is named in the decided option's title already ("Gemcitabine (carboplatin
        # held)"): said again it printed "(carboplatin held) (Carboplatin held)" (review 16c)
        if not (course.option or {}).get("suggested_name")
    ]
    return said + (f" ({'; '.join(changes)})" if changes else "") + "."


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
        lines.append(
            f"Decided by <b>{text(decision.decided_by)}</b>, "
            f"{text(moment(decision.decided_at, date_format))}: {text(decision.reason)}"
        )
        # each drug change signed by the person who made it, when (an earlier change kept by
        # a later decision keeps its own signer)
        for part, by, at in signed_parts(decision):
            what = (
                f"{text(drug_title(part.drug))} held"
                if isinstance(part, HeldDrug)
                else f"{text(drug_title(part.drug))} {text(number(part.value))} "
                f"{text(pretty_units(part.unit))}"
            )
            lines.append(
                f"• {what}: decided by <b>{text(by)}</b> on "
                f"{text(moment(at, date_format))}: {text(part.reason)}"
            )
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
                f"• {text(pretty_units(clinician_words(reason.get('reason'))))} — "
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


def _options_not_advised(
    plan: Plan, course: PlanCourse, width: float, refs: References
) -> list[Flowable]:
    """Where supportive care leads: the engine's options for the clinician's information, each
    marked not advised, with no dose (the plan gives none)."""
    st = ST()
    options = sorted(plan.get("options") or [], key=lambda o: o.get("rank") or 99)
    if not options:
        return []
    listed = [_undosed_option(o, "Not advised", refs) for o in options[: 1 + OTHER_OPTIONS_SHOWN]]
    out: list[Flowable] = [
        KeepTogether(  # the heading never sits alone at the foot of a page
            [
                _h1("Systemic therapy options — not advised now (for the clinician)"),
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


def _undosed_option(option: Mapping[str, Any], label: str, refs: References) -> Flowable:
    """An option the plan does not give, named with its rank and each drug's status: no dose."""
    statuses = ", ".join(
        f"{text(drug_title(d.get('drug', '?')))} "
        f"{text(STATUS.get(d.get('status', ''), words(d.get('status'))).lower())}"
        for d in option.get("drugs") or []
    )
    return para(
        f"<b>{text(label)} {text(option.get('rank', '?'))}:</b> {text(regimen_title(option))}"
        f"{_option_flags(option)} <font color='#555555'>({statuses})</font> — "
        f"{cite(option.get('basis'), refs, limit=2)}",
        ST().bullet,
        bulletText="•",
    )


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
            "not calculated (see gaps)"
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
        sub += f" <font color='#555555'>{cite(subtype.get('basis'), refs, limit=2)}</font>"
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


def _no_dose_words(drug: Mapping[str, Any], *, with_reason: bool = False) -> str:
    if (drug.get("decided") or {}).get("action") == "hold":
        return "held by the clinician: no dose now"
    words = {
        DoseStatus.INSUFFICIENT_DATA: "no dose: inputs missing (see gaps)",
        DoseStatus.NOT_RECOMMENDED: "no dose: not recommended",
        DoseStatus.CONTRAINDICATED: "no dose: contraindicated",
    }.get(drug.get("status", ""), "no dose")
    # a stop says what was found against which limit (counts, neuropathy, kidney, liver, ledger);
    # the option table prints it in the row's notes, the one-line summary needs it here
    reason = drug.get("stop_reason") if with_reason else None
    return f"{words} — {clinician_words(reason)}" if reason else words


def _dose_cells(drug: Mapping[str, Any]) -> tuple[str, str, str]:
    standard = amount(drug.get("standard_dose"))
    if drug.get("dose") is None:
        why = _no_dose_words(drug)
        return standard, f"<b>{text(why)}</b>", "–"
    percent = drug.get("percent_of_standard")
    adapted = amount(drug.get("dose"))
    if percent is not None:
        adapted += f" ({number(percent, 0)}\u00a0%)"  # "(100 %)" never breaks before its "%"
    decided = drug.get("decided") or {}
    changed_from = decided.get("suggested_dose") if decided.get("action") == "change_dose" else None
    absolute = drug.get("absolute_dose")
    if absolute:
        arithmetic = pretty_units(absolute.get("text") or amount(absolute))
        abs_text = (
            f"<b>{text(number(absolute.get('value'), 1))} {text(absolute.get('unit', 'mg'))}</b>"
            f"<br/>{text(arithmetic)}"
        )
        tablets = absolute.get("tablets")
        if tablets:  # what she takes: whole tablets, with how the calculated dose was rounded
            abs_text = (
                f"<b>{text(tablets['text'])}</b> each time<br/>"
                f"calculated: {text(arithmetic)}; {text(tablets['rounding'])}"
            )
    else:
        abs_text = "not calculated (see gaps)"
    adapted = f"<b>{text(pretty_units(adapted))}</b>"
    if changed_from:
        # The program's suggestion and the clinician's dose, visibly different: the changed dose
        # read as the program's own in this column (nurse16 re-walk).
        by = text(decided.get("decided_by") or "the clinician")
        adapted = (
            f"Suggested {text(pretty_units(amount(changed_from)))} → changed by {by} to {adapted}"
        )
    loading = drug.get("loading_dose")
    if loading:  # contract §3a: the first cycle differs from the maintenance dose above
        adapted += f"<br/>cycle 1 (loading): <b>{text(amount(loading))}</b>"
        loading_absolute = drug.get("loading_absolute_dose")
        if loading_absolute:
            abs_text += (
                f"<br/>cycle 1: <b>{text(number(loading_absolute.get('value'), 1))} "
                f"{text(loading_absolute.get('unit', 'mg'))}</b>"
            )
    return text(standard), adapted, abs_text


def _option_flags(option: Mapping[str, Any]) -> str:
    flags = []
    if option.get("not_appropriate"):
        flags.append("systemic therapy may not be appropriate")
    if option.get("mdt_decision"):
        flags.append("MDT decision")
    if option.get("declined_by_patient"):
        flags.append("patient has declined this kind of treatment")
    return f" <font color='#b00020'>({text('; '.join(flags))})</font>" if flags else ""


def _first_option(
    option: Mapping[str, Any], width: float, refs: References, *, decided: bool = False
) -> list[Flowable]:
    """Rank 1 (or the decided option) in full: every drug's dose arithmetic, warnings, gaps and
    basis."""
    st = ST()
    if decided:
        title = (
            f"Decided: {text(regimen_title(option))} "
            f"<font color='#555555'>(suggested as option {text(option.get('rank', '?'))})</font>"
        )
    else:
        title = f"1. {text(regimen_title(option))}"
    if option.get("line") is not None:
        title += f" <font color='#555555'>· line {text(option.get('line'))}</font>"
    title += _option_flags(option)
    head = [para(title, st.h2)]
    if option.get("schedule"):
        head.append(para(f"Schedule: {text(pretty_units(str(option['schedule'])))}", st.body))
    widths = [width * f for f in (0.16, 0.12, 0.15, 0.31, 0.26)]
    rows: list[list[Any]] = [
        ["Drug", "Standard", "Adapted", "Absolute dose (arithmetic)", "Schedule"]
    ]
    extra: list[tuple[Any, ...]] = []
    for drug in option.get("drugs") or []:
        standard, adapted, absolute = _dose_cells(drug)
        status = STATUS.get(drug.get("status", ""), words(drug.get("status")))
        undosed = drug.get("dose") is None
        rows.append(
            [
                f"<b>{text(drug_title(drug.get('drug', '?')))}</b><br/>{text(status)}",
                standard,
                adapted,
                "" if undosed else absolute,
                "held: not given now"  # a held drug is never in the schedule
                if (drug.get("decided") or {}).get("action") == "hold"
                else text(pretty_units(drug.get("schedule") or "–")),
            ]
        )
        if undosed:  # "no dose: contraindicated" across both dose columns: never split mid-word
            r = len(rows) - 1
            extra.append(("SPAN", (2, r), (3, r)))

        notes = [f"Basis: {cite(drug.get('basis'), refs)}"]
        notes += _decided_note(drug)
        notes += [f"⚠ {text(pretty_units(clinician_words(w)))}" for w in drug.get("warnings") or []]
        notes += [
            f"Could not decide: {text(field_words(g.get('field')))} — "
            f"{text(clinician_words(g.get('effect')))}"
            for g in drug.get("gaps") or []
        ]
        rows.append([para("<br/>".join(notes), st.small), "", "", "", ""])
        r = len(rows) - 1
        extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), styles.SHADE)]
    table = grid(rows, widths, st, extra=extra)
    why = f"<b>Why this option:</b> {cite(option.get('basis'), refs)}"
    if option.get("rank_reason"):
        why += f". {text(pretty_units(clinician_words(option['rank_reason'])))}"
    tail = [para(why, st.note)]
    tail += [para(f"Note: {text(clinician_words(n))}", st.note) for n in option.get("notes") or []]
    return [KeepTogether([*head, table]), *tail]


def _decided_note(drug: Mapping[str, Any]) -> list[str]:
    """The clinician's change to a drug of the decided option, with the suggestion it replaced."""
    decided = drug.get("decided") or {}
    action = decided.get("action")
    suggested = (
        amount(decided.get("suggested_dose")) if decided.get("suggested_dose") else "no dose"
    )
    by = f" — decided by {text(decided['decided_by'])}" if decided.get("decided_by") else ""
    if action == "change_dose":
        return [
            f"<b>Dose changed by the clinician</b> (suggested {text(pretty_units(suggested))}): "
            f"{text(decided.get('reason'))}{by}"
        ]
    if action == "hold":
        return [
            f"<b>Held by the clinician</b> (suggested {text(pretty_units(suggested))}): "
            f"{text(decided.get('reason'))}{by}"
        ]
    return []


def _compact_dose(drug: Mapping[str, Any], *, with_gaps: bool = True) -> str:
    """`Paclitaxel 80 → 60 mg/m² (75 %) = 93 mg · reduced` on one line."""
    name = f"<b>{text(drug_title(drug.get('drug', '?')))}</b>"
    status = text(STATUS.get(drug.get("status", ""), words(drug.get("status"))))
    if drug.get("dose") is None:
        out = f"{name}: {text(pretty_units(_no_dose_words(drug, with_reason=True)))}"
    else:
        standard, dose = drug.get("standard_dose") or {}, drug["dose"]
        arithmetic = text(amount(dose))
        if standard and standard.get("value") != dose.get("value"):
            arithmetic = f"{text(number(standard.get('value')))} → {arithmetic}"
        if drug.get("percent_of_standard") is not None:
            arithmetic += f" ({number(drug['percent_of_standard'], 0)} %)"
        absolute = drug.get("absolute_dose")
        if absolute and dose.get("unit") not in ("mg", None):
            arithmetic += (
                f" = {text(number(absolute.get('value'), 1))} {text(absolute.get('unit', 'mg'))}"
            )
        loading = drug.get("loading_dose")
        if loading:
            arithmetic += f" (cycle 1: {text(amount(loading))} loading)"
        out = f"{name} {arithmetic} · {status}"
    for gap in drug.get("gaps") or [] if with_gaps else []:
        out += (
            f" (Could not decide: {text(field_words(gap.get('field')))} — "
            f"{text(clinician_words(gap.get('effect')))})"
        )
    return out


def _other_option(option: Mapping[str, Any], refs: References) -> Flowable:
    st = ST()
    doses = "; ".join(_compact_dose(d) for d in option.get("drugs") or []) or "no drugs listed"
    line = (
        f"<b>{text(option.get('rank', '?'))}. {text(regimen_title(option))}</b>"
        + (f" (line {text(option.get('line'))})" if option.get("line") is not None else "")
        + _option_flags(option)
        + f" — {doses} — {cite(option.get('basis'), refs, limit=2)}"
    )
    return para(line, st.body)


def _options(plan: Plan, course: PlanCourse, width: float, refs: References) -> list[Flowable]:
    st = ST()
    options = sorted(plan.get("options") or [], key=lambda o: o.get("rank") or 99)
    first = course.option if course.leads == "decided_option" else None
    decided = first is not None
    out: list[Flowable] = [
        CondPageBreak(160),  # the heading never sits alone at the foot of a page
        _h1(
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
        options = [o for o in options if o is not first]
        out += _first_option(first, width, refs, decided=True)
        out.append(
            para(
                "<b>The program suggested</b> (ranked; not chosen, so no dose is printed):",
                st.body,
            )
        )
        others = options[:OTHER_OPTIONS_SHOWN]
        out += [_undosed_option(o, "Suggested", refs) for o in others]
        rest = options[OTHER_OPTIONS_SHOWN:]
    else:
        out += _first_option(options[0], width, refs)
        others = options[1 : 1 + OTHER_OPTIONS_SHOWN]
        out += [_other_option(o, refs) for o in others]
        rest = options[1 + OTHER_OPTIONS_SHOWN :]
    out += _more_options(plan, rest)
    return out


def _more_options(plan: Plan, rest: Sequence[Mapping[str, Any]]) -> list[Flowable]:
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
    hidden = plan.get("hidden_options") or []
    if hidden:
        out.append(
            para(
                f"{len(hidden)} option{'s' if len(hidden) > 1 else ''} hidden by clinic settings "
                "(e.g. formulary): listed on screen / plan JSON.",
                st.note,
            )
        )
    return out


def _avoid(plan: Plan, width: float, refs: References) -> list[Flowable]:
    avoid = plan.get("avoid") or []
    if not avoid:
        return []
    st = ST()
    out: list[Flowable] = [_h1("Drugs to avoid")]
    for a in avoid:
        out.append(
            para(
                f"<b>{text(drug_title(a.get('drug', '?')))}</b> — "
                f"{text(pretty_units(clinician_words(a.get('reason'))))} — "
                f"{cite(a.get('basis'), refs)}",
                st.bullet,
                bulletText="•",
            )
        )
    return out


def _gaps(plan: Plan, width: float) -> list[Flowable]:
    gaps = plan.get("gaps") or []
    if not gaps:
        return []
    st = ST()
    out: list[Flowable] = [_h1("What the program could not decide")]
    for gap in gaps:
        out.append(
            para(
                f"<b>Could not decide:</b> {text(field_words(gap.get('field')))} — "
                f"{text(clinician_words(gap.get('effect')))}",
                st.bullet,
                bulletText="•",
            )
        )
    return out


def intervention_texts(item: Mapping[str, Any]) -> list[str]:
    """The clinician wording of a supportive item's interventions (strings or objects)."""
    out = []
    for iv in item.get("interventions") or []:
        if isinstance(iv, Mapping):
            out.append(
                str(iv.get("text") or iv.get("intervention") or iv.get("patient_text") or "")
            )
        else:
            out.append(str(iv))
    return [t for t in out if t]


def referrals_for(item: Mapping[str, Any], referrals: Sequence[Mapping[str, Any]]) -> list[str]:
    """Services the plan refers to for this problem: named by the item or the referral, else the
    services that usually take the problem on, among those the plan refers to."""
    problem = item.get("problem")
    own = item.get("referral") or item.get("referrals")
    if own:
        return (
            [own]
            if isinstance(own, str)
            else [r if isinstance(r, str) else r.get("service", "") for r in own]
        )
    named = [r.get("service", "") for r in referrals if problem in (r.get("problems") or [])]
    if named:
        return named
    if any(r.get("problems") for r in referrals):
        return []
    planned = {r.get("service") for r in referrals}
    return [s for s in PROBLEM_SERVICES.get(problem or "", ()) if s in planned][:2]


def _interaction_texts(item: Mapping[str, Any]) -> list[str]:
    out = []
    for found in item.get("interactions") or []:
        if isinstance(found, Mapping):
            out.append(str(found.get("message") or ""))
        else:
            out.append(str(found))
    return [t for t in out if t]


def _quality_of_life(
    plan: Plan, width: float, refs: References, symptoms: Mapping[str, Any] | None = None
) -> list[Flowable]:
    """One row per problem: problem → every intervention, in full → referral → rules."""
    st = ST()
    supportive = plan.get("supportive") or []
    out: list[Flowable] = [
        CondPageBreak(90),
        _h1("Quality of life: problem → intervention → referral"),
    ]
    if not supportive:
        out.append(para("No supportive-care problems in this plan.", st.body))
        return out
    referrals = plan.get("referrals") or []
    rank = {d: i for i, d in enumerate(DOMAIN_ORDER)}
    items = sorted(supportive, key=lambda s: rank.get(s.get("domain"), 99))
    rows: list[list[Any]] = [["Problem", "Intervention", "Referral", "Sources"]]
    capped_any = False
    for item in items:
        domain = item.get("domain")
        problem = (
            f"<b>{text(say('problem', item.get('problem')))}</b> {severity_words(item, symptoms)}"
            f"<br/><font color='#555555'>{text(DOMAINS.get(domain, words(domain)))}</font>"
        )
        texts = intervention_texts(item)
        # Clinical advice is printed whole (nurse16: "2 g/day in…" cut a paracetamol ceiling
        # mid-sentence): every intervention and every interaction warning, in full; the table
        # splits across pages instead.
        lines = [f"• {text(pretty_units(clinician_words(t)))}" for t in texts]
        said = " ".join(texts)
        warnings = [t for t in _interaction_texts(item) if t not in said]
        lines += [f"⚠ {text(pretty_units(clinician_words(w)))}" for w in warnings]
        services = referrals_for(item, referrals)
        # plain service names, one a line, drawn by the table itself (no markup to parse)
        referral = Plain("\n".join(SERVICES.get(s, words(s)) for s in services) or "–")
        # the rule ids of the first two pieces of advice; the rest are counted (evidence, not
        # advice: every one is on screen and in the plan document)
        prefer = [
            str(b.get("rule"))
            for d in (item.get("intervention_details") or [])[:2]
            if isinstance(d, Mapping)
            for b in d.get("basis") or ()
        ]
        basis = para(cite(item.get("basis"), refs, limit=2, prefer=prefer), st.small)
        capped_any |= len({str(b.get("rule")) for b in item.get("basis") or ()}) > 2
        rows.append([problem, "<br/>".join(lines) or "–", referral, basis])
    widths = [width * f for f in (0.15, 0.5, 0.15, 0.2)]  # sources are numbers: a narrow column
    out.append(grid(rows, widths, styles.clinician_dense_styles(), split_in_row=24))
    if capped_any:
        out.append(
            para(
                "Every intervention is printed whole; each row cites the sources of its first two "
                f"rules. Every source: {FULL_TEXT}, and in the plan document (JSON).",
                st.note,
            )
        )
    if referrals:
        order = {urgency: i for i, urgency in enumerate(Urgency)}
        listed = "; ".join(
            f"{text(SERVICES.get(r.get('service'), words(r.get('service'))))} "
            f"({text(URGENCY.get(r.get('urgency'), words(r.get('urgency'))).lower())})"
            for r in sorted(referrals, key=lambda r: order.get(r.get("urgency"), 3))
        )
        out.append(
            para(
                f"<b>Referrals</b> (a slip for each follows, with reasons and basis): {listed}.",
                st.body,
            )
        )
    return out


def _follow_up(
    plan: Plan, patient: Mapping[str, Any], width: float, date_format: str = "iso"
) -> list[Flowable]:
    st = ST()
    follow = plan.get("follow_up") or {}
    days = follow.get("next_review_days")
    assessed = parse_date(patient.get("assessed_on") or plan.get("assessed_on"))
    out: list[Flowable] = [CondPageBreak(60), _h1("Monitoring and follow-up")]
    if days is None:
        review = "Next review: <b>not set by the program</b> — the clinician sets the date."
    else:
        due = date(assessed + dt.timedelta(days=int(days)), date_format) if assessed else ""
        by = f" (by {due})" if assessed else ""
        review = (
            "Next review <b>today</b>."  # never "in 0 days"
            if int(days) == 0
            else f"Next review in <b>{text(days)} days</b>{text(by)}."
        )
    reasons = [text(pretty_units(clinician_words(r))) for r in follow.get("review_reasons") or []]
    if reasons:
        review += " Why: " + "; ".join(reasons)
    out.append(para(review, st.body))
    for item in follow.get("monitoring") or []:
        out.append(para(text(pretty_units(clinician_words(item))), st.bullet, bulletText="•"))
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
        _h1("Clinician overrides"),
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
        out += [CondPageBreak(130), _h1("Trends"), table]
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
        _h1("References"),
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


def _signature(width: float, course: PlanCourse, date_format: str = "iso") -> list[Flowable]:
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
        row_heights=[None] + [24] * (len(rows) - 1),
    )
    said = (
        "I have checked this plan against the patient and today's results. Treatment chosen "
        "and doses prescribed:"
    )
    if decision is not None:
        said += f" <b>{_decision_words(course)}</b>"
        written: list[Flowable] = []
    else:  # nothing decided yet: a line to write the decision by hand
        written = [
            Spacer(1, 14),
            HRFlowable(width="100%", thickness=0.5, color=styles.RULE),
            Spacer(1, 4),
        ]
    return [KeepTogether([_h1("Signed"), para(said, st.body), *written, table])]
