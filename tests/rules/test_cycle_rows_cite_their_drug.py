"""Walk 23 #16: the cycle sheet's reasons cited every label of a group — five US endocrine
labels (letrozole, anastrozole, exemestane, fulvestrant, tamoxifen) for a fulvestrant "same dose"
row. A cycle row about a drug cites that drug's source: no cited source names only other drugs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from planner.rules.loader import default_rules_dir, load_rules


def test_a_cycle_row_cites_no_source_about_other_drugs_only():
    ruleset = load_rules()
    known = {d.name: {d.name, *(s.lower() for s in d.synonyms)} for d in ruleset.drugs.values()}
    found = []
    for path in sorted(Path(default_rules_dir(), "cycle").glob("*.toml")):
        document = tomllib.loads(path.read_text(encoding="utf-8"))
        titles = {s["id"]: s["title"].lower() for s in document.get("source", ())}
        for kind in ("ladder", "rule"):
            for row in document.get(kind, ()):
                drug = row.get("drug")
                if drug not in known:
                    continue
                for sid in row.get("sources", ()):
                    title = titles.get(sid)
                    if title is None:
                        continue
                    named = {
                        other
                        for other, names in known.items()
                        if any(re.search(rf"\b{re.escape(n)}\b", title) for n in names)
                    }
                    if named and drug not in named:
                        found.append((path.name, row.get("id") or drug, sid))
    assert found == []
