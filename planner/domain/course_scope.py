"""Interaction, allergy and medicine findings scoped to the plan's course (what is given).

The engine checks every option's drugs against the supportive drugs and her medicines, so
whichever option the clinician decides, its interactions were already found. What is printed
follows the course (`planner.domain.decision.plan_course`): where supportive care leads no
option's drug is given, and where an option is decided only its drugs (less any held) are. A
finding about a cancer drug that is not given is then no finding ("rifampicin with everolimus"
beside best supportive care would send a nurse to the pharmacist about a drug nobody gives):

- a supportive interaction flag (`interactions`, each supportive item's) keeps only the partners
  given; with none left it goes;
- a medicine finding (`medication_findings`) keeps only the suggested drugs given and the places
  still in the plan; an allergy finding about a drug not given goes;
- each current medicine's reasons follow, and its action is recomputed from what is left (the
  most its remaining findings ask; `continue` with nothing left);
- the `drug_interaction`, `medicine_interaction` and `drug_allergy` alerts keep the reasons left,
  and go with none;
- a monitoring line made only "for" drugs not given goes (the options' own rows are
  `decision._monitor_course`'s);
- supportive advice resting on a cancer drug (`for_drugs`: G-CSF with sacituzumab govitecan,
  "with tamoxifen: avoid CYP2D6 inhibitors") goes when none of its drugs is given, and a problem
  whose every piece of advice went (the neutropenia risk of a drug not given) goes with it: the
  booklet never promises a treatment that is not given.

The drugs she is on now (`current_therapy`) are never "not given" by a decision on the options.
While no decision is made and an option leads, every option stays a choice: nothing is removed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from planner.domain.medicine_tables import ACTIONS
from planner.domain.medicines import option_place

#: alerts whose reasons are the findings scoped here
SCOPED_ALERTS = ("drug_interaction", "medicine_interaction", "drug_allergy")
REASON_JOIN = " — "


def not_given(
    document: Mapping[str, Any], given_regimen: str | None, held: Iterable[str] = ()
) -> frozenset[str]:
    """The options' drugs the course does not give: every one but `given_regimen`'s (less
    `held`), never a drug she is on now."""
    every = set()
    given: set[str] = set(document.get("current_therapy") or ())
    for option in document.get("options") or ():
        drugs = {str(d.get("drug")) for d in option.get("drugs") or ()}
        every |= drugs
        if given_regimen is not None and option.get("regimen") == given_regimen:
            given |= drugs - set(held)
    return frozenset(every - given)


def _places_gone(document: Mapping[str, Any], given_regimen: str | None) -> frozenset[str]:
    return frozenset(
        option_place(o.get("rank"), o.get("regimen"))
        for o in document.get("options") or ()
        if o.get("regimen") != given_regimen
    )


def _renamed(message: str, old_head: str, new_head: str) -> str:
    return message.replace(old_head, new_head, 1)


def _key(basis: Mapping[str, Any]) -> tuple[str, str]:
    return (str(basis.get("rule")), str(basis.get("source")))


class _Dropped:
    """The basis of the findings dropped, less the basis of those kept: the rules and sources
    no longer cited by anything printed."""

    def __init__(self) -> None:
        self.dropped: set[tuple[str, str]] = set()
        self.kept: set[tuple[str, str]] = set()

    def drop(self, entry: Mapping[str, Any]) -> None:
        self.dropped |= {_key(b) for b in entry.get("basis") or ()}

    def keep(self, entry: Mapping[str, Any]) -> None:
        self.kept |= {_key(b) for b in entry.get("basis") or ()}

    def without(self, entry: Mapping[str, Any]) -> dict[str, Any]:
        gone = self.dropped - self.kept
        basis = entry.get("basis")
        if not gone or not basis:
            return dict(entry)
        return {**entry, "basis": [b for b in basis if _key(b) not in gone]}


def _scope_flags(
    flags: Iterable[Mapping[str, Any]],
    gone: frozenset[str],
    changed: dict[str, str | None],
    cited: _Dropped,
) -> list[dict[str, Any]]:
    out = []
    for flag in flags:
        partners = [str(p) for p in flag.get("with") or ()]
        kept = [p for p in partners if p not in gone]
        message = str(flag.get("message") or "")
        if kept == partners:
            cited.keep(flag)
            out.append(dict(flag))
            continue
        if not kept:
            cited.drop(flag)
            changed[message] = None
            continue
        cited.keep(flag)
        mine = ", ".join(str(d) for d in flag.get("supportive") or ())
        new = _renamed(
            message, f"{mine} with {', '.join(partners)}: ", f"{mine} with {', '.join(kept)}: "
        )
        changed[message] = new
        out.append({**flag, "with": kept, "message": new})
    return out


def _scope_findings(
    findings: Iterable[Mapping[str, Any]],
    gone: frozenset[str],
    places_gone: frozenset[str],
    changed: dict[str, str | None],
    cited: _Dropped,
) -> list[dict[str, Any]]:
    out = []
    for finding in findings:
        kind = finding.get("kind")
        message = str(finding.get("message") or "")
        suggested = [str(d) for d in finding.get("suggested") or ()]
        kept = [d for d in suggested if d not in gone]
        if kind in ("allergy", "interaction") and suggested and not kept:
            cited.drop(finding)
            changed[message] = None
            continue
        cited.keep(finding)
        where = [str(w) for w in finding.get("where") or ()]
        kept_where = [w for w in where if w not in places_gone]
        if kind != "interaction" or (kept == suggested and kept_where == where):
            out.append(dict(finding))
            continue
        new = _renamed(
            message,
            f"{', '.join(suggested)} ({', '.join(where) or 'suggested'}): ",
            f"{', '.join(kept)} ({', '.join(kept_where) or 'suggested'}): ",
        )
        changed[message] = new
        out.append({**finding, "suggested": kept, "where": kept_where, "message": new})
    return out


def _scope_medicine(
    medicine: Mapping[str, Any],
    changed: Mapping[str, str | None],
    action_of: Mapping[str, str],
) -> dict[str, Any]:
    reasons = [str(r) for r in medicine.get("reasons") or ()]
    if not any(r in changed for r in reasons):
        return dict(medicine)
    kept = [changed.get(r, r) for r in reasons]
    left = [r for r in kept if r is not None]
    if not left:
        return {
            **medicine,
            "action": "continue",
            "reasons": ["nothing found against the plan as decided: continue as prescribed"],
        }
    # what each remaining reason asks: its finding's action; a reason with no finding of its
    # own (today's findings, an unrecognised remedy, an allergy) asks for a review
    action = max((action_of.get(r) or "review" for r in left), key=ACTIONS.index)
    return {**medicine, "action": action, "reasons": left}


def _scope_alert(
    alert: Mapping[str, Any], changed: Mapping[str, str | None]
) -> dict[str, Any] | None:
    reasons = [str(r) for r in alert.get("reasons") or ()]
    if alert.get("code") not in SCOPED_ALERTS or not any(r in changed for r in reasons):
        return dict(alert)
    left = [n for n in (changed.get(r, r) for r in reasons) if n is not None]
    if not left:
        return None
    message = str(alert.get("message") or "")
    tail = REASON_JOIN + "; ".join(reasons)
    lead = message[: -len(tail)] if message.endswith(tail) else message.split(REASON_JOIN)[0]
    return {**alert, "message": lead + REASON_JOIN + "; ".join(left), "reasons": left}


def _scope_referrals(
    referrals: Iterable[Mapping[str, Any]], was: str, now: str
) -> list[dict[str, Any]]:
    """A referral made for the interaction flags (the pharmacist's) names the flags left; one
    made for nothing else goes when none is left."""
    out = []
    for referral in referrals:
        reasons = [str(r) for r in referral.get("reasons") or ()]
        if not was or not any(was in r for r in reasons):
            out.append(dict(referral))
            continue
        rules = list(referral.get("rules") or ())
        paired = len(rules) == len(reasons)  # one rule id per reason, in order
        kept_reasons, kept_rules = [], []
        for i, reason in enumerate(reasons):
            if was in reason and not now:
                continue
            kept_reasons.append(reason.replace(was, now) if was in reason else reason)
            if paired:
                kept_rules.append(rules[i])
        if kept_reasons:
            out.append(
                {**referral, "reasons": kept_reasons, "rules": kept_rules if paired else rules}
            )
    return out


def _for_gone_only(line: Mapping[str, Any], gone: frozenset[str]) -> bool:
    why = str(line.get("for") or "")
    if not why.startswith("for ") or ";" in why:
        return False
    return all(d.strip() in gone for d in why[len("for ") :].split(","))


def _scope_advice(item: Mapping[str, Any], gone: frozenset[str]) -> dict[str, Any] | None:
    """A supportive item less the advice about cancer drugs not given (None: nothing left)."""
    if item.get("for_drugs") and all(str(x) in gone for x in item["for_drugs"]):
        return None
    details = list(item.get("intervention_details") or ())
    kept = [
        d
        for d in details
        if not d.get("for_drugs") or not all(str(x) in gone for x in d["for_drugs"])
    ]
    if len(kept) == len(details):
        return dict(item)
    if not kept:
        return None
    kept_ids = {d.get("id") for d in kept}
    dropped_ids = {d.get("id") for d in details} - kept_ids
    return {
        **item,
        "intervention_details": kept,
        "interventions": [str(d.get("text") or "") for d in kept],
        "patient_text": [d.get("patient_text") for d in kept],
        "basis": [b for b in item.get("basis") or () if b.get("rule") not in dropped_ids],
        "unverified": any(not d.get("verified", True) for d in kept),
    }


def scope_to_course(out: dict[str, Any], given_regimen: str | None, held: Iterable[str]) -> None:
    """Scope `out` (a copy the caller owns; decided_plan's) to a course that gives
    `given_regimen`'s drugs less `held` (None: no option's drugs)."""
    gone = not_given(out, given_regimen, held)
    if not gone:
        return
    changed: dict[str, str | None] = {}
    cited = _Dropped()
    flags = list(out.get("interactions") or ())
    out["interactions"] = _scope_flags(flags, gone, changed, cited)
    out["referrals"] = _scope_referrals(
        out.get("referrals") or (),
        "; ".join(str(f.get("message")) for f in flags),
        "; ".join(str(f.get("message")) for f in out["interactions"]),
    )
    out["medication_findings"] = _scope_findings(
        out.get("medication_findings") or (),
        gone,
        _places_gone(out, given_regimen),
        changed,
        cited,
    )
    out["gaps"] = [
        g
        for g in out.get("gaps") or ()
        if not g.get("for_drugs") or not all(str(x) in gone for x in g["for_drugs"])
    ]
    advised = (_scope_advice(item, gone) for item in out.get("supportive") or ())
    out["supportive"] = [
        cited.without(
            {**item, "interactions": _scope_flags(item["interactions"], gone, {}, _Dropped())}
        )
        if item.get("interactions")
        else item
        for item in advised
        if item is not None
    ]
    action_of = {
        str(f.get("message")): str(f.get("action"))
        for f in out["medication_findings"]
        if f.get("action") in ACTIONS
    }
    out["medications"] = [
        cited.without(_scope_medicine(m, changed, action_of)) for m in out.get("medications") or ()
    ]
    alerts = (_scope_alert(a, changed) for a in out.get("alerts") or ())
    out["alerts"] = [cited.without(a) for a in alerts if a is not None]
    follow = out.get("follow_up")
    if isinstance(follow, Mapping) and follow.get("monitoring_basis"):
        dropped = {m.get("item") for m in follow["monitoring_basis"] if _for_gone_only(m, gone)}
        if dropped:
            out["follow_up"] = {
                **follow,
                "monitoring": [m for m in follow.get("monitoring") or () if m not in dropped],
                "monitoring_basis": [
                    m for m in follow["monitoring_basis"] if m.get("item") not in dropped
                ],
            }
