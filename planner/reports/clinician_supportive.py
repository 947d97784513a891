"""Symptom care in the clinician's words: each supportive item's interventions and referrals,
the quality-of-life table of the evidence appendix with every intervention in full, and the
follow-up (the decision page and the referral slips use the same words).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable

from planner.domain.plan_document import Referral, SupportiveItem, read_supportive
from planner.domain.plan_document.care import read_referral
from planner.domain.plan_words import DOMAINS, SERVICES, URGENCY, clinician_words, say
from planner.domain.vocabulary import Urgency
from planner.reports import styles
from planner.reports.citations import References, cite
from planner.reports.clinician_words import FULL_TEXT, ST, Plan, h1
from planner.reports.formatting import (
    DOMAIN_ORDER,
    PROBLEM_SERVICES,
    date,
    parse_date,
    severity_words,
    text,
    words,
)
from planner.reports.tables import Plain, grid, para


def intervention_texts(item: Mapping[str, Any]) -> list[str]:
    """The clinician wording of a supportive item's interventions (strings or objects)."""
    out = []
    for iv in item.get("interventions") or []:
        if isinstance(iv, Mapping):
            out.append(
                str(iv.get("text") or iv.get("intervention") or iv.get("patient_text") or "")
            )
        else:
            out.append(str(iv))
    return [t for t in out if t]


def referrals_for(
    item: SupportiveItem | Mapping[str, Any],
    referrals: Sequence[Referral] | Sequence[Mapping[str, Any]],
) -> list[str]:
    """Services the plan refers to for this problem: those whose referral names it, else the
    services that usually take the problem on, among those the plan refers to. Read typed (a
    section still on plan dictionaries passes the JSON, read by the one parser)."""
    if not isinstance(item, SupportiveItem):
        item = read_supportive(item, "supportive[]")
    read = [r if isinstance(r, Referral) else read_referral(r, "referrals[]") for r in referrals]
    problem = item.problem
    named = [str(r.service or "") for r in read if problem in r.problems]
    if named:
        return named
    if any(r.problems for r in read):
        return []
    planned = {r.service for r in read}
    return [s for s in PROBLEM_SERVICES.get(problem, ()) if s in planned][:2]


def _interaction_texts(item: Mapping[str, Any]) -> list[str]:
    out = []
    for found in item.get("interactions") or []:
        if isinstance(found, Mapping):
            out.append(str(found.get("message") or ""))
        else:
            out.append(str(found))
    return [t for t in out if t]


def quality_of_life_section(
    plan: Plan, width: float, refs: References, symptoms: Mapping[str, Any] | None = None
) -> list[Flowable]:
    """One row per problem: problem → every intervention, in full → referral → rules."""
    st = ST()
    supportive = plan.get("supportive") or []
    out: list[Flowable] = [
        CondPageBreak(90),
        h1("Quality of life: problem → intervention → referral"),
    ]
    if not supportive:
        out.append(para("No supportive-care problems in this plan.", st.body))
        return out
    referrals = plan.get("referrals") or []
    rank = {d: i for i, d in enumerate(DOMAIN_ORDER)}
    items = sorted(supportive, key=lambda s: rank.get(s.get("domain"), 99))
    rows: list[list[Any]] = [["Problem", "Intervention", "Referral", "Sources"]]
    capped_any = False
    for item in items:
        domain = item.get("domain")
        problem = (
            f"<b>{text(say('problem', item.get('problem')))}</b> {severity_words(item, symptoms)}"
            f"<br/><font color='{styles.MUTED_MARKUP}'>{text(DOMAINS.get(domain, words(domain)))}</font>"
        )
        texts = intervention_texts(item)
        # Clinical advice is printed whole (nurse16: "2 g/day in…" cut a paracetamol ceiling
        # mid-sentence): every intervention and every interaction warning, in full; the table
        # splits across pages instead.
        lines = [f"• {text(clinician_words(t))}" for t in texts]
        said = " ".join(texts)
        warnings = [t for t in _interaction_texts(item) if t not in said]
        lines += [f"⚠ {text(clinician_words(w))}" for w in warnings]
        services = referrals_for(item, referrals)
        # plain service names, one a line, drawn by the table itself (no markup to parse)
        referral = Plain("\n".join(SERVICES.get(s, words(s)) for s in services) or "–")
        # the rule ids of the first two pieces of advice; the rest are counted (evidence, not
        # advice: every one is on screen and in the plan document)
        prefer = [
            str(b.get("rule"))
            for d in (item.get("intervention_details") or [])[:2]
            if isinstance(d, Mapping)
            for b in d.get("basis") or ()
        ]
        basis = para(cite(item.get("basis"), refs, limit=2, prefer=prefer), st.small)
        capped_any |= len({str(b.get("rule")) for b in item.get("basis") or ()}) > 2
        rows.append([problem, "<br/>".join(lines) or "–", referral, basis])
    widths = [width * f for f in (0.15, 0.5, 0.15, 0.2)]  # sources are numbers: a narrow column
    out.append(grid(rows, widths, styles.clinician_dense_styles(), split_in_row=24))
    if capped_any:
        out.append(
            para(
                "Every intervention is printed whole; each row cites the sources of its first two "
                f"rules. Every source: {FULL_TEXT}, and in the plan document (JSON).",
                st.note,
            )
        )
    if referrals:
        order = {urgency: i for i, urgency in enumerate(Urgency)}
        listed = "; ".join(
            f"{text(SERVICES.get(r.get('service'), words(r.get('service'))))} "
            f"({text(URGENCY.get(r.get('urgency'), words(r.get('urgency'))).lower())})"
            for r in sorted(referrals, key=lambda r: order.get(r.get("urgency"), 3))
        )
        out.append(
            para(
                f"<b>Referrals</b> (a slip for each follows, with reasons and basis): {listed}.",
                st.body,
            )
        )
    return out


def follow_up_section(
    plan: Plan, patient: Mapping[str, Any], width: float, date_format: str = "iso"
) -> list[Flowable]:
    st = ST()
    follow = plan.get("follow_up") or {}
    days = follow.get("next_review_days")
    assessed = parse_date(patient.get("assessed_on") or plan.get("assessed_on"))
    out: list[Flowable] = [CondPageBreak(60), h1("Monitoring and follow-up")]
    if days is None:
        review = "Next review: <b>not set by the program</b> — the clinician sets the date."
    else:
        due = date(assessed + dt.timedelta(days=int(days)), date_format) if assessed else ""
        by = f" (by {due})" if assessed else ""
        review = (
            "Next review <b>today</b>."  # never "in 0 days"
            if int(days) == 0
            else f"Next review in <b>{text(days)} days</b>{text(by)}."
        )
    reasons = [text(clinician_words(r)) for r in follow.get("review_reasons") or []]
    if reasons:
        review += " Why: " + "; ".join(reasons)
    out.append(para(review, st.body))
    for item in follow.get("monitoring") or []:
        out.append(para(text(clinician_words(item)), st.bullet, bulletText="•"))
    return out
