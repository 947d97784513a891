"""Field paths of the case document (`labs.bilirubin.value`, `psychosocial.phq9[8]`).

The validator names every problem by such a path; pages register their widgets under the same
paths, so a message can be shown beside the widget that holds the value.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

_SEGMENT = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def split(path: str) -> list[str | int]:
    """`a.b[2].c` -> ["a", "b", 2, "c"]."""
    out: list[str | int] = []
    for name, index in _SEGMENT.findall(path):
        out.append(int(index) if index else name)
    return out


def get(document: Any, path: str) -> Any:
    """The value at `path`, or None when any step is missing."""
    node = document
    for key in split(path):
        if isinstance(key, int):
            if not isinstance(node, list) or key >= len(node):
                return None
            node = node[key]
        else:
            if not isinstance(node, dict):
                return None
            node = node.get(key)
    return node


def put(document: dict[str, Any], path: str, value: Any) -> None:
    """Set `value` at `path`, creating dicts and lists on the way."""
    keys = split(path)
    node: Any = document
    for key, following in itertools.pairwise(keys):
        blank: Any = [] if isinstance(following, int) else {}
        if isinstance(key, int):
            while len(node) <= key:
                node.append(None)
            if node[key] is None:
                node[key] = blank
            node = node[key]
        else:
            node = node.setdefault(key, blank)
    last = keys[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
        node[last] = value
    else:
        node[last] = value


def is_within(path: str, prefix: str) -> bool:
    """Whether `path` is `prefix` or lies below it (`labs.bilirubin.value` within `labs.bilirubin`)."""
    return path == prefix or path.startswith(prefix + ".") or path.startswith(prefix + "[")


def all_blank(value: Any) -> bool:
    """True when a section holds nothing but None, empty strings and empty containers."""
    if isinstance(value, dict):
        return all(all_blank(v) for v in value.values())
    if isinstance(value, list):
        return all(all_blank(v) for v in value)
    return value is None or value == ""
