"""One value kept between processes in a file of the user's cache folder: it only saves time.

Used for what every `planner` process would otherwise rebuild the same way: the built rule set
(planner.rules.loader). Each caller owns one file and a key that covers everything its value
depends on; this module only stores and checks.

A file is one JSON header line, `[format, key, sha256 of the payload]`, then the pickled payload.
The payload's digest is checked before it is unpickled, so a truncated or damaged file is never
unpickled. (The file lives in the user's own cache folder, as trusted as the installed program;
the digest guards against damage, not against someone who can write the program itself.) A file
is written whole to a `.partial` file and moved into place, so a reader sees the old file or the
new one. Any error reading, checking or writing is silent: the caller builds its value afresh.

`PLANNER_CACHE_DIR` names the cache folder; set but empty, there is no cache at all. Unset, it is
the platform's user cache folder (platformdirs). Standard library only, apart from platformdirs.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import pickle
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from planner import APP_NAME

__all__ = ["cache_path", "read", "write"]


def cache_path(file_name: str) -> Path | None:
    """Where `file_name` is cached: in $PLANNER_CACHE_DIR (set but empty: no cache, None), else
    in the user's cache folder (None when there is no usable one)."""
    override = os.environ.get("PLANNER_CACHE_DIR")
    if override is not None:
        return Path(override) / file_name if override.strip() else None
    try:
        from platformdirs import user_cache_path

        return user_cache_path(APP_NAME, appauthor=False) / file_name
    except Exception:  # no usable home folder: run without a cache
        return None


def read(path: Path | None, stamp: str, key: str) -> Any | None:
    """The value stored in `path` under this format stamp and key, or None: no cache, no file,
    another format or key, a damaged file, or a payload that no longer unpickles. An empty key
    never matches (the caller could not compute what its value depends on)."""
    if path is None or not key:
        return None
    try:
        blob = path.read_bytes()
        header, _, payload = blob.partition(b"\n")
        cached_stamp, cached_key, digest = json.loads(header)
        if (cached_stamp, cached_key) != (stamp, key):
            return None
        if hashlib.sha256(payload).hexdigest() != digest:
            return None  # truncated or damaged: never unpickled
        return pickle.loads(payload)
    except Exception:  # unreadable, malformed, or made by code that no longer loads it
        return None


def write(
    path: Path | None,
    stamp: str,
    key: str,
    value: Any,
    *,
    reducers: Mapping[type, Any] | None = None,
) -> bool:
    """Store `value` in `path` under this format stamp and key, replacing what was there.

    `reducers` is a pickle dispatch table for this write only (nothing global is registered).
    True when the file was written; False, silently, when there is no cache or it failed.
    """
    if path is None or not key:
        return False
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    try:
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        if reducers is not None:
            pickler.dispatch_table = reducers
        pickler.dump(value)
        payload = buffer.getvalue()
        header = json.dumps([stamp, key, hashlib.sha256(payload).hexdigest()]).encode()
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(header + b"\n" + payload)
        os.replace(partial, path)  # atomic: a reader sees the old file or the new one
    except Exception:  # unwritable folder, or a value that cannot be pickled: no cache, no error
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        return False
    return True
