"""Her allergies and current medicines as each printed part says them (contract §2a, issue 20).

A severe diclofenac allergy entered in the wizard was printed nowhere (walk 16d): the plan
printed an allergy only when it matched a suggested drug. Every part now lists every recorded
allergy, matched or not, from the plan's `allergies` and `allergies_recorded`:

- the clinician's decision page, its own line under the patient ("Allergies: diclofenac — rash
  and lip swelling (severe)"), and the current-medicines section;
- every referral slip (allergies), and the slips of the services that prescribe, give or advise
  on medicines (her current medicines too: `MEDICINE_SERVICES`, docs/decisions.md);
- the family booklet, in plain words ("Your allergies we know of: diclofenac").

Rule 2: "no known drug allergies" is printed only when it was recorded as such (an empty list);
nothing recorded is "not recorded", and a plan kept before these keys existed says so.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from reportlab.platypus import Flowable

from planner.domain.as_recorded import (
    ALLERGIES_NOT_RECORDED,
    LISTED,
    NO_KNOWN_ALLERGIES,
    NONE_TAKEN,
    NOT_RECORDED,
    RECORDED_WORDS,
    allergy_line,
    names_an_allergy,
    recorded_contradictions,
    state_words,
)
from planner.domain.plan_document import (
    Intervention,
    Medication,
    PlanDocument,
    RecordedAllergy,
    SupportiveItem,
)
from planner.reports import styles
from planner.reports.formatting import number, text
from planner.reports.tables import boxed, para

#: a plan kept before the plan carried her allergies: the print cannot say, and says so
NOT_IN_THIS_PLAN = "not in this kept plan (made before allergies were printed): see her assessment"

#: the services whose slip lists her current medicines beside her allergies: those that
#: prescribe, give or advise on medicines (docs/decisions.md, issue 20). Every slip lists her
#: allergies: a physiotherapist may apply a diclofenac gel, a dietitian suggest a supplement.
MEDICINE_SERVICES = frozenset(
    {
        "pharmacist",
        "palliative_care",
        "oncology",
        "psychiatry",
        "hepatology",
        "interventional_radiology",
    }
)


def _line(allergy: RecordedAllergy, *, bold_severe: bool, contradiction: str | None = None) -> str:
    if contradiction is not None:
        # never "no known drug allergies" as a fact beside her allergies (walk23 HARM 3)
        said = contradiction[:1].upper() + contradiction[1:]
        return f"<b>{text(said)}</b>"
    line = text(allergy_line(allergy.written, allergy.reaction, allergy.severity))
    if allergy.kind == "several" or allergy.not_read or allergy.negation is not None:
        # each substance it names, the parts not read, a "no …" to check: the wizard's words
        # (planner.domain.as_recorded.state_words); never "not a drug the program knows" for a
        # line whose drugs it knows (recheck21 N1b)
        named = [s.substance for s in allergy.substances]
        words = state_words(allergy.written, named, allergy.not_read, allergy.negation)
        line += " (" + text(words) + ")"
    elif allergy.kind == "other":
        line += " (not read: not a drug or class the program knows; not checked against the plan)"
    elif allergy.kind == "class":
        line += " (a drug class: every drug of it is checked)"
    elif allergy.kind == "excipient":
        line += " (an excipient: every drug formulated with it is checked)"
    elif allergy.kind == "drug" and allergy.substance and _said_otherwise(allergy):
        # a brand or another spelling: what it was checked as, as the wizard said (walk23 #24)
        line += " (checked: " + text(allergy.substance.replace("_", " ")) + ")"
    return f"<b>{line}</b>" if bold_severe and allergy.severity == "severe" else line


def allergies_words(plan: PlanDocument, *, bold_severe: bool = False, short: bool = False) -> str:
    """Every recorded allergy in one line ("diclofenac — rash and lip swelling (severe); …"),
    or "No known drug allergies", or "not recorded (…)" (markup escaped). `short`: a slip's
    half sheet says "not recorded" without the reminder."""
    allergies, recorded = plan.allergies, plan.allergies_recorded
    if allergies:
        against = recorded_contradictions(allergies)
        return "; ".join(
            _line(a, bold_severe=bold_severe, contradiction=against.get(i))
            for i, a in enumerate(allergies)
        )
    if recorded == NONE_TAKEN:
        return NO_KNOWN_ALLERGIES
    if recorded in (NOT_RECORDED, LISTED):  # listed but none readable: not said as none
        return "not recorded" if short else text(ALLERGIES_NOT_RECORDED)
    return text(NOT_IN_THIS_PLAN)


def allergies_line(plan: PlanDocument, width: float) -> list[Flowable]:
    """The decision page's own line of her allergies, boxed in red when any is recorded."""
    st = styles.clinician_styles()
    line = para(f"<b>Allergies:</b> {allergies_words(plan, bold_severe=True)}", st.body)
    if not plan.allergies:
        return [line]
    return [boxed([line], width, border=styles.CRITICAL, background=styles.CRITICAL_BG, padding=3)]


def medicines_words(plan: PlanDocument) -> str:
    """Her current medicines and remedies in one line for a slip: as recorded (name, dose,
    route, how often), with the plan's action where it is not "continue" (markup escaped)."""
    if not plan.medications:
        recorded = plan.medications_recorded
        if recorded in RECORDED_WORDS:
            return text(RECORDED_WORDS[str(recorded)])
        return text("not in this kept plan: see her assessment")
    return "; ".join(_medicine(m) for m in plan.medications)


def _medicine(row: Medication) -> str:
    name = row.drug or "?"
    if row.kind == "remedy":
        said = f"{name} (remedy)"
    else:
        parts = [name]
        if row.dose is not None:
            parts.append(f"{number(row.dose.value)} {row.dose.unit}".strip())
        parts += [str(v) for v in (row.route, row.frequency) if v]
        said = " ".join(parts)
    if row.action and row.action != "continue":
        said += f" (plan: {row.action})"
    return text(said)


def slip_rows(plan: PlanDocument, service: str) -> list[tuple[str, str]]:
    """The slip's "Allergies" row; for a service that prescribes, her current medicines in the
    same row (a row of its own pushed short slips past half a sheet)."""
    allergies = allergies_words(plan, bold_severe=True, short=True)
    if service not in MEDICINE_SERVICES:
        return [("Allergies", allergies)]
    return [
        (
            "Allergies, medicines",
            f"<b>Allergies:</b> {allergies} · <b>Current medicines:</b> {medicines_words(plan)}",
        )
    ]


def booklet_sentences(plan: PlanDocument) -> list[str]:
    """Her allergies in plain words for the family booklet: only those recorded (the booklet is
    short; "none" and "not recorded" are the clinician's page's to say)."""
    allergies = plan.allergies
    against = recorded_contradictions(allergies)
    said = [_booklet_words(a) for i, a in enumerate(allergies) if i not in against]
    names = ", ".join(w for w in said if w)
    out = []
    if against:
        # a "no known drug allergies" line beside real ones is never told to the family as a
        # fact (walk23 HARM 3): the clinician's page names the contradiction to resolve
        out.append(
            "<b>Your allergy list has a line that does not agree with the others: your nurse "
            "or doctor will check it with you.</b>"
        )
    if not names:
        return out
    return [
        *out,
        f"<b>Your allergies we know of: {text(names)}.</b> Tell every doctor, nurse and "
        "pharmacist before you take a new medicine.",
    ]


def _said_otherwise(allergy: RecordedAllergy) -> bool:
    """The line was written as something other than the drug it was read as (a brand)."""
    written = " ".join(allergy.written.lower().split())
    substance = (allergy.substance or "").replace("_", " ")
    return bool(substance) and substance not in written


def _booklet_words(allergy: RecordedAllergy) -> str:
    """One allergy for the family: as written; a line the program could not read says so
    (rule 6 on every printed page: never a checked look for an unchecked line)."""
    if allergy.negation is not None and not names_an_allergy(allergy):
        return ""  # "no known …" alone: the clinician's page says what it is
    if allergy.kind == "other" or (allergy.not_read and not names_an_allergy(allergy)):
        # said to the family as what to do, not as something lost (walk24 #7: "which program?
        # did the doctor not see it?"); the clinician's page says the program did not check it
        return (
            f"{allergy.written} (not checked by the computer: tell every doctor, nurse and "
            "pharmacist about it before you take a new medicine)"
        )
    return allergy.written


def allergic_suggested(plan: PlanDocument) -> frozenset[str]:
    """The suggested drugs the plan found she is allergic to, to the drug, its class or a
    cross-reactive class (its `medication_findings` of kind "allergy", planner.domain.medicines)."""
    found: set[str] = set()
    for finding in plan.medication_findings:
        if finding.kind == "allergy":
            found.update(d for d in finding.suggested if d)
    for allergy in plan.allergies:  # a drug named as such, matched or not
        if allergy.kind == "drug" and allergy.substance:
            found.add(allergy.substance)
        # each drug of a line naming several
        found.update(s.substance for s in allergy.substances if s.kind == "drug" and s.substance)
    return frozenset(found)


def without_allergic_advice(plan: PlanDocument) -> PlanDocument:
    """The plan as printed: no supportive row that names a drug she is allergic to is printed as
    advice (nurse walk: "if you take olanzapine …" beside an olanzapine allergy). The row, its
    text and its words for the family are left out of every printed part; the allergy finding
    and the drug_allergy alert say why it is not given."""
    allergic = allergic_suggested(plan)
    if not allergic:
        return plan
    printed = tuple(_without_drugs(item, allergic) for item in plan.supportive)
    return dataclasses.replace(plan, supportive=printed)


def _without_drugs(item: SupportiveItem, allergic: frozenset[str]) -> SupportiveItem:
    """The item without the advice details that name one of `allergic`, and without their text
    and words for the family where no detail kept says the same."""
    details = item.intervention_details
    dropped = [d for d in details if allergic & set(d.drugs)]
    if not dropped:
        return item
    kept = tuple(d for d in details if d not in dropped)
    gone_texts = {d.text for d in dropped} - {d.text for d in kept}
    gone_patient = _patient_texts(dropped) - _patient_texts(kept)
    return dataclasses.replace(
        item,
        intervention_details=kept,
        interventions=tuple(t for t in item.interventions if t not in gone_texts),
        patient_text=tuple(t for t in item.patient_text if t not in gone_patient),
    )


def _patient_texts(details: Iterable[Intervention]) -> set[str]:
    """Every patient-facing sentence of these advice details."""
    return {d.patient_text for d in details if d.patient_text is not None}
