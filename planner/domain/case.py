"""The case document (contract §2) as frozen, typed objects.

`None` always means *not assessed*: the engine turns it into a named gap, never a default.
Lab values keep the unit they were entered in; conversion happens in `units`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from planner.domain.frozen_value import frozen_value

SCHEMA = "planner.case/1"

SEXES = ("female", "male")
MENOPAUSAL_STATUSES = ("pre", "peri", "post", "unknown")
HER2_IHC = ("0", "0_membrane", "1+", "2+", "3+")
HER2_ISH = ("amplified", "not_amplified")
MUTATION_STATES = ("mutated", "not_detected", "unknown")
GERMLINE_STATES = ("brca1", "brca2", "palb2", "not_detected", "unknown")
LIVER_LESIONS = ("single", "few", "multiple", "diffuse")
METASTATIC_SITES = ("bone", "lung", "pleura", "brain", "nodes", "peritoneum", "skin", "other")
THERAPY_SETTINGS = ("neoadjuvant", "adjuvant", "metastatic")
STOP_REASONS = ("progression", "toxicity", "completed", "patient_choice", "ongoing")
ASCITES = ("none", "mild", "moderate_severe")
ENCEPHALOPATHY = ("none", "grade_1_2", "grade_3_4")
DPYD = ("normal", "intermediate", "poor", "unknown")
UGT1A1 = ("normal", "heterozygous_28", "homozygous_28", "unknown")
# urine dipstick protein, in the order of the reading (the bevacizumab label acts on 2+ or more)
URINE_DIPSTICK = ("negative", "trace", "1+", "2+", "3+", "4+")
PROBLEM_AREAS = ("practical", "family", "emotional", "spiritual", "physical")
INTAKE = ("more_than_usual", "unchanged", "less_than_usual", "much_less", "minimal")
MOBILITY = ("independent", "walks_with_aid", "chair_bound", "bed_bound")
# contract §2a: the family's language (for the booklet), current medicines, allergies
LANGUAGES = ("en", "ru", "uz", "uz-Cyrl", "hi")
ROUTES = ("oral", "iv", "sc", "im", "transdermal", "topical", "inhaled", "rectal", "other")
MEDICATION_DOSE_UNITS = ("mg", "mcg", "g", "mL", "units")
ALLERGY_SEVERITIES = ("mild", "moderate", "severe", "unknown")
# What an allergy's `substance` was recognised as: a catalogue drug (its INN), a catalogue drug
# class (its id in drugs.toml, e.g. "taxane" for "taxanes"), an excipient drugs are formulated
# with (its id in drugs.toml, e.g. "polysorbate 80"), or free text the rules cannot match.
# A line that names more than one ("paclitaxel, carboplatin", "Phesgo") is "several": each
# substance in `Allergy.named` counts as if it had a line of its own (recheck21 N1b).
ALLERGY_KINDS = ("drug", "class", "excipient", "several", "other")
# contract §5: the CTCAE v5 terms a cycle review reads (closed enumeration)
TOXICITY_TERMS = (
    "neutrophil_count_decreased",
    "febrile_neutropenia",
    "platelet_count_decreased",
    "anemia",
    "alanine_aminotransferase_increased",
    "aspartate_aminotransferase_increased",
    "blood_bilirubin_increased",
    "diarrhea",
    # project additions (misc22): what a palliative nurse enters that the labels' "other
    # toxicity" rows and her day need (constipation, anorexia, acneiform rash, alopecia)
    "constipation",
    "nausea",
    "vomiting",
    "anorexia",
    "mucositis_oral",
    "palmar_plantar_erythrodysesthesia",
    "peripheral_sensory_neuropathy",
    "fatigue",
    "pneumonitis",
    "hyperglycemia",
    "rash_maculo_papular",
    "rash_acneiform",
    "ejection_fraction_decreased",
    "colitis",
    "qt_corrected_interval_prolonged",
    "alopecia",
)
TREATMENT_DOSE_UNITS = ("mg/m2", "mg/kg", "mg", "AUC")
#: the PHQ-9's items, by number (the case holds their answers as a list in this order)
PHQ9_ITEMS = tuple(range(1, 10))
ESAS_ITEMS = (
    "pain",
    "tiredness",
    "drowsiness",
    "nausea",
    "lack_of_appetite",
    "shortness_of_breath",
    "depression",
    "anxiety",
    "wellbeing",
)


@frozen_value
class Patient:
    mrn: str
    family_name: str
    given_name: str | None
    birth_date: dt.date | None
    sex: str | None
    menopausal_status: str | None
    language: str | None = None  # contract §2a; stored now, used by the booklet later


@frozen_value
class Body:
    height_cm: float | None
    weight_kg: float | None
    weight_6_months_ago_kg: float | None
    # added by this project (optional, together): the last weight in the record before this
    # assessment and the date it was measured (the window fills them for a known patient)
    earlier_weight_kg: float | None = None
    earlier_weight_on: dt.date | None = None


@frozen_value
class Biology:
    er_percent: float | None
    pr_percent: float | None
    her2_ihc: str | None
    her2_ish: str | None
    ki67_percent: float | None
    pik3ca: str | None
    akt1_pten: str | None
    esr1: str | None
    gbrca: str | None
    pdl1_cps: float | None


@frozen_value
class PriorTherapy:
    drugs: tuple[str, ...]
    setting: str
    started_on: dt.date | None
    ended_on: dt.date | None
    reason_stopped: str | None
    # added by this project (optional): the cumulative mg/m² of some drugs of this line, in each
    # drug's own mg/m² (the anthracycline ledger converts them to doxorubicin equivalents)
    cumulative_mg_m2: tuple[tuple[str, float], ...] | None = None


@frozen_value
class Disease:
    liver_metastases: bool | None
    liver_lesions: str | None
    other_sites: tuple[str, ...] | None
    biliary_obstruction: bool | None
    gilbert_syndrome: bool | None
    brain_metastases: bool | None
    prior_therapy: tuple[PriorTherapy, ...] | None
    cumulative_anthracycline_mg_m2: float | None
    # added by this project (optional; null = not recorded): radiotherapy that included the
    # mediastinum or heart, which lowers the lifetime anthracycline limit (doxorubicin labels)
    mediastinal_radiotherapy: bool | None = None


@frozen_value
class LabResult:
    """One result as entered: the unit is kept, `uln` is the reporting lab's upper limit."""

    value: float
    unit: str | None
    uln: float | None = None


LAB_NAMES = (
    "bilirubin",
    "ast",
    "alt",
    "alp",
    "ggt",
    "albumin",
    "inr",
    "creatinine",
    "sodium",
    "anc",
    "platelets",
    "hemoglobin",
    "wbc",
    "lymphocyte_percent",
    "glucose_fasting",
    "urine_protein_24h",
)


@frozen_value
class Labs:
    drawn_on: dt.date
    bilirubin: LabResult | None = None
    ast: LabResult | None = None
    alt: LabResult | None = None
    alp: LabResult | None = None
    ggt: LabResult | None = None
    albumin: LabResult | None = None
    inr: LabResult | None = None
    creatinine: LabResult | None = None
    sodium: LabResult | None = None
    anc: LabResult | None = None
    platelets: LabResult | None = None
    hemoglobin: LabResult | None = None
    wbc: LabResult | None = None
    lymphocyte_percent: LabResult | None = None
    # fasting plasma glucose: the PI3K/AKT inhibitor labels act on its value (issue 19)
    glucose_fasting: LabResult | None = None
    # protein in a 24-hour urine collection: the bevacizumab label acts on 2 g or more (issue 19)
    urine_protein_24h: LabResult | None = None

    def result(self, name: str) -> LabResult | None:
        found: LabResult | None = getattr(self, name)
        return found


@frozen_value
class Clinical:
    ecog: int | None
    ascites: str | None
    encephalopathy: str | None
    lvef_percent: float | None
    neuropathy_grade: int | None
    dpyd: str | None
    ugt1a1: str | None
    diabetes: bool | None
    surprise_question_no: bool | None
    # added by this project (optional; null = not assessed): the PPI's clinical signs
    edema: bool | None = None
    dyspnea_at_rest: bool | None = None
    delirium: bool | None = None  # not solely due to a single medication (Morita 1999)
    # added for the cycle review (issue 19; null = not measured): today's blood pressure and the
    # urine dipstick protein, which the bevacizumab label acts on
    systolic_bp_mmhg: float | None = None
    diastolic_bp_mmhg: float | None = None
    urine_dipstick_protein: str | None = None


@frozen_value
class OtherSymptom:
    name: str
    score: int


@frozen_value
class Esas:
    pain: int | None
    tiredness: int | None
    drowsiness: int | None
    nausea: int | None
    lack_of_appetite: int | None
    shortness_of_breath: int | None
    depression: int | None
    anxiety: int | None
    wellbeing: int | None
    other: OtherSymptom | None


@frozen_value
class Symptoms:
    esas: Esas | None
    pruritus: bool | None
    jaundice: bool | None
    constipation: bool | None


@frozen_value
class Psychosocial:
    distress_thermometer: int | None
    problems: tuple[str, ...] | None
    phq9: tuple[int | None, ...] | None
    gad7: tuple[int | None, ...] | None
    lives_alone: bool | None
    caregiver_strain: bool | None


@frozen_value
class Nutrition:
    intake: str | None
    # Instrument inputs stay as the checked JSON objects; the instrument scorers own their shape.
    pgsga_sf: dict[str, Any] | None
    must: dict[str, Any] | None


@frozen_value
class Function:
    falls_past_3_months: int | None
    mobility: str | None
    pps_percent: int | None


@frozen_value
class QualityOfLife:
    qlq_c30: dict[str, Any] | None
    qlq_br23: dict[str, Any] | None
    fact_b: dict[str, Any] | None


@frozen_value
class Preferences:
    declines_chemotherapy: bool | None
    prefers_oral: bool | None
    goals: str | None


@frozen_value
class MedicationDose:
    value: float
    unit: str


@frozen_value
class Medication:
    """A medicine she takes now (contract §2a). `drug` is the catalogue's INN, whatever case it
    was typed in; `None` in the other fields means not recorded."""

    drug: str
    dose: MedicationDose | None = None
    route: str | None = None
    frequency: str | None = None
    started_on: dt.date | None = None
    indication: str | None = None
    # the name as the nurse typed it where it is not the INN (a brand: "Dolo 650"), printed
    # beside the INN so the paper matches the box she holds (print24)
    written: str | None = None


@frozen_value
class Allergy:
    """A recorded allergy. `substance` is the INN (kind "drug"), the class id (kind "class"), the
    excipient id (kind "excipient") or the free text as typed (kinds "several" and "other");
    `written` is what the nurse wrote, for display. `named`: every (kind, substance) the line
    names, each applied as if on a line of its own; `not_read`: the parts of the line that name
    nothing the program knows (not checked); `negation`: a word that may say she is not
    allergic ("no", "nkda"), for the clinician to check (planner.domain.allergy_names)."""

    substance: str
    kind: str
    written: str
    reaction: str | None = None
    severity: str | None = None
    named: tuple[tuple[str, str], ...] = ()
    not_read: tuple[str, ...] = ()
    negation: str | None = None
    # one of the substances of a line that names several (made by `each`, never read from a case)
    one_of_several: bool = False

    def each(self) -> tuple[Allergy, ...]:
        """One allergy per substance the line names, with the line's words, reaction and
        severity; the line itself when it names none (kind "other") or was built with one."""
        if len(self.named) <= 1:
            return (self,)
        return tuple(
            Allergy(
                substance,
                kind,
                self.written,
                self.reaction,
                self.severity,
                named=((kind, substance),),
                negation=self.negation,
                one_of_several=True,
            )
            for kind, substance in self.named
        )


@frozen_value
class TreatmentDose:
    value: float
    unit: str  # one of TREATMENT_DOSE_UNITS


@frozen_value
class TreatmentDrug:
    """A drug of the regimen being given: the dose the course began at (100 %) and the dose of
    the last cycle given (after any earlier reductions)."""

    drug: str
    starting_dose: TreatmentDose
    current_dose: TreatmentDose


@frozen_value
class GivenDrug:
    drug: str
    dose: TreatmentDose


@frozen_value
class GivenCycle:
    cycle: int
    given_on: dt.date
    drugs: tuple[GivenDrug, ...]


@frozen_value
class Toxicity:
    """An adverse event since the last cycle (contract §5). `current_grade` None: not reassessed;
    `drug` None: attributed by the labels; `days` None: duration not recorded."""

    term: str
    worst_grade: int
    current_grade: int | None = None
    occurrence: int | None = None
    drug: str | None = None
    days: int | None = None


@frozen_value
class Treatment:
    """The regimen she is on and what happened since the last cycle (contract §5)."""

    regimen: str
    cycle: int
    cycle_days: int | None
    day: int
    started_on: dt.date | None
    drugs: tuple[TreatmentDrug, ...]
    given: tuple[GivenCycle, ...]
    toxicities: tuple[Toxicity, ...]
    # added by this project (optional): the LVEF before the course, for the labels' "fall from
    # baseline" rules (trastuzumab deruxtecan, ado-trastuzumab emtansine)
    baseline_lvef_percent: float | None = None

    def drug(self, name: str) -> TreatmentDrug | None:
        return next((d for d in self.drugs if d.drug == name), None)


@frozen_value
class ConfirmedReading:
    """One side of a confirmed change: the result as typed, in its unit, with its draw date."""

    value: float
    unit: str
    drawn_on: dt.date | None  # None: an earlier result kept without its date


@frozen_value
class LabConfirmation:
    """The nurse's confirmation that a result which jumped from the patient's previous one
    (delta check, planner.domain.lab_deltas) is right as typed, value and unit: who, which test,
    the previous and the new result (added by this project, optional; issue 16)."""

    lab: str
    previous: ConfirmedReading
    current: ConfirmedReading
    confirmed_by: str
    confirmed_on: dt.date


@frozen_value
class Case:
    schema: str
    patient: Patient
    assessed_on: dt.date
    body: Body | None = None
    biology: Biology | None = None
    disease: Disease | None = None
    labs: Labs | None = None
    previous_labs: tuple[Labs, ...] | None = None
    clinical: Clinical | None = None
    symptoms: Symptoms | None = None
    psychosocial: Psychosocial | None = None
    nutrition: Nutrition | None = None
    function: Function | None = None
    qol: QualityOfLife | None = None
    preferences: Preferences | None = None
    medications: tuple[Medication, ...] | None = None
    allergies: tuple[Allergy, ...] | None = None
    herbal_or_traditional: tuple[str, ...] | None = None
    treatment: Treatment | None = None  # contract §5: on treatment, a cycle review is asked for
    # added by this project (optional): results confirmed as typed after a delta-check question
    lab_confirmations: tuple[LabConfirmation, ...] | None = None

    def age_years(self) -> int | None:
        born = self.patient.birth_date
        if born is None:
            return None
        on = self.assessed_on
        return on.year - born.year - ((on.month, on.day) < (born.month, born.day))
