"""The one words table for the plan document's enumerations, for every screen and the printout.

No code reaches a clinician or a family as written in the JSON (`reduced_mobility`,
`within_week`, `insufficient_data`): the window (planner/ui) and the PDF (planner/reports) both
look codes up here, and a code missing from a table is still shown in words (underscores become
spaces), never raw.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

SERVICES = {
    "dietitian": "Dietitian",
    "physiotherapy": "Physiotherapy",
    "psychology": "Psychology",
    "psychiatry": "Psychiatry",
    "social_work": "Social work",
    "spiritual_care": "Spiritual care",
    "palliative_care": "Palliative care",
    "oncology": "Oncology",
    "hepatology": "Hepatology",
    "interventional_radiology": "Interventional radiology",
    "pharmacist": "Pharmacist",
}

URGENCY = {"same_day": "Same day", "within_week": "Within a week", "routine": "Routine"}

STATUS = {
    "standard": "standard",
    "reduced": "reduced",
    "caution": "caution",
    "not_recommended": "not recommended",
    "contraindicated": "contraindicated",
    "insufficient_data": "insufficient data",
}

DOMAINS = {
    "physical": "Physical",
    "psychological": "Psychological",
    "functional": "Functional",
    "social": "Social",
    "nutritional": "Nutritional",
}

LEVELS = {"critical": "CRITICAL", "warning": "Warning", "info": "Note"}

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


def unit_words(unit: object) -> str:
    """A dose unit as printed: "mg/m2" -> "mg/m²"."""
    return {"mg/m2": "mg/m²", "m2": "m²"}.get(str(unit or ""), str(unit or ""))
