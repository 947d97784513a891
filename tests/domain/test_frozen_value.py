"""`frozen_value` behaves as `@dataclass(frozen=True)` does, side by side (see planner/domain/frozen_value.py)."""

from __future__ import annotations

import copy
import pickle
from dataclasses import KW_ONLY, FrozenInstanceError, asdict, dataclass, field, fields, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.domain.frozen_value import frozen_value


@frozen_value
class Dose:
    drug: str
    mg: float
    notes: tuple[str, ...] = ()
    cache: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class DoseDC:
    drug: str
    mg: float
    notes: tuple[str, ...] = ()
    cache: dict[str, int] = field(default_factory=dict, compare=False, repr=False)


@frozen_value
class Scaled(Dose):
    factor: float = 1.0


@frozen_value
class Single:
    value: float


@frozen_value
class Empty:
    pass


@frozen_value
class Settings:
    name: str
    uln: dict[str, float] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", self.name.strip())


values = st.tuples(
    st.text(max_size=5), st.floats(allow_nan=True), st.lists(st.text(max_size=3), max_size=3)
)


@given(values, values)
def test_equality_hash_and_repr_match_frozen_dataclass(a, b):
    ra, rb = Dose(a[0], a[1], tuple(a[2])), Dose(b[0], b[1], tuple(b[2]))
    da, db = DoseDC(a[0], a[1], tuple(a[2])), DoseDC(b[0], b[1], tuple(b[2]))
    assert (ra == rb) == (da == db)
    assert (ra != rb) == (da != db)
    assert hash(ra) == hash(da)  # both hash the same tuple of fields
    assert repr(ra) == repr(da).replace("DoseDC(", "Dose(")


def test_fields_cannot_be_assigned_or_deleted_after_init():
    dose = Dose("capecitabine", 1000.0)
    with pytest.raises(FrozenInstanceError, match="'mg'"):
        dose.mg = 500.0
    with pytest.raises(FrozenInstanceError):
        dose.extra = 1  # not a field either
    with pytest.raises(FrozenInstanceError):
        del dose.drug
    assert dose.mg == 1000.0


def test_fields_not_compared_or_hashed_are_left_out():
    a, b = Dose("x", 1.0, cache={"a": 1}), Dose("x", 1.0)
    assert a == b
    assert hash(a) == hash(b)
    assert "cache" not in repr(a)
    s1, s2 = Settings(" clinic ", {"alt": 40.0}), Settings("clinic", {"alt": 35.0})
    assert s1.name == "clinic"  # __post_init__ normalised it through object.__setattr__
    assert hash(s1) == hash(s2)  # uln has hash=False (a dict) but is still compared
    assert s1 != s2


def test_other_classes_and_subclasses_are_never_equal():
    assert Dose("x", 1.0) != DoseDC("x", 1.0)
    assert Dose("x", 1.0) != Scaled("x", 1.0)
    assert Dose("x", 1.0) != ("x", 1.0, ())
    assert Scaled("x", 1.0, factor=0.75) == Scaled("x", 1.0, (), factor=0.75)
    assert repr(Scaled("x", 1.0)) == "Scaled(drug='x', mg=1.0, notes=(), factor=1.0)"


def test_one_and_no_fields():
    assert Single(1.0) == Single(1.0) != Single(2.0)
    assert hash(Single(1.0)) == hash((1.0,))
    assert Empty() == Empty()
    assert hash(Empty()) == hash(())
    assert repr(Empty()) == "Empty()"


def test_dataclass_helpers_pickle_and_copy_work():
    dose = Scaled("x", 1.0, ("a",), factor=0.5)
    assert [f.name for f in fields(dose)] == ["drug", "mg", "notes", "cache", "factor"]
    assert replace(dose, mg=2.0) == Scaled("x", 2.0, ("a",), factor=0.5)
    assert asdict(dose)["factor"] == 0.5
    for clone in (pickle.loads(pickle.dumps(dose)), copy.copy(dose), copy.deepcopy(dose)):
        assert clone == dose
        assert clone is not dose
        with pytest.raises(FrozenInstanceError):
            clone.mg = 3.0


def test_a_class_keeps_methods_it_defines():
    @frozen_value
    class Shown:
        value: int

        def __repr__(self) -> str:
            return f"<{self.value}>"

    assert repr(Shown(3)) == "<3>"
    assert Shown(3) == Shown(3)


@frozen_value(hot=True)
class HotDose:
    drug: str
    mg: float


def test_a_hot_record_behaves_the_same():
    dose = HotDose("x", 1.0)
    with pytest.raises(FrozenInstanceError):
        dose.mg = 2.0
    with pytest.raises(FrozenInstanceError):
        del dose.drug
    assert dose == HotDose("x", 1.0) != HotDose("x", 2.0)
    assert hash(dose) == hash(("x", 1.0))
    assert repr(dose) == "HotDose(drug='x', mg=1.0)"
    assert HotDose.__dataclass_params__.frozen  # built by dataclasses' frozen __init__


def test_a_set_once_field_cannot_be_set_again_even_inside_post_init():
    @frozen_value
    class Twice:
        value: int

        def __post_init__(self) -> None:
            self.value = 2  # would be a silent change of a field: refused, as frozen=True does

    with pytest.raises(FrozenInstanceError):
        Twice(1)


@frozen_value
class Order:
    drug: str
    mg: float = 100.0
    notes: list[str] = field(default_factory=list)
    made: list[str] = field(default_factory=list, init=False, compare=False)

    def __post_init__(self) -> None:
        self.made.append(self.drug)


@dataclass(frozen=True)
class OrderDC:
    drug: str
    mg: float = 100.0
    notes: list[str] = field(default_factory=list)
    made: list[str] = field(default_factory=list, init=False, compare=False)

    def __post_init__(self) -> None:
        self.made.append(self.drug)


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("x",), {}),
        (("x", 50.0), {}),
        (("x",), {"mg": 50.0}),
        ((), {"drug": "x", "notes": ["a"]}),
        (("x", 50.0, ["a"]), {}),
    ],
)
def test_init_takes_arguments_as_a_frozen_dataclass_does(args, kwargs):
    ours, theirs = Order(*args, **kwargs), OrderDC(*args, **kwargs)
    assert repr(ours) == repr(theirs).replace("OrderDC(", "Order(")
    assert ours.made == ["x"]  # init=False factory filled, then __post_init__ ran


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((), {}), (("x", 1.0, [], []), {}), (("x",), {"drug": "y"}), (("x",), {"dose": 1})],
)
def test_init_refuses_what_a_frozen_dataclass_refuses(args, kwargs):
    with pytest.raises(TypeError):
        OrderDC(*args, **kwargs)
    with pytest.raises(TypeError):
        Order(*args, **kwargs)


def test_default_factories_give_each_instance_its_own_value():
    a, b = Order("x"), Order("y")
    assert a.notes is not b.notes
    assert a.made == ["x"]
    assert b.made == ["y"]


@frozen_value(kw_only=True)
class Course:
    drug: str
    cycles: int = 1


@dataclass(frozen=True, kw_only=True)
class CourseDC:
    drug: str
    cycles: int = 1


@frozen_value
class Slip:
    drug: str
    copies: int = 1
    _: KW_ONLY
    signed_by: str  # keyword-only: may follow a field with a default
    note: str = field(default="", kw_only=True)


@dataclass(frozen=True)
class SlipDC:
    drug: str
    copies: int = 1
    _: KW_ONLY
    signed_by: str
    note: str = field(default="", kw_only=True)


@pytest.mark.parametrize(
    ("ours", "theirs", "args", "kwargs"),
    [
        (Course, CourseDC, (), {"drug": "x"}),
        (Course, CourseDC, (), {"drug": "x", "cycles": 3}),
        (Slip, SlipDC, ("x",), {"signed_by": "A. Nurse"}),
        (Slip, SlipDC, ("x", 2), {"signed_by": "A. Nurse", "note": "n"}),
        (Slip, SlipDC, (), {"drug": "x", "signed_by": "A. Nurse"}),
    ],
)
def test_keyword_only_fields_are_taken_as_a_frozen_dataclass_takes_them(ours, theirs, args, kwargs):
    made = ours(*args, **kwargs)
    assert repr(made) == repr(theirs(*args, **kwargs)).replace("DC(", "(")


@pytest.mark.parametrize(
    ("ours", "theirs", "args", "kwargs"),
    [
        (Course, CourseDC, ("x",), {}),  # kw_only=True: no positional argument at all
        (Slip, SlipDC, ("x", 2, "A. Nurse"), {}),  # signed_by is keyword-only
        (Slip, SlipDC, ("x",), {}),  # signed_by has no default
    ],
)
def test_keyword_only_fields_refuse_what_a_frozen_dataclass_refuses(ours, theirs, args, kwargs):
    with pytest.raises(TypeError):
        theirs(*args, **kwargs)
    with pytest.raises(TypeError):
        ours(*args, **kwargs)


def test_dataclass_options_it_does_not_honour_are_refused_at_the_class():
    # slots=True would need an __init__ that does not write __dict__; a silently ignored option
    # is worse than none, so the decorator has no such keyword (and the type checker says so)
    with pytest.raises(TypeError, match="slots"):

        @frozen_value(slots=True)  # type: ignore[call-overload]
        class Slotted:
            value: int
