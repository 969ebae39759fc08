"""Split the pages to index into Pagefind shards. Pure module.

Pagefind has no incremental mode: it indexes every page it is given, at about
3.4 ms a page on this project's 2-core machine (17 s for 5,000 articles), and
its memory grows with the page count (1.2 GB at 5,000). A large site is
therefore indexed as several bundles ("shards") that the search page merges
with Pagefind's ``mergeIndex``; a build re-runs Pagefind only for the shards
whose pages changed.

The split is a pure function of the set of pages, so an incremental build and
a cold build of the same site give the same bundles:

- the number of shards is 1 up to ``per_shard`` pages, else the smallest
  power of two that keeps the average shard at or under ``per_shard``
  (a power of two, so it changes only when the site doubles);
- a page's shard is a hash of its path: adding, removing or editing a page
  touches its own shard only, and shards stay about the same size;
- empty shards are left out (possible only on tiny sites).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable


def shard_count(pages: int, per_shard: int) -> int:
    """How many shards ``pages`` pages are indexed in."""
    if per_shard < 1:
        raise ValueError("search: SEARCH['SHARD_PAGES'] must be at least 1")
    count = 1
    while pages > count * per_shard:
        count *= 2
    return count


def shard_of(path: str, count: int) -> int:
    """The shard of the page at ``path`` (relative to the output folder)."""
    if count == 1:
        return 0
    digest = hashlib.blake2b(path.encode("utf-8", "surrogateescape"), digest_size=8).digest()
    return int.from_bytes(digest, "big") % count


def plan(paths: Iterable[str], per_shard: int) -> list[list[str]]:
    """The pages of each shard, in path order; shard 0 first."""
    paths = sorted(paths)
    count = shard_count(len(paths), per_shard)
    shards: list[list[str]] = [[] for _ in range(count)]
    for path in paths:
        shards[shard_of(path, count)].append(path)
    # Pagefind cannot index nothing: an empty shard (a few pages over many
    # shards, as in tests) is left out and the rest keep their order.
    return [shard for shard in shards if shard] or [[]]


def folder(index: int) -> str:
    """Where shard ``index`` lives inside the bundle folder: shard 0 is the
    bundle itself (the one ``pagefind.js`` belongs to), the others are
    sub-folders ``s1/``, ``s2/``, …"""
    return "" if index == 0 else f"s{index}/"


def is_shard_folder(name: str) -> bool:
    """True for the name of another shard's sub-folder (``s1``, ``s12``)."""
    return len(name) > 1 and name[0] == "s" and name[1:].isdigit()
