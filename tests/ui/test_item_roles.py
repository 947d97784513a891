"""The start-up path's named roles are Qt's own numbers (planner.ui.item_roles)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt

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


#: the application's own roles, above UserRole (ROW_KEY is UserRole itself)
OWN_ROLES = {ItemRole.ROW_NAME}


def test_every_named_role_is_the_qt_role_of_that_name():
    assert set(QT_ROLES) | OWN_ROLES == set(ItemRole)
    assert all(role > Qt.ItemDataRole.UserRole.value for role in OWN_ROLES)
    for role, qt_role in QT_ROLES.items():
        assert int(role) == qt_role.value, role.name


def test_the_alignment_flags_are_qt_flags():
    assert int(Alignment.RIGHT) == Qt.AlignmentFlag.AlignRight.value
    assert int(Alignment.VCENTER) == Qt.AlignmentFlag.AlignVCenter.value
    right_vcenter = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    assert int(Alignment.RIGHT | Alignment.VCENTER) == right_vcenter.value


def test_the_event_types_the_start_up_path_names_are_qt_numbers():
    from PySide6.QtCore import QEvent

    from planner.ui import main_window, worklist_view

    assert QEvent.Type.KeyPress.value == main_window.KEY_PRESS
    assert QEvent.Type.Resize.value == main_window.RESIZE
    assert main_window.FOCUS_IN == worklist_view.FOCUS_IN == QEvent.Type.FocusIn.value


def test_the_numbers_for_qt_enums_on_the_start_up_path_are_qt_numbers():
    from planner.ui import app, first_paint, worklist_view

    assert Qt.ScrollBarPolicy.ScrollBarAlwaysOff.value == worklist_view.SCROLL_BAR_ALWAYS_OFF
    assert QEvent.Type.Paint.value == first_paint.PAINT
    assert QEvent.Type.LayoutRequest.value == app.LAYOUT_REQUEST
