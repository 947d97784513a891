"""The wizard's step button: where the nurse is ("Step 3 of 9") and a menu to jump to any page.

It sits in the wizard's button row (left of Back), so it never covers a page at any scaling.
Jumping forward walks through Next page by page, so each page's checks (required fields, the
labs delta check) still run and a page with a problem stops the walk there; jumping back is
always allowed.
"""

from __future__ import annotations

import weakref
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu, QPushButton, QWizard


def tr(text: str) -> str:
    return QCoreApplication.translate("StepList", text)


class StepList(QPushButton):
    """A push button showing the step counter; its menu lists every step."""

    def __init__(self, wizard: QWizard) -> None:
        super().__init__(wizard)
        # A weak reference: the button lives inside the wizard and must not keep it alive.
        self._wizard = weakref.ref(wizard)
        self.setAccessibleName(tr("Steps of the assessment"))
        self.setToolTip(tr("Go to another step"))
        # Not a focus stop: the keyboard moves with Next and Back, and a relayout must never
        # hand this button the focus while the nurse types.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.steps = QMenu(self)
        self._group = QActionGroup(self)
        self.setMenu(self.steps)
        wizard.currentIdChanged.connect(self.follow)

    @property
    def wizard(self) -> QWizard:
        wizard = self._wizard()
        assert wizard is not None
        return wizard

    def fill(self) -> None:
        self.steps.clear()
        for number, page_id in enumerate(self.wizard.pageIds(), start=1):
            title = self.wizard.page(page_id).title() or str(number)
            action = QAction(f"{number}. {title}", self.steps)
            action.setCheckable(True)
            self._group.addAction(action)
            action.triggered.connect(lambda _on=False, i=number - 1: self.go_to(i))
            self.steps.addAction(action)
        self.follow(self.wizard.currentId())

    def current_row(self) -> int:
        return next((i for i, a in enumerate(self.steps.actions()) if a.isChecked()), -1)

    def follow(self, page_id: int, *_: Any) -> None:
        ids = self.wizard.pageIds()
        index = ids.index(page_id) if page_id in ids else 0
        actions = self.steps.actions()
        if actions:
            actions[index].setChecked(True)
        self.setText(tr("Step {number} of {total}").format(number=index + 1, total=len(ids)))

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
