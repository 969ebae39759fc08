"""Run a function over many items on every core, in forked processes.

The children are forked, so they share the parent's already-built state
(readers, settings, Markdown extensions) without pickling it; only each
item's index and its result cross the process boundary. Pure logic, no Pelican
import.
"""

from __future__ import annotations

import gc
import multiprocessing
import os

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


def map_forked(function, items: list, workers: int, chunksize: int = 8) -> list:
    """``[function(item) for item in items]``, computed by ``workers`` forked
    processes when ``workers`` > 1 (order kept)."""
    if workers <= 1 or len(items) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    _shared.update(function=function, items=items)
    # The children's garbage collector leaves the parent's objects alone:
    # the site's thousands of articles are not scanned again in every full
    # collection, nor their memory pages copied for it.
    gc.freeze()
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return pool.map(_run, range(len(items)), chunksize=chunksize)
    finally:
        gc.unfreeze()
        _shared.clear()
