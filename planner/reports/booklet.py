"""The patient-and-family booklet: plain words, large type, what to do and whom to call.

Why one module: the booklet is one document a family reads through; `booklet_content` builds its
sections from one plan in one pass, and what one section says the others leave out (a dose-limit
line is written once, a sentence of advice said once), then `booklet_section` lays them out
together. Its words about medicines are `reports/booklet_medicines.py`.

The wording is built first as plain data (`booklet_content`), then laid out (`booklet_section`),
so tests can measure the reading grade of exactly what is printed. Rules:

- Everyday words, short sentences (reading grade 8 or lower), type 12 pt or larger.
- Drug names and how often only: never a dose. Schedules are *recognised* into plain phrases,
  never copied; `patient_text` from the plan is used when present, and any sentence in it that
  carries an amount (mg, mL, …) is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer

from planner.domain.plan_document import PlanDocument, SupportiveItem
from planner.domain.plan_words import URGENCY_PLAIN
from planner.domain.supportive_tables import PROBLEM_DOMAINS
from planner.reports import styles
from planner.reports.allergies import booklet_sentences
from planner.reports.booklet_blocks import Block, Section
from planner.reports.booklet_medicines import (
    LIMIT,
    SENTENCE_END,
    TABLET_STOP_PROBLEM,
    all_drugs,
    chosen_option,
    dose_limit_lines,
    intervention_texts,
    limit_line,
    medicine_texts,
    patient_texts,
    tablet_stop_blocks,
    treatment_section,
)
from planner.reports.formatting import date, friendly_name, text, words
from planner.reports.next_cycle import given_this_cycle
from planner.reports.plan_input import Plan, document_of
from planner.reports.tables import IfRoom, boxed, para, write_in_lines

#: the services the booklet names (never PRIVATE_SERVICES), in her words
PLAIN_SERVICES = {
    "dietitian": (
        "a dietitian",
        "A dietitian helps you find foods you can eat and enjoy, so you keep your strength.",
    ),
    "physiotherapy": (
        "a physiotherapist",
        "A physiotherapist helps you move safely and keep your strength. They can help you not fall.",
    ),
    "palliative_care": (  # the name the team gives on the phone and the plan's words use
        "the palliative care team",
        "This team helps with pain and other symptoms, so you feel as well as you can.",
    ),
    "oncology": (
        "your cancer doctor",
        "Your cancer doctor plans and checks your cancer treatment.",
    ),
    "hepatology": ("a liver doctor", "A liver doctor checks how your liver is working."),
    "interventional_radiology": (
        "a scan doctor",
        "This doctor uses scans to guide small procedures, such as draining fluid.",
    ),
    "pharmacist": ("a pharmacist", "A pharmacist checks that your medicines work well together."),
}

REFERRAL_SENTENCES = 1  # of the plan's plain words per referral (the rest say the same again)

# What she answered on the psychosocial screen is hers (review 16c finding 14). The booklet is
# read by "<name> and family": it never says what she told us (thoughts of self-harm, mood,
# worry, distress, money, family or faith), neither in words nor by a section or referral that
# appears only because of an answer. The psychological and social problems and the services
# they refer to are on the clinician section and the slips; every booklet carries the same crisis
# line and the same offer of support instead (docs/decisions.md "The booklet keeps her answers").
PRIVATE_DOMAINS = frozenset({"psychological", "social"})
PRIVATE_SERVICES = frozenset({"psychology", "psychiatry", "social_work", "spiritual_care"})
SUPPORT_TITLE = "Support for you and your family"
SUPPORT = [
    "Feeling low, worried or stressed is common, for families too. Ask us for someone to talk "
    "to, or for help with money, care at home or faith. Carers can get help too. "
    # a family told of no social worker did not know who was calling (walk 21 F2); said to
    # every family, it names no referral her answers made
    "A social worker or a counsellor may also call you.",
]
CRISIS_LINE = (
    "<b>If you or someone at home feels unsafe, or has thoughts of self-harm, call us now, or go "
    "to the nearest emergency room.</b>"
)
NOTE_LINES = 4

#: each problem's heading and words when the plan gives none (never a psychological or social
#: problem: PRIVATE_DOMAINS)
PLAIN_PROBLEMS = {
    "pain": (
        "Pain",
        "We will help ease your pain. Take pain medicine at set times, as your team tells you. Tell us if it does not help.",
    ),
    "fatigue": (
        "Feeling tired",
        "Tiredness is common. Rest when you need to. A short walk each day can give you more energy.",
    ),
    "nausea": (
        "Feeling sick",
        "We can give you medicine to stop you feeling sick. Eat small meals. Sip drinks often.",
    ),
    "pruritus": (
        "Itchy skin",
        "Use a plain skin cream each day. Wash in cool water. Wear loose cotton clothes.",
    ),
    "jaundice": (
        "Yellow skin or eyes",
        "Your liver may not be working well. We will check your blood and tell you what we find.",
    ),
    "ascites": (
        "Swollen belly",
        "Fluid can build up in the belly. We can drain it if it makes you feel tight or short of breath.",
    ),
    "encephalopathy": (
        "Confusion",
        "The liver can cause confusion or sleepiness. Your family should call us if this gets worse.",
    ),
    "anorexia": (
        "Poor appetite",
        "Eat small meals often. Eat what you like, when you feel like it.",
    ),
    "weight_loss": (
        "Weight loss",
        "You have lost some weight. We will weigh you at each visit and help you eat well.",
    ),
    "breathlessness": (
        "Short of breath",
        "Sit up and rest. A fan on your face can help. Tell us if it gets worse.",
    ),
    "constipation": (
        "Hard stools",
        "Drink plenty. Ask us which laxative to take. Tell us if you do not go for 3 days.",
    ),
    "drowsiness": ("Sleepiness", "Tell us if you feel very sleepy. Some medicines can do this."),
    "falls": ("Falls", "You have had a fall. We want to help you stay safe at home."),
    "reduced_mobility": (
        "Moving about",
        "We want to help you move about safely and keep your strength.",
    ),
    "bone_health": (
        "Your bones",
        "The cancer has reached your bones. We will help keep your bones as strong as we can.",
    ),
    "thrombosis_risk": (
        "Blood clots",
        "Moving less can cause blood clots. Tell us at once about a swollen, painful leg or "
        "sudden shortness of breath.",
    ),
    "neutropenia_risk": (
        "Infections",
        "Your treatment can make it harder to fight infections. Call us at once if you have a "
        "temperature.",
    ),
}

NO_BREAK_SPACE = "\u00a0"


#: what a finding about her medicine means, in her words (plan `medication_findings[].kind`);
#: an interaction's words depend on whether a cancer medicine is decided (`_why_change`)
WHY_CHANGE = {"caution": "It can harm your liver."}
# Said without blame (walk 21 F2: the daughter who gave her the remedy read "It can harm your
# liver" as "you harmed her"); the clinician page asks the nurse to say it kindly too.
HERB_ADVICE = (
    "Many people take these to help. You could not have known. Ask us before you take any "
    "herb, tea or new medicine."
)
STOP_SAFELY = "Ask us how to stop it safely."
KEEP_TAKING = "Do not stop it on your own. Keep taking it until we tell you what to do."


def _why_change(
    plan: PlanDocument, name: str, action: str, anticancer: set[str], decided: bool
) -> str:
    """Why a medicine is to change, from the plan's findings about it that ask this action."""
    for finding in plan.medication_findings:
        if name not in finding.taken or finding.action != action:
            continue
        kind = finding.kind
        if kind == "interaction":
            if anticancer & set(finding.suggested):
                # undecided: no cancer drug is hers yet, and the booklet names none (rule 7)
                return (
                    "It changes how your cancer medicine works."
                    if decided
                    else "It changes how cancer medicines work."
                )
            return "It does not mix well with another medicine in your plan."
        if kind in WHY_CHANGE:
            return WHY_CHANGE[kind]
    return ""


def _medicines(plan: PlanDocument) -> tuple[Section | None, list[str]]:
    """The medicines and remedies she takes that the plan says to change or stop (contract §2a
    `medications[].action`), in plain words, and the dose-limit lines it writes: never a
    medicine the plan does not name, never one she goes on taking as before (review 16c
    finding 12). A prescribed medicine is never stopped on her own (stopping some at once is
    harm); a remedy is stopped. No amount is printed: the paracetamol ceiling in liver
    impairment is where the sources differ, so the doctor or nurse writes the clinic's number."""
    decided = plan.decision is not None
    anticancer = {d.drug for o in plan.options for d in o.drugs} | set(plan.current_therapy)
    said: list[str] = []
    limits: list[str] = []
    seen: set[str] = set()
    remedy_stopped = False
    for entry in plan.medications:
        action = str(entry.action or "")
        name = entry.drug.strip()
        if action not in ("change", "stop") or not name or name.lower() in seen:
            continue
        seen.add(name.lower())
        if name.lower() == "paracetamol" and any(
            f.kind == "paracetamol_total" and f.action == action for f in plan.medication_findings
        ):
            box = f" ({text(entry.written)})" if entry.written else ""
            said.append(
                f"<b>Paracetamol{box}:</b> you take more than is safe for your liver. Take no more "
                "paracetamol a day than your doctor or nurse writes here, counting all the "
                "medicines that contain it. Many cold and flu pills have it."
            )
            limits.append(limit_line("paracetamol"))
            continue
        why = _why_change(plan, name, action, anticancer, decided)
        # the brand on her box beside the medicine's name (print24: "Dolo 650")
        box = f" ({text(entry.written)})" if entry.written else ""
        named = f"<b>{text(name[:1].upper() + name[1:])}{box}:</b>"
        if entry.kind == "remedy":  # as she wrote it, and stopped by her
            remedy_stopped = True
            parts = [f"<b>Stop taking {text(name)}.</b>", why]
        elif action == "stop":
            parts = [f"{named} your doctor wants you to stop it.", why, STOP_SAFELY]
        else:
            parts = [f"{named} your doctor will change this medicine.", why, KEEP_TAKING]
        said.append(" ".join(part for part in parts if part))
    if not said:
        return None, []
    blocks = [Block("bullets", said)]
    if remedy_stopped:
        blocks.append(Block("p", [HERB_ADVICE]))
    if limits:
        blocks.append(Block("limits", limits))
    return Section("Your medicines", blocks), limits


def watch_for(plan: Plan, clinic: Mapping[str, Any], course_drugs: Iterable[str] = ()) -> Section:
    """Whom to call and when. The tablets' stop list shows for a drug the plan as decided gives
    (never a suggestion not yet decided), or for `course_drugs` (the cycle sheet's course)."""
    plan = document_of(plan)
    problems = {s.problem for s in plan.supportive}
    # the decided option's drugs (none before a decision) and the course's given now
    drugs = all_drugs(plan) | set(course_drugs)
    stop = tablet_stop_blocks(plan, drugs)
    chosen = chosen_option(plan)
    chemo = bool(chosen is not None and chosen.chemotherapy) or bool(
        drugs
        & {
            "paclitaxel",
            "nab-paclitaxel",
            "eribulin",
            "capecitabine",
            "docetaxel",
            "trastuzumab deruxtecan",
            "sacituzumab govitecan",
            "vinorelbine",
            "pegylated liposomal doxorubicin",
            "carboplatin",
            "gemcitabine",
        }
    )
    signs = [
        "A temperature of 38 °C or higher, or you feel hot and shaky."
        + (" This is urgent with your treatment." if chemo else ""),
        "Your skin or the whites of your eyes turn yellow.",
        "Your pee is dark, or your stools are pale.",
        "You feel confused, or very sleepy. Your family may see this first.",
        "Your belly swells up, or you get short of breath.",
        "You bleed or bruise easily, or your stools are black.",
        "You throw up and cannot keep drinks down for a day.",
        "Pain that your medicine does not ease.",
    ]
    if drugs & {"capivasertib", "alpelisib", "inavolisib", "everolimus"}:
        signs.append("You feel very thirsty, or you pee much more than normal.")
    if "falls" in problems or "reduced_mobility" in problems:
        signs.append("You fall, or you cannot get up.")
    signs.append("You feel very low, or you feel you cannot cope.")
    phone = clinic.get("phone")
    # With no number in the clinic settings the family still needs one: the box says in words
    # that it was not set and gives a line the nurse writes it on (docs/decisions.md "A missing
    # clinic phone"), never a bare "call your clinic" or an empty number.
    not_set = "not set — ask your nurse: ______________"
    call = [
        f"<b>Call the clinic: {text(phone)}</b>"
        if phone
        else f"<b>Clinic phone number:</b> {not_set}"
    ]
    if clinic.get("out_of_hours_phone"):
        call.append(f"<b>At night or at the weekend: {text(clinic['out_of_hours_phone'])}</b>")
    else:
        call.append(f"<b>At night or at the weekend:</b> {not_set}")
    # never "call an ambulance" with no number: the clinic's emergency number, else a line for it
    emergency = str(clinic.get("emergency_phone") or "").strip()
    call.append(
        "If you cannot breathe, have chest pain, or pass out, call for an ambulance now: "
        + (f"<b>{text(emergency)}</b>." if emergency else "<b>Emergency number:</b> ______________")
    )
    # for everyone, never only after a positive item 9: its presence must tell the family nothing
    call.append(CRISIS_LINE)
    blocks = [
        Block("p", ["Call us straight away if you have any of these:"]),
        Block("bullets", signs),
        *stop,
        Block("call", call),
    ]
    return Section("When to call us", blocks)


#: pieces of advice per problem in the booklet (the clinician section has them all)
TEXTS_PER_PROBLEM = 3
MUST_SAY = re.compile(r"\bdo not\b|\bnever\b|\bcall us\b", re.IGNORECASE)


def _kept_texts(texts: Sequence[str], medicines: Mapping[str, Sequence[str]]) -> list[str]:
    """At most TEXTS_PER_PROBLEM pieces of a problem's advice, in the plan's order: every limit
    ("no more … than") and every "do not" first, then advice about a medicine, then the rest as
    room allows (a booklet a family reads, not the whole plan)."""
    must = [t for t in texts if LIMIT.search(t) or MUST_SAY.search(t)]
    others = [t for t in texts if t not in must]
    room = max(TEXTS_PER_PROBLEM - len(must), 0)
    chosen = [t for t in others if medicines.get(t)] + [t for t in others if not medicines.get(t)]
    kept = set(must) | set(chosen[:room])
    return [t for t in texts if t in kept]


def _private(item: SupportiveItem) -> bool:
    """A psychological or social problem: raised only by what she answered (PRIVATE_DOMAINS)."""
    return (item.domain or PROBLEM_DOMAINS.get(item.problem)) in PRIVATE_DOMAINS


#: the warning a piece of advice opens with ("Do not take ibuprofen"): said once in the booklet
WARNING_OPENING = re.compile(r"^\s*(do not take \w+|stop taking \w+)", re.IGNORECASE)


def once_each(texts: Sequence[str], seen: set[str] | None = None) -> list[str]:
    """The texts with each sentence said once: two pieces of advice ending in the same warning
    ("Tell us if you feel very sleepy or muddled") print it once (review 16c finding 13); a
    piece that opens with a warning already given ("Do not take ibuprofen …" after the allergy's
    "Do not take ibuprofen, diclofenac …") is left out whole, its reasons with it (nurse walk:
    printed twice). `seen`: shared across the booklet's sections, so no problem repeats another."""
    seen = set() if seen is None else seen
    out = []
    for found in texts:
        opening = WARNING_OPENING.match(found)
        if opening:
            warning = "warning:" + opening.group(1).lower()
            if warning in seen:
                continue
            seen.add(warning)
        kept = []
        for sentence in SENTENCE_END.split(found.strip()):
            if sentence and sentence not in seen:
                seen.add(sentence)
                kept.append(sentence)
        if kept:
            out.append(" ".join(kept))
    return out


def _feel_better(
    plan: PlanDocument,
    symptoms: Mapping[str, Any] | None = None,
    written: Iterable[str] = (),
) -> Section | None:
    """A section per problem the nurse recorded, never for a symptom she recorded "no"
    (pruritus, jaundice, constipation) that a rule raised from other findings (a family reading
    "Yellow skin or eyes" takes it as a new sign; the clinician section still shows where it came
    from), nor for one scored "none". A gap is no section: nothing says all is well. No
    psychological or social problem (what she answered is hers: PRIVATE_DOMAINS). A dose-limit
    line already `written` in the booklet (the medicines to change) is not written twice."""
    items = plan.supportive
    if not items:
        return None
    blocks = []
    seen: set[str] = set()
    said: set[str] = set()  # sentences and warnings already printed (once_each)
    written = set(written)
    for item in items:
        problem = item.problem
        if (
            problem in seen
            or problem == TABLET_STOP_PROBLEM  # printed in "When to call us"
            or _private(item)
            or (symptoms or {}).get(problem) is False
            or item.severity == "none"
        ):
            continue
        seen.add(problem)
        heading, fallback = PLAIN_PROBLEMS.get(problem, (words(problem).capitalize(), ""))
        texts = _kept_texts(intervention_texts(item), medicine_texts(item))
        texts = texts or ([fallback] if fallback else [])
        shown = once_each(texts, said)
        if shown:
            blocks.append(Block("p", [text(t) for t in shown], heading=text(heading)))
            limits = [line for line in dose_limit_lines(item, texts) if line not in written]
            if limits:
                blocks.append(Block("limits", limits))
    return Section("How we will help you feel better", blocks) if blocks else None


def _referrals(plan: PlanDocument, clinic: Mapping[str, Any]) -> Section | None:
    # a counsellor, a mental health doctor, a social worker or a spiritual carer is asked only
    # because of what she answered: the support section offers them to everyone instead
    referrals = [r for r in plan.referrals if r.service not in PRIVATE_SERVICES]
    if not referrals:
        return None
    blocks = [Block("p", ["We are asking other people to help care for you:"])]
    items = []
    for r in referrals:
        service = str(r.service or "")
        who, what = PLAIN_SERVICES.get(service, (words(service), ""))
        own = [text(t) for t in patient_texts(r.patient_text)][:REFERRAL_SENTENCES]
        said = " ".join(own or ([what] if what else []))  # the plan's own plain words first
        when = URGENCY_PLAIN.get(str(r.urgency or ""), "soon")
        items.append(f"<b>{text(who[:1].upper() + who[1:])}</b>, {text(when)}. {said}".strip())
    blocks.append(Block("bullets", items))
    phone = NO_BREAK_SPACE.join(text(clinic.get("phone") or "").split())  # never split a number
    blocks.append(
        Block(
            "p",
            [
                "They will call you to set a time. If no one calls, ring the clinic"
                # never "ring the clinic" without a number: point at the written-in line
                + (f" on {phone}." if phone else " on the number written under “When to call us”.")
            ],
        )
    )
    return Section("Who else will help you", blocks)


#: moving about, by the mobility the nurse recorded (case `function.mobility`); not recorded:
#: nothing about walking aids or beds (a gap is never advice)
MOVING = {
    "independent": ["Try to walk a little every day, even in the house. Rest when you are tired."],
    "walks_with_aid": [
        "Try to walk a little every day, even in the house. Rest when you are tired.",
        "Use your walking aid every time you walk.",
    ],
    "chair_bound": [
        "Try to move a little every day, as much as is safe for you. Ask for help to stand up.",
    ],
    "bed_bound": [
        "Change position in bed often, with help. Your family can learn how to help you move.",
    ],
}
MOVING_NOT_RECORDED = ["Try to move a little every day. Rest when you are tired."]
FALLS = "Move rugs off the floor. Get up slowly. Keep a light on at night."


def _food_and_activity(plan: PlanDocument, function: Mapping[str, Any] | None) -> Section:
    """What to eat and how to move, following what was recorded: a walking aid only when one
    was recorded, falls advice only when falls were (review 16c finding 13)."""
    problems = {s.problem for s in plan.supportive}
    # short: what protects the liver, and what her own problems call for
    food = [
        "Eat small meals or snacks often. Drink plenty of water, tea or soup.",
        "Do not drink alcohol. Ask us before you take any herbs or new pills. Some can harm the "
        "liver.",
    ]
    if problems & {"anorexia", "weight_loss"}:
        food.insert(
            0,
            "Eat what you like, when you feel like it. Eggs, milk, nuts and beans give "
            "you strength.",
        )
    if "ascites" in problems:
        food.append("Ask your team how much salt is right for you.")
    if "nausea" in problems:
        food.append("Cold foods and dry foods like crackers are often easier when you feel sick.")
    mobility = (function or {}).get("mobility")
    food += MOVING.get(str(mobility), MOVING_NOT_RECORDED)
    if "falls" in problems:
        food.append(FALLS)
    # the same words in every booklet: what she answered is never told by its presence
    support = Block("p", list(SUPPORT), heading=SUPPORT_TITLE)
    return Section("Food and activity", [Block("bullets", food), support])


QUESTIONS = [
    "What is the aim of this treatment for me?",
    "How will we know if it is working?",
    "Can I still do the things I enjoy?",
    "What help can my family get?",
]
# Where supportive care leads there is no cancer treatment to ask about.
SUPPORTIVE_CARE_QUESTIONS = [
    "What can be done to keep me comfortable?",
    "Can I be cared for at home, and what help is there?",
    "What help can my family get?",
    "Can we talk about cancer treatment again later?",
]
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def plain_date(value: Any) -> str:
    """20 November 2026: the month in words, so no family reads 03/04 the wrong way round."""
    found = date(value)
    try:
        year, month, day = (int(part) for part in found.split("-"))
        return f"{day} {MONTHS[month - 1]} {year}"
    except (ValueError, IndexError):
        return found


def _next_visit(plan: PlanDocument) -> list[str]:
    """When the team would like to see her again, and a line to write the date on."""
    days = plan.follow_up.next_review_days if plan.follow_up else None
    next_visit = []
    if days == 0:
        # "see you again today" read as a second visit, with no reason, while she is at the
        # clinic now (walk 21 F2); the reason (a same-day review) stays with the clinician, who
        # talks about it with her
        next_visit.append(
            "Before you go home today, your nurse or doctor would like to talk with you."
        )
    elif days:
        weeks = round(int(days) / 7)
        when = (
            f"in about {weeks} weeks"
            if weeks > 1
            else "in about 1 week"
            if weeks == 1
            else "tomorrow"
            if int(days) == 1
            else f"in {days} days"
        )
        next_visit.append(f"Your team would like to see you again {when}.")
    next_visit.append("Date and time of your next visit: ____________________")
    return next_visit


def booklet_content(
    plan: Plan,
    patient: Mapping[str, Any],
    clinic: Mapping[str, Any],
    symptoms: Mapping[str, Any] | None = None,
    function: Mapping[str, Any] | None = None,
) -> list[Section]:
    """Every word of the booklet, as plain sections (markup limited to <b>). `symptoms`: the
    case's symptoms section (what the nurse recorded "no" gets no section); `function`: its
    function section (advice on moving follows the mobility recorded)."""
    plan = document_of(plan)
    name = friendly_name(patient)
    assessed = plain_date(patient.get("assessed_on") or plan.assessed_on)
    # when the plan was made (decided) is not when she was assessed: say both (issue 16)
    made = plain_date(patient.get("plan_made_on")) if patient.get("plan_made_on") else ""
    when = f"Your care was assessed on {text(assessed)}" + (
        f", and this plan was made on {text(made)}." if made and made != assessed else "."
    )
    if made and made == assessed:
        when = f"Your care was assessed, and this plan made, on {text(assessed)}."
    allergies = booklet_sentences(plan)  # only those recorded: "Your allergies we know of: …"
    intro = Section(
        "What this plan is for",
        [
            Block(
                "p",
                [
                    f"This booklet is for {text(name)} and family. {when}",
                    "It says what to watch for and who to call. Please bring it to every visit.",
                ],
            ),
            # when to come back is read first, with the date written on the first page
            Block("p", _next_visit(plan)),
            *([Block("p", allergies)] if allergies else []),  # walk 16d: on paper
        ],
    )
    medicines, written = _medicines(plan)
    feel_better = _feel_better(plan, symptoms, written)
    referrals = _referrals(plan, clinic)
    supportive_care_first = plan.course.supportive_care_first
    if supportive_care_first:  # supportive care leads the booklet too; whom to call comes next
        sections = [intro, treatment_section(plan), watch_for(plan, clinic)]
    else:
        # on treatment, what to watch for follows the drugs she takes this cycle (capecitabine's
        # "stop the tablets" list, a fever being urgent), as on the cycle sheet's patient page
        sections = [intro, watch_for(plan, clinic, given_this_cycle(plan)), treatment_section(plan)]
    sections += [s for s in (medicines, feel_better, referrals) if s is not None]
    sections.append(_food_and_activity(plan, function))
    questions = SUPPORTIVE_CARE_QUESTIONS if supportive_care_first else QUESTIONS
    sections.append(Section("Questions you may want to ask", [Block("bullets", questions)]))
    sections.append(Section("Your notes", [Block("lines", [str(NOTE_LINES)])]))
    return sections


def plain_text(sections: Sequence[Section]) -> str:
    """The booklet's words without markup: what a reader reads (for the reading-grade test)."""
    out = []
    for section in sections:
        out.append(section.title + ".")
        for block in section.blocks:
            if block.heading:
                out.append(block.heading + ".")
            if block.kind != "lines":
                out += block.items
    return re.sub(r"<[^>]+>", "", " ".join(out)).replace("&amp;", "&")


def block_flowables(block: Block, width: float) -> list[Flowable]:
    st = styles.booklet_styles()
    if block.kind == "p" and block.heading:  # the heading leads its own paragraph: one block
        return [para(f"<b>{block.heading}.</b> " + " ".join(block.items), st.body)]
    out: list[Flowable] = [para(block.heading, st.h2)] if block.heading else []
    if block.kind == "p":
        out += [para(item, st.body) for item in block.items]
    elif block.kind == "bullets":
        out += [para(item, st.bullet, bulletText="•") for item in block.items]
    elif block.kind == "call":
        box = boxed(
            [para(item, st.body) for item in block.items],
            width,
            border=styles.CRITICAL,
            background=styles.CRITICAL_BG,
            padding=8,
        )
        out += [Spacer(1, 4), box, Spacer(1, 4)]
    elif block.kind == "lines":
        out.append(write_in_lines(int(block.items[0]), width, 26))
    elif block.kind == "limits":  # a line to write on, beside the advice it belongs to
        out += [para(item, st.body) for item in block.items]
    return out


#: sections printed only where the last page has room for them: a page is never added for
#: them (a first visit's print is one to six pages, issue 20)
OPTIONAL_SECTIONS = ("Questions you may want to ask", "Your notes")


def booklet_section(
    plan: Plan,
    patient: Mapping[str, Any],
    clinic: Mapping[str, Any],
    width: float,
    symptoms: Mapping[str, Any] | None = None,
    function: Mapping[str, Any] | None = None,
) -> list[Flowable]:
    """The booklet laid out: a section title never ends a page, nor does a block's heading,
    and a short block (a few lines, the call-us box) is never split."""
    st = styles.booklet_styles()
    story: list[Flowable] = [para("Your care plan", st.title)]
    for section in booklet_content(plan, patient, clinic, symptoms, function):
        head = para(section.title, st.h1)
        blocks = [block_flowables(block, width) for block in section.blocks]
        if section.title == "When to call us":  # the list and the phone box stay on one page
            story.append(KeepTogether([head, *(f for b in blocks for f in b)]))
            continue
        if section.title in OPTIONAL_SECTIONS:  # only in the room the last page has
            story.append(IfRoom([head, *(f for b in blocks for f in b)]))
            continue
        for index, (block, flowables) in enumerate(zip(section.blocks, blocks, strict=True)):
            lead = [head] if index == 0 else []
            if block.kind == "bullets" and len(flowables) <= 7:  # a short list stays whole
                story.append(KeepTogether([*lead, *flowables]))
            elif block.kind == "p" and block.heading:
                # a long piece of advice may run on to the next page (kept whole, it left half a
                # page empty), but its heading and first lines stay with the section's title
                story += [CondPageBreak(_lines(st, LINES_AFTER_A_TITLE) + _height(lead)), *lead]
                story += flowables
            else:  # a heading always comes with the line after it
                story.append(KeepTogether([*lead, *flowables[:2]]))
                story += flowables[2:]
    return story


#: the lines of a section's first paragraph that must fit below its title on the same page
LINES_AFTER_A_TITLE = 3


def _lines(st: styles.Styles, count: int) -> float:
    return count * st.body.leading


def _height(flowables: Sequence[Flowable]) -> float:
    return sum(f.wrap(1e4, 1e4)[1] + f.getSpaceBefore() for f in flowables)
