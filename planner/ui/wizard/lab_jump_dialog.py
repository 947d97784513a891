"""Asks the nurse to confirm a result that jumped from the patient's previous one (delta check).

The comparison is the domain's (`planner.domain.lab_deltas`, through services); this dialog
only says what was found in words and asks. "Go back and check" is the default: Enter or
Escape never confirms a value that may carry the wrong unit.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain.dates import DEFAULT_DATE_FORMAT, show_date
from planner.domain.lab_deltas import LabJump, LabReading
from planner.domain.plan_words import unit_words  # units' one home, as printed and validated


def tr(text: str) -> str:
    return QCoreApplication.translate("LabJumpDialog", text)


def _reading(reading: LabReading) -> str:
    unit = unit_words(reading.unit)
    return f"{reading.value:g} {unit}".strip()


def jump_words(jump: LabJump, date_format: str = DEFAULT_DATE_FORMAT) -> str:
    """One jump in clinician words: what was found, what it may mean, what to check."""
    canonical = unit_words(jump.canonical_unit)
    when = (
        tr("on {date}").format(date=show_date(jump.previous.drawn_on, date_format))
        if jump.previous.drawn_on
        else tr("last time")
    )
    if jump.change_percent == float("inf"):
        change = tr("up from 0")
    else:
        direction = tr("rise") if jump.rose else tr("fall")
        change = tr("a {percent:.0f} % {direction}").format(
            percent=abs(jump.change_percent), direction=direction
        )
    lines = [
        tr("<b>{test}</b>: {now} now, {then} {when} — {change}.").format(
            test=jump.label[:1].upper() + jump.label[1:],
            now=_reading(jump.current),
            then=_reading(jump.previous),
            when=when,
            change=change,
        )
    ]
    if jump.current.unit != jump.previous.unit:
        lines.append(
            tr("In the same unit: {then:.3g} {unit} then, {now:.3g} {unit} now.").format(
                then=jump.previous_canonical, now=jump.current_canonical, unit=canonical
            )
        )
    if jump.unit_that_fits is not None:
        lines.append(
            tr(
                "If the report says {unit}, the unit chosen is wrong: {value:g} {unit} would be "
                "an ordinary change."
            ).format(unit=unit_words(jump.unit_that_fits), value=jump.current.value)
        )
    limit = jump.limit
    # The limit is a ratio, the same either way: say both the rise and the matching fall.
    bound = tr(
        "A result more than {factor:g} times the previous one, or less than {share:.0f} % of it"
    ).format(factor=limit.factor, share=100 / limit.factor)
    if limit.absolute is not None:
        bound += tr(", and more than {absolute:g} {unit} away").format(
            absolute=limit.absolute, unit=canonical
        )
    lines.append(
        tr("{bound}, is checked.").format(bound=bound)
        + (
            ""
            if limit.verified
            else " " + tr("(UNVERIFIED limit: not yet reviewed by a laboratory.)")
        )
    )
    return "<br>".join(lines)


class LabJumpDialog(QDialog):
    """Shows the jumps; accepted only by the explicit "value and unit are right" button."""

    def __init__(
        self,
        jumps: Sequence[LabJump],
        date_format: str = DEFAULT_DATE_FORMAT,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.jumps = tuple(jumps)
        self.setWindowTitle(self.tr("Check these results"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "These results are far from the patient's previous ones. A wrong unit or a "
                "typing slip is more likely than a real change. Check each value and its unit "
                "against the laboratory report."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.findings: list[QLabel] = []
        for jump in self.jumps:
            label = QLabel(jump_words(jump, date_format))
            label.setWordWrap(True)
            label.setAccessibleName(jump.label)
            layout.addWidget(label)
            self.findings.append(label)
        buttons = QDialogButtonBox()
        self.back = QPushButton(self.tr("&Go back and check"))
        self.confirm = QPushButton(self.tr("The values and units are &right"))
        buttons.addButton(self.back, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        self.back.setDefault(True)
        self.confirm.setAutoDefault(False)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

    def showEvent(self, event: object) -> None:
        super().showEvent(event)  # type: ignore[arg-type]
        self.back.setFocus()

    @classmethod
    def confirmed(
        cls, parent: QWidget, jumps: Sequence[LabJump], date_format: str = DEFAULT_DATE_FORMAT
    ) -> bool:
        return cls(jumps, date_format, parent).exec() == QDialog.DialogCode.Accepted
