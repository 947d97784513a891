"""Committed changes SQLite can no longer read from a damaged write-ahead log.

SQLite reads a WAL up to the first frame whose checksum fails and silently ignores the rest,
so one damaged frame hides every change committed after it (a corrupted WAL once dropped 26 of
50 acknowledged imports while `check` said ok). This module finds them, from the documented
file formats alone (sqlite.org/fileformat2.html "WAL file format", walformat.html "WAL-index"):
a frame after the last one SQLite reads (`mxFrame`, in the WAL-index header of `-shm`) that
belongs to the same generation of the log (same salts as its header) and ends a transaction
(commit size non-zero) is a committed change SQLite will never apply.

Call it while a read-only connection has the record open (the WAL-index is then current), and
before anything writes: the next write would overwrite the frames, and the last connection to
close a record deletes the log.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path

WAL_HEADER = 32
FRAME_HEADER = 24
MAGIC = (0x377F0682, 0x377F0683)


def wal_path(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def lost_commits(path: Path) -> tuple[int, int] | None:
    """(first frame SQLite does not read, committed transactions after it), or None when the
    log holds nothing SQLite skips."""
    wal, shm = wal_path(path), path.with_name(path.name + "-shm")
    try:
        with wal.open("rb") as handle:
            header = handle.read(WAL_HEADER)
            if len(header) < WAL_HEADER:
                return None
            magic, _version, page_size, _ckpt, salt1, salt2 = struct.unpack(">6I", header[:24])
            if magic not in MAGIC or page_size < 512:
                return None
            read = _mx_frame(shm)
            if read is None:
                return None
            frame_size = FRAME_HEADER + page_size
            commits = 0
            first = None
            index = read
            while True:
                handle.seek(WAL_HEADER + index * frame_size)
                frame = handle.read(FRAME_HEADER)
                if len(frame) < FRAME_HEADER:
                    break
                _page, commit_size, frame_salt1, frame_salt2 = struct.unpack(">4I", frame[:16])
                if (frame_salt1, frame_salt2) == (salt1, salt2):
                    first = index + 1 if first is None else first
                    if commit_size:
                        commits += 1
                index += 1
    except OSError:
        return None
    return (first or read + 1, commits) if commits else None


def _mx_frame(shm: Path) -> int | None:
    """The last valid frame of the log, from the WAL-index header (native byte order; the two
    copies of the header must agree, else the index is being rebuilt)."""
    try:
        with shm.open("rb") as handle:
            data = handle.read(96)
    except OSError:
        return None
    if len(data) < 96 or data[:48] != data[48:96]:
        return None
    order = "<" if sys.byteorder == "little" else ">"
    (mx_frame,) = struct.unpack_from(f"{order}I", data, 16)
    return int(mx_frame)
