"""The one reader of rule-table rows: a TOML table into its row type, from the type's own fields.

`TableReader.row(DoseBand, row, where)` knows the keys a `[[drug.band]]` row may have because
`DoseBand` declares them (planner/domain/table_keys.py): every field is a key, required unless it
has a default or admits None; its type says what the value must be; a `Key` adds allowed values,
bounds, references to sources or drugs and the key's name where it differs. A field whose value
is composed from other rows (a drug's schedules, a band's conditions) is given by the loader.
Every error names the file, the row and the key ("doses/taxanes.toml drug[0] (paclitaxel)
band[2].status: "lowered" is not one of standard, caution, ..."), in the case validator's words.
"""

from __future__ import annotations

import collections.abc
import dataclasses
import enum
import json
import types
import typing
from collections.abc import Callable, Collection, Mapping
from functools import cache
from types import MappingProxyType
from typing import Any, TypeVar

from planner.domain.table_keys import REQUIRED, Key
from planner.rules.errors import RulesError

T = TypeVar("T")

_NO_KEY = Key()
_SCALARS = (str, float, int, bool)


@dataclasses.dataclass(frozen=True)
class Field:
    """One key of a row type, as the reader and the reference see it."""

    name: str  # the dataclass field
    key: str  # the table's key
    kind: type | None  # str, float, int, bool, an Enum, or None for a composed value
    container: type | None  # tuple or frozenset for a list, else None
    optional: bool
    default: Any
    decl: Key
    nested: type | None  # the row type of a nested array of tables (composed by the loader)

    @property
    def allowed(self) -> tuple[str, ...]:
        if self.decl.one_of:
            return self.decl.one_of
        if isinstance(self.kind, type) and issubclass(self.kind, enum.Enum):
            return tuple(str(member.value) for member in self.kind)
        return ()

    @property
    def composed(self) -> bool:
        return self.kind is None or self.decl.composed

    @property
    def flat(self) -> bool:
        """Its keys are the row's own (a record written flat in the row: `cited`)."""
        return self.decl.flatten and self.nested is not None


@cache
def keys_of(cls: type) -> frozenset[str]:
    """Every key a row of `cls` may have (flattened records' keys included)."""
    out: set[str] = set()
    for f in fields_of(cls):
        if f.flat:
            assert f.nested is not None
            out |= keys_of(f.nested)
        elif not f.decl.given:
            out |= {f.key, *f.decl.written_as}
    return frozenset(out)


@cache
def fields_of(cls: type) -> tuple[Field, ...]:
    """The keys of a row type, from its fields and their declarations."""
    hints = typing.get_type_hints(cls, include_extras=True)
    out = []
    for dc_field in dataclasses.fields(cls):
        if not dc_field.init:
            continue
        tp = hints[dc_field.name]
        decl = _NO_KEY
        if typing.get_origin(tp) is typing.Annotated:
            tp, *extras = typing.get_args(tp)
            decl = next((e for e in extras if isinstance(e, Key)), _NO_KEY)
        tp, optional = _strip_none(tp)
        default: Any = REQUIRED
        if dc_field.default is not dataclasses.MISSING:
            default = dc_field.default
        elif dc_field.default_factory is not dataclasses.MISSING:
            default = dc_field.default_factory()
        elif decl.default is not REQUIRED:
            default = decl.default
        elif optional:
            default = None
        container, kind, nested = _shape(tp, literal=decl)
        if kind is not None and typing.get_origin(kind) is typing.Literal:
            decl = dataclasses.replace(decl, one_of=tuple(typing.get_args(kind)))
            kind = str
        out.append(
            Field(
                name=dc_field.name,
                key=decl.toml or dc_field.name,
                kind=kind,
                container=container,
                optional=default is not REQUIRED,
                default=default,
                decl=decl,
                nested=nested,
            )
        )
    return tuple(out)


def _strip_none(tp: Any) -> tuple[Any, bool]:
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0], len(args) != len(typing.get_args(tp))
    return tp, False


def _shape(tp: Any, literal: Key) -> tuple[type | None, Any, type | None]:
    """(container, item kind, nested row type): kind None means the loader composes it."""
    origin = typing.get_origin(tp)
    if origin is collections.abc.Mapping:  # a table of name = value (coefficients, options)
        key_type, item = typing.get_args(tp)
        if key_type is str and item in _SCALARS:
            return dict, item, None
        return None, None, None
    if origin in (tuple, frozenset):
        args = typing.get_args(tp)
        item = args[0]
        if origin is tuple and not (len(args) == 2 and args[1] is Ellipsis):
            return tuple, None, None  # a fixed-length tuple (a pair): composed by the loader
        if dataclasses.is_dataclass(item):
            return origin, None, typing.cast(type, item)
        if item in _SCALARS or _is_enum(item) or typing.get_origin(item) is typing.Literal:
            return origin, item, None
        return origin, None, None
    if tp in _SCALARS or _is_enum(tp) or origin is typing.Literal:
        return None, tp, None
    if dataclasses.is_dataclass(tp):
        return None, None, typing.cast(type, tp)
    return None, None, None  # a mapping or other structure: composed by the loader


def _is_enum(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, enum.Enum)


class TableReader:
    """Reads rows against what they may refer to: the sources and drugs of the rule set."""

    def __init__(
        self,
        sources: Mapping[str, Any],
        drugs: Mapping[str, Any] | None = None,
        classes: Collection[str] | None = None,
    ):
        self.sources = sources
        self.drugs = drugs
        self.classes = classes

    def row(self, cls: type[T], row: Mapping[str, Any], where: str, /, **given: Any) -> T:
        """`row` as a `cls`: every key known, every required key present, every value of its
        declared type and allowed; `given` are the values the loader composed itself."""
        row_type: type = cls  # (a type[T] is not Hashable to mypy; the cached readers need one)
        fields = fields_of(row_type)
        self.known(row_type, row, where)
        missing = sorted(
            f.key for f in fields if not f.optional and not f.composed and f.key not in row
        )
        if missing:
            raise RulesError(f"{where}: missing keys {missing}")
        values: dict[str, Any] = {}
        for f in fields:
            if f.name in given:
                values[f.name] = given[f.name]
            elif f.flat:
                assert f.nested is not None
                own = keys_of(f.nested)
                names = {g.name for g in fields_of(f.nested)}
                values[f.name] = self.row(
                    f.nested,
                    {k: row[k] for k in row if k in own},
                    where,
                    **{name: v for name, v in given.items() if name in names},
                )
            elif f.composed:
                if f.optional:
                    values[f.name] = f.default
                    continue
                raise TypeError(f"{cls.__name__}.{f.name} is composed: its loader must give it")
            elif f.key in row:
                values[f.name] = self.value(f, row[f.key], f"{where}.{f.key}", where)
            else:
                values[f.name] = f.default
        return cls(**values)

    @staticmethod
    def known(cls: type, row: Mapping[str, Any], where: str) -> None:
        """Every key of `row` is a key of `cls` (a loader composing values checks this first, so
        a misspelt key is named as such, not as the key it should have been)."""
        unknown = set(row) - keys_of(cls)
        if unknown:
            raise RulesError(f"{where}: unknown keys {sorted(unknown)}")

    def value(self, f: Field, value: Any, at: str, where: str) -> Any:
        """One key's value, checked against its field (`at` names the key, `where` the row)."""
        if f.container is None:
            item = _scalar(f.kind, value, at)
            self._check_item(f, item, at, where)
            return item
        if f.container is dict:
            if not isinstance(value, dict):
                raise RulesError(f"{at}: must be a table of {_WORDS[_base(f.kind)]}")
            table = {name: _scalar(f.kind, v, f"{at}.{name}") for name, v in value.items()}
            for name, item in table.items():
                self._check_item(f, item, f"{at}.{name}", where)
            return MappingProxyType(table)
        if not isinstance(value, list):
            raise RulesError(f"{at}: {value!r} is not a list of {_WORDS[_base(f.kind)]}")
        items = [_scalar(f.kind, v, at, listed=value) for v in value]
        if not items and (f.decl.non_empty or f.allowed or f.decl.refers_to == "source"):
            if f.decl.refers_to == "source":
                raise RulesError(f"{where}: cites no source")
            if f.allowed:
                raise RulesError(f"{at}: {value!r} must name some of {', '.join(f.allowed)}")
            raise RulesError(f"{at}: is empty")
        if f.allowed and any(str(item) not in f.allowed for item in items):
            raise RulesError(f"{at}: {value!r} must name some of {', '.join(f.allowed)}")
        for item in items:
            self._check_item(f, item, at, where, in_list=True)
        return f.container(items)

    def _check_item(self, f: Field, item: Any, at: str, where: str, in_list: bool = False) -> None:
        decl = f.decl
        if not in_list and f.allowed and str(item) not in f.allowed:
            raise RulesError(f"{at}: {_shown(item)} is not one of {', '.join(f.allowed)}")
        if isinstance(item, float | int) and not isinstance(item, bool):
            _bounds(decl, float(item), at)
        if decl.refers_to == "source" and item not in self.sources:
            raise RulesError(f"{where}: source {item!r} is not defined in any [[source]] table")
        if decl.refers_to == "drug" and self.drugs is not None and item not in self.drugs:
            raise RulesError(f"{at}: {item!r} is not in drugs.toml")
        if decl.refers_to == "class" and self.classes is not None and item not in self.classes:
            raise RulesError(f"{at}: {item!r} is not a known drug class")


def band_edges(row: Mapping[str, Any], where: str) -> dict[str, Any]:
    """A banded row's edges (`above`/`from` below, `below`/`upto` above; at most one of each), as
    the keyword arguments of a row type with low, low_inclusive, high, high_inclusive: one reading
    for the dose tables' conditions and the cycle tables' thresholds."""
    low_key = "above" if "above" in row else "from" if "from" in row else None
    high_key = "below" if "below" in row else "upto" if "upto" in row else None
    low, high = _edge(row, low_key, where), _edge(row, high_key, where)
    if low is None and high is None:
        raise RulesError(f"{where}: needs a lower or an upper edge")
    if low is not None and high is not None and not low < high:
        raise RulesError(f"{where}: lower edge {low:g} is not below upper edge {high:g}")
    return {
        "low": low,
        "low_inclusive": low_key == "from",
        "high": high,
        "high_inclusive": high_key == "upto",
    }


def pair(row: Mapping[str, Any], key: str, where: str) -> tuple[float, float]:
    """An ascending `[low, high]` pair of numbers (a range written as one key)."""
    value = row[key]
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        or value[0] > value[1]
    ):
        raise RulesError(f"{where}.{key}: {value!r} is not an ascending [low, high] pair")
    return float(value[0]), float(value[1])


def _edge(row: Mapping[str, Any], key: str | None, where: str) -> float | None:
    if key is None:
        return None
    value = row[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RulesError(f"{where}.{key}: {value!r} is not a number")
    return float(value)


def _bounds(decl: Key, number: float, at: str) -> None:
    low_ok = decl.minimum is None or number >= decl.minimum
    above_ok = decl.above is None or number > decl.above
    high_ok = decl.maximum is None or number <= decl.maximum
    if low_ok and above_ok and high_ok:
        return
    if decl.minimum is not None and decl.maximum is not None:
        raise RulesError(f"{at}: {number:g} is outside {describe_bounds(decl)}")
    raise RulesError(f"{at}: {number:g} must be {describe_bounds(decl)}")


def describe_bounds(decl: Key) -> str:
    """The bounds in words, for messages and the reference ("positive", "0–100")."""
    if decl.minimum is not None and decl.maximum is not None:
        return f"{decl.minimum:g}–{decl.maximum:g}"
    parts = []
    if decl.above is not None:
        parts.append("positive" if decl.above == 0 else f"above {decl.above:g}")
    if decl.minimum is not None:
        parts.append(f"at least {decl.minimum:g}")
    if decl.maximum is not None:
        parts.append(f"at most {decl.maximum:g}")
    return " and ".join(parts)


def _shown(value: Any) -> str:
    """A value as the case validator writes it: text in double quotes, numbers bare."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


def _base(kind: Any) -> Any:
    return str if _is_enum(kind) else kind


_WORDS: Mapping[Any, str] = {str: "text", float: "numbers", int: "whole numbers", bool: "flags"}


def _as_text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _as_whole(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def _as_flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


_READ: Mapping[Any, tuple[Callable[[Any], Any], str]] = {
    str: (_as_text, "text"),
    float: (_as_number, "a number"),
    int: (_as_whole, "a whole number"),
    bool: (_as_flag, "true/false"),
}


def _scalar(kind: Any, value: Any, at: str, listed: list[Any] | None = None) -> Any:
    read, words = _READ[_base(kind)]
    item = read(value)
    if item is None:
        if listed is not None:
            raise RulesError(f"{at}: {listed!r} is not a list of {_WORDS[_base(kind)]}")
        raise RulesError(f"{at}: {value!r} is not {words}")
    if _is_enum(kind):
        try:
            return kind(item)
        except ValueError:
            allowed = ", ".join(str(m.value) for m in kind)
            raise RulesError(f"{at}: {_shown(item)} is not one of {allowed}") from None
    return item


@dataclasses.dataclass(frozen=True)
class Layout:
    """A rule file's shape: its `[meta]` keys and the row type of each `[[array]]`. Each loader
    declares its layout once; `check_document` reads it and docs/rules-schema.md lists it."""

    file: str  # "lab_deltas.toml", or a pattern for a folder of tables ("doses/*.toml")
    arrays: Mapping[str, type]  # [[name]] -> its row type (nested arrays are fields of the type)
    required: tuple[str, ...] = ()  # arrays that must be there
    table: str | None = None  # the value `[meta] table` must have (None: no [meta] checked)
    meta: tuple[str, ...] = ("table", "version", "reviewed_on")
    source_prefix: str | None = None  # the id prefix of the file's own [[source]] rows
    doc: str = ""
    # rows inside a row that its loader reads into another shape ("lab.units" -> UnitRange), for
    # the reference: their keys are declared on their row type like every other row's
    inner: Mapping[str, type] = dataclasses.field(default_factory=dict)
    sources: bool = True  # the file may have [[source]] rows


def check_document(layout: Layout, name: str, document: Mapping[str, Any]) -> None:
    """The document's top-level keys, its [meta] and its own sources' prefix, naming the file."""
    allowed = {"meta", *layout.arrays} | ({"source"} if layout.sources else set())
    unknown = set(document) - allowed
    if unknown:
        raise RulesError(f"{name}: unknown keys {sorted(unknown)}")
    missing = sorted({"meta", *layout.required} - set(document))
    if missing:
        raise RulesError(f"{name}: missing keys {missing}")
    if layout.table is not None:
        meta = document["meta"]
        if not isinstance(meta, dict):
            raise RulesError(f"{name} [meta]: must be a table")
        unknown = set(meta) - set(layout.meta)
        missing = sorted(set(layout.meta) - set(meta))
        if unknown:
            raise RulesError(f"{name} [meta]: unknown keys {sorted(unknown)}")
        if missing:
            raise RulesError(f"{name} [meta]: missing keys {missing}")
        if meta["table"] != layout.table:
            raise RulesError(f'{name} [meta]: table must be "{layout.table}"')
    if layout.source_prefix is not None:
        for i, row in enumerate(rows(document, "source", name)):
            if not str(row.get("id", "")).startswith(layout.source_prefix):
                raise RulesError(
                    f"{name} source[{i}]: ids in this table start with '{layout.source_prefix}'"
                )


def rows(document: Mapping[str, Any], key: str, where: str) -> list[Mapping[str, Any]]:
    """The rows of an array of tables (none when it is left out)."""
    value = document.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise RulesError(f"{where}: [[{key}]] must be an array of tables")
    return value
