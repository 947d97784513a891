"""Liver-aware drug advice: the hepatic facts that switch it on, and the interaction flags.

The hepatic modifier (regimens_supportive.md §8 conventions) holds when bilirubin is above the
clinic's multiple of ULN (default 1.5), Child–Pugh is B or C, or any encephalopathy is recorded.
When the liver cannot be judged (bilirubin or its ULN missing, or Child–Pugh incomplete and B/C
still possible) the *cautious* advice is shown and the reason says so: never a silent default.

The advice itself (paracetamol ceilings, opioid choice and starting fractions, NSAID avoidance,
ondansetron cap, metoclopramide and olanzapine positions, lactulose/rifaximin, the itch ladder,
paracentesis and diuretics) lives in resources/rules/supportive_interventions.toml; this module
only decides which liver facts hold and which drug pairs clash (dosing.md §1.5).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from planner.domain.case import Case
from planner.domain.evidence import Basis
from planner.domain.frozen_value import frozen_value
from planner.domain.hepatic import HepaticAssessment
from planner.domain.supportive_tables import (
    InteractionRule,
    Intervention,
    SupportiveSettings,
    SupportiveTables,
)


@frozen_value(hot=True)
class Fact:
    """A named statement about the case, why it holds (naming the cut-off used), and its basis."""

    name: str
    reason: str
    basis: tuple[Basis, ...] = ()
    # The anticancer drugs of the plan a fact is about ("tamoxifen among the options"): advice
    # resting on it is about those drugs, and goes from the plan as decided when none of them is
    # given (planner.domain.course_scope).
    drugs: tuple[str, ...] = ()


def _setting_basis(tables: SupportiveTables, name: str) -> tuple[Basis, ...]:
    return tables.setting(name).basis


def _shown(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".")


def hepatic_facts(
    case: Case,
    hepatic: HepaticAssessment,
    tables: SupportiveTables,
    settings: SupportiveSettings,
) -> list[Fact]:
    facts: list[Fact] = []
    clinical = case.clinical
    ascites = clinical.ascites if clinical is not None else None
    encephalopathy = clinical.encephalopathy if clinical is not None else None
    hep_basis = hepatic.basis

    cut = settings.number("hepatic_modifier_bilirubin_x_uln")
    bili = hepatic.bilirubin_x_uln
    child = hepatic.child_pugh
    why: list[str] = []
    if bili is not None and bili > cut:
        why.append(
            f"bilirubin {_shown(bili)} x ULN > {cut:g} "
            f"({settings.shown('hepatic_modifier_bilirubin_x_uln')})"
        )
    if child is not None and child.child_class in ("B", "C"):
        why.append(f"Child-Pugh {child.child_class} ({child.points_words})")
    if encephalopathy in ("grade_1_2", "grade_3_4"):
        why.append(f"hepatic encephalopathy {encephalopathy.replace('_', ' ')}")
    basis = (*_setting_basis(tables, "hepatic_modifier_bilirubin_x_uln"), *hep_basis)
    unknown: list[str] = []
    if bili is None:
        unknown.append("bilirubin x ULN unknown")
    if child is None and hepatic.child_pugh_classes & {"B", "C"}:
        unknown.append("Child-Pugh incomplete and B/C still possible")
    if why:
        facts.append(Fact("hepatic_modifier", "liver impairment: " + "; ".join(why), basis))
    elif unknown:
        facts.append(
            Fact(
                "hepatic_modifier",
                "liver function cannot be judged (" + "; ".join(unknown) + "): the cautious "
                "liver advice is shown",
                basis,
            )
        )
    if unknown and not why:
        facts.append(
            Fact("hepatic_status_unknown", "liver status unknown: " + "; ".join(unknown), basis)
        )
    if hepatic.severe_impairment:
        what = []
        if hepatic.odwg == "severe":
            what.append("NCI-ODWG severe")
        if child is not None and child.child_class == "C":
            what.append(f"Child-Pugh C ({child.points_words})")
        facts.append(
            Fact("severe_hepatic", "severe hepatic impairment: " + ", ".join(what), hep_basis)
        )
    if child is not None and child.child_class == "C":
        facts.append(Fact("child_pugh_c", f"Child-Pugh C ({child.points_words})", hep_basis))
    # moderate or severe hepatic impairment as labels band it (domperidone §4.3): a score, or
    # an incomplete score whose every possible class is B or C (rx24 F2: 6 points before an
    # INR that measures apixaban is class B whatever the INR)
    possible = hepatic.child_pugh_classes
    if child is not None and child.child_class in ("B", "C"):
        facts.append(
            Fact(
                "child_pugh_b_c",
                f"Child-Pugh {child.child_class} ({child.points_words})",
                hep_basis,
            )
        )
    elif child is None and possible and possible <= {"B", "C"}:
        facts.append(
            Fact(
                "child_pugh_b_c",
                f"Child-Pugh {' or '.join(sorted(possible))} whatever the items not scored "
                "(the items scored allow no other class)",
                hep_basis,
            )
        )
    elif child is None and possible & {"B", "C"}:
        facts.append(
            Fact(
                "child_pugh_b_c_possible",
                "Child-Pugh incomplete: "
                f"{', '.join(sorted(possible))} still possible (moderate or severe impairment "
                "not ruled out)",
                hep_basis,
            )
        )
    if ascites in ("mild", "moderate_severe"):
        facts.append(Fact("ascites", f"ascites recorded ({ascites.replace('_', '/')})"))
    if ascites == "moderate_severe":
        facts.append(Fact("ascites_moderate_severe", "moderate or severe ascites recorded"))
    if encephalopathy in ("grade_1_2", "grade_3_4"):
        facts.append(
            Fact("encephalopathy", f"hepatic encephalopathy {encephalopathy.replace('_', ' ')}")
        )
    if encephalopathy == "grade_3_4":
        facts.append(Fact("encephalopathy_grade_3_4", "hepatic encephalopathy grade 3-4"))

    labs = case.labs
    coag: list[str] = []
    coag_basis: list[Basis] = []
    inr_cut = settings.number("coagulopathy_inr_above")
    if labs is not None and labs.inr is not None and labs.inr.value > inr_cut:
        coag.append(
            f"INR {labs.inr.value:g} > {inr_cut:g} ({settings.shown('coagulopathy_inr_above')})"
        )
        coag_basis += _setting_basis(tables, "coagulopathy_inr_above")
    plt_cut = settings.number("low_platelets_below")
    if labs is not None and labs.platelets is not None and labs.platelets.value < plt_cut:
        coag.append(
            f"platelets {labs.platelets.value:g} x 10^9/L < {plt_cut:g} "
            f"({settings.shown('low_platelets_below')})"
        )
        coag_basis += _setting_basis(tables, "low_platelets_below")
    if coag:
        facts.append(Fact("coagulopathy", "bleeding risk: " + "; ".join(coag), tuple(coag_basis)))
    else:
        # A missing INR or platelet count must not read as "no bleeding risk": the advice that
        # depends on it (avoid NSAIDs) is shown, and the reason says the result is missing.
        missing = [
            name
            for name, result in (
                ("INR", labs and labs.inr),
                ("platelet count", labs and labs.platelets),
            )
            if result is None
        ]
        if missing:
            facts.append(
                Fact(
                    "coagulopathy",
                    "bleeding risk not judged: " + " and ".join(missing) + " not recorded "
                    "(the cautious advice is shown until they are)",
                    (
                        *_setting_basis(tables, "coagulopathy_inr_above"),
                        *_setting_basis(tables, "low_platelets_below"),
                    ),
                )
            )

    disease = case.disease
    if disease is not None and disease.biliary_obstruction:
        facts.append(Fact("biliary_obstruction", "biliary obstruction recorded"))
    cholestatic = [
        f"{name} {_shown(x)} x ULN"
        for name, x in (("bilirubin", bili), ("ALP", hepatic.alp_x_uln))
        if x is not None and x > 1.0
    ]
    if cholestatic:
        facts.append(
            Fact(
                "cholestatic_lfts", "cholestatic liver tests: " + ", ".join(cholestatic), hep_basis
            )
        )
    if hepatic.visceral_crisis == "yes":
        facts.append(
            Fact(
                "hepatic_visceral_crisis",
                "hepatic visceral crisis: bilirubin > 1.5 x ULN and rising, obstruction and "
                "Gilbert's excluded"
                + ("" if bili is None else f" (bilirubin {_shown(bili)} x ULN)"),
                hep_basis,
            )
        )
        ecog = clinical.ecog if clinical is not None else None
        ecog_cut = settings.number("vc_poor_function_ecog_min")
        if ecog is not None and ecog >= ecog_cut:
            facts.append(
                Fact(
                    "visceral_crisis_with_poor_function",
                    f"hepatic visceral crisis with ECOG {ecog} >= {ecog_cut:g} "
                    f"({settings.shown('vc_poor_function_ecog_min')})",
                    (*_setting_basis(tables, "vc_poor_function_ecog_min"), *hep_basis),
                )
            )
    elif hepatic.visceral_crisis == "watch":
        watch = [w for w in hepatic.warnings if w.startswith("visceral crisis: watch")]
        facts.append(
            Fact(
                "hepatic_visceral_crisis_watch",
                watch[0] if watch else "possible or impending hepatic visceral crisis (watch)",
                hep_basis,
            )
        )
    return facts


def drug_facts(therapy_drugs: frozenset[str], tables: SupportiveTables) -> list[Fact]:
    """Facts about the anticancer drugs in the plan's options and the current therapy."""
    facts: list[Fact] = []
    if therapy_drugs:
        facts.append(
            Fact(
                "systemic_therapy_planned",
                "systemic therapy current or among the options: "
                + ", ".join(sorted(therapy_drugs)),
                drugs=tuple(sorted(therapy_drugs)),
            )
        )
    if "tamoxifen" in therapy_drugs:
        facts.append(
            Fact(
                "tamoxifen_in_plan",
                "tamoxifen current or among the options",
                drugs=("tamoxifen",),
            )
        )
    cdk = sorted(d for d in therapy_drugs if "cdk46_inhibitor" in tables.drug_classes.get(d, ()))
    if cdk:
        facts.append(
            Fact(
                "cdk46_in_plan",
                "CDK4/6 inhibitor current or planned: " + ", ".join(cdk),
                drugs=tuple(cdk),
            )
        )
    return facts


@frozen_value
class InteractionFlag:
    """A suggested supportive drug against an anticancer (or other suggested) drug."""

    rule: InteractionRule
    supportive: tuple[str, ...]
    partners: tuple[str, ...]
    problems: tuple[str, ...]  # problems whose interventions suggested the supportive drug

    @property
    def message(self) -> str:
        text = f"{', '.join(self.supportive)} with {', '.join(self.partners)}: {self.rule.message}"
        return text if self.rule.verified else text + " (unverified — confirm locally)"

    def to_json(self) -> dict[str, object]:
        return {
            "supportive": list(self.supportive),
            "with": list(self.partners),
            "problems": list(self.problems),
            "message": self.message,
            "what_to_do": self.rule.what_to_do,
            "basis": [b.to_json() for b in self.rule.basis],
        }


def interaction_flags(
    chosen: Mapping[str, Iterable[Intervention]],
    therapy_drugs: frozenset[str],
    tables: SupportiveTables,
    extra: Iterable[InteractionRule] = (),
) -> tuple[InteractionFlag, ...]:
    """Check every supportive drug the chosen interventions suggest (by problem) against the
    anticancer drugs and against the other suggested supportive drugs. `extra`: rules of the
    same shape from elsewhere (the medicine table's both-ways rows: QT drugs with ribociclib)."""
    suggested: dict[str, list[str]] = {}
    for problem, interventions in chosen.items():
        for intervention in interventions:
            for drug in intervention.drugs:
                suggested.setdefault(drug, [])
                if problem not in suggested[drug]:
                    suggested[drug].append(problem)
    everything = therapy_drugs | set(suggested)
    flags: list[InteractionFlag] = []
    for rule in (*tables.interactions, *extra):
        mine = sorted(rule.supportive & set(suggested))
        partners = sorted((rule.partners & everything) - set(mine))
        if mine and partners:
            problems = sorted({p for d in mine for p in suggested[d]})
            flags.append(InteractionFlag(rule, tuple(mine), tuple(partners), tuple(problems)))
    return tuple(flags)
