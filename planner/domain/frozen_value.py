"""`@frozen_value`: the domain's immutable dataclass, without compiling code at every start.

Why this exists: `@dataclass(frozen=True)` writes the source of `__init__`, `__repr__`, `__eq__`,
`__hash__`, `__setattr__` and `__delattr__` for every class and compiles each at import. The domain
has ~130 such classes; on Python 3.11 that is 910 M instructions to import the engine with plain
frozen dataclasses against 324 M with this decorator, about 100 ms of every `planner` process
(issue #8, measured again for issue #18: docs/decisions.md). A frozen value is still a dataclass
(fields, `replace`, `asdict`, pickling and copying work as for any), but its six methods are
closures over this module's bytecode, made per class at no compile cost.

Type checkers see it as `@dataclass(frozen=True)` (`typing.dataclass_transform`): constructors,
fields and "cannot assign to a frozen field" are checked as for a dataclass.

The behaviour is that of `@dataclass(frozen=True)` (eq=True), checked side by side with it in
tests/domain/test_frozen_value.py:
- `__init__` takes the fields in order, by position or keyword (`kw_only=True`, or fields after
  `KW_ONLY` or made with `field(kw_only=True)`, by keyword only), fills defaults and default
  factories (and init=False fields), then calls `__post_init__`;
- any assignment or deletion of an attribute raises `dataclasses.FrozenInstanceError` (as there,
  `object.__setattr__` is the way round it, used only in `__post_init__` to normalise a field);
- equal when of the same class with equal fields (those with compare=True, in order); the hash is
  that of the same tuple (fields with hash=False left out);
- repr `Name(a=1, b='x')` over the fields with repr=True.
A class that defines one of these methods itself keeps its own.

`@frozen_value(hot=True)` is for the few classes the engine builds hundreds of times per plan
(DrugDose, ...): the shared `__init__` loops over the fields, where dataclasses' compiled
one is straight-line code. A hot value is a plain `dataclass(frozen=True)` underneath, at the cost
of three compiled methods at import; eq, hash and repr are still shared. Classes that inherit from
one another must agree on `hot` (dataclasses refuses to mix frozen and not).

No other dataclass option is taken (a wrong keyword is a TypeError at import, and an error for the
type checker). `slots=True` in particular is not offered: the shared `__init__` writes the
instance's `__dict__`, and `functools.cached_property` (used by rule tables) needs one. Plain
slotted frozen dataclasses would cost 605 M more instructions at import for 17 % fewer in the
engine per plan (docs/decisions.md).
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import FrozenInstanceError
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

__all__ = ["frozen_value"]

T = TypeVar("T", bound=type)

_METHODS = ("__setattr__", "__delattr__", "__eq__", "__hash__", "__repr__")


@overload
def frozen_value(cls: T, /) -> T: ...
@overload
def frozen_value(*, hot: bool = False, kw_only: bool = False) -> Callable[[T], T]: ...


# frozen_default is read by type checkers (PEP 681, Python 3.12's keyword); 3.11 keeps it as given
@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, dataclasses.Field))
def frozen_value(
    cls: T | None = None, /, *, hot: bool = False, kw_only: bool = False
) -> T | Callable[[T], T]:
    """Make `cls` an immutable dataclass: `@dataclass(frozen=True)` without per-class compiling."""

    def wrap(cls: T) -> T:
        return _make_frozen_value(cls, hot, kw_only)

    return wrap if cls is None else wrap(cls)


def _make_frozen_value(cls: T, hot: bool, kw_only: bool) -> T:
    own = {name for name in _METHODS if name in cls.__dict__}
    if hot:  # dataclasses writes and compiles these two
        own |= {"__setattr__", "__delattr__"}
    if "__eq__" in own:  # defining __eq__ in a class body also sets __hash__ = None there
        own.add("__hash__")
    if not cls.__dict__.get("__doc__"):
        # dataclass would otherwise build a docstring from inspect.signature: slow, and unread
        cls.__doc__ = f"{cls.__name__}({', '.join(inspect.get_annotations(cls))})"
    own_init = "__init__" in cls.__dict__
    # without slots, dataclass() changes the class in place and gives it back
    dataclasses.dataclass(
        cls, frozen=hot, eq=False, repr=False, init=hot or own_init, kw_only=kw_only
    )
    fields = dataclasses.fields(cls)
    if not (hot or own_init):
        cls.__init__ = _init(cls, fields)  # type: ignore[misc]  # assigning a method is the point
    compared = _tuple_of([f.name for f in fields if f.compare])
    hashed = _tuple_of([f.name for f in fields if (f.compare if f.hash is None else f.hash)])
    shown = tuple(f.name for f in fields if f.repr)
    # closures, not compiled code: making a function from this module's bytecode costs nothing
    methods = _methods(compared, hashed, shown)
    for name, method in zip(_METHODS, methods, strict=True):
        if name not in own:
            setattr(cls, name, method)
    return cls


def _init(cls: type, fields: tuple[dataclasses.Field[Any], ...]) -> Callable[..., None]:
    """The dataclass __init__ of `cls`, as a closure: the fields in order, positional or by
    keyword (keyword-only fields by keyword), defaults and default factories, init=False fields,
    then __post_init__. It writes the instance's __dict__ directly, as a frozen dataclass's
    __init__ writes past __setattr__."""
    # as dataclasses orders __init__'s parameters: the positional fields, then the keyword-only
    positional = tuple(f.name for f in fields if f.init and not f.kw_only)
    names = positional + tuple(f.name for f in fields if f.init and f.kw_only)
    defaults = {f.name: f.default for f in fields if f.default is not dataclasses.MISSING}
    factories = {
        f.name: f.default_factory for f in fields if f.default_factory is not dataclasses.MISSING
    }
    later = tuple(f.name for f in fields if not f.init and f.name in defaults.keys() | factories)
    post_init = getattr(cls, "__post_init__", None)
    title = f"{cls.__qualname__}.__init__()"

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        if len(args) > len(positional):
            raise TypeError(
                f"{title} takes {len(positional)} positional arguments, {len(args)} given"
            )
        values = self.__dict__
        values.update(zip(positional, args, strict=False))  # positional may be longer
        for name in names[len(args) :]:
            if name in kwargs:
                values[name] = kwargs.pop(name)
            elif name in defaults:
                values[name] = defaults[name]
            elif name in factories:
                values[name] = factories[name]()
            else:
                raise TypeError(f"{title} missing required argument: {name!r}")
        if kwargs:
            raise TypeError(f"{title} got unexpected or repeated arguments: {sorted(kwargs)}")
        for name in later:
            values[name] = defaults[name] if name in defaults else factories[name]()
        if post_init is not None:
            post_init(self)

    __init__.__qualname__ = f"{cls.__qualname__}.__init__"
    return __init__


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
    def __setattr__(self: Any, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self: Any, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return compared(self) == compared(other)
        return NotImplemented

    def __hash__(self: Any) -> int:
        return hash(hashed(self))

    def __repr__(self: Any) -> str:
        values = ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)
        return f"{type(self).__qualname__}({values})"

    return __setattr__, __delattr__, __eq__, __hash__, __repr__
