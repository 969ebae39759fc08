"""The persistent cache: one SQLite file under ``CACHE_PATH``.

- ``results``: cache key (hash of the fingerprint, the source path and the
  file's bytes) -> a pickled read result; ``used``: the number of the last
  build that used each key (rows unused for ``KEEP_BUILDS`` builds are
  pruned). Apart, so that marking 5,000 results used does not rewrite
  their blobs;
- ``outputs``: the files the previous build wrote, so files no longer
  produced (a deleted article's page) can be removed;
- ``renders``: per page the writer was asked for, its render signature and
  the files it produced with their size and mtime, so an unchanged page is
  not rendered again;
- ``digests``: per source file, the SHA-256 of its bytes with the size,
  times and inode it had, so a build reads (for its cache key) only the
  files that changed: hashing 5,000 articles took 0.1 s of every rebuild.

A commit writes only the rows that changed since the previous build: an
edit build at 5,000 articles used to rewrite some 30,000 rows.

Pure logic, no Pelican import.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import sqlite3
import time

KEEP_BUILDS = 3
BATCH = 500
# A file changed less than this before its digest was taken is hashed again
# next time: a later write within the same tick of the file system's clock
# could leave the same size and times (as git's "racily clean" files).
RACY_NS = 2_000_000_000


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
            DROP TABLE IF EXISTS reads;
            CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS used (key TEXT PRIMARY KEY, build INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS outputs (path TEXT PRIMARY KEY);
            CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS renders (key TEXT PRIMARY KEY, signature TEXT NOT NULL, outputs TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS digests (path TEXT PRIMARY KEY, stamp TEXT NOT NULL, digest BLOB NOT NULL);
            """
        )
        row = self.db.execute("SELECT value FROM meta WHERE name = 'build'").fetchone()
        self.build = (int(row[0]) if row else 0) + 1
        info = os.stat(path)
        self._file = (info.st_dev, info.st_ino)  # see changed_since_opened
        self._used: list[str] = []
        self._pending: list[tuple[str, bytes]] = []  # new results not yet handed to SQLite
        self._added: list[str] = []  # keys of this build's new results
        self._renders: dict[str, tuple[str, list]] | None = None
        self._previous_renders: dict[str, tuple[str, list]] | None = None  # as loaded by renders()
        self._previous_outputs: set[str] | None = None  # as loaded by previous_outputs()
        self._digests: dict[str, tuple[str, bytes]] | None = None  # path -> (stamp, digest), as stored
        self._new_digests: dict[str, tuple[str, bytes]] = {}
        self._asked: set[str] = set()  # the files whose digest this build asked for

    def changed_since_opened(self) -> bool:
        """Whether another build committed to this cache since it was
        opened, or the file was removed or replaced."""
        try:
            info = os.stat(self.path)
        except OSError:
            return True
        if (info.st_dev, info.st_ino) != self._file:
            return True
        row = self.db.execute("SELECT value FROM meta WHERE name = 'build'").fetchone()
        return (int(row[0]) if row else 0) != self.build - 1

    def file_digest(self, path: str) -> bytes:
        """SHA-256 of the file's bytes, read again only when its size,
        modification or change time, or inode differ from those stored with
        the digest (any write sets the change time, even one that puts the
        modification time back)."""
        if self._digests is None:
            self._digests = {row[0]: (row[1], row[2]) for row in self.db.execute("SELECT * FROM digests")}
        self._asked.add(path)
        info = os.stat(path)
        stamp = f"{info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}"
        known = self._new_digests.get(path) or self._digests.get(path)  # a standby build asks twice
        if known is not None and known[0] == stamp:
            return known[1]
        with open(path, "rb") as handle:
            digest = hashlib.sha256(handle.read()).digest()
        if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) > RACY_NS:
            self._new_digests[path] = (stamp, digest)
        return digest

    def get_many(self, keys) -> dict[str, object]:
        """Unpickled values of the keys found."""
        found = {}
        keys = list(keys)
        for start in range(0, len(keys), BATCH):
            chunk = keys[start:start + BATCH]
            marks = ",".join("?" * len(chunk))
            for key, value in self.db.execute(f"SELECT key, value FROM results WHERE key IN ({marks})", chunk):
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
        self._pending.append((key, blob))
        self._added.append(key)
        if len(self._pending) >= BATCH:  # into the open transaction: a build's blobs are not all held in memory
            self.db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", self._pending)
            self._pending.clear()
        return True

    def renders(self) -> dict[str, tuple[str, list]]:
        """{page key: (signature, [[file, size, mtime_ns], ...])} of the previous build."""
        found = {}
        for key, signature, outputs in self.db.execute("SELECT key, signature, outputs FROM renders"):
            try:
                found[key] = (signature, json.loads(outputs))
            except ValueError:
                continue
        self._previous_renders = found
        return dict(found)

    def has_renders(self) -> bool:
        """Whether a previous build recorded its renders (not a cold build)."""
        return self.db.execute("SELECT 1 FROM renders LIMIT 1").fetchone() is not None

    def save_renders(self, renders: dict[str, tuple[str, list]]) -> None:
        """Replace the render records with this build's (saved by :meth:`commit`)."""
        self._renders = renders

    def previous_outputs(self) -> set[str]:
        self._previous_outputs = {path for (path,) in self.db.execute("SELECT path FROM outputs")}
        return set(self._previous_outputs)

    def commit(self, outputs: set[str] | None) -> None:
        """Save new reads, mark used ones, prune old ones, record outputs
        and renders: only the rows that differ from what was loaded."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO results VALUES (?, ?)", self._pending)
            self.db.executemany("INSERT OR REPLACE INTO used VALUES (?, ?)",
                                [(key, self.build) for key in {*self._used, *self._added}])
            self.db.execute("DELETE FROM used WHERE build < ?", (self.build - KEEP_BUILDS,))
            self.db.execute("DELETE FROM results WHERE key NOT IN (SELECT key FROM used)")
            if outputs is not None:
                before = self._previous_outputs
                if before is None:
                    before = {path for (path,) in self.db.execute("SELECT path FROM outputs")}
                self.db.executemany("DELETE FROM outputs WHERE path = ?", [(p,) for p in sorted(before - outputs)])
                self.db.executemany("INSERT INTO outputs VALUES (?)", [(p,) for p in sorted(outputs - before)])
            if self._renders is not None:
                self._save_renders()
            if self._asked:  # files no build asks for any more (deleted, renamed) are forgotten
                self.db.executemany("DELETE FROM digests WHERE path = ?",
                                    [(path,) for path in (self._digests or {}).keys() - self._asked])
            self.db.executemany("INSERT OR REPLACE INTO digests VALUES (?, ?, ?)",
                                [(path, stamp, digest) for path, (stamp, digest) in self._new_digests.items()])
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('build', ?)", (str(self.build),))
        self._pending.clear()
        self._added.clear()
        self._used.clear()
        self._new_digests.clear()
        self._asked.clear()

    def _save_renders(self) -> None:
        before = self._previous_renders
        if before is None:
            self.db.execute("DELETE FROM renders")
            before = {}
        gone = [(key,) for key in before if key not in self._renders]
        self.db.executemany("DELETE FROM renders WHERE key = ?", gone)
        self.db.executemany("INSERT OR REPLACE INTO renders VALUES (?, ?, ?)", [
            (key, signature, json.dumps(files)) for key, (signature, files) in self._renders.items()
            if before.get(key) != (signature, files)])

    def close(self) -> None:
        self.db.close()
