"""Typed, frozen tables of the cycle review (contract §5): each drug's dose levels and its label's
modification rules, and the on-treatment alerts.

Built by `planner.rules.cycle` from resources/rules/cycle/*.toml; read by
`planner.domain.cycle_review`.

- `Ladder`: a drug's dose levels. Level 0 is the starting dose, −1, −2 … the label's reductions,
  either as percentages of the starting dose (capecitabine 100/75/50) or as doses (docetaxel
  100/75/55 mg/m², palbociclib 125/100/75 mg). `re_escalate` says whether the label lets a
  reduced dose rise again; `below_last` what the label says when a reduction is due at the last
  level (`discontinue`, or `no_label_dose`: the label names no lower dose, so none is printed);
  `days` the days of the cycle the label's table covers; `return_to` where a reduced step
  rises again once no row of the label holds it there (the dose of the day by that day's
  bilirubin); `organ_doses` a second ladder holding the label's liver doses (everolimus 7.5 mg). `label_set` (`"us"`/`"eu"`): the ladder
  of one label set, used when the clinic follows it (eribulin: the US label doses the mesylate
  1.4 → 1.1 → 0.7 mg/m², the EU SmPC the base 1.23 → 0.97 → 0.62 mg/m²); None: every label set.
- `CycleRule`: one row of a label's table. It matches a toxicity (`terms`, a worst-grade range,
  optionally its occurrence and duration) or a measured value (`when`: neutrophils < 1.5 × 10⁹/L),
  optionally only on some days of the cycle or at some current dose levels (`at_levels`: a label
  whose table depends on the table the patient is already on, as vinorelbine's after febrile
  neutropenia), and says what happens: `give` (at a level no higher
  than `level`, or `down` steps below the current one), `hold` (the same, once `resume_when` is
  met), or `discontinue`. `later_doses_table`: the row's `level` is the dose of the day of a
  table the label keeps her on for all later doses (a lower step returns to it). `resolve_to`: the dose is given only once the toxicity is back to this
  grade; until then the drug is held.
- `AlertRule`: an on-treatment alert (Hy's law, febrile neutropenia, pneumonitis) as conditions.
- `CycleSetting`: a point where the labels disagree for some regimens (gemcitabine's day-8 table
  with carboplatin), made a clinic setting: its options and default. A `CycleRule` with `setting`
  and `option` applies in the setting's regimens only when the clinic chose that option (elsewhere
  as if it had none); a rule with `regimens` applies only in those regimens.
- `LiverGrading`: how a drug's label grades ALT, AST and bilirubin for its rows by CTCAE term:
  `x_uln` — in × ULN as the label writes its grades ("Grade 3 (> 5 to 20 × ULN)"; CTCAE v4 and
  earlier), today's result against the lab's ULN even where her baseline was abnormal; or
  `ctcae_baseline` — CTCAE v5, against her own baseline where it was above the ULN. Every drug
  whose rows name a liver term says which, with its source (a liver-metastasis baseline of
  2 × ULN puts ALT 6 × ULN at CTCAE v5 grade 1, at the label's × ULN grade 3).
- `Companion`: a drug whose label gives it only with a partner (pertuzumab with trastuzumab): when
  the partner is held it is held, when the partner is discontinued it is discontinued, whatever
  its own rows say.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import field
from functools import cached_property
from types import MappingProxyType
from typing import Annotated

from planner.domain.case import URINE_DIPSTICK
from planner.domain.dose_tables import DOSE_UNITS, LABEL_SETS
from planner.domain.evidence import Basis
from planner.domain.frozen_value import frozen_value
from planner.domain.supportive_tables import ALERT_LEVELS
from planner.domain.table_keys import Key, Sources

ACTIONS = ("give", "hold", "discontinue")
# what a companion takes over from its partner (a partner's reduction is not one of them: the
# antibodies have no dose levels)
FOLLOWS = ("hold", "discontinue")
BELOW_LAST = ("discontinue", "no_label_dose")
# how a label grades the liver tests of its rows by CTCAE term (see LiverGrading)
LIVER_BASES = ("x_uln", "ctcae_baseline")
# the liver terms of the case's enumeration (ALP has no term there: it is graded, never a row's)
LIVER_TERMS = (
    "alanine_aminotransferase_increased",
    "aspartate_aminotransferase_increased",
    "blood_bilirubin_increased",
)
# measure -> (words for the reader, unit as printed, the case field it comes from)
MEASURES: Mapping[str, tuple[str, str, str]] = {
    "anc": ("neutrophils", "× 10⁹/L", "labs.anc"),
    "platelets": ("platelets", "× 10⁹/L", "labs.platelets"),
    "hemoglobin": ("haemoglobin", "g/L", "labs.hemoglobin"),
    "glucose_fasting": ("fasting glucose", "mmol/L", "labs.glucose_fasting"),
    "bilirubin_x_uln": ("bilirubin", "× ULN", "labs.bilirubin"),
    "alt_x_uln": ("ALT", "× ULN", "labs.alt"),
    "ast_x_uln": ("AST", "× ULN", "labs.ast"),
    "alp_x_uln": ("ALP", "× ULN", "labs.alp"),
    # the higher of ALT and AST ("ALT or AST > 3 × ULN")
    "transaminases_x_uln": ("ALT/AST", "× ULN", "labs.alt"),
    "lvef_percent": ("LVEF", "%", "clinical.lvef_percent"),
    # points the LVEF fell from the course's baseline (treatment.baseline_lvef_percent − today's)
    "lvef_drop_points": ("LVEF fall from baseline", "points", "treatment.baseline_lvef_percent"),
    "bilirubin_mg_dl": ("bilirubin", "mg/dL", "labs.bilirubin"),
    # 1 with liver metastases, 0 without (labels with thresholds for "tumour involvement of the liver")
    "liver_metastases": ("liver metastases (1 yes, 0 no)", "", "disease.liver_metastases"),
    # the higher of ALT and AST at her baseline (the last panel on or before the course started)
    "baseline_transaminases_x_uln": ("baseline ALT/AST", "× ULN", "previous_labs"),
    "wbc": ("white cells", "× 10⁹/L", "labs.wbc"),
    "creatinine_mg_dl": ("serum creatinine", "mg/dL", "labs.creatinine"),
    "urine_protein_g_24h": (
        "urine protein (24-hour collection)",
        "g/24h",
        "labs.urine_protein_24h",
    ),
    "systolic_bp": ("systolic blood pressure", "mmHg", "clinical.systolic_bp_mmhg"),
    "diastolic_bp": ("diastolic blood pressure", "mmHg", "clinical.diastolic_bp_mmhg"),
    # the reading's place in URINE_DIPSTICK: 0 negative, 1 trace, 2 = 1+, 3 = 2+, 4 = 3+, 5 = 4+
    "urine_dipstick_protein": ("urine dipstick protein", "", "clinical.urine_dipstick_protein"),
}
# measures that are readings on a scale, written in the rule tables as the reading's place in it
ORDINAL: Mapping[str, tuple[str, ...]] = {"urine_dipstick_protein": URINE_DIPSTICK}


_TERMS = "CTCAE terms of the case (treatment.toxicities[].term), with grades"
_PAIR = "[low, high], inclusive,"


def shown(value: float) -> str:
    return f"{round(value, 2):g}"


def shown_as(measure: str, value: float) -> str:
    """A value as the reader knows it: a scale's reading by its name ("2+"), else the number."""
    scale = ORDINAL.get(measure)
    if scale is not None and float(value).is_integer() and 0 <= value < len(scale):
        return scale[int(value)]
    return shown(value)


@frozen_value
class Threshold:
    """One numeric condition: `measure` above/from `low` and/or below/upto `high`."""

    measure: Annotated[str, Key(one_of=tuple(MEASURES))]
    low: Annotated[float | None, Key(written_as=("above", "from"), doc="above (>) or from (≥)")] = (
        None
    )
    low_inclusive: Annotated[bool, Key(written_as=("above", "from"))] = False
    high: Annotated[
        float | None, Key(written_as=("below", "upto"), doc="below (<) or upto (≤)")
    ] = None
    high_inclusive: Annotated[bool, Key(written_as=("below", "upto"))] = False
    # where the value is not recorded, the row does not apply (instead of a gap): for a result
    # that another row of the table already asks for when it is needed (a 24-hour urine protein
    # is needed only after a dipstick of 2+ or more)
    unknown_skips: Annotated[
        bool, Key(default=False, doc="not recorded: the row does not apply (another row asks)")
    ] = False
    # where the value is not recorded, the row applies and the reason says so: for a condition
    # that only exempts (ribociclib's "baseline at grade 2: no interruption"), so an unknown
    # baseline gets the label's interruption — the stricter reading — never a silent exemption
    unknown_applies: Annotated[
        bool,
        Key(default=False, doc="not recorded: the row applies (the stricter reading), said so"),
    ] = False

    def holds(self, x: float) -> bool:
        if self.low is not None and not (x >= self.low if self.low_inclusive else x > self.low):
            return False
        return self.high is None or (x <= self.high if self.high_inclusive else x < self.high)

    def describe(self) -> str:
        words, unit, _ = MEASURES[self.measure]
        parts = []
        if self.low is not None:
            parts.append(f"{'≥' if self.low_inclusive else '>'} {shown_as(self.measure, self.low)}")
        if self.high is not None:
            parts.append(
                f"{'≤' if self.high_inclusive else '<'} {shown_as(self.measure, self.high)}"
            )
        return f"{words} {' and '.join(parts)} {unit}".strip()


@frozen_value
class Ladder:
    drug: Annotated[str, Key(refers_to="drug")]
    # the dose unit the levels are in (mg/m2, mg, mg/kg)
    unit: Annotated[str, Key(one_of=DOSE_UNITS)]
    # of the starting dose, level 0 first
    percents: Annotated[
        tuple[float, ...] | None,
        Key(above=0, non_empty=True, doc="of the starting dose, 100 first, descending; or doses"),
    ]
    # absolute doses, highest first (the start is one of them)
    doses: Annotated[
        tuple[float, ...] | None,
        Key(above=0, non_empty=True, doc="absolute doses, highest first; or percents"),
    ]
    # how near a recorded dose must be to a level to be that level
    match_within_percent: Annotated[
        float, Key(minimum=0, default=5.0, doc="below 20: how near a dose must be to a level")
    ]
    re_escalate: bool
    below_last: Annotated[str, Key(one_of=BELOW_LAST)]
    # the days of a cycle the label's table speaks of (None: every dose day); on another day (a
    # weekly day-8 dose of a label written for 3-weekly dosing) no label rule decides
    days: Annotated[tuple[int, ...] | None, Key(non_empty=True, doc="days the table covers")]
    text: str
    sources: Sources
    verified: bool
    label_set: Annotated[str | None, Key(one_of=LABEL_SETS, doc="left out: every label set")] = None
    # the regimens whose own schedule these levels are (nab-paclitaxel 100 mg/m² weekly with
    # pembrolizumab); empty: the drug's label ladder
    regimens: Annotated[
        tuple[str, ...],
        Key(default=(), doc="regimen ids whose own dose levels these are; left out: the label's"),
    ] = ()
    # what the label also asks before a dose that the record does not hold (cisplatin: hearing
    # within normal limits): said with every decision, for the clinician to check
    clinician_checks: Annotated[
        str, Key(default="", doc="said with every decision: what the clinician checks")
    ] = ""
    # where the label lets a reduced dose rise again (re_escalate), the step each step returns
    # to when none of the label's rows holds the dose lower today — one per step, in the same
    # values as percents/doses (doxorubicin [100, 100, 100]: the dose of the day by that day's
    # bilirubin; a step that is permanent returns to itself). Left out: the clinician raises it.
    return_to: Annotated[
        tuple[float, ...] | None,
        Key(
            above=0,
            non_empty=True,
            doc="with re_escalate: for each step, the step it returns to (itself: permanent)",
        ),
    ] = None
    # the label's doses for liver (or kidney) impairment as steps of their own (everolimus 7.5
    # mg in Child-Pugh A): a course begun on such a dose is read against this ladder, which the
    # label ladder does not hold; its 100 % is still the label's starting dose
    organ_doses: Annotated[
        bool,
        Key(default=False, doc="the label's organ-function doses among the steps (a 2nd ladder)"),
    ] = False
    # with `days`: what the label does say of the other days, where it says something for
    # another schedule (ABRAXANE's weekly tables for lung and pancreatic cancer beside a weekly
    # breast regimen): said instead of "has no label threshold" (rx23 W2); no dose is printed
    other_days: Annotated[
        str,
        Key(default="", doc="with days: what the label says of the other days (no dose printed)"),
    ] = ""


@frozen_value
class CycleRule:
    id: Annotated[str, Key(doc="starts with cycle.")]
    drug: Annotated[str, Key(doc="a drug with a [[ladder]]")]
    # CTCAE terms (empty: a `when` rule on measured values)
    terms: Annotated[tuple[str, ...], Key(default=(), doc=_TERMS)]
    grades: Annotated[tuple[int, int] | None, Key(doc=_PAIR + " of worst grade 0–5, with terms")]
    # inclusive range; None: any occurrence
    occurrences: Annotated[tuple[int, int] | None, Key(doc=_PAIR + " within 1–50")]
    # the toxicity lasted at least this many days (None: any)
    min_days: int | None
    # days of the cycle the row applies on (None: every day)
    days: Annotated[tuple[int, ...] | None, Key(non_empty=True)]
    when: Annotated[tuple[Threshold, ...], Key(default=(), doc="measured values; or terms")]
    action: Annotated[str, Key(one_of=ACTIONS)]
    # the dose level, no higher than this (0, -1, ...)
    level: Annotated[int | None, Key(maximum=0, doc="0, -1, …; or down")]
    # or this many steps below the current level
    down: Annotated[int | None, Key(minimum=1, doc="steps below the current level; or level")]
    # give only once the current grade is at most this
    resolve_to: int | None
    resume_when: Annotated[str, Key(default="", doc="required for a hold or with resolve_to")]
    recheck_in_days: int | None
    reason: str
    sources: Sources
    verified: bool
    # the current dose levels the row applies at, inclusive (None: any level)
    at_levels: Annotated[tuple[int, int] | None, Key(doc=_PAIR + " within -50–0")] = None
    # the cycles of the course the row applies in, inclusive (None: every cycle): IBRANCE's
    # day-15 row is for "the first 2 cycles" only
    cycles: Annotated[tuple[int, int] | None, Key(doc=_PAIR + " of cycle numbers within 1–999")] = (
        None
    )
    # only in these regimens (empty: every regimen with the drug)
    regimens: Annotated[
        tuple[str, ...], Key(default=(), doc="regimen ids the row applies in; left out: every one")
    ] = ()
    # a [[setting]] name and one of its options: in the setting's regimens the row applies only
    # when the clinic chose that option
    setting: Annotated[str | None, Key(doc="a [[setting]] name, with option")] = None
    option: Annotated[str | None, Key(doc="one of the setting's options")] = None
    # a row of the label's liver or kidney dose table (vinorelbine "50 % at bilirubin 2.1–3
    # mg/dL"): its level is a percentage of the label's standard dose, so a course the clinician
    # began below the standard is not cut again for the same organ (walk 21 H7)
    organ_band: Annotated[
        bool, Key(default=False, doc="a row of the label's liver/kidney dose table")
    ] = False
    # the row puts her on a table of the label for all later doses, whose dose of the day at a
    # normal count is this row's `level` (vinorelbine after febrile neutropenia: 75 %): a lower
    # step of the ladder returns to it where no row holds the dose lower today (rx23 F3)
    later_doses_table: Annotated[
        bool,
        Key(default=False, doc="with level: a table for all later doses; lower steps return to it"),
    ] = False

    @cached_property
    def cited(self) -> tuple[Basis, ...]:
        """The row's citations under its own id: made once (the row is immutable; a review
        cites each row it matches or weighs, several times over)."""
        return tuple(Basis(self.id, source, self.verified) for source in self.sources)


@frozen_value
class AlertRule:
    id: str
    code: str
    level: Annotated[str, Key(one_of=ALERT_LEVELS)]
    terms: Annotated[tuple[str, ...], Key(default=(), doc=_TERMS)]
    grades: Annotated[tuple[int, int] | None, Key(doc=_PAIR + " of worst grade 0–5, with terms")]
    # only when the regimen has one of these (empty: any regimen)
    drugs: Annotated[
        frozenset[str], Key(refers_to="drug", default=frozenset(), doc="left out: any regimen")
    ]
    when: Annotated[tuple[Threshold, ...], Key(default=(), doc="measured values; or terms")]
    message: str
    sources: Sources
    verified: bool


@frozen_value
class CycleSetting:
    id: Annotated[str, Key(doc="starts with cycle.")]
    # the name the clinic's choice is stored under (ClinicSettings.cycle_choices)
    name: str
    # the regimens where the sources disagree
    regimens: Annotated[tuple[str, ...], Key(non_empty=True, doc="regimen ids it decides in")]
    options: Annotated[tuple[str, ...], Key(non_empty=True, doc="option names")]
    default: Annotated[str, Key(doc="one of options")]
    # what the choice decides, and each option in words (same order as options)
    text: str
    option_words: Annotated[tuple[str, ...], Key(non_empty=True, doc="each option in words")]
    sources: Sources
    verified: bool

    def words(self, option: str) -> str:
        return self.option_words[self.options.index(option)]


@frozen_value
class LiverGrading:
    """How a drug's label grades the liver tests its rows name by CTCAE term."""

    drug: Annotated[str, Key(refers_to="drug", doc="a drug with a [[ladder]]")]
    basis: Annotated[str, Key(one_of=LIVER_BASES)]
    # what the label writes, in words for the clinician (printed with a decision it changes)
    text: str
    sources: Sources
    verified: bool


@frozen_value
class Companion:
    id: Annotated[str, Key(doc="starts with cycle.")]
    drug: Annotated[
        str, Key(refers_to="drug", doc="the drug that follows (a drug with a [[ladder]])")
    ]
    partner: Annotated[str, Key(refers_to="drug", doc="the drug it is given with")]
    follows: Annotated[
        tuple[str, ...],
        Key(one_of=FOLLOWS, non_empty=True, doc="what it takes over: hold, discontinue"),
    ]
    reason: str
    sources: Sources
    verified: bool


@frozen_value
class CycleTables:
    ladders: Mapping[str, Ladder]  # by drug: the ladder of every label set
    rules: Mapping[str, tuple[CycleRule, ...]]  # by drug, in table order
    alerts: tuple[AlertRule, ...]
    # by (drug, label set): a label set's own ladder, where its doses differ
    label_ladders: Mapping[tuple[str, str], Ladder] = field(
        default_factory=lambda: MappingProxyType({})
    )

    # by (drug, regimen id): a regimen's own levels where its dose differs from the label's
    regimen_ladders: Mapping[tuple[str, str], Ladder] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # by drug: a ladder holding the label's organ-function doses (everolimus 7.5 mg)
    organ_ladders: Mapping[str, Ladder] = field(default_factory=lambda: MappingProxyType({}))
    # drugs given only with a partner, in table order
    companions: tuple[Companion, ...] = ()
    # by name: where the labels disagree, the clinic's choice
    settings: Mapping[str, CycleSetting] = field(default_factory=lambda: MappingProxyType({}))
    # by drug: how its label grades the liver tests (every drug with a liver row by term has one)
    liver_grading: Mapping[str, LiverGrading] = field(default_factory=lambda: MappingProxyType({}))
    # by source id: "us" or "eu", the label set of the label a source cites (the others: none);
    # an EU clinic's review cites its rows' EU sources (domain.cycle_label_set)
    source_labels: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def chosen(self, name: str, choices: Mapping[str, str]) -> str:
        """The clinic's option for a setting (its default when not chosen); ValueError for an
        option the setting does not have."""
        setting = self.settings[name]
        option = choices.get(name, setting.default)
        if option not in setting.options:
            raise ValueError(
                f"cycle setting {name}: {option!r} is not one of {', '.join(setting.options)}"
            )
        return option

    def check_choices(self, choices: Mapping[str, str]) -> None:
        """ValueError for a setting name or option the tables do not have."""
        for name in choices:
            if name not in self.settings:
                raise ValueError(f"{name!r} is not a cycle-review setting")
            self.chosen(name, choices)

    def in_force(self, rule: CycleRule, regimen: str, choices: Mapping[str, str]) -> bool:
        """Whether a rule row applies in this regimen under the clinic's choices."""
        if rule.regimens and regimen not in rule.regimens:
            return False
        if rule.setting is None:
            return True
        setting = self.settings[rule.setting]
        if regimen not in setting.regimens:
            return True
        return self.chosen(rule.setting, choices) == rule.option

    def ladder(self, drug: str, label_set: str) -> Ladder | None:
        """The drug's ladder under the clinic's label set (its own, else the common one)."""
        return self.label_ladders.get((drug, label_set)) or self.ladders.get(drug)

    def measures_of(self, drugs: Iterable[str]) -> frozenset[str]:
        """The measured values (MEASURES) the rows of these drugs read: what a review form asks
        for (bevacizumab's blood pressure and urine protein only where a drug needs them)."""
        return frozenset(t.measure for d in drugs for r in self.rules.get(d, ()) for t in r.when)

    def ladders_for(self, drug: str, label_set: str, regimen: str) -> tuple[Ladder, ...]:
        """The ladders a course's dose is read against: the regimen's own levels first (where
        the regimen gives the drug at a dose of its own), then the label's, then the one with the
        label's organ-function doses (a course begun on everolimus 7.5 mg in Child-Pugh A)."""
        own = self.regimen_ladders.get((drug, regimen))
        label = self.ladder(drug, label_set)
        organ = self.organ_ladders.get(drug)
        return tuple(x for x in (own, label, organ) if x is not None)
