"""Run a function over many items on every core, in forked processes.

The children are forked, so they share the parent's already-built state
(readers, settings, Markdown extensions) without pickling it; only each
item's index and its result cross the process boundary. The work starts at
once and the parent is free until it asks for the results: it can do its own
sequential work meanwhile, so that no core idles. Pure logic, no Pelican
import.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator

# The function and items the forked children run; only indexes are sent.
_shared: dict = {}


def _run(index: int):
    return _shared["function"](_shared["items"][index])


def workers_for(setting: int, items: int, minimum_items: int) -> int:
    """How many processes to use: ``setting`` (0 = one per core), never more
    than the items, 1 when there are too few items to pay for a fork."""
    cores = os.cpu_count() or 1
    count = cores if setting <= 0 else setting
    if items < minimum_items:
        return 1
    return max(1, min(count, items))


class ForkedMap:
    """``function(item)`` for each item, computed by ``workers`` forked
    processes (in this process when ``workers`` ≤ 1). The children start
    at once; iterate to get the results, in order, as they come. ``close``
    (or the end of the iteration) stops the children. The children see the
    function and items of the moment they were forked; while they live, the
    parent runs the pool's threads, so it should not fork anything else."""

    def __init__(self, function: Callable, items: list, workers: int, chunksize: int = 8) -> None:
        self._pool = None
        if workers <= 1 or len(items) < 2 or "fork" not in multiprocessing.get_all_start_methods():
            self._results: Iterator = (function(item) for item in items)
            return
        _shared.update(function=function, items=items)
        # The children's garbage collector leaves the parent's objects alone:
        # the site's thousands of articles are not scanned again in every full
        # collection, nor their memory pages copied for it.
        gc.freeze()
        try:
            self._pool = multiprocessing.get_context("fork").Pool(workers)
        finally:
            gc.unfreeze()
            _shared.clear()
        self._results = self._pool.imap(_run, range(len(items)), chunksize=chunksize)

    def __iter__(self) -> Iterator:
        try:
            yield from self._results
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def map_forked(function: Callable, items: list, workers: int, chunksize: int = 8,
               meanwhile: Callable[[], None] | None = None) -> list:
    """``[function(item) for item in items]``, computed by ``workers`` forked
    processes when ``workers`` > 1 (order kept); ``meanwhile()`` runs here
    while they work."""
    results = ForkedMap(function, items, workers, chunksize)
    try:
        if meanwhile is not None:
            meanwhile()
        return list(results)
    finally:
        results.close()
