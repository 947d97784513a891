"""What the case shows: problems by domain with their severity, and the facts the rules read.

Why one module: every domain's findings (symptoms, mood, function, social, nutrition, prognosis,
kidney, body) are gathered in one pass into one `_Collector` of problems, facts and the reasons
that name the cut-offs; each domain is a short step of that pass, and putting the steps in other
files would make the collector's private protocol public to each.

Severity comes from the recorded score against the clinic's cut-offs (SupportiveSettings, defaults
from resources/rules/supportive.toml): ESAS-r items (pain: the D-10 band setting), PHQ-9 and
GAD-7 totals (scored by the instruments), the distress thermometer (positive by the instrument's
own cut-off setting), weight loss and BMI, ECOG/PPS, mobility and the problem list. Every reason
names the value and the cut-off used ("PHQ-9 total 12 >= 10 (phq9_moderate_min = 10, default)").

A symptom recorded only as present (pruritus, constipation, jaundice without a score) has no
severity (None: "present, severity not recorded"), never a default one (rule 2): only advice that
holds at every severity applies to it, and the missing score is a gap saying that
severity-dependent advice needs it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from planner.domain.case import Case
from planner.domain.evidence import Basis, Gap
from planner.domain.frozen_value import frozen_value
from planner.domain.hepatic import HepaticAssessment
from planner.domain.liver_safe_drugs import Fact, drug_facts, hepatic_facts
from planner.domain.screens import Screens
from planner.domain.supportive_tables import (
    PROBLEM_DOMAINS,
    SEVERITIES,
    SupportiveSettings,
    SupportiveTables,
)

INTAKE_SEVERITY = {"less_than_usual": "mild", "much_less": "moderate", "minimal": "severe"}
MOBILITY_SEVERITY = {"walks_with_aid": "mild", "chair_bound": "moderate", "bed_bound": "severe"}
ESAS_PROBLEMS = {
    "tiredness": "fatigue",
    "nausea": "nausea",
    "drowsiness": "drowsiness",
    "shortness_of_breath": "breathlessness",
    "lack_of_appetite": "anorexia",
}
PHYSICAL_ESAS = (
    "pain",
    "tiredness",
    "drowsiness",
    "nausea",
    "lack_of_appetite",
    "shortness_of_breath",
)
EMOTIONAL_ESAS = ("depression", "anxiety")
UNSCORED = "present, severity not recorded"
# where a problem ticked by her comes from (the distress thermometer's problem list)
PROBLEM_LIST = "her problem list"


@frozen_value(hot=True)
class Finding:
    """One problem found in the case."""

    problem: str
    severity: str | None  # None: recorded as present with no score (never a default band)
    reasons: tuple[str, ...]
    basis: tuple[Basis, ...]
    # Raised only by cancer drugs of the plan (the neutropenia risk of sacituzumab govitecan):
    # the problem goes from the plan as decided when none of them is given. Empty when any
    # reason is about her (a symptom, a result), which no decision on the options changes.
    for_drugs: tuple[str, ...] = ()

    @property
    def domain(self) -> str:
        return PROBLEM_DOMAINS[self.problem]


@frozen_value(hot=True)
class KidneyFunction:
    """What the supportive rules need of the kidney assessment (planner.domain.kidney)."""

    crcl_ml_min: float | None  # Cockcroft–Gault, actual body weight
    doubtful: bool  # the creatinine is doubted (likely unit mix-up)
    missing: tuple[str, ...]  # case fields whose absence stopped the calculation
    basis: tuple[Basis, ...]


@frozen_value
class Findings:
    facts: Mapping[str, Fact]
    problems: Mapping[str, Finding]  # in contract order of problems
    gaps: tuple[Gap, ...]

    def holds(self, name: str) -> bool:
        return name in self.facts

    def all_hold(self, names: Iterable[str]) -> bool:
        # a set test on the keys (in C): asked for every referral, alert and review row
        wanted = names if isinstance(names, set | frozenset) else set(names)
        return self.facts.keys() >= wanted

    def with_facts(self, extra: Iterable[Fact]) -> Findings:
        facts = dict(self.facts)
        for fact in extra:
            facts.setdefault(fact.name, fact)
        return Findings(MappingProxyType(facts), self.problems, self.gaps)


class _AskedFacts:
    """The facts as the collectors see them: `in`, `[]` and adding one, nothing else (any other
    use fails), each name asked about noted in `asked`. What the collectors find is a function
    of the case and of the facts they ask about, so a collection with other plan facts that
    differ in no asked name finds the same (`Collected.with_plan_facts`)."""

    def __init__(self, facts: dict[str, Fact]) -> None:
        self.facts = facts
        self.asked: set[str] = set()

    def __contains__(self, name: str) -> bool:
        self.asked.add(name)
        return name in self.facts

    def __getitem__(self, name: str) -> Fact:
        self.asked.add(name)
        return self.facts[name]

    def __setitem__(self, name: str, fact: Fact) -> None:
        # facts are only added, never replaced: `Collected.added` reads them in that order
        if name in self.facts:
            raise ValueError(f"fact {name!r} is already known")
        self.facts[name] = fact


class _Collector:
    def __init__(
        self, tables: SupportiveTables, settings: SupportiveSettings, facts: dict[str, Fact]
    ) -> None:
        self.tables = tables
        self.settings = settings
        self.facts = _AskedFacts(facts)
        self.found: dict[str, Finding] = {}
        self.gaps: list[Gap] = []

    def cut(self, name: str) -> float:
        return self.settings.number(name)

    def cited(self, *names: str) -> tuple[Basis, ...]:
        out: list[Basis] = []
        for name in names:
            out += self.tables.setting(name).basis
        return tuple(out)

    def fact(self, name: str, reason: str, basis: Iterable[Basis] = ()) -> None:
        if name not in self.facts:
            self.facts[name] = Fact(name, reason, tuple(basis))

    def problem(
        self,
        problem: str,
        severity: str | None,
        reason: str,
        basis: Iterable[Basis] = (),
        for_drugs: tuple[str, ...] = (),
    ) -> None:
        """Record a problem; a second finding raises the severity and adds its reason (a scored
        severity replaces "present, severity not recorded"). `for_drugs`: the cancer drugs this
        reason is about (none: a reason about her)."""
        old = self.found.get(problem)
        if old is None:
            self.found[problem] = Finding(problem, severity, (reason,), tuple(basis), for_drugs)
            return
        scored = [v for v in (old.severity, severity) if v is not None]
        worst = max(scored, key=SEVERITIES.index) if scored else None
        merged_basis = old.basis + tuple(b for b in basis if b not in old.basis)
        drugs = (
            tuple(dict.fromkeys((*old.for_drugs, *for_drugs)))
            if old.for_drugs and for_drugs
            else ()
        )
        self.found[problem] = Finding(problem, worst, (*old.reasons, reason), merged_basis, drugs)

    def banded(self, value: float, mild: float, moderate: float, severe: float) -> str | None:
        if value >= severe:
            return "severe"
        if value >= moderate:
            return "moderate"
        if value >= mild:
            return "mild"
        return None

    def rule_text(self, value: float, severity: str, *names: str) -> str:
        return f"{value:g}: {severity} (" + "; ".join(self.settings.shown(n) for n in names) + ")"


@frozen_value
class Collected:
    """One collection of problems (`findings`), with what it rests on: the facts known before
    the plan's facts (liver, the anticancer drugs), the plan facts, the facts the collectors
    added (in order), and the names they asked about."""

    findings: Findings
    before: Mapping[str, Fact]
    plan_facts: tuple[Fact, ...]
    added: tuple[Fact, ...]
    asked: frozenset[str]

    def with_plan_facts(self, plan_facts: Iterable[Fact]) -> Collected | None:
        """The collection with other plan facts, made without collecting again when no
        collector asked about a fact that differs (they would find the same problems, gaps and
        facts: the facts are then laid out as a new collection lays them out); None when one did
        (collect again)."""
        plan = tuple(plan_facts)
        old, new = _with_plan(self.before, self.plan_facts), _with_plan(self.before, plan)
        changed = {n for n in old.keys() | new.keys() if old.get(n) != new.get(n)}
        if changed & self.asked:
            return None
        for fact in self.added:  # as the collectors add them: only names not yet present
            new.setdefault(fact.name, fact)
        found = self.findings
        return Collected(
            Findings(MappingProxyType(new), found.problems, found.gaps),
            self.before,
            plan,
            self.added,
            self.asked,
        )


def _with_plan(before: Mapping[str, Fact], plan_facts: Iterable[Fact]) -> dict[str, Fact]:
    facts = dict(before)
    for fact in plan_facts:
        facts.setdefault(fact.name, fact)  # whole: with the drugs it is about
    return facts


def collect_problems(
    case: Case,
    hepatic: HepaticAssessment,
    screens: Screens,
    therapy_drugs: frozenset[str],
    tables: SupportiveTables,
    settings: SupportiveSettings,
    *,
    kidney: KidneyFunction | None = None,
    plan_facts: Iterable[Fact] = (),
) -> Collected:
    """The problems the case shows, and the facts the rules read, with what the collection
    rests on (`Collected`). `kidney`: the plan's creatinine clearance (None: not calculable, a
    gap elsewhere); `plan_facts`: facts about the rest of the plan (drug groups), found by the
    caller."""
    before: dict[str, Fact] = {}
    for fact in hepatic_facts(case, hepatic, tables, settings):
        if fact.name not in before:
            before[fact.name] = Fact(fact.name, fact.reason, tuple(fact.basis))
    for fact in drug_facts(therapy_drugs, tables):
        before.setdefault(fact.name, fact)  # whole: with the drugs it is about
    plan = tuple(plan_facts)
    facts = _with_plan(before, plan)
    ready = len(facts)
    c = _Collector(tables, settings, facts)
    _kidney(kidney, c)
    _body(case, c)
    _symptom_problems(case, hepatic, screens, c)
    _psychological(case, screens, c)
    _functional(case, c)
    _social(case, c)
    _nutritional(case, screens, c)
    _prognosis(case, hepatic, screens, c)
    _paracetamol_risk(c)
    _plan_needs(case, c)
    for name, finding in c.found.items():
        c.fact(
            f"problem_{name}", _problem_in_words(finding, _recorded_no(case, name)), finding.basis
        )
    ordered = {p: c.found[p] for p in PROBLEM_DOMAINS if p in c.found}
    findings = Findings(MappingProxyType(facts), MappingProxyType(ordered), tuple(c.gaps))
    # the collectors only add facts (`_Collector.fact`): theirs follow the first `ready`
    added = tuple(facts.values())[ready:]
    return Collected(findings, MappingProxyType(before), plan, added, frozenset(c.facts.asked))


def _recorded_no(case: Case, problem: str) -> bool:
    """True when the nurse recorded the symptom as absent (a problem found from other
    findings, as jaundice from bilirubin, is then never said as if she had it)."""
    symptoms = case.symptoms
    if symptoms is None:
        return False
    recorded = {
        "pruritus": symptoms.pruritus,
        "jaundice": symptoms.jaundice,
        "constipation": symptoms.constipation,
    }
    return recorded.get(problem) is False


def _problem_in_words(finding: Finding, recorded_no: bool) -> str:
    """A problem as a referral reason states it, its severity with the findings that set it
    (walk 21 F3/F4: "jaundice (moderate)" on a slip, though the nurse recorded no jaundice and
    the bilirubin made it; "depression (severe)" beside a moderate PHQ-9 total)."""
    name = finding.problem.replace("_", " ")
    severity = finding.severity or UNSCORED
    found = "; ".join(r for r in finding.reasons if r)
    if recorded_no:
        return f"{name} recorded “no” by the nurse; {severity} from {found or 'other findings'}"
    if not found or finding.severity is None:  # "present, severity not recorded" is the why
        return f"{name} ({severity})"
    return f"{name} ({severity} — from {found})"


def _symptom_problems(
    case: Case, hepatic: HepaticAssessment, screens: Screens, c: _Collector
) -> None:
    esas = screens.esas
    esas_basis = screens.cited("esas_r")
    act, severe = c.cut("esas_act_min"), c.cut("esas_severe_min")

    pain = esas.get("pain")
    if pain is not None:
        names = ("pain_mild_min", "pain_moderate_min", "pain_severe_min")
        level = c.banded(pain, *(c.cut(n) for n in names))
        if level is not None:
            c.problem(
                "pain",
                level,
                "ESAS-r pain " + c.rule_text(pain, level, *names),
                (*c.cited(*names), *esas_basis),
            )
            if level in ("moderate", "severe"):
                c.fact("opioid_suggested", f"pain {level}: an opioid is part of the advice")
            if level == "severe":
                c.fact("pain_severe", "severe pain")
        if pain >= c.cut("pain_severe_min"):
            c.fact(
                "severe_physical_symptom",
                f"ESAS-r pain {pain} >= {c.cut('pain_severe_min'):g} ({settings_shown(c, 'pain_severe_min')})",
                c.cited("pain_severe_min"),
            )

    for item, problem in ESAS_PROBLEMS.items():
        value = esas.get(item)
        if value is None:
            continue
        level = c.banded(value, act, act, severe)
        if level is not None:
            c.problem(
                problem,
                level,
                f"ESAS-r {item.replace('_', ' ')} "
                + c.rule_text(value, level, "esas_act_min", "esas_severe_min"),
                (*c.cited("esas_act_min", "esas_severe_min"), *esas_basis),
            )
        if item in PHYSICAL_ESAS and value >= severe:
            c.fact(
                "severe_physical_symptom",
                f"ESAS-r {item.replace('_', ' ')} {value} >= {severe:g} ({settings_shown(c, 'esas_severe_min')})",
                c.cited("esas_severe_min"),
            )

    symptoms = case.symptoms
    itch = screens.itch_score
    if itch is not None:
        level = c.banded(itch, c.cut("itch_mild_min"), act, severe)
        if level is not None:
            c.problem(
                "pruritus",
                level,
                "ESAS-r other (itch) "
                + c.rule_text(itch, level, "esas_act_min", "esas_severe_min"),
                (*c.cited("itch_mild_min", "esas_act_min", "esas_severe_min"), *esas_basis),
            )
    elif symptoms is not None and symptoms.pruritus:
        c.problem("pruritus", None, answered("itch: yes", f"no ESAS-r itch score; {UNSCORED}"))
        c.gaps.append(
            Gap(
                "symptoms.esas.other",
                "itch not scored (severity not recorded): advice that depends on its severity "
                "needs the ESAS-r itch score",
            )
        )
    if symptoms is not None and symptoms.constipation:
        c.problem("constipation", None, answered("constipation: yes", f"not graded; {UNSCORED}"))

    bili = hepatic.bilirubin_x_uln
    cut = c.cut("hepatic_modifier_bilirubin_x_uln")
    jaundice_level = {"severe": "severe", "moderate": "moderate"}.get(hepatic.odwg, "mild")
    if bili is not None and bili > cut:
        c.problem(
            "jaundice",
            jaundice_level,
            f"bilirubin {bili:.2f} x ULN > {cut:g} ({settings_shown(c, 'hepatic_modifier_bilirubin_x_uln')}); "
            f"severity follows NCI-ODWG ({hepatic.odwg})",
            (*c.cited("hepatic_modifier_bilirubin_x_uln"), *hepatic.basis),
        )
    if symptoms is not None and symptoms.jaundice:
        if bili is None:
            c.problem(
                "jaundice",
                None,
                answered("yellow skin or eyes: yes", f"no bilirubin to grade it; {UNSCORED}"),
            )
        else:
            c.problem(
                "jaundice",
                jaundice_level,
                answered(
                    "yellow skin or eyes: yes",
                    f"bilirubin {bili:.2f} x ULN (NCI-ODWG {hepatic.odwg}) sets its grade",
                ),
                hepatic.basis,
            )

    clinical = case.clinical
    ascites = clinical.ascites if clinical is not None else None
    if ascites == "mild":
        c.problem(
            "ascites",
            "mild",
            answered("ascites: mild", "fluid in the belly; it raises her Child–Pugh score"),
        )
    elif ascites == "moderate_severe":
        c.problem(
            "ascites",
            "moderate",
            answered(
                "ascites: moderate or severe",
                "symptomatic fluid in the belly, drainage to consider; it raises her Child–Pugh score",
            ),
        )
    encephalopathy = clinical.encephalopathy if clinical is not None else None
    if encephalopathy == "grade_1_2":
        c.problem(
            "encephalopathy",
            "moderate",
            answered(
                "hepatic encephalopathy: grade 1-2",
                "confusion or drowsiness from the liver; it raises her Child–Pugh score",
            ),
        )
    elif encephalopathy == "grade_3_4":
        c.problem(
            "encephalopathy",
            "severe",
            answered(
                "hepatic encephalopathy: grade 3-4",
                "very drowsy to unrousable from the liver; it raises her Child–Pugh score",
            ),
        )


def answered(found: str, means: str, source: str = "the nurse's answer") -> str:
    """A problem raised by an answer, not a score: what was recorded, where, and what the plan
    reads from it. Never the problem's name again ("caregiver strain moderate — from caregiver
    strain recorded" said nothing: misc22, rule 1)."""
    return f"{found} ({source}): {means}"


def settings_shown(c: _Collector, name: str) -> str:
    return c.settings.shown(name)


def _mood_screen(
    c: _Collector,
    problem: str,
    instrument: str,
    key: str,
    total: int | None,
    instrument_basis: tuple[Basis, ...],
    esas: Mapping[str, int | None],
    act: float,
    severe: float,
    floor: int | None = None,
    band: str | None = None,
) -> None:
    """Depression from PHQ-9, anxiety from GAD-7 — the same rule shape: the questionnaire's
    bands when its total exists, else the matching ESAS-r item (said to be unscreened).

    `band`: the instrument's own band of `total` (its rule table's label), said beside it.
    `floor`: with an item blank the total is not scored, but the answered items' sum is a floor
    under it (every item is 0-3); a floor at a band's cut-off is that band "at least"."""
    if total is None and floor is not None:
        moderate_cut = c.cut(f"{key}_moderate_min")
        if floor >= moderate_cut:
            level = c.banded(floor, moderate_cut, moderate_cut, c.cut(f"{key}_severe_min"))
            assert level is not None
            text = (
                f"{instrument} answered items total "
                + c.rule_text(floor, level, f"{key}_moderate_min", f"{key}_severe_min")
                + "; an item is blank, so the full total is at least this"
            )
            _screened(c, problem, key, level, text, instrument_basis)
            return
    if total is not None:
        moderate_cut, severe_cut = c.cut(f"{key}_moderate_min"), c.cut(f"{key}_severe_min")
        level = c.banded(total, moderate_cut, moderate_cut, severe_cut)
        if level is None:
            return
        text = f"{instrument} total " + c.rule_text(
            total, level, f"{key}_moderate_min", f"{key}_severe_min"
        )
        if band:
            # The instrument's band beside the planner's level: "PHQ-9 total 16: severe" read as
            # the PHQ-9 calling 16 severe, which it calls moderately severe (15-19).
            text = text.replace(f"total {total:g}: ", f"total {total:g} ({band_words(band)}): ", 1)
        _screened(c, problem, key, level, text, instrument_basis)
        return
    value = esas.get(problem)
    if value is not None and value >= act:
        level = c.banded(value, act, act, severe) or "moderate"
        text = f"ESAS-r {problem} " + c.rule_text(value, level, "esas_act_min", "esas_severe_min")
        c.problem(problem, level, f"{text}; no {instrument} total", c.cited("esas_act_min"))
        c.fact(
            f"esas_{problem}_unscreened",
            f"{text} and no {instrument} total",
            c.cited("esas_act_min"),
        )


def _screened(
    c: _Collector,
    problem: str,
    key: str,
    level: str,
    text: str,
    instrument_basis: tuple[Basis, ...],
) -> None:
    """A mood screen's level as the problem, its fact, and at severe the severe emotional
    symptom, each citing the cut-offs and the instrument."""
    basis = (*c.cited(f"{key}_moderate_min", f"{key}_severe_min"), *instrument_basis)
    c.problem(problem, level, text, basis)
    c.fact(f"{key}_severe" if level == "severe" else f"{key}_moderate", text, basis)
    if level == "severe":
        c.fact("severe_emotional_symptom", text, basis)


def band_words(band: str) -> str:
    """An instrument band label as words ("moderately_severe" -> "moderately severe")."""
    return band.replace("_", " ")


#: PHQ-9 answers 0-3 as how often (the response scale; the PHQ-9 is free to use)
_PHQ_ANSWERS = ("no days", "several days", "more than half the days", "nearly every day")


def _psychological(case: Case, screens: Screens, c: _Collector) -> None:
    esas = screens.esas
    act, severe = c.cut("esas_act_min"), c.cut("esas_severe_min")
    phq_basis = screens.cited("phq9")

    item9 = screens.phq9_item9
    item9_cut = c.cut("phq9_item9_min")
    if item9 is not None and item9 >= item9_cut:
        # what was found, in words: the answer and how often it means, not only the number
        how_often = _PHQ_ANSWERS[item9] if 0 <= item9 < len(_PHQ_ANSWERS) else f"answer {item9}"
        c.fact(
            "phq9_item9",
            f"PHQ-9 item 9 answered {item9} — thoughts of death or self-harm on {how_often} "
            f"(item 9 >= {item9_cut:g} raises the alert, whatever the total)",
            (*c.cited("phq9_item9_min"), *phq_basis),
        )
        c.problem(
            "depression",
            "severe",
            f"PHQ-9 item 9 = {item9}: thoughts of death or self-harm",
            (*c.cited("phq9_item9_min"), *phq_basis),
        )
    floor = None
    if item9 is None and screens.phq9_answered:
        # A blank item 9 is not "no risk": the question was not asked (or not answered).
        answered = screens.phq9_answered_sum or 0
        basis = (*c.cited("phq9_item9_min"), *phq_basis)
        c.fact(
            "phq9_item9_unasked",
            f"PHQ-9 item 9 (thoughts of death or self-harm) left blank while "
            f"{screens.phq9_answered} other items were answered: suicide risk not asked",
            basis,
        )
        c.gaps.append(
            Gap(
                "psychosocial.phq9[8]",
                "PHQ-9 item 9 not recorded: suicide risk not assessed — ask it today",
            )
        )
        moderate_cut = c.cut("phq9_moderate_min")
        if answered >= moderate_cut:
            c.fact(
                "phq9_item9_unasked_high",
                f"the answered PHQ-9 items already total {answered} >= {moderate_cut:g} "
                f"({settings_shown(c, 'phq9_moderate_min')}) with item 9 blank",
                (*c.cited("phq9_moderate_min"), *basis),
            )
        if screens.phq9_total is None and screens.phq9_answered_sum is not None:
            floor = screens.phq9_answered_sum
    _mood_screen(
        c,
        "depression",
        "PHQ-9",
        "phq9",
        screens.phq9_total,
        phq_basis,
        esas,
        act,
        severe,
        floor,
        screens.phq9_band,
    )
    _mood_screen(
        c,
        "anxiety",
        "GAD-7",
        "gad7",
        screens.gad7_total,
        screens.cited("gad7"),
        esas,
        act,
        severe,
        band=screens.gad7_band,
    )

    for item in EMOTIONAL_ESAS:
        value = esas.get(item)
        if value is not None and value >= severe:
            c.fact(
                "severe_emotional_symptom",
                f"ESAS-r {item} {value} >= {severe:g} ({settings_shown(c, 'esas_severe_min')})",
                c.cited("esas_severe_min"),
            )

    if screens.distress_positive:
        score = screens.distress_score
        assert score is not None
        severe_dt = c.cut("distress_severe_min")
        level = "severe" if score >= severe_dt else "moderate"
        text = f"distress thermometer {score} {screens.distress_cutoff or ''}".rstrip()
        if level == "severe":
            text += (
                f"; >= {severe_dt:g} shown as severe ({settings_shown(c, 'distress_severe_min')})"
            )
        basis = (*screens.cited("distress_thermometer"), *c.cited("distress_severe_min"))
        c.problem("distress", level, text, basis)
        c.fact("distress_positive", text, basis)


def _functional(case: Case, c: _Collector) -> None:
    clinical, function = case.clinical, case.function
    ecog = clinical.ecog if clinical is not None else None
    pps = function.pps_percent if function is not None else None
    if ecog is not None and ecog <= c.cut("ecog_exercise_max"):
        c.fact(
            "ecog_exercise_range",
            f"ECOG {ecog} <= {c.cut('ecog_exercise_max'):g} ({settings_shown(c, 'ecog_exercise_max')})",
            c.cited("ecog_exercise_max"),
        )
    low: list[str] = []
    if ecog is not None and ecog >= c.cut("ecog_low_function_min"):
        low.append(
            f"ECOG {ecog} >= {c.cut('ecog_low_function_min'):g} ({settings_shown(c, 'ecog_low_function_min')})"
        )
    if pps is not None and pps <= c.cut("pps_low_function_max"):
        low.append(
            f"PPS {pps} % <= {c.cut('pps_low_function_max'):g} ({settings_shown(c, 'pps_low_function_max')})"
        )
    if low:
        basis = c.cited("ecog_low_function_min", "pps_low_function_max")
        c.fact("low_function", "; ".join(low), basis)
        c.problem("reduced_mobility", "severe", "low function: " + "; ".join(low), basis)
    if "fatigue" in c.found and "ecog_exercise_range" in c.facts and not low:
        c.fact("deconditioned", "fatigue with performance status in the exercise range")
    mobility = function.mobility if function is not None else None
    if mobility in MOBILITY_SEVERITY:
        c.problem(
            "reduced_mobility",
            MOBILITY_SEVERITY[mobility],
            f"mobility: {mobility.replace('_', ' ')}",
        )
    falls = function.falls_past_3_months if function is not None else None
    if falls is not None and falls >= c.cut("falls_min"):
        text = f"{falls} fall(s) in the past 3 months >= {c.cut('falls_min'):g} ({settings_shown(c, 'falls_min')})"
        c.fact("falls", text, c.cited("falls_min"))
        c.problem("falls", "moderate", text, c.cited("falls_min"))
    disease = case.disease
    if disease is not None and disease.other_sites and "bone" in disease.other_sites:
        c.fact("bone_metastases", "bone metastases recorded")
    age = case.age_years()
    if age is not None and age >= c.cut("fatigue_drug_caution_age"):
        c.fact(
            "age_fatigue_drug_caution",
            f"age {age} >= {c.cut('fatigue_drug_caution_age'):g} ({settings_shown(c, 'fatigue_drug_caution_age')})",
            c.cited("fatigue_drug_caution_age"),
        )
    if ecog is None:
        c.gaps.append(
            Gap("clinical.ecog", "ECOG not recorded: exercise and function advice not tailored")
        )


def _social(case: Case, c: _Collector) -> None:
    psychosocial = case.psychosocial
    if psychosocial is None:
        c.gaps.append(Gap("psychosocial", "not assessed: psychological and social needs unknown"))
        return
    problems = psychosocial.problems or ()
    for area in ("practical", "family", "emotional", "spiritual"):
        if area in problems:
            c.fact(f"problem_list_{area}", f"problem list: {area} ticked")
    practical = [a for a in ("practical", "family") if a in problems]
    if practical:
        c.problem(
            "practical_needs",
            "moderate",
            answered(
                ", ".join(practical) + " ticked",
                "she asks for help with practical or family matters",
                PROBLEM_LIST,
            ),
        )
    if psychosocial.lives_alone:
        c.fact("lives_alone", "lives alone")
        c.problem(
            "practical_needs", "mild", answered("lives alone: yes", "no one at home to help daily")
        )
    if "spiritual" in problems:
        c.problem(
            "spiritual_distress",
            "moderate",
            answered(
                "spiritual ticked",
                "she asks for help with spiritual or religious concerns",
                PROBLEM_LIST,
            ),
        )
    if psychosocial.caregiver_strain:
        c.problem(
            "caregiver_strain",
            "moderate",
            answered(
                "the person caring for her is under strain: yes",
                "rated moderate, as no strain scale was scored; the carer needs support too",
            ),
        )


def _nutritional(case: Case, screens: Screens, c: _Collector) -> None:
    nutrition = case.nutrition
    intake = nutrition.intake if nutrition is not None else None
    if intake in INTAKE_SEVERITY:
        c.problem("anorexia", INTAKE_SEVERITY[intake], f"oral intake: {intake.replace('_', ' ')}")
    if "anorexia" in c.found:
        c.fact("appetite_loss", "; ".join(c.found["anorexia"].reasons), c.found["anorexia"].basis)

    loss, bmi = screens.weight_loss_6_months_percent, screens.bmi
    above = c.cut("weight_loss_percent_above")
    low_bmi_loss, low_bmi = c.cut("weight_loss_low_bmi_percent_above"), c.cut("low_bmi_below")
    severe_loss = c.cut("weight_loss_severe_percent_above")
    why = None
    # the two weights and their dates (the period is stated: the nurse's weight 6 months ago,
    # or the record's last weight and when it was measured)
    weights = f" ({screens.weight_loss_words})" if screens.weight_loss_words else ""
    if loss is not None and loss > above:
        why = f"weight loss {loss:.1f} %{weights} > {above:g} % ({settings_shown(c, 'weight_loss_percent_above')})"
    elif loss is not None and bmi is not None and loss > low_bmi_loss and bmi < low_bmi:
        why = (
            f"weight loss {loss:.1f} %{weights} > {low_bmi_loss:g} % with BMI {bmi:.1f} < {low_bmi:g} "
            f"({settings_shown(c, 'weight_loss_low_bmi_percent_above')}; {settings_shown(c, 'low_bmi_below')})"
        )
    if why is not None and loss is not None:
        basis = c.cited(
            "weight_loss_percent_above", "weight_loss_low_bmi_percent_above", "low_bmi_below"
        )
        level = "severe" if loss > severe_loss else "moderate"
        if level == "severe":
            why += f"; > {severe_loss:g} % shown as severe"
        c.fact("weight_loss_significant", why, basis)
        c.problem("weight_loss", level, why, basis)

    must = screens.must_score
    if must is not None and must >= c.cut("must_high_min"):
        c.fact(
            "must_high",
            f"MUST {must:g} >= {c.cut('must_high_min'):g} ({settings_shown(c, 'must_high_min')})",
            (*c.cited("must_high_min"), *screens.cited("must")),
        )
    pgsga = screens.pgsga_score
    if pgsga is not None:
        basis = (*c.cited("pgsga_dietitian_min", "pgsga_critical_min"), *screens.cited("pgsga_sf"))
        if pgsga >= c.cut("pgsga_critical_min"):
            c.fact(
                "pgsga_critical",
                f"PG-SGA SF {pgsga:g} >= {c.cut('pgsga_critical_min'):g} ({settings_shown(c, 'pgsga_critical_min')})",
                basis,
            )
        elif pgsga >= c.cut("pgsga_dietitian_min"):
            c.fact(
                "pgsga_dietitian",
                f"PG-SGA SF {pgsga:g} >= {c.cut('pgsga_dietitian_min'):g} ({settings_shown(c, 'pgsga_dietitian_min')})",
                basis,
            )


def _prognosis(case: Case, hepatic: HepaticAssessment, screens: Screens, c: _Collector) -> None:
    c.fact("advanced_cancer", "metastatic breast cancer (every patient of this planner)")
    clinical, function, disease = case.clinical, case.function, case.disease
    if clinical is not None and clinical.surprise_question_no:
        c.fact("surprise_question_no", "surprise question answered 'no'")
    pps = function.pps_percent if function is not None else None
    if pps is not None:
        for fact, name in (
            ("pps_goals_of_care", "pps_goals_of_care_max"),
            ("pps_end_of_life", "pps_end_of_life_max"),
        ):
            if pps <= c.cut(name):
                c.fact(
                    fact,
                    f"PPS {pps} % <= {c.cut(name):g} ({settings_shown(c, name)})",
                    c.cited(name),
                )
    else:
        c.gaps.append(
            Gap(
                "function.pps_percent",
                "PPS not recorded: goals-of-care triggers by PPS not checked",
            )
        )
    ppi = screens.ppi_score
    if ppi is not None:
        for fact, name in (
            ("ppi_goals_of_care", "ppi_goals_of_care_above"),
            ("ppi_end_of_life", "ppi_end_of_life_above"),
        ):
            if ppi > c.cut(name):
                inputs = f"; {screens.ppi_reason}" if screens.ppi_reason else ""
                c.fact(
                    fact,
                    f"PPI {ppi:g} > {c.cut(name):g} ({settings_shown(c, name)}){inputs}",
                    (*c.cited(name), *screens.cited("ppi")),
                )

    # LOC-2 / LOC-8: MDT referral for liver-directed therapy in selected liver-only disease.
    if disease is None or clinical is None:
        return
    ecog = clinical.ecog
    ecog_max = c.cut("liver_directed_ecog_max")
    excluded = (
        "hepatic_visceral_crisis" in c.facts
        or "hepatic_visceral_crisis_watch" in c.facts
        or "severe_hepatic" in c.facts
        or "biliary_obstruction" in c.facts
        or "ppi_goals_of_care" in c.facts
    )
    if (
        disease.liver_metastases
        and disease.liver_lesions in ("single", "few")
        and disease.other_sites == ()
        and ecog is not None
        and ecog <= ecog_max
        and clinical.ascites == "none"
        and clinical.encephalopathy == "none"
        and hepatic.visceral_crisis == "no"
        and not excluded
    ):
        c.fact(
            "liver_directed_candidate",
            f"liver-only disease, {disease.liver_lesions} lesion(s), ECOG {ecog} <= {ecog_max:g} "
            f"({settings_shown(c, 'liver_directed_ecog_max')}), no ascites, encephalopathy or visceral "
            "crisis: if disease is stable or responding and the patient wants local therapy",
            c.cited("liver_directed_ecog_max"),
        )


def _kidney(kidney: KidneyFunction | None, c: _Collector) -> None:
    """CrCl bands ([[crcl_band]] rows) as facts; a CrCl that cannot be trusted is `crcl_unknown`,
    so the advice written for low CrCl is shown (never the advice for normal kidneys)."""
    crcl = None if kidney is None else kidney.crcl_ml_min
    if kidney is None or crcl is None or kidney.doubtful:
        if kidney is not None and kidney.doubtful:
            why = "creatinine doubted (possible unit mix-up)"
        elif kidney is not None and kidney.missing:
            why = ", ".join(kidney.missing) + " not recorded"
        else:
            why = "not calculated"
        c.fact(
            "crcl_unknown",
            f"creatinine clearance unknown ({why}): the advice for CrCl below 30 mL/min is shown "
            "until it is known",
            () if kidney is None else kidney.basis,
        )
        return
    for band in c.tables.crcl_bands:
        if band.holds(crcl):
            c.fact(
                band.fact,
                f"CrCl {crcl:.0f} mL/min (Cockcroft–Gault): {band.text}",
                (*band.basis, *kidney.basis),
            )


def _body(case: Case, c: _Collector) -> None:
    age = case.age_years()
    age_min = c.cut("older_adult_age_min")
    if age is None:
        c.fact(
            "older_adult",
            "age not recorded: the advice for older adults is shown",
            c.cited("older_adult_age_min"),
        )
    elif age >= age_min:
        c.fact(
            "older_adult",
            f"age {age} >= {age_min:g} ({settings_shown(c, 'older_adult_age_min')})",
            c.cited("older_adult_age_min"),
        )
    weight = case.body.weight_kg if case.body is not None else None
    below = c.cut("low_body_weight_below_kg")
    if weight is None:
        c.fact(
            "low_body_weight",
            "weight not recorded: the weight-based paracetamol ceiling is shown",
            c.cited("low_body_weight_below_kg"),
        )
    elif weight < below:
        c.fact(
            "low_body_weight",
            f"weight {weight:g} kg < {below:g} kg ({settings_shown(c, 'low_body_weight_below_kg')})",
            c.cited("low_body_weight_below_kg"),
        )


def _paracetamol_risk(c: _Collector) -> None:
    """Risk factors for paracetamol liver toxicity other than liver disease itself (the label's
    list: low weight, chronic malnutrition, dehydration; severe renal impairment lengthens the
    interval; frailty by performance status). Liver impairment has its own row."""
    found = [
        c.facts[name]
        for name in (
            "low_body_weight",
            "weight_loss_significant",
            "must_high",
            "pgsga_critical",
            "renal_severe",
            "low_function",
        )
        if name in c.facts
    ]
    if found:
        c.fact(
            "paracetamol_risk",
            "risk factors for paracetamol toxicity: " + "; ".join(f.reason for f in found),
            # the paracetamol labels that list these risk factors (walk 16d: the facts' own
            # sources put the KDIGO NSAID guideline under a paracetamol warning)
            c.cited("low_body_weight_below_kg"),
        )


def _plan_needs(case: Case, c: _Collector) -> None:
    """Needs that follow from the case and the rest of the plan rather than from a symptom:
    bone health with bone metastases, G-CSF with a regimen whose label recommends it,
    thromboprophylaxis with reduced mobility."""
    if "bone_metastases" in c.facts:
        c.problem(
            "bone_health",
            "moderate",
            answered(
                "bone metastases: yes",
                "bones at risk of fracture; bone health care is due",
                "her disease record",
            ),
        )
        # The zoledronic acid dose for this CrCl (label bands) is part of what was found.
        for band in (
            "zoledronic_full_dose",
            "zoledronic_reduced_dose",
            "zoledronic_not_recommended",
        ):
            if band in c.facts:
                # (its basis is the label the agent row already cites)
                c.problem("bone_health", "moderate", c.facts[band].reason)
    clinical = case.clinical
    if "gcsf_primary_regimen_in_plan" in c.facts:
        gcsf = c.facts["gcsf_primary_regimen_in_plan"]
        ugt = clinical.ugt1a1 if clinical is not None else None
        if ugt == "homozygous_28":
            c.fact("ugt1a1_homozygous", "UGT1A1*28/*28 (homozygous) recorded")
        elif ugt in (None, "unknown"):
            c.fact("ugt1a1_unknown", "UGT1A1 genotype not recorded")
            c.gaps.append(
                Gap(
                    "clinical.ugt1a1",
                    "UGT1A1 genotype not recorded: the higher neutropenia risk of *28/*28 with "
                    "sacituzumab govitecan is not judged",
                    gcsf.drugs,
                )
            )
        severity = "severe" if "ugt1a1_homozygous" in c.facts else "moderate"
        c.problem("neutropenia_risk", severity, gcsf.reason, gcsf.basis, gcsf.drugs)
    if "capecitabine_in_plan" in c.facts:
        # her booklet and cycle sheet list when she stops the tablets and calls (for_drugs: the
        # advice goes when capecitabine is not given)
        tablets = c.facts["capecitabine_in_plan"]
        c.problem(
            "oral_chemotherapy_safety", "moderate", tablets.reason, tablets.basis, tablets.drugs
        )

    function = case.function
    mobility = function.mobility if function is not None else None
    ecog = clinical.ecog if clinical is not None else None
    why: list[str] = []
    if mobility in ("chair_bound", "bed_bound"):
        why.append(f"mobility: {mobility.replace('_', ' ')}")
    if ecog is not None and ecog >= c.cut("ecog_low_function_min"):
        why.append(
            f"ECOG {ecog} >= {c.cut('ecog_low_function_min'):g} "
            f"({settings_shown(c, 'ecog_low_function_min')})"
        )
    if why:
        reason = "reduced mobility with active cancer: " + "; ".join(why)
        c.fact("immobile", reason, c.cited("ecog_low_function_min"))
        c.problem("thrombosis_risk", "moderate", reason, c.cited("ecog_low_function_min"))
        labs = case.labs
        platelets = labs.platelets if labs is not None else None
        floor = c.cut("lmwh_platelets_min")
        if platelets is None:
            c.fact(
                "platelets_unknown",
                "platelet count not recorded: anticoagulant prophylaxis cannot be judged safe",
            )
        elif platelets.value < floor:
            c.fact(
                "lmwh_platelets_low",
                f"platelets {platelets.value:g} x 10^9/L < {floor:g} "
                f"({settings_shown(c, 'lmwh_platelets_min')})",
                c.cited("lmwh_platelets_min"),
            )
