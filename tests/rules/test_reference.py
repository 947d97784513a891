"""The pharmacist's reference and `planner rules check`: current, complete, row-precise."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from planner.cli import main
from planner.rules import RulesError
from planner.rules.loader import check_rules, default_rules_dir
from planner.rules.reader import fields_of
from planner.rules.reference import LAYOUTS, reference

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules-schema.md"


def test_the_committed_reference_is_current():
    assert DOC.read_text(encoding="utf-8") == reference(), (
        "docs/rules-schema.md is stale: run `planner rules schema --write docs/rules-schema.md`"
    )


def _array_paths():
    """(file pattern, `[[path]]`) of every array of tables the reader reads, nested ones too."""
    for layout in LAYOUTS:
        todo = list(layout.arrays.items())
        while todo:
            path, row_type = todo.pop(0)
            yield layout.file, path
            todo += [
                (f"{path}.{f.key}", f.nested)
                for f in fields_of(row_type)
                if f.nested and not f.flat and not f.decl.written_as
            ]


def test_the_reference_names_every_key_of_every_row_type():
    text = reference()
    for layout in LAYOUTS:
        for _, row_type in layout.arrays.items():
            for f in fields_of(row_type):
                assert f"`{f.key}`" in text or all(f"`{k}`" in text for k in f.decl.written_as)


def _written_as_header(pattern: str, path: str) -> bool:
    header = f"[[{path}]]\n"
    return any(header in p.read_text(encoding="utf-8") for p in default_rules_dir().glob(pattern))


# rows written inline (a band's `when = [{...}]`) have no `[[...]]` header to edit
PATHS = [(file, path) for file, path in _array_paths() if _written_as_header(file, path)]


@pytest.mark.parametrize(("pattern", "path"), PATHS)
def test_an_unknown_key_in_any_row_is_refused_naming_file_and_row(tmp_path, pattern, path):
    """Add a key no row type declares to the first `[[path]]` row of a real table: the check
    fails naming that file and row (a sweep: it fails if a table stopped being read strictly)."""
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    header = f"[[{path}]]\n"
    target = next(p for p in sorted(rules.glob(pattern)) if header in p.read_text(encoding="utf-8"))
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace(header, header + 'colour_of_sky = "blue"\n', 1), "utf-8")
    name = target.relative_to(rules).as_posix()
    leaf = path.rsplit(".", 1)[-1]
    with pytest.raises(RulesError, match=rf"^{re.escape(name)} .*{leaf}\[0\]: unknown keys"):
        check_rules(rules)


def test_rules_check_exits_2_naming_file_row_and_key(tmp_path, capsys):
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    target = rules / "lab_deltas.toml"
    text = target.read_text(encoding="utf-8")
    target.write_text(re.sub(r"within_days = \d+", "within_days = 0", text, count=1), "utf-8")
    assert main(["rules", "check", str(rules)]) == 2
    assert capsys.readouterr().err.strip() == (
        "lab_deltas.toml delta[0].within_days: 0 must be at least 1"
    )
    assert main(["rules", "check", str(default_rules_dir())]) == 0
    assert "every table read" in capsys.readouterr().out
