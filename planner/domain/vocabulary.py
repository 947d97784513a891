"""The plan's closed vocabularies, one `StrEnum` each: the codes the engine writes into the plan
document and the code compares (contract §3, §3a).

A member is a `str` equal to its code, so the plan JSON is unchanged by using it, and a code read
back from JSON compares equal to the member (`urgency == Urgency.SAME_DAY`). Where the order of
the members means something it is said on the class; tables elsewhere (`URGENCIES`, `STATUSES`)
are these members' values in this order, as plain strings. Every member has words for a reader
in planner/domain/plan_words.py (a test checks it). Standard library only.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "AlertLevel",
    "DoseStatus",
    "MedicineAction",
    "ProblemDomain",
    "Service",
    "Urgency",
    "values",
]


class Urgency(StrEnum):
    """How soon a referral is needed, most urgent first."""

    SAME_DAY = "same_day"
    WITHIN_WEEK = "within_week"
    ROUTINE = "routine"


class Service(StrEnum):
    """Who a referral goes to, in the order referrals of equal urgency are listed."""

    DIETITIAN = "dietitian"
    PHYSIOTHERAPY = "physiotherapy"
    PSYCHOLOGY = "psychology"
    PSYCHIATRY = "psychiatry"
    SOCIAL_WORK = "social_work"
    SPIRITUAL_CARE = "spiritual_care"
    PALLIATIVE_CARE = "palliative_care"
    ONCOLOGY = "oncology"
    HEPATOLOGY = "hepatology"
    INTERVENTIONAL_RADIOLOGY = "interventional_radiology"
    PHARMACIST = "pharmacist"


class DoseStatus(StrEnum):
    """What the plan does with a drug's dose, least restrictive first (dose bands pick the most
    restrictive that holds)."""

    STANDARD = "standard"
    CAUTION = "caution"
    REDUCED = "reduced"
    INSUFFICIENT_DATA = "insufficient_data"
    NOT_RECOMMENDED = "not_recommended"
    CONTRAINDICATED = "contraindicated"


class ProblemDomain(StrEnum):
    """The domain a supportive-care problem belongs to, in the order the plan shows them."""

    PHYSICAL = "physical"
    PSYCHOLOGICAL = "psychological"
    FUNCTIONAL = "functional"
    SOCIAL = "social"
    NUTRITIONAL = "nutritional"


class AlertLevel(StrEnum):
    """How serious an alert is, most severe first."""

    CRITICAL = "critical"
    WARNING = "warning"
    INFO = "info"


class MedicineAction(StrEnum):
    """What to do with a medicine she already takes, in rising order of what it asks."""

    CONTINUE = "continue"
    REVIEW = "review"
    CHANGE = "change"
    STOP = "stop"


def values(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    """The members' codes in order, as plain strings (allowed values, messages, indexes)."""
    return tuple(member.value for member in vocabulary)
