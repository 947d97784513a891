"""Tumour subtype, prior-therapy history, line of therapy and endocrine sensitivity of one case.

Public API (pure)::

    classify_subtype(case, cutoffs) -> Subtype                       # BIO-2..11
    therapy_history(case, cutoffs, drug_classes) -> TherapyHistory   # line, ES-1..5, prior classes

Subtype (shared/reference/regimens_supportive.md §1), cut-offs from resources/rules/subtype.toml:

- ER / PgR positive at >= 1 % of nuclei (BIO-2); ER 1-10 % is **ER-low** (BIO-3): flagged, never
  silently treated as strongly HR+. HR+ = ER or PgR positive; PgR gates nothing else (BIO-4).
- HER2 (ASCO/CAP 2018/2023, BIO-5..9): IHC 3+ or an *amplified* ISH = positive; IHC 2+ needs ISH
  (amplified = positive, not amplified = low, missing = unknown with a gap); IHC 1+ = low;
  IHC 0 with membrane staining (`0_membrane`) = ultralow; IHC 0 without = zero.
- Group: HER2+ when HER2 positive; else HR+/HER2- when HR+; else TNBC when ER and PgR < 1 %
  (BIO-11); else `unknown` with gaps.

History (§3 and the data inputs it lists):

- **Line** of the regimen being planned = 1 + the metastatic-setting entries stopped for
  *progression* (a switch for toxicity or choice continues the line). An entry without
  `reason_stopped` is not counted and is named as a gap.
- **Relapse date**: the case has no such field, so it is taken as the start of the first
  metastatic therapy, else the assessment date (said in `warnings` whenever it matters).
- **Endocrine sensitivity** (ES-1..3): from the first metastatic endocrine line stopped for
  progression (< 6 months after its start: primary resistance, else secondary); failing that from
  the last (neo)adjuvant endocrine therapy (relapse during the first 24 months of it: primary;
  later during it, or <= 12 months after completing it: secondary; later: sensitive); no
  endocrine therapy at all: sensitive (ES-3). Missing dates: `None` with a gap.
- Flags: relapse on or <= 12 months after adjuvant ET (HR-4) / adjuvant AI (ES-4); a (neo)adjuvant
  CDK4/6 inhibitor ended < 12 months before relapse (ES-5).
- **Disease-free interval**: end of the last (neo)adjuvant therapy to relapse (TN-1); `None`
  when no curative-setting therapy was recorded (de novo disease).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Protocol

from planner.domain.case import Case, PriorTherapy
from planner.domain.evidence import Basis, Gap
from planner.domain.frozen_value import frozen_value
from planner.domain.regimen_tables import SubtypeCutoffs

DAYS_PER_MONTH = 365.25 / 12
CURATIVE_SETTINGS = ("neoadjuvant", "adjuvant")
RULE_LINE = "LINE-1"
SOURCE_LINE = "reg.line.esmo_abc"


class HasClasses(Protocol):
    """A drug-catalogue entry (planner.rules Drug): only its classes are read here."""

    @property
    def classes(self) -> frozenset[str]: ...


@frozen_value
class Subtype:
    group: str  # HR+/HER2-, HER2+, TNBC, unknown
    hr_positive: bool | None
    er_low: bool | None
    her2: str  # positive, low, ultralow, zero, unknown
    her2_negative: bool | None  # known HER2-negative even when the degree (low/zero) is not
    basis: tuple[Basis, ...]
    gaps: tuple[Gap, ...]
    warnings: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "group": self.group,
            "hr_positive": self.hr_positive,
            "er_low": self.er_low,
            "her2": self.her2,
            "basis": [b.to_json() for b in self.basis],
            "warnings": list(self.warnings),
        }


@frozen_value
class TherapyHistory:
    line: int
    progressed_metastatic_lines: int
    metastatic_chemo_lines: int
    prior_drugs: frozenset[str]
    prior_classes: frozenset[str]
    metastatic_classes: frozenset[str]
    curative_classes: frozenset[str]
    progressed_metastatic_drugs: frozenset[str]
    endocrine_state: str | None  # primary_resistance, secondary_resistance, sensitive; None unknown
    endocrine_flags: frozenset[str]
    dfi_months: float | None
    relapse_on: dt.date
    has_curative_therapy: bool
    ongoing: bool
    basis: tuple[Basis, ...]
    gaps: tuple[Gap, ...]
    warnings: tuple[str, ...]
    # "listed", "none" (recorded as an empty list) or "not_recorded" (null: nobody asked; the
    # history above is then the one of "none", an assumption every option depends on)
    recorded: str = "listed"

    @property
    def assumed(self) -> bool:
        """The history is not recorded: the line (1) and what follows from it are assumed."""
        return self.recorded == "not_recorded"

    def to_json(self) -> dict[str, Any]:
        return {
            "prior_therapy_recorded": self.recorded,
            "line": self.line,
            "line_assumed": self.assumed,
            "metastatic_chemo_lines": self.metastatic_chemo_lines,
            "prior_classes": sorted(self.prior_classes),
            "endocrine_sensitivity": self.endocrine_state or "unknown",
            "endocrine_flags": sorted(self.endocrine_flags),
            "disease_free_interval_months": (
                None if self.dfi_months is None else round(self.dfi_months, 1)
            ),
            "basis": [b.to_json() for b in self.basis],
            "warnings": list(self.warnings),
        }


def _cutoff_basis(cutoffs: SubtypeCutoffs, key: str) -> list[Basis]:
    cut = cutoffs[key]
    return [Basis(cut.rule, source, cut.verified) for source in cut.sources]


def classify_subtype(case: Case, cutoffs: SubtypeCutoffs) -> Subtype:
    biology = case.biology
    basis: list[Basis] = []
    gaps: list[Gap] = []
    warnings: list[str] = []
    er = None if biology is None else biology.er_percent
    pr = None if biology is None else biology.pr_percent
    ihc = None if biology is None else biology.her2_ihc
    ish = None if biology is None else biology.her2_ish

    er_min = cutoffs.value("er_positive_min_percent")
    er_low_max = cutoffs.value("er_low_max_percent")
    pr_min = cutoffs.value("pr_positive_min_percent")
    basis += _cutoff_basis(cutoffs, "er_positive_min_percent")
    er_positive = None if er is None else er >= er_min
    pr_positive = None if pr is None else pr >= pr_min
    er_low = None if er is None else er_min <= er <= er_low_max
    if er is None:
        gaps.append(
            Gap(
                "biology.er_percent",
                "ER not recorded: hormone-receptor status and subtype cannot be fully decided",
            )
        )
    if pr is None and not er_positive:
        gaps.append(
            Gap(
                "biology.pr_percent",
                "PgR not recorded: hormone-receptor negativity (TNBC) cannot be confirmed",
            )
        )
    if er_positive or pr_positive:
        hr_positive: bool | None = True
    elif er is not None and pr is not None:
        hr_positive = False
    else:
        hr_positive = None
    if er_low:
        basis += _cutoff_basis(cutoffs, "er_low_max_percent")
        warnings.append(
            f"ER-low ({er:g} %, {er_min:g}-{er_low_max:g} %): endocrine benefit data are limited and the "
            "biology overlaps TNBC; not treated as strongly HR+ (BIO-3)"
        )

    her2, her2_negative = _her2(ihc, ish, gaps, warnings)
    basis.append(Basis("BIO-5..9", "reg.bio.asco_cap_her2_2023", True))
    if her2 == "ultralow":
        basis.append(Basis("BIO-9", "reg.bio.db06_ultralow", False))

    if her2 == "positive":
        group = "HER2+"
    elif her2_negative and hr_positive:
        group = "HR+/HER2-"
    elif her2_negative and hr_positive is False:
        group = "TNBC"
    else:
        group = "unknown"
    if group == "unknown":
        gaps.append(Gap("biology", "subtype unknown: no systemic-therapy option can be selected"))
    return Subtype(
        group, hr_positive, er_low, her2, her2_negative, tuple(basis), tuple(gaps), tuple(warnings)
    )


def _her2(
    ihc: str | None, ish: str | None, gaps: list[Gap], warnings: list[str]
) -> tuple[str, bool | None]:
    if ish == "amplified":
        if ihc in ("0", "0_membrane", "1+"):
            warnings.append(
                "HER2 ISH amplified with IHC 0/1+: read as positive (ISH group 1); "
                "ASCO/CAP groups 2-4 with IHC 0/1+ are negative, so confirm the ISH group (BIO-6)"
            )
        return "positive", False
    if ihc == "3+":
        return "positive", False
    if ihc == "2+":
        if ish == "not_amplified":
            return "low", True
        gaps.append(
            Gap(
                "biology.her2_ish",
                "HER2 IHC 2+ without ISH: HER2 status (positive or low) cannot be decided (BIO-5)",
            )
        )
        return "unknown", None
    if ihc == "1+":
        return "low", True
    if ihc == "0_membrane":
        return "ultralow", True
    if ihc == "0":
        return "zero", True
    if ish == "not_amplified":
        gaps.append(
            Gap(
                "biology.her2_ihc",
                "HER2 IHC not recorded: HER2-negative by ISH, but low/ultralow/zero (T-DXd eligibility) unknown",
            )
        )
        return "unknown", True
    gaps.append(Gap("biology.her2_ihc", "HER2 not recorded: subtype cannot be decided"))
    return "unknown", None


# ---- prior therapy ---------------------------------------------------------------------------


def _months(start: dt.date, end: dt.date) -> float:
    return (end - start).days / DAYS_PER_MONTH


def _classes_of(entry: PriorTherapy, drug_classes: Mapping[str, HasClasses]) -> frozenset[str]:
    out: set[str] = set()
    for drug in entry.drugs:
        known = drug_classes.get(drug)
        if known is not None:
            out |= known.classes
    return frozenset(out)


def _is_endocrine(classes: frozenset[str]) -> bool:
    """Endocrine therapy proper: ovarian suppression alone does not count."""
    return bool(classes & {"aromatase_inhibitor", "serm", "serd", "progestin"})


def therapy_history(
    case: Case, cutoffs: SubtypeCutoffs, drug_classes: Mapping[str, HasClasses]
) -> TherapyHistory:
    disease = case.disease
    entries = () if disease is None or disease.prior_therapy is None else disease.prior_therapy
    basis: list[Basis] = [Basis(RULE_LINE, SOURCE_LINE, False)]
    gaps: list[Gap] = []
    warnings: list[str] = []
    if disease is None or disease.prior_therapy is None:
        # Not recorded is not "none" (safety rule 2): the options are listed as for no previous
        # treatment, and each says it depends on the answer (plan.py `depends_on_unrecorded`);
        # none can be decided until it is recorded or the clinician confirms she had none.
        gaps.append(
            Gap(
                "disease.prior_therapy",
                "not recorded: the line of therapy is not known, and every option depends on "
                "it (eligibility by line, endocrine sensitivity, drugs she progressed on, the "
                "lifetime anthracycline dose). The options are listed as if she had none "
                "(line 1); record it, or confirm 'no previous cancer treatment' when deciding",
            )
        )

    classes = [_classes_of(e, drug_classes) for e in entries]
    indexed = list(zip(range(len(entries)), entries, classes, strict=True))
    metastatic = [(i, e, c) for i, e, c in indexed if e.setting == "metastatic"]
    curative = [(i, e, c) for i, e, c in indexed if e.setting in CURATIVE_SETTINGS]

    progressed = 0
    for i, e, _ in metastatic:
        if e.reason_stopped is None:
            gaps.append(
                Gap(
                    f"disease.prior_therapy[{i}].reason_stopped",
                    "not recorded: this metastatic therapy is not counted as a line",
                )
            )
        elif e.reason_stopped == "progression":
            progressed += 1
    ongoing = any(e.reason_stopped == "ongoing" for _, e, _ in metastatic)
    if ongoing:
        warnings.append(
            "a metastatic therapy is recorded as ongoing: the options are for the line that would follow it"
        )
    line = progressed + 1

    starts = [e.started_on for _, e, _ in metastatic if e.started_on is not None]
    # (Neo)adjuvant therapy stopped for progression dates the relapse itself: the cancer came
    # back on that treatment, on that day (ABC 5: relapse during adjuvant endocrine therapy).
    curative_relapses = [
        e.ended_on
        for _, e, _ in curative
        if e.reason_stopped == "progression" and e.ended_on is not None
    ]
    dated = starts + curative_relapses
    relapse_on = min(dated) if dated else case.assessed_on

    metastatic_classes = (
        frozenset().union(*(c for _, _, c in metastatic)) if metastatic else frozenset()
    )
    curative_classes = frozenset().union(*(c for _, _, c in curative)) if curative else frozenset()
    chemo_lines = sum(1 for _, _, c in metastatic if "chemotherapy" in c)
    prior_drugs = frozenset(d for e in entries for d in e.drugs)
    progressed_drugs = frozenset(
        d for _, e, _ in metastatic if e.reason_stopped == "progression" for d in e.drugs
    )

    state, flags = _endocrine_state(metastatic, curative, relapse_on, cutoffs, basis, gaps)
    if curative and not dated:
        # The weakest stand-in: it can move a disease-free interval across a cut-off, so it is
        # a named gap, not only a warning.
        gaps.append(
            Gap(
                "disease.prior_therapy",
                "relapse date not recorded and no metastatic therapy yet: intervals after "
                "(neo)adjuvant therapy are measured to the assessment date; confirm",
            )
        )
    elif curative and not curative_relapses:
        warnings.append(
            "relapse date not recorded: taken as the start of the first metastatic therapy "
            f"({relapse_on.isoformat()}) for intervals after (neo)adjuvant therapy"
        )

    dfi: float | None = None
    if curative:
        ends = [e.ended_on for _, e, _ in curative]
        if any(end is None for end in ends):
            gaps.append(
                Gap(
                    "disease.prior_therapy[].ended_on",
                    "end of (neo)adjuvant therapy not recorded: disease-free interval unknown",
                )
            )
        else:
            dfi = _months(max(end for end in ends if end is not None), relapse_on)

    return TherapyHistory(
        line=line,
        progressed_metastatic_lines=progressed,
        metastatic_chemo_lines=chemo_lines,
        prior_drugs=prior_drugs,
        prior_classes=metastatic_classes | curative_classes,
        metastatic_classes=metastatic_classes,
        curative_classes=curative_classes,
        progressed_metastatic_drugs=progressed_drugs,
        endocrine_state=state,
        endocrine_flags=flags,
        dfi_months=dfi,
        relapse_on=relapse_on,
        has_curative_therapy=bool(curative),
        ongoing=ongoing,
        basis=tuple(basis),
        gaps=tuple(gaps),
        warnings=tuple(warnings),
        recorded=(
            "not_recorded"
            if disease is None or disease.prior_therapy is None
            else "listed"
            if entries
            else "none"
        ),
    )


Entry = tuple[int, PriorTherapy, frozenset[str]]


def _endocrine_state(
    metastatic: list[Entry],
    curative: list[Entry],
    relapse_on: dt.date,
    cutoffs: SubtypeCutoffs,
    basis: list[Basis],
    gaps: list[Gap],
) -> tuple[str | None, frozenset[str]]:
    flags: set[str] = set()
    first_line_months = cutoffs.value("first_line_primary_resistance_months")
    adjuvant_months = cutoffs.value("adjuvant_primary_resistance_months")
    window_months = cutoffs.value("post_adjuvant_relapse_window_months")
    cdk_months = cutoffs.value("adjuvant_cdk46_interval_months")

    # (neo)adjuvant CDK4/6 inhibitor close to relapse (ES-5)
    for i, e, c in curative:
        if "cdk46_inhibitor" not in c:
            continue
        basis.extend(_cutoff_basis(cutoffs, "adjuvant_cdk46_interval_months"))
        if e.reason_stopped == "ongoing" or (
            e.ended_on is not None and _months(e.ended_on, relapse_on) < cdk_months
        ):
            flags.add("recent_adjuvant_cdk46")
        elif e.ended_on is None:
            gaps.append(
                Gap(
                    f"disease.prior_therapy[{i}].ended_on",
                    "end of adjuvant CDK4/6 inhibitor not recorded (ES-5)",
                )
            )

    # Adjuvant endocrine flags (HR-4, ES-4) are facts of the adjuvant course whatever came later.
    adjuvant_et = [(i, e, c) for i, e, c in curative if _is_endocrine(c)]
    adjuvant_state: str | None = None
    adjuvant_known = True
    if adjuvant_et:
        i, last, c = max(adjuvant_et, key=lambda x: (x[1].ended_on or dt.date.max, x[0]))
        on_therapy = last.reason_stopped == "ongoing" or (
            last.ended_on is not None and relapse_on <= last.ended_on
        )
        if on_therapy:
            if last.started_on is None:
                adjuvant_known = False
                gaps.append(
                    Gap(
                        f"disease.prior_therapy[{i}].started_on",
                        "start of adjuvant endocrine therapy not recorded: endocrine sensitivity unknown (ES-1)",
                    )
                )
            else:
                months_on = _months(last.started_on, relapse_on)
                adjuvant_state = (
                    "primary_resistance" if months_on < adjuvant_months else "secondary_resistance"
                )
                basis.extend(_cutoff_basis(cutoffs, "adjuvant_primary_resistance_months"))
            flags.add("relapse_on_or_soon_after_adjuvant_et")
            if "aromatase_inhibitor" in c:
                flags.add("relapse_on_or_soon_after_adjuvant_ai")
        elif last.ended_on is None:
            adjuvant_known = False
            gaps.append(
                Gap(
                    f"disease.prior_therapy[{i}].ended_on",
                    "end of adjuvant endocrine therapy not recorded: endocrine sensitivity unknown (ES-2, ES-3)",
                )
            )
        else:
            after = _months(last.ended_on, relapse_on)
            basis.extend(_cutoff_basis(cutoffs, "post_adjuvant_relapse_window_months"))
            if after <= window_months:
                adjuvant_state = "secondary_resistance"
                flags.add("relapse_on_or_soon_after_adjuvant_et")
                if "aromatase_inhibitor" in c:
                    flags.add("relapse_on_or_soon_after_adjuvant_ai")
            else:
                adjuvant_state = "sensitive"

    # Metastatic endocrine lines decide when one has progressed (ES-1, ES-2).
    metastatic_et = sorted(
        ((i, e, c) for i, e, c in metastatic if _is_endocrine(c)),
        key=lambda x: (x[1].started_on or dt.date.max, x[0]),
    )
    progressed_et = [(i, e, c) for i, e, c in metastatic_et if e.reason_stopped == "progression"]
    if progressed_et:
        first_start = metastatic_et[0][1].started_on
        i, e, _ = progressed_et[0]
        if first_start is None or e.ended_on is None:
            field = "started_on" if first_start is None else "ended_on"
            index = metastatic_et[0][0] if first_start is None else i
            gaps.append(
                Gap(
                    f"disease.prior_therapy[{index}].{field}",
                    "not recorded: endocrine resistance (primary or secondary) unknown (ES-1, ES-2)",
                )
            )
            return None, frozenset(flags)
        basis.extend(_cutoff_basis(cutoffs, "first_line_primary_resistance_months"))
        months = _months(first_start, e.ended_on)
        return (
            "primary_resistance" if months < first_line_months else "secondary_resistance"
        ), frozenset(flags)

    if adjuvant_et:
        return (adjuvant_state if adjuvant_known else None), frozenset(flags)
    return "sensitive", frozenset(flags)
