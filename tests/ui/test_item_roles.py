"""The start-up path's named roles are Qt's own numbers (planner.ui.item_roles)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from planner.ui.item_roles import Alignment, ItemRole

QT_ROLES = {
    ItemRole.DISPLAY: Qt.ItemDataRole.DisplayRole,
    ItemRole.TOOLTIP: Qt.ItemDataRole.ToolTipRole,
    ItemRole.TEXT_ALIGNMENT: Qt.ItemDataRole.TextAlignmentRole,
    ItemRole.BACKGROUND: Qt.ItemDataRole.BackgroundRole,
    ItemRole.FOREGROUND: Qt.ItemDataRole.ForegroundRole,
    ItemRole.ACCESSIBLE_TEXT: Qt.ItemDataRole.AccessibleTextRole,
    ItemRole.USER: Qt.ItemDataRole.UserRole,
}


def test_every_named_role_is_the_qt_role_of_that_name():
    assert set(QT_ROLES) == set(ItemRole)
    for role, qt_role in QT_ROLES.items():
        assert int(role) == qt_role.value, role.name


def test_the_alignment_flags_are_qt_flags():
    assert int(Alignment.RIGHT) == Qt.AlignmentFlag.AlignRight.value
    assert int(Alignment.VCENTER) == Qt.AlignmentFlag.AlignVCenter.value
    right_vcenter = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert int(Alignment.RIGHT | Alignment.VCENTER) == right_vcenter.value
