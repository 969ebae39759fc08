"""The image cache: derivatives and a SQLite manifest kept outside output/.

- ``sources``: a photo's path, size and modification time -> its SHA-256,
  so an unchanged photo is not even read again;
- ``results``: cache key (content hash + settings) -> what was made
  (:class:`images.process.Result` as JSON); the files themselves are under
  ``files/<key>/``.

Pure logic, no Pelican import.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3

from .process import Result

SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, sha256 TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, data TEXT NOT NULL);
"""


def sha256_of(path: str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Cache:
    """``readonly``: look up results in another build's cache without ever
    writing to it (a missing or unreadable one simply has no results)."""

    def __init__(self, folder: str, readonly: bool = False) -> None:
        self.folder = folder
        self.readonly = readonly
        manifest = os.path.join(folder, "manifest.sqlite")
        if readonly:
            uri = "file:" + os.path.abspath(manifest) + "?mode=ro"
            self.db = sqlite3.connect(uri, uri=True) if os.path.isfile(manifest) else None
            return
        os.makedirs(os.path.join(folder, "files"), exist_ok=True)
        self.db = sqlite3.connect(manifest)
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        if self.db is not None:
            if not self.readonly:
                self.db.commit()
            self.db.close()

    def files_dir(self, key: str) -> str:
        return os.path.join(self.folder, "files", key)

    def source_hash(self, path: str) -> str:
        """SHA-256 of a photo, read again only when its size or time changed."""
        stat = os.stat(path)
        if self.db is None:
            return sha256_of(path)
        row = self.db.execute(
            "SELECT sha256 FROM sources WHERE path = ? AND size = ? AND mtime_ns = ?",
            (os.path.abspath(path), stat.st_size, stat.st_mtime_ns),
        ).fetchone()
        if row:
            return row[0]
        digest = sha256_of(path)
        if self.readonly:
            return digest
        self.db.execute(
            "INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)",
            (os.path.abspath(path), stat.st_size, stat.st_mtime_ns, digest),
        )
        return digest

    def get(self, key: str) -> Result | None:
        """The stored result, if it and all its files are still there."""
        if self.db is None:
            return None
        try:
            row = self.db.execute("SELECT data FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error:  # a seed cache of another version: no results
            return None
        if not row:
            return None
        result = Result.from_json(json.loads(row[0]))
        folder = self.files_dir(key)
        if not all(os.path.isfile(os.path.join(folder, d.name)) for d in result.derivatives):
            return None
        return result

    def put(self, result: Result) -> None:
        """Remember a successful result (errors are not cached: the editor
        fixes the photo, or the next build reports it again)."""
        if result.error:
            shutil.rmtree(self.files_dir(result.key), ignore_errors=True)
            return
        self.db.execute(
            "INSERT OR REPLACE INTO results VALUES (?, ?)", (result.key, json.dumps(result.to_json()))
        )
        self.db.commit()
