"""The one words table for the plan document's enumerations, for every screen and the printout.

Why one module: it is the one words table for every enumeration and field a reader sees (safety
rule 1: no code reaches a clinician or family raw). The tables and the cleaning of rule ids out of
reasons are one vocabulary; two homes would let the screen and the printout say different words.

No code reaches a clinician or a family as written in the JSON (`reduced_mobility`,
`within_week`, `insufficient_data`): the window (planner/ui) and the PDF (planner/reports) both
look codes up here, and a code missing from a table is still shown in words (underscores become
spaces), never raw.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from enum import StrEnum
from typing import Any

from planner.domain.vocabulary import (
    AlertLevel,
    DoseStatus,
    MedicineAction,
    ProblemDomain,
    Service,
    Urgency,
)

# Each table has words for every member of its vocabulary (tests/domain/test_plan_words.py).
SERVICES: Mapping[str, str] = {
    Service.DIETITIAN: "Dietitian",
    Service.PHYSIOTHERAPY: "Physiotherapy",
    Service.PSYCHOLOGY: "Psychology",
    Service.PSYCHIATRY: "Psychiatry",
    Service.SOCIAL_WORK: "Social work",
    Service.SPIRITUAL_CARE: "Spiritual care",
    Service.PALLIATIVE_CARE: "Palliative care",
    Service.ONCOLOGY: "Oncology",
    Service.HEPATOLOGY: "Hepatology",
    Service.INTERVENTIONAL_RADIOLOGY: "Interventional radiology",
    Service.PHARMACIST: "Pharmacist",
}

URGENCY: Mapping[str, str] = {
    Urgency.SAME_DAY: "Same day",
    Urgency.WITHIN_WEEK: "Within a week",
    Urgency.ROUTINE: "Routine",
}

#: when the family booklet says a referral will be seen
URGENCY_PLAIN: Mapping[str, str] = {
    Urgency.SAME_DAY: "today",
    Urgency.WITHIN_WEEK: "within a week",
    Urgency.ROUTINE: "in the next few weeks",
}

STATUS: Mapping[str, str] = {
    DoseStatus.STANDARD: "standard",
    DoseStatus.REDUCED: "reduced",
    DoseStatus.CAUTION: "caution",
    DoseStatus.NOT_RECOMMENDED: "not recommended",
    DoseStatus.CONTRAINDICATED: "contraindicated",
    DoseStatus.INSUFFICIENT_DATA: "insufficient data",
}

DOMAINS: Mapping[str, str] = {
    ProblemDomain.PHYSICAL: "Physical",
    ProblemDomain.PSYCHOLOGICAL: "Psychological",
    ProblemDomain.FUNCTIONAL: "Functional",
    ProblemDomain.SOCIAL: "Social",
    ProblemDomain.NUTRITIONAL: "Nutritional",
}

LEVELS: Mapping[str, str] = {
    AlertLevel.CRITICAL: "CRITICAL",
    AlertLevel.WARNING: "Warning",
    AlertLevel.INFO: "Note",
}

MEDICINE_ACTIONS: Mapping[str, str] = {
    MedicineAction.CONTINUE: "Continue",
    MedicineAction.REVIEW: "Review",
    MedicineAction.CHANGE: "Change",
    MedicineAction.STOP: "Stop",
}

#: supportive problems whose name reads better than its code with spaces
PROBLEMS = {
    "reduced_mobility": "reduced mobility",
    "caregiver_strain": "caregiver strain",
    "practical_needs": "practical needs",
    "spiritual_distress": "spiritual distress",
    "weight_loss": "weight loss",
}

#: every table by the kind of code it holds (`say(kind, code)`)
TABLES = {
    "service": SERVICES,
    "urgency": URGENCY,
    "status": STATUS,
    "domain": DOMAINS,
    "level": LEVELS,
    "problem": PROBLEMS,
    "medicine_action": MEDICINE_ACTIONS,
}

#: the words table of every closed vocabulary (planner.domain.vocabulary), checked exhaustive
WORDS_OF: Mapping[type[StrEnum], Mapping[str, str]] = {
    Service: SERVICES,
    Urgency: URGENCY,
    DoseStatus: STATUS,
    ProblemDomain: DOMAINS,
    AlertLevel: LEVELS,
    MedicineAction: MEDICINE_ACTIONS,
}


def spaced(code: object) -> str:
    """`caregiver_strain` -> `caregiver strain` (the fallback for a code no table names)."""
    return "" if code is None else str(code).replace("_", " ")


def say(kind: str, code: object) -> str:
    """A plan code in words: its table's wording, else the code with spaces (never raw)."""
    if code is None:
        return ""
    return TABLES.get(kind, {}).get(str(code)) or spaced(code)


def option_title(option: Mapping[str, Any]) -> str:
    """A systemic-therapy option's name as a clinician reads it: the regimen's own name from the
    rules, else its drugs joined with "+", else the regimen code in words (never the raw id such
    as `paclitaxel_weekly`)."""
    if option.get("name"):
        return str(option["name"])
    drugs = [str(d.get("drug") or "") for d in option.get("drugs") or () if d.get("drug")]
    title = " + ".join(drugs) if drugs else spaced(option.get("regimen"))
    return title[:1].upper() + title[1:]


#: a case field (contract §2) as a clinician names it; a path not listed falls back to its last
#: parts in words (never the dotted path)
FIELDS: Mapping[str, str] = {
    "patient": "patient details",
    "patient.birth_date": "date of birth",
    "patient.sex": "sex",
    "patient.menopausal_status": "menopausal status",
    "assessed_on": "assessment date",
    "body": "height and weight",
    "body.height_cm": "height",
    "body.weight_kg": "weight",
    "body.weight_6_months_ago_kg": "weight 6 months ago",
    "body.earlier_weight_kg": "last recorded weight",
    "body.earlier_weight_on": "date of the last recorded weight",
    "biology": "tumour biology",
    "biology.er_percent": "ER (% of cells)",
    "biology.pr_percent": "PR (% of cells)",
    "biology.her2_ihc": "HER2 IHC score",
    "biology.her2_ish": "HER2 ISH result",
    "biology.ki67_percent": "Ki-67",
    "biology.pik3ca": "PIK3CA mutation",
    "biology.akt1_pten": "AKT1/PTEN alteration",
    "biology.esr1": "ESR1 mutation",
    "biology.gbrca": "germline BRCA result",
    "biology.pdl1_cps": "PD-L1 combined positive score (22C3)",
    "biology.pdl1_sp142": "PD-L1 SP142 immune-cell result",
    "disease": "disease details",
    "disease.liver_metastases": "liver metastases",
    "disease.liver_lesions": "number of liver lesions",
    "disease.other_sites": "other metastatic sites",
    "disease.biliary_obstruction": "biliary obstruction",
    "disease.gilbert_syndrome": "Gilbert syndrome",
    "disease.brain_metastases": "brain metastases",
    "disease.prior_therapy": "previous cancer treatment",
    "disease.cumulative_anthracycline_mg_m2": "lifetime anthracycline dose",
    "labs": "laboratory results",
    "labs.drawn_on": "date the blood was taken",
    "labs.bilirubin": "bilirubin",
    "labs.bilirubin.uln": "bilirubin upper limit of normal",
    "labs.ast": "AST",
    "labs.ast.uln": "AST upper limit of normal",
    "labs.alt": "ALT",
    "labs.alt.uln": "ALT upper limit of normal",
    "labs.alp": "alkaline phosphatase",
    "labs.alp.uln": "alkaline phosphatase upper limit of normal",
    "labs.albumin": "albumin",
    "labs.inr": "INR",
    "labs.creatinine": "creatinine",
    "labs.anc": "neutrophils",
    "labs.platelets": "platelets",
    "labs.hemoglobin": "haemoglobin",
    "labs.glucose_fasting": "fasting glucose",
    "labs.urine_protein_24h": "urine protein (24-hour collection)",
    "previous_labs": "earlier laboratory results",
    "clinical": "clinical findings",
    "clinical.ecog": "ECOG performance status",
    "clinical.ascites": "ascites",
    "clinical.encephalopathy": "hepatic encephalopathy",
    "clinical.lvef_percent": "LVEF",
    "clinical.systolic_bp_mmhg": "systolic blood pressure",
    "clinical.diastolic_bp_mmhg": "diastolic blood pressure",
    "clinical.urine_dipstick_protein": "urine dipstick protein",
    "clinical.neuropathy_grade": "neuropathy grade",
    "clinical.dpyd": "DPYD genotype",
    "clinical.ugt1a1": "UGT1A1 genotype",
    "clinical.diabetes": "diabetes",
    "clinical.surprise_question_no": "the surprise question",
    "clinical.edema": "oedema",
    "clinical.dyspnea_at_rest": "dyspnoea at rest",
    "clinical.delirium": "delirium",
    "symptoms": "symptoms",
    "symptoms.esas": "ESAS-r symptom scores",
    "symptoms.pruritus": "itch",
    "symptoms.jaundice": "jaundice",
    "symptoms.constipation": "constipation",
    "psychosocial": "psychosocial screen",
    "psychosocial.distress_thermometer": "distress thermometer",
    "psychosocial.problems": "distress problem list",
    "psychosocial.phq9": "PHQ-9 answers",
    "psychosocial.phq9[8]": "PHQ-9 item 9 (thoughts of self-harm)",
    "psychosocial.gad7": "GAD-7 answers",
    "psychosocial.lives_alone": "lives alone",
    "psychosocial.caregiver_strain": "caregiver strain",
    "nutrition": "nutrition",
    "nutrition.intake": "food intake",
    "nutrition.pgsga_sf": "PG-SGA short form",
    "nutrition.must": "MUST score",
    "function": "function",
    "function.falls_past_3_months": "falls in the past 3 months",
    "function.mobility": "mobility",
    "function.pps_percent": "Palliative Performance Scale",
    "qol": "quality of life",
    "preferences": "preferences",
    "medications": "current medicines",
    "allergies": "allergies",
    "herbal_or_traditional": "herbal or traditional remedies",
    "treatment": "current treatment",
    "treatment.given": "treatment given so far",
    "treatment.toxicities": "side effects recorded",
    "treatment.baseline_lvef_percent": "LVEF before the course (baseline)",
}

_INDEX = re.compile(r"\[(\d+)\]")

#: the CTCAE terms of `treatment.toxicities` as a clinician says them (British spelling, the
#: name in use); a term not listed reads as its words
TOXICITY_WORDS: Mapping[str, str] = {
    "neutrophil_count_decreased": "low neutrophils",
    "platelet_count_decreased": "low platelets",
    "anemia": "anaemia",
    "alanine_aminotransferase_increased": "ALT raised",
    "aspartate_aminotransferase_increased": "AST raised",
    "blood_bilirubin_increased": "bilirubin raised",
    "alkaline_phosphatase_increased": "ALP raised",
    "diarrhea": "diarrhoea",
    "mucositis_oral": "sore mouth (oral mucositis)",
    "palmar_plantar_erythrodysesthesia": "hand-foot syndrome",
    "peripheral_sensory_neuropathy": "peripheral sensory neuropathy",
    "pneumonitis": "pneumonitis (interstitial lung disease)",
    "hyperglycemia": "hyperglycaemia",
    "rash_maculo_papular": "maculopapular rash",
    "ejection_fraction_decreased": "ejection fraction decreased",
    "qt_corrected_interval_prolonged": "QTc prolonged",
    "anorexia": "loss of appetite (anorexia)",
    "rash_acneiform": "acne-like rash (acneiform)",
    "alopecia": "hair loss (alopecia)",
}


def toxicity_words(term: str) -> str:
    """A CTCAE term of the case in words: `diarrhea` -> "diarrhoea"."""
    return TOXICITY_WORDS.get(term, term.replace("_", " "))


def side_effect_words(index: int) -> str:
    """`treatment.toxicities[index]` in words: "entered side effect 1". Not "the first side
    effect": beside a toxicity a clinician reads an ordinal as its occurrence (rx21 W3, a second
    febrile neutropenia read as the first)."""
    return f"entered side effect {index + 1}"


def occurrence_words(occurrence: int | None) -> str:
    """The words ", occurrence 2" for a toxicity's counted occurrence; nothing when it is not known."""
    return "" if occurrence is None else f", occurrence {occurrence}"


def field_words(path: object) -> str:
    """A case field path as words: `labs.anc` -> `neutrophils`, `biology.esr1` -> `ESR1
    mutation`, `medications[0]` -> `current medicines, entry 1`; a path not in `FIELDS` reads
    as its last parts with spaces (`labs.bilirubin.uln` style), never as the dotted path."""
    whole = str(path or "").strip()
    if not whole:
        return ""
    if whole in FIELDS:
        return FIELDS[whole]
    bare = _INDEX.sub("", whole)
    index = _INDEX.search(whole)
    if bare in FIELDS:  # a list entry: "previous cancer treatment, entry 2"
        entry = f", entry {int(index.group(1)) + 1}" if index else ""
        return FIELDS[bare] + entry
    parts = [p for p in bare.split(".") if p]
    for cut in range(len(parts) - 1, 0, -1):  # `labs.anc.unit` -> "neutrophils unit"
        head = ".".join(parts[:cut])
        if head in FIELDS:
            return " ".join([FIELDS[head], *(spaced(p) for p in parts[cut:])])
    if (
        parts[0] in ("labs", "clinical", "body", "symptoms", "biology", "disease")
        and len(parts) > 1
    ):
        parts = parts[1:]
    return " ".join(spaced(p).replace("uln", "upper limit of normal") for p in parts)


#: how a number was calculated (the plan's `crcl_formula`, `bsa_formula`)
METHODS: Mapping[str, str] = {
    "cockcroft_gault_actual_weight": "Cockcroft–Gault, actual body weight",
    "cockcroft_gault_ideal_weight": "Cockcroft–Gault, ideal body weight",
    "cockcroft_gault_adjusted_weight": "Cockcroft–Gault, adjusted body weight",
    "cockcroft_gault": "Cockcroft–Gault",
    "mosteller": "Mosteller",
    "dubois": "DuBois",
}


def method_words(code: object) -> str:
    """A calculation method as named in the literature: `cockcroft_gault_actual_weight` ->
    "Cockcroft–Gault, actual body weight"."""
    return METHODS.get(str(code or ""), spaced(code).capitalize())


# A rule fired against a clinic setting says which: "(weight_loss_percent_above = 5, default)".
# The setting's name is for the rule tables; a clinician reads the cut-off in words.
_SETTING = re.compile(
    r"\b(?P<name>[a-z][a-z0-9]*(?:_[a-z0-9]+)+) = (?P<value>[^,;()]+?), "
    r"(?P<where>default|clinic setting)(?P<doubt>; unverified — confirm locally)?"
)
_SETTING_GROUP = re.compile(
    r"\((?P<body>(?:[a-z][a-z0-9_]* = [^()]*?, (?:default|clinic setting)"
    r"(?:; unverified — confirm locally)?(?:; )?)+)\)"
)
_RELATIONS = (
    ("_x_uln", "from", " × ULN"),
    ("_percent_above", "more than", " %"),
    ("_percent_below", "less than", " %"),
    ("_above_kg", "more than", " kg"),
    ("_below_kg", "below", " kg"),
    ("_above", "above", ""),
    ("_below", "below", ""),
    ("_min", "from", ""),
    ("_max", "up to", ""),
)


def setting_words(name: str, value: str) -> str:
    """A clinic setting and its value as a cut-off in words: `weight_loss_percent_above`, 5 ->
    "weight loss of more than 5 %"; `phq9_moderate_min`, 10 -> "PHQ-9 moderate from 10"."""
    stem, relation, unit = name, "", ""
    for suffix, said, shown_unit in _RELATIONS:
        if name.endswith(suffix):
            stem, relation, unit = name[: -len(suffix)], said, shown_unit
            break
    words = _spell(stem)
    of = " of" if relation in ("more than", "less than") else ""
    return f"{words}{of} {relation} {value}{unit}".replace("  ", " ").strip()


#: words inside setting names that are abbreviations a clinician writes otherwise
_SPELLED = {
    "phq9": "PHQ-9",
    "gad7": "GAD-7",
    "esas": "ESAS-r",
    "must": "MUST",
    "pgsga": "PG-SGA",
    "ecog": "ECOG",
    "pps": "PPS",
    "ppi": "PPI",
    "inr": "INR",
    "bmi": "BMI",
    "lmwh": "LMWH",
    "uln": "× ULN",
    "x": "",
    "vc": "visceral crisis",
    "item9": "item 9",
    "cutoff": "cut-off",
}


def _spell(stem: str) -> str:
    return " ".join(w for w in (_SPELLED.get(p, p) for p in stem.split("_")) if w)


def _settings_in_words(found: re.Match[str]) -> str:
    items = list(_SETTING.finditer(found.group("body")))
    wheres = {i.group("where") for i in items}
    doubtful = any(i.group("doubt") for i in items)
    cut_offs = "; ".join(setting_words(i.group("name"), i.group("value").strip()) for i in items)
    plural = "s" if len(items) > 1 else ""
    if wheres == {"default"}:
        whose = f"the default threshold{plural}"
    elif wheres == {"clinic setting"}:
        whose = f"this clinic's threshold{plural}"
    else:
        whose = "default and clinic thresholds"
    return f"({cut_offs}: {whose}" + ("; unverified — confirm locally" if doubtful else "") + ")"


# "what [HR-10, FUN-3]: finding": the rule ids a reason carries for the JSON reader
_BRACKETED_IDS = re.compile(r" \[[A-Za-z0-9_.:-]+(?:\.\.\d+)?(?:[,;] [A-Za-z0-9_.:-]+)*\]")
# a reason's own form, "what [ids and the rows they rest on]: finding"; a rule label may hold
# one level of brackets ("[medicine review (supportive_plan.toml [[medicine_check]])]:"), and
# goes whole (as on a slip, planner.domain.referrals)
_REASON_IDS = re.compile(r" \[(?:[^\[\]]|\[\[?[^\[\]]*\]?\])*\](?=:)")
# a band's status in an engine sentence, "cannot rule out '…' (insufficient_data)", as the
# one-word statuses already read ("(caution)")
_STATUS_IN_PARENTHESES = re.compile(
    r"\((?P<status>" + "|".join(c for c in STATUS if "_" in c) + r")\)"
)


#: the families of the rule tables' short ids ("HR-10", "VC-7", "STOP-4") and of the decisions
#: record ("D-5"): an id in an engine sentence is for the JSON reader. Trial and instrument names
#: of the same shape (SOLAR-1, PHQ-9, GAD-7, NRS-2002) are not ids and stay (a test checks
#: every id family of the rule tables is listed here).
RULE_ID_FAMILIES = (
    "ACP",
    "ASC",
    "BIO",
    "CT",
    "D",
    "DEP",
    "DS",
    "ES",
    "FAT",
    "FUN",
    "GEN",
    "H2",
    "HE",
    "HER2",
    "HR",
    "JAUN",
    "LINE",
    "LOC",
    "LOW",
    "NUT",
    "PAIN",
    "PAL",
    "PROG",
    "PRUR",
    "SOC",
    "STOP",
    "TEST",
    "TN",
    "VC",
)
# the supportive tables' ids name their domain first: PHY-PAIN-2, PSY-DEP-1
_ID = r"\b(?:(?:PHY|PSY)-[A-Z]+|" + "|".join(RULE_ID_FAMILIES) + r")-\d+(?:\.\.\d+)?\b"
_IDS_IN_PARENTHESES = re.compile(r" ?\(" + _ID + r"(?:[,;] " + _ID + r")*\)")
_IDS_AT_END = re.compile(r"(?:[;,] " + _ID + r")+(?=\))")
# ids opening a bracket before its words: "(HR-1; BOLERO-2 enrolled …)" -> "(BOLERO-2 enrolled …)"
_IDS_OPENING = re.compile(r"(?<=\()" + _ID + r"(?:[,;] " + _ID + r")*[;,] ")
_BARE_IDS = re.compile(r"(?:,? " + _ID + r")+")
_DOTTED_ID = r"[a-z][a-z0-9_-]*(?:[.:][a-z0-9_-]+)+"
_ALTERNATIVE_ID = re.compile(r"\(" + _DOTTED_ID + r", ")
_INSTRUMENT_SETTING = re.compile(
    r"\(instrument setting (?P<name>[a-z][a-z0-9_]*) = (?P<value>[^()]+)\)"
)
_UNVERIFIED_RULE = re.compile(r"UNVERIFIED: " + _DOTTED_ID + r" rests on")
_RULE_NOT_CHECKED = re.compile(r"^" + _DOTTED_ID + r": could not be checked")
_FIELD_IN_PARENTHESES = re.compile(r"\((?P<path>[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+(?:\[\d+\])?)\)")

_RULE_BEFORE = re.compile(r"\(" + _DOTTED_ID + r": ")


#: what a dose band measures (planner.domain.dose_tables), as a clinician names it; the unit
#: follows the value in the band's own words ("bilirubin > 1 × ULN")
MEASURES: Mapping[str, str] = {
    "bilirubin_x_uln": "bilirubin",
    "ast_x_uln": "AST",
    "alt_x_uln": "ALT",
    "alp_x_uln": "alkaline phosphatase",
    "transaminases_x_uln": "AST or ALT (the higher)",
    "bilirubin_mg_dl": "bilirubin",
    "crcl_ml_min": "CrCl",
    "creatinine_mg_dl": "creatinine",
    "lvef_percent": "LVEF",
    "cumulative_anthracycline_mg_m2": "lifetime anthracycline dose",
    "odwg": "ODWG class",
    "child_pugh": "Child–Pugh class",
    "child_pugh_points": "Child–Pugh score",
    "dpyd": "DPYD genotype",
    "ugt1a1": "UGT1A1 genotype",
    "liver_metastases": "liver metastases",
}
# a band's condition, "ugt1a1 in homozygous_28" (quoted or in parentheses)
_CONDITION = re.compile(
    r"(?<=['( ])(?P<measure>" + "|".join(MEASURES) + r") in (?P<values>[A-Za-z0-9_+/]+)(?=[') ])"
)
_MEASURE_CODES = re.compile(r"\b(?:" + "|".join(k for k in MEASURES if "_" in k) + r")\b")


def _measure_words(measure: str) -> str:
    """A dose band's measure (`ugt1a1`, `dpyd`) as the case field it reads."""
    if measure in MEASURES:
        return MEASURES[measure]
    for path, said in FIELDS.items():
        if path.rsplit(".", 1)[-1] == measure:
            return said
    return spaced(measure)


#: values of the case's closed enumerations (contract §2) that read better than their code with
#: spaces
VALUES: Mapping[str, str] = {
    "homozygous_28": "homozygous *28",
    "heterozygous_28": "heterozygous *28",
    "moderate_severe": "moderate or severe",
    "grade_1_2": "grade 1–2",
    "grade_3_4": "grade 3–4",
    "0_membrane": "0 with faint membrane staining (ultralow)",
    "walks_with_aid": "walks with an aid",
    "brca1": "BRCA1",
    "brca2": "BRCA2",
    "palb2": "PALB2",
}


def value_words(code: object) -> str:
    """A value of the case as a clinician reads it: `homozygous_28` -> "homozygous *28"."""
    return VALUES.get(str(code), spaced(code))


def _condition_words(found: re.Match[str]) -> str:
    values = " or ".join(value_words(v) for v in found.group("values").split("/"))

    return f"{_measure_words(found.group('measure'))}: {values}"


def clinician_words(sentence: object) -> str:
    """An engine sentence as a clinician reads it: a setting's trace
    "(weight_loss_percent_above = 5, default)" becomes "(weight loss of more than 5 %: the
    default threshold)", bracketed rule ids "[FUN-3]" and `>=`/`<=` go. The plan JSON keeps the
    trace (contract: every output names the setting it used); the screen and the paper say it."""
    said = _SETTING_GROUP.sub(_settings_in_words, str(sentence or ""))
    said = _BRACKETED_IDS.sub("", said)
    said = _REASON_IDS.sub("", said)
    said = _IDS_IN_PARENTHESES.sub("", said)
    said = _IDS_OPENING.sub("", said)
    said = _IDS_AT_END.sub("", said)
    said = _BARE_IDS.sub("", said)
    said = _ALTERNATIVE_ID.sub("(", said)
    said = _RULE_BEFORE.sub("(", said)

    said = _INSTRUMENT_SETTING.sub(
        lambda m: f"({_spell(m.group('name'))}: {value_words(m.group('value'))}, a clinic setting)",
        said,
    )

    said = _UNVERIFIED_RULE.sub("UNVERIFIED: this rule rests on", said)
    said = _RULE_NOT_CHECKED.sub("could not be checked", said)
    said = _FIELD_IN_PARENTHESES.sub(lambda m: f"({field_words(m.group('path'))})", said)
    said = _STATUS_IN_PARENTHESES.sub(lambda m: f"({STATUS[m.group('status')]})", said)
    said = _CONDITION.sub(_condition_words, said)
    said = _MEASURE_CODES.sub(lambda m: MEASURES[m.group(0)], said)

    return units_in_words(said.replace(">=", "≥").replace("<=", "≤"))


def dose_words(value: object, unit: object) -> str:
    """A dose as a clinician writes it, on every screen: "AUC 5" (never "5 AUC"), "75 mg/m²"
    (never "mg/m2"); the print has the same forms (planner.reports.formatting.amount)."""
    shown = f"{value:g}" if isinstance(value, int | float) else str(value)
    if str(unit) == "AUC":
        return f"AUC {shown}"
    return f"{shown} {unit_words(unit)}".strip()


#: units as a clinician reads them (the case and rules keep the ASCII codes)
UNIT_SHOWN = {
    "mg/m2": "mg/m²",
    "m2": "m²",
    "umol/L": "µmol/L",
    "10^9/L": "×10⁹/L",
    "/uL": "/µL",
    "/mm3": "/mm³",
    "lakh/uL": "lakh/cumm",  # as Indian reports write it (1 lakh per µL = 100 × 10⁹/L)
}


def unit_words(unit: object) -> str:
    """A unit as printed: "mg/m2" -> "mg/m²", "10^9/L" -> "×10⁹/L" (never "2100 10^9/L")."""
    return UNIT_SHOWN.get(str(unit or ""), str(unit or ""))


#: the ASCII unit codes an engine sentence may carry ("80 mg/m2", "1.68 m2", "34 umol/L"),
#: each only where it stands as a unit (not "m2" inside a word)
_UNITS_IN_TEXT = re.compile(r"(?<![\w^])(mg/m2|m2|umol/L|/uL|/mm3)(?![\w²³])")


def units_in_words(sentence: object) -> str:
    """Every unit of a sentence as a clinician reads it: the one rendering of units for the
    screen and the paper (misc22: "mg/m2" beside "mg/m²" in one panel). The plan JSON keeps the
    ASCII codes of the contract ("mg/m2"), in its words too."""
    return _UNITS_IN_TEXT.sub(lambda m: UNIT_SHOWN[m.group(1)], str(sentence or ""))


def severity_with_cause(item: Mapping[str, Any], unscored: str, *, others: bool = True) -> str:
    """A supportive problem's severity and, in words, the findings that set it ("severe — from
    PHQ-9 item 9 = 1: thoughts of death or self-harm; PHQ-9 total 13: moderate"), so a severity
    that disagrees with a score beside it says why (nurse16, walk 21 F3: "depression severe"
    beside a moderate PHQ-9 total). The reason that names the severity ("22: severe",
    "(moderate)") comes first, else the first reason; the others follow it. Settings' names
    go (the plan JSON keeps them); a reason resting on an unverified setting says so (rule 6).
    `others`: False says the cause alone (a slip's half sheet has no room for more)."""
    severity = item.get("severity")
    if not severity:
        return spaced(unscored)
    reasons = [_finding_in_words(str(r)) for r in item.get("reasons") or () if r]
    named = [r for r in reasons if f": {severity}" in r or f"({severity})" in r]
    cause = (named or reasons or [""])[0]
    found = [_without(cause, str(severity)), *(r for r in reasons if r != cause and others)]
    said = "; ".join(f for f in found if f)
    return f"{spaced(severity)} — from {said}" if said else spaced(severity)


#: a setting's trace in a reason, "(esas_severe_min = 7, default; unverified — confirm locally)"
#: or "(instrument setting distress_cutoff = nccn)": the clinician section and the plan JSON
#: name it; beside a severity only the finding is said
_TRACE = re.compile(r" ?\((?:[^()]*?)\b[a-z][a-z0-9_]* = [^()]*\)")
#: "PHQ-9 total 13 (moderate): moderate" -> "PHQ-9 total 13: moderate" (the instrument's band)
_BAND_THEN_LEVEL = re.compile(r" \(([a-z ]+)\): (?:mild|moderate|severe)\b")


def _finding_in_words(reason: str) -> str:
    unverified = any("unverified" in m.group(0) for m in _TRACE.finditer(reason))
    said = _TRACE.sub("", reason)
    said = _BAND_THEN_LEVEL.sub(r": \1", said).replace(">=", "≥").replace("<=", "≤").strip()
    return said + (" (unverified)" if unverified and "unverified" not in said else "")


def _without(finding: str, severity: str) -> str:
    """The finding without the severity it names: "PHQ-9 total 22: severe" -> "PHQ-9 total 22"."""
    said = finding.replace(f" ({severity})", "")
    if said.endswith(f": {severity}"):
        said = said[: -len(f": {severity}")]
    return re.sub(rf": {severity} \(", " (", said).strip()


#: how a drug row's warning about her allergy begins (planner.domain.medicines writes it): a
#: row that keeps its dose beside a related allergy (nab-paclitaxel after paclitaxel) says so
#: on its option line, not only in its details (walk23 #6)
ALLERGY_NOTE = "allergy recorded to"


def allergy_cautions(warnings: Any) -> tuple[str, ...]:
    """The allergy notes among a drug row's warnings (a list of texts, or anything else)."""
    if not isinstance(warnings, list | tuple):
        return ()
    return tuple(str(w) for w in warnings if str(w).startswith(ALLERGY_NOTE))


def allergy_flag(warnings: Any, dosed: bool) -> str:
    """ " — ALLERGY CAUTION: …" for an option line whose drug keeps a dose beside an allergy
    note (the short marker first: a cut line still shows it); "" otherwise. A stopped row
    says "not recommended" itself."""
    found = allergy_cautions(warnings)
    if not found or not dosed:
        return ""
    # what she is allergic to, as the note says it first ("paclitaxel (nab-paclitaxel is …)")
    said = found[0][len(ALLERGY_NOTE) :].strip().split(" (", 1)[0].split(":", 1)[0]
    return f" — ALLERGY CAUTION: related to her allergy to {said}"


def joined(names: Sequence[str]) -> str:
    """Names in a sentence: "a", "a and b", "a, b and c"."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


# the Child–Pugh items a score may leave unscored, in words (hepatic.ChildPugh.unscored)
_CHILD_PUGH_ITEMS = {"inr": "INR"}


def child_pugh_points_words(
    points: int | None, points_range: tuple[int, int] | None, unscored: tuple[str, ...]
) -> str:
    """ "7 points", or "7–9 points whatever the INR" when an item was not scored and every value
    of it gives one class (rx24 W2); the JSON's domain value and the read plan say it alike."""
    if points is not None or points_range is None:
        return f"{points} points"
    low, high = points_range
    items = " and ".join(_CHILD_PUGH_ITEMS.get(i, i) for i in unscored) or "items not scored"
    return f"{low}–{high} points whatever the {items}"
