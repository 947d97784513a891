"""Liver function of one case: multiples of ULN, NCI-ODWG, Child–Pugh, ALBI, CTCAE, visceral crisis.

Why one module: a case's liver function is one value (`HepaticAssessment`) built in one pass: the
ULN multiples, ODWG, Child–Pugh, ALBI, the lab trend and visceral crisis share the same doubted
labs, gaps and still-possible classes. The formulas are already the instruments'
(`instruments.liver_scores`); what is here is how one case uses them.

Public API (pure; used by the plan engine and by `dosing`)::

    assess_liver(case, limits, settings=ClinicSettings(), doubts=(), *, instruments)
        -> HepaticAssessment        # instruments: RuleSet.instruments (the rule tables)
    HepaticAssessment.to_json()   # the contract's `hepatic` block (plus evidence keys)

Every formula and cut-off is the instruments' own: ODWG, Child–Pugh, ALBI and the CTCAE grades
are computed by `planner.domain.instruments.liver_scores` from the rows of
resources/rules/instruments/liver_kidney_body.toml (the numbers quoted below are those rows,
for the reader); this module adds what a case needs on top: multiples of ULN with clinic
defaults, gaps, the classes and categories still possible when an input is missing, doubts,
the visceral-crisis states, and the evidence.

Rules (shared/reference/dosing.md §1, instruments.md §7):

- **× ULN.** Bilirubin, AST, ALT and ALP are divided by the reporting lab's own ULN (`uln` on the
  result, same unit); failing that by the clinic's default ULN (`ClinicSettings.lab_uln`, in the
  canonical unit) and the basis says so; failing that the multiple is `None` with a gap. The
  program ships no reference ranges.
- **NCI-ODWG** (§1.2): bilirubin decides first: > 3 × ULN severe, > 1.5–3 moderate, > 1.0–1.5
  mild; at or below ULN, AST > ULN is mild, else normal. Edges: 1.5 × ULN is mild, 3.0 × ULN
  moderate. Unknown inputs give `unknown`; `odwg_candidates` still lists what the known inputs
  allow (bilirubin ≤ ULN with no AST: normal or mild), so a dose rule can decide when every
  candidate leads to the same action.
- **Child–Pugh** (§1.3): bilirubin < 2 / 2–3 / > 3 mg/dL (inclusive middle band), albumin
  > 35 / 28–35 / < 28 g/L (or 30 with the clinic's instrument setting `child_pugh_albumin =
  harrison`, read from `ClinicSettings.instrument_settings`), INR
  < 1.7 / 1.7–2.3 / > 2.3, ascites and encephalopathy by grade. Any missing item makes the
  score `None` with a gap; `child_pugh_classes` keeps the classes still possible.
- **ALBI** (instruments §7.2): 0.66 log10(bilirubin µmol/L) − 0.085 albumin g/L; grade 1
  ≤ −2.60, grade 2 ≤ −1.39, else 3.
- **CTCAE v5** (§1.4): the ULN-based ("baseline normal") grade of each liver test.
- **Hepatic visceral crisis** (regimens_supportive.md VC-2, VC-3, D-2; contract §3 alert
  `hepatic_visceral_crisis`, §3a "rising"). "Rising" means an increase of more than the clinic's
  meaningful-rise setting (`ClinicSettings.crisis_rise_percent`; default and bounds in the rule
  row `instr.visceral_crisis.meaningful_rise`, unverified: no guideline puts a number on
  "rapidly") against the most recent earlier result drawn at most 14 days before; the change is
  kept as `bilirubin_trend` and quoted in the warning.
  `yes`   bilirubin > 1.5 × ULN and rising, with biliary obstruction and Gilbert's syndrome both
          recorded as absent;
  `watch` (at most) bilirubin > 1.5 × ULN and rising with obstruction/Gilbert's not recorded,
          with no earlier result, with an earlier result more than 14 days old, or with a rise
          below the setting; bilirubin > ULN and rising; AST/ALT > 200 U/L (D-2) unless falling;
          diffuse liver involvement with AST or ALT > 2 × ULN and a meaningful ALP or GGT rise
          (VC-3); bilirubin > 1.5 mg/dL (D-2) only when bilirubin × ULN is unknown (with a ULN,
          the × ULN definition decides: 1.29 × ULN is not a crisis) and not falling;
  `no`    none of these: a falling or unchanged bilirubin is not a crisis (bilirubin explained by
          obstruction or Gilbert's is `no`, with a warning);
  `unknown` bilirubin (or its ULN) is missing and nothing else triggers `watch`.

Values the validator doubted (a likely unit mix-up) are still computed but listed in `doubtful`
and in `warnings`; the dosing module refuses to print doses that depend on them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from planner.domain.case import Case, LabResult
from planner.domain.evidence import Basis, Gap, instrument_basis
from planner.domain.frozen_value import frozen_value
from planner.domain.instruments import liver_scores
from planner.domain.instruments.result import InstrumentResult
from planner.domain.instruments.tables import BandSet, InstrumentRules
from planner.domain.limits import CaseLimits
from planner.domain.plan_words import child_pugh_points_words, field_words, unit_words
from planner.domain.problems import Problem
from planner.domain.settings import ClinicSettings
from planner.domain.units import convert, to_canonical

ULN_TESTS = ("bilirubin", "ast", "alt", "alp")
ODWG_CATEGORIES = ("normal", "mild", "moderate", "severe")
CHILD_PUGH_CLASSES = ("A", "B", "C")

# Rule ids and the source ids they rest on (resources/rules/doses/frameworks.toml; CTCAE and
# visceral crisis: resources/rules/instruments/liver_kidney_body.toml, beside their rows).
RULE_ULN = "hepatic.x_uln"
RULE_ODWG = "hepatic.odwg"
RULE_CHILD_PUGH = "hepatic.child_pugh"
RULE_ALBI = "hepatic.albi"
RULE_CTCAE = "hepatic.ctcae_v5"
RULE_VC = "hepatic.visceral_crisis"
SOURCES = {
    RULE_ULN: "dose.ref.units",
    RULE_ODWG: "dose.ref.odwg",
    RULE_CHILD_PUGH: "dose.ref.child_pugh",
    RULE_ALBI: "dose.ref.albi",
    RULE_CTCAE: "instr.src.ctcae-v5",
    RULE_VC: "instr.src.visceral-crisis",
}


def clean(value: float) -> float:
    """Round away binary noise (34.2 / 17.1 must be exactly 2.0 at a band edge)."""
    return round(value, 9)


def doubtful_labs(doubts: Iterable[Problem]) -> frozenset[str]:
    """Names of current lab results the validator doubted (`labs.<name>.value` or `.uln`)."""
    out = set()
    for problem in doubts:
        parts = problem.path.split(".")
        if problem.severity == "doubt" and len(parts) >= 2 and parts[0] == "labs":
            out.add(parts[1])
    return frozenset(out)


@frozen_value
class LiverTest:
    """One liver test: value and ULN in the canonical unit, the multiple, and its CTCAE grade."""

    name: str
    value: float
    unit: str
    uln: float | None
    uln_from: str | None  # "result", "clinic" or None
    x_uln: float | None
    ctcae_grade: int | None


@frozen_value
class ChildPugh:
    """The score and class. `points` None: an item is not scored (the INR of an anticoagulant,
    `unscored`) and every value it could take gives this one class (rx24 W2: 6 points before an
    INR that measures apixaban is class B whatever the INR); `points_range` then holds the
    fewest and most points it allows."""

    points: int | None
    child_class: str
    albumin_option: str  # instrument setting child_pugh_albumin (pugh_1973, harrison)
    albumin_cutoff_g_l: float  # from the chosen band table: below it, albumin scores 3 points
    points_range: tuple[int, int] | None = None
    unscored: tuple[str, ...] = ()

    @property
    def albumin_variant(self) -> str:
        """The albumin cut-off in g/dL as printed ("2.8"), read from the chosen band table."""
        return f"{self.albumin_cutoff_g_l / 10:.1f}"

    @property
    def points_words(self) -> str:
        """ "7 points", or "7–9 points whatever the INR" when an item is not scored."""
        return child_pugh_points_words(self.points, self.points_range, self.unscored)

    def to_json(self) -> dict[str, Any]:
        if self.points is not None:
            return {"points": self.points, "class": self.child_class}
        return {
            "points": None,
            "class": self.child_class,
            "points_range": None if self.points_range is None else list(self.points_range),
            "unscored": list(self.unscored),
        }


@frozen_value
class Albi:
    score: float
    grade: int

    def to_json(self) -> dict[str, Any]:
        return {"score": self.score, "grade": self.grade}


@frozen_value
class HepaticAssessment:
    tests: Mapping[str, LiverTest]
    bilirubin_umol_l: float | None
    bilirubin_mg_dl: float | None
    albumin_g_l: float | None
    odwg: str
    odwg_candidates: frozenset[str]
    child_pugh: ChildPugh | None
    child_pugh_classes: frozenset[str]
    albi: Albi | None
    visceral_crisis: str
    bilirubin_trend: LabTrend | None
    liver_metastases: bool | None
    doubtful: frozenset[str]
    basis: tuple[Basis, ...]
    gaps: tuple[Gap, ...]
    warnings: tuple[str, ...]
    # the anticoagulants she takes that make a recorded INR unscored (rx21 W4: the liver line
    # said "Child–Pugh not recorded" although the INR was recorded)
    inr_not_scored: tuple[str, ...] = ()

    def x_uln(self, test: str) -> float | None:
        found = self.tests.get(test)
        return None if found is None else found.x_uln

    @property
    def bilirubin_x_uln(self) -> float | None:
        return self.x_uln("bilirubin")

    @property
    def ast_x_uln(self) -> float | None:
        return self.x_uln("ast")

    @property
    def alt_x_uln(self) -> float | None:
        return self.x_uln("alt")

    @property
    def alp_x_uln(self) -> float | None:
        return self.x_uln("alp")

    @property
    def severe_impairment(self) -> bool:
        """The contract's `severe_hepatic_impairment` alert: ODWG severe or Child–Pugh C."""
        return self.odwg == "severe" or (
            self.child_pugh is not None and self.child_pugh.child_class == "C"
        )

    def to_json(self) -> dict[str, Any]:
        """The contract's `hepatic` block, full precision (round only when printing)."""
        return {
            "odwg": self.odwg,
            "bilirubin_x_uln": self.bilirubin_x_uln,
            "ast_x_uln": self.ast_x_uln,
            "alt_x_uln": self.alt_x_uln,
            "alp_x_uln": self.alp_x_uln,
            "child_pugh": None if self.child_pugh is None else self.child_pugh.to_json(),
            "child_pugh_albumin_variant": (
                None if self.child_pugh is None else self.child_pugh.albumin_variant
            ),
            "child_pugh_albumin_setting": (
                None if self.child_pugh is None else self.child_pugh.albumin_option
            ),
            "albi": None if self.albi is None else self.albi.to_json(),
            "ctcae": {name: t.ctcae_grade for name, t in self.tests.items()},
            "visceral_crisis": self.visceral_crisis,
            # the percent change the crisis trend rests on (contract §3a), null without one
            "bilirubin_trend": None
            if self.bilirubin_trend is None
            else self.bilirubin_trend.to_json(),
            # a recorded INR not scored for Child–Pugh: the anticoagulants that raise it
            "child_pugh_inr_not_scored": list(self.inr_not_scored),
            "basis": [b.to_json() for b in self.basis],
            "gaps": [g.to_json() for g in self.gaps],
            "warnings": list(self.warnings),
        }


@dataclass
class _Notes:
    # each once, in the order first noted: dicts as ordered sets (a list's `not in` compared
    # every entry, ~260 comparisons per liver assessment)
    basis: dict[Basis, None] = field(default_factory=dict)
    gaps: dict[Gap, None] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def cite(self, rule: str) -> None:
        self.basis[Basis(rule, SOURCES[rule], True)] = None

    def cite_basis(self, entries: Iterable[Basis]) -> None:
        for entry in entries:
            self.basis[entry] = None

    def gap(self, path: str, effect: str) -> None:
        self.gaps[Gap(path, effect)] = None

    def rows(self, result: InstrumentResult) -> None:
        """Cite the instrument rule rows a calculation applied (their sources and verified flags)."""
        self.cite_basis(instrument_basis(result))


def _liver_test(
    name: str,
    result: LabResult,
    limits: CaseLimits,
    settings: ClinicSettings,
    instruments: InstrumentRules,
) -> LiverTest:
    canonical_unit = limits.labs[name].canonical_unit
    value = clean(to_canonical(limits, name, result))
    if result.uln is not None:
        uln: float | None = clean(
            convert(limits, name, result.uln, result.unit or "", canonical_unit)
        )
        uln_from: str | None = "result"
        x_uln: float | None = clean(result.value / result.uln)
    elif name in settings.lab_uln:
        uln, uln_from = float(settings.lab_uln[name]), "clinic"
        x_uln = clean(value / uln)
    else:
        uln = uln_from = x_uln = None
    grade = None if x_uln is None else liver_scores.ctcae_grade(name, x_uln, instruments)
    return LiverTest(name, value, canonical_unit, uln, uln_from, x_uln, grade)


def _in_result_unit(name: str, test: LiverTest, result: LabResult, limits: CaseLimits) -> str:
    """The clinic's default ULN in the unit the result was typed in: a mg/dL clinic read
    "20.52 µmol/L" for its own 1.2 mg/dL (independent walk 16d)."""
    assert test.uln is not None
    unit = result.unit if result.unit and result.unit in limits.labs[name].units else test.unit
    uln = test.uln if unit == test.unit else clean(convert(limits, name, test.uln, test.unit, unit))
    return f"{uln:g} {unit_words(unit)}"


def assess_liver(
    case: Case,
    limits: CaseLimits,
    settings: ClinicSettings | None = None,
    doubts: Iterable[Problem] = (),
    *,
    instruments: InstrumentRules,
) -> HepaticAssessment:
    """Assess liver function from the current labs (and earlier ones for the trend)."""
    settings = settings or ClinicSettings()
    notes = _Notes()
    doubtful = doubtful_labs(doubts)
    labs = case.labs
    tests: dict[str, LiverTest] = {}
    for name in ULN_TESTS:
        result = labs.result(name) if labs is not None else None
        if result is None:
            notes.gap(f"labs.{name}", f"{name} not recorded: its multiple of ULN is unknown")
            continue
        test = _liver_test(name, result, limits, settings, instruments)
        tests[name] = test
        if test.uln_from == "clinic":
            # words, not a field path: the labs page and the print show it as it is
            # ("labs.bilirubin.uln: … 21 umol/L", issue 16, review 16c finding 15)
            notes.warnings.append(
                f"{field_words(f'labs.{name}')}: no upper limit of normal (ULN) on the result; "
                f"the clinic default, {_in_result_unit(name, test, result, limits)}, was used"
            )
        elif test.uln_from is None:
            notes.gap(
                f"labs.{name}.uln",
                f"no ULN on the result and no clinic default: {name} × ULN, and every rule "
                "that needs it, cannot be decided",
            )
        if name in doubtful:
            notes.warnings.append(
                f"{field_words(f'labs.{name}')}: unit or range doubt; results that depend on it "
                "are not reliable"
            )
    if tests:
        notes.cite(RULE_ULN)

    bilirubin = tests.get("bilirubin")
    bilirubin_umol = bilirubin.value if bilirubin else None
    bilirubin_mg_dl = (
        clean(convert(limits, "bilirubin", bilirubin.value, bilirubin.unit, "mg/dL"))
        if bilirubin
        else None
    )
    albumin_result = labs.albumin if labs is not None else None
    albumin_g_l = clean(to_canonical(limits, "albumin", albumin_result)) if albumin_result else None

    bili_x = bilirubin.x_uln if bilirubin else None
    ast_x = tests["ast"].x_uln if "ast" in tests else None
    odwg_result = liver_scores.odwg_category(bili_x, ast_x, instruments)
    candidates = liver_scores.odwg_candidates(bili_x, ast_x, instruments)
    odwg = odwg_result["category"]
    notes.cite(RULE_ODWG)
    notes.rows(odwg_result)
    if odwg == "unknown":
        missing = "labs.bilirubin" if bili_x is None else "labs.ast"
        notes.gap(missing, "NCI-ODWG category cannot be decided")
    graded = [t.name for t in tests.values() if t.ctcae_grade is not None]
    if graded:
        notes.cite(RULE_CTCAE)
        for name in graded:
            rule = instruments.rules[liver_scores.CTCAE[name]]
            notes.cite_basis(Basis(rule.id, source, rule.verified) for source in rule.sources)

    child_pugh, classes = _child_pugh(
        case, bilirubin_umol, albumin_g_l, settings, instruments, notes, limits
    )
    albi = _albi(bilirubin_umol, albumin_g_l, instruments, notes)
    crisis, trend = _visceral_crisis(
        case, limits, instruments, settings, tests, bilirubin_mg_dl, notes
    )
    disease = case.disease
    return HepaticAssessment(
        tests=tests,
        bilirubin_umol_l=bilirubin_umol,
        bilirubin_mg_dl=bilirubin_mg_dl,
        albumin_g_l=albumin_g_l,
        odwg=odwg,
        odwg_candidates=candidates,
        child_pugh=child_pugh,
        child_pugh_classes=classes,
        albi=albi,
        visceral_crisis=crisis,
        bilirubin_trend=trend,
        liver_metastases=None if disease is None else disease.liver_metastases,
        doubtful=doubtful & {*ULN_TESTS, "albumin", "inr"},
        basis=tuple(notes.basis),
        gaps=tuple(notes.gaps),
        warnings=tuple(notes.warnings),
        inr_not_scored=(
            inr_confounders(case, limits) if case.labs is not None and case.labs.inr else ()
        ),
    )


def _child_pugh(
    case: Case,
    bilirubin_umol_l: float | None,
    albumin_g_l: float | None,
    settings: ClinicSettings,
    instruments: InstrumentRules,
    notes: _Notes,
    limits: CaseLimits,
) -> tuple[ChildPugh | None, frozenset[str]]:
    labs, clinical = case.labs, case.clinical
    inr = labs.inr if labs is not None else None
    confounded = inr_confounded(case, limits) if inr is not None else None
    if confounded is not None:
        # The INR of an anticoagulated patient is not scored (rx20 F5: a warfarin INR of 3.4
        # made Child–Pugh B and lowered every Child–Pugh-banded dose): the item is a gap, as
        # an INR not recorded is, so Child–Pugh has no score and its possible classes show.
        inr = None
    chosen = settings.instrument_settings(instruments)
    result = liver_scores.child_pugh(
        bilirubin_umol_l,
        albumin_g_l,
        None if inr is None else inr.value,
        None if clinical is None else clinical.ascites,
        None if clinical is None else clinical.encephalopathy,
        instruments,
        chosen,
    )
    notes.cite(RULE_CHILD_PUGH)
    notes.rows(result)
    paths = {
        "bilirubin": "labs.bilirubin",
        "albumin": "labs.albumin",
        "inr": "labs.inr",
        "ascites": "clinical.ascites",
        "encephalopathy": "clinical.encephalopathy",
    }
    for item in result["missing"]:
        if item == "inr" and confounded is not None:
            continue  # its own reason is the gap
        notes.gap(paths[item], "not recorded: Child–Pugh score cannot be given")
    classes = frozenset(result["classes"])
    option = result.settings["child_pugh_albumin"]
    cutoff = _albumin_cutoff(instruments, option)
    if confounded is not None:
        reason, basis = confounded
        # every INR it could have gives one class: that class, the INR's reason beside it (rx24
        # W2); an INR merely not recorded stays a gap to fill, never a class told
        whatever = result["missing"] == ["inr"] and len(classes) == 1
        notes.gap(
            "labs.inr",
            reason
            + (
                f"; the other items give class {next(iter(classes))} whatever the INR"
                if whatever
                else ", so Child–Pugh is not assessable: a dose banded by it is checked against "
                "every class the other items allow"
            ),
        )
        notes.cite_basis(basis)
        if whatever:
            low, high = result["points_range"]
            return ChildPugh(
                None, next(iter(classes)), option, cutoff, (low, high), ("inr",)
            ), classes
    if result["points"] is None:
        return None, classes
    return ChildPugh(result["points"], result["class"], option, cutoff), classes


def inr_confounded(case: Case, limits: CaseLimits) -> tuple[str, tuple[Basis, ...]] | None:
    """Why the INR is not read for Child–Pugh (a medicine she takes makes it measure the
    anticoagulant: limits' [[confounder]] rows for "inr"), with the basis; None when it is."""
    for row in limits.confounders:
        if row.lab != "inr":
            continue
        mine = _taken_of(case, row.drugs)
        if mine:
            said = row.text + ("" if row.verified else " (unverified — confirm locally)")
            reason = (
                f"{', '.join(dict.fromkeys(mine))} recorded: {said}; the Child–Pugh INR item is "
                "not scored"
            )
            return reason, tuple(Basis(row.id, src, row.verified) for src in row.sources)
    return None


def inr_confounders(case: Case, limits: CaseLimits) -> tuple[str, ...]:
    """The medicines she takes that make the INR measure the anticoagulant (the drugs of the
    first [[confounder]] row for "inr" she takes, as `inr_confounded` reads them)."""
    for row in limits.confounders:
        if row.lab == "inr":
            mine = _taken_of(case, row.drugs)
            if mine:
                return mine
    return ()


def _taken_of(case: Case, drugs: Collection[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(m.drug for m in case.medications or () if m.drug in drugs))


def _albumin_cutoff(instruments: InstrumentRules, option: str) -> float:
    """The lowest albumin (g/L) the chosen band table does not score as 3 points."""
    bands = instruments.get(instruments.setting("child_pugh_albumin").options[option], BandSet)
    worst = max(b.value or 0 for b in bands.bands)
    return min(b.interval.low for b in bands.bands if (b.value or 0) < worst)


def _albi(
    bilirubin_umol: float | None,
    albumin_g_l: float | None,
    instruments: InstrumentRules,
    notes: _Notes,
) -> Albi | None:
    if bilirubin_umol is None or albumin_g_l is None:
        for path, value in (("labs.bilirubin", bilirubin_umol), ("labs.albumin", albumin_g_l)):
            if value is None:
                notes.gap(path, "not recorded: ALBI score cannot be given")
        return None
    if bilirubin_umol <= 0:
        notes.gap("labs.bilirubin.value", "bilirubin 0 has no logarithm: ALBI cannot be given")
        return None
    notes.cite(RULE_ALBI)
    result = liver_scores.albi(bilirubin_umol, albumin_g_l, instruments)
    notes.rows(result)
    return Albi(result["score"], result["grade"])


@frozen_value
class LabTrend:
    """One test against its most recent earlier result: how much it changed and how long ago."""

    lab: str
    earlier_drawn_on: dt.date
    earlier_value: float  # canonical unit
    days: int
    percent_change: float | None  # None when the earlier value is 0
    meaningful_rise_percent: float
    window_days: float

    @property
    def recent(self) -> bool:
        return self.days <= self.window_days

    @property
    def rising(self) -> bool:
        """A meaningful rise (more than the setting) against a result at most the window older."""
        return (
            self.recent
            and self.percent_change is not None
            and self.percent_change > self.meaningful_rise_percent
        )

    @property
    def falling_or_flat(self) -> bool:
        return self.percent_change is not None and self.percent_change <= 0

    def describe(self) -> str:
        change = "n/a" if self.percent_change is None else f"{self.percent_change:+.1f} %"
        return f"{self.lab} {change} over {self.days} days"

    def to_json(self) -> dict[str, Any]:
        return {
            "lab": self.lab,
            "earlier_drawn_on": self.earlier_drawn_on.isoformat(),
            "earlier_value": self.earlier_value,
            "days": self.days,
            "percent_change": (
                None if self.percent_change is None else round(self.percent_change, 1)
            ),
            "meaningful_rise_percent": self.meaningful_rise_percent,
            "window_days": self.window_days,
            "rising": self.rising,
        }


def check_crisis_rise(instruments: InstrumentRules, percent: float | None) -> None:
    """Raise ValueError for a clinic meaningful-rise setting outside the rule row's bounds."""
    if percent is None:
        return
    row = liver_scores.visceral_crisis_rise(instruments)
    low, high = row["lowest_percent"], row["highest_percent"]
    if not low <= percent <= high:
        raise ValueError(f"crisis_rise_percent: {percent:g} is outside {low:g}–{high:g} %")


def _trend(
    case: Case,
    limits: CaseLimits,
    lab: str,
    current: LiverTest,
    rise_percent: float,
    window_days: float,
) -> LabTrend | None:
    """`lab` against its most recent earlier result (previous_labs), or None without one."""
    labs = case.labs
    if labs is None:
        return None
    earlier = [
        (p.drawn_on, p.result(lab))
        for p in (case.previous_labs or ())
        if p.drawn_on < labs.drawn_on and p.result(lab) is not None
    ]
    if not earlier:
        return None
    on, result = max(earlier, key=lambda pair: pair[0])
    assert result is not None
    before = clean(to_canonical(limits, lab, result))
    change = None if before <= 0 else clean((current.value - before) / before * 100.0)
    return LabTrend(lab, on, before, (labs.drawn_on - on).days, change, rise_percent, window_days)


def _visceral_crisis(
    case: Case,
    limits: CaseLimits,
    instruments: InstrumentRules,
    settings: ClinicSettings,
    tests: Mapping[str, LiverTest],
    bilirubin_mg_dl: float | None,
    notes: _Notes,
) -> tuple[str, LabTrend | None]:
    """Contract §3 `hepatic_visceral_crisis` with §3a "rising": an increase of more than the
    clinic's meaningful-rise setting against a result at most `rapid_days` older."""
    notes.cite(RULE_VC)
    vc = liver_scores.visceral_crisis_thresholds(instruments)
    rise_row = liver_scores.visceral_crisis_rise(instruments)
    for row in (vc, rise_row):
        notes.cite_basis(Basis(row.id, source, row.verified) for source in row.sources)
    high_x_uln, rapid_days = vc["bilirubin_x_uln"], vc["rapid_days"]
    alternative_mg_dl, alternative_u_l = (
        vc["alternative_bilirubin_mg_dl"],
        vc["alternative_enzyme_u_l"],
    )
    impending_x_uln = vc["impending_enzyme_x_uln"]
    chosen = settings.crisis_rise_percent
    rise_percent = rise_row["default_percent"] if chosen is None else float(chosen)
    rise_words = (
        f"meaningful rise > {rise_percent:g} % within {rapid_days:g} days "
        f"({'clinic setting' if chosen is not None else 'default'}"
        + ("" if rise_row.verified else "; unverified — confirm locally")
        + ")"
    )
    disease = case.disease
    obstruction = None if disease is None else disease.biliary_obstruction
    gilbert = None if disease is None else disease.gilbert_syndrome
    explained = obstruction is True or gilbert is True
    bilirubin = tests.get("bilirubin")
    trends = {
        name: _trend(case, limits, name, test, rise_percent, rapid_days)
        for name, test in tests.items()
    }
    bilirubin_trend = trends.get("bilirubin")
    watch: list[str] = []

    def falling(name: str) -> bool:
        trend = trends.get(name)
        return trend is not None and trend.recent and trend.falling_or_flat

    # Alternative (non-ABC) definitions and the "impending" picture are `watch` at most (D-2,
    # VC-3), and never on a value that is falling against a recent result.
    enzymes = [tests[n] for n in ("ast", "alt") if n in tests]
    high_enzymes = [t for t in enzymes if t.value > alternative_u_l and not falling(t.name)]
    if high_enzymes:
        watch.append(
            f"AST or ALT above {alternative_u_l:g} U/L (alternative visceral-crisis definition)"
        )
    rising_markers = [t for n in ("alp", "ggt") if (t := trends.get(n)) is not None and t.rising]
    if (
        disease is not None
        and disease.liver_lesions == "diffuse"
        and any(t.x_uln is not None and t.x_uln > impending_x_uln for t in enzymes)
        and rising_markers
    ):
        watch.append(
            f"diffuse liver involvement, AST/ALT > {impending_x_uln:g} × ULN and "
            + ", ".join(t.describe() for t in rising_markers)
            + f" ({rise_words}; impending crisis)"
        )

    if bilirubin is None or bilirubin.x_uln is None or case.labs is None:
        # Without bilirubin × ULN the contract's definition cannot be checked. Only then does the
        # absolute bilirubin rule (D-2) stand in for it: with a known ULN, × ULN decides.
        if (
            not explained
            and bilirubin_mg_dl is not None
            and bilirubin_mg_dl > alternative_mg_dl
            and not falling("bilirubin")
        ):
            watch.append(
                f"bilirubin above {alternative_mg_dl:g} mg/dL with no ULN (alternative "
                "visceral-crisis definition)"
            )
        notes.gap(
            "labs.bilirubin" if bilirubin is None else "labs.bilirubin.uln",
            "hepatic visceral crisis cannot be confirmed or excluded"
            if watch
            else "hepatic visceral crisis cannot be assessed",
        )
        if watch:
            notes.warnings.append("visceral crisis: watch — " + "; ".join(watch))
            return "watch", bilirubin_trend
        return "unknown", bilirubin_trend

    high = bilirubin.x_uln > high_x_uln
    trend = bilirubin_trend
    change = "" if trend is None else f" ({trend.describe()}; {rise_words})"
    if explained and bilirubin.x_uln > 1.0:
        cause = "biliary obstruction" if obstruction else "Gilbert's syndrome"
        notes.warnings.append(
            f"raised bilirubin with {cause} recorded: not counted as visceral crisis "
            "(obstruction: consider drainage first)"
        )
    elif high and trend is not None and trend.rising:
        if obstruction is False and gilbert is False:
            notes.warnings.append(
                f"visceral crisis: bilirubin {bilirubin.x_uln:.2f} × ULN > {high_x_uln:g} and "
                f"rising{change}"
            )
            return "yes", trend
        for path, value in (
            ("disease.biliary_obstruction", obstruction),
            ("disease.gilbert_syndrome", gilbert),
        ):
            if value is None:
                notes.gap(
                    path, "not recorded: visceral crisis cannot be confirmed (shown as watch)"
                )
        watch.append(
            f"bilirubin > {high_x_uln:g} × ULN and rising{change}; obstruction/Gilbert's not "
            "excluded"
        )
    elif high and trend is None:
        notes.gap("previous_labs", "no earlier bilirubin: the trend (visceral crisis) is unknown")
        watch.append(f"bilirubin > {high_x_uln:g} × ULN with no earlier result to show a trend")
    elif high and trend is not None and not trend.recent:
        watch.append(
            f"bilirubin > {high_x_uln:g} × ULN; the earlier result is more than {rapid_days:g} "
            f"days old{change}"
        )
    elif high and trend is not None and not trend.falling_or_flat:
        watch.append(
            f"bilirubin > {high_x_uln:g} × ULN with a rise below the meaningful-rise setting"
            f"{change}"
        )
    elif bilirubin.x_uln > 1.0 and trend is not None and trend.rising:
        watch.append(f"bilirubin above ULN and rising{change}")
    if watch:
        notes.warnings.append("visceral crisis: watch — " + "; ".join(watch))
        return "watch", trend
    return "no", trend


ODWG_BILIRUBIN_BANDS = "instr.odwg.bilirubin_x_uln"


def bilirubin_reference_lines(instruments: InstrumentRules) -> tuple[tuple[float, str], ...]:
    """The bilirubin × ULN edges above the normal range where the ODWG class changes (1.5 and
    3 × ULN today), read from the rule table, for the lines drawn on trend charts."""
    bands = instruments.get(ODWG_BILIRUBIN_BANDS, BandSet).bands
    edges = sorted({b.interval.high for b in bands if 1.0 < b.interval.high < float("inf")})
    return tuple((edge, f"{edge:g} × ULN") for edge in edges)
