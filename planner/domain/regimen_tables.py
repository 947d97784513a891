"""Typed, frozen rule tables for subtype, endocrine sensitivity and regimen selection.

The loader (`planner.rules.regimens`) reads `resources/rules/subtype.toml` and
`resources/rules/regimens.toml` strictly and builds these objects; the domain only reads them.
Every clinical number (percent cut-offs, month intervals, PD-L1 CPS thresholds) lives in the
TOML with its sources, never in Python.
"""

from __future__ import annotations

from collections.abc import Mapping

from planner.domain.frozen_value import frozen_value

# Closed vocabularies shared by the loader (which refuses anything else) and the selection code.
SUBTYPE_GROUPS = ("HR+/HER2-", "HER2+", "TNBC")
HER2_STATES = ("positive", "low", "ultralow", "zero")
ENDOCRINE_STATES = ("primary_resistance", "secondary_resistance", "sensitive")
# Facts about prior endocrine treatment that some regimens require or exclude (ES-4, ES-5, HR-4).
ENDOCRINE_FLAGS = (
    "relapse_on_or_soon_after_adjuvant_et",  # during adjuvant ET or <= window after completing it
    "relapse_on_or_soon_after_adjuvant_ai",  # ES-4: the same, the adjuvant drug an aromatase inhibitor
    "recent_adjuvant_cdk46",  # ES-5: (neo)adjuvant CDK4/6i ended < interval before relapse
)
BIOMARKERS = ("pik3ca", "akt1_pten", "esr1")
GERMLINE = ("brca1", "brca2", "palb2")
# What a regimen is, for the visceral-crisis and "declines chemotherapy" logic.
KINDS = (
    "endocrine",  # endocrine therapy alone
    "endocrine_targeted",  # endocrine + CDK4/6, PI3K, AKT or mTOR inhibitor
    "her2_directed",  # HER2 antibody or TKI without cytotoxic chemotherapy
    "her2_chemotherapy",  # HER2-directed therapy with a cytotoxic partner
    "adc",  # antibody-drug conjugate (cytotoxic payload: counts as chemotherapy for choice)
    "parp_inhibitor",
    "chemotherapy",  # single-agent cytotoxic
    "combination_chemotherapy",
    "immunotherapy_chemotherapy",
)
CHEMOTHERAPY_KINDS = frozenset(
    {
        "her2_chemotherapy",
        "adc",
        "chemotherapy",
        "combination_chemotherapy",
        "immunotherapy_chemotherapy",
    }
)
# Status of the evidence behind a regimen row, shown beside the option.
STATUSES = ("standard", "alternative", "emerging", "jurisdiction", "mdt_decision")
# Case facts a row may prefer (rank up) or disfavour (rank down).
RANK_FACTS = ("brain_metastases", "diabetes", "ecog_3_plus", "visceral_crisis", "line_2")
# Every numeric cut-off the subtype / endocrine-sensitivity code reads, by key.
CUTOFF_KEYS = (
    "er_positive_min_percent",
    "er_low_max_percent",
    "pr_positive_min_percent",
    "adjuvant_primary_resistance_months",
    "post_adjuvant_relapse_window_months",
    "first_line_primary_resistance_months",
    "adjuvant_cdk46_interval_months",
    "not_appropriate_ecog_min",
    "trial_population_ecog_max",
    "end_of_life_pps_max_percent",
    "visceral_crisis_goals_of_care_ecog_min",
    # Figures quoted in the explanations (not decision edges), kept with their sources too.
    "end_of_life_chemo_last_days",
    "end_of_life_new_regimen_last_days",
    "visceral_crisis_poor_ps_benefit_percent",
    "visceral_crisis_good_ps_benefit_percent",
)


@frozen_value
class Cutoff:
    key: str
    value: float
    unit: str
    rule: str
    sources: tuple[str, ...]
    verified: bool


@frozen_value
class SubtypeCutoffs:
    """The cut-offs of BIO-2/3 and ES-1..5, each with its rule id and sources."""

    cutoffs: Mapping[str, Cutoff]

    def value(self, key: str) -> float:
        return self.cutoffs[key].value

    def __getitem__(self, key: str) -> Cutoff:
        return self.cutoffs[key]


@frozen_value
class RegimenConditions:
    """What must hold for a regimen row to be offered. Empty tuple / None = no condition."""

    subtypes: tuple[str, ...]
    line_min: int = 1
    line_max: int | None = None
    her2: tuple[str, ...] = ()
    hr_positive: bool | None = None
    endocrine_states: tuple[str, ...] = ()
    endocrine_flags_all: tuple[str, ...] = ()
    endocrine_flags_none: tuple[str, ...] = ()
    mutated_any: tuple[str, ...] = ()
    germline_any: tuple[str, ...] = ()
    pdl1_cps_min: float | None = None
    pdl1_cps_below: float | None = None
    # classes / drugs given before, in any setting
    prior_classes_all: tuple[str, ...] = ()
    prior_classes_none: tuple[str, ...] = ()
    prior_drugs_none: tuple[str, ...] = ()
    # classes given before in the metastatic setting only
    metastatic_classes_all: tuple[str, ...] = ()
    metastatic_classes_none: tuple[str, ...] = ()
    # number of metastatic lines that contained cytotoxic chemotherapy (ADCs not counted)
    metastatic_chemo_lines_min: int | None = None
    metastatic_chemo_lines_max: int | None = None
    # disease-free interval from the end of curative treatment to relapse (months)
    dfi_months_min: float | None = None
    dfi_months_min_same_class: float | None = None
    dfi_months_max: float | None = None
    visceral_crisis_only: bool = False
    # an input the case document does not record (e.g. PD-L1 SP142): the row is never offered,
    # and the plan names the missing input as a gap when the row would otherwise be considered
    unrecorded_input: str | None = None


@frozen_value
class RankAdjustment:
    when: str  # one of RANK_FACTS
    by: int  # added to priority: negative moves the option up
    note: str


@frozen_value
class Regimen:
    id: str
    name: str
    rule: str  # reference rule id, e.g. "HR-10"
    drugs: tuple[str, ...]
    key_drugs: tuple[str, ...]  # progression on one of these in the metastatic setting excludes it
    # every drug -> the schedule id(s) of its dose in this regimen, in that drug's dose table
    # (one per label set where they differ); the printed regimen schedule is composed from the
    # drug rows, so it names only doses the plan gives (contract §3a)
    dose_schedules: Mapping[str, tuple[str, ...]]
    kind: str
    oral: bool  # every drug taken by mouth
    status: str
    priority: Mapping[str, int]  # by subtype group; lower = offered first
    evidence: str  # G, T, L, R, S (and combinations, "T/G")
    note: str
    when: RegimenConditions
    adjustments: tuple[RankAdjustment, ...]
    sources: tuple[str, ...]
    verified: bool
    # endocrine therapy alone or with everolimus: benefit shown in endocrine-sensitive disease
    # (BOLERO-2 required it), so after primary endocrine resistance (ES-1) the row ranks after
    # chemotherapy and the other targeted options (HR-1; issue #15, defect class 7)
    needs_endocrine_sensitivity: bool = False

    @property
    def contains_chemotherapy(self) -> bool:
        return self.kind in CHEMOTHERAPY_KINDS


@frozen_value
class MonitoringItem:
    """A follow-up check carried into the plan when an option contains one of its drugs/classes."""

    id: str
    text: str
    rule: str
    all_options: bool
    drugs: frozenset[str]
    classes: frozenset[str]
    sources: tuple[str, ...]
    verified: bool


@frozen_value
class RegimenTable:
    version: str
    regimens: Mapping[str, Regimen]
    monitoring: Mapping[str, MonitoringItem]
    # classes too broad to count as "the same drug class" for the disease-free interval (TN-1)
    umbrella_classes: frozenset[str]
    # source id -> printed citation, for every source the table (or the cut-offs) cite
    citations: Mapping[str, str]
    cutoffs: SubtypeCutoffs

    def cite(self, source_id: str) -> str:
        return self.citations.get(source_id, source_id)
