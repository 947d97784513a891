"""What the patient record gives back, typed: a patient in the list or a search, a trend point of
an assessment, a kept plan, an unfinished assessment (draft). Made by planner.services from the
rows planner.storage reads; the window, the CLI and the reports read these, never row dicts."""

from __future__ import annotations

from typing import Any

from planner.domain.frozen_value import frozen_value


@frozen_value
class PatientSummary:
    """One patient as the list and a search show them."""

    mrn: str
    family_name: str
    given_name: str | None
    birth_date: str | None  # ISO date
    sex: str | None
    assessments: int  # how many are stored
    last_assessed_on: str | None  # ISO date; None before the first assessment
    review_due_on: str | None  # ISO date of the next review; None: no plan gave one
    open_alerts: int  # critical alerts of her plans no one has acknowledged
    drafts: int  # unfinished assessments of hers


@frozen_value
class TrendPoint:
    """One stored assessment's indexed results, for trend charts (None where not assessed)."""

    assessment_id: int
    assessed_on: str  # ISO date
    bilirubin_x_uln: float | None
    alp_x_uln: float | None
    ecog: int | None
    esas_total: int | None
    weight_kg: float | None
    phq9_total: int | None
    distress_thermometer: int | None


@frozen_value
class StoredPlan:
    """A kept plan (never changed after it is kept): the engine's document, with the clinician's
    decision under `plan["decision"]` when it is a decided plan."""

    id: int
    assessment_id: int
    plan: dict[str, Any]  # the plan document (contract §3)
    pdf_sha256: str | None
    rules_version: str
    settings: dict[str, Any]  # the stored clinic settings it was made with
    made_by: str
    made_at: str  # the record's stamp (UTC, ISO)


@frozen_value
class Draft:
    """An unfinished assessment, saved as the nurse types."""

    id: int
    patient_id: int | None  # None: for a patient not yet in the record
    wizard_page: str
    content: dict[str, Any]  # the case document as far as it is typed
    updated_at: str
    updated_by: str
