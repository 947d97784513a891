"""Liver scores: Child–Pugh, ALBI, MELD / MELD-Na / MELD 3.0, NCI-ODWG hepatic category.

Pure functions over already-converted numbers: Child–Pugh and ALBI take bilirubin in µmol/L and
albumin in g/L (the canonical units; `planner.domain.units.to_canonical`); the MELD family takes
the units its equations are written in (bilirubin and creatinine mg/dL, albumin g/dL;
`units.convert`); ODWG takes multiples of the reporting lab's ULN (`units.times_uln`).
Child–Pugh was built for cirrhosis and MELD for transplant allocation: for liver metastases they
are informational (drug labels cite Child–Pugh).

These are the only implementations of the formulas: the plan engine's liver assessment
(`planner.domain.hepatic`) calls them and adds what a case needs on top (gaps, clinic ULNs,
the Child–Pugh classes still possible when an item is missing, the ODWG categories still possible).
The CTCAE v5 liver grades and the hepatic visceral-crisis thresholds the engine reads are rows of
the same table (`ctcae_grade`, `VISCERAL_CRISIS`).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from planner.domain.frozen_value import frozen_value
from planner.domain.instruments.instrument_settings import InstrumentSettings
from planner.domain.instruments.result import InstrumentResult, Trail, start
from planner.domain.instruments.tables import BandSet, Formula, InstrumentRules, PointTable, need

CP_BILIRUBIN = "instr.child_pugh.bilirubin_umol_l"
CP_INR = "instr.child_pugh.inr"
CP_ASCITES = "instr.child_pugh.ascites"
CP_ENCEPHALOPATHY = "instr.child_pugh.encephalopathy"
CP_CLASS = "instr.child_pugh.class"
ALBI = "instr.albi.formula"
ALBI_GRADE = "instr.albi.grade"
MELD = "instr.meld.original"
MELD_NA = "instr.meld.na_unos_2016"
MELD3 = "instr.meld.v3_coefficients"
MELD3_BOUNDS = "instr.meld.v3_bounds"
ODWG_BILIRUBIN = "instr.odwg.bilirubin_x_uln"
ODWG_AST = "instr.odwg.ast_x_uln"
CTCAE = {
    "bilirubin": "instr.ctcae.bilirubin_x_uln",
    "ast": "instr.ctcae.aminotransferase_x_uln",
    "alt": "instr.ctcae.aminotransferase_x_uln",
    "alp": "instr.ctcae.alp_x_uln",
}
# CTCAE v5 against an abnormal baseline (liver tests) and of the blood counts (canonical units):
# read by the cycle review (planner.domain.cycle_review); the table is instruments/ctcae_v5.toml.
CTCAE_BASELINE = {
    "bilirubin": "instr.ctcae.bilirubin_x_baseline",
    "ast": "instr.ctcae.aminotransferase_x_baseline",
    "alt": "instr.ctcae.aminotransferase_x_baseline",
    "alp": "instr.ctcae.alp_x_baseline",
}
CTCAE_COUNTS = {
    "anc": "instr.ctcae.neutrophils",
    "platelets": "instr.ctcae.platelets",
    "hemoglobin": "instr.ctcae.hemoglobin",
}
# CTCAE's "severe" (grade 3 and above): an entered side effect no row of a drug's label names is
# the clinician's to decide at that grade (planner.domain.cycle_silent)
CTCAE_SEVERE = "instr.ctcae.severe"
VISCERAL_CRISIS = "instr.visceral_crisis.thresholds"
VISCERAL_CRISIS_NAMES = (
    "bilirubin_x_uln",
    "rapid_days",
    "alternative_bilirubin_mg_dl",
    "alternative_enzyme_u_l",
    "impending_enzyme_x_uln",
)
# "Rising" for visceral crisis: the default (and the range a clinic may set) of the smallest
# meaningful increase, in percent of the earlier result (contract §3a; no guideline gives one).
VISCERAL_CRISIS_RISE = "instr.visceral_crisis.meaningful_rise"
VISCERAL_CRISIS_RISE_NAMES = ("default_percent", "lowest_percent", "highest_percent")
CHILD_PUGH_ITEMS = ("bilirubin", "albumin", "inr", "ascites", "encephalopathy")
ASCITES = ("none", "mild", "moderate_severe")
ENCEPHALOPATHY = ("none", "grade_1_2", "grade_3_4")
NEEDS = (
    need(CP_BILIRUBIN, "bands"),
    need("instr.child_pugh.albumin_g_l.pugh_1973", "bands"),
    need("instr.child_pugh.albumin_g_l.harrison", "bands"),
    need("instr.setting.child_pugh_albumin", "setting", "pugh_1973", "harrison"),
    need(CP_INR, "bands"),
    need(CP_ASCITES, "points", *ASCITES),
    need(CP_ENCEPHALOPATHY, "points", *ENCEPHALOPATHY),
    need(CP_CLASS, "bands"),
    need(ALBI, "formula", "log10_bilirubin_umol_l", "albumin_g_l"),
    need(ALBI_GRADE, "bands"),
    need(
        MELD,
        "formula",
        "bilirubin",
        "inr",
        "creatinine",
        "constant",
        "floor",
        "creatinine_cap",
        "maximum",
    ),
    need(
        MELD_NA,
        "formula",
        "creatinine",
        "bilirubin",
        "inr",
        "constant",
        "scale",
        "sodium_applies_above",
        "sodium_coefficient",
        "sodium_interaction",
        "sodium_reference",
        "sodium_low",
        "sodium_high",
        "floor",
        "creatinine_cap",
        "maximum",
    ),
    need(
        MELD3,
        "formula",
        "female",
        "bilirubin",
        "sodium",
        "sodium_bilirubin",
        "inr",
        "creatinine",
        "albumin",
        "albumin_creatinine",
        "constant",
    ),
    need(
        MELD3_BOUNDS,
        "formula",
        "floor",
        "creatinine_cap",
        "sodium_low",
        "sodium_high",
        "sodium_reference",
        "albumin_low_g_dl",
        "albumin_high_g_dl",
    ),
    need(ODWG_BILIRUBIN, "bands"),
    need(ODWG_AST, "bands"),
    *(need(rule_id, "bands") for rule_id in dict.fromkeys(CTCAE.values())),
    *(need(rule_id, "bands") for rule_id in dict.fromkeys(CTCAE_BASELINE.values())),
    *(need(rule_id, "bands") for rule_id in CTCAE_COUNTS.values()),
    need(CTCAE_SEVERE, "bands"),
    need(VISCERAL_CRISIS, "formula", *VISCERAL_CRISIS_NAMES),
    need(VISCERAL_CRISIS_RISE, "formula", *VISCERAL_CRISIS_RISE_NAMES),
)


def round_half_up(x: float, places: int = 0) -> float:
    """Conventional rounding (2.5 -> 3), not Python's round-half-even."""
    step = Decimal(1).scaleb(-places)
    return float(Decimal(repr(x)).quantize(step, rounding=ROUND_HALF_UP))


# ---- Child–Pugh ---------------------------------------------------------------------------------


def child_pugh(
    bilirubin_umol_l: float | None,
    albumin_g_l: float | None,
    inr: float | None,
    ascites: str | None,
    encephalopathy: str | None,
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    """Points and class; an item given as None (not recorded) leaves `points` and `class` None,
    `missing` naming it and `classes` listing every class still possible (each missing item
    counted at its table's fewest and most points)."""
    trail = start(rules, settings)
    option, albumin_rule = trail.setting("child_pugh_albumin")
    parts: dict[str, float | None] = {
        "bilirubin": None
        if bilirubin_umol_l is None
        else trail.band(CP_BILIRUBIN, bilirubin_umol_l, "bilirubin µmol/L").value,
        "albumin": None
        if albumin_g_l is None
        else trail.band(albumin_rule, albumin_g_l, "albumin g/L").value,
        "inr": None if inr is None else trail.band(CP_INR, inr, "INR").value,
        "ascites": None if ascites is None else trail.points(CP_ASCITES, ascites, "ascites"),
        "encephalopathy": None
        if encephalopathy is None
        else trail.points(CP_ENCEPHALOPATHY, encephalopathy, "encephalopathy"),
    }
    item_rules = {
        "bilirubin": CP_BILIRUBIN,
        "albumin": albumin_rule,
        "inr": CP_INR,
        "ascites": CP_ASCITES,
        "encephalopathy": CP_ENCEPHALOPATHY,
    }
    missing = [item for item in CHILD_PUGH_ITEMS if parts[item] is None]
    known = sum(p for p in parts.values() if p is not None)
    low = known + sum(min(_item_points(rules, item_rules[item])) for item in missing)
    high = known + sum(max(_item_points(rules, item_rules[item])) for item in missing)
    class_bands = rules.get(CP_CLASS, BandSet)
    classes = tuple(
        dict.fromkeys(class_bands.find(p).shown() for p in range(int(low), int(high) + 1))
    )
    if missing:
        trail.warn("Child–Pugh not scored: " + ", ".join(missing) + " not recorded")
        points: int | None = None
        child_class: str | None = None
    else:
        points = int(known)
        child_class = trail.band(CP_CLASS, points, "Child–Pugh points").shown()
    return trail.finish(
        "child_pugh",
        f"Child–Pugh (Pugh 1973 modification); albumin bands: {option}",
        "all five parameters required; with one missing only the classes still possible",
        {
            "points": points,
            "class": child_class,
            "parts": parts,
            "classes": list(classes),
            # the fewest and most points the missing items allow (the score when none is)
            "points_range": [int(low), int(high)],
            "missing": missing,
        },
    )


def _item_points(rules: InstrumentRules, rule_id: str) -> list[float]:
    rule = rules.rules[rule_id]
    if isinstance(rule, PointTable):
        return list(rule.points.values())
    return [band.value for band in rules.get(rule_id, BandSet).bands if band.value is not None]


# ---- ALBI ---------------------------------------------------------------------------------------


def albi_score(bilirubin_umol_l: float, albumin_g_l: float, rules: InstrumentRules) -> float:
    """0.66 × log10(bilirubin µmol/L) − 0.085 × albumin g/L, coefficients from the rule table."""
    f = rules.get(ALBI, Formula)
    return (
        f["log10_bilirubin_umol_l"] * math.log10(bilirubin_umol_l) + f["albumin_g_l"] * albumin_g_l
    )


def albi(
    bilirubin_umol_l: float,
    albumin_g_l: float,
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    trail = start(rules, settings)
    trail.formula(ALBI)
    score = albi_score(bilirubin_umol_l, albumin_g_l, rules)
    grade = trail.band(ALBI_GRADE, score, "ALBI").value
    return trail.finish(
        "albi",
        "ALBI (Johnson et al., J Clin Oncol 2015)",
        "both inputs required",
        {"score": score, "grade": None if grade is None else int(grade)},
    )


# ---- MELD family -------------------------------------------------------------------------------


@frozen_value
class MeldInput:
    bilirubin_mg_dl: float
    inr: float
    creatinine_mg_dl: float
    sodium_mmol_l: float | None
    albumin_g_dl: float | None
    sex: str | None
    dialysis: bool  # >= 2 dialysis sessions (or >= 24 h CVVHD) in the past 7 days


def _bounded(x: float, low: float, high: float) -> float:
    return min(max(x, low), high)


def _floored(given: MeldInput, f: Formula) -> tuple[float, float, float]:
    """Bilirubin, INR and creatinine floored at the row's floor; creatinine capped (dialysis: the cap)."""
    bili, inr = max(given.bilirubin_mg_dl, f["floor"]), max(given.inr, f["floor"])
    cr = (
        f["creatinine_cap"]
        if given.dialysis
        else _bounded(given.creatinine_mg_dl, f["floor"], f["creatinine_cap"])
    )
    return bili, inr, cr


def _meld_original(given: MeldInput, trail: Trail) -> int:
    f = trail.formula(MELD)
    bili, inr, cr = _floored(given, f)
    raw = (
        f["bilirubin"] * math.log(bili)
        + f["inr"] * math.log(inr)
        + f["creatinine"] * math.log(cr)
        + f["constant"]
    )
    return int(min(round_half_up(raw), f["maximum"]))


def _meld_na(given: MeldInput, trail: Trail) -> int | None:
    f = trail.formula(MELD_NA)
    bili, inr, cr = _floored(given, f)
    meld_i = (
        f["creatinine"] * math.log(cr)
        + f["bilirubin"] * math.log(bili)
        + f["inr"] * math.log(inr)
        + f["constant"]
    )
    meld = round_half_up(meld_i, 1) * f["scale"]  # UNOS: round to the tenth, then x 10
    if meld > f["sodium_applies_above"]:
        if given.sodium_mmol_l is None:
            trail.warn("MELD-Na not scored: sodium is needed when MELD(i) is above 11")
            return None
        na = _bounded(given.sodium_mmol_l, f["sodium_low"], f["sodium_high"])
        gap = f["sodium_reference"] - na
        meld = meld + f["sodium_coefficient"] * gap - f["sodium_interaction"] * meld * gap
    return int(min(round_half_up(meld), f["maximum"]))


def _meld_3(given: MeldInput, trail: Trail) -> int | None:
    if given.sodium_mmol_l is None or given.albumin_g_dl is None or given.sex is None:
        trail.warn("MELD 3.0 not scored: it needs sodium, albumin and sex")
        return None
    c, b = trail.formula(MELD3), trail.formula(MELD3_BOUNDS)
    bili, inr = max(given.bilirubin_mg_dl, b["floor"]), max(given.inr, b["floor"])
    cr = (
        b["creatinine_cap"]
        if given.dialysis
        else _bounded(given.creatinine_mg_dl, b["floor"], b["creatinine_cap"])
    )
    na = _bounded(given.sodium_mmol_l, b["sodium_low"], b["sodium_high"])
    alb = _bounded(given.albumin_g_dl, b["albumin_low_g_dl"], b["albumin_high_g_dl"])
    na_gap, alb_gap = b["sodium_reference"] - na, b["albumin_high_g_dl"] - alb
    raw = (
        c["female"] * (given.sex == "female")
        + c["bilirubin"] * math.log(bili)
        + c["sodium"] * na_gap
        + c["sodium_bilirubin"] * na_gap * math.log(bili)
        + c["inr"] * math.log(inr)
        + c["creatinine"] * math.log(cr)
        + c["albumin"] * alb_gap
        + c["albumin_creatinine"] * alb_gap * math.log(cr)
        + c["constant"]
    )
    return int(round_half_up(raw))


def meld_scores(
    given: MeldInput, rules: InstrumentRules, settings: InstrumentSettings | None = None
) -> InstrumentResult:
    trail = start(rules, settings)
    values = {
        "meld": _meld_original(given, trail),
        "meld_na": _meld_na(given, trail),
        "meld_3": _meld_3(given, trail),
    }
    trail.warn("MELD scores are built for cirrhosis and transplant allocation: informational only")
    return trail.finish(
        "meld",
        "MELD (Kamath 2001); MELD-Na (UNOS/OPTN 2016); MELD 3.0 (Kim 2021, OPTN 2023)",
        "inputs bounded as each equation defines (floors 1.0, creatinine cap, sodium and "
        "albumin bounds); a score lacking its inputs is null",
        values,
    )


# ---- NCI-ODWG -----------------------------------------------------------------------------------


def odwg_candidates(
    bilirubin_x_uln: float | None, ast_x_uln: float | None, rules: InstrumentRules
) -> frozenset[str]:
    """Every ODWG category consistent with what is known (all of them without bilirubin)."""
    return _odwg(start(rules, None), bilirubin_x_uln, ast_x_uln)


def _odwg(trail: Trail, bilirubin_x_uln: float | None, ast_x_uln: float | None) -> frozenset[str]:
    """Bilirubin bands decide first; AST only separates normal from mild when bilirubin <= ULN."""
    if bilirubin_x_uln is None:
        return frozenset(b.shown() for b in trail.rules.get(ODWG_BILIRUBIN, BandSet).bands)
    category = trail.band(ODWG_BILIRUBIN, bilirubin_x_uln, "bilirubin x ULN").shown()
    if category != "normal":
        return frozenset({category})
    if ast_x_uln is None:
        return frozenset({"normal", "mild"})
    ast = trail.band(ODWG_AST, ast_x_uln, "AST x ULN").shown()
    return frozenset({"mild" if ast == "raised" else "normal"})


def odwg_category(
    bilirubin_x_uln: float | None,
    ast_x_uln: float | None,
    rules: InstrumentRules,
    settings: InstrumentSettings | None = None,
) -> InstrumentResult:
    """The category, or `unknown` (with a warning) when the inputs allow more than one."""
    trail = start(rules, settings)
    candidates = _odwg(trail, bilirubin_x_uln, ast_x_uln)
    category = next(iter(candidates)) if len(candidates) == 1 else "unknown"
    if category == "unknown":
        trail.warn(
            "bilirubin within ULN and AST not given: normal and mild cannot be told apart"
            if bilirubin_x_uln is not None
            else "bilirubin x ULN not given: the category cannot be decided"
        )
    values: dict[str, Any] = {
        "category": category,
        "bilirubin_x_uln": bilirubin_x_uln,
        "ast_x_uln": ast_x_uln,
    }
    return trail.finish(
        "odwg",
        "NCI Organ Dysfunction Working Group hepatic categories",
        "bilirubin with its ULN required; AST needed only when bilirubin is within ULN",
        values,
    )


# ---- CTCAE v5 liver-test grades -------------------------------------------------------------


def ctcae_grade(test: str, x_uln: float, rules: InstrumentRules) -> int:
    """CTCAE v5 grade of bilirubin, AST, ALT or ALP from its multiple of ULN (baseline normal)."""
    found = rules.get(CTCAE[test], BandSet).find(x_uln).value
    assert found is not None
    return int(found)


def visceral_crisis_thresholds(rules: InstrumentRules) -> Formula:
    """The hepatic visceral-crisis thresholds the plan engine reads (planner.domain.hepatic)."""
    return rules.get(VISCERAL_CRISIS, Formula)


def visceral_crisis_rise(rules: InstrumentRules) -> Formula:
    """The meaningful-rise setting's default and bounds (a clinic setting, unverified)."""
    return rules.get(VISCERAL_CRISIS_RISE, Formula)
