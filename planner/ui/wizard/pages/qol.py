"""Page 7 (optional): quality-of-life questionnaires by item number (`qol`).

EORTC QLQ-C30 / BR23 and FACT-B wording is copyrighted and never shown: each item is entered by
its number (or FACIT code) with the response scale's range. Scores come from the domain
scorers through services.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from planner.domain.assessment_wording import FACT_B_TITLE, QLQ_C30_TITLE, STEP_TITLES
from planner.domain.instruments import inputs
from planner.services import previews
from planner.ui.wizard.fields import FieldPage, ScoreBox, note

COLUMNS = 6


class QualityOfLifePage(FieldPage):
    SECTIONS = ("qol",)
    OPTIONAL_SECTIONS = ("qol",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr(STEP_TITLES["qol"]))
        self.setSubTitle(
            self.tr(
                "Tick a questionnaire the patient completed on paper, then enter each answer by "
                "item number. “—” is an unanswered item."
            )
        )
        self.groups: dict[str, QGroupBox] = {}
        self.scores: dict[str, QLabel] = {}
        self._add_instrument("qlq_c30", self.tr(QLQ_C30_TITLE), inputs.QLQ_C30_ITEMS)
        self._add_instrument(
            "qlq_br23", self.tr("EORTC QLQ-&BR23 (items 31–53)"), inputs.QLQ_BR23_ITEMS
        )
        self._add_instrument("fact_b", self.tr(FACT_B_TITLE), inputs.FACT_B_ITEMS)
        self.body_layout.addWidget(
            note(
                self.tr(
                    "Questionnaire wording is not reproduced here; use the licensed paper form."
                )
            )
        )
        self.body_layout.addStretch(1)

    def _add_instrument(self, key: str, title: str, items: dict[str, tuple[int, int]]) -> None:
        box = QGroupBox(title)
        box.setCheckable(True)
        box.setChecked(False)
        box.setAccessibleName(title.replace("&", ""))
        box.toggled.connect(self._on_edit)
        column = QVBoxLayout(box)
        grid = QGridLayout()
        for i, (code, (low, high)) in enumerate(items.items()):
            row, col = 2 * (i // COLUMNS), 2 * (i % COLUMNS)
            score = ScoreBox(low, high)
            score.setToolTip(self.tr("{low}–{high}").format(low=low, high=high))
            caption = QLabel(code.lstrip("q") if code.startswith("q") else code)
            caption.setBuddy(score)
            message = self.register(
                f"qol.{key}.{code}",
                score,
                self.tr("{title} item {code}").format(title=title.replace("&", ""), code=code),
            )
            grid.addWidget(caption, row, col)
            grid.addWidget(score, row, col + 1)
            grid.addWidget(message, row + 1, col, 1, 2)
        grid.setColumnStretch(2 * COLUMNS, 1)
        column.addLayout(grid)
        score_label = QLabel()
        score_label.setWordWrap(True)
        score_label.setAccessibleName(
            self.tr("{title} scores").format(title=title.replace("&", ""))
        )
        column.addWidget(score_label)
        self.scores[key] = score_label
        self.groups[key] = box
        self.body_layout.addWidget(box)

    def value(self) -> dict[str, Any]:
        out = super().value()
        qol = out.get("qol") or {}
        for key, box in self.groups.items():
            if not box.isChecked():
                qol[key] = None
        out["qol"] = None if all(v is None for v in qol.values()) else qol
        return out

    def set_value(self, document: dict[str, Any]) -> None:
        qol = document.get("qol") or {}
        for key, box in self.groups.items():
            box.setChecked(qol.get(key) is not None)
        super().set_value(document)

    def case_changed(self, raw: dict[str, Any], problems: list[Any], settings: Any) -> None:
        qol = raw.get("qol") or {}
        errors = {
            p.path.split(".")[1] for p in problems if p.path.startswith("qol.") and "." in p.path
        }
        for key, label in self.scores.items():
            if qol.get(key) is None or key in errors:
                label.setText("")
                continue
            scores = previews.score_questionnaire(key, qol[key])
            label.setText(
                "  ".join(f"{k} {_shown(v)}" for k, v in scores.items()) if scores else ""
            )


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)
