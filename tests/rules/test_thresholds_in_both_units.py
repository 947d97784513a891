"""A threshold in a conventional unit is printed with its SI value too (independent review 16c,
finding 16): the Tashkent (mmol/L, µmol/L) clinic read capivasertib's glucose thresholds only in
mg/dL ("161-250 mg/dL"), and creatinine and bilirubin limits likewise. Every printed text of the
rule tables that names a threshold in mg/dL also gives it in mmol/L or µmol/L (the source rows
quote their documents and are left as written)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from planner.rules.loader import default_rules_dir

MG_DL = re.compile(r"mg/dL", re.IGNORECASE)
SI = re.compile(r"[mµu]mol/L")
# not a threshold: how the Cockcroft–Gault formula is written
FORMULAS = ("(72 x SCr mg/dL)",)


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            if key not in ("source", "reference", "unit", "units"):
                yield from _texts(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for i, inner in enumerate(value):
            yield from _texts(inner, f"{path}[{i}]")
    elif isinstance(value, str):
        yield path, value


def test_every_mg_dl_threshold_is_also_given_in_si_units():
    missing = []
    for table in sorted(Path(default_rules_dir()).rglob("*.toml")):
        document = tomllib.loads(table.read_text(encoding="utf-8"))
        for path, text in _texts(document, table.name):
            if MG_DL.search(text) and not SI.search(text) and not any(f in text for f in FORMULAS):
                missing.append(f"{path}: {text[:80]}")
    assert not missing, "\n".join(missing)


def test_capecitabine_s_partner_capivasertib_glucose_is_in_mmol_l(rules):
    notes = " ".join(rules.doses.drugs["capivasertib"].notes)
    assert "8.9-13.9 mmol/L (161-250 mg/dL)" in notes
