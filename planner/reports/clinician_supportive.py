"""Symptom care in the clinician's words: each supportive item's interventions and referrals,
the quality-of-life table of the evidence appendix with every intervention in full, and the
follow-up (the decision page and the referral slips use the same words).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable

from planner.domain.plan_document import PlanDocument, Referral, SupportiveItem
from planner.domain.plan_words import DOMAINS, SERVICES, URGENCY, clinician_words, say
from planner.domain.vocabulary import Urgency
from planner.reports import styles
from planner.reports.citations import References, cite
from planner.reports.clinician_words import FULL_TEXT, ST, h1
from planner.reports.formatting import (
    DOMAIN_ORDER,
    PROBLEM_SERVICES,
    date,
    parse_date,
    severity_words,
    text,
    words,
)
from planner.reports.tables import PageMark, Plain, grid, para


def problem_mark(problem: str) -> str:
    """The key the quality-of-life table notes a problem's row under (`PageMark`)."""
    return f"problem:{problem}"


def referrals_for(item: SupportiveItem, referrals: Sequence[Referral]) -> list[str]:
    """Services the plan refers to for this problem: those whose referral names it, else the
    services that usually take the problem on, among those the plan refers to."""
    problem = item.problem
    named = [str(r.service or "") for r in referrals if problem in r.problems]
    if named:
        return named
    if any(r.problems for r in referrals):
        return []
    planned = {r.service for r in referrals}
    return [s for s in PROBLEM_SERVICES.get(problem, ()) if s in planned][:2]


def quality_of_life_section(
    plan: PlanDocument,
    width: float,
    refs: References,
    symptoms: Mapping[str, Any] | None = None,
    marks: dict[str, int] | None = None,
) -> list[Flowable]:
    """One row per problem: problem → every intervention, in full → referral → rules. Each
    row's page is noted in `marks` under `problem_mark(problem)` (the decision page points to
    the row that holds an interaction in full)."""
    st = ST()
    supportive = plan.supportive
    out: list[Flowable] = [
        CondPageBreak(90),
        h1("Quality of life: problem → intervention → referral"),
    ]
    if not supportive:
        out.append(para("No supportive-care problems in this plan.", st.body))
        return out
    referrals = plan.referrals
    rank = {d: i for i, d in enumerate(DOMAIN_ORDER)}
    items = sorted(supportive, key=lambda s: rank.get(s.domain or "", 99))
    rows: list[list[Any]] = [["Problem", "Intervention", "Referral", "Sources"]]
    capped_any = False
    dense = styles.clinician_dense_styles()
    for item in items:
        domain = item.domain
        problem = (
            f"<b>{text(say('problem', item.problem))}</b> {severity_words(item, symptoms)}"
            f"<br/><font color='{styles.MUTED_MARKUP}'>{text(DOMAINS.get(domain or '', words(domain)))}</font>"
        )
        texts = [t for t in item.interventions if t]
        # Clinical advice is printed whole (nurse16: "2 g/day in…" cut a paracetamol ceiling
        # mid-sentence): every intervention and every interaction warning, in full; the table
        # splits across pages instead.
        lines = [f"• {text(clinician_words(t))}" for t in texts]
        said = " ".join(texts)
        found = [i.message for i in item.interactions if i.message]
        warnings = [t for t in found if t not in said]
        lines += [f"⚠ {text(clinician_words(w))}" for w in warnings]
        services = referrals_for(item, referrals)
        # plain service names, one a line, drawn by the table itself (no markup to parse)
        referral = Plain("\n".join(SERVICES.get(s, words(s)) for s in services) or "–")
        # the rule ids of the first two pieces of advice; the rest are counted (evidence, not
        # advice: every one is on screen and in the plan document)
        prefer = [b.rule for d in item.intervention_details[:2] for b in d.basis]
        basis = para(cite(item.basis, refs, limit=2, prefer=prefer), st.small)
        capped_any |= len({b.rule for b in item.basis}) > 2
        first: Any = problem
        if marks is not None:
            first = [PageMark(problem_mark(item.problem), marks), para(problem, dense.cell)]
        rows.append([first, "<br/>".join(lines) or "–", referral, basis])
    widths = [width * f for f in (0.15, 0.5, 0.15, 0.2)]  # sources are numbers: a narrow column
    out.append(grid(rows, widths, dense, split_in_row=24, marked=marks is not None))
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
            f"{text(SERVICES.get(r.service or '', words(r.service)))} "
            f"({text(URGENCY.get(r.urgency or '', words(r.urgency)).lower())})"
            for r in sorted(referrals, key=lambda r: order.get(r.urgency, 3) if r.urgency else 3)
        )
        out.append(
            para(
                f"<b>Referrals</b> (a slip for each follows, with reasons and basis): {listed}.",
                st.body,
            )
        )
    return out


def follow_up_section(
    plan: PlanDocument, patient: Mapping[str, Any], width: float, date_format: str = "iso"
) -> list[Flowable]:
    st = ST()
    follow = plan.follow_up
    days = None if follow is None else follow.next_review_days
    assessed = parse_date(patient.get("assessed_on") or plan.assessed_on)
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
    reasons = [text(clinician_words(r)) for r in (follow.review_reasons if follow else ())]
    if reasons:
        review += " Why: " + "; ".join(reasons)
    out.append(para(review, st.body))
    for item in follow.monitoring if follow else ():
        out.append(para(text(clinician_words(item)), st.bullet, bulletText="•"))
    return out
