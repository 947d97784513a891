"""The one words table for the plan document's enumerations, for every screen and the printout.

No code reaches a clinician or a family as written in the JSON (`reduced_mobility`,
`within_week`, `insufficient_data`): the window (planner/ui) and the PDF (planner/reports) both
look codes up here, and a code missing from a table is still shown in words (underscores become
spaces), never raw.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from planner.domain.vocabulary import (
    AlertLevel,
    DoseStatus,
    MedicineAction,
    ProblemDomain,
    Service,
    Urgency,
)

# Each table has words for every member of its vocabulary (tests/domain/test_plan_words.py).
SERVICES: Mapping[str, str] = {
    Service.DIETITIAN: "Dietitian",
    Service.PHYSIOTHERAPY: "Physiotherapy",
    Service.PSYCHOLOGY: "Psychology",
    Service.PSYCHIATRY: "Psychiatry",
    Service.SOCIAL_WORK: "Social work",
    Service.SPIRITUAL_CARE: "Spiritual care",
    Service.PALLIATIVE_CARE: "Palliative care",
    Service.ONCOLOGY: "Oncology",
    Service.HEPATOLOGY: "Hepatology",
    Service.INTERVENTIONAL_RADIOLOGY: "Interventional radiology",
    Service.PHARMACIST: "Pharmacist",
}

URGENCY: Mapping[str, str] = {
    Urgency.SAME_DAY: "Same day",
    Urgency.WITHIN_WEEK: "Within a week",
    Urgency.ROUTINE: "Routine",
}

#: when the family booklet says a referral will be seen
URGENCY_PLAIN: Mapping[str, str] = {
    Urgency.SAME_DAY: "today",
    Urgency.WITHIN_WEEK: "within a week",
    Urgency.ROUTINE: "in the next few weeks",
}

STATUS: Mapping[str, str] = {
    DoseStatus.STANDARD: "standard",
    DoseStatus.REDUCED: "reduced",
    DoseStatus.CAUTION: "caution",
    DoseStatus.NOT_RECOMMENDED: "not recommended",
    DoseStatus.CONTRAINDICATED: "contraindicated",
    DoseStatus.INSUFFICIENT_DATA: "insufficient data",
}

DOMAINS: Mapping[str, str] = {
    ProblemDomain.PHYSICAL: "Physical",
    ProblemDomain.PSYCHOLOGICAL: "Psychological",
    ProblemDomain.FUNCTIONAL: "Functional",
    ProblemDomain.SOCIAL: "Social",
    ProblemDomain.NUTRITIONAL: "Nutritional",
}

LEVELS: Mapping[str, str] = {
    AlertLevel.CRITICAL: "CRITICAL",
    AlertLevel.WARNING: "Warning",
    AlertLevel.INFO: "Note",
}

MEDICINE_ACTIONS: Mapping[str, str] = {
    MedicineAction.CONTINUE: "Continue",
    MedicineAction.REVIEW: "Review",
    MedicineAction.CHANGE: "Change",
    MedicineAction.STOP: "Stop",
}

#: supportive problems whose name reads better than its code with spaces
PROBLEMS = {
    "reduced_mobility": "reduced mobility",
    "caregiver_strain": "caregiver strain",
    "practical_needs": "practical needs",
    "spiritual_distress": "spiritual distress",
    "weight_loss": "weight loss",
}

#: every table by the kind of code it holds (`say(kind, code)`)
TABLES = {
    "service": SERVICES,
    "urgency": URGENCY,
    "status": STATUS,
    "domain": DOMAINS,
    "level": LEVELS,
    "problem": PROBLEMS,
    "medicine_action": MEDICINE_ACTIONS,
}

#: the words table of every closed vocabulary (planner.domain.vocabulary), checked exhaustive
WORDS_OF: Mapping[type[StrEnum], Mapping[str, str]] = {
    Service: SERVICES,
    Urgency: URGENCY,
    DoseStatus: STATUS,
    ProblemDomain: DOMAINS,
    AlertLevel: LEVELS,
    MedicineAction: MEDICINE_ACTIONS,
}


def spaced(code: object) -> str:
    """`caregiver_strain` -> `caregiver strain` (the fallback for a code no table names)."""
    return "" if code is None else str(code).replace("_", " ")


def say(kind: str, code: object) -> str:
    """A plan code in words: its table's wording, else the code with spaces (never raw)."""
    if code is None:
        return ""
    return TABLES.get(kind, {}).get(str(code)) or spaced(code)


def option_title(option: Mapping[str, Any]) -> str:
    """A systemic-therapy option's name as a clinician reads it: the regimen's own name from the
    rules, else its drugs joined with "+", else the regimen code in words (never the raw id such
    as `paclitaxel_weekly`)."""
    if option.get("name"):
        return str(option["name"])
    drugs = [str(d.get("drug") or "") for d in option.get("drugs") or () if d.get("drug")]
    title = " + ".join(drugs) if drugs else spaced(option.get("regimen"))
    return title[:1].upper() + title[1:]


def field_words(path: object) -> str:
    """A case field path as words: `clinical.edema` -> `edema`, `labs.bilirubin.uln` ->
    `bilirubin ULN`, `previous_labs` -> `previous labs`."""
    parts = [p for p in str(path or "").split(".") if p]
    if not parts:
        return ""
    if (
        parts[0] in ("labs", "clinical", "body", "symptoms", "biology", "disease")
        and len(parts) > 1
    ):
        parts = parts[1:]
    return " ".join(spaced(p).replace("uln", "ULN") for p in parts)


def dose_words(value: object, unit: object) -> str:
    """A dose as a clinician writes it, on every screen: "AUC 5" (never "5 AUC"), "75 mg/m²"
    (never "mg/m2"); the print has the same forms (planner.reports.formatting.amount)."""
    shown = f"{value:g}" if isinstance(value, int | float) else str(value)
    if str(unit) == "AUC":
        return f"AUC {shown}"
    return f"{shown} {unit_words(unit)}".strip()


#: units as a clinician reads them (the case and rules keep the ASCII codes)
UNIT_SHOWN = {
    "mg/m2": "mg/m²",
    "m2": "m²",
    "umol/L": "µmol/L",
    "10^9/L": "×10⁹/L",
    "/uL": "/µL",
    "/mm3": "/mm³",
}


def unit_words(unit: object) -> str:
    """A unit as printed: "mg/m2" -> "mg/m²", "10^9/L" -> "×10⁹/L" (never "2100 10^9/L")."""
    return UNIT_SHOWN.get(str(unit or ""), str(unit or ""))
