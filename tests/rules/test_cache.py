"""The parse cache of the rule tables: it saves time and never changes a result.

Hit (the tables are not parsed again), miss after a table is edited, corrupt or hand-edited
cache files ignored, an unwritable cache folder, and `PLANNER_CACHE_DIR=` turning it off.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tomllib
from pathlib import Path

import pytest

from planner.rules import loader
from planner.rules.loader import _load, default_rules_dir


@pytest.fixture
def rules_copy(tmp_path: Path) -> Path:
    target = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), target)
    return target


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the tables tomllib parsed (a cache hit parses none)."""
    seen: list[str] = []
    real = loader._parse

    def counting(name: str, data: bytes):
        seen.append(name)
        return real(name, data)

    monkeypatch.setattr(loader, "_parse", counting)
    return seen


def _fresh(directory: Path):
    """Load as a new process would (the per-process memo is cleared)."""
    _load.cache_clear()
    try:
        return loader.load_rules(directory)
    finally:
        _load.cache_clear()


def _fingerprint(ruleset) -> str:
    """Everything the engine reads from the rule set, as text (dataclass reprs are complete)."""
    return repr(ruleset)


def test_second_load_is_a_hit_and_gives_the_same_rules(rules_copy, cache_dir, parses):
    first = _fresh(rules_copy)
    tables = sorted(p.relative_to(rules_copy).as_posix() for p in rules_copy.rglob("*.toml"))
    assert sorted(parses) == tables  # cold: every table parsed
    assert (cache_dir / loader.CACHE_FILE).is_file()
    parses.clear()
    second = _fresh(rules_copy)
    assert parses == []  # warm: nothing parsed
    assert second.version == first.version
    assert _fingerprint(second) == _fingerprint(first)


def test_cached_rules_equal_uncached_rules(rules_copy, cache_dir, monkeypatch):
    _fresh(rules_copy)  # fill the cache
    cached = _fresh(rules_copy)
    monkeypatch.setenv("PLANNER_CACHE_DIR", "")  # set but empty: no cache at all
    assert loader.cache_path() is None
    assert _fingerprint(_fresh(rules_copy)) == _fingerprint(cached)


def test_an_edited_table_is_parsed_again(rules_copy, cache_dir, parses):
    before = _fresh(rules_copy)
    table = rules_copy / "case_limits.toml"
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("[meta]", "[meta]\n# edited", 1), encoding="utf-8")
    parses.clear()
    after = _fresh(rules_copy)
    assert parses == ["case_limits.toml"]  # only the edited table
    assert after.version != before.version


def test_a_changed_value_is_used_not_the_cached_one(rules_copy, cache_dir):
    table = rules_copy / "case_limits.toml"
    text = table.read_text(encoding="utf-8")
    field = tomllib.loads(text)["field"][0]
    before = _fresh(rules_copy)
    assert before.limits.fields[field["key"]].high == float(field["high"])
    lines = text.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if f'key = "{field["key"]}"' in line)
    for i in range(start, len(lines)):
        if lines[i].lstrip().startswith("high"):
            lines[i] = f"high = {float(field['high']) + 1}\n"
            break
    table.write_text("".join(lines), encoding="utf-8")
    after = _fresh(rules_copy)
    assert after.limits.fields[field["key"]].high == float(field["high"]) + 1


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # truncated
        lambda blob: b"\x00\xff garbage",  # not JSON at all
        lambda blob: b"",  # empty
        lambda blob: blob.replace(b'"high":', b'"high":9', 1),  # edited: the digest fails
        lambda blob: b'["planner.rules-cache/0", "x"]\n{}',  # another format
    ],
    ids=["truncated", "garbage", "empty", "tampered", "old-format"],
)
def test_a_corrupt_cache_is_ignored(rules_copy, cache_dir, parses, damage):
    reference = _fingerprint(_fresh(rules_copy))
    path = cache_dir / loader.CACHE_FILE
    path.write_bytes(damage(path.read_bytes()))
    parses.clear()
    assert _fingerprint(_fresh(rules_copy)) == reference
    assert parses  # parsed again from the tables
    parses.clear()
    _fresh(rules_copy)
    assert parses == []  # and the cache was rewritten whole


def test_a_tampered_document_with_a_matching_digest_is_still_checked_strictly(
    rules_copy, cache_dir
):
    """If a cached document is wrong yet its digest fits, the strict build still checks it."""
    _fresh(rules_copy)
    path = cache_dir / loader.CACHE_FILE
    header, _, payload = path.read_bytes().partition(b"\n")
    entries = json.loads(payload)
    key = next(k for k in entries if k.endswith(" drugs.toml"))
    entries[key]["drug"][0]["unknown_key"] = 1
    payload = json.dumps(entries).encode()
    stamp = json.loads(header)[0]
    path.write_bytes(
        json.dumps([stamp, hashlib.sha256(payload).hexdigest()]).encode() + b"\n" + payload
    )
    with pytest.raises(loader.RulesError, match="unknown keys"):
        _fresh(rules_copy)


def test_an_unwritable_cache_folder_is_silently_bypassed(rules_copy, tmp_path, monkeypatch, parses):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(blocker / "cache"))
    first = _fresh(rules_copy)
    assert parses
    assert not list(tmp_path.glob("**/*.partial"))
    assert _fresh(rules_copy).version == first.version


def test_the_cache_file_holds_one_set_of_tables(rules_copy, cache_dir):
    tables = len(list(rules_copy.rglob("*.toml")))
    for i in range(3):  # three edits of one table: old versions are not hoarded
        table = rules_copy / "drugs.toml"
        table.write_text(table.read_text(encoding="utf-8") + f"\n# edit {i}\n", encoding="utf-8")
        _fresh(rules_copy)
    _, _, payload = (cache_dir / loader.CACHE_FILE).read_bytes().partition(b"\n")
    assert len(json.loads(payload)) == tables  # old versions of the edited table are not hoarded


def test_a_broken_table_is_still_an_error_with_a_warm_cache(rules_copy, cache_dir):
    _fresh(rules_copy)
    (rules_copy / "drugs.toml").write_text("this is = = not toml", encoding="utf-8")
    with pytest.raises(loader.RulesError, match=r"drugs\.toml"):
        _fresh(rules_copy)
