"""Run a function over many items on every core, in forked processes.

The children are forked, so they share the parent's already-built state
(readers, settings, Markdown extensions) without pickling it; only each
item's index and its result cross the process boundary. The work starts at
once and the parent is free until it asks for the results: it can do its own
sequential work meanwhile, so that no core idles. :class:`Background` runs
one function that way. :func:`collector` turns Python's garbage collector
off for a build's main process; the children, and items run in this
process, collect their own garbage. Pure logic, no Pelican import.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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


@contextmanager
def collector(on: bool) -> Iterator[None]:
    """Python's cyclic garbage collector on (or off) inside the block, then
    as it was.

    A build's main process holds tens of thousands of long-lived objects
    (articles, cached read results, page signatures) and makes little cyclic
    garbage, yet each full collection walks them all: three of them cost
    0.3 s of an edit build at 5,000 articles and free almost nothing, so
    fastbuild turns the collector off for the build. What makes cyclic
    garbage page after page, reading and rendering, runs with it on: in the
    forked children (ForkedMap and Background turn it on there), or around
    each item when ForkedMap works in this process (one core, few items),
    where 500 pages left uncollected would hold ~18 MB."""
    was = gc.isenabled()
    if on:
        gc.enable()
    else:
        gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def _in_process(function: Callable, items: list) -> Iterator:
    """``function(item)`` for each item, here, with the collector on while it
    runs (see :func:`collector`) and a collection after it, for the cycles
    it left behind when it returned. Both see only the objects the item
    made: those made before are frozen meanwhile, else the first collection
    would walk every object made while the collector was off (0.04 s in an
    edit build). 500 articles read and rendered in this process: 1,117
    such collections, 0.035 s in all."""
    for item in items:
        gc.freeze()
        try:
            with collector(True):
                result = function(item)
                gc.collect()
        finally:
            gc.unfreeze()
        yield result


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
            self._results: Iterator = _in_process(function, items)
            return
        _shared.update(function=function, items=items)
        # The children's garbage collector leaves the parent's objects alone:
        # the site's thousands of articles are not scanned again in every full
        # collection, nor their memory pages copied for it. The children
        # collect their own garbage even while the parent does not (collector).
        gc.freeze()
        try:
            self._pool = multiprocessing.get_context("fork").Pool(workers, initializer=gc.enable)
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


class Background:
    """``function()`` computed in one forked process while this one goes on
    (work that would otherwise hold up the build's own path, on a core that
    idles meanwhile); :meth:`result` waits for its value, or raises what it
    raised. Where ``fork`` is missing it runs at once, here. Unlike
    :class:`ForkedMap` no thread runs in the parent meanwhile, so the
    parent may fork other children before it asks for the result."""

    def __init__(self, function: Callable[[], object]) -> None:
        self._pid = None
        if "fork" not in multiprocessing.get_all_start_methods():
            self._outcome = _outcome(function)
            return
        read, write = os.pipe()
        gc.freeze()  # see ForkedMap; the child keeps the parent's objects frozen
        try:
            pid = os.fork()
        except BaseException:
            gc.unfreeze()
            raise
        if pid == 0:  # the child: compute, send, and leave without running the parent's exit handlers
            try:
                os.close(read)
                gc.enable()  # see ForkedMap
                outcome = _outcome(function)
                try:
                    payload = pickle.dumps(outcome)
                except Exception as error:  # a value that does not pickle
                    payload = pickle.dumps((False, RuntimeError(f"the background result could not be sent: {error}")))
                with os.fdopen(write, "wb") as out:
                    out.write(payload)
            finally:
                os._exit(0)
        gc.unfreeze()
        os.close(write)
        self._pid, self._read = pid, read

    def result(self):
        if self._pid is not None:
            with os.fdopen(self._read, "rb") as pipe:
                payload = pipe.read()  # before waiting: a full pipe would block the child
            os.waitpid(self._pid, 0)
            self._pid = None
            self._outcome = pickle.loads(payload) if payload else (
                False, RuntimeError("the background process ended without an answer"))
        ok, value = self._outcome
        if not ok:
            raise value
        return value


def _outcome(function: Callable[[], object]) -> tuple[bool, object]:
    """(True, value) or (False, the exception), in a form that pickles."""
    try:
        return True, function()
    except Exception as error:  # handed back to the caller of result()
        try:
            pickle.dumps(error)
        except Exception:
            error = RuntimeError("".join(traceback.format_exception(error)))
        return False, error
