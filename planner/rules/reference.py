"""The pharmacist's reference of the rule tables (docs/rules-schema.md), from the row types.

Every key a table may have, its type, whether it is required, the values it allows and what it
means, written from the same declarations the reader checks (planner/domain/table_keys.py), so
the reference cannot drift from the reader. `planner rules schema --write docs/rules-schema.md`
rewrites it; tests/rules/test_reference.py fails when the committed file is not current.
"""

from __future__ import annotations

from collections.abc import Iterator

from planner.rules import (
    case_limits,
    clinic_settings,
    cycle,
    doses,
    drugs,
    hard_limits,
    instruments,
    interactions,
    lab_deltas,
    references,
    regimens,
    supportive,
)
from planner.rules.reader import Field, Layout, describe_bounds, fields_of

# Every table read through the reader, in the order of the reference.
LAYOUTS: tuple[Layout, ...] = (
    references.SOURCES_LAYOUT,
    references.REFERENCES_LAYOUT,
    case_limits.LAYOUT,
    clinic_settings.LAYOUT,
    cycle.LAYOUT,
    doses.LAYOUT,
    drugs.LAYOUT,
    drugs.NAMES_LAYOUT,
    hard_limits.LAYOUT,
    instruments.LAYOUT,
    interactions.LAYOUT,
    lab_deltas.LAYOUT,
    regimens.REGIMENS_LAYOUT,
    regimens.SUBTYPE_LAYOUT,
    supportive.LAYOUT,
)

_TYPE_WORDS = {str: "text", float: "number", int: "whole number", bool: "true/false"}

HEADER = """\
# Rule tables: every key

Generated from the row types by `planner rules schema --write docs/rules-schema.md`; do not edit
by hand (`make test` fails when this file is not current). Check an edited table with
`planner rules check [DIR]`: an error names the file, the row and the key.

Every table has a `[meta]` table with the keys listed for it, and may have `[[source]]` rows
(`id`, `title`, `reference` = an id of references.toml, `section`, `verified`; see
`docs/decisions.md` on sources). A key marked *required* must be written; an optional key left
out takes the default shown. A list that allows some values must name at least one.
"""


def reference() -> str:
    """The whole reference, as committed in docs/rules-schema.md."""
    parts = [HEADER]
    for layout in LAYOUTS:
        parts.append("\n".join(_layout(layout)))
    return "\n".join(parts)


def _layout(layout: Layout) -> Iterator[str]:
    yield f"## `{layout.file}`"
    yield ""
    if layout.doc:
        yield layout.doc
        yield ""
    if layout.table is not None:
        meta = ", ".join(f"`{key}`" for key in layout.meta)
        yield f'`[meta]`: {meta}; `table = "{layout.table}"`.'
    if layout.source_prefix:
        yield f"Its own `[[source]]` ids start with `{layout.source_prefix}`."
    if layout.required:
        needed = ", ".join(f"`[[{name}]]`" for name in layout.required)
        yield f"Required: {needed}."
    yield ""
    for name, row_type in layout.arrays.items():
        yield from _rows(f"[[{name}]]", name, row_type, tuple(layout.inner))
    for name, row_type in layout.inner.items():
        yield from _rows(f"[[{name}]]", name, row_type)


def _rows(title: str, path: str, row_type: type, inner: tuple[str, ...] = ()) -> Iterator[str]:
    doc = (row_type.__doc__ or "").strip()
    yield f"### `{title}` ({row_type.__name__})"
    yield ""
    if doc and not doc.startswith(f"{row_type.__name__}("):  # not the generated signature
        yield " ".join(doc.split())
        yield ""
    yield "| key | type | needed | allowed values, meaning |"
    yield "|---|---|---|---|"
    fields = fields_of(row_type)
    nested: list[Field] = []
    done: set[tuple[str, ...]] = set()
    for f in fields:
        if f.decl.given:  # not written in the table
            continue
        if f"{path}.{f.key}" in inner:  # rows its loader reads into another shape
            yield _line(f"`{f.key}`", f"rows (`[[{path}.{f.key}]]`)", f, f.decl.doc)
            continue
        if f.decl.written_as:  # fields composed from other keys: one line for those keys
            if f.decl.written_as not in done:
                done.add(f.decl.written_as)
                yield _composed_line([g for g in fields if g.decl.written_as == f.decl.written_as])
            continue
        if f.flat:  # a record written in the row itself: its keys are the row's
            assert f.nested is not None
            inner_fields = fields_of(f.nested)
            for g in inner_fields:
                if g.decl.given:
                    continue
                if g.decl.written_as:
                    if g.decl.written_as not in done:
                        done.add(g.decl.written_as)
                        same = [h for h in inner_fields if h.decl.written_as == g.decl.written_as]
                        yield _composed_line(same)
                    continue
                yield _line(f"`{g.key}`", _type(g), g, _meaning(g))
            continue
        if f.nested is not None:
            nested.append(f)
        yield _line(f"`{f.key}`", _type(f, path), f, _meaning(f))
    yield ""
    for f in nested:
        if f.nested is not None:
            sub = f"{path}.{f.key}"
            yield from _rows(f"[[{sub}]]" if f.container else f"[{sub}]", sub, f.nested)


def _composed_line(group: list[Field]) -> str:
    keys = group[0].decl.written_as
    numbers = [f for f in group if f.kind is float]
    if len(keys) == 1 and len(numbers) == 2:
        type_words = "[low, high] numbers"
    elif all(f.nested is not None or f.kind is None for f in group):
        type_words = "as the meaning says"
    else:
        type_words = "number" if numbers else _type(group[0])
    first = next((f for f in group if not f.optional), group[0])
    meaning = "; ".join(f.decl.doc for f in group if f.decl.doc)
    return _line(" \\| ".join(f"`{k}`" for k in keys), type_words, first, meaning)


def _line(key: str, type_words: str, f: Field, meaning: str) -> str:
    if f.optional:
        needed = "optional" if f.default in (None, (), frozenset()) else f"= {_shown(f.default)}"
    else:
        needed = "*required*"
    return f"| {key} | {type_words} | {needed} | {meaning} |"


def _type(f: Field, path: str = "") -> str:
    if f.nested is not None and f.container is None:  # one table: `[a.b]` or `b = {...}`
        return f"table (`[{path}.{f.key}]`)"
    if f.nested is not None:  # `[[a.b]]` rows, or inline: `b = [{...}, ...]`
        return f"rows (`[[{path}.{f.key}]]`)"
    if f.kind is None and f.container is tuple:  # a pair its loader reads
        return "[low, high] whole numbers"
    if f.kind is None:  # a table its loader reads (drug = schedule ids)
        return "table"
    base = _TYPE_WORDS.get(f.kind, "text")
    if f.container is dict:
        return f"table of name = {base}"
    if f.container is not None:
        return f"list of {base}" if base == "text" else f"list of {base}s"
    return base


def _meaning(f: Field) -> str:
    said = []
    if f.allowed:
        said.append(" \\| ".join(f"`{v}`" for v in f.allowed))
    bounds = describe_bounds(f.decl)
    if bounds:
        said.append(bounds)
    if f.decl.refers_to == "source":
        said.append("ids of `[[source]]` rows (at least one)")
    elif f.decl.refers_to == "drug":
        said.append("drug names of drugs.toml")
    elif f.decl.refers_to == "class":
        said.append("drug classes of drugs.toml")
    if f.decl.non_empty and not f.allowed:
        said.append("at least one")
    if f.decl.doc:
        said.append(f.decl.doc)
    return "; ".join(said)


def _shown(value: object) -> str:
    if isinstance(value, bool):
        return "`true`" if value else "`false`"
    if isinstance(value, str):
        return f'`"{value}"`'
    return f"`{value}`"
