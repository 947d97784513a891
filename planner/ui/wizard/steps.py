"""The wizard's step list: where the nurse is ("Step 3 of 9") and a way to jump to any page.

Jumping forward walks through Next page by page, so each page's checks (required fields, the
labs delta check) still run and a page with a problem stops the walk there; jumping back is
always allowed.
"""

from __future__ import annotations

import weakref
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QListWidget, QVBoxLayout, QWidget, QWizard


def tr(text: str) -> str:
    return QCoreApplication.translate("StepList", text)


class StepList(QWidget):
    def __init__(self, wizard: QWizard) -> None:
        super().__init__(wizard)
        # A weak reference: the list lives inside the wizard and must not keep it alive.
        self._wizard = weakref.ref(wizard)
        self.counter = QLabel()
        self.counter.setAccessibleName(tr("Step"))
        self.steps = QListWidget()
        self.steps.setAccessibleName(tr("Steps of the assessment"))
        self.steps.setToolTip(tr("Click a step to go there"))
        # Never a focus stop: the wizard's relayouts (a page's completeChanged) would otherwise
        # hand it the focus mid-typing. The keyboard moves with Next and Back.
        self.steps.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 6, 0)
        layout.addWidget(self.counter)
        layout.addWidget(self.steps, 1)
        self.steps.itemClicked.connect(lambda item: self.go_to(self.steps.row(item)))
        self.steps.itemActivated.connect(lambda item: self.go_to(self.steps.row(item)))
        wizard.currentIdChanged.connect(self.follow)
        self.setMaximumWidth(self.fontMetrics().averageCharWidth() * 24)

    @property
    def wizard(self) -> QWizard:
        wizard = self._wizard()
        assert wizard is not None
        return wizard

    def fill(self) -> None:
        self.steps.clear()
        for number, page_id in enumerate(self.wizard.pageIds(), start=1):
            title = self.wizard.page(page_id).title() or str(number)
            self.steps.addItem(f"{number}. {title}")
        self.follow(self.wizard.currentId())

    def follow(self, page_id: int, *_: Any) -> None:
        ids = self.wizard.pageIds()
        if page_id not in ids:
            return
        index = ids.index(page_id)
        self.steps.setCurrentRow(index)
        self.counter.setText(
            tr("Step {number} of {total}").format(number=index + 1, total=len(ids))
        )

    def go_to(self, index: int) -> None:
        """Walk to the step at `index` (forward through each page's checks)."""
        ids = self.wizard.pageIds()
        target = ids[index]
        while self.wizard.currentId() != target:
            before = self.wizard.currentId()
            if before not in ids:  # not started (not shown yet)
                break
            if ids.index(before) < index:
                self.wizard.next()  # runs the page's validatePage, as the Next button does
            else:
                self.wizard.back()
            if self.wizard.currentId() == before:  # a page refused Next: stay there
                break
        self.follow(self.wizard.currentId())
