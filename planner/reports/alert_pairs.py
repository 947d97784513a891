"""The decision page's interaction alerts, one line a pair (print24; issue 20 §6: page 1 is the
whole decision, and its signature).

The `drug_interaction` alert (a supportive drug the plan suggests against a drug of the plan or
one she takes) and the `medicine_interaction` alert (a medicine she takes against the plan) held
every finding in full on page 1: with five flags the example's signature block fell onto page 2
and its clinician section ran to 3 pages. On page 1 each finding is now its pair and what to do,
in one line, with where it is in full:

- a supportive flag: "rifampicin with everolimus, tamoxifen: prefer another itch drug, or … (in
  full: evidence appendix page 2, pruritus)": the `what_to_do` of its rule row, and the page of the
  quality-of-life row that prints the flag whole (`clinician_supportive`, noted by a `PageMark`
  when the appendix is laid out to be counted);
- a medicine finding: "methadone with tramadol (supportive care: pain): review (in full: Current
  medicines)": its action in words; the finding whole is that medicine's reason in the clinician
  section's Current medicines.

Nothing is dropped: a finding the page cannot match to its row (a plan made before `what_to_do`
existed, a message no medicine's reasons hold) is printed whole, as before. Each line keeps its
unverified marker (rule 6).
"""

from __future__ import annotations

from collections.abc import Mapping

from planner.domain.plan_document import Alert, PlanDocument
from planner.domain.plan_words import MEDICINE_ACTIONS, clinician_words, say
from planner.reports.citations import SHORT_UNVERIFIED
from planner.reports.clinician_supportive import problem_mark
from planner.reports.formatting import text

#: the alerts printed one line a pair
PAIR_ALERTS = ("drug_interaction", "medicine_interaction")
#: how a rule's message marks itself unverified (planner/domain/liver_safe_drugs.py)
_UNVERIFIED_WORDS = "(unverified — confirm locally)"


def alert_words(alert: Alert, plan: PlanDocument, marks: Mapping[str, int]) -> str:
    """The alert as page 1 prints it (markup): whole, or for an interaction alert its lead and
    one line a pair, each pointing to where it is in full."""
    whole = text(clinician_words(alert.message))
    reasons = alert.reasons
    tail = " — " + "; ".join(reasons)
    if alert.code not in PAIR_ALERTS or not reasons or not alert.message.endswith(tail):
        return whole
    lead = alert.message[: -len(tail)]
    if alert.code == "drug_interaction":
        lines = [_flag_line(reason, plan, marks) for reason in reasons]
    else:
        lines = [_finding_line(reason, plan) for reason in reasons]
    return text(clinician_words(lead)) + "".join(f"<br/>• {line}" for line in lines)


def _flag_line(reason: str, plan: PlanDocument, marks: Mapping[str, int]) -> str:
    flag = next((f for f in plan.interactions if f.message == reason), None)
    if flag is None or not flag.what_to_do:
        return text(clinician_words(reason))
    pair = f"{', '.join(flag.supportive)} with {', '.join(flag.with_drugs)}"
    line = f"<b>{text(pair)}</b>: {text(clinician_words(flag.what_to_do))}"
    if _UNVERIFIED_WORDS in reason:
        line += SHORT_UNVERIFIED
    problems = list(flag.problems)
    pages = sorted({marks[problem_mark(p)] for p in problems if problem_mark(p) in marks})
    where = "evidence appendix"
    if pages:
        where += f" {'p.' if len(pages) == 1 else 'pp.'} {', '.join(str(p) for p in pages)}"
    if problems:
        where += f" ({', '.join(say('problem', p) for p in problems)})"
    return line + f" <i>— in full: {text(where)}</i>"


def _finding_line(reason: str, plan: PlanDocument) -> str:
    finding = next((f for f in plan.medication_findings if f.message == reason and f.taken), None)
    held_whole = any(reason in m.reasons for m in plan.medications)
    if finding is None or finding.action is None or not held_whole:
        return text(clinician_words(reason))
    pair = ", ".join(finding.taken) + (
        f" with {', '.join(finding.suggested)}" if finding.suggested else ""
    )
    where = f" ({', '.join(finding.where)})" if finding.where else ""
    action = MEDICINE_ACTIONS.get(finding.action, str(finding.action)).lower()
    if finding.what_to_do:
        action += f" — {clinician_words(finding.what_to_do)}"
    line = f"<b>{text(pair)}</b>{text(clinician_words(where))}: {text(action)}"
    if _UNVERIFIED_WORDS in reason or finding.verified is False:
        line += SHORT_UNVERIFIED
    return line + " <i>— in full: Current medicines</i>"
