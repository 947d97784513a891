"""The paper assessment form as data: its parts in the wizard's order, each field with the
wizard's path and label (planner.domain.assessment_wording), and what was recorded last time.

The patient's parts (ESAS-r, distress thermometer, PHQ-9, GAD-7, questionnaire answers by item
number) come first, so they can be torn off and handed over; the nurse's parts follow. Within
each, parts and fields keep the wizard's order, so the nurse types the form top to bottom.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from planner.domain import assessment_wording as w
from planner.domain.case import ESAS_ITEMS
from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date
from planner.domain.instruments.inputs import FACT_B_ITEMS, QLQ_C30_ITEMS
from planner.domain.plan_words import unit_words

PATIENT = "patient"
NURSE = "nurse"
#: blank lines to write on: medicines, allergies, remedies
MEDICINE_LINES = 6
ALLERGY_LINES = 3
REMEDY_LINES = 2


@dataclass(frozen=True)
class FormField:
    """One line of the form. `kind`: "scale" (tick one of low..high), "choice" (tick one of
    `choices`), "ticks" (tick any of `choices`), "lab" (value, tick a unit), "date", "item"
    (a questionnaire item by number: low..high), "number" (a value in `units[0]`), "list"
    (`rows` blank lines under the column heads `choices`; `stated_empty`: the box to tick for
    an empty list that is an answer, "she takes no regular medicines")."""

    path: str
    label: str
    kind: str
    low: int = 0
    high: int = 10
    choices: tuple[str, ...] = ()
    #: "lab": the units to tick, the clinic's usual one first, and the clinic's ULN in that unit
    units: tuple[str, ...] = ()
    takes_uln: bool = False
    clinic_uln: float | None = None
    rows: int = 0
    stated_empty: str = ""


@dataclass(frozen=True)
class FormPart:
    step: int  # the wizard step this part is typed into (1-based)
    step_title: str
    title: str
    audience: str  # PATIENT or NURSE
    fields: tuple[FormField, ...]
    intro: str = ""
    credit: str = ""


@dataclass(frozen=True)
class LabLine:
    """What the form needs of a lab test: its units (the clinic's usual one first) and the
    clinic's ULN in that first unit."""

    name: str
    units: tuple[str, ...]
    takes_uln: bool
    clinic_uln: float | None


def step_number(key: str) -> int:
    return [k for k, _ in w.WIZARD_STEPS].index(key) + 1


def _step(key: str) -> tuple[int, str]:
    return step_number(key), w.STEP_TITLES[key]


def form_parts(labs: Sequence[LabLine]) -> tuple[FormPart, ...]:
    """Every part of the form: the patient's first, then the nurse's, each in wizard order."""
    by_name = {lab.name: lab for lab in labs}
    esas = (
        *(
            FormField(f"symptoms.esas.{key}", w.plain(w.ESAS_LABELS[key]), "scale")
            for key in ESAS_ITEMS
        ),
        FormField("symptoms.esas.other", w.plain(w.ESAS_OTHER), "scale"),
    )
    frequency = tuple(f"{score} {text}" for score, text in w.FREQUENCY)
    psychosocial = (
        FormField("psychosocial.distress_thermometer", w.plain(w.DISTRESS_LABEL), "scale"),
        FormField(
            "psychosocial.problems",
            w.plain(w.DISTRESS_PROBLEMS_LABEL),
            "ticks",
            choices=tuple(w.plain(label) for label in w.PROBLEM_AREA_LABELS.values()),
        ),
    )
    phq9 = tuple(
        FormField(f"psychosocial.phq9[{i}]", f"{i + 1}. {text}", "choice", choices=frequency)
        for i, text in enumerate(w.PHQ9_ITEMS)
    )
    gad7 = tuple(
        FormField(f"psychosocial.gad7[{i}]", f"{i + 1}. {text}", "choice", choices=frequency)
        for i, text in enumerate(w.GAD7_ITEMS)
    )

    def items(key: str, codes: Mapping[str, tuple[int, int]]) -> tuple[FormField, ...]:
        return tuple(
            FormField(f"qol.{key}.{code}", code.lstrip("q"), "item", low, high)
            for code, (low, high) in codes.items()
        )

    lab_fields = (
        FormField("labs.drawn_on", w.plain(w.LABS_DRAWN_ON), "date"),
        *(
            FormField(
                f"labs.{name}",
                w.plain(label),
                "lab",
                units=by_name[name].units,
                takes_uln=by_name[name].takes_uln,
                clinic_uln=by_name[name].clinic_uln if by_name[name].takes_uln else None,
            )
            for name, label in w.LAB_ROWS
            if name in by_name
        ),
    )
    body = (
        FormField("patient.birth_date", w.plain(w.BIRTH_DATE_LABEL), "date"),
        FormField("body.height_cm", w.plain(w.HEIGHT_LABEL), "number", units=("cm",)),
        FormField("body.weight_kg", w.plain(w.WEIGHT_LABEL), "number", units=("kg",)),
    )
    medicines = (
        FormField(
            "medications",
            w.MEDICINES_TITLE,
            "list",
            choices=w.MEDICINE_COLUMNS,
            rows=MEDICINE_LINES,
            stated_empty=w.plain(w.NO_MEDICINES_LABEL),
        ),
        FormField(
            "allergies",
            w.ALLERGIES_TITLE,
            "list",
            choices=w.ALLERGY_COLUMNS,
            rows=ALLERGY_LINES,
            stated_empty=w.plain(w.NO_ALLERGIES_LABEL),
        ),
        FormField(
            "herbal_or_traditional",
            w.REMEDIES_TITLE,
            "list",
            choices=("One a line, in words",),
            rows=REMEDY_LINES,
        ),
    )
    function = (
        FormField(
            "clinical.ecog",
            w.plain(w.ECOG_LABEL),
            "choice",
            choices=tuple(text for _, text in w.ECOG_LEVELS),
        ),
        FormField("function.pps_percent", w.plain(w.PPS_LABEL), "scale", 0, 100),
    )
    return (
        FormPart(
            *_step("symptoms"),
            "ESAS-r: how you feel now",
            PATIENT,
            esas,
            "Circle or tick the number that best describes how you feel NOW. "
            "0 means none, 10 means the worst possible.",
            w.ESAS_ISSUER,
        ),
        FormPart(
            *_step("psychosocial"),
            w.DISTRESS_TITLE,
            PATIENT,
            psychosocial,
            "How much distress have you felt in the past week, including today? "
            "0 means no distress, 10 means extreme distress. Then tick any areas that worry you.",
            w.DISTRESS_ISSUER,
        ),
        FormPart(
            *_step("psychosocial"),
            "PHQ-9",
            PATIENT,
            phq9,
            "Over the last 2 weeks, how often have you been bothered by any of the following "
            "problems? Tick one box on each line.",
            w.PHQ_GAD_ISSUER,
        ),
        FormPart(
            *_step("psychosocial"),
            "GAD-7",
            PATIENT,
            gad7,
            "Over the last 2 weeks, how often have you been bothered by the following "
            "problems? Tick one box on each line.",
            w.PHQ_GAD_ISSUER,
        ),
        FormPart(
            *_step("qol"),
            w.plain(w.QLQ_C30_TITLE),
            PATIENT,
            items("qlq_c30", QLQ_C30_ITEMS),
            "Only if you were given the EORTC QLQ-C30 questionnaire: copy the number you "
            "circled for each question here.",
            "EORTC QLQ-C30 © EORTC Quality of Life Group: questions are on the licensed "
            "questionnaire, not reproduced here.",
        ),
        FormPart(
            *_step("qol"),
            w.plain(w.FACT_B_TITLE),
            PATIENT,
            items("fact_b", FACT_B_ITEMS),
            "Only if you were given the FACT-B questionnaire: copy the number you circled "
            "for each item code here.",
            "FACT-B © FACIT.org: questions are on the licensed questionnaire, not reproduced here.",
        ),
        # what the wizard asks at steps 1 and 4, which the nurse copied from elsewhere (walk 21
        # F11): birth date, height and weight; medicines, allergies and remedies
        FormPart(*_step("patient"), w.STEP_TITLES["patient"], NURSE, body),
        FormPart(
            *_step("labs"),
            "Labs",
            NURSE,
            lab_fields,
            "Write each value and tick its unit. Write the lab's own ULN when the report "
            "gives one; the clinic's ULN is used only when it is blank.",
        ),
        FormPart(
            *_step("medicines"),
            w.STEP_TITLES["medicines"],
            NURSE,
            medicines,
            "As on the label or the prescription: the medicine by its international name "
            "(not the brand), dose, unit, route and how often.",
        ),
        FormPart(*_step("nutrition"), w.FUNCTION_TITLE, NURSE, function),
    )


def value_at(document: Mapping[str, Any] | None, path: str) -> Any:
    """The value at a wizard path ("psychosocial.phq9[3]", "labs.alt") of a case document."""
    node: Any = document
    for part in path.split("."):
        index = None
        if part.endswith("]") and "[" in part:
            part, raw = part[:-1].split("[", 1)
            index = int(raw)
        node = node.get(part) if isinstance(node, Mapping) else None
        if index is not None:
            node = node[index] if isinstance(node, list) and index < len(node) else None
        if node is None:
            return None
    return node


@dataclass(frozen=True)
class PaperForm:
    """A form to print: blank when `last_on` is None, else with last time's values to check."""

    parts: tuple[FormPart, ...]
    clinic: str = ""
    patient: str = ""  # name as the record holds it; blank on a blank form
    mrn: str = ""
    last_on: str = ""  # the last assessment's date, shown in the clinic's format
    #: path -> last time's value in words (only recorded values)
    last_values: Mapping[str, str] | None = None


def shown_value(field: FormField, value: Any, date_format: str = DEFAULT_DATE_FORMAT) -> str:
    """Last time's value in the words the form prints ("" when nothing was recorded)."""
    if value is None:
        return ""
    if field.kind == "date":
        return show_date(str(value), date_format)
    if field.kind == "number" and isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g} {field.units[0]}" if field.units else f"{value:g}"
    if field.kind == "list" and isinstance(value, list):
        if not value:  # an answer: she takes none, no known allergies
            return field.stated_empty.lower() or "none"
        return "; ".join(t for t in (_list_line(field.path, item) for item in value) if t)
    if field.kind == "lab" and isinstance(value, Mapping):
        if value.get("value") is None:
            return ""
        out = f"{value['value']:g}" if isinstance(value["value"], float) else str(value["value"])
        unit = value.get("unit")
        if unit:
            out += f" {unit_words(unit)}"
        if value.get("uln") is not None:
            out += f" (lab's ULN {value['uln']:g})"
        return out
    if field.path == "symptoms.esas.other" and isinstance(value, Mapping):
        name, score = value.get("name"), value.get("score")
        if name is None and score is None:
            return ""
        return f"{name or 'unnamed'}: {'' if score is None else score}".rstrip(": ")
    if field.kind == "ticks" and isinstance(value, list):
        named = [w.plain(w.PROBLEM_AREA_LABELS.get(str(k), str(k))) for k in value]
        return ", ".join(named) if named else "none ticked"
    if field.kind == "choice" and field.path == "clinical.ecog":
        return dict(w.ECOG_LEVELS).get(value, str(value))
    if field.kind == "choice" and isinstance(value, int) and value in dict(w.FREQUENCY):
        return f"{value} {dict(w.FREQUENCY)[value]}"
    if field.kind == "scale" and field.high == 100 and isinstance(value, int | float):
        return f"{value:g} %"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _list_line(path: str, item: Any) -> str:
    """One medicine, allergy or remedy as the form prints it to check ("paracetamol 650 mg oral
    three times daily", "paclitaxel — flushing (severe)")."""
    if not isinstance(item, Mapping):
        return "" if item is None else str(item)
    if path == "allergies":
        said = str(item.get("substance") or "")
        if item.get("reaction"):
            said += f" — {item['reaction']}"
        return said + (f" ({item['severity']})" if item.get("severity") else "")
    given = item.get("dose")
    dose: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    amount = dose.get("value")
    parts = [
        item.get("drug"),
        f"{amount:g}" if isinstance(amount, float) else amount,
        dose.get("unit"),
        item.get("route"),
        item.get("frequency"),
    ]
    return " ".join(str(p) for p in parts if p not in (None, ""))


def last_values(
    parts: Sequence[FormPart],
    document: Mapping[str, Any],
    date_format: str = DEFAULT_DATE_FORMAT,
) -> dict[str, str]:
    """Every recorded value of `document` (the last assessment) at the fields of the nurse's
    pages, in words. The patient's pages stay blank: they are handed over to be filled in at
    home or in the waiting room, where her family would read last time's depression and
    self-harm answers, and her old answers would anchor her new ones (walk 20 H4)."""
    out: dict[str, str] = {}
    for part in parts:
        if part.audience != NURSE:
            continue
        for field in part.fields:
            text = shown_value(field, value_at(document, field.path), date_format)
            if text:
                out[field.path] = text
    return out
