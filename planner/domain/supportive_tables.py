"""The supportive-care rule tables as typed, frozen values (built by planner.rules.supportive).

Why one module: it is the typed schema of the supportive rule tables: every row type, the closed
vocabularies the rows name (facts, problems, services, alert codes) and the settings they read. The
loader (planner.rules.supportive) and the domain both read this one declaration.

Every clinical number the supportive part uses (cut-offs, doses, intervals) is a row of
resources/rules/supportive*.toml, with its rule id, sources and `verified` flag. The code holds
only the structure: which case facts exist, which settings exist, which enumerations are closed.

Rows select themselves by *facts*: named, closed-vocabulary statements about the case
("hepatic_modifier", "phq9_moderate", …) that `planner.domain.symptoms` derives with a reason that
names the cut-off used. An intervention applies to one problem at some severities when all its
`requires` facts hold and none of its `unless` facts; a referral, alert, review interval or
monitoring line fires when its trigger fact holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from functools import cached_property
from typing import Annotated

from planner.domain.evidence import Basis
from planner.domain.frozen_value import frozen_value
from planner.domain.table_keys import Key, Sources
from planner.domain.vocabulary import AlertLevel, ProblemDomain, Service, Urgency, values

DOMAINS = values(ProblemDomain)
SEVERITIES = ("mild", "moderate", "severe")
# Contract §3 `supportive[].problem` -> its domain (the design's QoL table).
PROBLEM_DOMAINS: Mapping[str, str] = {
    "pain": "physical",
    "fatigue": "physical",
    "nausea": "physical",
    "pruritus": "physical",
    "jaundice": "physical",
    "ascites": "physical",
    "encephalopathy": "physical",
    "breathlessness": "physical",
    "constipation": "physical",
    "drowsiness": "physical",
    "depression": "psychological",
    "anxiety": "psychological",
    "distress": "psychological",
    "falls": "functional",
    "reduced_mobility": "functional",
    "caregiver_strain": "social",
    "practical_needs": "social",
    "spiritual_distress": "social",
    "anorexia": "nutritional",
    "weight_loss": "nutritional",
    # Added for issue #15 (the contract lists problems "at least"): plan-wide supportive needs that
    # are not symptoms but must be planned for (bone-modifying agent, G-CSF, thromboprophylaxis).
    "bone_health": "physical",
    "neutropenia_risk": "physical",
    "thrombosis_risk": "physical",
    # the signs at which she stops her chemotherapy tablets and calls (capecitabine's label)
    "oral_chemotherapy_safety": "physical",
}
PROBLEMS = tuple(PROBLEM_DOMAINS)
SERVICES = values(Service)
URGENCIES = values(Urgency)  # most urgent first
ALERT_LEVELS = values(AlertLevel)  # most severe first
ALERT_CODES = (
    # contract §3 fixed codes
    "suicide_risk",
    "hepatic_visceral_crisis",
    "severe_hepatic_impairment",
    "encephalopathy",
    "weight_loss",
    "unit_or_range_doubt",
    # added by this project (the contract allows more)
    "hepatic_visceral_crisis_watch",
    "goals_of_care",
    "end_of_life_planning",
    "drug_interaction",
    "suicide_risk_not_assessed",  # PHQ-9 item 9 left blank while other items were answered
    "current_medicine_review",  # a medicine she takes now clashes with today's findings
)

# What a medicine check asks of her medicine (planner.domain.vocabulary.MedicineAction).
_CHECK_ACTIONS = ("review", "change", "stop")

# Facts: what the rules may require. Each is derived in planner.domain.symptoms with a reason.
FACTS = (
    # problems present (any severity)
    *(f"problem_{p}" for p in PROBLEMS),
    # liver
    "hepatic_modifier",  # bilirubin > setting × ULN, Child–Pugh B/C, or encephalopathy (§8 conventions)
    "hepatic_status_unknown",  # too little recorded to rule the hepatic modifier out
    "severe_hepatic",  # ODWG severe or Child–Pugh C
    "child_pugh_c",
    "child_pugh_b_c",  # Child–Pugh B or C, or every class the recorded items allow is B or C
    "child_pugh_b_c_possible",  # Child–Pugh incomplete, B or C among the classes still possible
    "ascites",  # any ascites recorded
    "ascites_moderate_severe",
    "coagulopathy",  # INR above / platelets below the settings
    "encephalopathy",
    "encephalopathy_grade_3_4",
    "biliary_obstruction",
    "cholestatic_lfts",  # bilirubin or ALP above ULN
    "hepatic_visceral_crisis",
    "hepatic_visceral_crisis_watch",
    "visceral_crisis_with_poor_function",  # VC yes + ECOG >= setting (VC-8 / ACP-2)
    # drugs (anticancer: current therapy and the plan's options)
    "tamoxifen_in_plan",
    "cdk46_in_plan",
    "cyp3a_sensitive_in_plan",
    "opioid_suggested",
    "drug_interaction",  # a suggested supportive drug interacts with a planned/current drug
    "current_medicine_review",  # a medicine she takes now clashes with today's findings
    "nsaid_allergy",  # an allergy to NSAIDs, or to one NSAID (cross-reactive): no NSAID offered
    "pain_severe",
    # psychological
    "distress_positive",
    "phq9_moderate",
    "phq9_severe",
    "phq9_item9",
    "gad7_moderate",
    "gad7_severe",
    "esas_depression_unscreened",  # ESAS depression >= act cut-off, no PHQ-9 score
    "esas_anxiety_unscreened",
    "severe_physical_symptom",  # any ESAS physical item >= severe cut-off (Hui major criterion)
    "severe_emotional_symptom",
    # social
    "problem_list_practical",
    "problem_list_family",
    "problem_list_emotional",
    "problem_list_spiritual",
    "lives_alone",
    # function
    "ecog_exercise_range",  # ECOG <= setting: exercise advice (FUN-1)
    "deconditioned",  # fatigue >= act cut-off with ECOG in exercise range
    "bone_metastases",
    "falls",
    "low_function",  # ECOG >= setting or PPS <= setting (FUN-4)
    "age_fatigue_drug_caution",  # ESMO: no drugs for fatigue at age >= setting
    # nutrition
    "must_high",
    "pgsga_dietitian",
    "pgsga_critical",
    "weight_loss_significant",
    "appetite_loss",
    # prognosis and goals of care
    "advanced_cancer",  # metastatic disease (always true in this population)
    "surprise_question_no",
    "pps_goals_of_care",
    "pps_end_of_life",
    "ppi_goals_of_care",
    "ppi_end_of_life",
    "liver_directed_candidate",
    # systemic therapy planned (for monitoring)
    "systemic_therapy_planned",
    # kidney (Cockcroft–Gault CrCl bands of [[crcl_band]] rows; unknown = not calculable)
    "crcl_unknown",
    "renal_impairment",
    "renal_severe",
    "zoledronic_full_dose",
    "zoledronic_reduced_dose",
    "zoledronic_not_recommended",
    # age, weight and frailty
    "older_adult",  # age >= setting (or age unknown: the cautious advice)
    "low_body_weight",  # weight < setting (or weight unknown)
    "paracetamol_risk",  # any risk factor for paracetamol liver toxicity other than the liver
    # the rest of the plan ([[drug_group]] rows: suggested supportive drugs + givable options)
    "serotonergic_in_plan",
    "gcsf_primary_regimen_in_plan",
    "capecitabine_in_plan",
    "qt_prolonging_in_plan",  # ribociclib or a QT-prolonging medicine she takes (not advice)
    "opioid_antagonist_taken",  # naltrexone she takes now: opioid analgesics will not work
    "ugt1a1_homozygous",
    "ugt1a1_unknown",
    # thrombosis
    "immobile",
    "lmwh_platelets_low",
    "platelets_unknown",
    # psychological: PHQ-9 item 9 not asked
    "phq9_item9_unasked",
    "phq9_item9_unasked_high",
)


# Facts that hold because a result is missing, not because of what was found (rule 2): advice
# they bring in must not tell the family anything about her (`gap_patient_text`).
GAP_FACTS = frozenset(
    {"crcl_unknown", "hepatic_status_unknown", "platelets_unknown", "ugt1a1_unknown"}
)

# How a list of facts is written in a row (the facts are listed once, in the table's notes).
_FACTS = "facts (listed above)"
_NO_FACTS: frozenset[str] = frozenset()
_DRUG_SET = (
    "`drugs`: names of drugs.toml; `drug_classes`: its classes (every member); either or both"
)


def _basis(rule: str, sources: tuple[str, ...], verified: bool) -> tuple[Basis, ...]:
    return tuple(Basis(rule, source, verified) for source in sources)


@frozen_value
class Cited:
    """A row of a supportive table: its id, the reference rule it encodes, sources, verified."""

    id: Annotated[str, Key(doc="starts with sup., unique across the supportive tables")]
    # the reference's rule id, e.g. "PHY-PAIN-2" or "dosing §6.5"
    rule: Annotated[str, Key(doc='the rule it encodes, e.g. "PHY-PAIN-2"')]
    sources: Sources
    verified: bool

    @cached_property
    def basis(self) -> tuple[Basis, ...]:
        # Rows are immutable and read on every plan: build their evidence once.
        return _basis(self.id, self.sources, self.verified)


@frozen_value
class Setting(Cited):
    """A clinic setting: a cut-off (number) or a choice where sources disagree."""

    name: Annotated[str, Key(doc="a setting the code reads, once")]
    kind: Annotated[str, Key(one_of=("number", "choice"))]
    default: Annotated[
        float | str, Key(written_as=("default",), doc="a number inside `range`, or an option")
    ]
    # allowed range of a number setting
    low: Annotated[float | None, Key(written_as=("range",), doc="[low, high]: a number setting")]
    high: Annotated[float | None, Key(written_as=("range",))]
    options: Annotated[tuple[str, ...], Key(default=(), doc="the choices of a choice setting")]
    text: Annotated[str, Key(doc="what the setting means, shown beside the value")]


@frozen_value
class Position:
    """One side of a disagreement between sources."""

    text: str
    sources: Sources
    verified: bool


@frozen_value
class Disagreement:
    """Sources that disagree: both positions, and what the program does about it."""

    id: str
    topic: str
    reference: str  # e.g. "regimens_supportive.md D-12"
    positions: Annotated[tuple[Position, ...], Key(doc="at least two")]
    # what the tool does (both shown, or which clinic setting decides)
    behaviour: Annotated[str, Key(doc="what the program does: both shown, or a clinic setting")]


@frozen_value
class Intervention(Cited):
    """Care for one problem at some severities, when its facts hold."""

    problem: Annotated[str, Key(one_of=PROBLEMS)]
    severities: Annotated[frozenset[str], Key(one_of=SEVERITIES)]
    requires: Annotated[frozenset[str], Key(default=_NO_FACTS, doc=_FACTS + ": every one")]
    any_of: Annotated[frozenset[str], Key(default=_NO_FACTS, doc=_FACTS + ": at least one")]
    unless: Annotated[frozenset[str], Key(default=_NO_FACTS, doc=_FACTS + ": none")]
    # (setting name, option): applies only under that option
    choice: Annotated[
        tuple[str, str] | None,
        Key(written_as=("choice",), doc="[choice setting, option]: only under that option"),
    ]
    # clinician text, values already filled in
    text: Annotated[str, Key(doc="the clinician's words; {name} is filled from `values`")]
    # plain words (reading grade <= 8) for the booklet
    patient_text: Annotated[str, Key(doc="plain words for the booklet; {name} as in `text`")]
    # the booklet's words when only a missing result (a GAP_FACTS fact of `any_of`) made the row
    # apply: "Your kidneys are weak" is not true when her kidney function is unknown (review 16c)
    gap_patient_text: Annotated[
        str | None,
        Key(
            doc="plain words when only a missing result (`crcl_unknown`, ...) of `any_of` held: "
            "never a statement about her; required where `any_of` mixes such a fact with others"
        ),
    ]
    # supportive drugs it suggests (for interaction checks)
    drugs: Annotated[tuple[str, ...], Key(default=(), doc="supportive drugs it suggests")]
    disagreement: Annotated[str | None, Key(doc="the id of a [[disagreement]]")]
    order: Annotated[int, Key(given=True)]  # its place in the tables

    # Read for every chosen row of every plan (twice when the suggestions change a drug-group
    # fact); rows are immutable, so their facts are put in the printed order once.
    @cached_property
    def requires_sorted(self) -> tuple[str, ...]:
        """`requires` sorted: the facts are sets, and their order would follow the process's
        hash seed, so the same case would print its reasons in another order."""
        return tuple(sorted(self.requires))

    @cached_property
    def because_facts(self) -> tuple[str, ...]:
        """The facts whose reasons say why the row applies, in the printed order: `requires`,
        then `any_of` (each sorted)."""
        return (*self.requires_sorted, *sorted(self.any_of))


@frozen_value
class ReferralRule(Cited):
    """A referral to a service when every `when` fact holds."""

    when: Annotated[frozenset[str], Key(doc=_FACTS + ": every one (at least one)")]
    service: Annotated[str, Key(one_of=SERVICES)]
    urgency: Annotated[str, Key(one_of=URGENCIES)]
    reason: str
    patient_text: str

    @cached_property
    def when_sorted(self) -> tuple[str, ...]:
        """`when` in the printed order (sorted: a set's order follows the hash seed); made once,
        as the row is immutable and read for every plan."""
        return tuple(sorted(self.when))


@frozen_value
class AlertRule(Cited):
    """An alert when every `when` fact holds."""

    # empty only for alerts the code emits itself (unit_or_range_doubt)
    when: Annotated[
        frozenset[str], Key(doc=_FACTS + ": every one; empty only for unit_or_range_doubt")
    ]
    code: Annotated[str, Key(one_of=ALERT_CODES)]
    level: Annotated[str, Key(one_of=ALERT_LEVELS)]
    message: str


@frozen_value
class ReviewRule(Cited):
    """A review interval when every `when` fact holds (the shortest that fires is used)."""

    when: Annotated[frozenset[str], Key(doc=_FACTS + ": every one (at least one)")]
    days: Annotated[int, Key(minimum=0)]
    text: str


@frozen_value
class MonitoringRule(Cited):
    """A follow-up check: when any `triggers` fact holds, a planned anticancer drug is in `drugs`,
    or a suggested supportive drug is in `supportive_drugs`."""

    text: str
    triggers: Annotated[
        frozenset[str], Key(toml="when_any", default=_NO_FACTS, doc=_FACTS + ": any one")
    ]
    # resolved from drug names and classes at load time
    drugs: Annotated[
        frozenset[str],
        Key(written_as=("drugs", "drug_classes"), default=frozenset(), doc=_DRUG_SET),
    ]
    supportive_drugs: Annotated[
        frozenset[str], Key(default=frozenset(), doc="supportive drugs some intervention suggests")
    ]


@frozen_value
class InteractionRule(Cited):
    """A supportive drug the plan suggests against an anticancer drug in the plan or current."""

    supportive: Annotated[frozenset[str], Key(non_empty=True, doc="the supportive drugs")]
    # anticancer or supportive drugs, classes resolved at load time
    partners: Annotated[
        frozenset[str],
        Key(
            written_as=("with", "with_classes"),
            default=frozenset(),
            doc="`with`: drug names (drugs.toml or supportive); `with_classes`: drug classes",
        ),
    ]
    message: str
    # the message's advice in a few words: the decision page names the pair with these, the
    # message is printed in full in the evidence appendix (print24: page 1 held every flag whole)
    what_to_do: Annotated[str, Key(doc="the advice in a few words, for the decision page")]


@frozen_value
class CrClBand(Cited):
    """A creatinine-clearance band (mL/min, Cockcroft–Gault) that makes `fact` hold.

    `at_least`/`above` bound it from below and `below`/`at_most` from above (either may be
    None); `text` names what the band means, with its number, for the reason shown."""

    fact: Annotated[str, Key(doc="the fact it makes hold")]
    at_least: Annotated[float | None, Key(minimum=0, maximum=200, doc="≥, mL/min")]
    above: Annotated[float | None, Key(minimum=0, maximum=200, doc=">, mL/min")]
    below: Annotated[float | None, Key(minimum=0, maximum=200, doc="<, mL/min")]
    at_most: Annotated[float | None, Key(minimum=0, maximum=200, doc="≤, mL/min")]
    text: str

    def holds(self, crcl: float) -> bool:
        return (
            (self.at_least is None or crcl >= self.at_least)
            and (self.above is None or crcl > self.above)
            and (self.below is None or crcl < self.below)
            and (self.at_most is None or crcl <= self.at_most)
        )


@frozen_value
class DrugGroup(Cited):
    """Drugs whose presence in the plan (a suggested supportive drug, a givable option drug or
    current therapy) makes `fact` hold: e.g. serotonergic antidepressants, sacituzumab."""

    fact: Annotated[str, Key(doc="the fact it makes hold")]
    drugs: Annotated[
        frozenset[str],
        Key(written_as=("drugs", "drug_classes"), doc=_DRUG_SET + " (`drugs` required)"),
    ]
    text: str  # what the group is, for the reason ("serotonergic antidepressant")
    # Only non-anticancer drugs count: suggested supportive drugs and the medicines she takes now.
    supportive_only: Annotated[bool, Key(default=False, doc="only non-anticancer drugs count")]


@frozen_value
class MedicineCheck(Cited):
    """A medicine she takes now (case `medications[]`, names and catalogue classes resolved at
    load time) that needs review when any of `any_of` holds: `action` says what is asked (a
    label's contraindication is a stop, rx24 F2/F6). With `max_mg_per_day` the check is a daily
    ceiling: her recorded dose times a day is counted against it (rx24 F1/F3); above it the
    action is asked, within it the row says so, and a dose that cannot be counted is a review."""

    drugs: Annotated[
        frozenset[str],
        Key(written_as=("drugs", "drug_classes"), default=frozenset(), doc=_DRUG_SET),
    ]
    any_of: Annotated[
        frozenset[str],
        Key(
            default=_NO_FACTS,
            doc=_FACTS + ": any one (at least one; none only for a ceiling that always applies)",
        ),
    ]
    unless: Annotated[frozenset[str], Key(default=_NO_FACTS, doc=_FACTS + ": none")]
    message: str
    action: Annotated[
        str,
        Key(default="review", one_of=_CHECK_ACTIONS, doc="what is asked of her medicine"),
    ]
    max_mg_per_day: Annotated[
        float | None,
        Key(default=None, above=0, doc="a daily ceiling in mg: her dose x times a day against it"),
    ]
    # the advice row and value that print the same ceiling ("sup.int.nausea.ondansetron_cap",
    # "cap_mg"): the loader refuses a check whose number differs, so the two never drift apart
    same_as: Annotated[
        tuple[str, str] | None,
        Key(
            default=None,
            written_as=("same_as",),
            doc="[intervention id, value name] printing the same ceiling: must be equal",
        ),
    ]


@frozen_value
class SupportiveTables:
    version: str
    citations: Mapping[str, str]  # source id -> short citation
    settings: Mapping[str, Setting]  # by setting name
    disagreements: Mapping[str, Disagreement]
    interventions: tuple[Intervention, ...]
    referrals: tuple[ReferralRule, ...]
    alerts: tuple[AlertRule, ...]
    reviews: tuple[ReviewRule, ...]
    monitoring: tuple[MonitoringRule, ...]
    interactions: tuple[InteractionRule, ...]
    crcl_bands: tuple[CrClBand, ...]
    drug_groups: tuple[DrugGroup, ...]
    medicine_checks: tuple[MedicineCheck, ...]
    default_review_days: int
    drug_classes: Mapping[str, frozenset[str]]  # drug name -> its classes (drugs.toml)
    # the intervention rows by problem, made from `interventions` (not compared or shown)
    _interventions_by_problem: Mapping[str, tuple[Intervention, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        # Each finding looks only at its own problem's rows: index them once per table load.
        # in `order` (a stable sort: the table order where equal), so a plan's choice keeps the
        # rows in that order without sorting them again
        by_problem: dict[str, list[Intervention]] = {}
        for row in sorted(self.interventions, key=lambda r: r.order):
            by_problem.setdefault(row.problem, []).append(row)
        object.__setattr__(
            self, "_interventions_by_problem", {k: tuple(v) for k, v in by_problem.items()}
        )

    def interventions_for(self, problem: str) -> tuple[Intervention, ...]:
        """The intervention rows of one problem, in `order` (their place in the tables)."""
        return self._interventions_by_problem.get(problem, ())

    def setting(self, name: str) -> Setting:
        return self.settings[name]

    def resolved_settings(
        self, overrides: Mapping[str, float | str] | None = None
    ) -> SupportiveSettings:
        """`SupportiveSettings.resolve` against these tables, made once per set of clinic
        overrides (the tables and the result are immutable; every plan asks). The key holds each
        value's type, so a refused value (True for a number) is never answered by an equal one."""
        key = frozenset((name, type(v), v) for name, v in (overrides or {}).items())
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = SupportiveSettings.resolve(self, overrides)
        return found

    @cached_property
    def _resolved(self) -> dict[frozenset[tuple[str, type, float | str]], SupportiveSettings]:
        return {}

    def rows(self) -> tuple[Cited, ...]:
        """Every cited row, for sweeps."""
        return (
            *self.settings.values(),
            *self.interventions,
            *self.referrals,
            *self.alerts,
            *self.reviews,
            *self.monitoring,
            *self.interactions,
            *self.crcl_bands,
            *self.drug_groups,
            *self.medicine_checks,
        )


# The settings the code reads, by name and kind. The loader refuses a table that lacks one or
# defines another, so a typo can never silently fall back to a default.
NUMBER_SETTINGS = (
    "esas_act_min",  # ESAS item at or above: act on it (moderate)
    "esas_severe_min",  # ESAS item at or above: severe
    "itch_mild_min",
    "pain_mild_min",
    "pain_moderate_min",  # D-10: 4 (common practice) or 5 (ESMO 2009)
    "pain_severe_min",
    "phq9_moderate_min",
    "phq9_severe_min",
    "phq9_item9_min",
    "gad7_moderate_min",
    "gad7_severe_min",
    "distress_severe_min",
    "must_high_min",
    "pgsga_dietitian_min",
    "pgsga_critical_min",
    "weight_loss_percent_above",
    "weight_loss_low_bmi_percent_above",
    "low_bmi_below",
    "weight_loss_severe_percent_above",
    "hepatic_modifier_bilirubin_x_uln",
    "coagulopathy_inr_above",
    "low_platelets_below",
    "ecog_exercise_max",
    "ecog_low_function_min",
    "pps_low_function_max",
    "pps_goals_of_care_max",
    "pps_end_of_life_max",
    "ppi_goals_of_care_above",
    "ppi_end_of_life_above",
    "vc_poor_function_ecog_min",
    "falls_min",
    "fatigue_drug_caution_age",
    "liver_directed_ecog_max",
    "older_adult_age_min",  # AGS Beers: the criteria apply from this age
    "low_body_weight_below_kg",  # paracetamol labels: weight-based dosing below this
    "lmwh_platelets_min",  # platelets below this (10^9/L): no pharmacological prophylaxis
)
CHOICE_SETTINGS = (
    "itch_ladder",  # D-12: "etg" (palliative order, default) or "bsg"
    "paracentesis_volume",  # D-13: "etg" or "fast_fact" (local protocol)
    # nutrition.intake -> PPI oral intake (normal / moderately_reduced / severely_reduced)
    "ppi_intake_more_than_usual",
    "ppi_intake_unchanged",
    "ppi_intake_less_than_usual",
    "ppi_intake_much_less",
    "ppi_intake_minimal",
)


@frozen_value
class SupportiveSettings:
    """The clinic's supportive cut-offs and choices, resolved against the rule tables.

    `values` holds every setting (the clinic's choice or the table default); `chosen` names the
    settings the clinic changed. Every output that used a setting says which value it used.
    """

    values: Mapping[str, float | str]
    chosen: frozenset[str]
    defaults: Mapping[str, float | str]
    unverified: frozenset[str] = frozenset()  # settings whose row is not verified

    @classmethod
    def resolve(
        cls, tables: SupportiveTables, overrides: Mapping[str, float | str] | None = None
    ) -> SupportiveSettings:
        overrides = dict(overrides or {})
        values: dict[str, float | str] = {}
        for name, row in tables.settings.items():
            value = overrides.pop(name, row.default)
            if row.kind == "number":
                if isinstance(value, bool) or not isinstance(value, int | float):
                    raise ValueError(f"supportive setting {name}: {value!r} is not a number")
                low, high = row.low, row.high
                if low is None or high is None or not low <= value <= high:
                    raise ValueError(
                        f"supportive setting {name}: {value:g} is outside {low}–{high}"
                    )
                values[name] = float(value)
            else:
                if value not in row.options:
                    raise ValueError(
                        f"supportive setting {name}: {value!r} is not one of {', '.join(row.options)}"
                    )
                values[name] = value
        if overrides:
            raise ValueError(f"unknown supportive settings: {', '.join(sorted(overrides))}")
        defaults = {name: row.default for name, row in tables.settings.items()}
        chosen = frozenset(n for n, v in values.items() if v != defaults[n])
        unverified = frozenset(n for n, row in tables.settings.items() if not row.verified)
        return cls(values, chosen, defaults, unverified)

    def number(self, name: str) -> float:
        value = self.values[name]
        assert isinstance(value, float)
        return value

    def choice(self, name: str) -> str:
        value = self.values[name]
        assert isinstance(value, str)
        return value

    def shown(self, name: str) -> str:
        """`name = value (clinic setting|default)`, for the reason a rule fired."""
        value = self.values[name]
        shown = f"{value:g}" if isinstance(value, float) else value
        where = "clinic setting" if name in self.chosen else "default"
        doubt = "; unverified — confirm locally" if name in self.unverified else ""
        return f"{name} = {shown}, {where}{doubt}"

    def to_json(self) -> dict[str, float | str]:
        return dict(self.values)
