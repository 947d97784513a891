"""The clinician's decision on a plan, and the plan as decided (what every printed part shows).

Why one module: the decision and the plan as decided are one concept: `check_decision` refuses
exactly what `decided_plan` could not apply (a changed dose, a held drug, an undosed option), so a
change to what a decision may hold changes both; one file keeps the check and the application in
step.

The engine suggests (its ranked options); the clinician decides (safety rule 7). A `Decision`
is one of:

- an option of the plan (the engine's first or any other), possibly with a drug's dose changed
  or a drug held, each with its reason;
- best supportive care: no systemic therapy now.

It is signed by the person who decided (`decided_by`) and kept with the plan in the record: the
engine's document stays as it was made (the suggestion) and carries the decision beside it, so
the ranking stays visible as "suggested". `decided_plan(document)` applies the decision and gives
the document the printed parts (clinician page 1, booklet, slips) are made from.

`plan_course(document)` is the one answer to "what does this plan lead with": the decided
option, best supportive care (decided, or suggested because systemic therapy was judged not
appropriate), the engine's first option (suggested, not yet decided), or nothing yet (no option
could be suggested: a gap, which is never a decision).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from planner.domain.course_scope import scope_to_course
from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date_time
from planner.domain.decision_reason import THIN_REASON, thin_reason
from planner.domain.dose_tables import regimen_line
from planner.domain.frozen_value import frozen_value
from planner.domain.plan_words import (
    STATUS,
    clinician_words,
    dose_words,
    field_words,
    joined,
    option_title,
    spaced,
)
from planner.domain.problems import InputInvalid, Problem
from planner.domain.tablets import TabletDose

COURSES = ("option", "supportive_care")
#: the case field an option can depend on while it is not recorded, and what the decider is asked
PRIOR_THERAPY = "disease.prior_therapy"
PRIOR_THERAPY_ASK = (
    "her previous cancer treatment is not recorded, and this option depends on it (the line of "
    "therapy, drugs she progressed on): record it in the assessment, or confirm she has had no "
    "previous cancer treatment"
)

#: How the family booklet speaks about the aim of the decided treatment: a per-patient choice
#: the clinician makes when deciding (issue 20), never a default. "" (not chosen): the booklet
#: uses the neutral wording and the Decide dialog asks.
AIM_WORDINGS = ("not_cure", "control", "conversation")
#: drug statuses whose dose the clinician cannot set: a label's "do not give" is a stop
#: (rule 3), and missing inputs are recorded and the plan re-made, never guessed at.
NO_DOSE_STATUSES = ("not_recommended", "contraindicated", "insufficient_data")

Course = Literal["option", "supportive_care"]
Leads = Literal["decided_option", "suggested_option", "supportive_care", "undecided"]


@frozen_value
class DoseChange:
    """The clinician's dose of one drug of the chosen option, in the unit the plan gives it."""

    drug: str
    value: float
    unit: str
    reason: str
    # who made this change and when: a later decision that keeps it (another drug held the next
    # day) keeps its own signer, never re-signs it as the later person's (empty: the decision's)
    decided_by: str = ""
    decided_at: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "drug": self.drug,
            "value": self.value,
            "unit": self.unit,
            "reason": self.reason,
        } | _signed(self)


@frozen_value
class HeldDrug:
    """A drug of the chosen option the clinician holds (not given now)."""

    drug: str
    reason: str
    decided_by: str = ""  # as DoseChange's
    decided_at: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"drug": self.drug, "reason": self.reason} | _signed(self)


def _signed(part: DoseChange | HeldDrug) -> dict[str, str]:
    return {"decided_by": part.decided_by, "decided_at": part.decided_at} if part.decided_by else {}


def signed_parts(
    decision: Decision,
) -> tuple[tuple[DoseChange | HeldDrug, str, str], ...]:
    """Each drug change of `decision` with who made it and when (its own signer, else the
    decision's)."""
    parts: tuple[DoseChange | HeldDrug, ...] = (*decision.dose_changes, *decision.held)
    return tuple(
        (part, part.decided_by or decision.decided_by, part.decided_at or decision.decided_at)
        for part in parts
    )


def sign_parts(decision: Decision) -> Decision:
    """`decision` with every drug change not yet signed signed by the decision's person and
    time (the changes kept from an earlier decision keep theirs)."""

    def signed(part: Any) -> Any:
        if part.decided_by:
            return part
        return dataclasses.replace(
            part, decided_by=decision.decided_by, decided_at=decision.decided_at
        )

    return dataclasses.replace(
        decision,
        dose_changes=tuple(signed(c) for c in decision.dose_changes),
        held=tuple(signed(h) for h in decision.held),
    )


@frozen_value
class Decision:
    course: Course
    regimen: str | None  # the chosen option's regimen id; None for best supportive care
    reason: str
    decided_by: str
    decided_at: str  # ISO date and time (minutes)
    decided_on_plan: int | None = None  # the kept plan this decision was made on
    dose_changes: tuple[DoseChange, ...] = ()
    held: tuple[HeldDrug, ...] = ()
    # the decider confirmed "no previous cancer treatment" where the assessment did not record
    # it: the options were listed on that assumption (the plan's `depends_on_unrecorded`)
    prior_therapy_confirmed_none: bool = False
    # how the booklet speaks about the aim of treatment (AIM_WORDINGS; "" = not chosen)
    aim_wording: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "course": self.course,
            "regimen": self.regimen,
            "reason": self.reason,
            "decided_by": self.decided_by,
            "decided_at": self.decided_at,
            "decided_on_plan": self.decided_on_plan,
            "dose_changes": [c.to_json() for c in self.dose_changes],
            "held": [h.to_json() for h in self.held],
            "prior_therapy_confirmed_none": self.prior_therapy_confirmed_none,
        } | ({"aim_wording": self.aim_wording} if self.aim_wording else {})

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Decision:
        return cls(
            course=data["course"],
            regimen=data.get("regimen"),
            reason=str(data.get("reason") or ""),
            decided_by=str(data.get("decided_by") or ""),
            decided_at=str(data.get("decided_at") or ""),
            decided_on_plan=data.get("decided_on_plan"),
            dose_changes=tuple(
                DoseChange(
                    str(c["drug"]),
                    float(c["value"]),
                    str(c["unit"]),
                    str(c["reason"]),
                    str(c.get("decided_by") or ""),
                    str(c.get("decided_at") or ""),
                )
                for c in data.get("dose_changes") or ()
            ),
            held=tuple(
                HeldDrug(
                    str(h["drug"]),
                    str(h["reason"]),
                    str(h.get("decided_by") or ""),
                    str(h.get("decided_at") or ""),
                )
                for h in data.get("held") or ()
            ),
            prior_therapy_confirmed_none=bool(data.get("prior_therapy_confirmed_none")),
            aim_wording=str(data.get("aim_wording") or ""),
        )


def _option(document: Mapping[str, Any], regimen: str | None) -> Mapping[str, Any] | None:
    options: Iterable[Mapping[str, Any]] = document.get("options") or ()
    for option in options:
        if option.get("regimen") == regimen:
            return option
    return None


def _drug(option: Mapping[str, Any], name: str) -> Mapping[str, Any] | None:
    drugs: Iterable[Mapping[str, Any]] = option.get("drugs") or ()
    for drug in drugs:
        if drug.get("drug") == name:
            return drug
    return None


def no_dose_reason(drug: Mapping[str, Any]) -> str:
    """Why a drug row gives no dose, in words a clinician reads (the Decide dialog and its
    refusal): for a stop (a label's "do not give"), what was found against which limit; for
    missing data, which result to record and what it could not rule out. Never a field path or a
    band's condition as the tables write it (issue 16: "record clinical.ascites (…'child_pugh in
    C'…)")."""
    name = str(drug.get("drug") or "this drug")
    status = str(drug.get("status") or "")
    warnings = [clinician_words(w) for w in drug.get("warnings") or () if w]
    if status == "insufficient_data":
        gaps: Iterable[Mapping[str, Any]] = drug.get("gaps") or ()
        fields = list(
            dict.fromkeys(
                field_words(g.get("field"))
                for g in gaps
                if g.get("field") and not str(g.get("field")).startswith("(")
            )
        )
        if fields:
            why = list(dict.fromkeys(_gap_effect_words(name, g.get("effect")) for g in gaps))
            said = f"{name}: no dose until {joined(fields)} {'is' if len(fields) == 1 else 'are'} recorded"
            return said + (f" (without it: {'; '.join(w for w in why if w)})" if any(why) else "")
        return f"{name}: no dose (insufficient data)" + (f": {warnings[0]}" if warnings else "")
    stop = clinician_words(drug.get("stop_reason") or "") or (warnings[0] if warnings else "")
    words = STATUS.get(status, spaced(status)) if status else "no dose"
    return f"{name}: {words}, do not give" + (f": {stop}" if stop else "")


def _gap_effect_words(drug: str, effect: object) -> str:
    """A dose gap's effect as words, without the drug's name it starts with, the quotes around
    the band's condition and the closing "no dose is printed" (the sentence says so)."""
    said = clinician_words(effect)
    if said.startswith(f"{drug}: "):
        said = said[len(drug) + 2 :]
    said = said.replace("; no dose is printed", "").replace("'", "").strip()
    return "" if said == "not recorded" else said  # the sentence says so already


def undosed_drugs(option: Mapping[str, Any]) -> tuple[str, ...]:
    """Why each drug of `option` that the plan gives no dose has none (empty when every drug
    has a dose): such an option cannot be decided as given (rule 3)."""
    drugs: Iterable[Mapping[str, Any]] = option.get("drugs") or ()
    return tuple(
        no_dose_reason(d) for d in drugs if d.get("status") in NO_DOSE_STATUSES or not d.get("dose")
    )


def check_decision(document: Mapping[str, Any], decision: Decision) -> None:
    """Raise InputInvalid naming every field of `decision` that does not fit `document`."""
    problems: list[Problem] = []
    if not decision.reason.strip():
        problems.append(Problem("decision.reason", "is required: say why this was decided"))
    elif thin_reason(decision.reason) and not follows_suggestion(document, decision):
        problems.append(Problem("decision.reason", THIN_REASON))
    if not decision.decided_by.strip():
        problems.append(Problem("decision.decided_by", "is required: who decided"))
    if decision.course not in COURSES:
        problems.append(Problem("decision.course", f"{decision.course!r} is not one of {COURSES}"))
    if decision.aim_wording and decision.aim_wording not in AIM_WORDINGS:
        problems.append(
            Problem(
                "decision.aim_wording",
                f"{decision.aim_wording!r} is not one of {', '.join(AIM_WORDINGS)}",
            )
        )
    if decision.course == "supportive_care" and (
        decision.regimen is not None or decision.dose_changes or decision.held
    ):
        problems.append(
            Problem("decision.course", "best supportive care has no option, dose or held drug")
        )
    option = _option(document, decision.regimen)
    if decision.course == "option" and option is None:
        problems.append(
            Problem("decision.regimen", f"{decision.regimen!r} is not an option of this plan")
        )
    if decision.course == "option" and option is not None:
        # A label's "do not give" is a stop, and a missing result is recorded, never guessed:
        # an option with a drug the plan gives no dose cannot be the decided treatment, held
        # drug or not (every printed part would name it as what the plan gives).
        for why in undosed_drugs(option):
            problems.append(
                Problem(
                    "decision.regimen",
                    f"{option_title(option)} cannot be given as decided ({why}); choose another "
                    "option or best supportive care",
                )
            )
        # A gap is never a decision (rule 2): an option listed on the assumption of no previous
        # treatment is decided only once that is recorded, or confirmed by the decider.
        if (
            PRIOR_THERAPY in (option.get("depends_on_unrecorded") or ())
            and not decision.prior_therapy_confirmed_none
        ):
            problems.append(Problem("decision.prior_therapy_confirmed_none", PRIOR_THERAPY_ASK))
    if decision.prior_therapy_confirmed_none and decision.course != "option":
        problems.append(
            Problem(
                "decision.prior_therapy_confirmed_none",
                "is for a decided option only (best supportive care does not depend on it)",
            )
        )
    changed: set[str] = set()
    for i, change in enumerate(decision.dose_changes):
        path = f"decision.dose_changes[{i}]"
        drug = None if option is None else _drug(option, change.drug)
        if drug is None:
            problems.append(Problem(f"{path}.drug", f"{change.drug!r} is not in the chosen option"))
            continue
        if change.drug in changed:
            problems.append(Problem(f"{path}.drug", f"{change.drug!r} is changed twice"))
        changed.add(change.drug)
        if drug.get("status") in NO_DOSE_STATUSES or not drug.get("dose"):
            problems.append(
                Problem(
                    f"{path}.drug",
                    f"{change.drug} has no dose in this plan, so no dose can be set "
                    f"({no_dose_reason(drug)})",
                )
            )
            continue
        unit = str(drug["dose"].get("unit"))
        if change.unit != unit:
            problems.append(
                Problem(f"{path}.unit", f"{change.unit!r} is not the plan's unit {unit!r}")
            )
        if not change.value > 0:
            problems.append(Problem(f"{path}.value", f"{change.value:g} is not a dose above 0"))
        if not change.reason.strip():
            problems.append(Problem(f"{path}.reason", "is required: say why the dose is changed"))
    for i, held in enumerate(decision.held):
        path = f"decision.held[{i}]"
        if option is None or _drug(option, held.drug) is None:
            problems.append(Problem(f"{path}.drug", f"{held.drug!r} is not in the chosen option"))
        if held.drug in changed:
            problems.append(Problem(f"{path}.drug", f"{held.drug!r} is both held and given"))
        if not held.reason.strip():
            problems.append(Problem(f"{path}.reason", "is required: say why the drug is held"))
    if problems:
        raise InputInvalid(tuple(problems))


def follows_suggestion(document: Mapping[str, Any], decision: Decision) -> bool:
    """Whether `decision` takes what `document` (the suggestion) leads with, unchanged: its
    first option with no dose changed or drug held, or best supportive care where systemic
    therapy was judged not appropriate."""
    suggested = plan_course({k: v for k, v in document.items() if k != "decision"})
    if suggested.leads == "supportive_care":
        return decision.course == "supportive_care"
    if suggested.leads != "suggested_option" or suggested.option is None:
        return False
    return (
        decision.course == "option"
        and decision.regimen == suggested.option.get("regimen")
        and not decision.dose_changes
        and not decision.held
    )


def _had_dose(drug: Mapping[str, Any]) -> bool:
    """Whether the plan (the suggestion) gives `drug` a dose: in a decided document a held or
    changed drug's suggested dose is kept under `decided`."""
    if drug.get("status") in NO_DOSE_STATUSES:
        return False
    decided = drug.get("decided")
    if isinstance(decided, Mapping):
        return bool(decided.get("suggested_dose"))
    return bool(drug.get("dose"))


def print_refusal(document: Mapping[str, Any]) -> str:
    """Why `document` (a kept plan, decided or not, or the plan as decided) must not be printed,
    in words a clinician reads; empty when it may be.

    check_decision refuses an option with a drug the plan gives no dose, but a decision kept
    before that check (an older record) still names one: printed, every part would name a
    stopped or undosed drug as the treatment (rule 3). Such a plan is decided again first."""
    decision = decision_of(document)
    if decision is None or decision.course != "option":
        return ""
    option = _option(document, decision.regimen)
    if option is None:
        return (
            f"This decision gives {spaced(decision.regimen)}, which is not an option of this "
            "plan. Decide again before printing."
        )
    drugs: Iterable[Mapping[str, Any]] = option.get("drugs") or ()
    undosed = [d for d in drugs if not _had_dose(d)]
    if not undosed:
        return ""
    why = "; ".join(no_dose_reason(d) for d in undosed)  # each reason names its drug
    return (
        f"This decision gives {option_title(option)}, for which the plan has no dose ({why}). "
        "Decide again before printing."
    )


def decision_of(document: Mapping[str, Any]) -> Decision | None:
    found = document.get("decision")
    return Decision.from_json(found) if isinstance(found, Mapping) else None


def _replace_amount(schedule: str, old: Mapping[str, Any], new_value: float) -> str:
    """The schedule naming the dose given: the old amount (`80 mg/m2`, `AUC 5`) becomes the new."""
    value, unit = float(old["value"]), str(old["unit"])
    number = re.escape(f"{value:g}")
    if unit == "AUC":
        return re.sub(rf"\bAUC\s*{number}\b", f"AUC {new_value:g}", schedule)
    return re.sub(
        rf"(?<![\d.]){number}\s*{re.escape(unit)}(?![\w/])", f"{new_value:g} {unit}", schedule
    )


def _change_dose(drug: dict[str, Any], change: DoseChange, bsa_m2: float | None = None) -> None:
    old = dict(drug["dose"])
    drug["suggested_dose"] = old
    drug["dose"] = {"value": change.value, "unit": change.unit}
    standard = drug.get("standard_dose") or {}
    if standard.get("unit") == change.unit and standard.get("value"):
        drug["percent_of_standard"] = round(change.value / float(standard["value"]) * 100)
    else:
        drug["percent_of_standard"] = None
    absolute = drug.get("absolute_dose")
    if absolute and old.get("value"):
        # The same arithmetic as the suggestion (BSA, weight or Calvert's GFR + 25): the factor
        # the engine multiplied by is the absolute dose over the per-unit dose.
        factor = float(absolute["value"]) / float(old["value"])
        if str(old.get("unit", "")).endswith("/m2") and bsa_m2:
            # the body-surface area itself (rounded to 0.01 m2, as dosing.absolute_dose used it):
            # recovered from a dose kept to 0.1 mg it read 1.41995 m2 (review 16c, finding 3)
            factor = round(float(bsa_m2), 2)
        # kept as the suggestion's mg were: 0.1 mg, 0.01 mg below 10 mg (eribulin about 1 mg)
        value = round(change.value * factor, 1 if change.value * factor >= 10 else 2)
        unit = str(absolute.get("unit", "mg"))
        drug["absolute_dose"] = {
            "value": value,
            "unit": unit,
            # the clinician's dose times what it is per ("1000 mg/m2 × 1.61 m2 = 1610 mg"),
            # never "(as suggested)": the arithmetic is of the decided dose (nurse16 re-walk)
            "text": (
                f"{dose_words(change.value, change.unit)}"
                + ("" if change.unit == unit else f" × {_factor_words(factor, change.unit)}")
                + f" = {value:g} {unit}"
            ),
        }
        if absolute.get("tablets"):  # the changed dose as whole tablets, by the same rule
            tablets = TabletDose.from_json(absolute["tablets"], value)
            if tablets is not None:
                drug["absolute_dose"]["tablets"] = tablets.to_json()
    else:
        drug["absolute_dose"] = None
    if drug.get("schedule"):
        drug["schedule"] = _replace_amount(str(drug["schedule"]), old, change.value)
    drug["decided"] = {"action": "change_dose", "reason": change.reason, "suggested_dose": old}


def _factor_words(factor: float, unit: str) -> str:
    """What a per-unit dose was multiplied by, with its unit: body surface area (m2), weight
    (kg), or Calvert's GFR + 25 (mL/min) for an AUC dose."""
    if unit.endswith("/m2"):
        return f"{factor:g} m2"
    if unit.endswith("/kg"):
        return f"{factor:g} kg"
    if unit.upper().startswith("AUC"):
        return f"{factor:g} mL/min (GFR + 25)"
    return f"{factor:g}"


def _hold(drug: dict[str, Any], held: HeldDrug) -> None:
    """A held drug is not given now: no dose and no schedule (the schedule is what is given);
    what was suggested stays beside the reason, which says why and when to resume."""
    drug["decided"] = {
        "action": "hold",
        "reason": held.reason,
        "suggested_dose": drug.get("dose"),
        "suggested_schedule": drug.get("schedule"),
    }
    for key in (
        "dose",
        "absolute_dose",
        "loading_dose",
        "loading_absolute_dose",
        "percent_of_standard",
    ):
        if key in drug:
            drug[key] = None
    drug["schedule"] = None


def without_held(schedule: str, held: Iterable[str]) -> str:
    """A given drug's schedule with its partner held: the clause naming the held drug as given
    with it ("…every 21 days, with carboplatin", "once daily, with capecitabine days 1-14 of a
    21-day cycle") becomes "(carboplatin held)" (nurse16 re-walk: the gemcitabine cell still
    said "with carboplatin" beside the carboplatin row "held: not given now")."""
    for name in held:
        schedule = re.sub(
            rf",?\s*\bwith\s+(?:weekly\s+)?{re.escape(name)}\b[^,;()]*",
            f" ({name} held)",
            schedule,
            flags=re.IGNORECASE,
        )
    return schedule


def _held_title(option: Mapping[str, Any]) -> str:
    """The decided option's name with a held drug: the drugs given, then what is held
    ("Everolimus (exemestane held)"): never a held drug named as if it were given."""
    drugs = option.get("drugs") or ()
    given = [str(d.get("drug")) for d in drugs if (d.get("decided") or {}).get("action") != "hold"]
    held = [str(d.get("drug")) for d in drugs if (d.get("decided") or {}).get("action") == "hold"]
    title = " + ".join(given) if given else "no drug given now"
    return f"{title[:1].upper()}{title[1:]} ({', '.join(held)} held)"


def _monitor_course(out: dict[str, Any]) -> None:
    """Drug monitoring follows what the plan gives: the engine merged its first option's rows
    into `follow_up.monitoring`; a decided option brings its own rows instead, and where
    supportive care leads no regimen's rows are printed (no drug of theirs is given)."""
    course = plan_course(out)
    if course.leads == "suggested_option":
        return  # the engine's own list (its first option) stands
    follow = out.get("follow_up")
    if not isinstance(follow, dict):
        return
    regimen_rows = {m for o in out.get("options") or () for m in o.get("monitoring") or ()}
    if not regimen_rows:
        return
    basis_of = {
        m.get("item"): m for m in follow.get("monitoring_basis") or () if isinstance(m, Mapping)
    }
    kept = [m for m in follow.get("monitoring") or () if m not in regimen_rows]
    added: list[str] = []
    if course.option is not None:
        added = [m for m in course.option.get("monitoring") or () if m not in kept]
    name = (course.option or {}).get("name") or (course.option or {}).get("regimen")
    follow["monitoring"] = kept + added
    follow["monitoring_basis"] = [
        basis_of.get(m) or {"item": m, "for": f"the decided option, {name}", "basis": []}
        for m in follow["monitoring"]
    ]
    if not basis_of:
        follow.pop("monitoring_basis")


def decided_plan(document: Mapping[str, Any]) -> dict[str, Any]:
    """The plan as decided: the kept document with its decision applied (a copy; the kept one is
    the suggestion and stays as it was). Without a decision, a copy of the document; where
    supportive care leads, without the options' drug monitoring."""
    # Copied only where changed (options, the chosen option's drug rows, follow-up): a deep
    # copy of the whole document cost a tenth of the engine's time on the printing path.
    out = dict(document)
    if out.get("as_decided"):
        return out  # applied already: applying twice would take the decided dose as suggested
    out["as_decided"] = True
    out["options"] = [dict(o) for o in document.get("options") or ()]
    if isinstance(out.get("follow_up"), Mapping):
        out["follow_up"] = dict(out["follow_up"])
    decision = decision_of(document)
    if decision is None:
        _follow_course(out)
        return out
    for option in out.get("options") or ():
        option["suggested_rank"] = option.get("rank")
        option["chosen"] = decision.course == "option" and option.get("regimen") == decision.regimen
        if not option["chosen"]:
            continue
        changes = {c.drug: c for c in decision.dose_changes}
        held = {h.drug: h for h in decision.held}
        signers = {part.drug: (by, at) for part, by, at in signed_parts(decision)}
        option["drugs"] = [dict(d) for d in option.get("drugs") or ()]
        for drug in option["drugs"]:
            name = drug.get("drug")
            if name in changes:
                _change_dose(drug, changes[name], (out.get("body") or {}).get("bsa_m2"))
            elif name in held:
                _hold(drug, held[name])
            if name in signers:  # who made this change, and when (its own signer)
                drug["decided"]["decided_by"], drug["decided"]["decided_at"] = signers[name]
            if held and name not in held and drug.get("schedule"):
                drug["schedule"] = without_held(str(drug["schedule"]), held)
        # The regimen line is composed from the drug rows (contract §3a): a changed or held dose
        # changes it too, so it never names the suggested dose beside the decided one.
        option["schedule"] = regimen_line(
            (d.get("drug"), d.get("schedule")) for d in option["drugs"]
        )
        if held:
            option["suggested_name"] = option_title(option)
            option["name"] = _held_title(option)
    _follow_course(out)
    return out


def _follow_course(out: dict[str, Any]) -> None:
    """Monitoring, alerts and interaction warnings about a cancer drug follow what the plan
    gives: none where supportive care leads, only the decided option's drugs (less held ones)
    where one is decided; while an option is only suggested every option stays a choice."""
    _monitor_course(out)
    course = plan_course(out)
    if course.leads == "supportive_care":
        scope_to_course(out, None, ())
    elif course.leads == "decided_option" and course.decision is not None:
        scope_to_course(out, course.decision.regimen, (h.drug for h in course.decision.held))


@frozen_value
class PlanCourse:
    """What the plan leads with, for every printed part and the screen."""

    leads: Leads
    option: Mapping[str, Any] | None  # the decided or suggested option; None otherwise
    decision: Decision | None

    @property
    def supportive_care_first(self) -> bool:
        return self.leads == "supportive_care"


def plan_course(document: Mapping[str, Any]) -> PlanCourse:
    """What `document` (a plan, decided or not) leads with; see the module's docstring."""
    decision = decision_of(document)
    options = sorted(document.get("options") or (), key=lambda o: o.get("rank") or 99)
    if decision is not None:
        if decision.course == "supportive_care":
            return PlanCourse("supportive_care", None, decision)
        chosen = next((o for o in options if o.get("regimen") == decision.regimen), None)
        return PlanCourse("decided_option", chosen, decision)
    if (document.get("systemic_therapy") or {}).get("appropriate") is False:
        return PlanCourse("supportive_care", None, None)
    usable = [o for o in options if not o.get("not_appropriate")]
    if usable:
        return PlanCourse("suggested_option", usable[0], None)
    return PlanCourse("undecided", None, None)


def decision_summary(plan: Mapping[str, Any], date_format: str = DEFAULT_DATE_FORMAT) -> str:
    """The decision (or that there is none yet) in a sentence, for the screen; when it was made
    is shown in the clinic's `date_format` (planner.domain.dates)."""
    decision = decision_of(plan)
    if decision is None:
        course = plan_course(plan)
        if course.supportive_care_first:
            return (
                "Suggested: best supportive care (systemic therapy judged not appropriate). "
                "Not yet decided."
            )
        return "Not yet decided: the program's suggestions are shown."
    if decision.course == "supportive_care":
        what = "best supportive care, no systemic therapy now"
    else:
        option: Mapping[str, Any] = next(
            (o for o in plan.get("options") or () if o.get("regimen") == decision.regimen), {}
        )
        title = option_title(option) if option else spaced(decision.regimen)
        what = f"{title} (suggested {option.get('rank', '?')})"
    changes = []
    for part, by, at in signed_parts(decision):
        # (named apart from `what`, the option: reusing the name printed the last change where
        # the option belongs, "capecitabine 1000 mg/m²; capecitabine 1000 mg/m² (…)", nurse16)
        change = (
            f"{part.drug} held"
            if isinstance(part, HeldDrug)
            else f"{part.drug} {dose_words(part.value, part.unit)}"
        )
        signer = (
            f"decided by {by}, {show_date_time(at, date_format)}"
            if by != decision.decided_by
            else ""
        )
        # the change's own reason only where it differs from the decision's ("Why:" says that)
        said = [r for r in (part.reason.strip(),) if r and r != decision.reason.strip()]
        notes = "; ".join([*said, *([signer] if signer else [])])
        changes.append(change + (f" ({notes})" if notes else ""))
    confirmed = (
        " No previous cancer treatment: confirmed by the decider (not recorded in the assessment)."
        if decision.prior_therapy_confirmed_none
        else ""
    )
    return (
        f"Decided by {decision.decided_by}, {show_date_time(decision.decided_at, date_format)}: "
        f"{what}"
        + (f"; {'; '.join(changes)}" if changes else "")
        + f". Why: {decision.reason}"
        + confirmed
    )
