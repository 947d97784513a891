"""Words and numbers as printed: labels for the plan's enumerations, number formatting, escaping.

Everything here is plain Python over plain values, so the story builders stay short and the
wording is in one place. Clinician labels may use clinical terms; `PLAIN_*` tables are for the
patient booklet and keep to everyday words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

# The enumeration wording is shared with the window: one table, planner/domain/plan_words.py.
from planner.domain.dates import show_date, show_date_time
from planner.domain.plan_document import (
    AbsoluteDose,
    Amount,
    RegimenOption,
    SupportiveItem,
    read_amount,
    read_supportive,
)
from planner.domain.plan_words import DOMAINS, option_title, severity_with_cause, unit_words
from planner.domain.symptoms import UNSCORED

DOMAIN_ORDER = tuple(DOMAINS)

# Which service usually takes a problem on, when a referral does not list its problems itself.
PROBLEM_SERVICES = {
    "anorexia": ("dietitian",),
    "weight_loss": ("dietitian",),
    "depression": ("psychology", "psychiatry"),
    "anxiety": ("psychology", "psychiatry"),
    "distress": ("psychology", "psychiatry"),
    "falls": ("physiotherapy",),
    "reduced_mobility": ("physiotherapy",),
    "caregiver_strain": ("social_work",),
    "practical_needs": ("social_work",),
    "spiritual_distress": ("spiritual_care",),
    "ascites": ("interventional_radiology", "hepatology"),
    "jaundice": ("hepatology", "interventional_radiology", "oncology"),
    "pain": ("palliative_care", "pharmacist"),
    "fatigue": ("physiotherapy",),
    "breathlessness": ("palliative_care", "physiotherapy"),
}


def text(value: Any) -> str:
    """Escape any value for a reportlab Paragraph (which reads a small XML markup)."""
    plain = "" if value is None else str(value)
    return plain.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def words(code: str | None) -> str:
    """`caregiver_strain` -> `caregiver strain`."""
    return "" if code is None else str(code).replace("_", " ")


def number(value: Any, places: int = 2) -> str:
    """A number as printed: at most `places` decimals, no trailing zeros; `–` when absent."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    try:
        rounded = round(float(value), places)
    except (TypeError, ValueError):
        return str(value)
    out = f"{rounded:.{places}f}"
    if "." in out:
        out = out.rstrip("0").rstrip(".")
    return "0" if out == "-0" else out


def amount(a: Amount | AbsoluteDose | Mapping[str, Any] | None) -> str:
    """A dose as printed ("400 mg", "AUC 5"); `a` read (planner.domain.plan_document) or as
    the plan's JSON gives it; "–" for none."""
    if not a:
        return "–"
    if isinstance(a, Mapping):
        a = read_amount(a)
    u = unit_words(a.unit)
    return f"AUC {number(a.value)}" if u == "AUC" else f"{number(a.value)} {u}".strip()


def drug_title(name: str) -> str:
    return name[:1].upper() + name[1:] if name else name


def regimen_title(option: RegimenOption | Mapping[str, Any]) -> str:
    # one wording for the window and the paper (RegimenOption.title follows option_title)
    return option.title if isinstance(option, RegimenOption) else option_title(option)


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def date(value: Any, date_format: str = "iso") -> str:
    """A date as the clinic shows dates (`date_format`, the clinic setting: dd/mm/yyyy,
    dd.mm.yyyy or iso; the window and the paper agree); "–" for none."""
    d = parse_date(value)
    return show_date(d, date_format) if d else (str(value) if value else "–")


def moment(stamp: Any, date_format: str = "iso") -> str:
    """A date and time (a decision's) as the clinic shows dates, 24-hour time."""
    return show_date_time(str(stamp), date_format) if stamp else "–"


def date_format_of(clinic: Mapping[str, Any]) -> str:
    """The clinic's `date_format` carried in the printed parts' clinic lines (ISO without)."""
    return str(clinic.get("date_format") or "iso")


def patient_name(patient: Mapping[str, Any]) -> str:
    family = (patient.get("family_name") or "").strip()
    given = (patient.get("given_name") or "").strip()
    if family and given:
        return f"{family}, {given}"
    return family or given or "(name not recorded)"


def friendly_name(patient: Mapping[str, Any]) -> str:
    given = (patient.get("given_name") or "").strip()
    family = (patient.get("family_name") or "").strip()
    return " ".join(p for p in (given, family) if p) or "you"


def unique(items: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for item in items:
        seen.setdefault(item, None)
    return list(seen)


def severity_words(
    item: SupportiveItem | Mapping[str, Any],
    symptoms: Mapping[str, Any] | None,
    *,
    others: bool = True,
) -> str:
    """A supportive problem's severity as printed (markup). Where the nurse recorded the symptom
    as "no" (pruritus, jaundice, constipation), the severity is never printed as if the patient
    had it (issue 16: "no" printed as "(moderate)"): it names what it came from instead.
    `symptoms` is the case's symptoms section; `others`: False names only the finding that set
    the severity (a slip), not every finding beside it."""
    if not isinstance(item, SupportiveItem):
        item = read_supportive(item, "supportive[]")
    problem = item.problem
    # no severity: recorded as present with no score, said so (never a default band)
    severity = text(item.severity or UNSCORED)
    if not symptoms or symptoms.get(problem) is not False:
        # the findings that set it beside it, in words (walk 21 F3: "depression severe" beside
        # a moderate PHQ-9 total, its reason only in the appendix)
        return text(
            severity_with_cause(
                {"severity": item.severity, "reasons": item.reasons}, UNSCORED, others=others
            )
        )
    reasons = [r for r in item.reasons if r]
    first = reasons[0] if reasons else ""
    found = (first.split(":")[0] if ":" in first else first.split(" (")[0]).split(";")[0].strip()
    came_from = f" from {text(found)}" if found else " from other findings"
    return f"<i>recorded “no” by the nurse</i>; {severity}{came_from}"
