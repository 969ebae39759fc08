"""What the last search indexing saw, kept between builds in SQLite
(``CACHE_PATH/search.sqlite``). Pure module.

- ``pages``: every HTML page of the output with its size, mtime and whether it
  has a ``data-pagefind-body`` (so an unchanged page is not read again);
- ``shards``: per shard, a digest of its inputs (settings, Pagefind and
  plugin code, its pages as staged) and of the bundle files it left, so a
  shard whose pages and bundle are as they were is not indexed again;
- ``staged``: per shard, what its staging folder holds (see
  ``pagefind._stage``): each page's size and mtime in the output and the
  digest of its staged bytes; ``staged_shards`` lists the shards whose
  folder is whole (a shard is left out while its folder changes).

A missing or unreadable database only costs a full re-index.
"""

from __future__ import annotations

import os
import sqlite3


class IndexState:
    """The state of the index of the output folder ``site``; one left by a
    build into another folder (the same cache serves several) is ignored."""

    def __init__(self, path: str | None, site: str) -> None:
        self.site = os.path.abspath(site)
        if path:
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        self.db = sqlite3.connect(path or ":memory:")
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS pages (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, marked INTEGER);
            CREATE TABLE IF NOT EXISTS shards (number INTEGER PRIMARY KEY, inputs TEXT, bundle TEXT);
            CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT);
            CREATE TABLE IF NOT EXISTS staged (shard INTEGER, path TEXT, size INTEGER, mtime INTEGER,
                                               digest TEXT, PRIMARY KEY (shard, path));
            CREATE TABLE IF NOT EXISTS staged_shards (shard INTEGER PRIMARY KEY);
            """
        )
        row = self.db.execute("SELECT value FROM meta WHERE name = 'site'").fetchone()
        self.same_site = bool(row) and row[0] == self.site
        self._pages: dict[str, tuple[int, int, bool]] | None = None  # as pages() read them

    def pages(self) -> dict[str, tuple[int, int, bool]]:
        if not self.same_site:
            return {}
        self._pages = {path: (size, mtime, bool(marked))
                       for path, size, mtime, marked in self.db.execute("SELECT path, size, mtime, marked FROM pages")}
        return dict(self._pages)

    def shards(self) -> dict[int, tuple[str, str]]:
        if not self.same_site:
            return {}
        return {number: (inputs, bundle) for number, inputs, bundle in self.db.execute("SELECT * FROM shards")}

    def save(self, pages: dict[str, tuple[int, int, bool]], shards: dict[int, tuple[str, str]]) -> None:
        """Record ``pages`` and ``shards``: only the pages that differ from
        those :meth:`pages` read (rewriting all 7,100 rows at 5,000
        articles took 0.02 s of every build)."""
        before = self._pages if self.same_site else None
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('site', ?)", (self.site,))
            if before is None:
                self.db.execute("DELETE FROM pages")
                before = {}
            self.db.executemany("DELETE FROM pages WHERE path = ?", [(path,) for path in before.keys() - pages.keys()])
            self.db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?)",
                                [(path, size, mtime, int(marked)) for path, (size, mtime, marked) in pages.items()
                                 if before.get(path) != (size, mtime, marked)])
            self.db.execute("DELETE FROM shards")
            self.db.executemany("INSERT INTO shards VALUES (?, ?, ?)",
                                ((number, inputs, bundle) for number, (inputs, bundle) in shards.items()))

    def staged(self, shard: int) -> dict[str, tuple[int, int, str]] | None:
        """What shard ``shard``'s staging folder holds: page -> (size, mtime,
        digest); None when the folder may hold anything (never made, or left
        half-changed by a build that stopped)."""
        if not self.db.execute("SELECT 1 FROM staged_shards WHERE shard = ?", (shard,)).fetchone():
            return None
        return {path: (size, mtime, digest) for path, size, mtime, digest in self.db.execute(
            "SELECT path, size, mtime, digest FROM staged WHERE shard = ?", (shard,))}

    def staging(self, shard: int) -> None:
        """Shard ``shard``'s folder is about to change."""
        with self.db:
            self.db.execute("DELETE FROM staged_shards WHERE shard = ?", (shard,))

    def staged_whole(self, shard: int, pages: dict[str, tuple[int, int, str]]) -> None:
        """Shard ``shard``'s folder now holds exactly ``pages``."""
        with self.db:
            self.db.execute("DELETE FROM staged WHERE shard = ?", (shard,))
            self.db.executemany("INSERT INTO staged VALUES (?, ?, ?, ?, ?)",
                                ((shard, path, *entry) for path, entry in pages.items()))
            self.db.execute("INSERT OR REPLACE INTO staged_shards VALUES (?)", (shard,))

    def forget_staged_from(self, count: int) -> None:
        """The shards numbered ``count`` and up are no longer planned."""
        with self.db:
            self.db.execute("DELETE FROM staged WHERE shard >= ?", (count,))
            self.db.execute("DELETE FROM staged_shards WHERE shard >= ?", (count,))

    def close(self) -> None:
        self.db.close()
