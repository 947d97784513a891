"""Typed, frozen rule tables for subtype, endocrine sensitivity and regimen selection.

The loader (`planner.rules.regimens`) reads `resources/rules/subtype.toml` and
`resources/rules/regimens.toml` strictly and builds these objects; the domain only reads them.
Every clinical number (percent cut-offs, month intervals, PD-L1 CPS thresholds) lives in the
TOML with its sources, never in Python.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Protocol

from planner.domain.evidence import UNVERIFIED, Basis
from planner.domain.frozen_value import frozen_value
from planner.domain.table_keys import Key, Sources

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
CUTOFF_UNITS = ("%", "months", "days", "ECOG")

_CLASSES = Key(refers_to="class", default=())
_DRUGS = Key(refers_to="drug", default=())


@frozen_value
class Cutoff:
    key: Annotated[str, Key(one_of=CUTOFF_KEYS)]
    value: Annotated[float, Key(doc="a % is 0–100, an interval positive, ECOG a grade 0–5")]
    unit: Annotated[str, Key(one_of=CUTOFF_UNITS)]
    rule: str
    sources: Sources
    verified: bool


# The reasons "systemic therapy not appropriate" whose basis is a rule row, not a cut-off.
STOP_REASON_KEYS = ("severe_hepatic_impairment", "no_usable_agent")


@frozen_value
class StopReasonBasis:
    """One cited basis of a "not appropriate" reason (STOP-4): its rule id, sources and
    verified flag (a reason may have several rows: a program rule beside a guideline)."""

    key: Annotated[str, Key(one_of=STOP_REASON_KEYS)]
    rule: str
    sources: Sources
    verified: bool


@frozen_value
class SubtypeCutoffs:
    """The cut-offs of BIO-2/3 and ES-1..5, each with its rule id and sources; and the cited
    basis of the STOP-4 reasons, by key (`stop_reasons`)."""

    cutoffs: Mapping[str, Cutoff]
    stop_reasons: Mapping[str, tuple[StopReasonBasis, ...]]

    def value(self, key: str) -> float:
        return self.cutoffs[key].value

    def __getitem__(self, key: str) -> Cutoff:
        return self.cutoffs[key]


@frozen_value
class RegimenConditions:
    """What must hold for a regimen row to be offered. Empty tuple / None = no condition."""

    # absent only on a row offered solely when her line is stopped (`subtypes_if_stopped`:
    # lapatinib + letrozole where trastuzumab is stopped, misc23); the loader holds that
    subtypes: Annotated[
        tuple[str, ...], Key(one_of=SUBTYPE_GROUPS, doc="absent: subtypes_if_stopped only")
    ] = ()
    line_min: Annotated[int, Key(minimum=1)] = 1
    line_max: Annotated[int | None, Key(minimum=1, doc="not below line_min")] = None
    # The earliest line its label allows, where the guideline places it later only because the
    # options of the earlier lines are preferred: offered from this line when every option of
    # her line has a drug stopped for her (an allergy, a medicine, her organ function) (rx21 F8)
    line_min_if_stopped: Annotated[
        int | None,
        Key(
            minimum=1,
            doc="below line_min: offered from here when every option of her line is stopped",
        ),
    ] = None
    # Subtypes for which this row is what the guidelines offer when every option of her line has
    # a drug stopped for her (HER2+ with trastuzumab stopped by an allergy: chemotherapy without
    # it; endocrine therapy alone where hormone-receptor positive). Offered for them only then,
    # every other condition checked as for its own subtypes, with the subtype's [[stopped_line]]
    # words beside it (misc22, rx21 F8 generalised)
    subtypes_if_stopped: Annotated[
        tuple[str, ...],
        Key(
            one_of=SUBTYPE_GROUPS,
            doc="not among subtypes: offered for these when every option of her line is stopped",
        ),
    ] = ()
    her2: Annotated[tuple[str, ...], Key(one_of=HER2_STATES)] = ()
    hr_positive: bool | None = None
    endocrine_states: Annotated[tuple[str, ...], Key(one_of=ENDOCRINE_STATES)] = ()
    endocrine_flags_all: Annotated[tuple[str, ...], Key(one_of=ENDOCRINE_FLAGS)] = ()
    endocrine_flags_none: Annotated[tuple[str, ...], Key(one_of=ENDOCRINE_FLAGS)] = ()
    mutated_any: Annotated[tuple[str, ...], Key(one_of=BIOMARKERS)] = ()
    germline_any: Annotated[tuple[str, ...], Key(one_of=GERMLINE)] = ()
    pdl1_cps_min: Annotated[float | None, Key(minimum=0)] = None
    pdl1_cps_below: Annotated[float | None, Key(minimum=0)] = None
    # classes / drugs given before, in any setting
    prior_classes_all: Annotated[tuple[str, ...], _CLASSES] = ()
    prior_classes_none: Annotated[tuple[str, ...], _CLASSES] = ()
    prior_drugs_none: Annotated[tuple[str, ...], _DRUGS] = ()
    # classes given before in the metastatic setting only
    metastatic_classes_all: Annotated[tuple[str, ...], _CLASSES] = ()
    metastatic_classes_none: Annotated[tuple[str, ...], _CLASSES] = ()
    # number of metastatic lines that contained cytotoxic chemotherapy (ADCs not counted)
    metastatic_chemo_lines_min: Annotated[int | None, Key(minimum=0)] = None
    metastatic_chemo_lines_max: Annotated[int | None, Key(minimum=0)] = None
    # disease-free interval from the end of curative treatment to relapse (months)
    dfi_months_min: Annotated[float | None, Key(minimum=0)] = None
    dfi_months_min_same_class: Annotated[float | None, Key(minimum=0)] = None
    dfi_months_max: Annotated[float | None, Key(minimum=0)] = None
    visceral_crisis_only: bool = False
    # an input the case document does not record (e.g. PD-L1 SP142): the row is never offered,
    # and the plan names the missing input as a gap when the row would otherwise be considered
    unrecorded_input: Annotated[str | None, Key(doc="an input the case does not record")] = None


@frozen_value
class RankAdjustment:
    when: Annotated[str, Key(one_of=RANK_FACTS)]
    # added to priority: negative moves the option up
    by: Annotated[int, Key(doc="added to the priority: negative moves the option up")]
    note: str


class Classed(Protocol):
    """A drug-catalogue entry (planner.rules Drug): only its classes are read here."""

    @property
    def classes(self) -> frozenset[str]: ...


@frozen_value
class Regimen:
    id: Annotated[str, Key(doc="lower-case, no spaces")]
    name: str
    rule: str  # reference rule id, e.g. "HR-10"
    drugs: Annotated[tuple[str, ...], Key(refers_to="drug", non_empty=True, doc="each once")]
    # progression on one of these in the metastatic setting excludes it
    key_drugs: Annotated[tuple[str, ...], Key(doc="drugs of this regimen")]
    # every drug -> the schedule id(s) of its dose in this regimen, in that drug's dose table
    # (one per label set where they differ); the printed regimen schedule is composed from the
    # drug rows, so it names only doses the plan gives (contract §3a)
    dose_schedules: Annotated[
        Mapping[str, tuple[str, ...]],
        Key(doc="drug = schedule id (or a list of ids), for every drug: its dose table's"),
    ]
    kind: Annotated[str, Key(one_of=KINDS)]
    oral: Annotated[bool, Key(doc="every drug taken by mouth")]
    status: Annotated[str, Key(one_of=STATUSES)]
    # by subtype group; lower = offered first
    priority: Annotated[
        Mapping[str, int],
        Key(written_as=("priority",), doc="a whole number, or one per subtype of `when`"),
    ]
    evidence: str  # G, T, L, R, S (and combinations, "T/G")
    note: str
    when: RegimenConditions
    adjustments: Annotated[tuple[RankAdjustment, ...], Key(toml="adjust", default=())]
    sources: Sources
    verified: bool
    # endocrine therapy alone or with everolimus: benefit shown in endocrine-sensitive disease
    # (BOLERO-2 required it), so after primary endocrine resistance (ES-1) the row ranks after
    # chemotherapy and the other targeted options (HR-1; issue #15, defect class 7)
    needs_endocrine_sensitivity: bool = False
    # the regimen's cycle where one drug is given in cycles and the others are not (palbociclib's
    # 28 days with fulvestrant monthly or letrozole daily): a course of it starts with this
    # length (walk 23 #19); None: as the drugs' schedules state it, else asked
    cycle_days: Annotated[
        int | None, Key(minimum=1, doc="the cycle of the regimen in days, where its drugs agree")
    ] = None

    @property
    def contains_chemotherapy(self) -> bool:
        return self.kind in CHEMOTHERAPY_KINDS

    @cached_property
    def basis(self) -> tuple[Basis, ...]:
        """The regimen row's citations (made once: the row is immutable, cited by every plan
        that offers it)."""
        return tuple(Basis(self.rule, s, self.verified) for s in self.sources)


@frozen_value
class StoppedLine:
    """What a subtype's options are when every option of her line has a drug stopped for her:
    why the rows that say so (`subtypes_if_stopped`) are offered, and the decision a stop by an
    allergy leaves to a specialist. A gap or a stop is never a decision (rule 2): the plan says
    what was stopped and offers what the guideline offers without it."""

    subtype: Annotated[str, Key(one_of=SUBTYPE_GROUPS)]
    rule: str
    # what the stopped options have in common, in words ("HER2-directed therapy")
    stopped: Annotated[str, Key(doc="what was stopped, in words")]
    # why the rows brought forward are offered (the guideline's words, cited)
    note: Annotated[str, Key(doc="why the options brought forward are offered")]
    # said when a recorded allergy stopped a drug of every option of her line
    allergy_note: Annotated[str, Key(doc="the specialist decision an allergy stop leaves")]
    sources: Sources
    verified: bool

    @cached_property
    def basis(self) -> tuple[Basis, ...]:
        return tuple(Basis(self.rule, s, self.verified) for s in self.sources)


@frozen_value
class MonitoringItem:
    """A follow-up check carried into the plan when an option contains one of its drugs/classes."""

    id: str
    text: str
    rule: str
    all_options: Annotated[bool, Key(default=False, doc="or names drugs or classes")]
    drugs: Annotated[frozenset[str], Key(refers_to="drug", default=frozenset())]
    classes: Annotated[frozenset[str], Key(refers_to="class", default=frozenset())]
    sources: Sources
    verified: bool
    # the case field the check measures and the longest time between two measurements: a value
    # carried from an earlier review that is older is due, never read as today's (the LVEF)
    measure: Annotated[
        str | None, Key(one_of=("clinical.lvef_percent",), doc="the case field it measures")
    ] = None
    every_months: Annotated[
        int | None, Key(minimum=1, doc="the longest interval between two measurements")
    ] = None


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
    # subtype group -> what its options are when every option of her line is stopped
    stopped_lines: Mapping[str, StoppedLine]

    def cite(self, source_id: str) -> str:
        return self.citations.get(source_id, source_id)

    def monitoring_lines(
        self, regimen: Regimen, drug_classes: Mapping[str, Classed]
    ) -> tuple[str, ...]:
        """The follow-up checks an option of `regimen` carries, in table order, an unverified
        one marked: the rows for every option, and the rows naming one of its drugs or one of
        their classes (`drug_classes`: the drug catalogue). Made once per regimen and catalogue,
        both immutable (the catalogue held with its entry, so its id is not reused meanwhile)."""
        key = (regimen.id, id(drug_classes))
        found = self._monitoring_lines.get(key)
        if found is not None and found[0] is drug_classes:
            return found[1]
        classes: set[str] = set()
        for drug in regimen.drugs:
            known = drug_classes.get(drug)
            if known is not None:
                classes |= known.classes
        lines = tuple(
            m.text + ("" if m.verified else UNVERIFIED)
            for m in self.monitoring.values()
            if m.all_options or m.drugs.intersection(regimen.drugs) or m.classes & classes
        )
        self._monitoring_lines[key] = (drug_classes, lines)
        return lines

    @cached_property
    def _monitoring_lines(
        self,
    ) -> dict[tuple[str, int], tuple[Mapping[str, Classed], tuple[str, ...]]]:
        return {}
