"""Input problems: what is wrong with a value, named by the path of the field that holds it."""

from __future__ import annotations

from typing import Literal

from planner.domain.frozen_value import frozen_value

Severity = Literal["error", "doubt"]


@frozen_value
class Problem:
    """One thing wrong with an input document.

    `error` refuses the document. `doubt` accepts it but must be shown: a value that is possible
    but implausible for its unit (a likely unit mix-up), which the plan turns into an alert.
    """

    path: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "" if self.severity == "error" else "doubt: "
        return f"{prefix}{self.path}: {self.message}"


class InputInvalid(ValueError):
    """Raised by a validator when a document has at least one error; carries every problem found."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")
