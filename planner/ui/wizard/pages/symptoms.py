"""Page 4: symptoms (`symptoms`): ESAS-r 0–10 and the liver-related symptoms."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from planner.domain.assessment_wording import ESAS_CREDIT, ESAS_LABELS, ESAS_OTHER, STEP_TITLES
from planner.domain.case import ESAS_ITEMS
from planner.ui.wizard.fields import FieldPage, FlagBox, ScoreBox, TextEdit, note


def tr(text: str) -> str:
    return QCoreApplication.translate("SymptomsPage", text)


class SymptomsPage(FieldPage):
    SECTIONS = ("symptoms",)
    OPTIONAL_SECTIONS = ("symptoms",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr(STEP_TITLES["symptoms"]))
        self.setSubTitle(
            self.tr(
                "ESAS-r: how the patient feels now, 0 (none) to 10 (worst possible). "
                "Leave “—” for a question not asked."
            )
        )
        esas = self.form(self.tr("ESAS-r"))
        self.esas: dict[str, ScoreBox] = {}
        for key in ESAS_ITEMS:
            label = tr(ESAS_LABELS[key])
            self.esas[key] = self.add_row(esas, f"symptoms.esas.{key}", label, ScoreBox(0, 10))
        self.other_name = TextEdit()
        self.other_name.setPlaceholderText(self.tr("other problem, in the patient's words"))
        self.other_score = ScoreBox(0, 10)
        self.other_score.setAccessibleName(self.tr("Other problem score"))
        holder = QWidget()
        line = QHBoxLayout(holder)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.other_name, 1)
        line.addWidget(self.other_score)
        message = self.register(
            "symptoms.esas.other",
            self.other_name,
            self.tr("Other problem"),
            read=self._read_other,
            write=self._write_other,
            signals=(self.other_name.textEdited, self.other_score.valueChanged),
        )
        caption = QLabel(tr(ESAS_OTHER))
        caption.setBuddy(self.other_name)
        esas.addRow(caption, holder)
        esas.addRow("", message)
        liver = self.form(self.tr("Liver-related"))
        self.pruritus = self.add_row(
            liver, "symptoms.pruritus", self.tr("&Itch (pruritus)"), FlagBox()
        )
        self.jaundice = self.add_row(liver, "symptoms.jaundice", self.tr("&Jaundice"), FlagBox())
        self.constipation = self.add_row(
            liver, "symptoms.constipation", self.tr("&Constipation"), FlagBox()
        )
        self.body_layout.addWidget(note(tr(ESAS_CREDIT)))
        self.body_layout.addStretch(1)

    def _read_other(self) -> Any:
        name, score = self.other_name.json_value(), self.other_score.json_value()
        if name is None and score is None:
            return None
        return {"name": name, "score": score}

    def _write_other(self, value: Any) -> None:
        value = value if isinstance(value, dict) else {}
        self.other_name.set_json_value(value.get("name"))
        self.other_score.set_json_value(value.get("score"))

    def value(self) -> dict[str, Any]:
        out = super().value()
        symptoms = out.get("symptoms")
        if isinstance(symptoms, dict) and all(
            v is None for v in (symptoms.get("esas") or {}).values()
        ):
            symptoms["esas"] = None
        return out
