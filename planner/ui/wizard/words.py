"""Plain words for the case document's closed enumerations (contract §2), for combo boxes."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from planner.domain.assessment_wording import ECOG_LEVELS, PROBLEM_AREA_LABELS


def tr(text: str) -> str:
    return QCoreApplication.translate("words", text)


def sexes() -> list[tuple[str, str]]:
    return [("female", tr("female")), ("male", tr("male"))]


def menopausal() -> list[tuple[str, str]]:
    return [
        ("pre", tr("premenopausal")),
        ("peri", tr("perimenopausal")),
        ("post", tr("postmenopausal")),
        ("unknown", tr("unknown")),
    ]


def her2_ihc() -> list[tuple[str, str]]:
    return [
        ("0", tr("0 (no staining)")),
        ("0_membrane", tr("0 with faint membrane staining (ultralow)")),
        ("1+", "1+"),
        ("2+", "2+"),
        ("3+", "3+"),
    ]


def her2_ish() -> list[tuple[str, str]]:
    return [("amplified", tr("amplified")), ("not_amplified", tr("not amplified"))]


def mutation() -> list[tuple[str, str]]:
    return [
        ("mutated", tr("mutated")),
        ("not_detected", tr("not detected")),
        ("unknown", tr("tested, result unknown")),
    ]


def germline() -> list[tuple[str, str]]:
    return [
        ("brca1", "BRCA1"),
        ("brca2", "BRCA2"),
        ("palb2", "PALB2"),
        ("not_detected", tr("not detected")),
        ("unknown", tr("unknown")),
    ]


def liver_lesions() -> list[tuple[str, str]]:
    return [
        ("single", tr("single")),
        ("few", tr("few (2–5)")),
        ("multiple", tr("multiple")),
        ("diffuse", tr("diffuse")),
    ]


def sites() -> list[tuple[str, str]]:
    return [
        ("bone", tr("bone")),
        ("lung", tr("lung")),
        ("pleura", tr("pleura")),
        ("brain", tr("brain")),
        ("nodes", tr("lymph nodes")),
        ("peritoneum", tr("peritoneum")),
        ("skin", tr("skin")),
        ("other", tr("other")),
    ]


def therapy_settings() -> list[tuple[str, str]]:
    return [
        ("neoadjuvant", tr("neoadjuvant")),
        ("adjuvant", tr("adjuvant")),
        ("metastatic", tr("metastatic")),
    ]


def stop_reasons() -> list[tuple[str, str]]:
    return [
        ("progression", tr("progression")),
        ("toxicity", tr("toxicity")),
        ("completed", tr("completed")),
        ("patient_choice", tr("patient's choice")),
        ("ongoing", tr("ongoing")),
    ]


def ascites() -> list[tuple[str, str]]:
    return [
        ("none", tr("none")),
        ("mild", tr("mild")),
        ("moderate_severe", tr("moderate or severe")),
    ]


def encephalopathy() -> list[tuple[str, str]]:
    return [("none", tr("none")), ("grade_1_2", tr("grade 1–2")), ("grade_3_4", tr("grade 3–4"))]


def dpyd() -> list[tuple[str, str]]:
    return [
        ("normal", tr("normal metaboliser")),
        ("intermediate", tr("intermediate metaboliser")),
        ("poor", tr("poor metaboliser")),
        ("unknown", tr("not tested")),
    ]


def ugt1a1() -> list[tuple[str, str]]:
    return [
        ("normal", tr("normal")),
        ("heterozygous_28", tr("*28 heterozygous")),
        ("homozygous_28", tr("*28 homozygous")),
        ("unknown", tr("not tested")),
    ]


def problem_areas() -> list[tuple[str, str]]:
    return [(key, tr(label)) for key, label in PROBLEM_AREA_LABELS.items()]


def intake() -> list[tuple[str, str]]:
    return [
        ("more_than_usual", tr("more than usual")),
        ("unchanged", tr("unchanged")),
        ("less_than_usual", tr("less than usual")),
        ("much_less", tr("much less than usual")),
        ("minimal", tr("minimal")),
    ]


def mobility() -> list[tuple[str, str]]:
    return [
        ("independent", tr("independent")),
        ("walks_with_aid", tr("walks with an aid")),
        ("chair_bound", tr("chair-bound")),
        ("bed_bound", tr("bed-bound")),
    ]


def ecog() -> list[tuple[int, str]]:
    return [(grade, tr(text)) for grade, text in ECOG_LEVELS]


def pps() -> list[tuple[int, str]]:
    return [(p, f"{p} %") for p in range(100, -1, -10)]
