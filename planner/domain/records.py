"""`record`: the domain's immutable dataclass, with less to compile at every start.

Why this exists: `@dataclass(frozen=True)` writes the source of `__init__`, `__repr__`, `__eq__`,
`__hash__`, `__setattr__` and `__delattr__` for every class and compiles each at import. The domain
has ~130 such classes, and every `planner` process paid ~600 M instructions for it: a quarter of
printing a plan (issue #8, measured with callgrind). `record` is `@dataclass(frozen=True)` whose
`__eq__`, `__hash__` and `__repr__` are the three functions below, compiled once with this module.
(The frozen `__init__`/`__setattr__` stay those of `dataclasses`: a shared "set once"
`__setattr__` was tried and made every instance 36 % slower to build, the engine's hot path.)

The behaviour is that of `@dataclass(frozen=True)` (eq=True), checked side by side with it in
tests/domain/test_records.py:
- equal when of the same class with equal fields (those with compare=True, in order); the hash is
  that of the same tuple (fields with hash=False left out);
- repr `Name(a=1, b='x')` over the fields with repr=True;
- `dataclasses.fields`, `replace`, `asdict`, pickling and copying work as for any dataclass.
A class that defines one of these methods itself keeps its own.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

__all__ = ["record"]

T = TypeVar("T", bound=type)

_METHODS = ("__eq__", "__hash__", "__repr__")


def record(cls: T | None = None, /, **options: Any) -> Any:
    """Make `cls` an immutable dataclass (`options` as for `dataclass`, except frozen/eq/repr)."""

    def wrap(cls: T) -> T:
        return _make_record(cls, options)

    return wrap if cls is None else wrap(cls)


def _make_record(cls: T, options: dict[str, Any]) -> T:
    own = {name for name in _METHODS if name in cls.__dict__}
    if "__eq__" in own:  # defining __eq__ in a class body also sets __hash__ = None there
        own.add("__hash__")
    if not cls.__dict__.get("__doc__"):
        # dataclass would otherwise build a docstring from inspect.signature: slow, and unread
        cls.__doc__ = f"{cls.__name__}({', '.join(inspect.get_annotations(cls))})"
    cls = dataclasses.dataclass(cls, frozen=True, eq=False, repr=False, **options)
    fields = dataclasses.fields(cls)
    compared = _tuple_of([f.name for f in fields if f.compare])
    hashed = _tuple_of([f.name for f in fields if (f.compare if f.hash is None else f.hash)])
    shown = tuple(f.name for f in fields if f.repr)
    # closures, not compiled code: making a function from this module's bytecode costs nothing
    for name, method in zip(_METHODS, _methods(compared, hashed, shown), strict=True):
        if name not in own:
            setattr(cls, name, method)
    return cls


def _tuple_of(names: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """A function giving the tuple of these attributes (attrgetter gives a bare value for one)."""
    if len(names) >= 2:
        return attrgetter(*names)
    if len(names) == 1:
        get = attrgetter(names[0])
        return lambda obj: (get(obj),)
    return lambda obj: ()


def _methods(
    compared: Callable[[Any], tuple[Any, ...]],
    hashed: Callable[[Any], tuple[Any, ...]],
    shown: tuple[str, ...],
) -> tuple[Callable[..., Any], ...]:
    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    def __repr__(self: Any) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__qualname__}({values})"

    return __eq__, __hash__, __repr__
