"""What the plan found: the subtype, the liver (`hepatic`), the body and kidney, and whether
systemic therapy is appropriate."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from planner.domain.evidence import Basis, Gap
from planner.domain.frozen_value import frozen_value
from planner.domain.plan_document.reading import (
    PlanDocumentError,
    basis_of,
    each,
    flag,
    gaps_of,
    items,
    mapping,
    name,
    number,
    one,
    text,
    texts,
    whole,
)
from planner.domain.plan_words import child_pugh_points_words


@frozen_value
class Subtype:
    group: str | None
    hr_positive: bool | None
    er_low: bool | None
    her2: str | None
    basis: tuple[Basis, ...]
    warnings: tuple[str, ...]
    biomarkers: Mapping[str, Any] | None  # older plans carried the case's biology here


@frozen_value
class ChildPugh:
    points: int | None
    child_class: str | None  # "A", "B", "C" (JSON key `class`)
    # with `points` null: the class whatever the unscored items (an anticoagulant's INR; rx24 W2)
    points_range: tuple[int, int] | None = None
    unscored: tuple[str, ...] = ()

    @property
    def points_words(self) -> str:
        return child_pugh_points_words(self.points, self.points_range, self.unscored)


@frozen_value
class BilirubinTrend:
    lab: str | None
    earlier_drawn_on: str | None
    earlier_value: float | None
    days: int | None
    percent_change: float | None
    meaningful_rise_percent: float | None
    window_days: int | None
    rising: bool | None


@frozen_value
class ReferenceLine:
    x_uln: float
    label: str


@frozen_value
class Hepatic:
    odwg: str | None
    bilirubin_x_uln: float | None
    ast_x_uln: float | None
    alt_x_uln: float | None
    alp_x_uln: float | None
    child_pugh: ChildPugh | None
    child_pugh_albumin_variant: str | None
    child_pugh_albumin_setting: str | None
    #: the anticoagulants that make a recorded INR unfit for Child–Pugh (docs/contract.md)
    child_pugh_inr_not_scored: tuple[str, ...]
    albi_score: float | None
    albi_grade: int | None
    ctcae: Mapping[str, int | None]
    visceral_crisis: str | None
    bilirubin_trend: BilirubinTrend | None
    bilirubin_reference_lines: tuple[ReferenceLine, ...]
    basis: tuple[Basis, ...]
    gaps: tuple[Gap, ...]
    warnings: tuple[str, ...]


@frozen_value
class Body:
    bsa_m2: float | None
    crcl_ml_min: float | None
    bsa_formula: str | None
    crcl_formula: str | None
    bmi: float | None
    weight_change_6_months_percent: float | None
    weight_change_words: str | None
    weight_kg: float | None  # older plans only
    height_cm: float | None  # older plans only


@frozen_value
class TherapyStop:
    """Why systemic therapy is judged not appropriate."""

    code: str | None
    reason: str | None
    basis: tuple[Basis, ...]


@frozen_value
class SystemicTherapy:
    appropriate: bool | None  # None: the document does not say
    warnings: tuple[str, ...]
    not_appropriate_because: tuple[TherapyStop, ...]
    first_choice_reason: str | None
    basis: tuple[Basis, ...]


def read_subtype(data: Mapping[str, Any], path: str) -> Subtype:
    biomarkers = data.get("biomarkers")
    return Subtype(
        group=text(data, "group", path),
        hr_positive=flag(data, "hr_positive", path),
        er_low=flag(data, "er_low", path),
        her2=text(data, "her2", path),
        basis=basis_of(data, path),
        warnings=texts(data, "warnings", path),
        biomarkers=None if biomarkers is None else mapping(biomarkers, f"{path}.biomarkers"),
    )


def read_hepatic(data: Mapping[str, Any], path: str) -> Hepatic:
    def child_pugh(d: Mapping[str, Any], at: str) -> ChildPugh:
        span = items(d.get("points_range"), f"{at}.points_range")
        low_high: tuple[int, int] | None = None
        if span:
            pair = [
                w for n in span if (w := whole({"n": n}, "n", f"{at}.points_range")) is not None
            ]
            if len(span) != 2 or len(pair) != 2:
                raise PlanDocumentError(f"{at}.points_range", f"expected two whole numbers: {span}")
            low_high = (pair[0], pair[1])
        return ChildPugh(
            whole(d, "points", at), text(d, "class", at), low_high, texts(d, "unscored", at)
        )

    def trend(d: Mapping[str, Any], at: str) -> BilirubinTrend:
        return BilirubinTrend(
            lab=text(d, "lab", at),
            earlier_drawn_on=text(d, "earlier_drawn_on", at),
            earlier_value=number(d, "earlier_value", at),
            days=whole(d, "days", at),
            percent_change=number(d, "percent_change", at),
            meaningful_rise_percent=number(d, "meaningful_rise_percent", at),
            window_days=whole(d, "window_days", at),
            rising=flag(d, "rising", at),
        )

    def line(d: Mapping[str, Any], at: str) -> ReferenceLine:
        return ReferenceLine(number(d, "x_uln", at) or 0.0, name(d, "label", at))

    albi = mapping(data.get("albi"), f"{path}.albi")
    ctcae = mapping(data.get("ctcae"), f"{path}.ctcae")
    return Hepatic(
        odwg=text(data, "odwg", path),
        bilirubin_x_uln=number(data, "bilirubin_x_uln", path),
        ast_x_uln=number(data, "ast_x_uln", path),
        alt_x_uln=number(data, "alt_x_uln", path),
        alp_x_uln=number(data, "alp_x_uln", path),
        child_pugh=one(data.get("child_pugh"), f"{path}.child_pugh", child_pugh),
        child_pugh_albumin_variant=text(data, "child_pugh_albumin_variant", path),
        child_pugh_albumin_setting=text(data, "child_pugh_albumin_setting", path),
        child_pugh_inr_not_scored=texts(data, "child_pugh_inr_not_scored", path),
        albi_score=number(albi, "score", f"{path}.albi"),
        albi_grade=whole(albi, "grade", f"{path}.albi"),
        ctcae=MappingProxyType({k: whole(ctcae, k, f"{path}.ctcae") for k in ctcae}),
        visceral_crisis=text(data, "visceral_crisis", path),
        bilirubin_trend=one(data.get("bilirubin_trend"), f"{path}.bilirubin_trend", trend),
        bilirubin_reference_lines=each(
            data.get("bilirubin_reference_lines"), f"{path}.bilirubin_reference_lines", line
        ),
        basis=basis_of(data, path),
        gaps=gaps_of(data, path),
        warnings=texts(data, "warnings", path),
    )


def read_body(data: Mapping[str, Any], path: str) -> Body:
    return Body(
        bsa_m2=number(data, "bsa_m2", path),
        crcl_ml_min=number(data, "crcl_ml_min", path),
        bsa_formula=text(data, "bsa_formula", path),
        crcl_formula=text(data, "crcl_formula", path),
        bmi=number(data, "bmi", path),
        weight_change_6_months_percent=number(data, "weight_change_6_months_percent", path),
        weight_change_words=text(data, "weight_change_words", path),
        weight_kg=number(data, "weight_kg", path),
        height_cm=number(data, "height_cm", path),
    )


def read_systemic_therapy(data: Mapping[str, Any], path: str) -> SystemicTherapy:
    def stop(d: Mapping[str, Any], at: str) -> TherapyStop:
        return TherapyStop(text(d, "code", at), text(d, "reason", at), basis_of(d, at))

    return SystemicTherapy(
        appropriate=flag(data, "appropriate", path),
        warnings=texts(data, "warnings", path),
        not_appropriate_because=each(
            data.get("not_appropriate_because"), f"{path}.not_appropriate_because", stop
        ),
        first_choice_reason=text(data, "first_choice_reason", path),
        basis=basis_of(data, path),
    )
