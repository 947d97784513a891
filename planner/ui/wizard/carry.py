"""How the wizard writes a case back: the pages' fields over the document as it was loaded.

The wizard has widgets for part of the case document only; a saved assessment, a draft or an
imported case can hold more (current medicines, allergies, the treatment section, the family's
language, a prior-therapy line's cumulative dose, an earlier panel's enzymes, fields a later
release adds). Rebuilding the document from the pages alone would drop all of that when a nurse
opens a case and saves it again. So the one rule, applied by `rebuild`:

- A path a page shows (a registered field path, `labs.bilirubin`, `disease.prior_therapy[0].drugs`)
  takes the page's value; anything below it is the page's too (a lab result's value, unit, ULN).
- Every other path keeps the loaded value exactly (absent stays absent).
- A list whose lines a page adds and removes (`Ownership.lists`, the prior-therapy table) has the
  page's lines, in the page's order, matched to the loaded lines by position: a line's fields the
  page does not show are carried from the loaded line at the same position. A line the page left
  blank (None) or removed is deleted, and its hidden fields go with it.
- Any other list a page shows elements of (`previous_labs[0]`) is matched by position too; its
  elements the page does not show are carried.
- A list where empty is a statement (`Ownership.stated`: `medications`, "takes no regular
  medicines") is written as the page has it: `[]` and null are two answers there, never one
  blank (safety rule 2), so neither the blank normalisation below nor the loaded form applies.

Normalisations (documented; a round trip of an unedited case differs only by these):
- Where the page's value is blank (null, "" or an empty list/object) and the loaded value is
  blank too, the loaded form is kept (`"previous_labs": []` is not rewritten as null).
- A field or section a page shows that the loaded document did not hold, left blank, is written
  as null (not recorded), which the contract reads the same as absent.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from planner.ui.wizard.paths import all_blank, is_within

#: a key or list element absent from a document
MISSING: Any = object()


@dataclass(frozen=True)
class Ownership:
    """What the pages write: the paths of their fields, and the lists whose lines they edit."""

    fields: frozenset[str]
    lists: frozenset[str] = frozenset()
    stated: frozenset[str] = frozenset()  # lists whose empty form says something (see above)

    @classmethod
    def of(
        cls, fields: Iterable[str], lists: Iterable[str] = (), stated: Iterable[str] = ()
    ) -> Ownership:
        return cls(frozenset(fields), frozenset(lists), frozenset(stated))

    def shows(self, path: str) -> bool:
        """The page's value stands at `path` (a field, or inside one)."""
        return any(is_within(path, field) for field in self.fields)

    def reaches(self, path: str) -> bool:
        """Some field or edited list lies at or below `path`."""
        return not path or any(is_within(p, path) for p in (*self.fields, *self.lists))


def rebuild(loaded: dict[str, Any], entered: dict[str, Any], owned: Ownership) -> dict[str, Any]:
    """The case to save: `entered` (the pages' parts) at the owned paths, `loaded` elsewhere."""
    out = _node(copy.deepcopy(loaded), copy.deepcopy(entered), "", owned)
    return out if isinstance(out, dict) else {}


def _node(loaded: Any, entered: Any, path: str, owned: Ownership) -> Any:
    if path and owned.shows(path):
        return _kept_blank(loaded, entered)
    if not owned.reaches(path):
        return loaded  # nothing here is shown: carried as loaded (absent stays absent)
    if path in owned.lists:
        return _edited_list(loaded, entered, path, owned)
    if isinstance(loaded, list) or isinstance(entered, list):
        return _by_position(loaded, entered, path, owned)
    if not isinstance(loaded, dict):
        return _kept_blank(loaded, entered)  # nothing loaded here to carry
    shown = entered if isinstance(entered, dict) else {}
    out: dict[str, Any] = {}
    for key in [*loaded, *(k for k in shown if k not in loaded)]:
        value = _node(loaded.get(key, MISSING), shown.get(key, MISSING), _child(path, key), owned)
        if value is not MISSING:
            out[key] = value
    if not isinstance(entered, dict) and all_blank(out):
        # The page left the whole part blank (an unticked questionnaire) and nothing hidden
        # is there to keep: the page's "not recorded" stands.
        return _kept_blank(loaded, entered)
    return out


def _edited_list(loaded: Any, entered: Any, path: str, owned: Ownership) -> Any:
    """The page's lines (None: a blank or removed line, dropped), each over the loaded line at
    the same position."""
    stated = path in owned.stated
    if stated and not isinstance(entered, list):
        return None  # not recorded, whatever was loaded
    if stated and entered == []:
        return []  # recorded as none
    if not isinstance(entered, list):
        return _kept_blank(loaded, entered)
    before = loaded if isinstance(loaded, list) else []
    out = []
    for i, line in enumerate(entered):
        if line is None:
            continue
        old = before[i] if i < len(before) else MISSING
        out.append(_node(old, line, f"{path}[{i}]", owned))
    if stated:
        return out or None  # only blank lines: not recorded (never the loaded "none")
    return out if out else _kept_blank(loaded, None)


def _by_position(loaded: Any, entered: Any, path: str, owned: Ownership) -> Any:
    """A list the page shows some elements of: element by element; an element that ends up
    empty is dropped."""
    before = loaded if isinstance(loaded, list) else []
    shown = entered if isinstance(entered, list) else []
    out = []
    for i in range(max(len(before), len(shown))):
        value = _node(
            before[i] if i < len(before) else MISSING,
            shown[i] if i < len(shown) else MISSING,
            f"{path}[{i}]",
            owned,
        )
        if value is not MISSING and not all_blank(value):
            out.append(value)
    return out if out else _kept_blank(loaded, entered)


def _kept_blank(loaded: Any, entered: Any) -> Any:
    """The page's value; but where both it and the loaded value are blank, the loaded form."""
    if loaded is not MISSING and _blank(loaded) and _blank(entered):
        return loaded
    return entered


def _blank(value: Any) -> bool:
    return value is MISSING or all_blank(value)


def _child(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
