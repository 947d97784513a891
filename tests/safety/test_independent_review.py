"""Independent pharmacist review (issue #15): twenty cases the project was not built around.

Each case in `tests/data/cases/review/` aims at one or more defect classes of issue #15. The
expected answers come from the drug labels and guidelines cited beside each expectation, never
from the program's own rule tables. The CLI is run as a user would (`python -m planner ...`).

Every case must pass `planner validate`. When the program rejects a case that the contract allows
(§2a `medications`, §3a INN synonyms), that is reported by the case's `validate` test; the clinical
expectations then run on a copy with only the rejected parts taken out (unknown fields dropped,
the name the program suggests used), so one gap does not hide every other answer.

Assertions use the contract's keys (§3, §3a); where the contract fixes no key, a word a clinician
would need (e.g. "denosumab") is looked for in the plan's own text.
"""

from __future__ import annotations

import functools
import json
import re
import subprocess
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

from tests.independent_review import run_planner as _cli
from tests.independent_review import scratch_folder

CASES = Path(__file__).resolve().parents[1] / "data" / "cases" / "review"
NO_DOSE = {"not_recommended", "contraindicated", "insufficient_data"}
CDK46 = {"palbociclib", "ribociclib", "abemaciclib"}
ENDOCRINE = {
    "letrozole",
    "anastrozole",
    "exemestane",
    "fulvestrant",
    "tamoxifen",
    "elacestrant",
    "goserelin",
    "leuprorelin",
    "triptorelin",
}
CYTOTOXIC = {
    "paclitaxel",
    "nab-paclitaxel",
    "docetaxel",
    "capecitabine",
    "eribulin",
    "vinorelbine",
    "gemcitabine",
    "carboplatin",
    "cisplatin",
    "doxorubicin",
    "epirubicin",
    "pegylated liposomal doxorubicin",
    "cyclophosphamide",
}
# A sentence that mentions a drug only to advise against it.
AGAINST = re.compile(
    r"\bavoid|\bnot\b|\bdo not\b|\bcontraindicat|\bnever\b|\bno\b|\bcan cause\b", re.I
)
# A dose printed in free text: "100 mg/m2", "0.75 mg", "8 mg/kg", "AUC 2".
BOOKLET_DOSE = re.compile(r".{0,30}\d+(?:\.\d+)?\s*(?:mg/m2|mg/m²|mg/kg)|AUC\s*\d")
DOSE_IN_TEXT = re.compile(r"(\d+(?:\.\d+)?)\s*(?:mg/m2|mg/m²|mg/kg|mg)\b|AUC\s*(\d+(?:\.\d+)?)")


# ---------------------------------------------------------------- running the program


@functools.cache
def _workdir() -> Path:
    return scratch_folder("planner-review-")


@functools.cache
def validation(name: str) -> subprocess.CompletedProcess[str]:
    return _cli("validate", CASES / f"{name}.json")


def _drop(doc: Any, path: str) -> None:
    parts = re.findall(r"[^.\[\]]+", path)
    for key in parts[:-1]:
        doc = doc[int(key)] if isinstance(doc, list) else doc[key]
    last = parts[-1]
    if isinstance(doc, list):
        doc.pop(int(last))
    else:
        doc.pop(last, None)


def _put(doc: Any, path: str, value: Any) -> None:
    parts = re.findall(r"[^.\[\]]+", path)
    for key in parts[:-1]:
        doc = doc[int(key)] if isinstance(doc, list) else doc[key]
    last = parts[-1]
    if isinstance(doc, list):
        doc[int(last)] = value
    else:
        doc[last] = value


@functools.cache
def readable(name: str) -> Path:
    """The case itself, or (if the program rejects it) a copy without the rejected parts."""
    original = CASES / f"{name}.json"
    if validation(name).returncode == 0:
        return original
    doc = json.loads(original.read_text(encoding="utf-8"))
    for line in validation(name).stderr.splitlines():
        field, _, reason = line.partition(": ")
        if "is not a known field" in reason:
            _drop(doc, field)
        elif (m := re.search(r'did you mean "([^"]+)"', reason)) is not None:
            _put(doc, field, m.group(1))
    copy = _workdir() / f"{name}.json"
    copy.write_text(json.dumps(doc), encoding="utf-8")
    return copy


@functools.cache
def plan(name: str, labels: str = "us") -> dict[str, Any]:
    run = _cli("plan", readable(name), "--labels", labels)
    assert run.returncode == 0, f"planner plan exit {run.returncode}: {run.stderr[-2000:]}"
    return json.loads(run.stdout)


@functools.cache
def dose(name: str, drug: str, labels: str = "us") -> dict[str, Any]:
    run = _cli("dose", readable(name), "--drug", drug, "--labels", labels)
    assert run.returncode == 0, f"planner dose {drug} exit {run.returncode}: {run.stderr[-2000:]}"
    return json.loads(run.stdout)


@functools.cache
def pdf_text(name: str, audience: str) -> list[str]:
    from pypdf import PdfReader

    out = _workdir() / f"{name}-{audience}.pdf"
    run = _cli("plan", readable(name), "--pdf", out, "--audience", audience)
    assert run.returncode == 0, f"planner plan --pdf exit {run.returncode}: {run.stderr[-2000:]}"
    return [page.extract_text() or "" for page in PdfReader(out).pages]


# ---------------------------------------------------------------- reading the plan


def rows(p: dict[str, Any]) -> Iterable[tuple[dict[str, Any], dict[str, Any]]]:
    for option in p.get("options", []):
        for row in option.get("drugs", []):
            yield option, row


def with_drugs(p: dict[str, Any], *drugs: str) -> list[dict[str, Any]]:
    """Options holding all of these drugs (a regimen is found by its drugs, not its id)."""
    want = set(drugs)
    return [o for o in p.get("options", []) if want <= {d["drug"] for d in o.get("drugs", [])}]


def row_of(option: dict[str, Any], drug: str) -> dict[str, Any]:
    return next(d for d in option["drugs"] if d["drug"] == drug)


def dose_of(row: dict[str, Any]) -> tuple[float, str] | None:
    d = row.get("dose")
    return None if d is None else (float(d["value"]), d["unit"])


def first_option(p: dict[str, Any]) -> dict[str, Any]:
    ranked = sorted(p.get("options", []), key=lambda o: o.get("rank", 99))
    assert ranked, "the plan has no options"
    return ranked[0]


def supportive_text(p: dict[str, Any], problem: str | None = None) -> str:
    parts = [
        " ".join(s.get("interventions", []))
        for s in p.get("supportive", [])
        if problem is None or s.get("problem") == problem
    ]
    return " ".join(parts)


def sentences(text: str) -> list[str]:
    # A colon introduces a list that belongs to its lead-in ("Not suggested here: rifampicin
    # (...)"), so it does not end a sentence.
    return [s for s in re.split(r"(?<=[.;])\s+|\s+\|\s+", text) if s.strip()]


def recommends(text: str, word: str) -> list[str]:
    """Sentences naming `word` without advising against it."""
    return [s for s in sentences(text) if re.search(word, s, re.I) and not AGAINST.search(s)]


def alert_codes(p: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["code"]: a for a in p.get("alerts", [])}


def referral(p: dict[str, Any], *services: str) -> list[dict[str, Any]]:
    return [r for r in p.get("referrals", []) if r["service"] in services]


def printed_doses(text: str) -> list[float]:
    return [float(a or b) for a, b in DOSE_IN_TEXT.findall(text or "")]


def loading(row: dict[str, Any]) -> float | None:
    return None if not row.get("loading_dose") else float(row["loading_dose"]["value"])


def close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def assert_dose(row: dict[str, Any], value: float, unit: str, where: str) -> None:
    given = dose_of(row)
    ok = given is not None and close(given[0], value) and given[1] == unit
    assert ok, (
        f"{where}: expected {value} {unit}, program printed dose={row.get('dose')} "
        f"status={row.get('status')} schedule={row.get('schedule')!r}"
    )


def assert_no_dose(row: dict[str, Any], where: str) -> None:
    ok = row.get("status") in NO_DOSE and row.get("dose") is None
    assert ok, (
        f"{where}: expected no dose (not_recommended/contraindicated), program printed "
        f"status={row.get('status')} dose={row.get('dose')} schedule={row.get('schedule')!r}"
    )


def schedule_problems(row: dict[str, Any]) -> list[str]:
    """Contract §3a: a schedule names only the dose the row gives (or its loading dose)."""
    allowed = [float(x["value"]) for x in (row.get("dose"), row.get("loading_dose")) if x]
    # A row without a dose may carry no schedule at all (contract §3a: it names no dose).
    schedule = row.get("schedule") or ""
    # "500 mg IM (2 x 250 mg, ...)" describes how the given dose is split, not another dose.
    for n, part in re.findall(r"(\d+)\s*[x×]\s*(\d+(?:\.\d+)?)\s*mg", schedule):
        if any(close(int(n) * float(part), a) for a in allowed):
            schedule = schedule.replace(f"{n} x {part} mg", "").replace(f"{n} × {part} mg", "")
    printed = printed_doses(schedule)
    if row.get("dose") is None:
        return (
            [f"{row['drug']} ({row.get('status')}, no dose) schedule names {printed}"]
            if printed
            else []
        )
    bad = [v for v in printed if not any(close(v, a) for a in allowed)]
    return (
        [f"{row['drug']} dose {row['dose']} schedule {row.get('schedule')!r} names {bad}"]
        if bad
        else []
    )


# ---------------------------------------------------------------- expectations registry

EXPECTATIONS: dict[tuple[str, str], Callable[[], None]] = {}


def expect(case: str, what: str) -> Callable[[Callable[[], None]], Callable[[], None]]:
    def register(fn: Callable[[], None]) -> Callable[[], None]:
        EXPECTATIONS[(case, what)] = fn
        return fn

    return register


ALL_CASES = sorted(p.stem for p in CASES.glob("*.json"))
LABELS = {"03_her2_first_line_thp_loading_doses": "eu", "12_capecitabine_ongoing_crcl24": "eu"}


def _generic(case: str) -> None:
    labels = LABELS.get(case, "us")

    @expect(case, "validates")
    def _validates() -> None:
        run = validation(case)
        assert run.returncode == 0, f"contract-valid case rejected: {run.stderr.strip()}"

    @expect(case, "schedule_names_only_the_given_dose")
    def _schedules() -> None:
        # Contract §3a; issue #15 class 1 (reduced dose beside the standard dose in the text).
        problems = [
            f"{o['regimen']}: {msg}"
            for o, r in rows(plan(case, labels))
            for msg in schedule_problems(r)
        ]
        assert not problems, "\n".join(problems)

    @expect(case, "no_dose_when_not_givable")
    def _no_dose() -> None:
        # Contract §3: dose is null for not_recommended / contraindicated / insufficient_data;
        # issue #15 class 1: a "placeholder" dose is never printed as a dose.
        bad = [
            f"{o['regimen']}: {r['drug']} status={r['status']} dose={r.get('dose')}"
            for o, r in rows(plan(case, labels))
            if (r["status"] in NO_DOSE and r.get("dose") is not None)
            or (r.get("dose") is not None and "placeholder" in json.dumps(r).lower())
        ]
        assert not bad, "\n".join(bad)

    @expect(case, "sources_are_primary")
    def _sources() -> None:
        # BRIEF "Sources"; issue #15 class 9: no source points at the project's notes or at
        # automated summary sites.
        bad = [
            f"{sid}: {json.dumps(src)[:160]}"
            for sid, src in plan(case, labels).get("sources", {}).items()
            if re.search(
                r"shared/|\.md\b|contract|droracle|automated summary", json.dumps(src), re.I
            )
        ]
        assert not bad, f"{len(bad)} sources cite non-primary documents, e.g.\n" + "\n".join(
            bad[:4]
        )


for _case in ALL_CASES:
    _generic(_case)


# ---------------------------------------------------------------- 01 TNBC, PD-L1 CPS 15
C01 = "01_tnbc_pdl1_cps15_pembrolizumab_nab_paclitaxel"


@expect(C01, "pembrolizumab_chemo_offered")
def _() -> None:
    # KEYTRUDA USPI (Merck, 2024) §1.x TNBC: with chemotherapy for PD-L1 CPS >= 10;
    # NCCN Breast v.2025 (first-line TNBC, CPS >= 10: pembrolizumab + chemotherapy, cat. 1 preferred).
    assert with_drugs(plan(C01), "pembrolizumab"), [o["regimen"] for o in plan(C01)["options"]]


@expect(C01, "nab_paclitaxel_100_d1_8_15_q28_with_pembrolizumab")
def _() -> None:
    # KEYNOTE-355 (Cortes, Lancet 2020): nab-paclitaxel 100 mg/m2 days 1, 8, 15 every 28 days.
    opts = with_drugs(plan(C01), "pembrolizumab", "nab-paclitaxel")
    assert opts, "no pembrolizumab + nab-paclitaxel option"
    for o in opts:
        r = row_of(o, "nab-paclitaxel")
        assert_dose(r, 100, "mg/m2", o["regimen"])
        assert float(r["standard_dose"]["value"]) == 100, r["standard_dose"]
        assert all(d in r["schedule"] for d in ("8", "15", "28")), r["schedule"]


@expect(C01, "pembrolizumab_flat_dose_and_partners")
def _() -> None:
    # KEYTRUDA USPI §2: 200 mg q3w or 400 mg q6w. KEYNOTE-355 partners: paclitaxel 90 mg/m2
    # d1, 8, 15 q28; gemcitabine 1000 mg/m2 + carboplatin AUC 2 d1, 8 q21.
    opts = with_drugs(plan(C01), "pembrolizumab")
    assert opts
    partner = {
        "paclitaxel": (90, "mg/m2"),
        "gemcitabine": (1000, "mg/m2"),
        "carboplatin": (2, "AUC"),
    }
    for o in opts:
        p = row_of(o, "pembrolizumab")
        assert dose_of(p) in {(200.0, "mg"), (400.0, "mg")}, (
            o["regimen"],
            p.get("dose"),
            p["schedule"],
        )
        for drug, (value, unit) in partner.items():
            if any(d["drug"] == drug for d in o["drugs"]):
                assert_dose(row_of(o, drug), value, unit, o["regimen"])


@expect(C01, "booklet_prints_no_drug_dose")
def _() -> None:
    # Contract §1 (the patient booklet is plain language) and §3a (nothing printed shows a dose
    # the clinician has not decided): no mg/m2, mg/kg or AUC figures for the family.
    text = " ".join(pdf_text(C01, "patient"))
    assert not BOOKLET_DOSE.findall(text), BOOKLET_DOSE.findall(text)[:5]


# ---------------------------------------------------------------- 02 TNBC, CPS 3: gem/carbo
C02 = "02_tnbc_cps3_gemcitabine_carboplatin"


@expect(C02, "gemcitabine_1000_d1_8_in_gem_carbo")
def _() -> None:
    # Gemcitabine + carboplatin in mTNBC: gemcitabine 1000 mg/m2 + carboplatin AUC 2 on days 1
    # and 8 every 21 days (tnAcity, Yardley Ann Oncol 2018; O'Shaughnessy JCO 2014). Not the
    # GEMZAR USPI §2.2 paclitaxel-combination dose 1250 mg/m2.
    opts = with_drugs(plan(C02), "gemcitabine", "carboplatin")
    assert opts, "no gemcitabine + carboplatin option"
    for o in opts:
        g = row_of(o, "gemcitabine")
        assert_dose(g, 1000, "mg/m2", o["regimen"])
        assert not re.search(r"paclitaxel|1250", g["schedule"], re.I), g["schedule"]


@expect(C02, "carboplatin_auc2_d1_8_q21")
def _() -> None:
    # As above: carboplatin AUC 2 days 1 and 8 every 21 days.
    for o in with_drugs(plan(C02), "gemcitabine", "carboplatin"):
        c = row_of(o, "carboplatin")
        assert_dose(c, 2, "AUC", o["regimen"])
        assert "8" in c["schedule"], c["schedule"]
        assert "21" in c["schedule"], c["schedule"]


@expect(C02, "no_pembrolizumab_below_cps10")
def _() -> None:
    # KEYTRUDA USPI §1.x: TNBC indication requires PD-L1 CPS >= 10.
    assert not with_drugs(plan(C02), "pembrolizumab")


# ---------------------------------------------------------------- 03 HER2+: THP (EU labels)
C03 = "03_her2_first_line_thp_loading_doses"


def _thp() -> dict[str, Any]:
    opts = with_drugs(plan(C03, "eu"), "pertuzumab", "trastuzumab", "docetaxel")
    assert opts, f"no THP option: {[o['regimen'] for o in plan(C03, 'eu')['options']]}"
    return opts[0]


@expect(C03, "trastuzumab_loading_8_then_6_mg_kg")
def _() -> None:
    # Herceptin SmPC (Roche) §4.2 three-weekly: 8 mg/kg loading, then 6 mg/kg q3w; Perjeta SmPC §4.2.
    r = row_of(_thp(), "trastuzumab")
    assert_dose(r, 6, "mg/kg", "THP trastuzumab maintenance")
    assert loading(r) == 8, r.get("loading_dose")


@expect(C03, "pertuzumab_loading_840_then_420_mg")
def _() -> None:
    # Perjeta SmPC §4.2 / PERJETA USPI §2.2: 840 mg loading, then 420 mg every 3 weeks.
    r = row_of(_thp(), "pertuzumab")
    assert_dose(r, 420, "mg", "THP pertuzumab maintenance")
    assert loading(r) == 840, r.get("loading_dose")


@expect(C03, "docetaxel_75_q3w_in_thp")
def _() -> None:
    # Perjeta SmPC §4.2 (CLEOPATRA): docetaxel 75 mg/m2 every 3 weeks; normal bilirubin and AST.
    assert_dose(row_of(_thp(), "docetaxel"), 75, "mg/m2", "THP docetaxel")


# ---------------------------------------------------------------- 04 HER2+, brain, INN synonym
C04 = "04_her2_brain_tucatinib_after_trastuzumab_emtansine_inn"


@expect(C04, "tucatinib_trastuzumab_capecitabine_doses")
def _() -> None:
    # TUKYSA USPI (Seagen, 2023) §2.1 / HER2CLIMB: tucatinib 300 mg twice daily; capecitabine
    # 1000 mg/m2 twice daily d1-14 q21 (not the single-agent 1250); trastuzumab 8 then 6 mg/kg.
    opts = with_drugs(plan(C04), "tucatinib", "capecitabine")
    assert opts, (
        "no tucatinib + trastuzumab + capecitabine option (brain metastases: NCCN preferred)"
    )
    for o in opts:
        assert_dose(row_of(o, "tucatinib"), 300, "mg", o["regimen"])
        assert_dose(row_of(o, "capecitabine"), 1000, "mg/m2", o["regimen"])
        t = row_of(o, "trastuzumab")
        assert loading(t) == 8, t.get("loading_dose")


@expect(C04, "progressed_t_dm1_not_reoffered")
def _() -> None:
    # Contract §3a: "trastuzumab emtansine" is ado-trastuzumab emtansine; she progressed on it.
    assert not with_drugs(plan(C04), "ado-trastuzumab emtansine")


# ---------------------------------------------------------------- 05 Child-Pugh B eribulin
C05 = "05_hr_child_pugh_b_eribulin"


@expect(C05, "hepatic_classes_from_mg_dl")
def _() -> None:
    # Bilirubin 2.3 mg/dL / ULN 1.2 = 1.92 x ULN -> ODWG moderate; CP 8-9 points -> B.
    h = plan(C05)["hepatic"]
    assert h["odwg"] == "moderate", h
    assert h["child_pugh"]["class"] == "B", h


@expect(C05, "eribulin_0_7_us_child_pugh_b")
def _() -> None:
    # HALAVEN USPI (Eisai) §2.2: Child-Pugh B 0.7 mg/m2 (mesylate) d1, 8 q21.
    r = dose(C05, "eribulin", "us")
    assert_dose(r, 0.7, "mg/m2", "eribulin US")
    assert not schedule_problems(r), schedule_problems(r)


@expect(C05, "eribulin_0_62_eu_child_pugh_b")
def _() -> None:
    # Halaven SmPC (EMA) §4.2: Child-Pugh B 0.62 mg/m2 (eribulin base) d1, 8 q21.
    r = dose(C05, "eribulin", "eu")
    assert_dose(r, 0.62, "mg/m2", "eribulin EU")
    assert not schedule_problems(r), schedule_problems(r)


# ---------------------------------------------------------------- 06 gBRCA2, CrCl ~47
C06 = "06_gbrca2_crcl47_parp_inhibitor_renal_doses"


@expect(C06, "talazoparib_0_75_mg_crcl_30_59")
def _() -> None:
    # TALZENNA USPI (Pfizer) §2.x renal impairment: CrCl 30-59 mL/min: 0.75 mg once daily.
    assert 40 <= plan(C06)["body"]["crcl_ml_min"] <= 55, plan(C06)["body"]
    r = dose(C06, "talazoparib")
    assert_dose(r, 0.75, "mg", "talazoparib")
    assert not schedule_problems(r), schedule_problems(r)


@expect(C06, "olaparib_200_mg_crcl_31_50")
def _() -> None:
    # LYNPARZA USPI (AstraZeneca) §2.x / SmPC §4.2: CrCl 31-50 mL/min: 200 mg twice daily.
    r = dose(C06, "olaparib")
    assert_dose(r, 200, "mg", "olaparib")
    assert not schedule_problems(r), schedule_problems(r)


@expect(C06, "falling_bilirubin_1_29_uln_is_no_crisis")
def _() -> None:
    # ABC 5: visceral crisis needs bilirubin > 1.5 x ULN and rapidly rising; contract §3a. Here
    # 1.55 mg/dL with ULN 1.2 = 1.29 x ULN, falling from 1.9: no absolute 1.5 mg/dL rule applies.
    p = plan(C06)
    assert p["hepatic"]["visceral_crisis"] == "no", p["hepatic"]["visceral_crisis"]
    assert not [a for a in p["alerts"] if a["code"].startswith("hepatic_visceral_crisis")], p[
        "alerts"
    ]


# ---------------------------------------------------------------- 07 ANC 1.2, platelets 80
C07 = "07_tnbc_anc_1_2_platelets_80"
COUNT_FLOORS = {
    # TRODELVY USPI (Gilead, 02/2025) §2.3: do not give on day 1 with ANC < 1500/mm3.
    "sacituzumab govitecan": "TRODELVY USPI §2.3",
    # ABRAXANE USPI §4: do not give with baseline neutrophils < 1500/mm3.
    "nab-paclitaxel": "ABRAXANE USPI §4",
    # TAXOL (paclitaxel) USPI, Contraindications: solid tumours, baseline neutrophils < 1500/mm3.
    "paclitaxel": "paclitaxel USPI §4",
    # TAXOTERE USPI §4: neutrophil counts < 1500 cells/mm3.
    "docetaxel": "TAXOTERE USPI §4",
    # GEMZAR USPI §2.2 (breast): ANC >= 1500 and platelets >= 100 000 before each cycle.
    "gemcitabine": "GEMZAR USPI §2.2",
}
for _drug, _cite in COUNT_FLOORS.items():

    def _count_floor(drug: str = _drug, cite: str = _cite) -> None:
        assert_no_dose(dose(C07, drug), f"{drug} at ANC 1.2 / platelets 80 ({cite})")
        printed = [
            (o["regimen"], r.get("dose"))
            for o, r in rows(plan(C07))
            if r["drug"] == drug and r.get("dose")
        ]
        assert not printed, f"{drug} printed with a dose in options: {printed}"

    EXPECTATIONS[(C07, f"no_{_drug.replace(' ', '_')}_below_count_floor")] = _count_floor


# ---------------------------------------------------------------- 08 lifetime anthracycline
C08 = "08_lifetime_anthracycline_epirubicin_plus_doxorubicin"


@expect(C08, "no_doxorubicin_after_epirubicin_600_plus_doxorubicin_300")
def _() -> None:
    # Doxorubicin USPI §5.1 (cardiomyopathy; cumulative 550 mg/m2, all anthracyclines counted);
    # EU SmPC §4.4 (450-550 mg/m2). Epirubicin 600 + doxorubicin 300 exceeds it at any conversion.
    assert_no_dose(dose(C08, "doxorubicin"), "doxorubicin")
    assert not [
        o["regimen"] for o, r in rows(plan(C08)) if r["drug"] == "doxorubicin" and r.get("dose")
    ]


@expect(C08, "no_epirubicin_past_lifetime_limit")
def _() -> None:
    # ELLENCE USPI §5.x / Pharmorubicin SmPC §4.4: cumulative 900 mg/m2, prior anthracyclines counted.
    assert_no_dose(dose(C08, "epirubicin"), "epirubicin")


# ---------------------------------------------------------------- 09 neuropathy grade 3
C09 = "09_neuropathy_grade3_taxane_eribulin"


@expect(C09, "no_eribulin_at_grade3_neuropathy")
def _() -> None:
    # HALAVEN USPI §2.2: do not give with grade 3-4 peripheral neuropathy until <= grade 2.
    assert_no_dose(dose(C09, "eribulin"), "eribulin")


@expect(C09, "no_docetaxel_at_grade3_neuropathy")
def _() -> None:
    # TAXOTERE USPI §2.x: grade >= 3 peripheral neuropathy: discontinue docetaxel.
    assert_no_dose(dose(C09, "docetaxel"), "docetaxel")


@expect(C09, "no_nab_paclitaxel_at_grade3_neuropathy")
def _() -> None:
    # ABRAXANE USPI §2.x: grade 3 sensory neuropathy: withhold until grade 1-2.
    assert_no_dose(dose(C09, "nab-paclitaxel"), "nab-paclitaxel")


@expect(C09, "paclitaxel_not_standard_at_grade3_neuropathy")
def _() -> None:
    # TAXOL USPI §2: severe neuropathy -> 20 % reduction; a standard dose with no word is wrong.
    r = dose(C09, "paclitaxel")
    assert r["status"] != "standard", r


# ---------------------------------------------------------------- 10 neuropathy grade 2
C10 = "10_neuropathy_grade2_eribulin_still_dosed"


@expect(C10, "eribulin_1_4_dosed_and_neuropathy_named")
def _() -> None:
    # HALAVEN USPI §2.2: only grade 3-4 delays a dose -> full 1.4 mg/m2 at grade 2 (normal liver
    # and kidney), with the neuropathy named (issue #15 class 2: the grade is never used).
    r = dose(C10, "eribulin")
    assert_dose(r, 1.4, "mg/m2", "eribulin")
    assert "neuropath" in json.dumps(r).lower(), (
        "grade 2 neuropathy not mentioned in the eribulin row"
    )


# ---------------------------------------------------------------- 11 sacituzumab, moderate HI
C11 = "11_sacituzumab_moderate_hepatic_impairment"


@expect(C11, "no_sacituzumab_dose_moderate_hepatic")
def _() -> None:
    # TRODELVY USPI (Gilead, 02/2025) §8.6: no starting-dose recommendation in moderate or severe
    # hepatic impairment (bilirubin > 1.5 x ULN); contract §3a hard limit.
    assert plan(C11)["hepatic"]["odwg"] == "moderate", plan(C11)["hepatic"]
    assert_no_dose(dose(C11, "sacituzumab govitecan"), "sacituzumab govitecan")
    assert not [
        o["regimen"]
        for o, r in rows(plan(C11))
        if r["drug"] == "sacituzumab govitecan" and r.get("dose")
    ]


# ---------------------------------------------------------------- 12 capecitabine ongoing, CrCl 24
C12 = "12_capecitabine_ongoing_crcl24"


@expect(C12, "current_therapy_contraindicated_alert")
def _() -> None:
    # Xeloda SmPC (EMA) §4.3: contraindicated in severe renal impairment (CrCl < 30 mL/min);
    # contract §3a alert current_therapy_contraindicated (critical) naming the drug.
    p = plan(C12, "eu")
    assert p["body"]["crcl_ml_min"] < 30, p["body"]
    a = alert_codes(p).get("current_therapy_contraindicated")
    assert a, p["alerts"]
    assert a["level"] == "critical", a
    assert "capecitabine" in a["message"].lower(), a


@expect(C12, "capecitabine_no_dose_crcl_below_30")
def _() -> None:
    assert_no_dose(dose(C12, "capecitabine", "eu"), "capecitabine")


@expect(C12, "avoid_reason_names_kidney_first")
def _() -> None:
    # Contract §3a: avoid[].reason names the organ-function reason first.
    hits = [a for a in plan(C12, "eu")["avoid"] if a["drug"] == "capecitabine"]
    assert hits, "capecitabine not in avoid"
    assert re.search(r"crcl|renal|kidney|creatinine", hits[0]["reason"][:90], re.I), hits[0][
        "reason"
    ]


# ---------------------------------------------------------------- 13 82 y, 45 kg, CrCl 25
C13 = "13_elderly_45kg_crcl25_pain7_depressed"


@expect(C13, "crcl_about_25")
def _() -> None:
    assert 22 <= plan(C13)["body"]["crcl_ml_min"] <= 28, plan(C13)["body"]


@expect(C13, "no_nsaid_recommended_crcl25")
def _() -> None:
    # Ibuprofen/naproxen SmPCs §4.3 (severe renal failure) and §4.4 (elderly); KDIGO 2024 CKD: avoid.
    bad = recommends(
        supportive_text(plan(C13)), r"nsaid|ibuprofen|naproxen|diclofenac|celecoxib|ketorolac"
    )
    assert not bad, bad


@expect(C13, "no_tramadol_or_codeine_suggested")
def _() -> None:
    # ULTRAM USPI §2 (CrCl < 30: 12-hourly, max 200 mg/day), §5/§7 serotonin syndrome with SSRIs;
    # codeine/dihydrocodeine accumulate in renal failure (EAPC opioid guideline, Caraceni 2012).
    bad = recommends(supportive_text(plan(C13)), r"tramadol|codeine")
    assert not bad, bad


@expect(C13, "no_4g_paracetamol_at_45kg")
def _() -> None:
    # Paracetamol SmPC (UK) §4.2: adults under 50 kg, max 60 mg/kg/day (2.7 g at 45 kg).
    bad = recommends(supportive_text(plan(C13), "pain"), r"\b4\s?g\b")
    assert not bad, bad


@expect(C13, "bone_health_kidney_safe")
def _() -> None:
    # ZOMETA USPI §2.x: not recommended for bone metastases with CrCl < 30; XGEVA USPI §5.x
    # (hypocalcaemia, CrCl < 30: monitor calcium); ASCO 2017 bone-modifying agents guideline.
    text = supportive_text(plan(C13))
    assert re.search(r"denosumab", text, re.I), "no bone-modifying agent advice for bone metastases"
    assert not recommends(text, r"zoledron"), recommends(text, r"zoledron")


@expect(C13, "capecitabine_avoid_reason_is_kidney")
def _() -> None:
    # Xeloda SmPC §4.3 / contract §3a: at CrCl 25 the organ-function reason is the kidney
    # (CrCl < 30), named first; her liver tests are near normal.
    hits = [a for a in plan(C13)["avoid"] if a["drug"] == "capecitabine"]
    assert hits, "capecitabine (contraindicated at CrCl < 30) not in avoid"
    assert re.search(r"crcl|renal|kidney|creatinine", hits[0]["reason"][:90], re.I), hits[0][
        "reason"
    ]


# ---------------------------------------------------------------- 14 Child-Pugh C, ECOG 3
C14 = "14_child_pugh_c_ecog3_best_supportive_care"


@expect(C14, "not_appropriate_and_alerts")
def _() -> None:
    # ESO-ESMO ABC 5 (Cardoso 2020): ECOG 3-4 with Child-Pugh C: best supportive care.
    p = plan(C14)
    assert p["hepatic"]["child_pugh"]["class"] == "C", p["hepatic"]
    assert p["systemic_therapy"]["appropriate"] is False, p["systemic_therapy"]
    assert {"severe_hepatic_impairment", "encephalopathy"} <= set(alert_codes(p)), list(
        alert_codes(p)
    )
    assert referral(p, "palliative_care"), p["referrals"]


@expect(C14, "no_rifampicin_in_jaundice_child_pugh_c")
def _() -> None:
    # Rifadin SmPC (UK) §4.3: contraindicated in jaundice; BSG 2019 PBC/cholestatic itch: avoid
    # rifampicin in advanced liver disease. Naltrexone with oxycodone: withdrawal (REVIA USPI §4).
    text = supportive_text(plan(C14), "pruritus")
    assert not recommends(text, r"rifampicin|rifampin"), recommends(text, r"rifampicin|rifampin")


@expect(C14, "no_full_kcal_targets_when_dying")
def _() -> None:
    # ESPEN guideline on clinical nutrition in cancer (Arends 2017), end of life: comfort-led.
    text = supportive_text(plan(C14))
    assert not re.search(r"25\s*[-–]\s*30 kcal", text), "25-30 kcal/kg target for a dying patient"


@expect(C14, "booklet_prints_no_dose_nor_chemo_under_consideration")
def _() -> None:
    # Contract §3a: nothing printed shows a dose the plan does not give; issue #15 class 5.
    text = " ".join(pdf_text(C14, "patient"))
    assert not BOOKLET_DOSE.findall(text), BOOKLET_DOSE.findall(text)[:5]
    assert not re.search(r"under consideration", text, re.I), (
        "slips say chemotherapy under consideration"
    )


@expect(C14, "clinician_page_1_leads_with_supportive_care")
def _() -> None:
    page1 = pdf_text(C14, "clinician")[0]
    found = re.findall(r".{40}(?:mg/m2|mg/m²|mg/kg|AUC \d).{20}", page1.replace("\n", " "))
    assert not found, found[:5]


# ---------------------------------------------------------------- 15 bilirubin 68 -> 70
C15 = "15_bilirubin_68_to_70_not_rising"


@expect(C15, "three_percent_rise_is_not_crisis")
def _() -> None:
    # ABC 5: visceral crisis = rapidly increasing bilirubin > 1.5 x ULN; contract §3a: rise must
    # exceed the meaningful-rise setting (default 20 %); 68 -> 70 umol/L is 2.9 %.
    p = plan(C15)
    assert p["hepatic"]["visceral_crisis"] != "yes", p["hepatic"]
    assert "hepatic_visceral_crisis" not in alert_codes(p), p["alerts"]


# ---------------------------------------------------------------- 16 bilirubin 2.0 -> 3.0 mg/dL
C16 = "16_bilirubin_2_0_to_3_0_mgdl_true_crisis"


@expect(C16, "fifty_percent_rise_is_crisis")
def _() -> None:
    # ABC 5 (Cardoso 2020) visceral crisis; contract §3 alert hepatic_visceral_crisis.
    p = plan(C16)
    assert abs(p["hepatic"]["bilirubin_x_uln"] - 2.5) < 0.01, p["hepatic"]
    assert p["hepatic"]["visceral_crisis"] == "yes", p["hepatic"]
    assert "hepatic_visceral_crisis" in alert_codes(p), p["alerts"]


@expect(C16, "crisis_leads_with_chemotherapy")
def _() -> None:
    # ABC 5 / ESMO mBC Living Guideline: visceral crisis -> chemotherapy, not endocrine therapy.
    first = first_option(plan(C16))
    assert {d["drug"] for d in first["drugs"]} & CYTOTOXIC, first["regimen"]


# ---------------------------------------------------------------- 17 Gilbert's syndrome
C17 = "17_gilbert_syndrome_unconjugated_bilirubin"


@expect(C17, "gilbert_no_crisis_alert")
def _() -> None:
    # Contract §3: Gilbert's excluded from hepatic_visceral_crisis (33 -> 45 umol/L, +36 %).
    assert "hepatic_visceral_crisis" not in alert_codes(plan(C17)), plan(C17)["alerts"]


@expect(C17, "gilbert_bilirubin_caveat_on_doxorubicin_docetaxel")
def _() -> None:
    # Doxorubicin USPI §2 / TAXOTERE USPI §2: bilirubin bands stand for hepatic impairment;
    # unconjugated hyperbilirubinaemia of Gilbert's is not (normal AST/ALT) — full dose or a caveat.
    for drug in ("doxorubicin", "docetaxel"):
        r = dose(C17, drug)
        full = r.get("percent_of_standard") == 100
        assert full or "gilbert" in json.dumps(r).lower(), (drug, r["status"], r.get("dose"))


# ---------------------------------------------------------------- 18 primary endocrine resistance
C18 = "18_primary_endocrine_resistance"


@expect(C18, "first_choice_fits_primary_endocrine_resistance")
def _() -> None:
    # ABC 5 (relapse in the first 2 years of adjuvant ET = primary resistance); ESMO mBC Living
    # Guideline (ER+/HER2-): fulvestrant + CDK4/6 inhibitor, not an AI, not everolimus first.
    first = first_option(plan(C18))
    drugs = {d["drug"] for d in first["drugs"]}
    assert "everolimus" not in drugs, first["regimen"]
    assert not drugs & {"letrozole", "anastrozole"}, first["regimen"]
    assert drugs & CDK46, first["regimen"]


@expect(C18, "endocrine_resistance_called_primary")
def _() -> None:
    # ESO-ESMO ABC 5 (Cardoso 2020): relapse while on the first 2 years of adjuvant endocrine
    # therapy is PRIMARY endocrine resistance (anastrozole from 2025-05 to relapse 2026-10).
    text = json.dumps(plan(C18)).lower()
    assert re.search(r"primary (?:endocrine )?resistan", text), (
        "primary endocrine resistance not named"
    )
    assert "secondary resistance" not in text, re.findall(r".{60}secondary resistance.{20}", text)[
        :2
    ]


# ---------------------------------------------------------------- 19 item 9 positive, bone, MUST
C19 = "19_phq9_item9_positive_bone_metastases_must_high"


@expect(C19, "suicide_risk_same_day")
def _() -> None:
    # Contract §3 suicide_risk; NICE NG225 (2022) §1.x: same-day mental-health assessment.
    p = plan(C19)
    assert alert_codes(p).get("suicide_risk", {}).get("level") == "critical", p["alerts"]
    assert any(r["urgency"] == "same_day" for r in referral(p, "psychiatry", "psychology")), p[
        "referrals"
    ]


@expect(C19, "safety_plan_and_lethal_means")
def _() -> None:
    # Stanley & Brown safety-planning intervention; NICE NG225 §1.x (safety plan, access to means):
    # she keeps morphine at home -> small supplies, someone else holds them.
    text = supportive_text(plan(C19), None) + " " + json.dumps(plan(C19).get("alerts"))
    assert re.search(r"safety plan", text, re.I), "no safety plan"
    assert re.search(
        r"lethal means|means restriction|access to means|small.{0,30}suppl|someone else", text, re.I
    )


@expect(C19, "bone_health_advice")
def _() -> None:
    # ASCO 2017 bone-modifying agents (Van Poznak); ESMO 2020 bone health: denosumab or
    # zoledronic acid, calcium and vitamin D, dental check before starting.
    text = supportive_text(plan(C19))
    assert re.search(r"denosumab|zoledron", text, re.I), "no bone-modifying agent"
    assert re.search(r"calcium", text, re.I), "no calcium advice"
    assert re.search(r"vitamin d", text, re.I), "no vitamin D advice"
    assert re.search(r"dental|dentist", text, re.I), "no dental check"


@expect(C19, "must_high_dietitian_not_routine")
def _() -> None:
    # MUST (BAPEN 2003): BMI 17.2 (2) + 15 % loss (2) = 4, high risk -> treat, refer to dietitian;
    # NICE CG32 §1.x.
    d = referral(plan(C19), "dietitian")
    assert d, plan(C19)["referrals"]
    assert d[0]["urgency"] in {"same_day", "within_week"}, d


# ---------------------------------------------------------------- 20 UGT1A1*28/*28, item 9 blank
C20 = "20_ugt1a1_homozygous_sacituzumab_phq9_item9_blank"


@expect(C20, "sacituzumab_offered_full_dose_ugt1a1_named")
def _() -> None:
    # TRODELVY USPI (02/2025) §2.1 10 mg/kg d1, 8 q21; §5.6/§12.5: *28/*28 -> no pre-set
    # reduction, closer monitoring (named in the row).
    opts = with_drugs(plan(C20), "sacituzumab govitecan")
    assert opts, "no sacituzumab option after two metastatic lines (ASCENT)"
    r = row_of(opts[0], "sacituzumab govitecan")
    assert_dose(r, 10, "mg/kg", opts[0]["regimen"])
    assert "ugt1a1" in json.dumps(r).lower(), "UGT1A1*28/*28 not named in the sacituzumab row"


@expect(C20, "g_csf_for_sacituzumab_ugt1a1_28_28")
def _() -> None:
    # TRODELVY USPI (02/2025) Boxed Warning and §5.1: G-CSF primary prophylaxis for patients at
    # increased risk of febrile neutropenia (homozygous UGT1A1*28).
    p = plan(C20)
    text = (
        supportive_text(p)
        + json.dumps(p["alerts"])
        + json.dumps(with_drugs(p, "sacituzumab govitecan"))
    )
    assert re.search(r"g-csf|filgrastim|granulocyte[- ]colony", text, re.I), "no G-CSF advice"


@expect(C20, "phq9_item9_blank_is_a_gap_and_flagged")
def _() -> None:
    # BRIEF rule 2 (a gap is never a decision); PHQ-9 8 items total 19: item 9 must be asked now.
    p = plan(C20)
    assert any("phq9" in g["field"] for g in p.get("gaps", [])), p.get("gaps")
    flagged = [
        a
        for a in p["alerts"]
        if a["code"] == "suicide_risk"
        or re.search(r"item 9|suicid|self-harm", a.get("message", ""), re.I)
    ]
    assert flagged, [a["code"] for a in p["alerts"]]


@expect(C20, "depression_kept_with_one_item_missing")
def _() -> None:
    # PHQ-9 instructions (Kroenke, Spitzer & Williams; Pfizer PHQ manual): with 1-2 items missing
    # the total is prorated (19 x 9/8 = 21.4, severe); a missing item must not drop depression.
    problems = {s["problem"] for s in plan(C20)["supportive"]}
    assert "depression" in problems, sorted(problems)


@expect(C20, "severe_depression_referred")
def _() -> None:
    # PHQ-9 >= 15 (Kroenke 2001): treatment; ASCO 2023 anxiety/depression guideline: refer.
    assert referral(plan(C20), "psychology", "psychiatry"), plan(C20)["referrals"]


# ---------------------------------------------------------------- the parametrised test

_IDS = sorted(EXPECTATIONS)
assert {c for c, _ in _IDS} == set(ALL_CASES), "every review case has expectations"


@pytest.mark.parametrize(("case", "what"), _IDS, ids=[f"{c}::{w}" for c, w in _IDS])
def test_independent_review(case: str, what: str) -> None:
    EXPECTATIONS[(case, what)]()
