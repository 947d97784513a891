"""Arbitrary JSON never crashes the validator: it either accepts or raises its own error."""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.domain.problems import InputInvalid
from planner.domain.validation import validate_case

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=json_values)
def test_arbitrary_json_only_raises_input_invalid(limits, raw):
    refusal = _refusal(raw, limits)
    if refusal is not None:
        assert refusal.errors, "a refusal must say why"
        assert all(p.path and p.message for p in refusal.problems)


def _refusal(raw, limits) -> InputInvalid | None:
    """The validator's own refusal, or None if it accepted; any other exception propagates."""
    try:
        validate_case(raw, limits)
    except InputInvalid as exc:
        return exc
    return None


def _paths(node, prefix=""):
    if isinstance(node, dict):
        for key, value in node.items():
            path = f"{prefix}.{key}" if prefix else key
            yield path, node, key
            yield from _paths(value, path)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield f"{prefix}[{i}]", node, i
            yield from _paths(value, f"{prefix}[{i}]")


@settings(max_examples=400, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), replacement=json_values)
def test_any_field_of_the_example_replaced_by_anything(example_raw, limits, data, replacement):
    """Swap one field of a valid case for arbitrary JSON: accepted, or refused naming that field."""
    raw = copy.deepcopy(example_raw)
    places = list(_paths(raw))
    path, container, key = data.draw(st.sampled_from(places))
    container[key] = replacement
    refusal = _refusal(raw, limits)
    if refusal is not None:
        assert refusal.errors
        related = [
            p
            for p in refusal.errors
            if p.path.startswith(path) or path.startswith(p.path.split("[")[0])
        ]
        # Dates are checked against each other, so a changed date may be reported on its partner.
        assert related or path.endswith(("_on", "birth_date")), (path, refusal.errors)


def test_a_bare_text_document_with_an_invisible_character_names_the_document(limits):
    # Found by hypothesis: the refusal of "\xad" as a whole document had an empty path.
    refusal = _refusal("\xad", limits)
    assert refusal is not None
    assert [p.path for p in refusal.problems] == ["(document)"]
