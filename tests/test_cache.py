"""planner.cache, the file cache of the built rules: a value written is the
value read; another format or key, a damaged file, no folder or no cache at all give None (never
an error, never an unpickled damaged payload); a write is whole or not at all."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from pathlib import Path
from types import MappingProxyType

import pytest

from planner import cache

STAMP = "planner.test-cache/1"
KEY = "k" * 64
VALUE = {"tables": [1, 2.5, "três", (3, 4)], "nested": {"µ": b"\x00\xff"}}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "value.pickle"


def _proxy(content: dict) -> MappingProxyType:
    return MappingProxyType(content)


def test_a_value_written_is_read_back_equal(path):
    assert cache.write(path, STAMP, KEY, VALUE) is True
    read = cache.read(path, STAMP, KEY)
    assert read == VALUE
    assert read is not VALUE


def test_the_file_is_a_json_header_line_then_the_pickle(path):
    cache.write(path, STAMP, KEY, VALUE)
    header, newline, payload = path.read_bytes().partition(b"\n")
    assert newline
    assert json.loads(header) == [STAMP, KEY, hashlib.sha256(payload).hexdigest()]
    assert pickle.loads(payload) == VALUE
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no .partial left behind


@pytest.mark.parametrize(
    ("stamp", "key"), [("planner.test-cache/2", KEY), (STAMP, "another key")], ids=["format", "key"]
)
def test_another_format_or_key_misses(path, stamp, key):
    cache.write(path, STAMP, KEY, VALUE)
    assert cache.read(path, stamp, key) is None


def test_a_new_write_replaces_the_old_value(path):
    cache.write(path, STAMP, KEY, VALUE)
    cache.write(path, STAMP, "new key", [1, 2, 3])
    assert cache.read(path, STAMP, KEY) is None
    assert cache.read(path, STAMP, "new key") == [1, 2, 3]


def test_an_empty_key_is_never_written_nor_read(path):
    """An empty key: the caller could not tell what its value depends on (a frozen build)."""
    assert cache.write(path, STAMP, "", VALUE) is False
    assert not path.exists()
    cache.write(path, STAMP, KEY, VALUE)
    payload = path.read_bytes().partition(b"\n")[2]
    digest = hashlib.sha256(payload).hexdigest()
    path.write_bytes(json.dumps([STAMP, "", digest]).encode() + b"\n" + payload)
    assert cache.read(path, STAMP, "") is None


def test_no_path_means_no_cache():
    assert cache.write(None, STAMP, KEY, VALUE) is False
    assert cache.read(None, STAMP, KEY) is None


def test_a_missing_file_misses(path):
    assert cache.read(path, STAMP, KEY) is None


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # truncated
        lambda blob: blob[:-1],  # one byte short
        lambda blob: blob + b"\x00",  # one byte too many
        lambda blob: b"\x00\xff garbage",  # not a cache file at all
        lambda blob: b"",  # empty
        lambda blob: blob[:-8] + bytes(8),  # damaged payload: the digest fails
        lambda blob: blob.partition(b"\n")[2],  # no header line
    ],
    ids=["truncated", "one-byte-short", "one-byte-long", "garbage", "empty", "damaged", "headless"],
)
def test_a_damaged_file_is_never_unpickled(path, monkeypatch, damage):
    cache.write(path, STAMP, KEY, VALUE)
    path.write_bytes(damage(path.read_bytes()))
    unpickled: list[bytes] = []
    monkeypatch.setattr(cache.pickle, "loads", lambda data: unpickled.append(data))
    assert cache.read(path, STAMP, KEY) is None
    assert unpickled == []


def test_a_payload_that_no_longer_unpickles_misses(path):
    """Digest and key fit, but the pickle names a class that is gone (code changed under it)."""
    payload = b"\x80\x04cno_such_module\nThing\n)\x81."  # an instance of no_such_module.Thing
    digest = hashlib.sha256(payload).hexdigest()
    path.parent.mkdir(parents=True)
    path.write_bytes(json.dumps([STAMP, KEY, digest]).encode() + b"\n" + payload)
    assert cache.read(path, STAMP, KEY) is None


def test_reducers_apply_to_that_write_only(path):
    value = {"limits": MappingProxyType({"a": 1})}
    assert cache.write(path, STAMP, KEY, value) is False  # a mapping proxy cannot be pickled as is
    assert not path.exists()
    reducers = {MappingProxyType: lambda proxy: (_proxy, (dict(proxy),))}
    assert cache.write(path, STAMP, KEY, value, reducers=reducers) is True
    read = cache.read(path, STAMP, KEY)
    assert isinstance(read["limits"], MappingProxyType)
    assert dict(read["limits"]) == {"a": 1}
    with pytest.raises(TypeError):
        pickle.dumps(MappingProxyType({}))  # nothing was registered globally


def test_a_value_that_cannot_be_pickled_leaves_the_old_file(path):
    cache.write(path, STAMP, KEY, VALUE)
    before = path.read_bytes()
    assert cache.write(path, STAMP, "new key", lambda: None) is False
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_a_failed_move_leaves_the_old_file_and_no_partial(path, monkeypatch):
    cache.write(path, STAMP, KEY, VALUE)
    before = path.read_bytes()

    def refuse(src, dst):
        raise PermissionError("the file is open elsewhere")

    monkeypatch.setattr(cache.os, "replace", refuse)
    assert cache.write(path, STAMP, "new key", [1]) is False
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_an_unwritable_folder_is_silent(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    path = blocker / "cache" / "value.pickle"
    assert cache.write(path, STAMP, KEY, VALUE) is False
    assert cache.read(path, STAMP, KEY) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["not-a-folder"]


def test_the_cache_folder_comes_from_planner_cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_CACHE_DIR", str(tmp_path))
    assert cache.cache_path("x.pickle") == tmp_path / "x.pickle"


@pytest.mark.parametrize("value", ["", "  "], ids=["empty", "blank"])
def test_planner_cache_dir_set_but_empty_means_no_cache(monkeypatch, value):
    monkeypatch.setenv("PLANNER_CACHE_DIR", value)
    assert cache.cache_path("x.pickle") is None


def test_unset_it_is_the_users_cache_folder(monkeypatch, tmp_path):
    from platformdirs import user_cache_path

    monkeypatch.delenv("PLANNER_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # where platformdirs looks on Linux
    found = cache.cache_path("x.pickle")
    assert found == user_cache_path(cache.APP_NAME, appauthor=False) / "x.pickle"
    assert found.parent.name == "SupportiveCarePlanner"


def test_the_write_is_atomic_under_a_name_of_its_own(path, monkeypatch):
    """The partial file carries the writer's process id: two processes never share one."""
    seen: list[str] = []
    real = os.replace

    def spy(src, dst):
        seen.append(Path(src).name)
        real(src, dst)

    monkeypatch.setattr(cache.os, "replace", spy)
    cache.write(path, STAMP, KEY, VALUE)
    assert seen == [f"{path.name}.{os.getpid()}.partial"]
