"""The clinician section: what the program suggests, with the arithmetic and the basis of each.

About the length of an ASCO treatment-plan summary: identifiers, biology, organ function,
ranked options with dose arithmetic, drugs to avoid, the quality-of-life domain table,
referrals, monitoring and follow-up, what could not be decided, overrides, trends, signature.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer
from reportlab.platypus.flowables import HRFlowable

from planner.reports import charts, styles
from planner.reports.tables import basis_markup, grid, key_values, para
from planner.reports.words import (
    DOMAIN_ORDER,
    DOMAINS,
    LEVELS,
    PROBLEM_SERVICES,
    SERVICES,
    STATUS,
    URGENCY,
    amount,
    date,
    drug_title,
    number,
    parse_date,
    patient_name,
    pretty_units,
    regimen_title,
    text,
    words,
)

Plan = Mapping[str, Any]
ST = styles.clinician_styles


def clinician_section(
    plan: Plan,
    patient: Mapping[str, Any],
    clinic: Mapping[str, Any],
    trends: Sequence[Mapping[str, Any]] | None,
    width: float,
) -> list[Flowable]:
    st = ST()
    story: list[Flowable] = [
        para("Care plan — clinician section", st.title),
        para(
            "<b>The program suggests; the clinician decides.</b> Each suggestion below shows the "
            "rule and source it rests on. Check doses against today's results before prescribing.",
            st.body,
        ),
        Spacer(1, 3),
        _identifiers(plan, patient, clinic, width),
    ]
    story += _alerts(plan, width)
    story += _biology_and_organs(plan, width)
    story += _options(plan, width)
    story += _avoid(plan, width)
    story += _quality_of_life(plan, width)
    story += _referrals(plan, width)
    story += _follow_up(plan, patient, width)
    story += _gaps(plan, width)
    story += _overrides(plan, width)
    story += _trends(trends, width)
    story += _signature(width)
    return story


def _h1(title: str) -> Flowable:
    return para(text(title), ST().h1)


def _identifiers(
    plan: Plan, patient: Mapping[str, Any], clinic: Mapping[str, Any], width: float
) -> Flowable:
    born = parse_date(patient.get("birth_date"))
    assessed = patient.get("assessed_on") or plan.get("assessed_on")
    age = ""
    when = parse_date(assessed)
    if born and when:
        years = when.year - born.year - ((when.month, when.day) < (born.month, born.day))
        age = f" ({years} y)"
    pairs = [
        ("Patient", text(patient_name(patient))),
        ("MRN", text(patient.get("mrn") or "–")),
        ("Born", text(date(patient.get("birth_date")) + age)),
        ("Sex", text(words(patient.get("sex")) or "–")),
        ("Assessed", text(date(assessed))),
        ("Labels", text((plan.get("labels") or "–").upper())),
        ("Rules", text(plan.get("rules_version") or "–")),
        ("Clinic", text(clinic.get("name") or "–")),
    ]
    return key_values(pairs, width, ST(), columns=2)


def _alerts(plan: Plan, width: float) -> list[Flowable]:
    alerts = plan.get("alerts") or []
    if not alerts:
        return []
    st = ST()
    order = {"critical": 0, "warning": 1, "info": 2}
    rows = [["Level", "Alert", "Code"]]
    extra = []
    for i, alert in enumerate(sorted(alerts, key=lambda a: order.get(a.get("level"), 3)), start=1):
        level = alert.get("level", "info")
        rows.append(
            [
                f"<b>{text(LEVELS.get(level, level))}</b>",
                text(alert.get("message")),
                text(alert.get("code")),
            ]
        )
        bg = {"critical": styles.CRITICAL_BG, "warning": styles.WARNING_BG}.get(
            level, styles.INFO_BG
        )
        extra.append(("BACKGROUND", (0, i), (-1, i), bg))
    return [_h1("Alerts"), grid(rows, [width * 0.11, width * 0.6, width * 0.29], st, extra=extra)]


def _biomarkers(subtype: Mapping[str, Any], plan: Plan) -> str:
    found = subtype.get("biomarkers") or plan.get("biomarkers") or plan.get("biology") or {}
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
            "not tested"
            if value is None
            else (f"{number(value)} %" if key.endswith("_percent") else words(str(value)))
        )
        parts.append(f"{label} {shown}")
    return text(" · ".join(parts))


def _biology_and_organs(plan: Plan, width: float) -> list[Flowable]:
    st = ST()
    subtype = plan.get("subtype") or {}
    hepatic = plan.get("hepatic") or {}
    body = plan.get("body") or {}
    cp = hepatic.get("child_pugh")
    albi = hepatic.get("albi")
    sub = text(subtype.get("group", "unknown"))
    flags = [f"HER2 {text(subtype.get('her2', 'unknown'))}"]
    if subtype.get("er_low"):
        flags.append("ER-low (1–10 %)")
    biomarkers = _biomarkers(subtype, plan)

    def xuln(key: str) -> str:
        value = hepatic.get(key)
        return "–" if value is None else f"{number(value)} × ULN"

    weight_change = body.get("weight_change_6_months_percent")
    pairs = [
        ("Subtype", f"<b>{sub}</b> · " + " · ".join(flags)),
        ("Biomarkers", biomarkers or "not given in the plan"),
        (
            "Liver (ODWG)",
            f"<b>{text(hepatic.get('odwg', 'unknown'))}</b> · bilirubin "
            f"{xuln('bilirubin_x_uln')} · AST {xuln('ast_x_uln')}"
            + (f" · ALT {xuln('alt_x_uln')}" if hepatic.get("alt_x_uln") is not None else "")
            + (f" · ALP {xuln('alp_x_uln')}" if hepatic.get("alp_x_uln") is not None else ""),
        ),
        (
            "Child–Pugh",
            "not calculated (see gaps)"
            if not cp
            else f"<b>class {text(cp.get('class'))}</b> ({text(cp.get('points'))} points"
            + (
                f"; albumin cut-off {text(hepatic.get('child_pugh_albumin_variant'))} g/dL"
                if hepatic.get("child_pugh_albumin_variant")
                else ""
            )
            + ")",
        ),
        (
            "ALBI",
            "not calculated"
            if not albi
            else f"grade {text(albi.get('grade'))} (score {number(albi.get('score'))})",
        ),
        ("Visceral crisis", text(words(hepatic.get("visceral_crisis", "unknown")))),
        (
            "Kidney",
            "CrCl not calculated (see gaps)"
            if body.get("crcl_ml_min") is None
            else f"CrCl <b>{number(body.get('crcl_ml_min'), 0)} mL/min</b> "
            f"({text(words(body.get('crcl_formula') or 'cockcroft_gault'))}, actual weight)",
        ),
        (
            "Body",
            "BSA "
            + (
                "not calculated"
                if body.get("bsa_m2") is None
                else f"<b>{number(body.get('bsa_m2'))} m²</b> ({text(body.get('bsa_formula') or 'mosteller')})"
            )
            + (f" · BMI {number(body.get('bmi'), 1)}" if body.get("bmi") is not None else "")
            + (
                f" · weight change 6 months {number(weight_change, 1)} %"
                if weight_change is not None
                else ""
            ),
        ),
    ]
    out: list[Flowable] = [
        _h1("Disease, liver and kidney"),
        key_values(pairs, width, st, columns=1),
    ]
    systemic = plan.get("systemic_therapy") or {}
    notes = [text(w) for w in systemic.get("warnings") or []]
    for reason in systemic.get("not_appropriate_because") or []:
        notes.append(f"{text(reason.get('reason'))} — {basis_markup(reason.get('basis'))}")
    if systemic.get("appropriate") is False:
        out.append(
            para(
                "<b>Systemic therapy may not be appropriate now</b> — discuss goals of care.",
                st.body,
            )
        )
    for note in notes:
        out.append(para(note, st.bullet, bulletText="•"))
    return out


def _dose_cells(drug: Mapping[str, Any]) -> tuple[str, str, str]:
    status = drug.get("status", "")
    standard = amount(drug.get("standard_dose"))
    if drug.get("dose") is None:
        why = {
            "insufficient_data": "no dose: inputs missing (see gaps)",
            "not_recommended": "no dose: not recommended at this organ function",
            "contraindicated": "no dose: contraindicated",
        }.get(status, "no dose")
        return standard, f"<b>{text(why)}</b>", "–"
    percent = drug.get("percent_of_standard")
    adapted = amount(drug.get("dose"))
    if percent is not None:
        adapted += f" ({number(percent, 0)} %)"
    absolute = drug.get("absolute_dose")
    if absolute:
        arithmetic = pretty_units(absolute.get("text") or amount(absolute))
        abs_text = f"<b>{text(number(absolute.get('value'), 1))} {text(absolute.get('unit', 'mg'))}</b><br/>{text(arithmetic)}"
    else:
        abs_text = "not calculated (see gaps)"
    return text(standard), f"<b>{text(adapted)}</b>", abs_text


def _option(option: Mapping[str, Any], width: float) -> list[Flowable]:
    st = ST()
    title = f"{text(option.get('rank', '?'))}. {text(regimen_title(option))}"
    if option.get("line") is not None:
        title += f" <font size=8.5 color='#555555'>· line {text(option.get('line'))}</font>"
    flags = []
    if option.get("not_appropriate"):
        flags.append("systemic therapy may not be appropriate")
    if option.get("mdt_decision"):
        flags.append("MDT decision")
    if option.get("declined_by_patient"):
        flags.append("patient has declined this kind of treatment")
    if flags:
        title += f" <font size=8.5 color='#b00020'>({text('; '.join(flags))})</font>"
    head = [para(title, st.h2)]
    if option.get("schedule"):
        head.append(para(f"Schedule: {text(pretty_units(str(option['schedule'])))}", st.body))
    widths = [width * f for f in (0.15, 0.1, 0.16, 0.32, 0.27)]
    rows: list[list[Any]] = [
        ["Drug", "Standard", "Adapted", "Absolute dose (arithmetic)", "Schedule"]
    ]
    extra = []
    for drug in option.get("drugs") or []:
        standard, adapted, absolute = _dose_cells(drug)
        status = STATUS.get(drug.get("status", ""), words(drug.get("status")))
        rows.append(
            [
                f"<b>{text(drug_title(drug.get('drug', '?')))}</b><br/>{text(status)}",
                standard,
                adapted,
                absolute,
                text(pretty_units(drug.get("schedule") or "–")),
            ]
        )
        notes = [f"Basis: {basis_markup(drug.get('basis'))}"]
        notes += [f"⚠ {text(pretty_units(w))}" for w in drug.get("warnings") or []]
        notes += [
            f"Could not decide: {text(g.get('field'))} — {text(g.get('effect'))}"
            for g in drug.get("gaps") or []
        ]
        rows.append(["<br/>".join(notes), "", "", "", ""])
        r = len(rows) - 1
        extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), styles.SHADE)]
    table = grid(rows, widths, st, extra=extra)
    tail = [para(f"<b>Why this option:</b> {basis_markup(option.get('basis'))}", st.note)]
    if option.get("rank_reason"):
        tail.append(para(f"Rank: {text(option['rank_reason'])}", st.note))
    tail += [para(f"Note: {text(n)}", st.note) for n in option.get("notes") or []]
    for flowable in head:
        flowable.keepWithNext = True
    return [*head, table, *tail, Spacer(1, 4)]


FULL_DETAIL_OPTIONS = 3


def _compact_dose(drug: Mapping[str, Any]) -> str:
    """`Paclitaxel 80 → 60 mg/m² (75 %) = 93 mg · reduced` on one line."""
    name = f"<b>{text(drug_title(drug.get('drug', '?')))}</b>"
    status = text(STATUS.get(drug.get("status", ""), words(drug.get("status"))))
    if drug.get("dose") is None:
        return f"{name}: no dose ({status})"
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
    return f"{name} {arithmetic} · {status}"


def _rules_only(option: Mapping[str, Any]) -> str:
    """The option's own rules; of the dose rules, only those to confirm locally."""
    flag = ' <font color="#b00020"><b>(unverified — confirm locally)</b></font>'
    shown: dict[str, bool] = {}
    for b in option.get("basis") or ():
        rule = str(b.get("rule") or "?")
        shown[rule] = shown.get(rule, False) or b.get("verified") is False
    doubtful = {
        str(b.get("rule") or "?")
        for d in option.get("drugs") or []
        for b in d.get("basis") or ()
        if b.get("verified") is False
    }
    out = ", ".join(text(rule) + (flag if unverified else "") for rule, unverified in shown.items())
    if doubtful:
        out += (
            ("<br/>" if out else "")
            + "Dose rules to confirm locally: "
            + text(", ".join(sorted(doubtful)))
        )
    return out or "no rule cited"


def _further_options(options: Sequence[Mapping[str, Any]], width: float) -> list[Flowable]:
    st = ST()
    rows: list[list[Any]] = [
        ["#", "Regimen", "Doses: standard → adapted (% of standard) = absolute", "Basis (rules)"]
    ]
    for option in options:
        rows.append(
            [
                text(option.get("rank", "")),
                f"<b>{text(regimen_title(option))}</b>"
                + (f"<br/>line {text(option.get('line'))}" if option.get("line") else ""),
                "<br/>".join(_compact_dose(d) for d in option.get("drugs") or []) or "–",
                _rules_only(option),
            ]
        )
    return [
        para(
            "Further options (summary; the full arithmetic and sources are in the record and "
            "in `planner plan` output)",
            st.h2,
        ),
        grid(rows, [width * f for f in (0.05, 0.25, 0.42, 0.28)], st),
    ]


def _options(plan: Plan, width: float) -> list[Flowable]:
    st = ST()
    options = sorted(plan.get("options") or [], key=lambda o: o.get("rank") or 99)
    out: list[Flowable] = [
        CondPageBreak(200),  # the heading never sits alone at the foot of a page
        _h1("Systemic therapy options (ranked)"),
        para(
            "Dose arithmetic reads: standard → adapted for liver/kidney (% of standard) → "
            "absolute from BSA (Mosteller) or actual weight.",
            st.note,
        ),
    ]
    if not options:
        out.append(para("No systemic option is suggested (see gaps and alerts).", st.body))
    for option in options[:FULL_DETAIL_OPTIONS]:
        out += _option(option, width)
    if options[FULL_DETAIL_OPTIONS:]:
        out += _further_options(options[FULL_DETAIL_OPTIONS:], width)
    return out


def _avoid(plan: Plan, width: float) -> list[Flowable]:
    avoid = plan.get("avoid") or []
    if not avoid:
        return []
    rows = [["Drug", "Why", "Basis"]]
    rows += [
        [
            f"<b>{text(drug_title(a.get('drug', '?')))}</b>",
            text(pretty_units(a.get("reason") or "")),
            basis_markup(a.get("basis")),
        ]
        for a in avoid
    ]
    return [_h1("Drugs to avoid"), grid(rows, [width * 0.2, width * 0.42, width * 0.38], ST())]


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


def _quality_of_life(plan: Plan, width: float) -> list[Flowable]:
    """One row per problem: problem | interventions (and interaction warnings) | referral,
    then a full-width row with why it was flagged and the rules it rests on. Long rows may
    split across pages (the engine's wording is printed whole, never cut)."""
    st = ST()
    supportive = plan.get("supportive") or []
    out: list[Flowable] = [
        CondPageBreak(80),
        _h1("Quality of life: problem → intervention → referral"),
    ]
    if not supportive:
        out.append(para("No supportive-care problems in this plan.", st.body))
        return out
    referrals = plan.get("referrals") or []
    rank = {d: i for i, d in enumerate(DOMAIN_ORDER)}
    items = sorted(supportive, key=lambda s: rank.get(s.get("domain"), 99))
    rows: list[list[Any]] = [["Problem", "Intervention", "Referral"]]
    extra: list[tuple] = []
    for item in items:
        domain = item.get("domain")
        problem = (
            f"<font size=7 color='#555555'>{text(DOMAINS.get(domain, words(domain)))}</font><br/>"
        )
        problem += f"<b>{text(words(item.get('problem')))}</b>"
        if item.get("severity"):
            problem += f"<br/>{text(item['severity'])}"
        lines = [f"• {text(pretty_units(t))}" for t in intervention_texts(item)]
        said = " ".join(intervention_texts(item))
        lines += [f"⚠ {text(pretty_units(t))}" for t in _interaction_texts(item) if t not in said]
        services = referrals_for(item, referrals)
        referral = ", ".join(text(SERVICES.get(s, words(s))) for s in services) or "–"
        rows.append([problem, "<br/>".join(lines) or "–", referral])
        why = "; ".join(text(r) for r in item.get("reasons") or [])
        note = (f"Why: {why}. " if why else "") + f"Basis: {basis_markup(item.get('basis'))}"
        rows.append([para(note, st.small), "", ""])
        r = len(rows) - 1
        extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), styles.SHADE)]
    widths = [width * f for f in (0.15, 0.69, 0.16)]
    out.append(grid(rows, widths, st, extra=extra, split_in_row=24))
    return out


def _referrals(plan: Plan, width: float) -> list[Flowable]:
    referrals = plan.get("referrals") or []
    if not referrals:
        return []
    st = ST()
    order = {"same_day": 0, "within_week": 1, "routine": 2}
    rows: list[list[Any]] = [["Service", "Urgency", "Reasons"]]
    extra: list[tuple] = []
    for r in sorted(referrals, key=lambda r: order.get(r.get("urgency"), 3)):
        rows.append(
            [
                f"<b>{text(SERVICES.get(r.get('service'), words(r.get('service'))))}</b>",
                text(URGENCY.get(r.get("urgency"), words(r.get("urgency")))),
                "<br/>".join(f"• {text(x)}" for x in r.get("reasons") or []) or "–",
            ]
        )
        rows.append([para(f"Basis: {basis_markup(r.get('basis'))}", st.small), "", ""])
        i = len(rows) - 1
        extra += [("SPAN", (0, i), (-1, i)), ("BACKGROUND", (0, i), (-1, i), styles.SHADE)]
    return [
        _h1("Referrals (a slip for each is printed)"),
        grid(rows, [width * 0.16, width * 0.13, width * 0.71], st, extra=extra, split_in_row=24),
    ]


def _follow_up(plan: Plan, patient: Mapping[str, Any], width: float) -> list[Flowable]:
    st = ST()
    follow = plan.get("follow_up") or {}
    days = follow.get("next_review_days")
    assessed = parse_date(patient.get("assessed_on") or plan.get("assessed_on"))
    out: list[Flowable] = [_h1("Monitoring and follow-up")]
    if days is None:
        out.append(
            para(
                "Next review: <b>not set by the program</b> — the clinician sets the date.", st.body
            )
        )
    else:
        by = f" (by {(assessed + dt.timedelta(days=int(days))).isoformat()})" if assessed else ""
        out.append(para(f"Next review in <b>{text(days)} days</b>{text(by)}.", st.body))
    for item in follow.get("monitoring") or []:
        out.append(para(text(pretty_units(str(item))), st.bullet, bulletText="•"))
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
                f"<b>Could not decide:</b> {text(gap.get('field'))} — {text(gap.get('effect'))}",
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
        _h1("Clinician overrides"),
        grid(rows, [width * 0.25, width * 0.17, width * 0.38, width * 0.2], ST()),
    ]


def _trends(trends: Sequence[Mapping[str, Any]] | None, width: float) -> list[Flowable]:
    if trends is None:
        return []
    st = ST()
    drawn, skipped = charts.trend_charts(trends, width)
    out: list[Flowable] = [CondPageBreak(150), _h1("Trends")]
    out += [KeepTogether([chart, Spacer(1, 4)]) for chart in drawn]
    if skipped:
        out.append(
            para(f"Not charted (fewer than two results): {text(', '.join(skipped))}.", st.note)
        )
    return out


def _signature(width: float) -> list[Flowable]:
    st = ST()
    rows = [["Reviewed and decided by (name, role)", "Signature", "Date and time"], ["", "", ""]]
    table = grid(rows, [width * 0.45, width * 0.3, width * 0.25], st, row_heights=[None, 34])
    return [
        KeepTogether(
            [
                _h1("Clinician's decision"),
                para(
                    "I have checked the suggestions above against the patient and today's results. "
                    "Treatment chosen and doses prescribed:",
                    st.body,
                ),
                Spacer(1, 22),
                HRFlowable(width="100%", thickness=0.5, color=styles.RULE),
                Spacer(1, 18),
                HRFlowable(width="100%", thickness=0.5, color=styles.RULE),
                Spacer(1, 6),
                table,
            ]
        )
    ]
