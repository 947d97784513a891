"""`Basis` is a named tuple (docs/decisions.md, "The engine, fifth pass"): what the engine and
its readers rely on still holds — immutable, hashable by value, the contract's JSON, a pickle
round trip (the rules cache holds Basis rows)."""

import pickle

import pytest

from planner.domain.evidence import Basis


def test_a_basis_cannot_be_changed():
    basis = Basis("dose.capecitabine", "label-capecitabine-us")
    with pytest.raises(AttributeError):
        basis.source = "another"  # type: ignore[misc]


def test_equal_rows_are_one_key_and_the_first_seen_order_stays():
    first = Basis("r1", "s1")
    again = Basis("r1", "s1", verified=True)
    unverified = Basis("r1", "s1", verified=False)
    assert first == again
    assert hash(first) == hash(again)
    assert first != unverified
    assert list(dict.fromkeys([unverified, first, again])) == [unverified, first]


def test_json_and_repr_are_those_of_the_contract_and_the_dataclass():
    basis = Basis("r1", "s1", False)
    assert basis.to_json() == {"rule": "r1", "source": "s1", "verified": False}
    assert repr(basis) == "Basis(rule='r1', source='s1', verified=False)"
    assert pickle.loads(pickle.dumps(basis)) == basis
    assert type(pickle.loads(pickle.dumps(basis))) is Basis
