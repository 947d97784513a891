"""How the plan document is read: one rule for every field (see the package's docstring), the
error that names a field it cannot read, and the parts every section shares (an amount, a basis
list, a gap)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, TypeVar

from planner.domain.evidence import Basis, Gap
from planner.domain.frozen_value import frozen_value

#: an empty mapping shared by documents that lack one (read-only)

_NO_MAPPING: Mapping[str, Any] = MappingProxyType({})


class PlanDocumentError(ValueError):
    """A plan document this program cannot read: `path` names the field, as the case validator
    names a case field."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"plan document {path}: {reason}")
        self.path = path
        self.reason = reason


# ---- the values ----------------------------------------------------------------------------


@frozen_value
class Amount:
    """A dose or a total as the document gives it (`{"value", "unit"}`)."""

    value: float
    unit: str


T = TypeVar("T")


E = TypeVar("E", bound=StrEnum)


def at(path: str, key: str) -> str:
    """A field's path in messages: `options[0].drugs[1].status` (top level: the key)."""
    return f"{path}.{key}" if path else key


def mapping(value: Any, path: str) -> Mapping[str, Any]:
    if type(value) is dict:  # the JSON's own: the common case, checked first (speed)
        return value
    if value is None:
        return _NO_MAPPING
    if not isinstance(value, Mapping):
        raise PlanDocumentError(path, f"expected an object, found {type(value).__name__}")
    return value


def items(value: Any, path: str) -> list[Any]:
    if type(value) is list:
        return value
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise PlanDocumentError(path, f"expected a list, found {type(value).__name__}")
    return list(value)


def each(value: Any, path: str, read: Callable[[Mapping[str, Any], str], T]) -> tuple[T, ...]:
    out = []
    for i, item in enumerate(items(value, path)):
        here = f"{path}[{i}]"
        out.append(read(mapping(item, here), here))
    return tuple(out)


def one(value: Any, path: str, read: Callable[[Mapping[str, Any], str], T]) -> T | None:
    return None if value is None else read(mapping(value, path), path)


def text(data: Mapping[str, Any], key: str, path: str) -> str | None:
    value = data.get(key)
    if value is None or type(value) is str:
        return value
    raise PlanDocumentError(at(path, key), f"expected text, found {type(value).__name__}")


def name(data: Mapping[str, Any], key: str, path: str) -> str:
    """A name the entry is about (a drug, a problem, a code): "" when the document has none."""
    return text(data, key, path) or ""


def texts(data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
    found = data.get(key)
    if found is None or found == []:
        return ()
    out = tuple(items(found, at(path, key)))
    for i, value in enumerate(out):
        if type(value) is not str:
            raise PlanDocumentError(f"{at(path, key)}[{i}]", "expected text")
    return out


def sentences(data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
    """Words for the family (`patient_text`): older plans wrote one text, newer ones a list."""
    value = data.get(key)
    if isinstance(value, str):
        return (value,) if value else ()
    return texts(data, key, path)


def number(data: Mapping[str, Any], key: str, path: str) -> float | None:
    value = data.get(key)
    if value is None or type(value) in (int, float):
        return value  # kept as written: an int stays an int
    raise PlanDocumentError(at(path, key), f"expected a number, found {value!r}")


def whole(data: Mapping[str, Any], key: str, path: str) -> int | None:
    value = data.get(key)
    if value is None or type(value) is int:
        return value
    if type(value) is float and value.is_integer():  # a count some tables write as 14.0
        return int(value)
    raise PlanDocumentError(at(path, key), f"expected a whole number, found {value!r}")


def flag(data: Mapping[str, Any], key: str, path: str) -> bool | None:
    value = data.get(key)
    if value is None or type(value) is bool:
        return value
    raise PlanDocumentError(at(path, key), f"expected true or false, found {value!r}")


def code(data: Mapping[str, Any], key: str, path: str, vocabulary: type[E]) -> E | None:
    value = data.get(key)
    if value is None:
        return None
    try:
        return vocabulary(value)
    except ValueError:
        allowed = ", ".join(m.value for m in vocabulary)
        raise PlanDocumentError(at(path, key), f"{value!r} is not one of {allowed}") from None


def read_amount(data: Mapping[str, Any], path: str = "amount") -> Amount:
    value = number(data, "value", path)
    if value is None:
        raise PlanDocumentError(f"{path}.value", "a dose without a value")
    return Amount(value, text(data, "unit", path) or "")


def amount(data: Mapping[str, Any], key: str, path: str) -> Amount | None:
    return one(data.get(key), at(path, key), read_amount)


def _basis_entry(data: Mapping[str, Any], path: str) -> Basis:
    verified = flag(data, "verified", path)
    # an entry that does not say is taken as the engine writes it (verified unless marked)
    return Basis(name(data, "rule", path), name(data, "source", path), verified is not False)


def read_basis(value: Any, path: str = "basis") -> tuple[Basis, ...]:
    """A `basis` list: each `{rule, source, verified}` as planner.domain.evidence.Basis."""
    return each(value, path, _basis_entry)


def basis_of(data: Mapping[str, Any], path: str) -> tuple[Basis, ...]:
    found = data.get("basis")
    return () if found is None or found == [] else read_basis(found, f"{path}.basis")


def read_gap(data: Mapping[str, Any], path: str) -> Gap:
    return Gap(
        name(data, "field", path), name(data, "effect", path), texts(data, "for_drugs", path)
    )


def gaps_of(data: Mapping[str, Any], path: str) -> tuple[Gap, ...]:
    found = data.get("gaps")
    return () if found is None or found == [] else each(found, f"{path}.gaps", read_gap)
