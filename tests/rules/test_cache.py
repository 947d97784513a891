"""The cache of the built rule set: it saves time and never changes a result.

A hit gives rules equal to a strict build; an edited table, changed code or another key misses;
corrupt, truncated or hand-edited cache files are never unpickled; an unwritable cache folder
and `PLANNER_CACHE_DIR=` (no cache at all) are silently bypassed.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
import tomllib
from pathlib import Path
from types import MappingProxyType

import pytest

from planner.rules import loader
from planner.rules.loader import _load, default_rules_dir


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The versions the strict build made (a cache hit builds nothing)."""
    seen: list[str] = []
    real = loader._build

    def counting(tables, version):
        seen.append(version)
        return real(tables, version)

    monkeypatch.setattr(loader, "_build", counting)
    return seen


def _fresh(directory: Path):
    """Load as a new process would (the per-process memo is cleared)."""
    _load.cache_clear()
    try:
        return loader.load_rules(directory)
    finally:
        _load.cache_clear()


def _assert_same_rules(cached, built) -> None:
    """Equal as values, table by table, and read-only where the build made them read-only."""
    assert cached.version == built.version
    assert cached == built  # dataclass equality, field by field, through every nested table
    for name in ("sources", "drugs"):
        assert dict(getattr(cached, name)) == dict(getattr(built, name))
    assert dict(cached.limits.fields) == dict(built.limits.fields)
    assert dict(cached.limits.labs) == dict(built.limits.labs)
    assert cached.doses == built.doses
    assert cached.regimens == built.regimens
    assert cached.instruments == built.instruments
    assert cached.supportive == built.supportive
    for proxy in (cached.sources, cached.drugs, cached.limits.fields, cached.limits.labs):
        assert isinstance(proxy, MappingProxyType)
    lab = next(iter(cached.limits.labs.values()))
    assert isinstance(lab.units, MappingProxyType)
    with pytest.raises(TypeError):
        cached.limits.fields["x"] = None  # type: ignore[index]


def test_second_load_is_a_hit_and_gives_the_same_rules(rules_copy, cache_dir, builds):
    first = _fresh(rules_copy)
    assert builds == [first.version]  # cold: built strictly
    assert (cache_dir / loader.CACHE_FILE).is_file()
    builds.clear()
    second = _fresh(rules_copy)
    assert builds == []  # warm: nothing built
    assert second is not first
    _assert_same_rules(second, first)


def test_cached_rules_equal_uncached_rules(rules_copy, cache_dir, monkeypatch, builds):
    _fresh(rules_copy)  # fill the cache
    cached = _fresh(rules_copy)
    assert len(builds) == 1
    monkeypatch.setenv("PLANNER_CACHE_DIR", "")  # set but empty: no cache at all
    assert loader.cache_path() is None
    uncached = _fresh(rules_copy)
    assert len(builds) == 2
    _assert_same_rules(cached, uncached)


def test_no_cache_dir_means_no_file_and_always_a_build(tmp_path, monkeypatch, builds):
    rules = tmp_path / "rules"
    shutil.copytree(default_rules_dir(), rules)
    monkeypatch.setenv("PLANNER_CACHE_DIR", "")
    _fresh(rules)
    _fresh(rules)
    assert len(builds) == 2
    assert not list(tmp_path.rglob(loader.CACHE_FILE))


def test_an_edited_table_misses(rules_copy, cache_dir, builds):
    before = _fresh(rules_copy)
    table = rules_copy / "case_limits.toml"
    text = table.read_text(encoding="utf-8")
    table.write_text(text.replace("[meta]", "[meta]\n# edited", 1), encoding="utf-8")
    builds.clear()
    after = _fresh(rules_copy)
    assert builds == [after.version]
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


def test_changed_code_misses(rules_copy, cache_dir, monkeypatch, builds):
    """A change to the source of planner/domain or planner/rules gives another key."""
    _fresh(rules_copy)
    builds.clear()
    real = loader._code_digest
    monkeypatch.setattr(loader, "_code_digest", lambda: real() + " changed")
    _fresh(rules_copy)
    assert len(builds) == 1


def test_the_code_digest_covers_the_table_types_and_their_builders(tmp_path, monkeypatch):
    package = tmp_path / "planner"
    for sub in ("domain", "rules"):
        shutil.copytree(Path(loader.__file__).parents[1] / sub, package / sub)
    fake_loader = package / "rules" / "loader.py"
    monkeypatch.setattr(loader, "__file__", str(fake_loader))
    before = loader._code_digest()
    assert loader._code_digest() == before  # stable
    tables = package / "domain" / "supportive_tables.py"
    tables.write_text(tables.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    changed_domain = loader._code_digest()
    assert changed_domain != before
    builder = package / "rules" / "doses.py"
    builder.write_text(builder.read_text(encoding="utf-8") + "\n# changed\n", encoding="utf-8")
    assert loader._code_digest() != changed_domain


def test_another_python_misses(rules_copy, cache_dir, monkeypatch, builds):
    _fresh(rules_copy)
    builds.clear()
    monkeypatch.setattr(loader.sys, "version", loader.sys.version + " (another build)")
    _fresh(rules_copy)
    assert len(builds) == 1


def _replace_payload(path: Path, payload: bytes) -> None:
    """A new payload under the old header, with its digest made to fit."""
    header, _, _ = path.read_bytes().partition(b"\n")
    stamp, key, _ = json.loads(header)
    digest = hashlib.sha256(payload).hexdigest()
    path.write_bytes(json.dumps([stamp, key, digest]).encode() + b"\n" + payload)


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # truncated
        lambda blob: blob[:-1],  # one byte short
        lambda blob: b"\x00\xff garbage",  # not a cache file at all
        lambda blob: b"",  # empty
        lambda blob: blob[:-40] + bytes(40),  # damaged payload: the digest fails
        lambda blob: b'["planner.rules-cache/1", "x", "y"]\n{}',  # another format
    ],
    ids=["truncated", "one-byte-short", "garbage", "empty", "damaged", "old-format"],
)
def test_a_corrupt_cache_is_never_unpickled(rules_copy, cache_dir, builds, monkeypatch, damage):
    reference = _fresh(rules_copy)
    path = cache_dir / loader.CACHE_FILE
    path.write_bytes(damage(path.read_bytes()))
    builds.clear()
    unpickled: list[bytes] = []
    with monkeypatch.context() as patched:
        patched.setattr(loader.pickle, "loads", lambda data: unpickled.append(data))
        rebuilt = _fresh(rules_copy)
    assert unpickled == []  # the damaged payload never reached pickle
    assert builds == [reference.version]  # built strictly instead
    _assert_same_rules(rebuilt, reference)
    builds.clear()
    _fresh(rules_copy)
    assert builds == []  # and the cache was rewritten whole


def test_a_well_formed_file_with_the_wrong_content_is_not_used(rules_copy, cache_dir, builds):
    """Digest and key fit, yet the payload is not this RuleSet: built strictly instead."""
    reference = _fresh(rules_copy)
    path = cache_dir / loader.CACHE_FILE
    _replace_payload(path, pickle.dumps({"not": "a rule set"}))
    builds.clear()
    assert _fresh(rules_copy) == reference
    assert builds == [reference.version]


def test_an_unwritable_cache_folder_is_silently_bypassed(rules_copy, tmp_path, monkeypatch, builds):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(blocker / "cache"))
    first = _fresh(rules_copy)
    assert builds
    assert not list(tmp_path.glob("**/*.partial"))
    assert _fresh(rules_copy).version == first.version


def test_the_cache_file_holds_the_latest_rules_only(rules_copy, cache_dir):
    for i in range(3):  # three edits: one file, the latest rules
        table = rules_copy / "drugs.toml"
        table.write_text(table.read_text(encoding="utf-8") + f"\n# edit {i}\n", encoding="utf-8")
        latest = _fresh(rules_copy)
    assert [p.name for p in cache_dir.iterdir()] == [loader.CACHE_FILE]
    _, _, payload = (cache_dir / loader.CACHE_FILE).read_bytes().partition(b"\n")
    assert pickle.loads(payload).version == latest.version


def test_a_broken_table_is_still_an_error_with_a_warm_cache(rules_copy, cache_dir):
    _fresh(rules_copy)
    (rules_copy / "drugs.toml").write_text("this is = = not toml", encoding="utf-8")
    with pytest.raises(loader.RulesError, match=r"drugs\.toml"):
        _fresh(rules_copy)


def test_pickling_registers_nothing_global():
    import copyreg

    assert MappingProxyType not in copyreg.dispatch_table
    with pytest.raises(TypeError):
        pickle.dumps(MappingProxyType({}))
