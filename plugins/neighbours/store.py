"""The last build's links, kept in SQLite (``CACHE_PATH/neighbours.sqlite``).

Linking 5,000 articles takes ~0.1 s of every build, while an edit that
changes no article's tags, category or place in the date order (a body or
title edit, a photo) links them exactly as the build before: the links are
a function of the list's shape (see ``select.shape``) and the settings,
whose digest is the key of the one row kept. A missing or unreadable
database only costs linking again. Pure module, no Pelican import.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path


def key(settings: dict, shape: list) -> str:
    return hashlib.sha256(json.dumps([settings, shape], ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def load(path: str, wanted: str) -> list | None:
    """The links saved under the key ``wanted``, or None."""
    try:  # read-only: a missing database is not made here
        db = sqlite3.connect(Path(os.path.abspath(path)).as_uri() + "?mode=ro", uri=True)
        try:
            row = db.execute("SELECT links FROM links WHERE key = ?", (wanted,)).fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return json.loads(row[0]) if row else None


def save(path: str, saved_key: str, links: list) -> None:
    """Keep ``links`` under ``saved_key``, in place of the previous build's."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    db = sqlite3.connect(path)
    try:
        with db:
            db.execute("CREATE TABLE IF NOT EXISTS links (key TEXT PRIMARY KEY, links TEXT NOT NULL)")
            db.execute("DELETE FROM links")
            db.execute("INSERT INTO links VALUES (?, ?)", (saved_key, json.dumps(links, separators=(",", ":"))))
    finally:
        db.close()
