"""What the last search indexing saw, kept between builds in SQLite
(``CACHE_PATH/search.sqlite``). Pure module.

- ``pages``: every HTML page of the output with its size, mtime and whether it
  has a ``data-pagefind-body`` (so an unchanged page is not read again);
- ``shards``: per shard, a digest of its inputs (settings, Pagefind and
  plugin code, its pages' sizes and mtimes) and of the bundle files it left,
  so a shard whose pages and bundle are as they were is not indexed again.

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
            """
        )
        row = self.db.execute("SELECT value FROM meta WHERE name = 'site'").fetchone()
        self.same_site = bool(row) and row[0] == self.site

    def pages(self) -> dict[str, tuple[int, int, bool]]:
        if not self.same_site:
            return {}
        return {path: (size, mtime, bool(marked))
                for path, size, mtime, marked in self.db.execute("SELECT path, size, mtime, marked FROM pages")}

    def shards(self) -> dict[int, tuple[str, str]]:
        if not self.same_site:
            return {}
        return {number: (inputs, bundle) for number, inputs, bundle in self.db.execute("SELECT * FROM shards")}

    def save(self, pages: dict[str, tuple[int, int, bool]], shards: dict[int, tuple[str, str]]) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('site', ?)", (self.site,))
            self.db.execute("DELETE FROM pages")
            self.db.executemany("INSERT INTO pages VALUES (?, ?, ?, ?)",
                                ((path, size, mtime, int(marked)) for path, (size, mtime, marked) in pages.items()))
            self.db.execute("DELETE FROM shards")
            self.db.executemany("INSERT INTO shards VALUES (?, ?, ?)",
                                ((number, inputs, bundle) for number, (inputs, bundle) in shards.items()))

    def close(self) -> None:
        self.db.close()
