"""The persistent cache: one SQLite file under ``CACHE_PATH``.

- ``reads``: cache key (hash of the fingerprint, the source path and the
  file's bytes) -> a pickled read result, with the number of the last build
  that used it (rows unused for ``KEEP_BUILDS`` builds are pruned);
- ``outputs``: the files the previous build wrote, so files no longer
  produced (a deleted article's page) can be removed;
- ``renders``: per page the writer was asked for, its render signature and
  the files it produced with their size and mtime, so an unchanged page is
  not rendered again.

Pure logic, no Pelican import.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3

KEEP_BUILDS = 3
BATCH = 500


def read_key(fingerprint: str, source_path: str, data: bytes) -> str:
    digest = hashlib.sha256(fingerprint.encode() + b"\0" + source_path.encode("utf-8", "surrogateescape") + b"\0")
    digest.update(data)
    return digest.hexdigest()


class Store:
    def __init__(self, path: str) -> None:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(path)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS reads (key TEXT PRIMARY KEY, value BLOB NOT NULL, build INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY);
            CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS renders (key TEXT PRIMARY KEY, signature TEXT NOT NULL, outputs TEXT NOT NULL);
            """
        )
        row = self.db.execute("SELECT value FROM meta WHERE name = 'build'").fetchone()
        self.build = (int(row[0]) if row else 0) + 1
        self._used: list[str] = []
        self._pending: list[tuple[str, bytes, int]] = []
        self._renders: dict[str, tuple[str, list]] | None = None

    def get_many(self, keys) -> dict[str, object]:
        """Unpickled values of the keys found."""
        found = {}
        keys = list(keys)
        for start in range(0, len(keys), BATCH):
            chunk = keys[start:start + BATCH]
            marks = ",".join("?" * len(chunk))
            for key, value in self.db.execute(f"SELECT key, value FROM reads WHERE key IN ({marks})", chunk):
                try:
                    found[key] = pickle.loads(value)
                except Exception:  # a corrupt or outdated row is a miss
                    continue
        self._used += found
        return found

    def put(self, key: str, value) -> bool:
        try:
            blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an unpicklable result is simply not cached
            return False
        self._pending.append((key, blob, self.build))
        return True

    def renders(self) -> dict[str, tuple[str, list]]:
        """{page key: (signature, [[file, size, mtime_ns], ...])} of the previous build."""
        found = {}
        for key, signature, outputs in self.db.execute("SELECT key, signature, outputs FROM renders"):
            try:
                found[key] = (signature, json.loads(outputs))
            except ValueError:
                continue
        return found

    def save_renders(self, renders: dict[str, tuple[str, list]]) -> None:
        """Replace the render records with this build's (saved by :meth:`commit`)."""
        self._renders = renders

    def previous_outputs(self) -> set[str]:
        return {path for (path,) in self.db.execute("SELECT path FROM outputs")}

    def commit(self, outputs: set[str] | None) -> None:
        """Save new reads, mark used ones, prune old ones, record outputs."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO reads VALUES (?, ?, ?)", self._pending)
            self.db.executemany("UPDATE reads SET build = ? WHERE key = ?", [(self.build, k) for k in self._used])
            self.db.execute("DELETE FROM reads WHERE build < ?", (self.build - KEEP_BUILDS,))
            if outputs is not None:
                self.db.execute("DELETE FROM outputs")
                self.db.executemany("INSERT INTO outputs VALUES (?)", [(p,) for p in sorted(outputs)])
            if self._renders is not None:
                self.db.execute("DELETE FROM renders")
                self.db.executemany("INSERT INTO renders VALUES (?, ?, ?)", [
                    (key, signature, json.dumps(outputs)) for key, (signature, outputs) in self._renders.items()])
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('build', ?)", (str(self.build),))
        self._pending.clear()
        self._used.clear()

    def close(self) -> None:
        self.db.close()
