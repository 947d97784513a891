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
