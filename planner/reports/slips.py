"""Referral slips: one page per referral, for the service the patient is sent to.

Each slip names who it is to and from, the patient, why and how urgently, the key findings the
receiving service needs, and whom to call back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.platypus import Flowable, KeepTogether, NextPageTemplate, PageBreak, Spacer

from planner.domain.decision import plan_course
from planner.domain.plan_words import LEVELS, SERVICES, URGENCY, clinician_words, say
from planner.domain.referrals import reason_in_words
from planner.domain.vocabulary import Urgency
from planner.reports import styles
from planner.reports.citations import inline
from planner.reports.clinician import referrals_for
from planner.reports.formatting import (
    date,
    date_format_of,
    moment,
    number,
    patient_name,
    regimen_title,
    severity_words,
    text,
    words,
)
from planner.reports.tables import grid, key_values, para

# A slip goes to one service. A CRITICAL alert is printed on the slips of the services that act
# on it; the suicide-risk alerts only on those that assess and manage suicide risk (psychiatry,
# psychology, palliative care) and on oncology's, the referring clinician's own service that
# keeps the patient's overall care: a physiotherapist, dietitian or social worker reading
# "suicide risk" on a slip about walking aids can do nothing with it but alarm. Any other
# CRITICAL alert (visceral crisis, severe liver impairment, encephalopathy, an allergy) is on
# every slip: every service handling her needs it.
CRITICAL_ONLY_FOR = {
    "suicide_risk": frozenset({"psychiatry", "psychology", "palliative_care", "oncology"}),
    "suicide_risk_not_assessed": frozenset(
        {"psychiatry", "psychology", "palliative_care", "oncology"}
    ),
}
#: a write-in line where a clinic setting is not set: never "From: –" or a call without a number
WRITE_IN = "______________________"


def critical_for(alert: Mapping[str, Any], service: str) -> bool:
    """True when a CRITICAL alert belongs on the slip to `service`."""
    if alert.get("level") != "critical":
        return False
    only = CRITICAL_ONLY_FOR.get(str(alert.get("code") or ""))
    return only is None or service in only


def _care_plan(plan: Mapping[str, Any]) -> str:
    """The plan's course as the receiving service needs it: supportive care first where it leads;
    the decided treatment (by whom); a suggestion only as a suggestion; a gap never as a decision."""
    course = plan_course(plan)
    decision = course.decision
    by = f" (decided by {text(decision.decided_by)})" if decision is not None else ""
    if course.supportive_care_first:
        if decision is not None:
            return f"<b>best supportive care</b>; no cancer treatment now{by}"
        return (
            "<b>best supportive care</b>: cancer treatment is judged not appropriate now "
            "(the treating clinician decides)"
        )
    if course.option is None:
        return "supportive care; cancer treatment not yet decided (results awaited)"
    if decision is not None:
        return f"supportive care with cancer treatment: {text(regimen_title(course.option))}{by}"
    return (
        "supportive care; cancer treatment under consideration: "
        f"{text(regimen_title(course.option))} (the treating clinician decides)"
    )


def _key_findings(
    plan: Mapping[str, Any],
    referral: Mapping[str, Any],
    symptoms: Mapping[str, Any] | None = None,
) -> list[tuple[str, str]]:
    """(label, value) pairs: what the receiving service needs to know, one line each where it fits."""
    findings = [("Care plan", _care_plan(plan))]  # what the plan leads with comes first
    subtype = plan.get("subtype") or {}
    hepatic = plan.get("hepatic") or {}
    body = plan.get("body") or {}
    findings.append(
        (
            "Disease",
            "metastatic breast cancer with liver metastases; subtype "
            f"{text(subtype.get('group', 'unknown'))}",
        )
    )
    liver = f"ODWG {text(hepatic.get('odwg', 'unknown'))}"
    if hepatic.get("bilirubin_x_uln") is not None:
        liver += f", bilirubin {number(hepatic['bilirubin_x_uln'])} × ULN"
    cp = hepatic.get("child_pugh")
    if cp:
        liver += f", Child–Pugh {text(cp.get('class'))} ({text(cp.get('points'))} points)"
    findings.append(("Liver function", liver))
    kidney = []
    if body.get("crcl_ml_min") is not None:
        kidney.append(f"CrCl {number(body['crcl_ml_min'], 0)} mL/min")
    if body.get("bmi") is not None:
        kidney.append(f"BMI {number(body['bmi'], 1)}")
    if body.get("weight_change_6_months_percent") is not None:
        kidney.append(
            f"weight change {number(body['weight_change_6_months_percent'], 1)} % "
            f"({body.get('weight_change_words') or 'over 6 months'})"
        )
    if kidney:
        findings.append(("Kidney, weight", text("; ".join(kidney))))
    service = referral.get("service")
    related = [s for s in plan.get("supportive") or [] if service in referrals_for(s, [referral])]
    if related:
        findings.append(
            (
                "Problems",
                "; ".join(
                    f"{text(say('problem', item.get('problem')))} {severity_words(item, symptoms)}"
                    for item in related
                ),
            )
        )
    for alert in plan.get("alerts") or []:  # critical only: a slip is one page, not the plan
        if critical_for(alert, str(service or "")):
            findings.append(
                (text(LEVELS[alert["level"]]), text(clinician_words(alert.get("message"))))
            )
    return findings


def referral_slip(
    plan: Mapping[str, Any],
    referral: Mapping[str, Any],
    patient: Mapping[str, Any],
    clinic: Mapping[str, Any],
    width: float,
    symptoms: Mapping[str, Any] | None = None,
) -> list[Flowable]:
    st = styles.slip_styles()
    service = referral.get("service", "")
    urgency = referral.get("urgency", "")
    to = SERVICES.get(service, words(service))
    urgent = urgency == Urgency.SAME_DAY
    contact = text(clinic.get("phone") or "") or f"phone {WRITE_IN}"
    out_of_hours = text(clinic.get("out_of_hours_phone") or "") or WRITE_IN
    contact += f" (out of hours {out_of_hours})"
    assessed = patient.get("assessed_on") or plan.get("assessed_on")
    pairs = [
        ("To", f"<b>{text(to)}</b>"),
        ("From", text(clinic.get("name") or "") or WRITE_IN),
        (
            "Patient",
            f"<b>{text(patient_name(patient))}</b> · MRN {text(patient.get('mrn') or '–')} · "
            f"born {text(date(patient.get('birth_date'), date_format_of(clinic)))}",
        ),
        ("Date", text(date(assessed, date_format_of(clinic)))),
        ("Urgency", f"<b>{text(URGENCY.get(urgency, words(urgency)))}</b>"),
        ("Contact", contact),
    ]
    story: list[Flowable] = [
        para(f"Referral to {text(to)}", st.title),
        key_values(pairs, width, st, columns=1),
        para("Reason for referral", st.h1),
    ]
    story += [
        para(text(reason_in_words(str(r))), st.bullet, bulletText="•")
        for r in referral.get("reasons") or ["(not given)"]
    ]
    story.append(para("Key findings", st.h1))
    story.append(
        key_values(_key_findings(plan, referral, symptoms), width, st, columns=1, label_share=0.2)
    )
    sources = plan.get("sources") if isinstance(plan.get("sources"), Mapping) else None
    story.append(para(f"Based on: {inline(referral.get('basis'), sources)}", st.note))
    decision = plan_course(plan).decision  # the plan as decided is signed by who decided it
    signed = (
        ["", "", ""]
        if decision is None
        else [
            text(decision.decided_by),
            "",
            text(moment(decision.decided_at, date_format_of(clinic))),
        ]
    )
    sign = grid(
        [["Referred by (name, role)", "Signature", "Date"], signed],
        [width * 0.45, width * 0.3, width * 0.25],
        st,
        row_heights=[None, 30],
    )
    story.append(KeepTogether([Spacer(1, 8), para("Referring clinician", st.h1), sign]))
    extra = [("BACKGROUND", (0, 0), (-1, -1), styles.CRITICAL_BG)] if urgent else []
    reply = grid(
        [
            [
                "For the receiving service: seen on ________________  by ________________  "
                f"Please send a note back to {text(clinic.get('name') or 'the referring clinic')}."
            ]
        ],
        [width],
        st,
        header=False,
        extra=extra,
    )
    story += [Spacer(1, 10), reply]
    return story


def referral_slips(
    plan: Mapping[str, Any],
    patient: Mapping[str, Any],
    clinic: Mapping[str, Any],
    width: float,
    *,
    first: bool = False,
    symptoms: Mapping[str, Any] | None = None,
) -> list[Flowable]:
    """A slip per referral, each starting a new page on the slip template."""
    story: list[Flowable] = []
    if first and not plan.get("referrals"):  # the slips alone were asked for: say so
        return [
            para("Referral slips", styles.slip_styles().title),
            para("This plan makes no referrals.", styles.slip_styles().body),
        ]
    for i, referral in enumerate(plan.get("referrals") or []):
        if not (first and i == 0):
            story += [NextPageTemplate("slip"), PageBreak()]
        story += referral_slip(plan, referral, patient, clinic, width, symptoms)
    return story
