"""The item-data roles and alignment flags the start-up path's models use, by name.

They are Qt's own numbers (`Qt.ItemDataRole`, `Qt.AlignmentFlag`; fixed by Qt's ABI), written
here because touching PySide6's `Qt` namespace builds all its enums (~30 ms), which the start-up
path avoids (tests/ui/test_startup.py). tests/ui/test_item_roles.py checks every value against
the `Qt` namespace, so a name here cannot drift from what Qt means by it. Modules off the
start-up path use `Qt.ItemDataRole` directly.
"""

from __future__ import annotations

from enum import IntEnum, IntFlag


class ItemRole(IntEnum):
    """Qt.ItemDataRole members, and the application's own roles as offsets of UserRole."""

    DISPLAY = 0  # Qt.ItemDataRole.DisplayRole
    TOOLTIP = 3  # ToolTipRole
    TEXT_ALIGNMENT = 7  # TextAlignmentRole
    BACKGROUND = 8  # BackgroundRole
    FOREGROUND = 9  # ForegroundRole
    ACCESSIBLE_TEXT = 11  # AccessibleTextRole
    USER = 256  # UserRole: the first role free for the application's data
    # the worklist's rows: what the row opens (a patient's MRN, or the id of a draft to resume)
    ROW_KEY = USER + 0
    # the worklist's rows: the patient's name, as a button acting on her names her (walk 21 H3)
    ROW_NAME = USER + 1


class Alignment(IntFlag):
    """Qt.AlignmentFlag members."""

    RIGHT = 0x0002  # AlignRight
    VCENTER = 0x0080  # AlignVCenter
