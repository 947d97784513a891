"""The one rule-table reader: a row read into its type from the type's own declarations."""

from __future__ import annotations

import enum
from typing import Annotated, Literal

import pytest

from planner.domain.frozen_value import frozen_value
from planner.domain.table_keys import Key, Sources
from planner.rules.errors import RulesError
from planner.rules.reader import Layout, TableReader, check_document, fields_of


class Colour(enum.StrEnum):
    RED = "red"
    BLUE = "blue"


@frozen_value
class Row:
    id: str
    amount: Annotated[float, Key(above=0)]
    percent: Annotated[float | None, Key(minimum=0, maximum=100)]
    days: Annotated[int, Key(minimum=1)]
    route: Annotated[str, Key(one_of=("IV", "orally"))]
    kind: Literal["a", "b"]
    colour: Colour
    labels: Annotated[tuple[str, ...], Key(one_of=("us", "eu"))]
    drugs: Annotated[frozenset[str], Key(refers_to="drug")]
    sources: Sources
    verified: bool
    note: str | None = None
    alternative: Annotated[bool, Key(default=False)] = False


GOOD = {
    "id": "r1",
    "amount": 2,
    "days": 7,
    "route": "IV",
    "kind": "a",
    "colour": "red",
    "labels": ["us"],
    "drugs": ["paclitaxel"],
    "sources": ["s1"],
    "verified": True,
}
READER = TableReader({"s1": object()}, {"paclitaxel": object()})
WHERE = "t.toml row[3]"


def test_a_good_row_becomes_its_type_with_defaults_for_keys_left_out():
    row = READER.row(Row, GOOD, WHERE)
    assert row == Row(
        id="r1",
        amount=2.0,
        percent=None,
        days=7,
        route="IV",
        kind="a",
        colour=Colour.RED,
        labels=("us",),
        drugs=frozenset({"paclitaxel"}),
        sources=("s1",),
        verified=True,
    )
    assert isinstance(row.amount, float)
    assert isinstance(row.colour, Colour)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour_of_sky": "x"}, "t.toml row[3]: unknown keys ['colour_of_sky']"),
        ({"amount": None}, "t.toml row[3]: missing keys ['amount']"),
        ({"amount": "2"}, "t.toml row[3].amount: '2' is not a number"),
        ({"amount": True}, "t.toml row[3].amount: True is not a number"),
        ({"amount": 0}, "t.toml row[3].amount: 0 must be positive"),
        ({"percent": 101}, "t.toml row[3].percent: 101 is outside 0–100"),
        ({"days": 1.5}, "t.toml row[3].days: 1.5 is not a whole number"),
        ({"days": 0}, "t.toml row[3].days: 0 must be at least 1"),
        ({"route": "oral"}, 't.toml row[3].route: "oral" is not one of IV, orally'),
        ({"kind": "c"}, 't.toml row[3].kind: "c" is not one of a, b'),
        ({"colour": "green"}, 't.toml row[3].colour: "green" is not one of red, blue'),
        ({"labels": ["us", "uk"]}, "t.toml row[3].labels: ['us', 'uk'] must name some of us, eu"),
        ({"labels": []}, "t.toml row[3].labels: [] must name some of us, eu"),
        ({"labels": "us"}, "t.toml row[3].labels: 'us' is not a list of text"),
        ({"drugs": ["aspirin"]}, "t.toml row[3].drugs: 'aspirin' is not in drugs.toml"),
        ({"sources": []}, "t.toml row[3]: cites no source"),
        (
            {"sources": ["nowhere"]},
            "t.toml row[3]: source 'nowhere' is not defined in any [[source]] table",
        ),
        ({"verified": "yes"}, "t.toml row[3].verified: 'yes' is not true/false"),
        ({"note": 3}, "t.toml row[3].note: 3 is not text"),
    ],
)
def test_every_wrong_row_is_refused_naming_file_row_and_key(change, message):
    row = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    with pytest.raises(RulesError) as caught:
        READER.row(Row, row, WHERE)
    assert str(caught.value) == message


def test_required_and_optional_keys_come_from_the_type():
    fields = {f.key: f for f in fields_of(Row)}
    assert [k for k, f in fields.items() if f.optional] == ["percent", "note", "alternative"]
    assert fields["kind"].allowed == ("a", "b")
    assert fields["colour"].allowed == ("red", "blue")


def test_a_document_is_checked_against_its_layout():
    layout = Layout("t.toml", {"row": Row}, required=("row",), table="t", source_prefix="t.")
    meta = {"table": "t", "version": "1", "reviewed_on": "2026-12-06"}
    check_document(layout, "t.toml", {"meta": meta, "row": []})
    for document, message in [
        ({"meta": meta, "row": [], "rows": []}, "t.toml: unknown keys ['rows']"),
        ({"meta": meta}, "t.toml: missing keys ['row']"),
        ({"meta": {**meta, "table": "u"}, "row": []}, 't.toml [meta]: table must be "t"'),
        ({"meta": {**meta, "by": "x"}, "row": []}, "t.toml [meta]: unknown keys ['by']"),
        (
            {"meta": meta, "row": [], "source": [{"id": "x.1"}]},
            "t.toml source[0]: ids in this table start with 't.'",
        ),
    ]:
        with pytest.raises(RulesError) as caught:
            check_document(layout, "t.toml", document)
        assert str(caught.value) == message
