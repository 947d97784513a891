"""Page 5: psychosocial (`psychosocial`): distress thermometer with its problem list, PHQ-9,
GAD-7, living situation."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from planner.domain.assessment_wording import (
    DISTRESS_LABEL,
    DISTRESS_PROBLEMS_LABEL,
    DISTRESS_TITLE,
    FREQUENCY,
    GAD7_ITEMS,
    GAD7_TITLE,
    PHQ9_ITEMS,
    PHQ9_TITLE,
    PSYCHOSOCIAL_CREDIT,
    STEP_TITLES,
)
from planner.services.rule_tables import suicide_risk_item9_at
from planner.ui.alert_banner import BANNER_STYLE, BANNER_TEXT
from planner.ui.wizard import words
from planner.ui.wizard.fields import ChoiceBox, ChoiceList, FieldPage, FlagBox, ScoreBox, note


def tr(text: str) -> str:
    return QCoreApplication.translate("PsychosocialPage", text)


def frequency() -> list[tuple[int, str]]:
    return [(score, f"{score} — {tr(text)}") for score, text in FREQUENCY]


class PsychosocialPage(FieldPage):
    SECTIONS = ("psychosocial",)
    OPTIONAL_SECTIONS = ("psychosocial",)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr(STEP_TITLES["psychosocial"]))
        self.setSubTitle(
            self.tr("Distress, mood and anxiety over the last two weeks, and support at home.")
        )
        dt = self.form(tr(DISTRESS_TITLE))
        self.distress = self.add_row(
            dt,
            "psychosocial.distress_thermometer",
            tr(DISTRESS_LABEL),
            ScoreBox(0, 10),
        )
        self.problems = self.add_row(
            dt,
            "psychosocial.problems",
            tr(DISTRESS_PROBLEMS_LABEL),
            ChoiceList(words.problem_areas(), 5),
        )
        phq = self.form(tr(PHQ9_TITLE))
        self.phq9 = [
            self.add_row(
                phq,
                f"psychosocial.phq9[{i}]",
                f"&{i + 1}. {tr(text)}" if i < 9 else tr(text),
                ChoiceBox(frequency(), blank=tr("not asked")),
            )
            for i, text in enumerate(PHQ9_ITEMS)
        ]
        # The nurse learns of a positive item 9 while the patient is still in the room, not only
        # on the review page or after saving (nurse16 walkthrough).
        self.item9_flag = QLabel(
            self.tr(
                "Item 9 answered: ask about safety today. A critical alert (same-day clinician "
                "review of suicide risk) will be raised."
            )
        )
        self.item9_flag.setObjectName(BANNER_TEXT)
        self.item9_flag.setWordWrap(True)
        self.item9_flag.setAccessibleName(self.tr("Critical: PHQ-9 item 9 answered"))
        self.item9_frame = QFrame()
        self.item9_frame.setObjectName("criticalAlerts")
        self.item9_frame.setStyleSheet(BANNER_STYLE)
        frame_layout = QVBoxLayout(self.item9_frame)
        frame_layout.addWidget(self.item9_flag)
        self.item9_frame.setVisible(False)
        phq.addRow(self.item9_frame)
        self._item9_at = suicide_risk_item9_at()
        self.phq9[8].currentIndexChanged.connect(self._item9_changed)
        gad = self.form(tr(GAD7_TITLE))
        self.gad7 = [
            self.add_row(
                gad,
                f"psychosocial.gad7[{i}]",
                f"{i + 1}. {tr(text)}",
                ChoiceBox(frequency(), blank=tr("not asked")),
            )
            for i, text in enumerate(GAD7_ITEMS)
        ]
        for form in (phq, gad):
            form.setRowWrapPolicy(form.RowWrapPolicy.WrapAllRows)
        home = self.form(self.tr("At home"))
        self.lives_alone = self.add_row(
            home, "psychosocial.lives_alone", self.tr("Lives &alone"), FlagBox()
        )
        self.caregiver_strain = self.add_row(
            home, "psychosocial.caregiver_strain", self.tr("&Caregiver strain"), FlagBox()
        )
        self.body_layout.addWidget(note(tr(PSYCHOSOCIAL_CREDIT)))
        self.body_layout.addStretch(1)

    def _item9_changed(self, _index: int) -> None:
        answer = self.phq9[8].json_value()
        self.item9_frame.setVisible(isinstance(answer, int) and answer >= self._item9_at)

    def set_value(self, document: dict[str, Any]) -> None:
        super().set_value(document)  # loads with the boxes' signals blocked
        self._item9_changed(self.phq9[8].currentIndex())

    def value(self) -> dict[str, Any]:
        out = super().value()
        section = out.get("psychosocial")
        if isinstance(section, dict):
            for key in ("phq9", "gad7"):
                items = section.get(key)
                if not items or all(v is None for v in items):
                    section[key] = None
        return out
