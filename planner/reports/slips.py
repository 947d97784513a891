"""Referral slips: two to a page (one per half of an A4 or Letter sheet, a cut line between), each
written for the service the patient is sent to.

A slip is read on its own, by someone who has not seen the plan: who it is to and from, the
patient, why and how urgently (in words, each finding with its cut-off: no rule ids, no
settings' names), the key findings the
receiving service needs (in words, not class codes alone), who referred her and how to reach the
clinic, and a line to send back. The rule ids and the full sources are on the clinician section
and in the plan JSON; a slip names the documents the referral rests on, in short.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    NextPageTemplate,
    PageBreak,
)

from planner.domain.evidence import UNVERIFIED
from planner.domain.plan_document import Alert, Hepatic, Interaction, PlanDocument, Referral
from planner.domain.plan_words import LEVELS, SERVICES, URGENCY, clinician_words, say
from planner.domain.referrals import reason_in_words
from planner.domain.vocabulary import Urgency
from planner.reports import styles
from planner.reports.allergies import slip_rows
from planner.reports.citations import inline
from planner.reports.clinician_supportive import referrals_for
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
from planner.reports.plan_input import Plan, document_of
from planner.reports.tables import grid, key_values, para
from planner.reports.templates import frame_height

# Questionnaire answers about mood (PHQ-9, GAD-7 totals and bands) and the PHQ-9 item-9
# (self-harm) finding are printed only on the slips of the services that assess and treat them:
# psychology, psychiatry and palliative care, as clinicians (nurse walk, issue 16/20). The
# oncology, pharmacist, physiotherapy, dietitian and social-work slips say neither: the receiving
# service can do nothing with it but alarm, and the slip may pass through many hands.
MOOD_SERVICES = frozenset({"psychiatry", "psychology", "palliative_care"})
# A CRITICAL alert is printed on the slips of the services that act on it; the suicide-risk
# alerts only where mood details are printed (above). Any other CRITICAL alert (visceral crisis,
# severe liver impairment, encephalopathy, an allergy) is on every slip: every service handling
# her needs it.
CRITICAL_ONLY_FOR = {
    "suicide_risk": MOOD_SERVICES,
    "suicide_risk_not_assessed": MOOD_SERVICES,
}
#: a reason or alert that states mood-questionnaire answers or the self-harm item
MOOD_FINDING = re.compile(r"PHQ-?[29]|GAD-?7|item 9|self-harm|suicid", re.IGNORECASE)
#: what a slip says instead of the mood findings it does not print
MOOD_WITHHELD = (
    "Mood or anxiety questionnaire results: ask the referring clinic (not printed on this slip)"
)
#: clinic setting `family_slips_mood_details` (resources/rules/clinic_settings.toml): the slips
#: printed for the patient and family (`--audience patient`) say no questionnaire answers unless
#: the clinic chose to print them on the mood services' slips
FAMILY_SLIPS_PRINT_MOOD = "printed"
#: the problems whose severity comes from the mood questionnaires
MOOD_PROBLEMS = frozenset({"depression", "anxiety"})
#: a write-in line where a clinic setting is not set: never "From: –" or a call without a number
WRITE_IN = "______________"
#: documents named on a slip (the rest: "+N more (on the clinician section)")
SOURCES_ON_A_SLIP = 1
#: the band between the two slips of a sheet, the cut line in its middle
CUT_GAP = 8 * mm

#: a slip a little over half a sheet is set a little smaller rather than given a sheet of its
#: own, never below the clinician minimum (9 pt of the slip's 9.5 pt)
SHRINK_AT_MOST = styles.CLINICIAN_MIN_PT / 9.5

#: the subtype group in words a receiving service reads (the code kept in brackets)
SUBTYPE_WORDS = {
    "HR+/HER2-": "hormone receptor-positive, HER2-negative",
    "HER2+": "HER2-positive",
    "TNBC": "triple-negative",
}
#: the NCI-ODWG liver class in words
LIVER_WORDS = {
    "normal": "normal liver function",
    "mild": "mild liver impairment",
    "moderate": "moderate liver impairment",
    "severe": "severe liver impairment",
}
LIVER_NOT_KNOWN = "liver function class not known"


def critical_for(alert: Alert, service: str, *, mood: bool = True) -> bool:
    """True when a CRITICAL alert belongs on the slip to `service`; `mood`: the slip prints
    mood findings (`mood_details`): without it no suicide-risk line, whatever the service."""
    if alert.level != "critical":
        return False
    only = CRITICAL_ONLY_FOR.get(alert.code)
    if only is None:
        return mood or not MOOD_FINDING.search(alert.message)
    return mood and service in only


def mood_details(service: str, clinic: Mapping[str, Any], *, for_family: bool) -> bool:
    """Whether the slip to `service` prints mood-questionnaire answers and the self-harm item:
    only the mood services' slips, and on the slips the family carries only when the clinic
    chose so (clinic setting `family_slips_mood_details`)."""
    if service not in MOOD_SERVICES:
        return False
    return not for_family or clinic.get("family_slips_mood_details") == FAMILY_SLIPS_PRINT_MOOD


def reason_for_the_service(reason: str) -> str:
    """One referral reason as the receiving service reads it: no rule ids, no settings' names,
    no finding that only repeats the problem; first letter capital. The value found stays with
    the cut-off it was compared with ("item 9 ≥ 1 raises the alert", "bilirubin > 1.5 × ULN"):
    without it a slip read "bilirubin;" (walk 21 F4). An unverified marker stays (rule 6)."""
    found = reason_in_words(reason).strip()
    # "fatigue …: exercise therapy: fatigue …": a finding that only repeats the problem goes
    parts = found.split(": ")
    kept = [parts[0], *(p for p in parts[1:] if not _repeats(p, parts[0]))]
    found = ": ".join(kept)
    # the instrument's own band, not the planner's level beside it ("PHQ-9 total 16: severe"
    # read as the PHQ-9 calling 16 severe; it calls it moderately severe)
    found = _BANDED_TOTAL.sub(r"\1: \2", found)
    return found[:1].upper() + found[1:]


def _repeats(finding: str, problem: str) -> bool:
    """True when `finding` only repeats the problem, with or without its severity in brackets
    ("caregiver strain (moderate)" after "Caregiver strain"): the Problems row says it."""
    bare = re.sub(r"\s*\((?:mild|moderate|severe)\)$", "", finding.strip())
    return bare.lower() == problem.strip().lower()


#: "PHQ-9 total 16 (moderately severe): severe" -> "PHQ-9 total 16: moderately severe"
_BANDED_TOTAL = re.compile(r"((?:PHQ-9|GAD-7) total \d+) \(([a-z ]+)\): (?:mild|moderate|severe)\b")


def _care_plan(plan: PlanDocument) -> str:
    """The plan's course as the receiving service needs it: supportive care first where it leads;
    the decided treatment (by whom); a suggestion only as a suggestion; a gap never as a decision."""
    course = plan.course
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
    return f"supportive care; suggested, not yet decided: {text(regimen_title(course.option))}"


def _liver(hepatic: Hepatic | None) -> str:
    if hepatic is None:
        return text(LIVER_NOT_KNOWN)
    liver = LIVER_WORDS.get(hepatic.odwg or "", LIVER_NOT_KNOWN)
    found = []
    if hepatic.bilirubin_x_uln is not None:
        found.append(f"bilirubin {number(hepatic.bilirubin_x_uln)} × upper limit of normal")
    cp = hepatic.child_pugh
    if cp is not None:
        found.append(f"Child–Pugh {text(cp.child_class)} ({text(cp.points_words)})")
    return text(liver) + (f": {'; '.join(found)}" if found else "")


def _key_findings(
    plan: PlanDocument,
    referral: Referral,
    symptoms: Mapping[str, Any] | None = None,
    *,
    mood: bool = True,
) -> list[tuple[str, str]]:
    """(label, value) pairs: what the receiving service needs to know, in words, one line each
    where it fits. `mood`: mood findings printed (`mood_details`); without, the depression and
    anxiety problems are named without the severity their questionnaires gave."""
    findings = [("Care plan", _care_plan(plan))]  # what the plan leads with comes first
    group = (plan.subtype.group if plan.subtype else None) or "unknown"
    subtype = SUBTYPE_WORDS.get(group)
    # the cancer and the liver on one row: a half sheet has no line to spare (walk: 8 slips on
    # 7 pages)
    findings.append(
        (
            "Cancer, liver",
            "breast cancer spread to the liver, "
            + (text(subtype) if subtype else "subtype not known")
            + f"; {_liver(plan.hepatic)}",
        )
    )
    body = plan.body
    kidney_weight = []
    if body is not None and body.crcl_ml_min is not None:
        kidney_weight.append(f"creatinine clearance {number(body.crcl_ml_min, 0)} mL/min")
    if body is not None and body.weight_change_6_months_percent is not None:
        change = float(body.weight_change_6_months_percent)
        kidney_weight.append(
            f"weight {'lost' if change < 0 else 'gained'} {number(abs(change), 1)} % "
            f"({body.weight_change_words or 'over 6 months'})"
        )
    if body is not None and body.bmi is not None:
        kidney_weight.append(f"BMI {number(body.bmi, 1)}")
    if kidney_weight:
        findings.append(("Kidney, weight", text("; ".join(kidney_weight))))
    service = str(referral.service or "")
    findings += slip_rows(plan, service)  # allergies; medicines where prescribed
    related = [s for s in plan.supportive if service in referrals_for(s, [referral])]
    if related:
        findings.append(
            (
                "Problems",
                "; ".join(
                    text(say("problem", item.problem))
                    + (
                        f" {severity_words(item, symptoms, others=False)}"
                        if mood or item.problem not in MOOD_PROBLEMS
                        else ""
                    )
                    for item in related
                ),
            )
        )
    for alert in plan.alerts:  # critical only: a slip is half a page, not the plan
        if alert.level is not None and critical_for(alert, service, mood=mood):
            findings.append((text(LEVELS[alert.level]), text(_alert_on_a_slip(alert))))
    return findings


def _alert_on_a_slip(alert: Alert) -> str:
    """A CRITICAL alert's message on a slip: what it is and what to do, without the finding
    repeated after " — " (the clinician section has it whole; a half sheet has no room)."""
    message = clinician_words(alert.message)
    return message.split(" — ")[0].strip() or message


def referral_slip(
    plan: PlanDocument,
    referral: Referral,
    patient: Mapping[str, Any],
    clinic: Mapping[str, Any],
    width: float,
    symptoms: Mapping[str, Any] | None = None,
    *,
    for_family: bool = False,
) -> list[Flowable]:
    """One slip, written to fit half a page (the layout shrinks it to fit if it must).
    `for_family`: printed for the patient and family to carry (`--audience patient`)."""
    st = styles.slip_styles()
    service = str(referral.service or "")
    mood = mood_details(service, clinic, for_family=for_family)
    urgency = str(referral.urgency or "")
    to = SERVICES.get(service, words(service))
    urgent = urgency == Urgency.SAME_DAY
    shape = date_format_of(clinic)
    clinic_name = text(clinic.get("name") or "") or WRITE_IN
    phone = text(clinic.get("phone") or "") or WRITE_IN
    out_of_hours = text(clinic.get("out_of_hours_phone") or "") or WRITE_IN
    assessed = patient.get("assessed_on") or plan.assessed_on
    decision = plan.decision  # the plan as decided is signed by who decided it
    urgency_words = text(URGENCY.get(urgency, words(urgency)))
    story: list[Flowable] = [
        para(f"Referral to {text(to)} · {urgency_words}", st.title),
        para(
            f"<b>Patient:</b> {text(patient_name(patient))} · MRN "
            f"{text(patient.get('mrn') or '–')} · born "
            f"{text(date(patient.get('birth_date'), shape))} · assessed "
            f"{text(date(assessed, shape))}",
            st.body,
        ),
        para(f"<b>From:</b> {clinic_name} · phone {phone} · out of hours {out_of_hours}", st.body),
        para("Why we are referring her", st.h1),
    ]
    story += [
        para(_marked(text(reason)), st.bullet, bulletText="•")
        for reason in slip_reasons(plan, referral, mood=mood)
    ]
    story.append(para("What you need to know", st.h1))
    story.append(
        key_values(
            _key_findings(plan, referral, symptoms, mood=mood),
            width,
            st,
            columns=1,
            label_share=0.17,
            tight=True,
        )
    )
    story.append(
        para(
            "Based on: "
            + inline(referral.basis, plan.sources, SOURCES_ON_A_SLIP)
            .replace("confirm locally", "")
            .replace(" — )", ")")
            .replace(" (on the clinician section)", ""),
            st.note,
        )
    )
    by = text(decision.decided_by) if decision is not None else "____________________"
    on = text(moment(decision.decided_at, shape)) if decision is not None else "__________"
    # the clinic is named on the From line: the reply line fits one line whatever its name
    reply = (
        "<b>For the receiving service:</b> seen on ____________ by ____________. Please send a "
        "note back to the referring clinic."
    )
    extra = [("BACKGROUND", (0, 1), (-1, 1), styles.CRITICAL_BG)] if urgent else []
    story.append(
        grid(
            [[f"<b>Referred by</b> {by} · date {on} · signature"], [reply]],
            [width],
            st,
            header=False,
            extra=extra,
            row_heights=[20, None],
        )
    )
    return story


def _marked(reason: str) -> str:
    """The short unverified marker in the clinician section's red bold (rule 6)."""
    return reason.replace(
        SHORT_UNVERIFIED, f' <font color="{styles.CRITICAL_MARKUP}"><b>(unverified)</b></font>'
    )


def slip_reasons(plan: PlanDocument, referral: Referral, *, mood: bool) -> list[str]:
    """The referral's reasons as the slip says them: in words (`reason_for_the_service`); an
    interaction reason names the pairs only (the explanations are the clinician section's); a
    mood finding, where the slip prints none (`mood_details`), is said once as withheld."""
    reasons = list(referral.reasons)
    rules = list(referral.rules)
    out: list[str] = []
    for index, reason in enumerate(reasons):
        rule = rules[index] if index < len(rules) and len(rules) == len(reasons) else ""
        if not mood and MOOD_FINDING.search(reason):
            if MOOD_WITHHELD not in out:
                out.append(MOOD_WITHHELD)
            continue
        said = reason_for_the_service(reason)
        if rule == INTERACTION_RULE and plan.interactions:
            said = _interaction_pairs(said, plan.interactions)
        out.append(said.replace(UNVERIFIED, SHORT_UNVERIFIED))
    return out or ["(not given)"]


#: the unverified marker on a half sheet (rule 6: still said, in fewer words)
SHORT_UNVERIFIED = " (unverified)"
#: the referral rule whose reason lists every interaction in full
INTERACTION_RULE = "sup.ref.pharmacist.interaction"


def _interaction_pairs(said: str, interactions: Sequence[Interaction]) -> str:
    """ "…interacts with …: rifampicin with everolimus: <explanation>; …" -> the pairs alone,
    each with its unverified marker (rule 6); the reason's own words first."""
    head = said.split(": ")[0]
    pairs = []
    for flag in interactions:
        pair = f"{', '.join(flag.supportive)} with {', '.join(flag.with_drugs)}"
        if UNVERIFIED.strip() in (flag.message or ""):
            pair += UNVERIFIED
        pairs.append(pair)
    if not pairs:
        return said
    return f"{head}: {'; '.join(pairs)} (each explained in the evidence appendix)"


class CutLine(Flowable):
    """A dashed line across the frame between the two slips of a sheet, to cut along."""

    def __init__(self, height: float) -> None:
        super().__init__()
        self.height = height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        return availWidth, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setStrokeColor(styles.MUTED)
        canv.setLineWidth(0.6)
        canv.setDash(4, 3)
        canv.line(0, self.height / 2, self.width, self.height / 2)
        canv.setFillColor(styles.MUTED)
        canv.setFont(styles.FONT, styles.CLINICIAN_MIN_PT)
        canv.drawRightString(self.width, self.height / 2 + 2, "cut here")
        canv.restoreState()


class HalfSheet(Flowable):
    """One slip in exactly half the frame's height, its content at the top: the cut line falls
    in the same place on every sheet. Content that would run over is shrunk to fit (it was
    measured to fit before it was put here; this only guards the last point or two)."""

    def __init__(self, content: list[Flowable], height: float) -> None:
        super().__init__()
        self.height = height
        self.content = KeepInFrame(0, height, content, mode="shrink")

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.content_size = self.content.wrapOn(self.canv, availWidth, self.height)
        return availWidth, self.height

    def draw(self) -> None:
        self.content.drawOn(self.canv, 0, self.height - self.content_size[1])


def slip_height(slip: list[Flowable], width: float) -> float:
    """The height `slip` takes at `width` (measured on a scratch canvas: the page's own does
    not exist yet)."""
    canv = Canvas(io.BytesIO())
    return sum(f.wrapOn(canv, width, 1e6)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in slip)


def referral_slips(
    plan: Plan,
    patient: Mapping[str, Any],
    clinic: Mapping[str, Any],
    width: float,
    *,
    first: bool = False,
    symptoms: Mapping[str, Any] | None = None,
    for_family: bool = False,
) -> list[Flowable]:
    """`for_family`: the slips of the patient-and-family print (see `mood_details`).

    The slips, two to a sheet (a half each, a cut line between), in the plan's order. A slip
    too long for half a sheet (a pharmacist's list of interactions) has a sheet of its own after
    the others, never split across the cut line: each half goes to a different service."""
    st = styles.slip_styles()
    plan = document_of(plan)
    if first and not plan.referrals:  # the slips alone were asked for: say so
        return [
            para("Referral slips", st.title),
            para("This plan makes no referrals.", st.body),
        ]
    half = (frame_height("slip", width) - CUT_GAP) / 2
    story: list[Flowable] = [] if first else [NextPageTemplate("slip"), PageBreak()]
    slips = [
        referral_slip(plan, referral, patient, clinic, width, symptoms, for_family=for_family)
        for referral in plan.referrals
    ]
    fits = [slip_height(slip, width) * SHRINK_AT_MOST <= half for slip in slips]
    on_top = True  # the next slip starts a sheet
    for slip in (slip for slip, fit in zip(slips, fits, strict=True) if fit):
        story += [HalfSheet(slip, half)] + ([CutLine(CUT_GAP)] if on_top else [PageBreak()])
        on_top = not on_top
    # the long ones after the halves, so no half sheet is left empty before one
    for slip in (slip for slip, fit in zip(slips, fits, strict=True) if not fit):
        if not on_top:  # the bottom half of the last sheet stays empty
            story.append(PageBreak())
        story += [KeepInFrame(0, 0, slip, mode="shrink"), PageBreak()]
        on_top = True
    while story and isinstance(story[-1], (PageBreak, CutLine)):  # no empty sheet at the end
        story.pop()
    return story
