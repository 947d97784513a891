"""Whether a decision's reason says something: a decision that differs from the program's
suggestion (another option, a changed dose, a held drug, best supportive care where an option was
suggested) is printed with its reason as the why a colleague reads next week, so "ok" or "agreed"
is not one (issue 16, review 16c: a nurse decided chemotherapy with the reason "ok").

No length is a proof of content; the check refuses what is plainly a placeholder: fewer than two
words, or only words that acknowledge without saying anything (docs/decisions.md).
"""

from __future__ import annotations

import re

#: words that acknowledge without giving a reason; a reason made only of these says nothing
PLACEHOLDER_WORDS = frozenset(
    {
        "ok",
        "okay",
        "k",
        "yes",
        "y",
        "no",
        "fine",
        "good",
        "agree",
        "agreed",
        "as",
        "discussed",
        "per",
        "see",
        "notes",
        "note",
        "done",
        "same",
        "na",
        "n",
        "a",
        "none",
        "nil",
        "test",
        "x",
        "xx",
        "xxx",
        "decided",
        "approved",
        "plan",
        "doctor",
        "dr",
        "reason",
    }
)

THIN_REASON = (
    "says too little for a decision that differs from the suggestion: say what was chosen and "
    "why, in a few words (for example 'liver function worse: everolimus 2.5 mg')"
)


def thin_reason(reason: str) -> bool:
    """Whether `reason` is a placeholder: fewer than two words, or only acknowledging words."""
    words = re.findall(r"[^\W_]+", reason.casefold())
    return len(words) < 2 or all(w in PLACEHOLDER_WORDS for w in words)
