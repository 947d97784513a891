"""Unit conversion and multiples of the upper limit of normal: the only place units change.

Factors come from the lab definitions of the rule tables (`case_limits.toml`), never from code.
"""

from __future__ import annotations

from planner.domain.case import LabResult
from planner.domain.limits import CaseLimits


class UnitError(ValueError):
    """A unit the lab definition does not know: a programming error once input is validated."""


def to_canonical(limits: CaseLimits, lab: str, result: LabResult) -> float:
    """The value in the lab's canonical unit (bilirubin and creatinine µmol/L, albumin g/L …)."""
    return convert(limits, lab, result.value, result.unit or "", limits.labs[lab].canonical_unit)


def convert(limits: CaseLimits, lab: str, value: float, from_unit: str, to_unit: str) -> float:
    units = limits.labs[lab].units
    if from_unit not in units or to_unit not in units:
        raise UnitError(f"{lab}: cannot convert {from_unit!r} to {to_unit!r}")
    return value * units[from_unit].factor / units[to_unit].factor


def times_uln(value: float, uln: float) -> float:
    """Value as a multiple of the reporting lab's upper limit of normal, both in the same unit."""
    if uln <= 0:
        raise UnitError("an upper limit of normal must be positive")
    return value / uln


def from_entry_unit(limits: CaseLimits, lab: str, value: float, unit: str) -> float:
    """A value typed in one of the lab's entry units (a count per µL or mm³) in its canonical
    unit (× 10⁹/L); the case holds only the canonical unit. Rounded to 6 significant digits so
    2100 /µL is 2.1, not 2.1000000000000001."""
    factors = dict(limits.labs[lab].entry_units)
    if unit not in factors:
        raise UnitError(f"{lab}: {unit!r} is not an entry unit")
    return float(f"{value * factors[unit]:.6g}")


def to_entry_unit(limits: CaseLimits, lab: str, value: float, unit: str) -> float:
    """A value in the lab's canonical unit (× 10⁹/L) in one of its entry units (per µL or mm³):
    what a clinic that reads counts per µL is shown (2.1 → 2100). 6 significant digits."""
    factors = dict(limits.labs[lab].entry_units)
    if unit not in factors:
        raise UnitError(f"{lab}: {unit!r} is not an entry unit")
    return float(f"{value / factors[unit]:.6g}")
