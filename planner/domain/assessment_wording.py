"""The assessment's wording: the one home of the labels the wizard shows and the paper form
prints, so the nurse types a paper form in the order and with the words she sees on screen.

Labels carry the wizard's keyboard mnemonic (`&`); `plain()` takes it out for print.
Only instruments free to reproduce have their item wording here (safety rule 8): ESAS-r,
PHQ-9, GAD-7 and the distress thermometer. EORTC QLQ-C30/BR23 and FACT-B items are known by
number or FACIT code only (planner.domain.instruments.inputs), never by their words.
"""

from __future__ import annotations

# ESAS-r (Watanabe et al. 2011; University of Alberta) is free to use with acknowledgement.
# Keys and their order are the case document's (planner.domain.case.ESAS_ITEMS).
ESAS_LABELS = {
    "pain": "&Pain",
    "tiredness": "&Tiredness (lack of energy)",
    "drowsiness": "&Drowsiness (feeling sleepy)",
    "nausea": "&Nausea",
    "lack_of_appetite": "Lack of &appetite",
    "shortness_of_breath": "&Shortness of breath",
    "depression": "D&epression (feeling sad)",
    "anxiety": "Anx&iety (feeling nervous)",
    "wellbeing": "&Wellbeing (how you feel overall)",
}
ESAS_OTHER = "&Other problem"
ESAS_CREDIT = "ESAS-r: Watanabe et al., 2011 (free to use)."
#: the paper form's credit lines: who issued each instrument whose wording is printed
ESAS_ISSUER = (
    "ESAS-r: revised Edmonton Symptom Assessment System, Watanabe SM et al., J Pain Symptom "
    "Manage 2011; © Alberta Health Services / University of Alberta, free to use."
)

# PHQ-9 and GAD-7 (Spitzer, Williams, Kroenke; Pfizer) are free to reproduce: wording may be shown.
PHQ9_ITEMS = (
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself, or that you are a failure or have let yourself or your "
    "family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed; or the opposite: being "
    "so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead, or of hurting yourself in some way",
)
GAD7_ITEMS = (
    "Feeling nervous, anxious, or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid, as if something awful might happen",
)
PHQ9_TITLE = "PHQ-9: over the last 2 weeks, how often bothered by …"
GAD7_TITLE = "GAD-7: over the last 2 weeks, how often bothered by …"
#: PHQ-9 and GAD-7 answers: (score, words)
FREQUENCY = (
    (0, "not at all"),
    (1, "several days"),
    (2, "more than half the days"),
    (3, "nearly every day"),
)
PHQ_GAD_ISSUER = (
    "PHQ-9 and GAD-7: Drs Spitzer, Williams, Kroenke and colleagues, with an educational "
    "grant from Pfizer Inc.; no permission required to reproduce."
)

DISTRESS_TITLE = "Distress thermometer"
DISTRESS_LABEL = "&Distress (0–10) this past week"
DISTRESS_PROBLEMS_LABEL = "Problem areas"
#: the thermometer's problem areas, in the case's order (depression_anxiety's keys)
PROBLEM_AREA_LABELS = {
    "practical": "&Practical",
    "family": "&Family",
    "emotional": "&Emotional",
    "spiritual": "Spi&ritual",
    "physical": "P&hysical",
}
DISTRESS_ISSUER = "Distress thermometer: NCCN Guidelines for Distress Management (NCCN)."
PSYCHOSOCIAL_CREDIT = (
    "PHQ-9 and GAD-7: Spitzer, Williams, Kroenke et al. (free to reproduce). "
    "NCCN distress thermometer."
)

#: lab rows in the order a liver panel is read (the wizard's labs page and the paper labs sheet)
LAB_ROWS = (
    ("bilirubin", "&Bilirubin (total)"),
    ("ast", "A&ST"),
    ("alt", "A&LT"),
    ("alp", "AL&P"),
    ("ggt", "GG&T"),
    ("albumin", "Al&bumin"),
    ("inr", "I&NR"),
    ("creatinine", "&Creatinine"),
    ("sodium", "Sodi&um"),
    ("anc", "N&eutrophils"),
    ("platelets", "Platele&ts"),
    ("hemoglobin", "&Haemoglobin"),
)

#: ECOG performance status: (grade, words)
ECOG_LEVELS = (
    (0, "0 — fully active"),
    (1, "1 — light work only"),
    (2, "2 — up more than half the day, no work"),
    (3, "3 — in bed or chair more than half the day"),
    (4, "4 — completely disabled"),
)


#: the patient-and-body step's fields the paper form asks too (walk 21 F11)
BIRTH_DATE_LABEL = "&Birth date"
HEIGHT_LABEL = "&Height"
WEIGHT_LABEL = "&Weight today"
#: the medicines step: its sections, columns and stated answers (the wizard and the paper form)
MEDICINES_TITLE = "Medicines she takes now"
MEDICINE_COLUMNS = ("Medicine", "Dose", "Unit", "Route", "How often")
NO_MEDICINES_LABEL = "She takes &no regular medicines"
ALLERGIES_TITLE = "Drug allergies"
ALLERGY_COLUMNS = ("Substance", "Reaction", "Severity")
NO_ALLERGIES_LABEL = "No known drug allerg&ies (she was asked)"
REMEDIES_TITLE = "Herbal or traditional remedies"


def plain(label: str) -> str:
    """A label without its keyboard mnemonic ("Lack of &appetite" -> "Lack of appetite")."""
    return label.replace("&&", "\0").replace("&", "").replace("\0", "&")


#: the wizard's steps in order (key, title); the paper form numbers its parts by these
WIZARD_STEPS = (
    ("patient", "Patient and body"),
    ("biology", "Tumour biology and disease"),
    ("labs", "Liver and kidney labs"),
    ("medicines", "Medicines, allergies and remedies"),
    ("symptoms", "Symptoms"),
    ("psychosocial", "Psychosocial"),
    ("nutrition", "Nutrition and function"),
    ("qol", "Quality of life (optional)"),
    ("preferences", "Preferences and goals"),
    ("review", "Review"),
)
STEP_TITLES = dict(WIZARD_STEPS)
FUNCTION_TITLE = "Function"
ECOG_LABEL = "&ECOG"
PPS_LABEL = "&PPS"
LABS_DRAWN_ON = "&Drawn on"
QLQ_C30_TITLE = "EORTC QLQ-&C30 (items 1–30)"
FACT_B_TITLE = "&FACT-B (FACIT item codes)"
