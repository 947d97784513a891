"""The case's current medicines and drug allergies (contract §2a) in the one validator
(`planner.domain.validation`): a medication's fields, with what was typed where it was not the
INN (print24), and an allergy line read as the substances it names.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from planner.domain import case as c
from planner.domain.allergy_names import AllergyReading
from planner.domain.json_checks import Checker, Choice, Day, Number, Record, Text
from planner.domain.validation_values import AllergySubstance, MedicineName, opt, req


def _allergy(
    substance: tuple[str, AllergyReading], reaction: str | None, severity: str | None
) -> c.Allergy:
    written, reading = substance
    kind = reading.kind
    name = reading.named[0][1] if kind not in ("several", "other") else written
    return c.Allergy(
        name,
        kind,
        written,
        reaction,
        severity,
        named=reading.named,
        not_read=reading.not_read,
        negation=reading.negation,
    )


_MEDICATION_FIELDS = Record(
    {
        "drug": req(MedicineName()),
        "dose": opt(
            Record(
                {
                    "value": req(Number("medications.dose.value")),
                    "unit": req(Choice(c.MEDICATION_DOSE_UNITS)),
                },
                build=c.MedicationDose,
            )
        ),
        "route": opt(Choice(c.ROUTES)),
        "frequency": opt(Text(max_len=100)),
        "started_on": opt(Day()),
        "indication": opt(Text(max_len=200)),
        "written": opt(Text(max_len=100)),
    },
    build=c.Medication,
)


def MEDICATION(raw: Any, path: str, chk: Checker) -> Any:
    """A medication; a drug typed by another name than its INN (a brand, "Dolo 650") keeps
    what was typed as `written`, unless the document gives it (print24: the paper names the box
    she holds beside the INN)."""
    found = _MEDICATION_FIELDS(raw, path, chk)
    if not isinstance(found, c.Medication) or found.written is not None:
        return found
    typed = raw.get("drug") if isinstance(raw, dict) else None
    if not isinstance(typed, str) or " ".join(typed.split()).lower() == found.drug.lower():
        return found
    return dataclasses.replace(found, written=" ".join(typed.split()))


ALLERGY = Record(
    {
        "substance": req(AllergySubstance()),
        "reaction": opt(Text(max_len=200)),
        "severity": opt(Choice(c.ALLERGY_SEVERITIES)),
    },
    build=_allergy,
)
