"""What an amendment changed in a case document: every scalar under its field path, and the
fields whose value differs between two versions. One reading for the amend dialog (its list of
values) and the audit log ("albumin value 31 → 27", walk 21 F7)."""

from __future__ import annotations

import json
from typing import Any

NOT_RECORDED = "—"


def leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    """(field path, value) of every scalar in a case document, in the document's order."""
    if isinstance(value, dict):
        return [
            leaf for key, item in value.items() for leaf in leaves(item, f"{path}.{key}".strip("."))
        ]
    if isinstance(value, list):
        return [leaf for n, item in enumerate(value) for leaf in leaves(item, f"{path}[{n}]")]
    return [(path, value)]


def shown(value: Any) -> str:
    """A recorded value as text: "—" not recorded, yes/no, numbers and words as written."""
    if value is None:
        return NOT_RECORDED
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def changed_fields(old: Any, new: Any) -> list[tuple[str, Any, Any]]:
    """(path, old value, new value) of every field that differs, in the new document's order
    (then fields only the old one had); a field absent on one side reads as not recorded."""
    before, after = dict(leaves(old)), dict(leaves(new))
    paths = [*after, *(p for p in before if p not in after)]
    return [(p, before.get(p), after.get(p)) for p in paths if before.get(p) != after.get(p)]
