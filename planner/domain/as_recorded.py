"""Her medicines and allergies as recorded (contract §2a), in the words every part says them.

Whether the case lists her medicines and allergies, records none, or says nothing (rule 2: "not
recorded" is never "none"); each allergy line as written, what it was read as and what of it
could not be checked; a "no known drug allergies" line beside lines that name allergies (a
contradiction to resolve). The wizard, the plan's gaps, the plan window and every printed part
say these the same way; matching them against the plan's drugs is planner.domain.medicines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from planner.domain.case import Allergy, Case
from planner.domain.evidence import Gap
from planner.domain.plan_words import joined

if TYPE_CHECKING:  # the read plan document imports this module's neighbours: no import cycle
    from planner.domain.plan_document import PlanDocument, RecordedAllergy


# What the case says of her current medicines (the plan's `medications_recorded`): a list, an
# empty list (the nurse recorded that she takes none), or nothing (not asked or not written).
# Rule 2: "not recorded" is never read as "takes none"; each is said in its own words.
LISTED = "listed"
NONE_TAKEN = "none"
NOT_RECORDED = "not_recorded"
RECORDED_WORDS = {
    NONE_TAKEN: "takes no regular medicines",
    NOT_RECORDED: "medicines not recorded",
}
NOT_RECORDED_EFFECT = "not recorded (not the same as none): interactions not checked"


def medicines_recorded(case: Case) -> str:
    """LISTED, NONE_TAKEN (an empty list) or NOT_RECORDED (null or absent)."""
    if case.medications is None:
        return NOT_RECORDED
    return LISTED if case.medications else NONE_TAKEN


# Her allergies as every printed part says them (the plan's `allergies` and
# `allergies_recorded`): a list, an empty list ("no known drug allergies", recorded as such), or
# nothing (not asked). Rule 2 again: "not recorded" is never printed as "none". A severe
# allergy that the plan never matched (diclofenac, no NSAID suggested) was printed nowhere
# (walk 16d): the list is printed whatever the plan suggests.
NO_KNOWN_ALLERGIES = "No known drug allergies"
ALLERGIES_NOT_RECORDED = "not recorded (not the same as none: ask her)"


def allergies_recorded(case: Case) -> str:
    """LISTED, NONE_TAKEN (an empty list: no known drug allergies) or NOT_RECORDED."""
    if case.allergies is None:
        return NOT_RECORDED
    return LISTED if case.allergies else NONE_TAKEN


def allergy_to_json(allergy: Allergy) -> dict[str, Any]:
    return {
        "substance": allergy.substance,
        "kind": allergy.kind,
        "written": allergy.written,
        "reaction": allergy.reaction,
        "severity": allergy.severity,
        # every substance the line is applied as (several for "paclitaxel, carboplatin"), the
        # parts not read, a word of negation (contract §2a; recheck21 N1b)
        "substances": [{"substance": s, "kind": k} for k, s in allergy.named],
        "not_read": list(allergy.not_read),
        "negation": allergy.negation,
    }


def _named_words(allergy: Allergy) -> str:
    return joined([s.replace("_", " ") for _, s in allergy.named])


def allergy_state(allergy: Allergy) -> tuple[bool, str]:
    """Whether the line is checked against the plan in full, and its state in words (the
    wizard's line, the printed allergy line): "checked: paclitaxel and carboplatin", "not
    checked — the program cannot read 'shellfish': write the drug's name or brand"."""
    words = state_words(
        allergy.written, [s for _, s in allergy.named], allergy.not_read, allergy.negation
    )
    return bool(allergy.named) and not allergy.not_read and allergy.negation is None, words


def state_words(
    written: str, named: Sequence[str], not_read: Sequence[str], negation: str | None
) -> str:
    """An allergy line's state in words, from what it was read as (`allergy_state`; the print
    reads the same fields back from the plan document)."""
    said = joined([s.replace("_", " ") for s in named]) if named else ""
    parts = []
    if named:
        parts.append(f"checked: {said}")
    if named and not_read:
        unread = ", ".join(f"'{p}'" for p in not_read)
        parts.append(f"not checked: {unread}: write each drug's name or brand on its own line")
    elif not named and negation is None:
        parts.append(
            f"not checked — the program cannot read '{written}': write the drug's name or brand"
        )
    if negation is not None:
        parts.append(
            ("" if named else "not checked — ")
            + f"check: the line says '{written}' ('{negation}' may say she is not allergic): "
            + (
                f"applied as an allergy to {said} until the line is corrected"
                if named
                else "not read as an allergy; if she has none, remove the line and tick 'No "
                "known drug allergies'"
            )
        )
    return "; ".join(parts)


def contradiction_words(written: str, naming: Sequence[str]) -> str:
    """A "no known drug allergies" line beside lines that name allergies, in words: the
    wizard's line, the plan's gap, the printed allergy line (walk23 HARM 3)."""
    others = ", ".join(f'"{w}"' for w in naming)
    return (
        f'contradiction to resolve: the line "{written}" says she has no drug allergies, but '
        f"{others} {'names an allergy' if len(naming) == 1 else 'name allergies'}: not read "
        "as an allergy; ask her and remove whichever line is wrong"
    )


def allergy_contradictions(allergies: Sequence[Allergy]) -> dict[int, str]:
    """By line index, each line that says she has no drug allergies (a word of negation,
    naming nothing) while another line names a drug, class or excipient: a contradiction to
    resolve, never printed as a fact beside her real allergies (walk23 HARM 3: the booklet
    printed "no known drug allergies" between paclitaxel and Herceptin)."""
    naming = [a.written for a in allergies if a.named]
    if not naming:
        return {}
    return {
        i: contradiction_words(a.written, naming)
        for i, a in enumerate(allergies)
        if a.negation is not None and not a.named
    }


def recorded_contradictions(allergies: Iterable[RecordedAllergy]) -> dict[int, str]:
    """`allergy_contradictions` of a plan's recorded allergies, read back from the plan (a
    plan kept before `substances`: a line names a drug by its kind)."""
    rows = list(allergies)
    naming = [a.written for a in rows if names_an_allergy(a)]
    if not naming:
        return {}
    return {
        i: contradiction_words(a.written, naming)
        for i, a in enumerate(rows)
        if a.negation is not None and not names_an_allergy(a)
    }


def names_an_allergy(allergy: RecordedAllergy) -> bool:
    """A recorded line names a drug, class or excipient (plans kept before `substances`: its
    kind)."""
    return bool(allergy.substances) or allergy.kind in ("drug", "class", "excipient", "several")


def allergy_gaps(allergy: Allergy, field: str) -> tuple[Gap, ...]:
    """What of an allergy line the plan could not check or must have checked: the parts it
    cannot read, a line that names nothing, a word of negation (rule 2: never silent)."""
    out = []
    if not allergy.named:
        out.append(
            Gap(
                field,
                f'"{allergy.written}" names no drug, drug class or excipient of the catalogue: '
                "it is shown but not checked against the suggested drugs (write the drug's name "
                "or brand)",
            )
        )
    elif allergy.not_read:
        unread = ", ".join(f'"{p}"' for p in allergy.not_read)
        out.append(
            Gap(
                field,
                f'"{allergy.written}": {_named_words(allergy)} checked; {unread} names no drug, '
                "class or excipient of the catalogue: not checked against the suggested drugs "
                "(write the drug's name or brand, one per line)",
            )
        )
    if allergy.negation is not None:
        applied = (
            f"applied as an allergy to {_named_words(allergy)} until the line is corrected"
            if allergy.named
            else "not read as an allergy: if she has none, remove the line and record 'No "
            "known drug allergies'"
        )
        out.append(
            Gap(
                field,
                f'check: the line says "{allergy.written}" ("{allergy.negation}" may say she is '
                f"not allergic): {applied}",
            )
        )
    return tuple(out)


def allergies_summary(plan: PlanDocument) -> str:
    """Every recorded allergy of a plan document in one line, as page 1 of the printed plan says
    it ("diclofenac — rash (severe); …", "No known drug allergies", or "not recorded (…)"): the
    plan window's text tab and the wizard's review page say the same (nurse walk)."""
    if plan.allergies:
        against = recorded_contradictions(plan.allergies)
        return "; ".join(
            against[i][:1].upper() + against[i][1:]
            if i in against
            else allergy_line(a.written, a.reaction or None, a.severity or None)
            for i, a in enumerate(plan.allergies)
        )
    recorded = plan.allergies_recorded
    if recorded == NONE_TAKEN:
        return NO_KNOWN_ALLERGIES
    if recorded in (NOT_RECORDED, LISTED):
        return ALLERGIES_NOT_RECORDED
    return "not in this kept plan (made before allergies were recorded): see her assessment"


def allergy_line(written: str, reaction: str | None, severity: str | None) -> str:
    """One allergy as printed: "diclofenac — rash and lip swelling (severe)"."""
    line = written
    if reaction:
        line += f" — {reaction}"
    if severity:
        line += f" ({severity})" if severity != "unknown" else " (severity not known)"
    return line
