"""The family booklet's words about medicines (issue 18 split of `reports/booklet.py`): never a
dose (`strip_doses` drops any sentence carrying an amount), how often and by which route from the
dose table's own words, the decided tablets, the treatment section as decided (never an unsigned
suggestion: rule 7), the label's "stop the tablets and call us" list, and the write-in lines for
a daily most the doctor or nurse fills in (the booklet prints no amount: rule 3).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from planner.domain.dose_tables import ROUTE_WORDS
from planner.domain.plan_document import DrugRow, PlanDocument, RegimenOption, SupportiveItem
from planner.reports.booklet_blocks import Block, Section
from planner.reports.formatting import text, unique
from planner.reports.next_cycle import on_treatment, patient_words
from planner.reports.plan_input import Plan, document_of

DOSE_PATTERN = re.compile(
    r"\d[\d.,]*\s*(?:mg|mcg|µg|microgram|g\b|ml|mL|units?\b|mmol|auc|%|mg/m2|mg/kg|tablets? of \d)",
    re.IGNORECASE,
)


SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def strip_doses(plain: str) -> str:
    """Drop any sentence that carries an amount, so a dose can never reach the booklet."""
    sentences = SENTENCE_END.split(plain.strip())
    return " ".join(s for s in sentences if s and not DOSE_PATTERN.search(s))


def how_often(drug: DrugRow, cycle: int | None = None) -> str:
    """How often, in the booklet's words: the dose table's own `patient_words` for the schedule
    the plan gives (drugs[].given), never words recognised in the schedule's prose; for a
    `cycle` of a course, that cycle's (`given.later` from its `from_cycle` on: fulvestrant's
    loading doses are the first month only)."""
    given = drug.given
    if given is None:
        return ""
    later = given.later
    if later is not None and cycle is not None and cycle >= later.from_cycle:
        return later.patient_words
    return given.patient_words or ""


def _route(drug: DrugRow, oral: bool | None) -> str:
    route = ROUTE_WORDS.get((drug.given.route if drug.given else None) or "", "")
    return route or (ROUTE_WORDS["orally"] if oral else "")


def _held(drug: DrugRow) -> bool:
    """The clinician held this drug (plan as decided)."""
    return drug.decided is not None and drug.decided.action == "hold"


def tablets_words(drug: DrugRow) -> str:
    """The decided tablets she takes each time ("1500 mg = 3 × 500 mg tablets"), or "" when the
    drug is not taken as tablets or the plan gives no dose (held, stopped, not calculated)."""
    if drug.dose is None or _held(drug):
        return ""
    tablets = drug.absolute_dose.tablets if drug.absolute_dose else None
    return (tablets.text if tablets else None) or ""


def drug_line(drug: DrugRow, oral: bool | None, decided: bool = False) -> str:
    """One drug in her words; the tablets she takes only once the treatment is decided (a
    suggestion is not yet her dose)."""
    name = drug.drug.capitalize()
    if _held(drug):
        return f"<b>{text(name)}</b>: not for now. Your doctor has paused it."
    route = _route(drug, oral)
    often = how_often(drug)
    line = f"<b>{text(name)}</b>"
    if route:
        line += f": {text(route)}"
    tablets = tablets_words(drug) if decided else ""
    if tablets:
        line += f". Each time: <b>{text(tablets)}</b>"
    if often:
        line += f". You have it {text(often)}."
    else:
        line += ". Your team will tell you how often."
    return line


def chosen_option(plan: PlanDocument) -> RegimenOption | None:
    """The option the booklet talks about: the decided one only. An unsigned suggestion is not
    her plan (rule 7): the booklet names no cancer drug until the clinician has decided."""
    course = plan.course
    return course.option if course.decision is not None else None


SUPPORTIVE_CARE_DECIDED = [
    "Right now, your care is about helping you feel as well as you can. We will ease pain and "
    "other problems, and support you and your family.",
    "You will not have medicine to treat the cancer for now. You and your doctor talked about "
    "this. You can talk about it again at any time.",
]


SUPPORTIVE_CARE_SUGGESTED = [
    "Right now, your team thinks your care should be about helping you feel as well as you can. "
    "We will ease pain and other problems, and support you and your family.",
    "Medicine to treat the cancer may do more harm than good just now. Your doctor will talk "
    "with you about this. It is your choice too.",
]


STILL_PLANNING = [
    "Your team is still planning your cancer treatment. They need some more test results first.",
    "Your doctor will talk with you about the choices. It is your choice too.",
]


# A suggestion the clinician has not yet decided: no drug named, no "other choices" (a count of
# options reads as a menu to a frightened family), only that the doctor will talk it through.
NOT_YET_DECIDED = [
    "Your doctor will talk with you about medicine to treat the cancer. Nothing has been decided "
    "yet. It is your choice too. You can ask for more time.",
]


#: the decided treatment's aim, in the words the clinician chose for this patient
#: (planner.domain.decision.AIM_WORDINGS); "" (not chosen) and "conversation" say nothing of
#: cure either way: the doctor says it in person.
AIM_SENTENCES = {
    "not_cure": "This treatment will not cure the cancer. It aims to slow the cancer down and "
    "help you feel better for longer.",
    "control": "This treatment aims to keep the cancer under control and help you feel well.",
    "conversation": "Your doctor will talk with you about what this treatment can do for you.",
    "": "Your doctor will talk with you about what this treatment can do for you.",
}


def _dose_words(drugs: Sequence[DrugRow]) -> list[str]:
    """What the decision did to a dose, in her words (the amounts are on the cycle sheet)."""
    changed = [
        d.drug.capitalize()
        for d in drugs
        if d.decided is not None and d.decided.action == "change_dose"
    ]
    said = []
    if changed:
        said.append(f"Your doctor has chosen the amount of {text(' and '.join(changed))} for you.")
    reduced = any(d.status == "reduced" and not _held(d) for d in drugs)
    if reduced and not changed:
        said.append(
            "Your liver is not working as well as it should. So you will have a lower amount of "
            "some medicines. This is to keep you safe."
        )
    return said


def treatment_section(plan: Plan) -> Section:
    """Follows the decision, never a gap and never an unsigned suggestion: a missing test result
    says the team is still planning, not that the team wants to focus on comfort; a suggestion
    not yet decided names no drug."""
    plan = document_of(plan)
    if on_treatment(plan):  # on treatment: this cycle, in words (the cycle sheet has doses)
        return Section("Your treatment this time", [Block("p", patient_words(plan))])
    course = plan.course
    if course.supportive_care_first:
        said = SUPPORTIVE_CARE_DECIDED if course.decision is not None else SUPPORTIVE_CARE_SUGGESTED
        return Section("Your care now", [Block("p", list(said))])
    if course.option is None:
        return Section("Your treatment", [Block("p", list(STILL_PLANNING))])
    if course.decision is None:
        return Section("Your treatment", [Block("p", list(NOT_YET_DECIDED))])
    option = course.option
    drugs = option.drugs
    aim = AIM_SENTENCES.get(course.decision.aim_wording, AIM_SENTENCES[""])
    blocks = [
        Block("p", [f"You and your doctor have chosen this treatment for the cancer. {aim}"]),
        Block("bullets", [drug_line(d, option.oral, True) for d in drugs]),
        Block("p", _dose_words(drugs)),
        Block(
            "p",
            [
                "You will have blood tests often. They show how your liver is doing and if the "
                "medicine is safe for you. You can stop or ask for more time at any point."
            ],
        ),
    ]
    return Section("Your treatment", [b for b in blocks if b.items])


def all_drugs(plan: PlanDocument) -> set[str]:
    """The drugs given now: the chosen option's, without any the clinician held."""
    option = chosen_option(plan)
    return {d.drug for d in (option.drugs if option else ()) if not _held(d)}


#: the supportive problem whose advice is when she stops her chemotherapy tablets and calls: it
#: belongs in "When to call us", not "How we will help you feel better"
TABLET_STOP_PROBLEM = "oral_chemotherapy_safety"


#: the end of one sign's sentence in that advice (its lead ends in ":", each sign in ".")
_SIGN_END = re.compile(r"(?<=\.)\s+")


def tablet_stop_blocks(plan: PlanDocument, given: Iterable[str]) -> list[Block]:
    """The label's "stop the tablets and call us" list for each tablet drug `given` (the plan as
    decided, or the course's drug), from the plan's supportive advice
    (supportive_interventions.toml): its lead (up to ":"), then its signs, one sentence each, as
    a list."""
    given = set(given)
    blocks: list[Block] = []
    for item in plan.supportive:
        if item.problem != TABLET_STOP_PROBLEM:
            continue
        if not given & set(item.for_drugs):
            continue
        for found in intervention_texts(item):
            lead, _, rest = found.partition(":")
            items = [part.strip() for part in _SIGN_END.split(rest) if part.strip()]
            if not items:
                blocks.append(Block("p", [text(found)]))
                continue
            blocks.append(Block("p", [f"<b>{text(lead)}:</b>"]))
            blocks.append(Block("bullets", [text(i) for i in items]))
    return blocks


def patient_texts(value: str | Iterable[str] | None) -> list[str]:
    """`patient_text` as the plan gives it (one text or several), doses dropped."""
    found = [value] if isinstance(value, str) else list(value or [])
    return [t for t in (strip_doses(v) for v in found if v) if t]


def intervention_texts(item: SupportiveItem) -> list[str]:
    """The family's words of a problem's advice: the item's own, then each intervention's
    (a kept older plan's `{text, patient_text}` interventions are read as details)."""
    found = patient_texts(item.patient_text)
    for detail in item.intervention_details:
        found += patient_texts(detail.patient_text)
    return unique(found)


# A "no more than" limit in the advice (the paracetamol ceiling in liver impairment, where the
# sources differ and the plan gives no one number; ondansetron's daily cap): the booklet prints
# no amount, so each gets a line the doctor or nurse writes the clinic's own number on, labelled
# as theirs. The printed plan's ceiling stays on the clinician section.
LIMIT = re.compile(r"\b(?:no|not) more\b[^.]*\bthan\b", re.IGNORECASE)


LIMIT_WRITE_IN = "______________"


#: drugs whose extra ("breakthrough") doses have a daily most the doctor writes in
OPIOIDS = frozenset(
    {"morphine", "oxycodone", "hydromorphone", "fentanyl", "tramadol", "buprenorphine", "methadone"}
)


def medicine_texts(item: SupportiveItem) -> dict[str, list[str]]:
    """The drugs each piece of a problem's advice (as printed, doses dropped) is about."""
    found: dict[str, list[str]] = {}
    for detail in item.intervention_details:
        for said in patient_texts(detail.patient_text):
            found.setdefault(said, []).extend(d for d in detail.drugs if d)
    return found


def limit_line(drug: str) -> str:
    """The line the doctor or nurse writes a drug's daily most on, labelled as theirs."""
    return (
        f"<b>Most {text(drug)} in 24 hours, from all your medicines:</b> {LIMIT_WRITE_IN} "
        # a line left blank left the family without the limit (walk 21 F2): say what to do
        "(your doctor or nurse writes this). If this line is blank, ask us."
    )


def dose_limit_lines(item: SupportiveItem, shown: Sequence[str]) -> list[str]:
    """The write-in lines for the dose limits in a problem's advice: one per drug whose advice
    says "no more … than" (printed or not: an amount in it drops the sentence, never the line),
    and one for extra doses of strong pain medicine beside opioid advice that is `shown`."""
    lines: list[str] = []
    for detail in item.intervention_details:
        drugs = [d for d in detail.drugs if d]
        if LIMIT.search(detail.patient_text or ""):
            lines += [limit_line(d) for d in drugs]
        if OPIOIDS & set(drugs) and set(patient_texts(detail.patient_text)) & set(shown):
            lines.append(
                "<b>Extra doses of strong pain medicine, most in 24 hours:</b> "
                f"{LIMIT_WRITE_IN} (your doctor or nurse writes this)"
            )
    return unique(lines)
