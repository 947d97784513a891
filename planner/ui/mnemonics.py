"""Alt-shortcuts that are unique on each page.

Two labels with the same mnemonic make Alt+letter cycle between them (or hit the wizard's Back
button instead of "&Bilirubin"): the nurse's keystroke lands somewhere unexpected. Labels are
written with the mnemonic that reads best; `make_unique` keeps the first label (in tab order of
creation) that claims a letter and moves each later claimant to the first free letter of its own
text, so a new label can never introduce a clash (tests/ui/test_keyboard.py checks every page).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QWidget

_MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic(text: str) -> str | None:
    """The Alt-letter of a label text ("A&ST" -> "s"), lower-cased; None when it has none."""
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _text(widget: QWidget) -> str:
    return widget.title() if isinstance(widget, QGroupBox) else widget.text()  # type: ignore[attr-defined]


def _set_text(widget: QWidget, text: str) -> None:
    if isinstance(widget, QGroupBox):
        widget.setTitle(text)
    else:
        widget.setText(text)  # type: ignore[attr-defined]


def labelled(root: QWidget) -> list[QWidget]:
    """The widgets under `root` whose text can carry a mnemonic, in creation order."""
    found: list[QWidget] = []
    for kind in (QLabel, QAbstractButton, QGroupBox):
        found.extend(w for w in root.findChildren(kind) if mnemonic(_text(w)))
    return found


def mnemonics_in_view(window: QWidget) -> list[str]:
    """Every Alt-letter the nurse can press in `window` as it is shown now: the visible labels,
    buttons and group boxes, the tabs of visible tab bars, and the menu bar's menus (a hidden
    widget's mnemonic is not active, so a page of a stack or a tab counts only when shown)."""
    from PySide6.QtWidgets import QMenuBar, QTabBar

    found = [
        letter
        for widget in labelled(window)
        if widget.isVisibleTo(window) and (letter := mnemonic(_text(widget)))
    ]
    found += _standard_button_letters(window)
    for bar in window.findChildren(QTabBar):
        if bar.isVisibleTo(window):
            found += [m for i in range(bar.count()) if (m := mnemonic(bar.tabText(i)))]
    for menus in window.findChildren(QMenuBar):
        found += [m for action in menus.actions() if (m := mnemonic(action.text()))]
    return found


def _standard_button_letters(window: QWidget) -> list[str]:
    """The Alt-letters a dialog's standard buttons get on a Linux desktop whose texts carry no
    "&" here: GNOME's theme names them "&OK", "&Save", "&Cancel", "&Close" (Qt's own texts on
    the test platform have none, so a clash such as "&Sex" beside Save went unseen: walk 21
    F9)."""
    from PySide6.QtWidgets import QDialogButtonBox

    standard = QDialogButtonBox.StandardButton
    desktop = {standard.Ok: "o", standard.Save: "s", standard.Cancel: "c", standard.Close: "c"}
    found = []
    for box in window.findChildren(QDialogButtonBox):
        for button in box.buttons():
            if button.isVisibleTo(window) and mnemonic(button.text()) is None:
                letter = desktop.get(box.standardButton(button))
                if letter is not None:
                    found.append(letter)
    return found


def make_unique(root: QWidget, reserved: Iterable[str] = ()) -> None:
    """Give every mnemonic under `root` its own letter; `reserved` letters (the wizard's Next and
    Back) are never used. A label with no free letter left loses its mnemonic, never shares."""
    used = {letter.lower() for letter in reserved}
    for widget in labelled(root):
        text = _text(widget)
        letter = mnemonic(text)
        if letter is not None and letter not in used:
            used.add(letter)
            continue
        plain = text.replace("&&", "\0").replace("&", "").replace("\0", "&&")
        for i, char in enumerate(plain):
            if char.isalnum() and char.lower() not in used and plain[max(i - 1, 0)] != "&":
                used.add(char.lower())
                _set_text(widget, plain[:i] + "&" + plain[i:])
                break
        else:
            _set_text(widget, plain)


#: QEvent.Type.KeyPress and Qt.KeyboardModifier values as ints: the main window installs the
#: filter at start-up, where PySide6's `Qt` namespace is not built (tests/ui/test_startup.py)
_KEY_PRESS = 6
_ALT, _CONTROL, _META = 0x08000000, 0x04000000, 0x10000000


class AltKeysNeverType(QObject):
    """Event filter for a text box: a key pressed with Alt (and without Ctrl: AltGr on Windows
    is Ctrl+Alt and types letters of some keyboards) never becomes text. Qt offers the key to
    every shortcut first; one that reaches the box matched none, and typing its letter into a
    search or a value would change what the nurse sees without her noticing."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if int(event.type().value) != _KEY_PRESS:
            return False
        assert isinstance(event, QKeyEvent)
        modifiers = int(event.modifiers().value)
        return bool(modifiers & _ALT) and not modifiers & (_CONTROL | _META) and bool(event.text())
