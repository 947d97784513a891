"""The case's own value checkers for the one validator (`validation`): a lab result checked
against its unit (refused outside what is possible, doubted outside what is plausible), and
drug, medicine and allergy names looked up in the case limits; `opt` and `req` mark a field
optional or required.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from planner.domain import case as c
from planner.domain.allergy_names import COMBINATION, catalogue_names, names_in, read_allergy
from planner.domain.frozen_value import frozen_value
from planner.domain.json_checks import (
    INVALID,
    Checker,
    Maybe,
    Text,
    describe,
    format_number,
    join_path,
    not_a_number,
)
from planner.domain.limits import LabDefinition
from planner.domain.plan_words import unit_words as shown_unit


def opt(spec: Any) -> tuple[Any, bool]:
    return (Maybe(spec), False)


def req(spec: Any) -> tuple[Any, bool]:
    return (spec, True)


@frozen_value
class LabValue:
    """A lab result checked against its unit: refused outside what is possible, doubted outside
    what is plausible (the usual sign of a unit mix-up)."""

    name: str

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        lab = chk.limits.labs.get(self.name)
        if lab is None:
            return chk.error(path, f"no limits are defined for lab {self.name}")
        if not isinstance(raw, dict):
            return chk.error(path, f"{describe(raw)} is not a result object")
        allowed = {"value", "unit", "uln"} if lab.takes_uln else {"value", "unit"}
        bad = [k for k in raw if k not in allowed]
        for key in bad:
            chk.error(join_path(path, key), "is not a known field")
        if bad:
            return INVALID
        units = list(lab.units)
        unitless = units == [""]
        value = raw.get("value")
        unit = raw.get("unit", "" if unitless else None)
        if unit is None:
            return chk.error(f"{path}.unit", f"is required (one of {', '.join(units)})")
        if not isinstance(unit, str) or unit not in lab.units:
            shown = ", ".join(u for u in units if u) or "no unit"
            return chk.error(f"{path}.unit", f"{describe(unit)} is not one of {shown}")
        if value is None:
            return chk.error(f"{path}.value", "is required")
        if isinstance(value, bool) or not isinstance(value, int | float):
            return chk.error(f"{path}.value", not_a_number(value))
        rng = lab.units[unit]
        unit_words = f" {shown_unit(unit)}" if unit else ""
        if not rng.possible_low <= value <= rng.possible_high:
            return chk.error(
                f"{path}.value",
                f"{describe(value)}{unit_words} is outside the possible range "
                f"{format_number(rng.possible_low)}–{format_number(rng.possible_high)}{unit_words}"
                + _other_unit_hint(lab, unit, value),
            )
        if not rng.plausible_low <= value <= rng.plausible_high:
            chk.doubt(
                f"{path}.value",
                f"{describe(value)}{unit_words} is possible but implausible for {lab.label} "
                f"(expected {format_number(rng.plausible_low)}–"
                f"{format_number(rng.plausible_high)}{unit_words}): "
                + (
                    "likely unit mix-up, check the unit" + _other_unit_hint(lab, unit, value)
                    if _has_other_units(lab)
                    # one unit offered (ALP, U/L): no unit to mix up (walk24 HARM 3)
                    else "check the number on the report"
                ),
            )
        uln = raw.get("uln")
        if uln is not None:
            if isinstance(uln, bool) or not isinstance(uln, int | float) or uln <= 0:
                return chk.error(f"{path}.uln", f"{describe(uln)} is not a positive number")
            low, high = rng.uln_plausible_low, rng.uln_plausible_high
            if low is not None and high is not None and not low <= uln <= high:
                chk.doubt(
                    f"{path}.uln",
                    f"{describe(uln)}{unit_words} is an implausible upper limit of normal for "
                    f"{lab.label} (expected {format_number(low)}–{format_number(high)}{unit_words}): "
                    + ("check the unit" if _has_other_units(lab) else "check it on the report"),
                )
        return c.LabResult(float(value), unit or None, None if uln is None else float(uln))


def _has_other_units(lab: LabDefinition) -> bool:
    """Whether a result of this test can be typed in more than one unit (else no mix-up)."""
    return len(lab.units) + len(dict(lab.entry_units)) > 1


def _other_unit_hint(lab: LabDefinition, unit: str, value: float) -> str:
    """Name the other unit in which this number would be plausible, if there is one."""
    for other, rng in lab.units.items():
        if other != unit and rng.plausible_low <= value <= rng.plausible_high:
            return f" ({format_number(value)} would be plausible in {shown_unit(other)})"
    return ""


@frozen_value
class DrugName:
    """A lower-case international non-proprietary name known to the rules' drug catalogue."""

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        if not isinstance(raw, str):
            return chk.error(path, f"{describe(raw)} is not a drug name")
        if raw in chk.limits.drugs:
            return raw
        canonical = chk.limits.canonical_drug(raw)  # INN / US adopted name: kept as the name
        if canonical in chk.limits.drugs:
            return canonical
        near = suggested_name(raw.lower().strip(), chk.limits.drugs)
        hint = f' (did you mean "{near}"?)' if near else ""
        return chk.error(
            path,
            f"{describe(raw)} is not a known lower-case international non-proprietary name{hint}",
        )


def _lookup_name(raw: str) -> str:
    """How a typed name is looked up: case-insensitive, outer and doubled spaces ignored."""
    return " ".join(raw.split()).lower()


#: how alike (difflib's ratio, 0–1) a name not in the catalogue must be to one that is before
#: it is offered as "did you mean …?": a typo of one drug, never another drug. At difflib's
#: default 0.6 "Omez" (a brand of omeprazole) was offered "zoledronic acid" through "zometa"
#: (walk23 #10); tests/domain/test_name_suggestions.py holds the typos and near-misses tested.
SUGGEST_AT = 0.85


def suggested_name(typed: str, names: Iterable[str]) -> str | None:
    """The one catalogue spelling `typed` is a likely typo of, or None: no suggestion at all is
    better than a wrong drug."""
    import difflib  # only for a name that is wrong: a valid case never needs it

    near = difflib.get_close_matches(typed, sorted(names), n=1, cutoff=SUGGEST_AT)
    return near[0] if near else None


@frozen_value
class MedicineName:
    """A catalogue drug (anticancer or not) by its INN or an accepted alias, in any letter case;
    the INN is what is kept."""

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        if not isinstance(raw, str):
            return chk.error(path, f"{describe(raw)} is not a drug name")
        found = chk.limits.medicines.get(_lookup_name(raw))
        if found is not None:
            return found
        product = _combination_in(raw, chk)
        if product:
            # a product of several drugs (co-codamol): each drug on its own line, so each is
            # checked and its paracetamol counted (rx24 N1); refused, never read as one of them
            return chk.error(
                path,
                f"{describe(raw)} is a product of several drugs: enter each on its own line "
                f"({' and '.join(product)}), with the amount of each in one dose",
            )
        near = suggested_name(_lookup_name(raw), chk.limits.medicines)
        hint = f' (did you mean "{chk.limits.medicines[near]}"?)' if near else ""
        return chk.error(
            path,
            f"{describe(raw)} is not an international non-proprietary name in the catalogue{hint}",
        )


def _combination_in(raw: str, chk: Checker) -> tuple[str, ...]:
    """The drugs of a combination product (drug_names.toml [[combination]]) named in `raw`
    ("co-codamol 30/500" -> paracetamol, codeine), else ()."""
    limits = chk.limits
    names = catalogue_names({}, {}, {}, limits.allergy_combinations)
    products = [found for kind, found in names_in(raw, names) if kind == COMBINATION]
    return tuple(dict.fromkeys(d for p in products for d in limits.combinations_of.get(p, ())))


@frozen_value
class AllergySubstance:
    """Every catalogue drug (INN), class ("taxanes") or excipient ("polysorbate 80") the text
    names, found inside it as whole words ("docetaxel (Taxotere)", "Taxol®", "paclitaxel,
    carboplatin", "Phesgo": planner.domain.allergy_names), with the parts it could not read and a
    word of negation; kind "other" when it names none (kept, shown, matched against nothing, and
    the plan names it as a gap)."""

    def __call__(self, raw: Any, path: str, chk: Checker) -> Any:
        written = Text(max_len=100)(raw, path, chk)
        if written is INVALID:
            return INVALID
        limits = chk.limits
        names = catalogue_names(
            {**limits.allergy_inflections, **limits.medicines},
            limits.allergy_classes,
            limits.allergy_excipients,
            limits.allergy_combinations,
        )
        reading = read_allergy(
            written, names, limits.excipients_of, limits.classes_of, limits.combinations_of
        )
        return (written, reading)
