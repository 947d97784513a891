"""Synthetic patients for demonstrations and load tests: a pure, deterministic generator.

`demo_patient(seed, index)` returns one patient's assessments as case documents (contract §2),
oldest first: the same (seed, index) always gives the same documents, whatever else is
generated. Names come from several locales (Uzbek, Russian in Cyrillic script, Indian, English,
Turkish); the four subtypes (HR+/HER2-, HER2-low, HER2+, TNBC) all occur; liver tests, weight,
symptoms and function drift over the months between assessments. Every document passes the
case validator (tested). Nothing here is a real person.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from typing import Any

from planner.domain.case import ESAS_ITEMS, SCHEMA

NAMES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # locale: (MRN prefix, family names, given names)
    "uz": (
        "TAS",
        (
            "Karimova",
            "Rashidova",
            "Yusupova",
            "Tursunova",
            "Abdullayeva",
            "Xolmatova",
            "Ismoilova",
            "Nazarova",
            "Mirzayeva",
            "Sodiqova",
            "Qodirova",
            "G'ulomova",
        ),
        (
            "Dilnoza",
            "Gulnora",
            "Malika",
            "Nodira",
            "Shahnoza",
            "Zarina",
            "Feruza",
            "Madina",
            "Nigora",
            "Mohira",
            "O'g'iloy",
            "Sevara",
        ),
    ),
    "ru": (
        "MSK",
        (
            "Иванова",
            "Смирнова",
            "Кузнецова",
            "Попова",
            "Соколова",
            "Лебедева",
            "Козлова",
            "Новикова",
            "Морозова",
            "Петрова",
            "Волкова",
            "Каримова",
        ),
        (
            "Ольга",
            "Елена",
            "Татьяна",
            "Наталья",
            "Ирина",
            "Светлана",
            "Мария",
            "Анна",
            "Екатерина",
            "Людмила",
            "Галина",
            "Юлия",
        ),
    ),
    "in": (
        "DEL",
        (
            "Sharma",
            "Patel",
            "Iyer",
            "Reddy",
            "Nair",
            "Gupta",
            "Singh",
            "Desai",
            "Menon",
            "Chatterjee",
            "Krishnan",
            "Banerjee",
        ),
        (
            "Priya",
            "Lakshmi",
            "Ananya",
            "Sunita",
            "Kavita",
            "Deepa",
            "Meera",
            "Radha",
            "Anjali",
            "Pooja",
            "Savitri",
            "Kamala",
        ),
    ),
    "en": (
        "LDN",
        (
            "Smith",
            "Jones",
            "Taylor",
            "Brown",
            "Williams",
            "Wilson",
            "Johnson",
            "Davies",
            "Evans",
            "Thomas",
            "O'Brien",
            "Clarke",
        ),
        (
            "Sarah",
            "Emma",
            "Margaret",
            "Helen",
            "Claire",
            "Rachel",
            "Susan",
            "Laura",
            "Jennifer",
            "Elizabeth",
            "Joan",
            "Anne",
        ),
    ),
    "tr": (
        "IST",
        (
            "Şahin",
            "Yılmaz",
            "Kaya",
            "Demir",
            "Çelik",
            "Öztürk",
            "Aydın",
            "Arslan",
            "Doğan",
            "Kılıç",
            "Koç",
            "Güneş",
        ),
        (
            "Ayşe",
            "Fatma",
            "Zeynep",
            "Elif",
            "Emine",
            "Gülşen",
            "Özlem",
            "Şule",
            "Hülya",
            "Derya",
            "Sevgi",
            "Nurten",
        ),
    ),
}
LOCALES = tuple(NAMES)
SUBTYPES = ("HR+/HER2-", "HER2-low", "HER2+", "TNBC")

_PRIOR_LINES = {
    "HR+/HER2-": (
        (("letrozole", "palbociclib"), "metastatic"),
        (("anastrozole", "ribociclib"), "metastatic"),
        (("fulvestrant", "abemaciclib"), "metastatic"),
        (("tamoxifen",), "adjuvant"),
        (("capecitabine",), "metastatic"),
    ),
    "HER2-low": (
        (("letrozole", "ribociclib"), "metastatic"),
        (("exemestane", "everolimus"), "metastatic"),
        (("paclitaxel",), "metastatic"),
        (("anastrozole",), "adjuvant"),
    ),
    "HER2+": (
        (("trastuzumab", "pertuzumab", "docetaxel"), "metastatic"),
        (("trastuzumab deruxtecan",), "metastatic"),
        (("ado-trastuzumab emtansine",), "metastatic"),
        (("trastuzumab", "paclitaxel"), "adjuvant"),
    ),
    "TNBC": (
        (("doxorubicin", "cyclophosphamide", "paclitaxel"), "neoadjuvant"),
        (("pembrolizumab", "nab-paclitaxel"), "metastatic"),
        (("sacituzumab govitecan",), "metastatic"),
        (("carboplatin", "gemcitabine"), "metastatic"),
    ),
}
_GOALS = (
    "stay at home",
    "be well enough for a family wedding",
    "less pain at night",
    "keep working part time",
    "avoid hospital stays",
    None,
)
_EPOCH = dt.date(2024, 1, 1).toordinal()
# Demo records must look like history, not appointments: no visit after this fixed date (fixed,
# not today's date, so a seed always gives the same record).
_LATEST = dt.date(2026, 11, 20).toordinal()
_MAX_GAP_DAYS = 84


def demo_patient(seed: int, index: int) -> list[dict[str, Any]]:
    """The assessments (2–6 case documents, oldest first) of synthetic patient `index`."""
    rng = random.Random(f"planner-demo:{seed}:{index}")
    locale = LOCALES[rng.randrange(len(LOCALES))]
    prefix, families, givens = NAMES[locale]
    subtype = SUBTYPES[rng.randrange(len(SUBTYPES))]
    count = rng.randint(2, 6)
    first_visit = _EPOCH + rng.randrange(_LATEST - _EPOCH - count * _MAX_GAP_DAYS)
    age = rng.randint(32, 84)
    born = dt.date.fromordinal(first_visit - age * 365 - rng.randrange(365))
    patient = {
        "mrn": f"{prefix}-{seed}-{index + 1:06d}",
        "family_name": families[rng.randrange(len(families))],
        "given_name": givens[rng.randrange(len(givens))],
        "birth_date": born.isoformat(),
        "sex": "female",
        "menopausal_status": "pre" if age < 45 else ("peri" if age < 52 else "post"),
    }
    biology = _biology(rng, subtype)
    disease = _disease(rng, subtype, first_visit)
    height = round(rng.uniform(148, 176))
    weight = round(rng.uniform(48, 92), 1)
    # Liver tests as multiples of the upper limit, drifting visit to visit.
    bili_x, alp_x, ast_x = rng.uniform(0.4, 2.2), rng.uniform(0.8, 4.5), rng.uniform(0.7, 3.5)
    drift = rng.uniform(-0.05, 0.25)  # most livers worsen slowly, some improve on treatment
    ecog = rng.choice((0, 1, 1, 2, 2, 3))
    burden = rng.uniform(0.5, 1.5)  # symptom burden
    bili_unit = "umol/L" if locale != "en" or rng.random() < 0.5 else "mg/dL"
    cases = []
    visit = first_visit
    previous_labs: dict[str, Any] | None = None
    for n in range(count):
        if n:
            visit += rng.randint(21, _MAX_GAP_DAYS)
            step = 1 + drift + rng.uniform(-0.15, 0.15)
            bili_x = min(bili_x * step, 12.0)
            alp_x = min(alp_x * (1 + drift / 2 + rng.uniform(-0.1, 0.1)), 15.0)
            ast_x = min(ast_x * (1 + drift / 2 + rng.uniform(-0.1, 0.1)), 15.0)
            weight = max(round(weight * (1 - rng.uniform(-0.01, 0.04)), 1), 35.0)
            if rng.random() < 0.3:
                ecog = min(ecog + 1, 4)
            burden = min(burden * rng.uniform(0.95, 1.2), 2.2)
        labs = _labs(rng, visit - rng.randint(0, 3), bili_x, alp_x, ast_x, bili_unit)
        case: dict[str, Any] = {
            "schema": SCHEMA,
            "patient": patient,
            "assessed_on": dt.date.fromordinal(visit).isoformat(),
            "body": {
                "height_cm": height,
                "weight_kg": weight,
                "weight_6_months_ago_kg": round(weight * rng.uniform(1.0, 1.12), 1),
            },
            "biology": biology,
            "disease": disease,
            "labs": labs,
            "previous_labs": [previous_labs] if previous_labs else [],
            "clinical": _clinical(rng, ecog),
            "symptoms": _symptoms(rng, burden, bili_x),
            "psychosocial": _psychosocial(rng, burden),
            "nutrition": {
                "intake": ("unchanged", "less_than_usual", "much_less", "minimal")[
                    min(int(burden * 1.5 + rng.random()), 3)
                ],
                "pgsga_sf": None,
                "must": None,
            },
            "function": {
                "falls_past_3_months": rng.choice((0, 0, 0, 1, 2)),
                "mobility": (
                    "independent",
                    "independent",
                    "walks_with_aid",
                    "chair_bound",
                    "bed_bound",
                )[ecog],
                "pps_percent": (90, 80, 60, 40, 30)[ecog],
            },
            "preferences": {
                "declines_chemotherapy": rng.random() < 0.1,
                "prefers_oral": rng.random() < 0.6,
                "goals": _GOALS[rng.randrange(len(_GOALS))],
            },
        }
        cases.append(case)
        previous_labs = {
            key: labs[key] for key in ("drawn_on", "bilirubin", "ast", "alt", "alp", "albumin")
        }
    return cases


def demo_patients(count: int, seed: int = 0) -> Iterator[list[dict[str, Any]]]:
    for index in range(count):
        yield demo_patient(seed, index)


def _biology(rng: random.Random, subtype: str) -> dict[str, Any]:
    hr_positive = subtype == "HR+/HER2-" or (
        subtype in ("HER2-low", "HER2+") and rng.random() < 0.7
    )
    if subtype == "HER2+":
        her2_ihc, her2_ish = ("3+", None) if rng.random() < 0.7 else ("2+", "amplified")
    elif subtype == "HER2-low":
        her2_ihc, her2_ish = ("1+", None) if rng.random() < 0.6 else ("2+", "not_amplified")
    else:
        her2_ihc, her2_ish = (rng.choice(("0", "0", "0_membrane")), None)
    return {
        "er_percent": rng.choice((60, 70, 80, 90, 95)) if hr_positive else 0,
        "pr_percent": rng.choice((0, 5, 10, 30, 60)) if hr_positive else 0,
        "her2_ihc": her2_ihc,
        "her2_ish": her2_ish,
        "ki67_percent": rng.choice((10, 15, 20, 30, 40, 60)),
        "pik3ca": rng.choice(("mutated", "not_detected", "unknown")) if hr_positive else "unknown",
        "akt1_pten": "unknown",
        "esr1": rng.choice(("mutated", "not_detected", "unknown")) if hr_positive else "unknown",
        "gbrca": rng.choice(("not_detected", "not_detected", "unknown", "brca1", "brca2")),
        "pdl1_cps": rng.choice((0, 5, 10, 20)) if subtype == "TNBC" else None,
    }


def _disease(rng: random.Random, subtype: str, first_visit: int) -> dict[str, Any]:
    lines = _PRIOR_LINES[subtype]
    prior = []
    end = first_visit - rng.randint(10, 60)
    for drugs, setting in rng.sample(lines, rng.randint(1, min(3, len(lines)))):
        start = end - rng.randint(90, 600)
        prior.append(
            {
                "drugs": list(drugs),
                "setting": setting,
                "started_on": dt.date.fromordinal(start).isoformat(),
                "ended_on": dt.date.fromordinal(end).isoformat(),
                "reason_stopped": "completed" if setting != "metastatic" else "progression",
            }
        )
        end = start - rng.randint(30, 400)
    prior.reverse()
    sites = sorted(rng.sample(("bone", "lung", "nodes", "pleura", "peritoneum"), rng.randint(0, 3)))
    anthracycline = 240 if any("doxorubicin" in p["drugs"] for p in prior) else 0
    return {
        "liver_metastases": True,
        "liver_lesions": rng.choice(("single", "few", "multiple", "multiple", "diffuse")),
        "other_sites": sites,
        "biliary_obstruction": rng.random() < 0.03,
        "gilbert_syndrome": rng.random() < 0.02,
        "brain_metastases": False,
        "prior_therapy": prior,
        "cumulative_anthracycline_mg_m2": anthracycline,
    }


def _labs(
    rng: random.Random, drawn: int, bili_x: float, alp_x: float, ast_x: float, bili_unit: str
) -> dict[str, Any]:
    if bili_unit == "umol/L":
        bilirubin = {"value": round(21 * bili_x), "unit": "umol/L", "uln": 21}
    else:
        bilirubin = {"value": round(1.2 * bili_x, 1), "unit": "mg/dL", "uln": 1.2}
    albumin = round(max(44 - 4 * bili_x + rng.uniform(-3, 3), 18))
    return {
        "drawn_on": dt.date.fromordinal(drawn).isoformat(),
        "bilirubin": bilirubin,
        "ast": {"value": round(40 * ast_x), "unit": "U/L", "uln": 40},
        "alt": {"value": round(45 * ast_x * rng.uniform(0.6, 1.1)), "unit": "U/L", "uln": 45},
        "alp": {"value": round(130 * alp_x), "unit": "U/L", "uln": 130},
        "albumin": {"value": albumin, "unit": "g/L"},
        "inr": {"value": round(1.0 + 0.1 * bili_x + rng.uniform(-0.1, 0.1), 1)},
        "creatinine": {"value": rng.randint(48, 115), "unit": "umol/L"},
        "anc": {"value": round(rng.uniform(1.2, 6.5), 1), "unit": "10^9/L"},
        "platelets": {"value": rng.randint(90, 380), "unit": "10^9/L"},
        "hemoglobin": {"value": rng.randint(85, 135), "unit": "g/L"},
    }


def _clinical(rng: random.Random, ecog: int) -> dict[str, Any]:
    return {
        "ecog": ecog,
        "ascites": rng.choice(("none", "none", "none", "mild", "moderate_severe")),
        "encephalopathy": "none" if rng.random() < 0.95 else "grade_1_2",
        "lvef_percent": rng.randint(50, 66),
        "neuropathy_grade": rng.choice((0, 0, 1, 1, 2)),
        "dpyd": rng.choice(("normal", "normal", "unknown")),
        "ugt1a1": "unknown",
        "diabetes": rng.random() < 0.12,
        "surprise_question_no": ecog >= 3,
    }


def _score(rng: random.Random, burden: float, top: int) -> int:
    return max(0, min(top, round(rng.uniform(0, top * 0.55) * burden)))


def _symptoms(rng: random.Random, burden: float, bili_x: float) -> dict[str, Any]:
    esas: dict[str, Any] = {item: _score(rng, burden, 10) for item in ESAS_ITEMS}
    if rng.random() < 0.05:  # an item left unanswered: no total for this visit
        esas[ESAS_ITEMS[rng.randrange(len(ESAS_ITEMS))]] = None
    itch = bili_x > 1.5 and rng.random() < 0.6
    esas["other"] = {"name": "itch", "score": _score(rng, burden, 10)} if itch else None
    return {
        "esas": esas,
        "pruritus": itch,
        "jaundice": bili_x > 2.5,
        "constipation": rng.random() < 0.3,
    }


def _psychosocial(rng: random.Random, burden: float) -> dict[str, Any]:
    phq9: list[int] | None = [_score(rng, burden, 3) for _ in range(8)] + [
        1 if rng.random() < 0.04 else 0
    ]
    if rng.random() < 0.05:
        phq9 = None  # not assessed this visit
    problems = sorted(
        rng.sample(("practical", "family", "emotional", "spiritual", "physical"), rng.randint(0, 3))
    )
    return {
        "distress_thermometer": _score(rng, burden, 10),
        "problems": problems,
        "phq9": phq9,
        "gad7": [_score(rng, burden, 3) for _ in range(7)],
        "lives_alone": rng.random() < 0.2,
        "caregiver_strain": rng.random() < 0.3,
    }
