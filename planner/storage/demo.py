"""Filling a record with synthetic patients (`planner db demo`), fast.

The pure generator (`planner.domain.demo_cases`) and the JSON encoding run in worker processes;
this process only writes, in large transactions (`bulk.add_prepared`).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from planner.domain.demo_cases import demo_patient
from planner.storage import bulk

if TYPE_CHECKING:
    from sqlite_utils import Database

CHUNK = 500  # patients per unit of work handed to a worker
IN_PROCESS_BELOW = 3000  # small fills are quicker without starting workers


def prepared_chunk(seed: int, start: int, stop: int) -> list[bulk.PreparedPatient]:
    return [bulk.prepare(demo_patient(seed, index)) for index in range(start, stop)]


def _prepared_chunk(args: tuple[int, int, int]) -> list[bulk.PreparedPatient]:
    return prepared_chunk(*args)


def fill_demo(
    db: Database,
    count: int,
    seed: int,
    who: str,
    *,
    workers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> bulk.Added:
    """Add synthetic patients 0..count-1 of `seed` (those already present are skipped)."""
    chunks = [(seed, start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if count < IN_PROCESS_BELOW or workers <= 1:
        prepared: Iterator[bulk.PreparedPatient] = itertools.chain.from_iterable(
            map(_prepared_chunk, chunks)
        )
        return bulk.add_prepared(db, prepared, who, progress=progress)
    # spawn: the same behaviour on every platform, and no fork of a process holding SQLite.
    pool = multiprocessing.get_context("spawn").Pool(workers)
    try:
        prepared = itertools.chain.from_iterable(pool.imap(_prepared_chunk, chunks))
        added = bulk.add_prepared(db, prepared, who, progress=progress)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
    return added
